// Pure edits of the allocation rule set being drafted: each takes a rule set and returns a new one (never mutates),
// so the store can keep every state for undo/redo and React sees what changed by identity. Ids are unique across
// rules, pools and inheritance (the engine refuses a set where they are not), and they tie the preview's counts and
// version diffs to what is on screen, so an edit never renumbers existing ones.
import type { Pool, Inherit, SplitMethod } from '../../../src-shared/allocate/evaluate';
import type { Dimension } from '../../../src-shared/api/contract';
import type { Condition, FieldRef, Normalize, Rule, TagAlias } from '../../../src-shared/allocate/rules';
import type { RuleSet } from '../../../src-shared/allocate/ruleset';

export type Op = Condition['op'];
export const OPS: ReadonlyArray<readonly [Op, string]> = [
  ['equals', 'equals'],
  ['in', 'is one of'],
  ['contains', 'contains'],
  ['regex', 'matches regex'],
  ['range', 'in range'],
  ['missing', 'is missing'],
];

/** The column name explore uses for a field ("Tags.team" for a tag): what value suggestions are asked for. */
export function fieldColumn(f: FieldRef): string {
  return f.kind === 'tag' ? `Tags.${f.key}` : f.name;
}

/** The field a column picked in the column picker reads ("Tags.team" is the tag team, with its aliases). */
export function columnField(column: string): FieldRef {
  return column.startsWith('Tags.') && column.length > 5 ? { kind: 'tag', key: column.slice(5) } : { kind: 'column', name: column };
}

/** The tag a dimension most likely comes from: the one named like it (Team → Tags.team), else the first tag. */
export function preferredTag(dimensions: readonly Dimension[], dimensionLabel: string): Dimension | undefined {
  const tags = dimensions.filter((d) => d.kind === 'tag');
  const want = dimensionLabel.toLowerCase().replace(/[^a-z0-9]/g, '');
  return tags.find((d) => d.column.slice(5).toLowerCase().replace(/[^a-z0-9]/g, '') === want) ?? tags[0];
}

/** The field a new condition starts with: the one before it, else the dimension's tag (what rules mostly read). */
export function defaultField(when: readonly Condition[], dimensions: readonly Dimension[], dimensionLabel = ''): FieldRef {
  const last = when[when.length - 1];
  if (last) return last.field;
  return columnField(preferredTag(dimensions, dimensionLabel)?.column ?? 'ServiceName');
}

/** A fresh id with `prefix` ("r", "p", "i") not used by any rule, pool or inheritance. */
export function nextId(set: RuleSet, prefix: string): string {
  const used = new Set([...set.rules.map((r) => r.id), ...set.pools.map((p) => p.id), ...set.inherit.map((i) => i.id)]);
  let n = 1;
  for (const id of used) {
    const m = new RegExp(`^${prefix}(\\d+)$`).exec(id);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  while (used.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/**
 * A dimension key from its label: "AI use case" → "AiUseCase" (the key names the `x_` column the values land in, so
 * it must be a word starting with a capital letter). Made unique against `taken` with a number.
 */
export function dimensionKey(label: string, taken: readonly string[]): string {
  const words = label.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  let key = words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('');
  if (!key) key = 'Dimension';
  if (!/^[A-Z]/.test(key)) key = `D${key}`;
  key = key.slice(0, 36);
  let out = key;
  for (let n = 2; taken.includes(out); n++) out = `${key}${n}`;
  return out;
}

// ---------- dimensions ----------

export function addDimension(set: RuleSet, label: string): { set: RuleSet; key: string } {
  const clean = label.trim() || 'Dimension';
  const key = dimensionKey(clean, set.dimensions.map((d) => d.key));
  return { set: { ...set, dimensions: [...set.dimensions, { key, label: clean.slice(0, 60) }] }, key };
}

export function renameDimension(set: RuleSet, key: string, label: string): RuleSet {
  return { ...set, dimensions: set.dimensions.map((d) => (d.key === key ? { ...d, label } : d)) };
}

/** Removes a dimension with everything that assigns it (its rules, pools, inheritance and normalization). */
export function removeDimension(set: RuleSet, key: string): RuleSet {
  const normalize = { ...set.normalize };
  delete normalize[key];
  return {
    ...set,
    dimensions: set.dimensions.filter((d) => d.key !== key),
    rules: set.rules.filter((r) => r.dimension !== key),
    pools: set.pools.filter((p) => p.dimension !== key),
    inherit: set.inherit.filter((i) => i.dimension !== key),
    normalize,
  };
}

export function setNormalize(set: RuleSet, key: string, how: Normalize): RuleSet {
  const normalize = { ...set.normalize };
  if (how === 'none') delete normalize[key];
  else normalize[key] = how;
  return { ...set, normalize };
}

// ---------- rules ----------

/** A new rule of `dimension`, listed after that dimension's last rule (so it is tried last). */
export function addRule(set: RuleSet, dimension: string, init: Partial<Pick<Rule, 'value' | 'when'>> = {}): { set: RuleSet; id: string } {
  const id = nextId(set, 'r');
  const rule: Rule = { id, dimension, value: init.value ?? '', when: init.when ?? [] };
  let at = -1;
  set.rules.forEach((r, i) => {
    if (r.dimension === dimension) at = i;
  });
  const rules = [...set.rules];
  rules.splice(at < 0 ? rules.length : at + 1, 0, rule);
  return { set: { ...set, rules }, id };
}

/**
 * One rule per value of a field ("Team = platform when Tags.team equals platform"), after the dimension's rules.
 * Values an existing equals rule of the dimension already reads on that field are skipped, so running it twice adds
 * nothing.
 */
export function addRulesFromValues(set: RuleSet, dimension: string, field: FieldRef, values: readonly string[]): { set: RuleSet; added: string[] } {
  const column = fieldColumn(field);
  const covered = new Set(
    set.rules
      .filter((r) => r.dimension === dimension)
      .flatMap((r) => r.when.filter((c) => c.op === 'equals' && fieldColumn(c.field) === column).map((c) => (c.op === 'equals' ? c.value.toLowerCase() : ''))),
  );
  let out = set;
  const added: string[] = [];
  for (const v of values) {
    const value = v.trim();
    if (!value || covered.has(value.toLowerCase())) continue;
    covered.add(value.toLowerCase());
    const r = addRule(out, dimension, { value, when: [{ field, op: 'equals', value, caseSensitive: false }] });
    out = r.set;
    added.push(r.id);
  }
  return { set: out, added };
}

export function updateRule(set: RuleSet, id: string, patch: Partial<Omit<Rule, 'id' | 'dimension'>>): RuleSet {
  return { ...set, rules: set.rules.map((r) => (r.id === id ? { ...r, ...patch } : r)) };
}

export function removeRule(set: RuleSet, id: string): RuleSet {
  return { ...set, rules: set.rules.filter((r) => r.id !== id) };
}

/**
 * Moves an item one place up (−1) or down (+1) among the items of the same dimension (the list holds every
 * dimension's items; only their order within a dimension matters, first match wins there). Unchanged at an end.
 */
function moveWithin<T extends { id: string; dimension: string }>(list: readonly T[], id: string, delta: -1 | 1): readonly T[] {
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) return list;
  const dim = list[i]!.dimension;
  let j = i + delta;
  while (j >= 0 && j < list.length && list[j]!.dimension !== dim) j += delta;
  if (j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

export function moveRule(set: RuleSet, id: string, delta: -1 | 1): RuleSet {
  const rules = moveWithin(set.rules, id, delta);
  return rules === set.rules ? set : { ...set, rules: [...rules] };
}

// ---------- conditions (of a rule or a pool) ----------

type Owner = { kind: 'rule' | 'pool'; id: string };

function mapWhen(set: RuleSet, owner: Owner, f: (when: Condition[]) => Condition[]): RuleSet {
  if (owner.kind === 'rule') return { ...set, rules: set.rules.map((r) => (r.id === owner.id ? { ...r, when: f(r.when) } : r)) };
  return { ...set, pools: set.pools.map((p) => (p.id === owner.id ? { ...p, when: f(p.when) } : p)) };
}

export function addCondition(set: RuleSet, owner: Owner, c: Condition): RuleSet {
  return mapWhen(set, owner, (w) => [...w, c]);
}

export function setCondition(set: RuleSet, owner: Owner, index: number, c: Condition): RuleSet {
  return mapWhen(set, owner, (w) => w.map((x, i) => (i === index ? c : x)));
}

export function removeCondition(set: RuleSet, owner: Owner, index: number): RuleSet {
  return mapWhen(set, owner, (w) => w.filter((_, i) => i !== index));
}

/** The text a condition compares with, carried over when its operator changes. */
function textOf(c: Condition): string {
  switch (c.op) {
    case 'equals':
    case 'contains':
      return c.value;
    case 'in':
      return c.values.join(', ');
    case 'regex':
      return c.pattern;
    default:
      return '';
  }
}

/** The same condition with another operator, keeping what was typed where it still means something. */
export function changeOp(c: Condition, op: Op): Condition {
  if (c.op === op) return c;
  const text = textOf(c);
  const caseSensitive = 'caseSensitive' in c ? c.caseSensitive : false;
  switch (op) {
    case 'equals':
      return { field: c.field, op, value: c.op === 'in' ? (c.values[0] ?? '') : text, caseSensitive };
    case 'contains':
      return { field: c.field, op, value: text, caseSensitive };
    case 'regex':
      return { field: c.field, op, pattern: text, caseSensitive };
    case 'in':
      return { field: c.field, op, values: splitList(text), caseSensitive };
    case 'range':
      return { field: c.field, op, min: null, max: null };
    case 'missing':
      return { field: c.field, op };
  }
}

/** "a, b ,, c" → ["a", "b", "c"]: how a list of values is typed. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function newCondition(field: FieldRef): Condition {
  return { field, op: 'equals', value: '', caseSensitive: false };
}

// ---------- pools ----------

export function addPool(set: RuleSet, dimension: string, field: FieldRef): { set: RuleSet; id: string } {
  const id = nextId(set, 'p');
  const pool: Pool = { id, name: '', dimension, when: [newCondition(field)], targets: [], method: { kind: 'proportional', basis: 'effective' } };
  return { set: { ...set, pools: [...set.pools, pool] }, id };
}

export function updatePool(set: RuleSet, id: string, patch: Partial<Omit<Pool, 'id' | 'dimension'>>): RuleSet {
  return { ...set, pools: set.pools.map((p) => (p.id === id ? { ...p, ...patch } : p)) };
}

export function removePool(set: RuleSet, id: string): RuleSet {
  return { ...set, pools: set.pools.filter((p) => p.id !== id) };
}

export function movePool(set: RuleSet, id: string, delta: -1 | 1): RuleSet {
  const pools = moveWithin(set.pools, id, delta);
  return pools === set.pools ? set : { ...set, pools: [...pools] };
}

/**
 * A split method of another kind. Fixed percentages start from the pool's targets shared evenly in whole percents
 * (the remainder on the first), so a new fixed split adds up to 100 until it is edited.
 */
export function changeMethod(pool: Pool, kind: SplitMethod['kind'], drivers: readonly string[]): SplitMethod {
  if (pool.method.kind === kind) return pool.method;
  switch (kind) {
    case 'even':
      return { kind };
    case 'proportional':
      return { kind, basis: 'effective' };
    case 'driver':
      return { kind, driver: drivers[0] ?? '' };
    case 'fixed': {
      const targets = pool.targets.length ? pool.targets : [''];
      const each = Math.floor(100 / targets.length);
      return { kind, percents: targets.map((target, i) => ({ target, percent: i === 0 ? 100 - each * (targets.length - 1) : each })) };
    }
  }
}

// ---------- inheritance ----------

export function addInherit(set: RuleSet, dimension: string, from: Inherit['from']): { set: RuleSet; id: string } {
  const id = nextId(set, 'i');
  return { set: { ...set, inherit: [...set.inherit, { id, dimension, from, values: [{ account: '', value: '' }] }] }, id };
}

export function updateInherit(set: RuleSet, id: string, patch: Partial<Omit<Inherit, 'id' | 'dimension'>>): RuleSet {
  return { ...set, inherit: set.inherit.map((i) => (i.id === id ? { ...i, ...patch } : i)) };
}

export function removeInherit(set: RuleSet, id: string): RuleSet {
  return { ...set, inherit: set.inherit.filter((i) => i.id !== id) };
}

// ---------- tag aliases ----------

export function addAlias(set: RuleSet, alias: TagAlias = { key: '', aliases: [] }): RuleSet {
  return { ...set, tagAliases: [...set.tagAliases, alias] };
}

export function setAlias(set: RuleSet, index: number, alias: TagAlias): RuleSet {
  return { ...set, tagAliases: set.tagAliases.map((a, i) => (i === index ? alias : a)) };
}

export function removeAlias(set: RuleSet, index: number): RuleSet {
  return { ...set, tagAliases: set.tagAliases.filter((_, i) => i !== index) };
}

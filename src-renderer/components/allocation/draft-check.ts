// What in a draft is not finished yet, said per rule, pool or mapping ("r3: needs a value"), and the part of the draft
// that can run now. The engine refuses a whole rule set when one rule is half-typed, so the live preview runs the
// finished part (the unfinished items are marked "not in the preview"), while saving and applying wait until
// nothing is unfinished.
import { InheritSchema, PoolSchema, type Pool, type Inherit } from '../../../src-shared/allocate/evaluate';
import { RuleSchema, type Condition, type Rule } from '../../../src-shared/allocate/rules';
import { RuleSetSchema, type RuleSet } from '../../../src-shared/allocate/ruleset';

export interface DraftIssue {
  /** the rule, pool or inheritance id; a dimension key or '' for the set as a whole */
  id: string;
  message: string;
}

function conditionIssue(c: Condition, n: number): string | null {
  const which = `condition ${n}`;
  if (c.field.kind === 'tag' ? !c.field.key.trim() : !c.field.name.trim()) return `${which} needs a column or tag`;
  switch (c.op) {
    case 'contains':
      return c.value === '' ? `${which} needs the text to look for` : null;
    case 'in':
      return c.values.length === 0 ? `${which} needs at least one value` : null;
    case 'regex':
      if (c.pattern === '') return `${which} needs a pattern`;
      try {
        new RegExp(c.pattern);
        return null;
      } catch {
        return `${which}: /${c.pattern}/ is not a valid regular expression`;
      }
    case 'range':
      return c.min !== null && c.max !== null && c.min >= c.max ? `${which}: the lower bound must be below the upper one` : null;
    default:
      return null;
  }
}

function conditionsIssue(when: readonly Condition[]): string | null {
  for (let i = 0; i < when.length; i++) {
    const m = conditionIssue(when[i]!, i + 1);
    if (m) return m;
  }
  return null;
}

interface Checked<T> {
  issue: string | null;
  /** the schema's output (defaults filled in) when there is no issue */
  parsed: T | null;
}

// Items are immutable (every edit makes a new object), so a check is kept per object: a keystroke re-checks the one
// rule it changed, not the hundreds beside it.
const checkedRules = new WeakMap<Rule, Checked<Rule>>();
const checkedPools = new WeakMap<Pool, Checked<Pool>>();

function once<T extends object>(cache: WeakMap<T, Checked<T>>, item: T, check: (t: T) => Checked<T>): Checked<T> {
  let c = cache.get(item);
  if (!c) cache.set(item, (c = check(item)));
  return c;
}

function checkRule(r: Rule): Checked<Rule> {
  if (!r.value.trim()) return { issue: 'needs a value: what the matching rows are assigned', parsed: null };
  const c = conditionsIssue(r.when);
  if (c) return { issue: c, parsed: null };
  const parsed = RuleSchema.safeParse(r);
  return parsed.success ? { issue: null, parsed: parsed.data } : { issue: parsed.error.issues[0]?.message ?? 'is not valid', parsed: null };
}

function checkPool(p: Pool): Checked<Pool> {
  const fail = (issue: string) => ({ issue, parsed: null });
  if (!p.name.trim()) return fail('needs a name');
  if (p.when.length === 0) return fail('needs a condition: which rows form the pool');
  const c = conditionsIssue(p.when);
  if (c) return fail(c);
  if (p.method.kind === 'fixed' && p.method.percents.some((x) => !x.target.trim())) return fail('every percentage needs a target');
  if (p.method.kind === 'driver' && !p.method.driver) return fail('pick the driver data to split by');
  const parsed = PoolSchema.safeParse(p);
  return parsed.success ? { issue: null, parsed: parsed.data } : fail(parsed.error.issues[0]?.message ?? 'is not valid');
}

export function ruleIssue(r: Rule): string | null {
  return once(checkedRules, r, checkRule).issue;
}

export function poolIssue(p: Pool): string | null {
  return once(checkedPools, p, checkPool).issue;
}

/**
 * The whole set through its schema, with rules and pools already checked one by one (so a long list is not parsed
 * again on every keystroke): the rest of the set is parsed as it is, the items are put back as parsed.
 */
function parseSet(set: RuleSet): { ok: true; set: RuleSet } | { ok: false; message: string } {
  const shell = RuleSetSchema.safeParse({ ...set, rules: [], pools: [], inherit: [] });
  if (!shell.success) {
    const i = shell.error.issues[0]!;
    return { ok: false, message: `${i.path.join('.')}: ${i.message}` };
  }
  const max = { rules: 2000, pools: 200, dimensions: 8 };
  if (set.rules.length > max.rules) return { ok: false, message: `at most ${max.rules} rules` };
  if (set.pools.length > max.pools) return { ok: false, message: `at most ${max.pools} pools` };
  const rules = set.rules.map((r) => once(checkedRules, r, checkRule).parsed);
  const pools = set.pools.map((p) => once(checkedPools, p, checkPool).parsed);
  const inherit = set.inherit.map((i) => InheritSchema.safeParse(i));
  if (rules.some((r) => !r) || pools.some((p) => !p)) return { ok: false, message: 'an unfinished rule or pool' };
  const badInherit = inherit.find((i) => !i.success);
  if (badInherit && !badInherit.success) return { ok: false, message: `inheritance: ${badInherit.error.issues[0]?.message ?? 'is not valid'}` };
  return {
    ok: true,
    set: { ...shell.data, rules: rules as Rule[], pools: pools as Pool[], inherit: inherit.map((i) => (i.success ? i.data : null)) as Inherit[] },
  };
}

/** Mapping rows with an account and a value (the others are rows being typed). */
function finishedMappings(i: Inherit): Inherit['values'] {
  return i.values.filter((v) => v.account.trim() && v.value.trim());
}

export function inheritIssue(i: Inherit): string | null {
  if (i.values.some((v) => (v.account.trim() === '') !== (v.value.trim() === ''))) return 'every account needs a value, and every value an account';
  if (finishedMappings(i).length === 0) return 'needs an account and the value it gives';
  return null;
}

/**
 * The draft as it is saved and applied: mapping rows left blank and blank alias names dropped (the editor keeps a
 * blank row to type into; it means nothing).
 */
export function cleanDraft(set: RuleSet): RuleSet {
  return {
    ...set,
    inherit: set.inherit.map((i) => ({ ...i, values: i.values.filter((v) => v.account.trim() || v.value.trim()) })),
    tagAliases: set.tagAliases.map((a) => ({ key: a.key.trim(), aliases: a.aliases.map((x) => x.trim()).filter(Boolean) })),
  };
}

/** Every unfinished item of the draft, in list order (none: `cleanDraft(set)` can be saved and applied). */
export function draftIssues(set: RuleSet): DraftIssue[] {
  const out: DraftIssue[] = [];
  for (const d of set.dimensions) if (!d.label.trim()) out.push({ id: d.key, message: 'needs a name' });
  for (const r of set.rules) {
    const m = ruleIssue(r);
    if (m) out.push({ id: r.id, message: m });
  }
  for (const p of set.pools) {
    const m = poolIssue(p);
    if (m) out.push({ id: p.id, message: m });
  }
  for (const i of set.inherit) {
    const m = inheritIssue(i);
    if (m) out.push({ id: i.id, message: m });
  }
  set.tagAliases.forEach((a, n) => {
    if (!a.key.trim()) out.push({ id: `alias:${n}`, message: 'a tag alias needs the tag key it stands for' });
  });
  if (out.length === 0) {
    const whole = parseSet(cleanDraft(set));
    if (!whole.ok) out.push({ id: '', message: whole.message });
  }
  return out;
}

/**
 * The part of the draft that can run: unfinished rules and pools left out, inheritance and alias rows being typed
 * left out. `set` is null when even that cannot run (the schema still refuses it; `blocking` says why).
 */
export function previewable(set: RuleSet): { set: RuleSet | null; skipped: DraftIssue[]; blocking: string | null } {
  const skipped: DraftIssue[] = [];
  const rules = set.rules.filter((r) => {
    const m = ruleIssue(r);
    if (m) skipped.push({ id: r.id, message: m });
    return !m;
  });
  const pools = set.pools.filter((p) => {
    const m = poolIssue(p);
    if (m) skipped.push({ id: p.id, message: m });
    return !m;
  });
  const inherit: Inherit[] = [];
  for (const i of set.inherit) {
    const values = finishedMappings(i);
    if (values.length === 0) skipped.push({ id: i.id, message: 'needs an account and the value it gives' });
    else if (InheritSchema.safeParse({ ...i, values }).success) inherit.push({ ...i, values });
    else skipped.push({ id: i.id, message: 'is not valid' });
  }
  const tagAliases = set.tagAliases
    .filter((a) => a.key.trim())
    .map((a) => ({ key: a.key.trim(), aliases: a.aliases.map((x) => x.trim()).filter(Boolean) }));
  // a dimension whose name is being retyped previews under its key
  const dimensions = set.dimensions.map((d) => (d.label.trim() ? d : { ...d, label: d.key }));
  const parsed = parseSet({ ...set, dimensions, rules, pools, inherit, tagAliases });
  return parsed.ok ? { set: parsed.set, skipped, blocking: null } : { set: null, skipped, blocking: parsed.message };
}

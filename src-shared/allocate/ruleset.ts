// A whole rule set as the user edits, saves, exports and imports it (rules as code): dimensions, tag aliases, case
// normalization, ordered rules, account inheritance and shared-cost pools. The JSON form is this schema's input; ids
// tie rules to the preview's counts and to version diffs.
import { z } from 'zod';
import { AllocationDimensionSchema, RuleSchema, TagAliasSchema, type RuleProblem } from './rules';
import { InheritSchema, PoolSchema } from './evaluate';

export const RULESET_FORMAT = 'meterbook.allocation';

export const RuleSetSchema = z.object({
  format: z.literal(RULESET_FORMAT).default(RULESET_FORMAT),
  formatVersion: z.literal(1).default(1),
  dimensions: z.array(AllocationDimensionSchema).max(8),
  tagAliases: z.array(TagAliasSchema).default([]),
  normalize: z.record(z.string(), z.enum(['none', 'lower', 'upper'])).default({}),
  rules: z.array(RuleSchema).max(2000).default([]),
  inherit: z.array(InheritSchema).default([]),
  pools: z.array(PoolSchema).max(200).default([]),
});
export type RuleSet = z.output<typeof RuleSetSchema>;
export type RuleSetInput = z.input<typeof RuleSetSchema>;

export const emptyRuleSet = (): RuleSet => ({
  format: RULESET_FORMAT,
  formatVersion: 1,
  dimensions: [{ key: 'Team', label: 'Team' }],
  tagAliases: [],
  normalize: {},
  rules: [],
  inherit: [],
  pools: [],
});

/** Money columns are what rules allocate, never what they read. */
const MONEY_COLUMNS = new Set(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingCurrencyEffectiveCost']);

/**
 * Problems the schema cannot see: ids used twice, a rule, pool or inheritance naming a dimension that is not defined,
 * a rule reading a cost column. Each names what to fix; an empty list means the set can run.
 */
export function ruleSetProblems(set: RuleSet): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const dims = new Set<string>();
  for (const d of set.dimensions) {
    if (dims.has(d.key)) problems.push({ ruleId: d.key, message: `dimension ${d.key} is defined twice` });
    dims.add(d.key);
  }
  const ids = new Map<string, string>();
  const claim = (id: string, what: string) => {
    const before = ids.get(id);
    if (before) problems.push({ ruleId: id, message: `${what} ${id}: the id is already used by a ${before}` });
    else ids.set(id, what);
  };
  for (const r of set.rules) {
    claim(r.id, 'rule');
    if (!dims.has(r.dimension)) problems.push({ ruleId: r.id, message: `rule ${r.id}: dimension '${r.dimension}' is not defined` });
    for (const c of r.when)
      if (c.field.kind === 'column' && MONEY_COLUMNS.has(c.field.name))
        problems.push({ ruleId: r.id, message: `rule ${r.id}: ${c.field.name} is a cost; rules read what a row is, not what it costs` });
  }
  for (const p of set.pools) {
    claim(p.id, 'pool');
    if (!dims.has(p.dimension)) problems.push({ ruleId: p.id, message: `pool ${p.id}: dimension '${p.dimension}' is not defined` });
  }
  for (const i of set.inherit) {
    claim(i.id, 'inheritance');
    if (!dims.has(i.dimension)) problems.push({ ruleId: i.id, message: `inheritance ${i.id}: dimension '${i.dimension}' is not defined` });
  }
  for (const k of Object.keys(set.normalize))
    if (!dims.has(k)) problems.push({ ruleId: k, message: `normalize: dimension '${k}' is not defined` });
  return problems;
}

/** Parse a rule set from JSON text (an exported file), with errors a user can act on. */
export function parseRuleSetJson(text: string): { ok: true; set: RuleSet } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON: ${(e as Error).message}` };
  }
  const r = RuleSetSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, message: `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}` };
  }
  return { ok: true, set: r.data };
}

// ---------- diff between two versions ----------

export interface RuleSetChange {
  kind: 'dimension' | 'rule' | 'pool' | 'inherit' | 'alias' | 'normalize';
  id: string;
  change: 'added' | 'removed' | 'changed' | 'moved';
  /** for changed: the fields that differ ("value", "when", "method"); for moved: "position 3 → 1" */
  detail: string;
  before: unknown;
  after: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diffList<T extends Record<string, unknown>>(
  kind: RuleSetChange['kind'],
  before: readonly T[],
  after: readonly T[],
  idOf: (t: T) => string,
  ordered: boolean,
): RuleSetChange[] {
  const out: RuleSetChange[] = [];
  const b = new Map(before.map((t, i) => [idOf(t), { t, i }]));
  const a = new Map(after.map((t, i) => [idOf(t), { t, i }]));
  for (const [id, { t }] of b) if (!a.has(id)) out.push({ kind, id, change: 'removed', detail: '', before: t, after: null });
  // order among the rules both versions have: first match wins, so a move can change who gets a row
  const keptBefore = before.filter((t) => a.has(idOf(t))).map(idOf);
  const keptAfter = after.filter((t) => b.has(idOf(t))).map(idOf);
  for (const [id, { t, i }] of a) {
    const old = b.get(id);
    if (!old) {
      out.push({ kind, id, change: 'added', detail: `position ${i + 1}`, before: null, after: t });
      continue;
    }
    const fields = Object.keys({ ...old.t, ...t }).filter((k) => !same(old.t[k], t[k]));
    if (fields.length) out.push({ kind, id, change: 'changed', detail: fields.join(', '), before: old.t, after: t });
    if (ordered && keptBefore.indexOf(id) !== keptAfter.indexOf(id))
      out.push({ kind, id, change: 'moved', detail: `position ${old.i + 1} → ${i + 1}`, before: old.t, after: t });
  }
  return out;
}

/** What changed from one rule set to another, rule by rule (order matters for rules and pools). */
export function diffRuleSets(before: RuleSet, after: RuleSet): RuleSetChange[] {
  const out = [
    ...diffList('dimension', before.dimensions, after.dimensions, (d) => d.key, false),
    ...diffList('rule', before.rules, after.rules, (r) => r.id, true),
    ...diffList('pool', before.pools, after.pools, (p) => p.id, true),
    ...diffList('inherit', before.inherit, after.inherit, (i) => i.id, true),
    ...diffList('alias', before.tagAliases, after.tagAliases, (t) => t.key, false),
  ];
  for (const k of new Set([...Object.keys(before.normalize), ...Object.keys(after.normalize)]))
    if ((before.normalize[k] ?? 'none') !== (after.normalize[k] ?? 'none'))
      out.push({ kind: 'normalize', id: k, change: 'changed', detail: `${before.normalize[k] ?? 'none'} → ${after.normalize[k] ?? 'none'}`, before: before.normalize[k] ?? 'none', after: after.normalize[k] ?? 'none' });
  return out;
}

// One dimension's allocation over grouped spend: rows that form a shared-cost pool are split over its targets, the
// others go to the value their first matching rule gives, and what neither reaches stays unallocated. Pure: the
// preview runs it over rollup groups, apply over every row, and both add up the same way.
//
// Every amount is kept per period and billing currency (currencies are never summed together) and per cost basis,
// so allocated + unallocated = original holds for each of them, to the nano.
import { z } from 'zod';
import { ConditionSchema, compileCondition, aliasMap, normalizeValue, type CompiledRule, type RowReader, type RuleSetCore } from './rules';
import { evenWeights, fixedWeights, proportionalWeights, driverWeights, splitByWeights, type Weighted } from './split';

export const BASES = ['billed', 'effective', 'list', 'contracted'] as const;
export type Basis = (typeof BASES)[number];
export type Amounts = Record<Basis, bigint>;

export const SplitMethodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('even') }),
  z.object({ kind: z.literal('fixed'), percents: z.array(z.object({ target: z.string().min(1), percent: z.number().min(0).max(100) })).min(1) }),
  // one set of weights for every cost column: each target's direct cost in `basis` (EffectiveCost unless chosen)
  z.object({ kind: z.literal('proportional'), basis: z.enum(['billed', 'effective', 'list', 'contracted']).default('effective') }),
  z.object({ kind: z.literal('driver'), driver: z.string().min(1) }),
]);
export type SplitMethod = z.infer<typeof SplitMethodSchema>;

export const PoolSchema = z.object({
  id: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(120),
  dimension: z.string().min(1),
  /** the rows that form the pool: every condition must hold (first pool wins) */
  when: z.array(ConditionSchema).min(1),
  /** the values it is split over; empty = every value with direct cost in the period (a fixed split names its own) */
  targets: z.array(z.string().min(1)),
  method: SplitMethodSchema,
});
export type Pool = z.infer<typeof PoolSchema>;

/**
 * Inheritance: rows no rule matched take the value given to their sub account or billing account (an account
 * mapping), before they count as unallocated. Listed entries are tried in order (sub account first, typically).
 */
export const InheritSchema = z.object({
  id: z.string().min(1).max(40),
  dimension: z.string().min(1),
  from: z.enum(['SubAccountId', 'BillingAccountId']),
  values: z.array(z.object({ account: z.string().min(1), value: z.string().trim().min(1).max(120) })).min(1),
});
export type Inherit = z.infer<typeof InheritSchema>;

/** Imported driver data: quantity per target and period (month 'YYYY-MM'). */
export interface DriverRow {
  driver: string;
  period: string;
  target: string;
  quantity: number;
}

/** A group of spend rows with the same values of every field the rules read. */
export interface SpendGroup {
  period: string;
  currency: string;
  reader: RowReader;
  amounts: Amounts;
  rows: number;
}

export interface TargetTotals {
  target: string;
  period: string;
  currency: string;
  direct: Amounts;
  shared: Amounts;
}

export interface Unallocated {
  period: string;
  currency: string;
  /** 'no-rule': no rule matched; the others: a pool that could not be split (all weights zero, no target, fixed
   * percentages not adding up to 100) */
  reason: 'no-rule' | 'pool-zero-weights' | 'pool-no-targets' | 'pool-invalid';
  poolId: string | null;
  /** what to fix, for 'pool-invalid' ("the percentages add up to 90%, not 100%") */
  detail?: string;
  amounts: Amounts;
}

export type Outcome =
  | { kind: 'direct'; value: string; source: string }
  | { kind: 'pool'; value: null; source: string }
  | { kind: 'unallocated'; value: null; source: null };

export interface DimensionAllocation {
  dimension: string;
  targets: TargetTotals[];
  unallocated: Unallocated[];
  original: Map<string, Amounts>;
  /** rows by the rule or pool that took them (shadowed rules show 0) */
  rowsByRule: Map<string, number>;
  /** spend by the rule or pool that took it, per billing currency */
  amountsByRule: Map<string, Map<string, Amounts>>;
  /** rows no pool and no rule took */
  rowsUnmatched: number;
  /** each pool's split, per period and currency (the shares row-level splits follow) */
  poolShares: { poolId: string; period: string; currency: string; target: string; amounts: Amounts }[];
}

export const zero = (): Amounts => ({ billed: 0n, effective: 0n, list: 0n, contracted: 0n });
function addInto(into: Amounts, a: Amounts): void {
  for (const b of BASES) into[b] += a[b];
}

const keyOf = (period: string, currency: string) => `${period}\u0000${currency}`;

/**
 * What one row (or every row of one signature) gets in a dimension: the first pool whose conditions hold, else the
 * first rule's value (normalized), else its account's inherited value, else nothing. The one place this order lives.
 */
export function dimensionClassifier(
  set: RuleSetCore & { pools: Pool[]; inherit?: Inherit[] },
  compiled: readonly CompiledRule[],
  dimension: string,
): (r: RowReader) => Outcome {
  const aliases = aliasMap(set.tagAliases);
  const pools = set.pools
    .filter((p) => p.dimension === dimension)
    .map((p) => {
      const tests = p.when.map((c) => compileCondition(c, aliases));
      return { id: p.id, test: (r: RowReader) => tests.every((t) => t(r)) };
    });
  const rules = compiled.filter((c) => c.rule.dimension === dimension);
  const how = set.normalize[dimension];
  const inherits = (set.inherit ?? [])
    .filter((i) => i.dimension === dimension)
    .map((i) => ({ id: i.id, from: i.from, values: new Map(i.values.map((v) => [v.account, v.value])) }));
  return (r) => {
    for (const p of pools) if (p.test(r)) return { kind: 'pool', value: null, source: p.id };
    for (const c of rules) if (c.test(r)) return { kind: 'direct', value: normalizeValue(c.rule.value, how), source: c.rule.id };
    for (const i of inherits) {
      const account = r.column(i.from);
      const value = account === null || account === undefined ? undefined : i.values.get(String(account));
      if (value !== undefined) return { kind: 'direct', value: normalizeValue(value, how), source: i.id };
    }
    return { kind: 'unallocated', value: null, source: null };
  };
}

export function allocateDimension(
  set: RuleSetCore & { pools: Pool[]; inherit?: Inherit[] },
  compiled: readonly CompiledRule[],
  dimension: string,
  groups: Iterable<SpendGroup>,
  drivers: readonly DriverRow[],
): DimensionAllocation {
  const classify = dimensionClassifier(set, compiled, dimension);
  const poolById = new Map(set.pools.filter((p) => p.dimension === dimension).map((p) => [p.id, p]));
  const how = set.normalize[dimension];

  const direct = new Map<string, Map<string, Amounts>>(); // period|currency → target → amounts
  const pooled = new Map<string, Map<string, Amounts>>(); // pool id → period|currency → amounts
  const unmatched = new Map<string, Amounts>();
  const original = new Map<string, Amounts>();
  const rowsByRule = new Map<string, number>();
  const amountsByRule = new Map<string, Map<string, Amounts>>();
  const takenBy = (id: string, currency: string, a: Amounts) => {
    let m = amountsByRule.get(id);
    if (!m) amountsByRule.set(id, (m = new Map()));
    addInto(bump(m, currency), a);
  };
  let rowsUnmatched = 0;
  const bump = <K>(m: Map<K, Amounts>, k: K): Amounts => {
    let a = m.get(k);
    if (!a) m.set(k, (a = zero()));
    return a;
  };

  for (const g of groups) {
    const pk = keyOf(g.period, g.currency);
    addInto(bump(original, pk), g.amounts);
    const o = classify(g.reader);
    if (o.kind === 'pool') {
      let byPeriod = pooled.get(o.source);
      if (!byPeriod) pooled.set(o.source, (byPeriod = new Map()));
      addInto(bump(byPeriod, pk), g.amounts);
      rowsByRule.set(o.source, (rowsByRule.get(o.source) ?? 0) + g.rows);
      takenBy(o.source, g.currency, g.amounts);
      continue;
    }
    if (o.kind === 'unallocated') {
      rowsUnmatched += g.rows;
      addInto(bump(unmatched, pk), g.amounts);
      continue;
    }
    rowsByRule.set(o.source, (rowsByRule.get(o.source) ?? 0) + g.rows);
    takenBy(o.source, g.currency, g.amounts);
    let byTarget = direct.get(pk);
    if (!byTarget) direct.set(pk, (byTarget = new Map()));
    addInto(bump(byTarget, o.value), g.amounts);
  }

  const shared = new Map<string, Map<string, Amounts>>();
  const poolShares: DimensionAllocation['poolShares'] = [];
  const unallocated: Unallocated[] = [];
  for (const [pk, amounts] of unmatched) {
    const [period, currency] = pk.split('\u0000') as [string, string];
    unallocated.push({ period, currency, reason: 'no-rule', poolId: null, amounts });
  }
  for (const pool of poolById.values()) {
    for (const [pk, amounts] of pooled.get(pool.id) ?? []) {
      const [period, currency] = pk.split('\u0000') as [string, string];
      const directHere = direct.get(pk) ?? new Map<string, Amounts>();
      const targets = pool.targets.length ? pool.targets.map((t) => normalizeValue(t, how)) : [...directHere.keys()].sort();
      const perBasis = BASES.map((b) => {
        const weights = weightsFor(pool, b, targets, directHere, drivers, period, how);
        return 'error' in weights ? { b, r: null, error: weights.error } : { b, r: splitByWeights(amounts[b], weights), error: null };
      });
      // one basis refused (all zero) means the pool stays whole: a pool is split on every basis or on none
      const refused = perBasis.find((x) => !x.r || !x.r.ok);
      if (refused) {
        const reason = !refused.r ? 'pool-invalid' : !refused.r.ok && refused.r.reason === 'no-targets' ? 'pool-no-targets' : 'pool-zero-weights';
        unallocated.push({ period, currency, reason, poolId: pool.id, ...(refused.error ? { detail: `pool ${pool.id}: ${refused.error}` } : {}), amounts });
        continue;
      }
      let byTarget = shared.get(pk);
      if (!byTarget) shared.set(pk, (byTarget = new Map()));
      const mine = new Map<string, Amounts>();
      for (const { b, r } of perBasis)
        if (r?.ok)
          for (const s of r.shares) {
            bump(byTarget, s.target)[b] += s.amount;
            bump(mine, s.target)[b] += s.amount;
          }
      for (const [target, a] of mine) poolShares.push({ poolId: pool.id, period, currency, target, amounts: a });
    }
  }

  const targets: TargetTotals[] = [];
  for (const pk of new Set([...direct.keys(), ...shared.keys()])) {
    const [period, currency] = pk.split('\u0000') as [string, string];
    const d = direct.get(pk);
    const s = shared.get(pk);
    for (const target of new Set([...(d?.keys() ?? []), ...(s?.keys() ?? [])]))
      targets.push({ target, period, currency, direct: d?.get(target) ?? zero(), shared: s?.get(target) ?? zero() });
  }
  targets.sort((a, b) => a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency) || a.target.localeCompare(b.target));
  return { dimension, targets, unallocated, original, rowsByRule, amountsByRule, rowsUnmatched, poolShares };
}

function weightsFor(
  pool: Pool,
  basis: Basis,
  targets: readonly string[],
  directHere: ReadonlyMap<string, Amounts>,
  drivers: readonly DriverRow[],
  period: string,
  how: Parameters<typeof normalizeValue>[1],
): Weighted[] | { error: string } {
  const m = pool.method;
  switch (m.kind) {
    case 'even':
      return evenWeights(targets);
    case 'fixed': {
      const r = fixedWeights(m.percents.map((p) => ({ target: normalizeValue(p.target, how), percent: p.percent })));
      return r.ok ? r.weights : { error: r.message };
    }
    case 'proportional':
      // one ratio for every cost column: each target's direct cost in the pool's basis (EffectiveCost unless chosen:
      // what it consumed, after discounts), so a split row keeps unit price × quantity and chargeback by any cost
      // column follows the same shares
      return proportionalWeights(targets.map((t) => ({ target: t, cost: directHere.get(t)?.[m.basis ?? 'effective'] ?? 0n })));
    case 'driver': {
      const q = new Map<string, number>();
      for (const d of drivers)
        if (d.driver === m.driver && d.period === period.slice(0, 7)) q.set(normalizeValue(d.target, how), (q.get(normalizeValue(d.target, how)) ?? 0) + d.quantity);
      return driverWeights(targets.map((t) => ({ target: t, quantity: q.get(t) ?? 0 })));
    }
  }
}

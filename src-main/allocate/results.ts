// What an allocation run amounts to, in the shapes the contract and the store need: checks per dimension and
// currency (computed in nanos, so a difference is never hidden by floating point), the cells apply stores, and
// the signature outcomes rows are joined with.
import { BASES, type Amounts, type Basis, type DimensionAllocation } from '../../src-shared/allocate/evaluate';
import type { Metric } from '../../src-shared/api/contract';
import type { AllocationCheck } from '../../src-shared/api/allocation';
import { NANOS_PER_UNIT } from '../store/cost-columns';
import type { AllocationRun } from './compute';
import type { SigGroups } from './groups';

export const BASIS_OF: Record<Metric, Basis> = { BilledCost: 'billed', EffectiveCost: 'effective', ListCost: 'list', ContractedCost: 'contracted' };

/** Nanos to currency units (exact to the nano for any amount below 2^53 nanos, i.e. 9 million units). */
export const units = (n: bigint): number => {
  const whole = n / NANOS_PER_UNIT;
  return Number(whole) + Number(n - whole * NANOS_PER_UNIT) / 1e9;
};

const sumBy = <T>(items: Iterable<T>, key: (t: T) => string, amount: (t: T) => bigint): Map<string, bigint> => {
  const m = new Map<string, bigint>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0n) + amount(t));
  return m;
};

/** Per currency: original, what reached targets, what did not, and the difference (0 unless something is wrong). */
export function checksOf(d: DimensionAllocation, basis: Basis): AllocationCheck[] {
  const original = sumBy(d.original, ([pk]) => pk.split('\u0000')[1]!, ([, a]) => a[basis]);
  const allocated = sumBy(d.targets, (t) => t.currency, (t) => t.direct[basis] + t.shared[basis]);
  const unallocated = sumBy(d.unallocated, (u) => u.currency, (u) => u.amounts[basis]);
  return [...original.keys()].sort().map((currency) => {
    const o = original.get(currency) ?? 0n;
    const a = allocated.get(currency) ?? 0n;
    const u = unallocated.get(currency) ?? 0n;
    return {
      currency,
      original: units(o),
      allocated: units(a),
      unallocated: units(u),
      difference: units(o - a - u),
      coverage: o === 0n ? 100 : Number((a * 1_000_000n) / o) / 10_000,
    };
  });
}

export interface CellRow {
  dim: string;
  month: string;
  currency: string;
  target: string | null;
  kind: 'direct' | 'shared' | 'unallocated';
  source: string;
  amounts: Amounts;
}

/** The cells apply stores: direct spend per target, each pool's split per target, and the unallocated remainder. */
export function cellsOf(run: AllocationRun): CellRow[] {
  const out: CellRow[] = [];
  for (const d of run.dimensions) {
    for (const t of d.targets)
      if (BASES.some((b) => t.direct[b] !== 0n)) out.push({ dim: d.dimension, month: t.period, currency: t.currency, target: t.target, kind: 'direct', source: '', amounts: t.direct });
    for (const s of d.poolShares) out.push({ dim: d.dimension, month: s.period, currency: s.currency, target: s.target, kind: 'shared', source: s.poolId, amounts: s.amounts });
    for (const u of d.unallocated)
      out.push({ dim: d.dimension, month: u.period, currency: u.currency, target: null, kind: 'unallocated', source: u.poolId ? `${u.reason}:${u.poolId}` : u.reason, amounts: u.amounts });
  }
  return out;
}

/** The key a raw row's read columns make (values joined by commas, in signature column order). */
export function sigKey(groups: SigGroups, i: number): string {
  let k = '';
  for (let c = 0; c < groups.cols.length; c++) k += c ? `,${groups.keys[c]![i]}` : `${groups.keys[c]![i]}`;
  return k;
}

export interface SigRow {
  sig: string;
  dim: string;
  kind: 'direct' | 'pool' | 'unallocated';
  value: string | null;
  source: string | null;
}

/** What every signature got, per dimension (one row per distinct signature). */
export function sigRowsOf(run: AllocationRun, groups: SigGroups): SigRow[] {
  const firstGroup = new Map<number, number>();
  for (let i = 0; i < groups.n; i++) if (!firstGroup.has(run.readerOf[i]!)) firstGroup.set(run.readerOf[i]!, i);
  const out: SigRow[] = [];
  run.dimensions.forEach((d, di) => {
    const o = run.outcomes[di]!;
    for (const [s, i] of firstGroup) {
      const x = o.list[o.of[s]!]!;
      out.push({ sig: sigKey(groups, i), dim: d.dimension, kind: x.kind, value: x.value, source: x.source });
    }
  });
  return out;
}

// The applied allocation of one dimension written with exported rows, as FOCUS 1.4 allocation data: every row gets an
// `x_<Key>` column (its target; empty when nothing took it), and a row of a shared-cost pool is written once per
// target of the pool's split for its month and currency, carrying AllocatedMethodId, AllocatedMethodDetails,
// AllocatedResourceId, AllocatedResourceName and AllocatedTags. A row's outcome comes from what apply stored per
// signature (alloc_sig), the split from the pool's shares (alloc_cell), as explore does for x_<Key>.
//
// Each row has one ratio per target (AllocatedRatio): the pool's split weights (even, fixed percentages, each target's
// direct cost in the pool's basis for proportional — one set of weights for every cost column, as apply uses; the stored shares
// for a driver, whose data may have changed since), rounded to 1e-12 by largest remainder so a row's ratios add up to
// exactly 1. Its quantities are multiplied by it and its unit prices kept, so unit price × PricingQuantity holds on
// every part as on the row, and chargeback summed by x_<Key> in any cost column is the showback's.
//
// Every cost column is split in nanos by largest remainder: a row's parts add up to the row exactly, and the parts of
// a pool's rows to its shares within a nano a row.
import { normalizeValue } from '../../src-shared/allocate/rules';
import { BASES } from '../../src-shared/allocate/evaluate';
import { RuleSetSchema, type RuleSet } from '../../src-shared/allocate/ruleset';
import { decimalWeight, splitByWeights, type Weighted } from '../../src-shared/allocate/split';
import { EngineError } from '../engine/errors';
import { isoMonth, monthOfDay } from '../ingest/datetime';
import type { Db } from '../store/workspace';
import type { ExportColumn, ExportValue } from './export-rows';

/** Cost columns split over targets, by the basis of the pool's shares that weighs them. */
const MONEY_BASIS: Record<string, number> = { BilledCost: 0, EffectiveCost: 1, ListCost: 2, ContractedCost: 3, PricingCurrencyEffectiveCost: 1 };
/** Quantities of the row, multiplied by each target's ratio. */
const QUANTITIES = ['ConsumedQuantity', 'PricingQuantity', 'CommitmentDiscountQuantity'];
const RATIO_UNITS = 1_000_000_000_000n;

/** One pool's split in one month and billing currency, ready to apply to each of its rows. */
interface PoolSplit {
  targets: string[];
  /** per basis (billed, effective, list, contracted): |share| of each target, or the ratio's weights when all are 0 */
  weights: Weighted[][];
  ratios: number[];
  /** per target: the values of AllocatedMethodId, AllocatedMethodDetails, AllocatedResourceId, …Name, …Tags */
  columns: [string, string, string, string, string][];
}

export interface AllocationExport {
  /** the column added to every row: `x_<Key>` */
  column: ExportColumn;
  /** SQL over `cost_usage r` readPages appends to each row: the day, then the signature columns */
  tail: string[];
  /** The columns to read: an imported extras column of the same name gives way to the allocation's (as in explore). */
  readColumns(columns: ExportColumn[]): ExportColumn[];
  /** Pages of read rows (`columns` + tail) → pages of written rows (`columns` + x_<Key>), pooled rows split. */
  expand(columns: ExportColumn[], pages: Iterable<ExportValue[][]>): Generator<ExportValue[][]>;
}

function appliedVersion(db: Db): { id: number; set: RuleSet; sigCols: string[] } {
  const row = db.prepare('SELECT id, ruleset, sig_cols FROM alloc_version ORDER BY id DESC LIMIT 1').get() as
    | { id: number; ruleset: string; sig_cols: string }
    | undefined;
  if (!row) throw new EngineError('not-found', 'No allocation is applied in this workspace: apply a rule set on the Allocation screen (or meterbook allocate --apply) first, or export without an allocation');
  return { id: row.id, set: RuleSetSchema.parse(JSON.parse(row.ruleset)), sigCols: JSON.parse(row.sig_cols) as string[] };
}

/** The basis the stated ratio follows first (list), then the others when the pool has nothing in it that month. */
const RATIO_BASES = [2, 0, 1, 3];

const abs = (n: bigint) => (n < 0n ? -n : n);
const hasWeight = (w: readonly Weighted[]) => w.some((x) => x.weight !== 0n);

type Cell = [pool: string, month: string, currency: string, target: string, billed: bigint, effective: bigint, list: bigint, contracted: bigint];

function loadSplits(db: Db, version: number, set: RuleSet, key: string, label: string): Map<string, PoolSplit> {
  const pools = new Map(set.pools.map((p) => [p.id, p]));
  const how = set.normalize[key];
  const sums = (kind: string) =>
    db
      .prepare(
        `SELECT source, month, currency, target, sum(billed), sum(effective), sum(list), sum(contracted) FROM alloc_cell
         WHERE dim = ? AND kind = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      )
      .raw()
      .safeIntegers(true)
      .all(key, kind) as Cell[];
  // each target's direct cost per month and currency: the weights of a proportional split
  const direct = new Map<string, bigint[]>();
  for (const [, month, currency, target, ...amounts] of sums('direct')) {
    const k = `${month}\u0000${currency}\u0000${target}`;
    const d = direct.get(k) ?? [0n, 0n, 0n, 0n];
    amounts.forEach((a, b) => (d[b]! += a));
    direct.set(k, d);
  }
  const grouped = new Map<string, { pool: string; month: string; currency: string; shares: { target: string; amounts: bigint[] }[] }>();
  for (const [pool, month, currency, target, ...amounts] of sums('shared')) {
    const k = `${pool}\u0000${month}\u0000${currency}`;
    const g = grouped.get(k) ?? { pool, month, currency, shares: [] };
    g.shares.push({ target, amounts });
    grouped.set(k, g);
  }
  const out = new Map<string, PoolSplit>();
  for (const [k, g] of grouped) {
    const pool = pools.get(g.pool);
    const targets = g.shares.map((s) => s.target);
    const stored = [0, 1, 2, 3].map((b) => g.shares.map((s) => ({ target: s.target, weight: abs(s.amounts[b]!) })));
    const method = pool?.method;
    let perBasis: Weighted[][];
    if (method?.kind === 'even') perBasis = [0, 1, 2, 3].map(() => targets.map((target) => ({ target, weight: 1n })));
    else if (method?.kind === 'fixed') {
      const percent = new Map(method.percents.map((p) => [normalizeValue(p.target, how), decimalWeight(p.percent)]));
      perBasis = [0, 1, 2, 3].map(() => targets.map((target) => ({ target, weight: percent.get(target) ?? 0n })));
    } else if (method?.kind === 'proportional') {
      // every cost column by the targets' direct cost in the pool's basis, as apply splits it (allocate/evaluate.ts)
      const at = BASES.indexOf(method.basis);
      const weights = targets.map((target) => {
        const cost = direct.get(`${g.month}\u0000${g.currency}\u0000${target}`)?.[at] ?? 0n;
        return { target, weight: cost > 0n ? cost : 0n };
      });
      perBasis = [0, 1, 2, 3].map(() => weights);
    } else perBasis = stored;
    // weights all zero in a basis (a fixed split naming none of the stored targets): the stored shares decide
    perBasis = perBasis.map((w, b) => (hasWeight(w) ? w : stored[b]!));
    const ratioBasis = RATIO_BASES.find((b) => hasWeight(perBasis[b]!));
    // every weight zero in every basis: nothing says how its rows divide, so they stay whole and unallocated
    if (ratioBasis === undefined) continue;
    const ratio = perBasis[ratioBasis]!;
    const split = splitByWeights(RATIO_UNITS, ratio);
    if (!split.ok) continue;
    const ratios = split.shares.map((s) => Number(s.amount) / Number(RATIO_UNITS));
    out.set(k, {
      targets,
      // list and contracted by the ratio; a basis without weights (the pool is zero in it that month) too
      weights: perBasis.map((w, b) => (b < 2 && hasWeight(w) ? w : ratio)),
      ratios,
      columns: targets.map((t, i) => [
        `meterbook:${key}:${g.pool}`,
        JSON.stringify({ Elements: [{ AllocatedRatio: ratios[i] }], x_Pool: pool?.name ?? g.pool, x_Method: method?.kind ?? 'unknown', x_Version: version }),
        t,
        `${label}: ${t}`,
        JSON.stringify({ [key]: t }),
      ]),
    });
  }
  return out;
}

/** Refuses a dimension the applied version does not have; `Team`, `team` and `x_Team` name the same one. */
export function allocationExport(db: Db, dimension: string): AllocationExport {
  const applied = appliedVersion(db);
  const wanted = dimension.replace(/^x_/i, '').toLowerCase();
  const dim = applied.set.dimensions.find((d) => d.key === dimension) ?? applied.set.dimensions.find((d) => d.key.toLowerCase() === wanted);
  if (!dim) {
    throw new EngineError(
      'not-found',
      `The applied allocation (version ${applied.id}) has no dimension '${dimension}'; it has ${applied.set.dimensions.map((d) => d.key).join(', ') || 'none'}`,
    );
  }
  const name = `x_${dim.key}`;
  const outcomes = new Map<string, { pool: string | null; value: string | null }>();
  for (const r of db.prepare('SELECT sig, kind, value, source FROM alloc_sig WHERE dim = ?').all(dim.key) as { sig: string; kind: string; value: string | null; source: string | null }[])
    outcomes.set(r.sig, r.kind === 'pool' ? { pool: r.source, value: null } : { pool: null, value: r.kind === 'direct' ? r.value : null });
  const splits = loadSplits(db, applied.id, applied.set, dim.key, dim.label);
  // the signature exactly as apply keyed it (results.ts sigKey): stored values, null as 0, joined by commas
  const tail = ['r.day', ...applied.sigCols.map((c) => (c === 'tagset' || c === 'extras' ? `coalesce(r.${c}, 0)` : `coalesce(r."${c}", 0)`))];

  return {
    column: { name, kind: 'text', extra: true },
    tail,
    readColumns: (columns) => columns.filter((c) => !(c.extra && c.name.toLowerCase() === name.toLowerCase())),
    *expand(columns, pages) {
      const at = (n: string) => columns.findIndex((c) => c.name === n);
      const money = Object.entries(MONEY_BASIS)
        .map(([n, b]) => [at(n), b] as const)
        .filter(([i]) => i >= 0);
      const quantities = QUANTITIES.map(at).filter((i) => i >= 0);
      const allocated = ['AllocatedMethodId', 'AllocatedMethodDetails', 'AllocatedResourceId', 'AllocatedResourceName', 'AllocatedTags'].map(at);
      const currencyAt = at('BillingCurrency');
      const width = columns.length;
      const months = new Map<number, string>();
      for (const page of pages) {
        const out: ExportValue[][] = [];
        for (const r of page) {
          let sig = '';
          for (let j = 1; j < tail.length; j++) sig += j > 1 ? `,${String(r[width + j])}` : String(r[width + j]);
          const o = outcomes.get(sig);
          const row = r.slice(0, width);
          let split: PoolSplit | undefined;
          if (o?.pool) {
            const day = Number(r[width]);
            let month = months.get(day);
            if (month === undefined) months.set(day, (month = isoMonth(monthOfDay(day))));
            split = splits.get(`${o.pool}\u0000${month}\u0000${(currencyAt >= 0 ? (r[currencyAt] as string | null) : null) ?? ''}`);
          }
          if (!split) {
            // direct: its target; unallocated, a pool the version could not split, a signature it never saw: empty
            row.push(o?.value ?? null);
            out.push(row);
            continue;
          }
          const parts = money.map(([i, b]) => {
            const v = row[i];
            if (v === null || v === undefined) return null;
            const s = splitByWeights(v as bigint, split.weights[b]!);
            // cannot fail: loadSplits keeps only weights with a non-zero total
            if (!s.ok) throw new EngineError('internal', `pool ${o!.pool}: its ${columns[i]!.name} split has no weights`);
            return s.shares;
          });
          split.targets.forEach((target, t) => {
            const ratio = split.ratios[t]!;
            // a target with no part of this row in any basis gets no row of it
            if (ratio === 0 && parts.every((p) => p === null || p[t]!.amount === 0n)) return;
            const part = row.slice();
            money.forEach(([i], m) => {
              if (parts[m]) part[i] = parts[m][t]!.amount;
            });
            for (const i of quantities) if (typeof part[i] === 'number') part[i] = (part[i] as number) * ratio;
            allocated.forEach((i, c) => {
              if (i >= 0) part[i] = split.columns[t]![c]!;
            });
            part.push(target);
            out.push(part);
          });
        }
        yield out;
      }
    },
  };
}

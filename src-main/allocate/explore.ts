// Explore by an applied allocation dimension (x_Team): the same questions as any column, answered from what apply
// stored. Whole months grouped by the dimension alone read alloc_cell (exact, a few rows); anything else (days or
// weeks, other filters or groupings) groups raw rows by the signature columns, gives each signature its stored
// outcome, and splits pooled spend by the pool's shares of that month (largest remainder per output cell, so every
// cell and the total stay exact).
import type { Filter, Metric, ParsedInput } from '../../src-shared/api/contract';
import { splitByWeights } from '../../src-shared/allocate/split';
import { RuleSetSchema } from '../../src-shared/allocate/ruleset';
import { EngineError } from '../engine/errors';
import { daysFromCivil, dayFromIso, isoMonth, monthOfDay } from '../ingest/datetime';
import { addFilters, addRowDateRange, keyExpr, provideRowConditions, resolveColumn, whereSql, type ColumnRef, type DictLookup, type SqlParts } from '../explore/scope';
import { MONTH_START_SQL } from '../store/cubes';
import type { Db } from '../store/workspace';
import { BASIS_OF } from './results';

export interface AppliedAllocation {
  version: number;
  /** lower-cased `x_<Key>` → Key */
  columns: Map<string, string>;
  labels: Map<string, string>;
  sigCols: string[];
}

export function loadApplied(db: Db): AppliedAllocation | null {
  const row = db.prepare('SELECT id, ruleset, sig_cols FROM alloc_version ORDER BY id DESC LIMIT 1').get() as
    | { id: number; ruleset: string; sig_cols: string }
    | undefined;
  if (!row) return null;
  const set = RuleSetSchema.parse(JSON.parse(row.ruleset));
  return {
    version: row.id,
    columns: new Map(set.dimensions.map((d) => [`x_${d.key}`.toLowerCase(), d.key])),
    labels: new Map(set.dimensions.map((d) => [d.key, d.label])),
    sigCols: JSON.parse(row.sig_cols) as string[],
  };
}

const appliedByDb = new WeakMap<Db, { dataVersion: number; value: AppliedAllocation | null }>();

/** The applied allocation of a connection's workspace, re-read when the file changed. */
export function appliedOf(db: Db): AppliedAllocation | null {
  const v = db.pragma('data_version', { simple: true }) as number;
  let hit = appliedByDb.get(db);
  if (hit?.dataVersion !== v) appliedByDb.set(db, (hit = { dataVersion: v, value: loadApplied(db) }));
  return hit.value;
}

/**
 * Raw rows whose allocation in the filter's dimension reaches one of its values (null: unallocated, or imported after
 * the apply). A pooled row reaches every target its pool is split over: the rows grid lists whole rows, not parts.
 */
export function allocationRowCondition(db: Db, f: Filter, alias: string): { sql: string; params: unknown[] } | null {
  const applied = appliedOf(db);
  const dim = allocationDimOf(f.column, applied);
  if (!applied || !dim) return null;
  const sig = applied.sigCols.length
    ? applied.sigCols.map((c) => `coalesce(${alias}.${c === 'tagset' || c === 'extras' ? c : `"${c}"`}, 0)`).join(` || ',' || `)
    : `''`;
  const values = f.values.filter((v): v is string => v !== null);
  const marks = values.map(() => '?').join(', ');
  const reach: string[] = [];
  const params: unknown[] = [dim];
  if (values.length) {
    reach.push(`(kind = 'direct' AND value IN (${marks}))`, `(kind = 'pool' AND source IN (SELECT source FROM alloc_cell WHERE dim = ? AND kind = 'shared' AND target IN (${marks})))`);
    params.push(...values, dim, ...values);
  }
  if (f.values.includes(null)) reach.push(`kind = 'unallocated'`);
  let sql = reach.length ? `${sig} IN (SELECT sig FROM alloc_sig WHERE dim = ? AND (${reach.join(' OR ')}))` : '0';
  if (!reach.length) params.length = 0;
  if (f.values.includes(null)) {
    sql = `(${sql} OR ${sig} NOT IN (SELECT sig FROM alloc_sig WHERE dim = ?))`;
    params.push(dim);
  }
  return { sql: f.exclude ? `NOT ${sql}` : sql, params };
}
provideRowConditions(allocationRowCondition);

/** A view that sums spend cannot take a filter on an allocation dimension (pooled rows would count whole): say so. */
export function refuseAllocationFilters(db: Db, filters: readonly Filter[], what: string): void {
  const applied = appliedOf(db);
  const f = filters.find((x) => allocationDimOf(x.column, applied));
  if (f) throw new EngineError('unsupported', `${what} cannot filter by the allocation dimension ${f.column} (shared-cost rows count in part only); remove that filter, or use the Overview or the showback`);
}

/** The allocation dimension a column reference names (`x_Team`, any case), or null. */
export const allocationDimOf = (ref: string, applied: AppliedAllocation | null): string | null => applied?.columns.get(ref.toLowerCase()) ?? null;

type RawRows = unknown[][];

const monthStart = (ym: string) => daysFromCivil(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 1);
const isFirstOfMonth = (iso: string) => iso.endsWith('-01');
const isLastOfMonth = (iso: string) => new Date((dayFromIso(iso) + 1) * 86_400_000).getUTCDate() === 1;

function keepValue(v: string | null, filters: readonly Filter[]): boolean {
  return filters.every((f) => f.values.includes(v) !== Boolean(f.exclude));
}

/**
 * Rows [day?, currency id, key…, nanos] for shape(): the allocation dimension's key is its text (null =
 * unallocated), other keys as the raw plans return them.
 */
export function allocationRows(db: Db, dict: DictLookup, input: ParsedInput<'explore.query'>, applied: AppliedAllocation): { raw: RawRows; source: string } {
  const dims = new Set([...input.groupBy, ...input.filters.map((f) => f.column)].map((c) => allocationDimOf(c, applied)).filter((d): d is string => d !== null));
  if (dims.size > 1) throw new EngineError('unsupported', `Group and filter by one allocation dimension at a time (${[...dims].join(' or ')}), not several`);
  const dim = [...dims][0]!;
  const allocFilters = input.filters.filter((f) => allocationDimOf(f.column, applied));
  const otherFilters = input.filters.filter((f) => !allocationDimOf(f.column, applied));
  const col = BASIS_OF[input.metric];

  const fast =
    input.groupBy.every((g) => allocationDimOf(g, applied)) &&
    otherFilters.every((f) => resolveColumn(f.column).label === 'BillingCurrency') &&
    (input.granularity === undefined || input.granularity === 'month') &&
    (!input.from || isFirstOfMonth(input.from)) &&
    (!input.to || isLastOfMonth(input.to));
  if (fast) {
    const where = ['dim = ?'];
    const params: unknown[] = [dim];
    if (input.from) {
      where.push('month >= ?');
      params.push(input.from.slice(0, 7));
    }
    if (input.to) {
      where.push('month <= ?');
      params.push(input.to.slice(0, 7));
    }
    const rows = db
      .prepare(`SELECT month, currency, target, sum(${col}) FROM alloc_cell WHERE ${where.join(' AND ')} GROUP BY month, currency, target`)
      .raw()
      .safeIntegers(true)
      .all(...params) as [string, string, string | null, bigint][];
    const raw: RawRows = [];
    for (const [month, currency, target, nanos] of rows) {
      if (!keepValue(currency, otherFilters) || !keepValue(target, allocFilters)) continue;
      const keys = input.groupBy.map(() => target);
      raw.push([...(input.granularity ? [monthStart(month)] : []), dict.id(currency) ?? 0, ...keys, nanos]);
    }
    return { raw, source: 'alloc_cell' };
  }

  const raw = fromRows(db, dict, input, applied, dim, allocFilters, otherFilters, [input.metric], false);
  return { raw, source: 'rows+allocation' };
}


/**
 * Raw rows grouped by signature (and the other keys), each signature given its stored outcome, pooled spend split by
 * the month's shares of each measure's basis. Rows [day?, currency id, key…, nanos per measure…, row count?].
 */
function fromRows(
  db: Db,
  dict: DictLookup,
  input: Pick<ParsedInput<'explore.query'>, 'groupBy' | 'granularity' | 'from' | 'to'>,
  applied: AppliedAllocation,
  dim: string,
  allocFilters: readonly Filter[],
  otherFilters: Filter[],
  measures: readonly Metric[],
  withRows: boolean,
): RawRows {
  const outcome = new Map<string, { kind: string; value: string | null; source: string | null }>();
  for (const r of db.prepare('SELECT sig, kind, value, source FROM alloc_sig WHERE dim = ?').all(dim) as { sig: string; kind: string; value: string | null; source: string | null }[])
    outcome.set(r.sig, r);
  // pool, month and currency → each target's weight: its |share| in the cost column where the pool's shares are
  // largest. Every split method weighs all cost columns alike, so any column with shares gives the same proportions,
  // and one that is all zero (EffectiveCost 0 on every pooled row) cannot leave a row unsplit.
  const byPool = new Map<string, { target: string; amounts: bigint[] }[]>();
  for (const [pool, month, currency, target, ...amounts] of db
    .prepare(`SELECT source, month, currency, target, sum(billed), sum(effective), sum(list), sum(contracted) FROM alloc_cell WHERE dim = ? AND kind = 'shared' GROUP BY 1, 2, 3, 4`)
    .raw()
    .safeIntegers(true)
    .all(dim) as [string, string, string, string, bigint, bigint, bigint, bigint][]) {
    const k = `${pool}\u0000${month}\u0000${currency}`;
    byPool.set(k, [...(byPool.get(k) ?? []), { target, amounts: amounts.map((x) => (x < 0n ? -x : x)) }]);
  }
  const shares = new Map<string, { target: string; weight: bigint }[]>();
  for (const [k, list] of byPool) {
    const totals = [0, 1, 2, 3].map((b) => list.reduce((sum, x) => sum + x.amounts[b]!, 0n));
    const b = totals.indexOf(totals.reduce((m, t) => (t > m ? t : m), 0n));
    shares.set(k, list.map((x) => ({ target: x.target, weight: x.amounts[b]! })));
  }

  const parts: SqlParts = { joins: [], where: [], params: [] };
  const groupRefs: (ColumnRef | null)[] = input.groupBy.map((g) => (allocationDimOf(g, applied) ? null : resolveColumn(g)));
  const otherKeys = groupRefs.map((g) => (g ? (g.kind === 'column' && g.storage === 'time' ? `r."${g.name}"` : keyExpr(g, 'cost_usage', 'r', dict, parts)) : null));
  const sigExprs = applied.sigCols.map((c) => (c === 'tagset' || c === 'extras' ? `coalesce(r.${c}, 0)` : `coalesce(r."${c}", 0)`));
  addRowDateRange(db, parts, 'r', input.from, input.to);
  addFilters(parts, otherFilters, 'cost_usage', 'r', dict);
  const select = [input.granularity ? 'r.day' : MONTH_START_SQL('r.day'), 'coalesce(r."BillingCurrency", 0)', ...sigExprs, ...otherKeys.filter((k): k is string => k !== null)];
  const sums = [...measures.map((m) => `sum(coalesce(r."${m}", 0))`), 'count(*)'];
  const sql = `SELECT ${select.join(', ')}, ${sums.join(', ')} FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)}
    GROUP BY ${select.map((_, i) => i + 1).join(', ')}`;
  const currencyText = dict.values(db.prepare('SELECT DISTINCT currency FROM rollup_dim WHERE dim = 0').pluck().all() as number[]);

  const out: RawRows = [];
  const nSig = sigExprs.length;
  const nM = measures.length;
  const monthOf = new Map<number, string>();
  const pooled = new Map<string, { day: number; currency: number; others: unknown[]; pool: string; month: string; nanos: bigint[]; rows: number }>();
  const emit = (day: number, currency: number, others: unknown[], value: string | null, nanos: bigint[], rows: number) => {
    if (!keepValue(value, allocFilters)) return;
    let o = 0;
    const keys = groupRefs.map((g) => (g ? others[o++] : value));
    out.push([...(input.granularity ? [day] : []), currency, ...keys, ...nanos, ...(withRows ? [BigInt(rows)] : [])]);
  };
  for (const r of db.prepare(sql).raw().safeIntegers(true).iterate(...parts.params) as Iterable<unknown[]>) {
    const day = Number(r[0]);
    const currency = Number(r[1]);
    const sig = r.slice(2, 2 + nSig).map((v) => String(v)).join(',');
    const others = r.slice(2 + nSig, r.length - nM - 1);
    const nanos = r.slice(r.length - nM - 1, r.length - 1).map((v) => BigInt((v as bigint | null) ?? 0n));
    const rows = Number(r[r.length - 1]);
    const o = outcome.get(sig);
    if (o?.kind === 'pool') {
      let month = monthOf.get(day);
      if (!month) monthOf.set(day, (month = isoMonth(monthOfDay(day))));
      const k = `${day}\u0000${currency}\u0000${JSON.stringify(others, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\u0000${o.source}`;
      const p = pooled.get(k);
      if (p) {
        nanos.forEach((n, i) => (p.nanos[i] = p.nanos[i]! + n));
        p.rows += rows;
      } else pooled.set(k, { day, currency, others, pool: o.source!, month, nanos, rows });
    } else emit(day, currency, others, o?.kind === 'direct' ? o.value : null, nanos, rows);
  }
  for (const p of pooled.values()) {
    const key = `${p.pool}\u0000${p.month}\u0000${currencyText.get(p.currency) ?? ''}`;
    const weights = shares.get(key) ?? [];
    const splits = measures.map((_, i) => splitByWeights(p.nanos[i]!, weights));
    // a pool the applied version could not split (or rows of a month it never saw) stays unallocated
    if (splits.some((x) => !x.ok)) {
      emit(p.day, p.currency, p.others, null, p.nanos, p.rows);
      continue;
    }
    const targets = new Set(splits.flatMap((x) => (x.ok ? x.shares.map((sh) => sh.target) : [])));
    for (const t of targets) {
      const parts = splits.map((x) => (x.ok ? (x.shares.find((sh) => sh.target === t)?.amount ?? 0n) : 0n));
      // the pool's rows reach every target that gets a part of them (a target weighing zero gets none)
      if (parts.some((n) => n !== 0n)) emit(p.day, p.currency, p.others, t, parts, p.rows);
    }
  }
  return out;
}

/** KPIs of a scope filtered by an allocation dimension: [currency id, billed, effective, list, contracted, rows]. */
export function allocationKpiRows(db: Db, dict: DictLookup, scope: { from?: string | undefined; to?: string | undefined; filters: Filter[] }, applied: AppliedAllocation): bigint[][] {
  const dims = new Set(scope.filters.map((f) => allocationDimOf(f.column, applied)).filter((d): d is string => d !== null));
  if (dims.size > 1) throw new EngineError('unsupported', `Filter by one allocation dimension at a time (${[...dims].join(' or ')}), not several`);
  const dim = [...dims][0]!;
  const allocFilters = scope.filters.filter((f) => allocationDimOf(f.column, applied));
  const otherFilters = scope.filters.filter((f) => !allocationDimOf(f.column, applied));
  const input = { groupBy: [], granularity: undefined, from: scope.from, to: scope.to };
  const rows = fromRows(db, dict, input, applied, dim, allocFilters, otherFilters, ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'], true);
  const byCurrency = new Map<number, bigint[]>();
  for (const r of rows) {
    const cur = Number(r[0]);
    const acc = byCurrency.get(cur) ?? [0n, 0n, 0n, 0n, 0n];
    for (let i = 0; i < 5; i++) acc[i] = acc[i]! + (r[1 + i] as bigint);
    byCurrency.set(cur, acc);
  }
  return [...byCurrency].map(([cur, v]) => [BigInt(cur), ...v]);
}

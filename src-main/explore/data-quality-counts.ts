// The sums behind explore.dataQuality for one piece of a scope, from the structure that can give them exactly:
// cube_month for whole months (its cells carry SubAccountId, the tag set, ChargeCategory and PricingCategory, so
// spend without a sub account, spend per tag key and the rows each null-counted column applies to all add up from
// cells), raw rows for anything else. Pieces add: a range starting or ending mid-month is its whole months from the
// cube plus the days of the partial months from the rows.
import type { Filter, Metric } from '../../src-shared/api/contract';
import { CUBE_MONTH } from '../store/cubes';
import { NULL_COUNTED, type NullAppliesTo } from '../store/null-counts';
import type { Db } from '../store/workspace';
import { addFilters, addRowZones, resolveColumn, whereSql, type DictLookup, type SqlParts } from './scope';

/** Inclusive day numbers; open ends are ±Infinity. */
export interface DayRange {
  from: number;
  to: number;
}

/** The metric in nanos and the rows, per currency id (0 = no currency). */
export interface Sums {
  nanos: bigint;
  rows: number;
}

export interface Counts {
  totals: Map<number, Sums>;
  /** tag key id → currency id → sums of the rows carrying the key */
  tagged: Map<number, Map<number, Sums>>;
  noSub: Map<number, Sums>;
  /** per NULL_COUNTED column: rows in scope it applies to */
  applicable: number[];
  /** per NULL_COUNTED column: of those, rows where it is null; null when this piece did not count them (cube) */
  nulls: number[] | null;
}

export function emptyCounts(): Counts {
  return { totals: new Map(), tagged: new Map(), noSub: new Map(), applicable: NULL_COUNTED.map(() => 0), nulls: NULL_COUNTED.map(() => 0) };
}

export function addSums(map: Map<number, Sums>, id: number, nanos: bigint, rows: number): void {
  const s = map.get(id);
  if (s) {
    s.nanos += nanos;
    s.rows += rows;
  } else map.set(id, { nanos, rows });
}

/** a + b (into a). Null counts stay known only if both pieces counted them. */
export function mergeCounts(a: Counts, b: Counts): Counts {
  for (const [c, s] of b.totals) addSums(a.totals, c, s.nanos, s.rows);
  for (const [c, s] of b.noSub) addSums(a.noSub, c, s.nanos, s.rows);
  for (const [k, per] of b.tagged) {
    if (!a.tagged.has(k)) a.tagged.set(k, new Map());
    for (const [c, s] of per) addSums(a.tagged.get(k)!, c, s.nanos, s.rows);
  }
  a.applicable = a.applicable.map((n, j) => n + b.applicable[j]!);
  a.nulls = a.nulls && b.nulls ? a.nulls.map((n, j) => n + b.nulls![j]!) : null;
  return a;
}

/** Whether every filter is on a column cube_month keys its cells by (a text dimension, or a tag). */
export function monthCubeFits(filters: Filter[]): boolean {
  return filters.every((f) => {
    const ref = resolveColumn(f.column);
    return ref.kind === 'tag' || (ref.kind === 'column' && ref.storage === 'text' && CUBE_MONTH.dims.includes(ref.name));
  });
}

const DAY_MS = 86_400_000;
const monthStart = (day: number) => {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
};
const nextMonthStart = (day: number) => {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
};

/**
 * A range as whole months (for cube_month) and the days of the months it covers in part (for the rows). A month is
 * whole when the range covers it as far as the workspace has data: a range from before the first charge day or past
 * the last one does not cut the month it ends in. `null`: no data in the range.
 */
export function splitWholeMonths(db: Db, range: DayRange): { months: DayRange | null; partial: DayRange[] } | null {
  const [min, max] = db.prepare('SELECT min(day), max(day) FROM rollup_dim WHERE dim = 0').raw().get() as [number | null, number | null];
  if (min === null || max === null) return null;
  const lo = Math.max(range.from, min);
  const hi = Math.min(range.to, max);
  if (lo > hi) return null;
  const cutStart = lo > min && monthStart(lo) !== lo;
  const cutEnd = hi < max && nextMonthStart(hi) !== hi + 1;
  if ((cutStart || cutEnd) && monthStart(lo) === monthStart(hi)) return { months: null, partial: [{ from: lo, to: hi }] };
  const partial: DayRange[] = [];
  let from = lo;
  let to = hi;
  if (cutStart) {
    partial.push({ from: lo, to: nextMonthStart(lo) - 1 });
    from = nextMonthStart(lo);
  }
  if (cutEnd) {
    partial.push({ from: monthStart(hi), to: hi });
    to = monthStart(hi) - 1;
  }
  return { months: from <= to ? { from, to } : null, partial };
}

const MEASURE: Record<Metric, string> = { BilledCost: 'billed', EffectiveCost: 'effective', ListCost: 'list', ContractedCost: 'contracted' };

/** SQL truth of "the column should be filled on this row", over alias r (cube cells or raw rows). */
function appliesSql(dict: DictLookup): Record<NullAppliesTo, string> {
  const idOf = (v: string) => dict.id(v) ?? -1;
  return {
    all: '1',
    usage: `(r."ChargeCategory" = ${idOf('Usage')})`,
    'usage-purchase': `(r."ChargeCategory" IN (${idOf('Usage')}, ${idOf('Purchase')}))`,
    committed: `(r."PricingCategory" = ${idOf('Committed')})`,
  };
}

/**
 * Whole months [range] from cube_month, in one grouped pass over its cells: per currency, "has no sub account" and
 * tag set, the metric, the rows, and the rows each null-counted column applies to. Tag sets become tag keys through
 * the `tag` table afterwards (a few thousand sets at most, against a million cells).
 */
export function cubeMonthCounts(db: Db, dict: DictLookup, range: DayRange, filters: Filter[], metric: Metric): Counts {
  const parts: SqlParts = { joins: [], where: [], params: [] };
  // a cell sits on its month's first day
  if (Number.isFinite(range.from)) {
    parts.where.push('r.day >= ?');
    parts.params.push(monthStart(range.from));
  }
  if (Number.isFinite(range.to)) {
    parts.where.push('r.day <= ?');
    parts.params.push(range.to);
  }
  addFilters(parts, filters, 'rollup', 'r', dict);
  const applies = appliesSql(dict);
  const kinds = [...new Set(NULL_COUNTED.map((c) => c.appliesTo))];
  const sql = `SELECT r."BillingCurrency", r."SubAccountId" = 0, r.tagset, sum(r.${MEASURE[metric]}), sum(r.rows),
      ${kinds.map((k) => `sum(CASE WHEN ${applies[k]} THEN r.rows ELSE 0 END)`).join(', ')}
    FROM ${CUBE_MONTH.table} r ${parts.joins.join(' ')} ${whereSql(parts)} GROUP BY 1, 2, 3`;
  const out = emptyCounts();
  out.nulls = null;
  const byTagset = new Map<number, Map<number, Sums>>();
  const perKind = new Map(kinds.map((k) => [k, 0]));
  for (const r of db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as bigint[][]) {
    const [c, noSub, tagset, nanos, rows] = [Number(r[0]), r[1] === 1n, Number(r[2]), r[3]!, Number(r[4])];
    addSums(out.totals, c, nanos, rows);
    if (noSub) addSums(out.noSub, c, nanos, rows);
    if (tagset !== 0) {
      if (!byTagset.has(tagset)) byTagset.set(tagset, new Map());
      addSums(byTagset.get(tagset)!, c, nanos, rows);
    }
    kinds.forEach((k, i) => perKind.set(k, perKind.get(k)! + Number(r[5 + i])));
  }
  out.applicable = NULL_COUNTED.map((c) => perKind.get(c.appliesTo)!);
  const keysOf = db.prepare('SELECT tagset, key FROM tag WHERE tagset IN (SELECT value FROM json_each(?))').raw();
  const sets = [...byTagset.keys()];
  for (let i = 0; i < sets.length; i += 5000) {
    for (const [tagset, key] of keysOf.all(JSON.stringify(sets.slice(i, i + 5000))) as [number, number][]) {
      if (!out.tagged.has(key)) out.tagged.set(key, new Map());
      const per = out.tagged.get(key)!;
      for (const [c, s] of byTagset.get(tagset)!) addSums(per, c, s.nanos, s.rows);
    }
  }
  return out;
}

/**
 * The rows in [range] matching the filters, read from cost_usage: `main` (totals, spend without a sub account, null
 * counts) in one grouped pass, `tags` (spend per tag key) in another. Only the rowid blocks holding those days are
 * read (the zone map), so the days of a partial month cost about their own rows.
 */
export function rowCounts(db: Db, dict: DictLookup, range: DayRange, filters: Filter[], metric: Metric, want: { main: boolean; tags: boolean }): Counts {
  const out = emptyCounts();
  const parts: SqlParts = { joins: [], where: [], params: [] };
  const end = (d: number) => (Number.isFinite(d) ? d : undefined);
  addRowZones(db, parts, 'r', end(range.from), end(range.to));
  if (Number.isFinite(range.from)) {
    parts.where.push('r.day >= ?');
    parts.params.push(range.from);
  }
  if (Number.isFinite(range.to)) {
    parts.where.push('r.day <= ?');
    parts.params.push(range.to);
  }
  addFilters(parts, filters, 'cost_usage', 'r', dict);
  const m = `coalesce(r."${metric}", 0)`;
  if (!want.main) out.nulls = null;
  if (want.main) {
    const applies = appliesSql(dict);
    const nullSums = NULL_COUNTED.flatMap((c) => [`sum(${applies[c.appliesTo]})`, `sum(${applies[c.appliesTo]} AND r."${c.column}" IS NULL)`]);
    const sql = `SELECT coalesce(r."BillingCurrency", 0), sum(${m}), count(*), sum(CASE WHEN r."SubAccountId" IS NULL THEN ${m} ELSE 0 END),
        sum(r."SubAccountId" IS NULL), ${nullSums.join(', ')}
      FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)} GROUP BY 1`;
    for (const r of db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as bigint[][]) {
      const c = Number(r[0]);
      addSums(out.totals, c, r[1]!, Number(r[2]));
      addSums(out.noSub, c, r[3]!, Number(r[4]));
      NULL_COUNTED.forEach((_, j) => {
        out.applicable[j]! += Number(r[5 + 2 * j] ?? 0);
        out.nulls![j]! += Number(r[6 + 2 * j] ?? 0);
      });
    }
  }
  if (want.tags) {
    const sql = `SELECT tq.key, coalesce(r."BillingCurrency", 0), sum(${m}), count(*)
      FROM cost_usage r JOIN tag tq ON tq.tagset = r.tagset ${parts.joins.join(' ')} ${whereSql(parts)} GROUP BY 1, 2`;
    for (const [k, c, s, n] of db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as bigint[][]) {
      const key = Number(k);
      if (!out.tagged.has(key)) out.tagged.set(key, new Map());
      addSums(out.tagged.get(key)!, Number(c), s!, Number(n));
    }
  }
  return out;
}

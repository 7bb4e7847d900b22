// Plans explore questions onto the cubes (store/cubes.ts): which cube holds every column a question groups or
// filters by at its time grain, then answers from memory (cube-scan.ts) or, while the cube is still loading, with
// SQL over the cube's table — either way without touching raw rows.
import type { Filter, Granularity, Metric } from '../../src-shared/api/contract';
import { dayFromIso } from '../ingest/datetime';
import { CUBE_DAY, CUBE_MONTH, type CubeSpec } from '../store/cubes';
import type { Db } from '../store/workspace';
import { CubeCache } from './cube-cache';
import { scanCube, type CubeFilter, type CubeGroup, type LoadedCube } from './cube-scan';
import { addDateRange, addFilters, keyExpr, resolveColumn, whereSql, type ColumnRef, type DictLookup, type SqlParts } from './scope';

const MEASURE_INDEX: Record<Metric, number> = { BilledCost: 0, EffectiveCost: 1, ListCost: 2, ContractedCost: 3 };
const MEASURE_COLUMN = ['billed', 'effective', 'list', 'contracted'];
/** group keys are packed into one number with the day: their value spaces' product must stay below this */
const KEY_SPACE = 2 ** 36;

export interface CubeQuestion {
  from?: string | undefined;
  to?: string | undefined;
  filters: Filter[];
  groups: ColumnRef[];
  granularity?: Granularity | undefined;
  /** a metric, or 'all' for the four measures and the row count (KPIs) */
  measure: Metric | 'all';
}

export class CubePlanner {
  readonly cache: CubeCache;
  private readonly spanStmt;

  constructor(
    private readonly db: Db,
    private readonly dict: DictLookup,
  ) {
    this.cache = new CubeCache(db);
    this.spanStmt = db.prepare('SELECT min(day), max(day) FROM rollup_dim WHERE dim = 0').raw();
  }

  /** The smallest cube answering the question, or null. */
  pick(q: CubeQuestion): CubeSpec | null {
    const refs = [...q.groups, ...q.filters.map((f) => resolveColumn(f.column))];
    const fits = (c: CubeSpec) =>
      refs.every((r) => (r.kind === 'column' ? r.storage === 'text' && c.dims.includes(r.name) : r.kind === 'tag' && c.dims.includes('tagset')));
    if (fits(CUBE_DAY)) return CUBE_DAY;
    if (fits(CUBE_MONTH) && (q.granularity === undefined || q.granularity === 'month') && this.wholeMonths(q.from, q.to)) return CUBE_MONTH;
    return null;
  }

  /** Whether [from, to] covers whole months, as far as the data reaches (open ends and ends past the data do). */
  private wholeMonths(from?: string, to?: string): boolean {
    const [min, max] = (this.spanStmt.get() as [number | null, number | null]) ?? [null, null];
    if (min === null || max === null) return true;
    if (from) {
      const d = dayFromIso(from);
      if (d > min && new Date(d * 86400000).getUTCDate() !== 1) return false;
    }
    if (to) {
      const d = dayFromIso(to);
      if (d < max && new Date((d + 1) * 86400000).getUTCDate() !== 1) return false;
    }
    return true;
  }

  /** Rows [day?, currency, group ids…, sum(s)…] from the cube. */
  rows(spec: CubeSpec, q: CubeQuestion): { rows: unknown[][]; source: string } {
    const cube = this.cache.get(spec);
    if (cube) {
      const scan = this.scanOf(cube, q);
      if (scan) return { rows: scanCube(cube, scan), source: spec.table };
    }
    return { rows: this.sqlRows(spec, q), source: `${spec.table} (sql)` };
  }

  private scanOf(cube: LoadedCube, q: CubeQuestion): Parameters<typeof scanCube>[1] | null {
    const dimOf = (name: string) => cube.dims.indexOf(name);
    const currencyDim = dimOf('BillingCurrency');
    const filters: CubeFilter[] = [];
    for (const f of q.filters) {
      const ref = resolveColumn(f.column);
      const want = new Set(f.values.map((v) => (v === null ? 0 : (this.dict.id(v) ?? -1))));
      const dim = ref.kind === 'tag' ? dimOf('tagset') : ref.kind === 'column' ? dimOf(ref.name) : -1;
      if (dim < 0) return null;
      const valueOf = ref.kind === 'tag' ? this.tagValues(cube, dim, ref.key) : cube.ids[dim]!;
      const keep = new Uint8Array(valueOf.length);
      for (let c = 0; c < keep.length; c++) keep[c] = want.has(valueOf[c]!) !== Boolean(f.exclude) ? 1 : 0;
      filters.push({ dim, keep });
    }
    const groups: CubeGroup[] = [];
    let space = cube.ids[currencyDim]!.length;
    for (const g of q.groups) {
      const dim = g.kind === 'tag' ? dimOf('tagset') : g.kind === 'column' ? dimOf(g.name) : -1;
      if (dim < 0) return null;
      groups.push(g.kind === 'tag' ? { dim, map: this.tagValues(cube, dim, g.key) } : { dim });
      space *= cube.ids[dim]!.length;
    }
    if (space > KEY_SPACE) return null;
    const scan: Parameters<typeof scanCube>[1] = {
      filters,
      groups,
      withDay: Boolean(q.granularity),
      measure: q.measure === 'all' ? -1 : MEASURE_INDEX[q.measure],
      currencyDim,
    };
    if (q.from) scan.fromDay = dayFromIso(q.from);
    if (q.to) scan.toDay = dayFromIso(q.to);
    // a month cube's cells sit on the first day of their month: a range starting mid-month (before the data) must
    // still take that month
    if (cube.grain === 'month' && scan.fromDay !== undefined) scan.fromDay = monthStart(scan.fromDay);
    return scan;
  }

  /** tag set local code → value id of the tag key (0: the set lacks the key) */
  private tagValues(cube: LoadedCube, dim: number, key: string): Int32Array {
    const keyId = this.dict.id(key) ?? -1;
    const byTagset = new Map<number, number>();
    for (const r of this.db.prepare('SELECT tagset, value FROM tag WHERE key = ?').raw().all(keyId) as [number, number][]) byTagset.set(r[0], r[1]);
    const ids = cube.ids[dim]!;
    return Int32Array.from(ids, (ts) => byTagset.get(ts) ?? 0);
  }

  private sqlRows(spec: CubeSpec, q: CubeQuestion): unknown[][] {
    const parts: SqlParts = { joins: [], where: [], params: [] };
    const keys = q.groups.map((g) => keyExpr(g, 'rollup', 'r', this.dict, parts));
    let from = q.from;
    if (spec.grain === 'month' && from) from = isoOf(monthStart(dayFromIso(from)));
    addDateRange(parts, 'r', from, q.to);
    addFilters(parts, q.filters, 'rollup', 'r', this.dict);
    const select = ['r."BillingCurrency"', ...keys];
    if (q.granularity) select.unshift('r.day');
    const sums = q.measure === 'all' ? [...MEASURE_COLUMN.map((m) => `sum(r.${m})`), 'sum(r.rows)'] : [`sum(r.${MEASURE_COLUMN[MEASURE_INDEX[q.measure]]})`];
    const sql = `SELECT ${[...select, ...sums].join(', ')} FROM ${spec.table} r ${parts.joins.join(' ')} ${whereSql(parts)} GROUP BY ${select.map((_, i) => i + 1).join(', ')}`;
    return this.db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as unknown[][];
  }
}

function monthStart(day: number): number {
  const d = new Date(day * 86400000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86400000;
}

function isoOf(day: number): string {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

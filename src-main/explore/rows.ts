// The detail grid's rows (explore.rows): pages addressed by position, answered in constant time at any depth.
//
// OFFSET paging reads and discards every row before the page, so a page deep in ten million rows took seconds and
// every page also counted the scope again. Instead each scope (range + filters + sort) gets a plan, built once and
// kept while the workspace's data is unchanged:
// - whole workspace, unsorted: an active file's rows are one rowid range (one writer, one transaction), so a position
//   maps to a rowid by arithmetic; a file that lost rows to a restated period has every STRIDE-th rowid listed by one
//   scan of its range. The count is the rollup's.
// - a date range or filters, unsorted: one scan lists every STRIDE-th matching rowid and counts the matches.
// - sorted: the scope's rowids in the sort's order, kept in memory (8 bytes a row), built in two steps
//   (sorted-order.ts): the first pages from a bounded sort that keeps only the first `prefixRows` (rounded up to
//   cover the page asked for), and the whole order only when a page past that prefix is asked for (a deep jump,
//   a scrollbar drag). Numbers, dates and money sort as stored integers/reals at any size. Text is stored as
//   dictionary ids assigned in arrival order, not value order, so sorting by text ranks the scope's strings: allowed
//   only for scopes of up to TEXT_SORT_MAX_ROWS rows (refused with a message otherwise).
// A page is then a seek: `rowid >= start` in rowid order skipping fewer than STRIDE rows (no sort: the table is read
// in rowid order), or, sorted, the page's rowids looked up by key.
import type { ParsedInput, RowsOutput } from '../../src-shared/api/contract';
import { costColumn } from '../../src-shared/focus/catalog';
import { gridSortKind, TEXT_SORT_MAX_ROWS, textSortRefusal } from '../../src-shared/explore/grid-sort';
import { EngineError } from '../engine/errors';
import { nanosToNumber } from '../ingest/decimal';
import { dayFromIso, isoDateTime } from '../ingest/datetime';
import { COST_COLUMN_KIND, type StorageKind } from '../store/cost-columns';
import { zoneRanges } from '../store/row-zones';
import type { Db } from '../store/workspace';
import { addDateRange, addFilters, addRowDateRange, DictLookup, whereSql, type SqlParts } from './scope';
import { boundedOrder, fullOrder, type ScanHints, type SortSpec } from './sorted-order';

/** Columns of the detail grid after SourceFile and SourceRow, in reading order. */
export const ROW_COLUMNS = [
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BillingPeriodStart',
  'ServiceProviderName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'SubAccountId',
  'SubAccountName',
  'ServiceCategory',
  'ServiceName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'PricingCategory',
  'SkuId',
  'SkuMeter',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'ListUnitPrice',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'CommitmentDiscountId',
  'CommitmentDiscountStatus',
  'Tags',
] as const;

/** Every STRIDE-th row's rowid is kept: a page skips fewer than this many rows after its seek. */
export const STRIDE = 256;
/** Plans kept per connection; sorted ones hold 8 bytes per row, so at most this many rowids in all. */
const MAX_PLANS = 6;
const MAX_CACHED_IDS = 12_000_000;
/** Rows a sorted scope's first bounded sort keeps (the grid's first 50 pages). */
export const SORT_PREFIX_ROWS = 10_000;
/** A first page deeper than this many prefixes builds the whole order straight away. */
const BOUNDED_PREFIXES = 5;

type RowsInput = ParsedInput<'explore.rows'>;

/** Position → the first rowid to read from (in rowid order) and how many matching rows to skip there. */
interface Seek {
  rowid: number;
  skip: number;
}

type Plan =
  | { kind: 'ranges'; total: number; segStart: number[]; segLo: number[]; segBounds: (Float64Array | null)[] }
  | { kind: 'scan'; total: number; bounds: Float64Array }
  /** `order` holds the first rows of the order, or all of them once `complete`. */
  | { kind: 'sorted'; total: number; order: Float64Array; complete: boolean };

/** The SQL that reads one page, exposed so tests can check its query plan. */
export interface PageQuery {
  sql: string;
  params: unknown[];
  /** Sorted plans: the page's rowids in order (the SQL looks them up by key). */
  order?: Float64Array;
}

const pagers = new WeakMap<Db, RowPager>();

/** explore.rows on `db`, with plans cached per connection. */
export function rowsPage(db: Db, input: RowsInput): RowsOutput {
  let p = pagers.get(db);
  if (!p) {
    p = new RowPager(db);
    pagers.set(db, p);
  }
  return p.page(input);
}

export class RowPager {
  private readonly dict: DictLookup;
  private readonly plans = new Map<string, Plan>();
  private version = '';
  /** How the last plan was obtained ('cached' or the kind built): lets tests see that pages reuse their plan. */
  lastPlanSource = '';

  private readonly prefixRows: number;

  /** `prefixRows`: rows of a sort's first bounded step (tests make it small to page across the boundary). */
  constructor(
    private readonly db: Db,
    opts: { prefixRows?: number } = {},
  ) {
    this.dict = new DictLookup(db);
    this.prefixRows = Math.max(1, opts.prefixRows ?? SORT_PREFIX_ROWS);
  }

  page(input: RowsInput): RowsOutput {
    const plan = this.coveringPlan(input);
    const q = this.queryFor(plan, input);
    const total = plan.total;
    const raw = this.db.prepare(q.sql).raw().safeIntegers(true).all(...q.params) as unknown[][];
    let ordered = raw;
    if (q.order) {
      const byId = new Map(raw.map((r) => [Number(r[0]), r]));
      ordered = [];
      for (const id of q.order) {
        const r = byId.get(id);
        if (r) ordered.push(r);
      }
    }
    // each raw row: rowid, file_id, row_no, ROW_COLUMNS…
    return { columns: ['SourceFile', 'SourceRow', ...ROW_COLUMNS], rows: this.decode(ordered), total };
  }

  /** The page's SQL (and, sorted, its rowids), building the scope's plan first if needed. */
  pageQuery(input: RowsInput): PageQuery {
    return this.queryFor(this.coveringPlan(input), input);
  }

  /** The scope's plan, with a sorted one's whole order built first when the page lies past its prefix. */
  private coveringPlan(input: RowsInput): Plan {
    const plan = this.planFor(input);
    if (plan.kind !== 'sorted' || plan.complete) return plan;
    if (Math.min(input.offset + input.limit, plan.total) <= plan.order.length) return plan;
    const order = this.db.transaction(() => fullOrder(this.db, this.scopeParts(input), this.sortSpec(input), this.dict, this.scanHints(input, plan.total)))();
    plan.order = order;
    plan.total = order.length;
    plan.complete = true;
    this.lastPlanSource = 'sorted-full';
    this.evict();
    return plan;
  }

  private queryFor(plan: Plan, input: RowsInput): PageQuery {
    const select = `SELECT r.rowid, r.file_id, r.row_no, ${ROW_COLUMNS.map((c) => `r."${c}"`).join(', ')} FROM cost_usage r`;
    const start = Math.min(input.offset, plan.total);
    const end = Math.min(input.offset + input.limit, plan.total);
    if (plan.kind === 'sorted') {
      const order = plan.order.subarray(start, end);
      return { sql: `${select} WHERE r.rowid IN (SELECT value FROM json_each(?))`, params: [JSON.stringify([...order])], order };
    }
    if (start >= end) return { sql: `${select} WHERE 0`, params: [] };
    const seek = plan.kind === 'ranges' ? seekRanges(plan, start) : seekBounds(plan.bounds, start);
    const parts = this.scopeParts(input);
    parts.where.push('r.rowid >= ?');
    parts.params.push(seek.rowid);
    return {
      sql: `${select} ${parts.joins.join(' ')} ${whereSql(parts)} ORDER BY r.rowid LIMIT ? OFFSET ?`,
      params: [...parts.params, end - start, seek.skip],
    };
  }

  private planFor(input: RowsInput): Plan {
    this.checkVersion();
    const key = JSON.stringify([input.from ?? null, input.to ?? null, input.filters, input.sort ?? null]);
    const cached = this.plans.get(key);
    if (cached) {
      this.plans.delete(key); // most recently used last
      this.plans.set(key, cached);
      this.lastPlanSource = 'cached';
      return cached;
    }
    const plan = input.sort ? this.sortedPlan(input) : isWholeWorkspace(input) ? this.rangesPlan() : this.scanPlan(input);
    this.lastPlanSource = plan.kind === 'sorted' ? (plan.complete ? 'sorted-full' : 'sorted-prefix') : plan.kind;
    this.plans.set(key, plan);
    this.evict();
    return plan;
  }

  /** Plans describe the data they were built on: any committed change (an import, a replace) drops them all. */
  private checkVersion(): void {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const shape = this.db
      .prepare('SELECT (SELECT coalesce(max(rowid), 0) FROM cost_usage) || \':\' || (SELECT coalesce(sum(rows), 0) || \':\' || count(*) FROM file_period)')
      .pluck()
      .get() as string;
    const v = `${dataVersion}:${shape}`;
    if (v !== this.version) {
      this.plans.clear();
      this.version = v;
    }
  }

  private evict(): void {
    const size = (p: Plan) => (p.kind === 'sorted' ? p.order.length : p.kind === 'scan' ? p.bounds.length : 0);
    let ids = 0;
    for (const p of this.plans.values()) ids += size(p);
    for (const [k, p] of this.plans) {
      if (this.plans.size <= MAX_PLANS && ids <= MAX_CACHED_IDS) break;
      if (this.plans.size === 1) break;
      ids -= size(p);
      this.plans.delete(k);
    }
  }

  private scopeParts(input: Pick<RowsInput, 'from' | 'to' | 'filters'>): SqlParts {
    const parts: SqlParts = { joins: [], where: [], params: [] };
    addRowDateRange(this.db, parts, 'r', input.from, input.to, 'rowid');
    addFilters(parts, input.filters, 'cost_usage', 'r', this.dict);
    return parts;
  }

  /** Whole workspace, unsorted: files' rowid ranges, listing rowids only inside files with holes. */
  private rangesPlan(): Plan {
    const files = this.db
      .prepare(
        `SELECT f.id, f.first_rowid AS lo, f.last_rowid AS hi, sum(fp.rows) AS n
         FROM import_file f JOIN file_period fp ON fp.file_id = f.id
         WHERE f.active = 1 AND f.first_rowid IS NOT NULL GROUP BY f.id ORDER BY f.first_rowid`,
      )
      .all() as { id: number; lo: number; hi: number; n: number }[];
    const segStart: number[] = [];
    const segLo: number[] = [];
    const segBounds: (Float64Array | null)[] = [];
    let pos = 0;
    let prevHi = 0;
    const holeScan = this.db.prepare('SELECT rowid FROM cost_usage WHERE rowid BETWEEN ? AND ? ORDER BY rowid').pluck();
    for (const f of files) {
      if (f.n <= 0) continue;
      // ranges must be disjoint and in order for positions to add up; if not, count the slow way
      if (f.lo <= prevHi) return this.scanPlan({ filters: [] });
      prevHi = f.hi;
      segStart.push(pos);
      segLo.push(f.lo);
      segBounds.push(f.hi - f.lo + 1 === f.n ? null : collectBounds(holeScan.iterate(f.lo, f.hi) as IterableIterator<number>).bounds);
      pos += f.n;
    }
    // every row must be in some file's range (a file imported without its range recorded is not): else scan
    const rollupRows = Number(this.db.prepare('SELECT coalesce(sum(rows), 0) FROM rollup_dim WHERE dim = 0').pluck().get());
    if (rollupRows !== pos) return this.scanPlan({ filters: [] });
    return { kind: 'ranges', total: pos, segStart, segLo, segBounds };
  }

  /** A range or filters, unsorted: every STRIDE-th matching rowid and the count, from one scan in rowid order. */
  private scanPlan(input: Pick<RowsInput, 'from' | 'to' | 'filters'>): Plan {
    const parts = this.scopeParts(input);
    const sql = `SELECT r.rowid FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)} ORDER BY r.rowid`;
    const { bounds, count } = collectBounds(this.db.prepare(sql).pluck().iterate(...parts.params) as IterableIterator<number>);
    return { kind: 'scan', total: count, bounds };
  }

  /**
   * Sorted (ties by rowid, so pages never overlap): a bounded sort for a shallow page, which is the whole order when
   * the scope is small; a deep first page sorts the whole scope.
   */
  private sortedPlan(input: RowsInput): Plan {
    const spec = this.sortSpec(input);
    const parts = this.scopeParts(input);
    const want = Math.ceil(Math.max(1, input.offset + input.limit) / this.prefixRows) * this.prefixRows;
    // one snapshot for the count and the order
    return this.db.transaction((): Plan => {
      if (want <= this.prefixRows * BOUNDED_PREFIXES) {
        const order = boundedOrder(this.db, parts, spec, want);
        if (order.length < want) return { kind: 'sorted', total: order.length, order, complete: true };
        const total = this.scopeCount(input);
        return { kind: 'sorted', total, order, complete: total <= order.length };
      }
      const order = fullOrder(this.db, parts, spec, this.dict, this.scanHints(input, this.scopeCount(input)));
      return { kind: 'sorted', total: order.length, order, complete: true };
    })();
  }

  /** Where a full sort's scan reads: a date range's zones when the workspace has them, else the whole table. */
  private scanHints(input: RowsInput, sizeHint: number): ScanHints {
    const day = (d?: string) => (d ? dayFromIso(d) : undefined);
    return { sizeHint, ranges: input.from || input.to ? zoneRanges(this.db, day(input.from), day(input.to)) : null };
  }

  /** How the sort's column orders rows, in SQL and as one number per row; refuses columns that do not sort. */
  private sortSpec(input: RowsInput): SortSpec {
    const sort = input.sort!;
    const spec = costColumn(sort.column);
    const kind = gridSortKind(sort.column, spec?.type);
    const storage = COST_COLUMN_KIND.get(spec?.name ?? '');
    if (kind === 'none' || (!storage && sort.column !== 'SourceFile' && sort.column !== 'SourceRow')) {
      throw new EngineError('bad-input', `the grid cannot sort by ${sort.column}: sort by a text, number or date column`);
    }
    const dir = sort.desc ? 'DESC' : 'ASC';
    const desc = sort.desc;
    if (sort.column === 'SourceRow') return { orderSql: `r.row_no ${dir}`, keySql: 'r.row_no', text: false, integer: true, desc };
    if (sort.column === 'SourceFile') {
      // (file rank, row) as one integer: row numbers stay below 2^32, ranks below 2^21; a row of no known file (the
      // CASE gives NULL) sorts before every file, as NULL does in SQL
      const rank = this.fileRankSql();
      return { orderSql: `${rank} ${dir}, r.row_no ${dir}`, keySql: `coalesce(${rank}, -1) * 4294967296 + r.row_no`, text: false, integer: true, desc };
    }
    const col = `r."${spec!.name}"`;
    if (kind === 'text') {
      const rows = this.scopeCount(input);
      if (rows > TEXT_SORT_MAX_ROWS) {
        throw new EngineError('too-many-rows', textSortRefusal(spec?.displayName ?? sort.column, rows), { rows, limit: TEXT_SORT_MAX_ROWS });
      }
      return { orderSql: `(SELECT value FROM dict WHERE id = ${col}) ${dir}`, keySql: col, text: true, integer: true, desc };
    }
    return { orderSql: `${col} ${dir}`, keySql: col, text: false, integer: storage !== 'number', desc };
  }

  /** Rows in scope without sorting them: the rollup for a plain date range, else the unsorted plan if cached, else SQL. */
  private scopeCount(input: RowsInput): number {
    if (input.filters.length === 0) {
      const parts: SqlParts = { joins: [], where: ['r.dim = 0'], params: [] };
      addDateRange(parts, 'r', input.from, input.to);
      return Number(this.db.prepare(`SELECT coalesce(sum(r.rows), 0) FROM rollup_dim r ${whereSql(parts)}`).pluck().get(...parts.params));
    }
    const unsorted = this.plans.get(JSON.stringify([input.from ?? null, input.to ?? null, input.filters, null]));
    if (unsorted) return unsorted.total;
    const parts = this.scopeParts(input);
    return Number(this.db.prepare(`SELECT count(*) FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)}`).pluck().get(...parts.params));
  }

  /** Files ranked by name (few rows, read once per plan), so rows sort by file as a number. */
  private fileRankSql(): string {
    const files = this.db.prepare('SELECT id, file_name AS name FROM import_file ORDER BY file_name, id').all() as { id: number; name: string }[];
    if (files.length === 0) return '0';
    return `CASE r.file_id ${files.map((f, i) => `WHEN ${f.id} THEN ${i}`).join(' ')} END`;
  }

  private decode(raw: unknown[][]): RowsOutput['rows'] {
    const kinds = ROW_COLUMNS.map((c) => COST_COLUMN_KIND.get(c) as StorageKind);
    const ids: number[] = [];
    const fileIds = new Set<number>();
    for (const r of raw) {
      fileIds.add(Number(r[1]));
      kinds.forEach((k, i) => k === 'text' && r[i + 3] !== null && ids.push(Number(r[i + 3])));
    }
    const names = this.dict.values(ids);
    const files = new Map(
      (this.db.prepare('SELECT id, file_name FROM import_file WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify([...fileIds])) as [number, string][]),
    );
    return raw.map((r) => [
      files.get(Number(r[1])) ?? '',
      Number(r[2]),
      ...kinds.map((k, i) => {
        const v = r[i + 3];
        if (v === null || v === undefined) return null;
        if (k === 'text') return names.get(Number(v)) ?? null;
        if (k === 'money') return nanosToNumber(v as bigint);
        if (k === 'time') return isoDateTime(Number(v));
        return Number(v);
      }),
    ]);
  }
}

function isWholeWorkspace(input: Pick<RowsInput, 'from' | 'to' | 'filters'>): boolean {
  return !input.from && !input.to && input.filters.length === 0;
}

function seekBounds(bounds: Float64Array, pos: number): Seek {
  const b = Math.floor(pos / STRIDE);
  return { rowid: bounds[b] ?? Number.MAX_SAFE_INTEGER, skip: pos - b * STRIDE };
}

function seekRanges(plan: Extract<Plan, { kind: 'ranges' }>, pos: number): Seek {
  let lo = 0;
  let hi = plan.segStart.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (plan.segStart[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  const within = pos - plan.segStart[lo]!;
  const bounds = plan.segBounds[lo];
  return bounds ? seekBounds(bounds, within) : { rowid: plan.segLo[lo]! + within, skip: 0 };
}

function collectBounds(rowids: IterableIterator<number>): { bounds: Float64Array; count: number } {
  const ids = new GrowableIds();
  let count = 0;
  for (const id of rowids) {
    if (count % STRIDE === 0) ids.push(id);
    count++;
  }
  return { bounds: ids.done(), count };
}

/** A Float64Array that grows by doubling (rowids are integers below 2^53). */
class GrowableIds {
  private buf = new Float64Array(1024);
  private n = 0;
  push(id: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = id;
  }
  done(): Float64Array {
    return this.buf.slice(0, this.n);
  }
}

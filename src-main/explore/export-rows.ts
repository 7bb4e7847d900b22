// Reads the Cost and Usage rows of a view's scope page by page (keyset on rowid), decoded from storage (dictionary
// ids, nano-units, seconds) into typed values the export writers turn into FOCUS text or Parquet values.
import type { Filter } from '../../src-shared/api/contract';
import { columnsOf } from '../../src-shared/focus/catalog';
import { COST_COLUMN_KIND, type StorageKind } from '../store/cost-columns';
import type { Db } from '../store/workspace';
import { addFilters, addRowDateRange, DictLookup, whereSql, type SqlParts } from './scope';

export interface ExportScope {
  from?: string | undefined;
  to?: string | undefined;
  filters: Filter[];
}

export interface ExportColumn {
  name: string;
  /** Storage kind; columns kept as JSON in `extras` (x_ and other non-FOCUS columns) are text. */
  kind: StorageKind;
  /** A key of `extras` rather than a `cost_usage` column. */
  extra?: boolean;
}

/** A decoded value: text, nanos (money), seconds (time), a double (number) or null. */
export type ExportValue = string | bigint | number | null;

/** Rows read per SQL page: large enough to amortise the statement, small enough to keep memory flat. */
export const PAGE_ROWS = 10_000;

/** Stored FOCUS columns in catalog order: every one, so each file has the same header whatever the scope. */
export const FOCUS_EXPORT_COLUMNS: ExportColumn[] = columnsOf('CostAndUsage')
  .filter((c) => COST_COLUMN_KIND.has(c.name))
  .map((c) => ({ name: c.name, kind: COST_COLUMN_KIND.get(c.name)! }));

/** The scope's WHERE clause over `cost_usage r`, exactly as explore.rows builds it. */
export function scopeParts(db: Db, scope: ExportScope, dict: DictLookup = new DictLookup(db)): SqlParts {
  const parts: SqlParts = { joins: [], where: [], params: [] };
  addRowDateRange(db, parts, 'r', scope.from, scope.to, 'rowid');
  addFilters(parts, scope.filters, 'cost_usage', 'r', dict);
  return parts;
}

/** The non-FOCUS columns (x_ and others the import kept) present in scope: keys of the distinct `extras` objects, sorted. */
export function extraColumns(db: Db, parts: SqlParts): ExportColumn[] {
  const where = whereSql({ ...parts, where: [...parts.where, 'r.extras IS NOT NULL'] });
  const ids = db.prepare(`SELECT DISTINCT r.extras FROM cost_usage r ${parts.joins.join(' ')} ${where}`).pluck().all(...parts.params) as number[];
  const keys = new Set<string>();
  for (const json of new DictLookup(db).values(ids).values()) {
    for (const k of Object.keys(JSON.parse(json) as Record<string, unknown>)) keys.add(k);
  }
  return [...keys].sort().map((name) => ({ name, kind: 'text', extra: true }));
}

/** Dictionary values with a bounded cache: pages share most of their ids (services, accounts, regions). */
class DictCache {
  private readonly cache = new Map<number, string>();
  constructor(private readonly dict: DictLookup) {}
  fill(ids: Set<number>): void {
    const missing = [...ids].filter((i) => !this.cache.has(i));
    if (missing.length === 0) return;
    if (this.cache.size > 500_000) this.cache.clear(); // unique-per-row ids (ResourceId) would grow it with the table
    for (const [id, v] of this.dict.values(missing)) this.cache.set(id, v);
  }
  get(id: number): string | null {
    return this.cache.get(id) ?? null;
  }
}

export interface RowRange {
  /** Extra WHERE conditions (e.g. one partition's billing periods) and their parameters. */
  where?: string[];
  params?: unknown[];
  /** Inclusive rowid bounds that contain every matching row (narrows the scan; the WHERE still decides). */
  minRowid?: number;
  maxRowid?: number;
}

/**
 * Yields pages of decoded rows (values in `columns` order). Keyset paging on rowid rather than one open iterator:
 * the connection stays free between pages for dictionary look-ups, and no page ever holds more than PAGE_ROWS rows.
 * `tail`: SQL expressions over `r` whose raw values follow the columns in each row, undecoded (the allocation export
 * reads each row's stored signature with them).
 */
export function* readPages(db: Db, parts: SqlParts, columns: ExportColumn[], range: RowRange = {}, tail: readonly string[] = []): Generator<ExportValue[][]> {
  // FOCUS columns first, then the extras keys: the order callers build `columns` in
  const focus = columns.filter((c) => !c.extra);
  const extras = columns.filter((c) => c.extra);
  // the keyset bound is the first parameter: each page binds (after, ...params)
  const where = ['r.rowid > ?', ...parts.where, ...(range.where ?? [])];
  const params = [...parts.params, ...(range.params ?? [])];
  if (range.maxRowid !== undefined) {
    where.push('r.rowid <= ?');
    params.push(range.maxRowid);
  }
  const select = ['r.rowid', ...focus.map((c) => `r."${c.name}"`), 'r.extras', ...tail];
  const stmt = db
    .prepare(`SELECT ${select.join(', ')} FROM cost_usage r ${parts.joins.join(' ')} WHERE ${where.join(' AND ')} ORDER BY r.rowid LIMIT ${PAGE_ROWS}`)
    .raw()
    .safeIntegers(true);
  const dict = new DictCache(new DictLookup(db));
  const kinds = focus.map((c) => c.kind);
  const extrasAt = focus.length + 1;
  let after: bigint = BigInt((range.minRowid ?? 1) - 1);
  for (;;) {
    const raw = stmt.all(after, ...params) as unknown[][];
    if (raw.length === 0) return;
    after = raw[raw.length - 1]![0] as bigint;
    const ids = new Set<number>();
    for (const r of raw) {
      for (let i = 0; i < kinds.length; i++) if (kinds[i] === 'text' && r[i + 1] !== null) ids.add(Number(r[i + 1]));
      if (r[extrasAt] !== null) ids.add(Number(r[extrasAt]));
    }
    dict.fill(ids);
    const page: ExportValue[][] = raw.map((r) => {
      const row: ExportValue[] = new Array<ExportValue>(columns.length + tail.length);
      for (let i = 0; i < kinds.length; i++) {
        const v = r[i + 1];
        const k = kinds[i];
        if (v === null || v === undefined) row[i] = null;
        else if (k === 'text') row[i] = dict.get(Number(v));
        else if (k === 'money') row[i] = v as bigint; // nanos, exact
        else if (k === 'time') row[i] = Number(v);
        else row[i] = typeof v === 'bigint' ? Number(v) : (v as number); // REAL holding a whole number comes back as bigint
      }
      if (extras.length > 0) {
        const json = r[extrasAt] === null ? null : dict.get(Number(r[extrasAt]));
        const obj = json ? (JSON.parse(json) as Record<string, unknown>) : {};
        extras.forEach((c, j) => {
          const v = obj[c.name];
          row[focus.length + j] = v === undefined || v === null ? null : String(v);
        });
      }
      for (let j = 0; j < tail.length; j++) row[columns.length + j] = r[extrasAt + 1 + j] as ExportValue;
      return row;
    });
    yield page;
    if (raw.length < PAGE_ROWS) return;
  }
}

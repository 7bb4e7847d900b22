// Zone map of cost_usage: for each block of 2^ZONE_SHIFT consecutive rowids, the smallest and largest `day` of its
// rows. `day` has no index (one would cost every import ~10 %, and most questions are answered by the rollups), so a
// question on raw rows over a date range scanned the whole table; bills arrive roughly in time order, so the blocks
// whose day span overlaps the range are few and contiguous and SQLite can read just those rowids.
//
// A zone must never be narrower than its rows (a wider one only costs reading more): rows are only added through the
// import's CostWriter, which records every row's day, and every removal rebuilds the blocks it touched. `rows` counts
// a block's rows so a reader can check that the zones account for every row (against file_period) before using them.
//
// Block size, measured on the 1M-row benchmark (180 days, one file in time order, ~5,500 rows a day): a range reads
// at most two blocks it does not need (its edges), and the lookup reads every zone. Per question at 10M rows:
//   2^10: 9,800 zones, lookup 1.9 ms, edges <= 2k rows;  2^12: 2,450 zones, 0.47 ms, <= 8k rows (~6 ms to read);
//   2^14: 620 zones, 0.13 ms, <= 33k rows (~23 ms);      2^16: 160 zones, 0.05 ms, <= 130k rows (~90 ms).
// 2^12 keeps both small, and small blocks stay narrow where rows are only roughly in time order. The shift is part
// of the stored data: changing it needs a migration that rebuilds row_zone.
import type { Statement } from 'better-sqlite3';
import type { Db } from './workspace';

export const ZONE_SHIFT = 12;
export const ZONE_ROWS = 2 ** ZONE_SHIFT;

/** Beyond this many separate rowid ranges a question reads the table instead (rows out of time order). */
export const MAX_ZONE_RANGES = 32;
/** Several ranges covering more than this share of the rows are not worth SQLite's OR-of-ranges plan. */
export const MAX_ZONE_SHARE = 0.75;

export const ROW_ZONE_DDL = `
  CREATE TABLE row_zone (
    block INTEGER PRIMARY KEY, -- rowid >> ${ZONE_SHIFT}
    min_day INTEGER NOT NULL,
    max_day INTEGER NOT NULL,
    rows INTEGER NOT NULL
  ) STRICT;`;

/** INSERT of the zones of the cost_usage rows matching `where` (one grouped pass; blocks must not exist yet). */
export function zoneFillSql(where: string): string {
  return `INSERT INTO row_zone (block, min_day, max_day, rows)
    SELECT rowid >> ${ZONE_SHIFT}, min(day), max(day), count(*) FROM cost_usage WHERE ${where} GROUP BY 1`;
}

const UPSERT = `INSERT INTO row_zone (block, min_day, max_day, rows) VALUES (?, ?, ?, ?)
  ON CONFLICT (block) DO UPDATE SET min_day = min(min_day, excluded.min_day), max_day = max(max_day, excluded.max_day),
    rows = rows + excluded.rows`;

/**
 * Recompute the zones of every block touching rowids lo..hi from the rows left there (after rows were deleted): exact
 * again, and blocks left without rows lose their zone.
 */
export function rebuildZones(db: Db, lo: number, hi: number): void {
  const first = Math.floor(lo / ZONE_ROWS);
  const last = Math.floor(hi / ZONE_ROWS);
  db.prepare('DELETE FROM row_zone WHERE block BETWEEN ? AND ?').run(first, last);
  db.prepare(zoneFillSql('rowid BETWEEN ? AND ?')).run(first * ZONE_ROWS, (last + 1) * ZONE_ROWS - 1);
}

/**
 * The zones of rows as an import writes them: rows get consecutive rowids from the one given to start(), so a row's
 * block is known without asking SQLite. flush() adds them to row_zone, merging with a block an earlier import began.
 */
export class ZoneAccumulator {
  private rowid = 0;
  private block = 0;
  private nextBlockAt = 0;
  private min = 0;
  private max = 0;
  private rows = 0;
  /** Closed blocks: block, min day, max day, rows. */
  private closed: number[] = [];

  /** The next row added gets this rowid. */
  start(rowid: number): void {
    this.close();
    this.rowid = rowid;
    this.block = Math.floor(rowid / ZONE_ROWS);
    this.nextBlockAt = (this.block + 1) * ZONE_ROWS;
  }

  add(day: number): void {
    if (this.rowid === this.nextBlockAt) {
      this.close();
      this.block++;
      this.nextBlockAt += ZONE_ROWS;
    }
    if (this.rows === 0) this.min = this.max = day;
    else if (day < this.min) this.min = day;
    else if (day > this.max) this.max = day;
    this.rows++;
    this.rowid++;
  }

  /** The rowid the next row would get: start's rowid plus the rows added since. */
  get nextRowid(): number {
    return this.rowid;
  }

  flush(db: Db): void {
    this.close();
    const upsert = db.prepare(UPSERT);
    const c = this.closed;
    for (let i = 0; i < c.length; i += 4) upsert.run(c[i], c[i + 1], c[i + 2], c[i + 3]);
    this.closed = [];
  }

  /** Forget the rows added since start() without writing them (their zones are rebuilt from SQL instead). */
  discard(): void {
    this.rows = 0;
    this.closed = [];
  }

  private close(): void {
    if (this.rows === 0) return;
    this.closed.push(this.block, this.min, this.max, this.rows);
    this.rows = 0;
  }
}

/** Inclusive rowid bounds. */
export interface RowidRange {
  lo: number;
  hi: number;
}

interface ZoneStatements {
  overlapping: Statement;
  zoneRows: Statement;
  fileRows: Statement;
}

const statements = new WeakMap<Db, ZoneStatements>();

function statementsFor(db: Db): ZoneStatements | null {
  let s = statements.get(db);
  if (s) return s;
  try {
    s = {
      overlapping: db.prepare('SELECT block, rows FROM row_zone WHERE max_day >= ? AND min_day <= ? ORDER BY block').raw(),
      zoneRows: db.prepare('SELECT coalesce(sum(rows), 0) FROM row_zone').pluck(),
      fileRows: db.prepare('SELECT coalesce(sum(rows), 0) FROM file_period').pluck(),
    };
  } catch {
    // a workspace opened read-only before the migration adding row_zone: no zones, every question reads the table
    return null;
  }
  statements.set(db, s);
  return s;
}

/**
 * The rowid ranges holding every cost_usage row whose day lies in fromDay..toDay (either end open), merged and in
 * order; [] when no row can. null: no useful restriction (no zone map, zones not accounting for every row, or rows so
 * out of time order that the ranges are too many or cover most of the table) — read the whole table.
 */
export function zoneRanges(db: Db, fromDay: number | undefined, toDay: number | undefined): RowidRange[] | null {
  const s = statementsFor(db);
  if (!s) return null;
  const blocks = s.overlapping.all(fromDay ?? Number.MIN_SAFE_INTEGER, toDay ?? Number.MAX_SAFE_INTEGER) as [number, number][];
  const zoneRows = s.zoneRows.get() as number;
  if (zoneRows !== (s.fileRows.get() as number)) return null;
  const ranges: RowidRange[] = [];
  let rows = 0;
  for (const [block, n] of blocks) {
    rows += n;
    const lo = block * ZONE_ROWS;
    const last = ranges[ranges.length - 1];
    if (last && last.hi === lo - 1) last.hi = lo + ZONE_ROWS - 1;
    else ranges.push({ lo, hi: lo + ZONE_ROWS - 1 });
    if (ranges.length > MAX_ZONE_RANGES) return null;
  }
  if (ranges.length > 1 && rows > MAX_ZONE_SHARE * zoneRows) return null;
  return ranges;
}

/**
 * How a query on raw rows reads them. 'any': in whatever order SQLite likes (aggregates): several rowid ranges become
 * an OR that SQLite reads range by range. 'rowid': in rowid order, possibly with rowid bounds of its own (a page's
 * seek, an export's keyset); an OR of ranges would read every range and sort, so the rows between ranges are read and
 * skipped instead, and the lower bound is marked unlikely to narrow much so that SQLite seeks by the caller's bound.
 */
export type RowOrder = 'any' | 'rowid';

/**
 * WHERE conditions on raw rows `alias` keeping only the rowid ranges whose zones overlap fromDay..toDay (either end
 * open), for SQL that also has the day conditions (zones may hold other days too). null: no restriction.
 */
export function zoneWhere(db: Db, alias: string, fromDay: number | undefined, toDay: number | undefined, order: RowOrder): { where: string[]; params: number[] } | null {
  if (fromDay === undefined && toDay === undefined) return null;
  const ranges = zoneRanges(db, fromDay, toDay);
  if (ranges === null) return null;
  if (ranges.length === 0) return { where: ['0'], params: [] };
  const id = `${alias}.rowid`;
  const list = (col: string) => ranges.map(() => `${col} BETWEEN ? AND ?`).join(' OR ');
  const bounds = ranges.flatMap((r) => [r.lo, r.hi]);
  if (order === 'any') return { where: [ranges.length === 1 ? list(id) : `(${list(id)})`], params: bounds };
  const span = { where: [`likelihood(${id} >= ?, 0.9)`, `${id} <= ?`], params: [ranges[0]!.lo, ranges[ranges.length - 1]!.hi] };
  if (ranges.length === 1) return span;
  // `+` keeps SQLite from reading these ranges one by one (out of rowid order)
  return { where: [...span.where, `(${list(`+${id}`)})`], params: [...span.params, ...bounds] };
}

// Multi-dimensional rollups ("cubes") for explore questions that combine columns: a pivot two levels deep, a filter
// on one column while grouping by another. rollup_dim answers one column at a time; raw rows answer anything but
// scan millions of rows. Which cubes, measured on the 10M-row benchmark (180 days, 200 sub accounts, 36 tag sets):
//   - cube_day: day × the rollup dimensions except SubAccountId: 31k cells. Sub accounts multiply it by 70 (2.2M
//     cells), tag sets by 35 (1.1M): both go to the monthly cube instead.
//   - cube_month: month × every rollup dimension × tag set: 0.98M cells, answering sub account and tag questions by
//     whole months.
// SQLite aggregates ~1-3M cells/s with a GROUP BY (0.5-1 s over cube_month), so the query worker scans them from
// typed arrays instead (explore/cube-scan.ts); these tables are their durable form, kept by each import in its own
// transaction (ingest/cube-accumulator.ts) and rebuilt from raw rows where rows were removed.
import { ROLLUP_DIMENSIONS } from './cost-columns';
import { zoneWhere } from './row-zones';
import type { Db } from './workspace';

export interface CubeSpec {
  table: 'cube_day' | 'cube_month';
  /** Dimension columns in key order (dict ids, 0 = null); 'tagset' is the row's tag set id (0 = no tags). */
  dims: readonly string[];
  /** The time column holds the day number (cube_day) or the day number of the month's first day (cube_month). */
  grain: 'day' | 'month';
}

export const CUBE_DAY: CubeSpec = {
  table: 'cube_day',
  dims: ROLLUP_DIMENSIONS.filter((d) => d !== 'SubAccountId'),
  grain: 'day',
};

export const CUBE_MONTH: CubeSpec = {
  table: 'cube_month',
  dims: [...ROLLUP_DIMENSIONS, 'tagset'],
  grain: 'month',
};

export const CUBES: readonly CubeSpec[] = [CUBE_DAY, CUBE_MONTH];

export const CUBE_MEASURES = ['billed', 'effective', 'list', 'contracted', 'rows'] as const;

const q = (c: string) => `"${c}"`;

export function cubeDdl(c: CubeSpec): string {
  return `CREATE TABLE ${c.table} (
    day INTEGER NOT NULL,
    ${c.dims.map((d) => `${q(d)} INTEGER NOT NULL`).join(',\n    ')},
    billed INTEGER NOT NULL, effective INTEGER NOT NULL, list INTEGER NOT NULL, contracted INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    PRIMARY KEY (day, ${c.dims.map(q).join(', ')})
  ) WITHOUT ROWID, STRICT;`;
}

/** Day number of the first day of the month holding day number `dayCol` (SQL). */
export const MONTH_START_SQL = (dayCol: string) => `CAST(julianday(${dayCol} * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER)`;

/** INSERT of a cube's cells aggregated from raw rows matching `where` (SQL over alias r). */
export function cubeFillSql(c: CubeSpec, where: string): string {
  const time = c.grain === 'day' ? 'r.day' : MONTH_START_SQL('r.day');
  const dims = c.dims.map((d) => (d === 'tagset' ? 'coalesce(r.tagset, 0)' : `coalesce(r.${q(d)}, 0)`));
  return `INSERT INTO ${c.table} (day, ${c.dims.map(q).join(', ')}, billed, effective, list, contracted, rows)
     SELECT ${time}, ${dims.join(', ')}, sum(coalesce(r."BilledCost", 0)), sum(coalesce(r."EffectiveCost", 0)),
       sum(coalesce(r."ListCost", 0)), sum(coalesce(r."ContractedCost", 0)), count(*)
     FROM cost_usage r WHERE ${where} GROUP BY 1, ${dims.map((_, i) => i + 2).join(', ')}`;
}

/** Recompute a cube's cells for a day range from raw rows (for a monthly cube, whole months around the range). */
export function rebuildCube(db: Db, c: CubeSpec, fromDay: number, toDay: number): void {
  let lo = fromDay;
  let hi = toDay;
  if (c.grain === 'month') {
    lo = db.prepare(`SELECT ${MONTH_START_SQL('?')}`).pluck().get(fromDay) as number;
    // the first day of the month after toDay, less one
    hi = (db.prepare(`SELECT CAST(julianday(? * 86400, 'unixepoch', 'start of month', '+1 month') - 2440587.5 AS INTEGER)`).pluck().get(toDay) as number) - 1;
  }
  db.prepare(`DELETE FROM ${c.table} WHERE day BETWEEN ? AND ?`).run(lo, hi);
  const z = zoneWhere(db, 'r', lo, hi, 'any');
  db.prepare(cubeFillSql(c, ['r.day BETWEEN ? AND ?', ...(z?.where ?? [])].join(' AND '))).run(lo, hi, ...(z?.params ?? []));
  bumpCubeGeneration(db);
}

/** Readers holding cubes in memory reload them when this number changes (any import or removal of rows). */
export function bumpCubeGeneration(db: Db): void {
  db.prepare(
    `INSERT INTO meta (key, value) VALUES ('cube_generation', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
  ).run();
}

export function cubeGeneration(db: Db): number {
  const v = db.prepare(`SELECT value FROM meta WHERE key = 'cube_generation'`).pluck().get() as string | undefined;
  return v === undefined ? 0 : Number(v);
}

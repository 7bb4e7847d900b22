// Rebuilds rollups from cost_usage with SQL: used when rows are removed (replaced billing periods) and by tests
// that check the incrementally maintained rollups against a fresh aggregation.
import { firstDayOfMonth, monthOfDay } from '../ingest/datetime';
import { ROLLUP_DIMENSIONS } from './cost-columns';
import { CUBES, rebuildCube } from './cubes';
import { zoneWhere } from './row-zones';
import type { Db } from './workspace';

/** SQL month number (year*12 + month-1) of a day number column. */
export const MONTH_OF_DAY_SQL = (col: string) =>
  `(CAST(strftime('%Y', ${col} * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', ${col} * 86400, 'unixepoch') AS INTEGER) - 1)`;

const MEASURES_SQL = `sum(coalesce(c."BilledCost", 0)), sum(coalesce(c."EffectiveCost", 0)), sum(coalesce(c."ListCost", 0)),
  sum(coalesce(c."ContractedCost", 0)), count(*)`;

/** ` AND …` restricting raw rows `c` to the rowid blocks holding days fromDay..toDay, and its parameters. */
function zones(db: Db, fromDay: number, toDay: number): { sql: string; params: number[] } {
  const z = zoneWhere(db, 'c', fromDay, toDay, 'any');
  return z ? { sql: ` AND ${z.where.join(' AND ')}`, params: z.params } : { sql: '', params: [] };
}

export function rebuildResourceRollup(db: Db, fromMonth: number, toMonth: number): void {
  const month = MONTH_OF_DAY_SQL('c.day');
  db.prepare('DELETE FROM rollup_resource_month WHERE month BETWEEN ? AND ?').run(fromMonth, toMonth);
  const z = zones(db, firstDayOfMonth(fromMonth), firstDayOfMonth(toMonth + 1) - 1);
  db.prepare(
    `INSERT INTO rollup_resource_month (month, "BillingCurrency", "ResourceId", billed, effective, list, contracted, rows)
     SELECT ${month} AS m, coalesce(c."BillingCurrency", 0), coalesce(c."ResourceId", 0), ${MEASURES_SQL}
     FROM cost_usage c WHERE ${month} BETWEEN ? AND ?${z.sql}
     GROUP BY 1, 2, 3`,
  ).run(fromMonth, toMonth, ...z.params);
}

/** Rebuild the per-dimension rollup for a day range from the raw rows. */
export function rebuildDimRollup(db: Db, fromDay: number, toDay: number): void {
  db.prepare('DELETE FROM rollup_dim WHERE day BETWEEN ? AND ?').run(fromDay, toDay);
  const z = zones(db, fromDay, toDay);
  const insert = (sql: string) =>
    db.prepare(`INSERT INTO rollup_dim (dim, day, currency, value, billed, effective, list, contracted, rows) ${sql}`).run(fromDay, toDay, ...z.params);
  const currency = 'coalesce(c."BillingCurrency", 0)';
  const days = `c.day BETWEEN ? AND ?${z.sql}`;
  insert(`SELECT 0, c.day, ${currency}, 0, ${MEASURES_SQL} FROM cost_usage c WHERE ${days} GROUP BY 2, 3`);
  ROLLUP_DIMENSIONS.forEach((d, i) =>
    insert(`SELECT ${i + 1}, c.day, ${currency}, coalesce(c."${d}", 0), ${MEASURES_SQL} FROM cost_usage c WHERE ${days} GROUP BY 2, 3, 4`),
  );
  insert(`SELECT -t.key, c.day, ${currency}, t.value, ${MEASURES_SQL} FROM cost_usage c JOIN tag t ON t.tagset = c.tagset
    WHERE ${days} GROUP BY t.key, 2, 3, t.value`);
}

/** Every rollup and cube of a day range, recomputed from the raw rows (after rows of the range were removed). */
export function rebuildRollups(db: Db, fromDay: number, toDay: number): void {
  rebuildDimRollup(db, fromDay, toDay);
  rebuildResourceRollup(db, monthOfDay(fromDay), monthOfDay(toDay));
  for (const c of CUBES) rebuildCube(db, c, fromDay, toDay);
}

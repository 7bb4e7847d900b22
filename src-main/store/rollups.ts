// Rebuilds rollups from cost_usage with SQL: used when rows are removed (replaced billing periods) and by tests
// that check the incrementally maintained rollups against a fresh aggregation.
import { ROLLUP_DIMENSIONS } from './cost-columns';
import type { Db } from './workspace';

/** SQL month number (year*12 + month-1) of a day number column. */
export const MONTH_OF_DAY_SQL = (col: string) =>
  `(CAST(strftime('%Y', ${col} * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', ${col} * 86400, 'unixepoch') AS INTEGER) - 1)`;

const MEASURES_SQL = `sum(coalesce("BilledCost", 0)), sum(coalesce("EffectiveCost", 0)), sum(coalesce("ListCost", 0)),
  sum(coalesce("ContractedCost", 0)), count(*)`;

export function rebuildDailyRollup(db: Db, fromDay: number, toDay: number): void {
  const dims = ROLLUP_DIMENSIONS.map((d) => `"${d}"`);
  db.prepare('DELETE FROM rollup_daily WHERE day BETWEEN ? AND ?').run(fromDay, toDay);
  db.prepare(
    `INSERT INTO rollup_daily (day, ${dims.join(', ')}, tagset, billed, effective, list, contracted, rows)
     SELECT day, ${dims.map((d) => `coalesce(${d}, 0)`).join(', ')}, coalesce(tagset, 0), ${MEASURES_SQL}
     FROM cost_usage WHERE day BETWEEN ? AND ?
     GROUP BY day, ${dims.map((d) => `coalesce(${d}, 0)`).join(', ')}, coalesce(tagset, 0)`,
  ).run(fromDay, toDay);
}

export function rebuildResourceRollup(db: Db, fromMonth: number, toMonth: number): void {
  const month = MONTH_OF_DAY_SQL('day');
  db.prepare('DELETE FROM rollup_resource_month WHERE month BETWEEN ? AND ?').run(fromMonth, toMonth);
  db.prepare(
    `INSERT INTO rollup_resource_month (month, "BillingCurrency", "ResourceId", billed, effective, list, contracted, rows)
     SELECT ${month} AS m, coalesce("BillingCurrency", 0), coalesce("ResourceId", 0), ${MEASURES_SQL}
     FROM cost_usage WHERE ${month} BETWEEN ? AND ?
     GROUP BY m, coalesce("BillingCurrency", 0), coalesce("ResourceId", 0)`,
  ).run(fromMonth, toMonth);
}

/** Rebuild the per-dimension rollup for a day range from rollup_daily (call after rebuilding that range of it). */
export function rebuildDimRollup(db: Db, fromDay: number, toDay: number): void {
  const sums = 'sum(billed), sum(effective), sum(list), sum(contracted), sum(rows)';
  db.prepare('DELETE FROM rollup_dim WHERE day BETWEEN ? AND ?').run(fromDay, toDay);
  const insert = (sql: string) => db.prepare(`INSERT INTO rollup_dim (dim, day, currency, value, billed, effective, list, contracted, rows) ${sql}`).run(fromDay, toDay);
  insert(`SELECT 0, day, "BillingCurrency", 0, ${sums} FROM rollup_daily WHERE day BETWEEN ? AND ? GROUP BY day, "BillingCurrency"`);
  ROLLUP_DIMENSIONS.forEach((d, i) =>
    insert(`SELECT ${i + 1}, day, "BillingCurrency", "${d}", ${sums} FROM rollup_daily WHERE day BETWEEN ? AND ? GROUP BY day, "BillingCurrency", "${d}"`),
  );
  insert(`SELECT -t.key, r.day, r."BillingCurrency", t.value, sum(r.billed), sum(r.effective), sum(r.list), sum(r.contracted), sum(r.rows)
    FROM rollup_daily r JOIN tag t ON t.tagset = r.tagset WHERE r.day BETWEEN ? AND ? GROUP BY t.key, r.day, r."BillingCurrency", t.value`);
}

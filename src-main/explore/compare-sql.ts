// The SQL side of explore.compare: one grouped pass over the raw cost_usage rows of one period, returning item-level
// aggregates as dictionary ids (never strings); explain-change.ts does the arithmetic.
import type { Filter, Metric } from '../../src-shared/api/contract';
import type { Db } from '../store/workspace';
import { addFilters, addRowDateRange, keyExpr, whereSql, type ColumnRef, type DictLookup, type SqlParts } from './scope';

/** One aggregate: a (currency, value, item, unit) of ordinary rows, or a (currency, value) of credit/correction rows. */
export interface PeriodRow {
  currency: number;
  /** The dimension value: a dictionary id (0 = null), or the text of a JSON key (null = absent). */
  value: number | string | null;
  credit: boolean;
  /** Item key: ResourceId·4, else SkuId·4+1, else ChargeDescription·4+2 (dictionary ids; the low bits keep kinds apart). */
  item: number;
  unit: number;
  cost: bigint;
  quantity: number;
  rows: number;
}

export interface PeriodScope {
  from: string;
  to: string;
  filters: Filter[];
  metric: Metric;
  group: ColumnRef;
}

export function periodRows(db: Db, dict: DictLookup, scope: PeriodScope): PeriodRow[] {
  const parts: SqlParts = { joins: [], where: [], params: [] };
  const value = keyExpr(scope.group, 'cost_usage', 'r', dict, parts);
  // the zone map reads only the rowid blocks of the period's days (narrower than its files' rowid span)
  addRowDateRange(db, parts, 'r', scope.from, scope.to);
  addFilters(parts, scope.filters, 'cost_usage', 'r', dict);
  const ids = (values: string[]) => values.map((v) => dict.id(v) ?? -1).join(', ');
  const credit = `(r."ChargeCategory" IN (${ids(['Credit', 'Adjustment'])}) OR r."ChargeClass" IN (${ids(['Correction'])}))`;
  const sql = `
    SELECT coalesce(r."BillingCurrency", 0), ${value},
      CASE WHEN ${credit} THEN 1 ELSE 0 END,
      CASE WHEN ${credit} THEN 0
           WHEN r."ResourceId" IS NOT NULL THEN r."ResourceId" * 4
           WHEN r."SkuId" IS NOT NULL THEN r."SkuId" * 4 + 1
           ELSE coalesce(r."ChargeDescription", 0) * 4 + 2 END,
      CASE WHEN ${credit} THEN 0 ELSE coalesce(r."PricingUnit", 0) END,
      sum(coalesce(r."${scope.metric}", 0)), coalesce(sum(r."PricingQuantity"), 0), count(*)
    FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)}
    GROUP BY 1, 2, 3, 4, 5`;
  const raw = db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as unknown[][];
  return raw.map((r) => ({
    currency: Number(r[0]),
    value: scope.group.kind === 'json' ? (r[1] === null ? null : String(r[1])) : Number(r[1] ?? 0),
    credit: r[2] === 1n,
    item: Number(r[3]),
    unit: Number(r[4]),
    cost: r[5] as bigint,
    quantity: Number(r[6]),
    rows: Number(r[7]),
  }));
}

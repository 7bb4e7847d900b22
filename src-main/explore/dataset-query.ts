// Questions over the supporting FOCUS datasets. They are small (thousands of rows), so plain SQL over their tables
// answers at once; what matters is exactness (money summed as integer nano-units) and never adding currencies.
import type { DatasetQueryOutput, QueryRow } from '../../src-shared/api/contract';
import { columnsOf } from '../../src-shared/focus/catalog';
import { EngineError } from '../engine/errors';
import { DATASET_TABLE, kindOf, type SupportingDataset } from '../ingest/datasets/supporting';
import type { Db } from '../store/workspace';

export interface DatasetQuery {
  dataset: SupportingDataset;
  groupBy: string[];
  metric: string;
  from?: string | undefined;
  to?: string | undefined;
  filters: { column: string; values: (string | null)[]; exclude?: boolean | undefined }[];
}

/** The column each dataset's --from/--to applies to. */
const PERIOD_COLUMN: Record<SupportingDataset, string> = {
  ContractCommitment: 'ContractCommitmentPeriodStart',
  InvoiceDetail: 'BillingPeriodStart',
  BillingPeriod: 'BillingPeriodStart',
};

/** The currency a money column is in. */
function currencyColumnOf(dataset: SupportingDataset, metric: string): string | null {
  if (metric.startsWith('PricingCurrency')) return 'PricingCurrency';
  if (metric.startsWith('PaymentCurrency')) return 'PaymentCurrency';
  return dataset === 'BillingPeriod' ? null : 'BillingCurrency';
}

function dayStart(text: string): number {
  return Date.parse(`${text}T00:00:00Z`) / 1000;
}

export function queryDataset(db: Db, q: DatasetQuery): DatasetQueryOutput {
  const table = DATASET_TABLE[q.dataset];
  const specs = new Map(columnsOf(q.dataset).map((s) => [s.name.toLowerCase(), s]));
  /** SQL for a column reference (catalog column or x_ custom column) and how to show its values. */
  const ref = (name: string): { sql: string; name: string; time: boolean } => {
    const spec = specs.get(name.toLowerCase());
    if (spec) return { sql: `"${spec.name}"`, name: spec.name, time: kindOf(spec) === 'time' };
    if (/^x_[\w.-]+$/i.test(name)) return { sql: `json_extract(extras, '$."${name.replace(/"/g, '')}"')`, name, time: false };
    throw new EngineError('bad-input', `${name} is not a column of the ${q.dataset} dataset`);
  };
  let metricSql: string;
  let money = false;
  let metricName = q.metric;
  if (q.metric === 'rows') metricSql = 'count(*)';
  else {
    const spec = specs.get(q.metric.toLowerCase());
    if (!spec || spec.type !== 'Decimal') {
      const numeric = columnsOf(q.dataset).filter((s) => s.type === 'Decimal').map((s) => s.name);
      throw new EngineError('bad-input', `--metric for ${q.dataset} is one of ${[...numeric, 'rows'].join(', ')}`);
    }
    metricName = spec.name;
    money = kindOf(spec) === 'money';
    metricSql = `sum("${spec.name}")`;
  }
  const where: string[] = ['file_id IN (SELECT id FROM import_file WHERE active = 1)'];
  const params: (string | number)[] = [];
  const period = PERIOD_COLUMN[q.dataset];
  if (q.from) {
    where.push(`"${period}" >= ?`);
    params.push(dayStart(q.from));
  }
  if (q.to) {
    where.push(`"${period}" < ?`);
    params.push(dayStart(q.to) + 86400);
  }
  for (const f of q.filters) {
    const c = ref(f.column);
    const vals = f.values.filter((v): v is string => v !== null);
    const parts: string[] = [];
    if (vals.length > 0) {
      parts.push(`${c.sql} IN (${vals.map(() => '?').join(', ')})`);
      params.push(...vals.map((v) => (c.time ? dayStart(v.slice(0, 10)) : v)));
    }
    if (f.values.includes(null)) parts.push(`${c.sql} IS NULL`);
    const cond = parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
    where.push(f.exclude ? `NOT ${cond}` : cond);
  }
  const groups = q.groupBy.map(ref);
  const currencyCol = money ? currencyColumnOf(q.dataset, metricName) : null;
  const whereSql = where.join(' AND ');
  let currency: string | null = null;
  if (currencyCol) {
    const currencies = db.prepare(`SELECT DISTINCT "${currencyCol}" FROM ${table} WHERE ${whereSql}`).pluck().all(...params) as (string | null)[];
    const grouped = groups.some((g) => g.name === currencyCol);
    if (currencies.length > 1 && !grouped) {
      throw new EngineError(
        'mixed-currency',
        `${metricName} is in ${currencies.length} currencies (${currencies.join(', ')}): filter on ${currencyCol} or group by it`,
      );
    }
    currency = currencies.length === 1 ? (currencies[0] ?? null) : null;
  }
  const select = [...groups.map((g, i) => `${g.sql} AS g${i}`), `${metricSql} AS v`];
  const sql = `SELECT ${select.join(', ')} FROM ${table} WHERE ${whereSql}${groups.length > 0 ? ` GROUP BY ${groups.map((_, i) => `g${i}`).join(', ')} ORDER BY v DESC` : ''}`;
  db.defaultSafeIntegers(true);
  let raw: Record<string, unknown>[];
  try {
    raw = db.prepare(sql).safeIntegers(true).all(...params) as Record<string, unknown>[];
  } finally {
    db.defaultSafeIntegers(false);
  }
  const value = (v: unknown): number => {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'bigint') return money ? Number(v / 1000000000n) + Number(v % 1000000000n) / 1e9 : Number(v);
    return Number(v);
  };
  const show = (v: unknown, time: boolean): string | number | null => {
    if (v === null || v === undefined) return null;
    if (time) return new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z');
    return typeof v === 'bigint' ? Number(v) : (v as string | number);
  };
  let totalNanos = 0n;
  let total = 0;
  const rows: QueryRow[] = raw.map((r) => {
    const row: QueryRow = {};
    groups.forEach((g, i) => (row[g.name] = show(r[`g${i}`], g.time)));
    row.value = value(r.v);
    if (money && typeof r.v === 'bigint') totalNanos += r.v;
    else total += value(r.v);
    return row;
  });
  if (money) total = Number(totalNanos / 1000000000n) + Number(totalNanos % 1000000000n) / 1e9;
  return { dataset: q.dataset, metric: metricName, currency, rows, total };
}

// How the supporting FOCUS datasets link to Cost and Usage, by the FOCUS 1.4 keys:
// - invoices: Cost and Usage and Invoice Detail both summed by (InvoiceIssuerName, InvoiceId), never across currencies;
//   the billing period's status looked up in Billing Period by (InvoiceIssuerName, BillingPeriodStart);
// - commitments: Cost and Usage ContractApplied.Elements[].ContractCommitmentId to Contract Commitment.
// Money stays integer nano-units (SQL sums of INTEGER columns, ContractApplied amounts parsed from their JSON text
// without floating point) and becomes a number only in the output. Only rows of active imports count.
import type { CommitmentLink, DatasetLinks, InvoiceLink, ParsedInput } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { isoDateTime } from '../ingest/datetime';
import { nanosToNumber } from '../ingest/decimal';
import type { Db } from '../store/workspace';
import { appliedByCommitment, type Applied } from './contract-applied';

const ACTIVE = 'file_id IN (SELECT id FROM import_file WHERE active = 1)';
/** Half a cent in nanos: a difference below it is 0.00 to the cent. */
const HALF_CENT = 5_000_000n;

export function datasetLinks(db: Db, input: ParsedInput<'explore.datasetLinks'>): DatasetLinks {
  const range = periodRange(input.from, input.to);
  const notes: string[] = [];
  return {
    counts: counts(db),
    invoices: invoiceLinks(db, range),
    ...commitmentLinks(db, notes),
    notes,
  };
}

// ---------- counts ----------

function counts(db: Db): DatasetLinks['counts'] {
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table} WHERE ${ACTIVE}`).pluck().get() as number;
  return {
    // file_period keeps the rows of each file and billing period as imports add and replace them: the exact count
    // without scanning millions of cost_usage rows
    costAndUsageRows: db
      .prepare('SELECT coalesce(sum(fp.rows), 0) FROM file_period fp JOIN import_file f ON f.id = fp.file_id WHERE f.active = 1')
      .pluck()
      .get() as number,
    invoiceDetailRows: count('invoice_detail'),
    contractCommitmentRows: count('contract_commitment'),
    billingPeriodRows: count('billing_period'),
  };
}

// ---------- invoices ----------

interface PeriodRange {
  /** Unix seconds, inclusive. */
  lo: number | null;
  /** Unix seconds, exclusive. */
  hi: number | null;
}

function periodRange(from: string | undefined, to: string | undefined): PeriodRange {
  const lo = from ? Date.parse(`${from}T00:00:00Z`) / 1000 : null;
  const hi = to ? Date.parse(`${to}T00:00:00Z`) / 1000 + 86400 : null;
  if ((lo !== null && Number.isNaN(lo)) || (hi !== null && Number.isNaN(hi))) {
    throw new EngineError('bad-input', `from/to must be real days (YYYY-MM-DD); got ${from ?? ''}..${to ?? ''}`);
  }
  if (lo !== null && hi !== null && lo >= hi) throw new EngineError('bad-input', `from (${from}) is after to (${to})`);
  return { lo, hi };
}

function rangeSql(column: string, r: PeriodRange, params: number[]): string {
  let sql = '';
  if (r.lo !== null) {
    sql += ` AND ${column} >= ?`;
    params.push(r.lo);
  }
  if (r.hi !== null) {
    sql += ` AND ${column} < ?`;
    params.push(r.hi);
  }
  return sql;
}

/** One side's sum for an invoice key. */
interface InvoiceSide {
  issuer: string | null;
  invoice: string;
  currency: string | null;
  billed: bigint;
  rows: number;
  periodStart: number | null;
  statuses?: string | null;
}

const keyOf = (s: { issuer: string | null; invoice: string; currency: string | null }) => JSON.stringify([s.issuer, s.invoice, s.currency]);

/** Rows read with safeIntegers: every integer is a bigint. */
function sides(db: Db, sql: string, params: number[]): InvoiceSide[] {
  const raw = db.prepare(sql).safeIntegers(true).all(...params) as {
    issuer: string | null;
    invoice: string;
    currency: string | null;
    billed: bigint | null;
    rows: bigint;
    bps: bigint | null;
    statuses?: string | null;
  }[];
  return raw.map((r) => ({
    issuer: r.issuer,
    invoice: r.invoice,
    currency: r.currency,
    billed: r.billed ?? 0n,
    rows: Number(r.rows),
    periodStart: r.bps === null ? null : Number(r.bps),
    ...(r.statuses !== undefined ? { statuses: r.statuses } : {}),
  }));
}

function invoiceLinks(db: Db, range: PeriodRange): InvoiceLink[] {
  const cuParams: number[] = [];
  // Aggregate on dictionary ids first (one pass over the rows; no index, see migration 4), then decode the few
  // resulting keys.
  const costSides = sides(
    db,
    `SELECT iss.value AS issuer, inv.value AS invoice, cur.value AS currency, a.billed, a.rows, a.bps
     FROM (SELECT "InvoiceIssuerName" AS i, "InvoiceId" AS v, "BillingCurrency" AS c, sum("BilledCost") AS billed,
                  count(*) AS rows, min("BillingPeriodStart") AS bps
           FROM cost_usage
           WHERE "InvoiceId" IS NOT NULL AND ${ACTIVE}${rangeSql('"BillingPeriodStart"', range, cuParams)}
           GROUP BY 1, 2, 3) a
     JOIN dict inv ON inv.id = a.v
     LEFT JOIN dict iss ON iss.id = a.i
     LEFT JOIN dict cur ON cur.id = a.c`,
    cuParams,
  );
  const idParams: number[] = [];
  const invoiceSides = sides(
    db,
    `SELECT "InvoiceIssuerName" AS issuer, "InvoiceId" AS invoice, "BillingCurrency" AS currency, sum("BilledCost") AS billed,
            count(*) AS rows, min("BillingPeriodStart") AS bps, group_concat(DISTINCT "InvoiceIssueStatus") AS statuses
     FROM invoice_detail
     WHERE "InvoiceId" IS NOT NULL AND ${ACTIVE}${rangeSql('"BillingPeriodStart"', range, idParams)}
     GROUP BY 1, 2, 3`,
    idParams,
  );
  const periodStatus = billingPeriodStatus(db);

  const byKey = new Map<string, { invoice?: InvoiceSide; cost?: InvoiceSide }>();
  for (const s of invoiceSides) byKey.set(keyOf(s), { invoice: s });
  for (const s of costSides) {
    const k = keyOf(s);
    const e = byKey.get(k);
    if (e) e.cost = s;
    else byKey.set(k, { cost: s });
  }
  const links: (InvoiceLink & { start: number | null })[] = [];
  for (const { invoice, cost } of byKey.values()) {
    const any = (invoice ?? cost)!;
    // Invoice Detail states the invoice's billing period; Cost and Usage's is the fallback for invoices it alone has
    const start = invoice?.periodStart ?? cost?.periodStart ?? null;
    const diff = (invoice?.billed ?? 0n) - (cost?.billed ?? 0n);
    const status: InvoiceLink['status'] = !invoice
      ? 'cost-only'
      : !cost
        ? 'invoice-only'
        : (diff < 0n ? -diff : diff) < HALF_CENT
          ? 'matches'
          : 'differs';
    links.push({
      start,
      invoiceIssuerName: any.issuer,
      invoiceId: any.invoice,
      billingPeriodStart: start === null ? null : isoDateTime(start).slice(0, 10),
      currency: any.currency,
      invoiceBilledCost: invoice ? nanosToNumber(invoice.billed) : null,
      costAndUsageBilledCost: cost ? nanosToNumber(cost.billed) : null,
      difference: nanosToNumber(diff),
      status,
      invoiceRows: invoice?.rows ?? 0,
      costRows: cost?.rows ?? 0,
      invoiceIssueStatus: invoice?.statuses ? invoice.statuses.split(',').sort().join(', ') : null,
      billingPeriodStatus: start === null ? null : (periodStatus.get(JSON.stringify([any.issuer, start])) ?? null),
    });
  }
  links.sort(
    (a, b) =>
      (b.start ?? -Infinity) - (a.start ?? -Infinity) ||
      cmp(a.invoiceId, b.invoiceId) ||
      cmp(a.invoiceIssuerName, b.invoiceIssuerName) ||
      cmp(a.currency, b.currency),
  );
  return links.map(({ start: _start, ...l }) => l);
}

function cmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** BillingPeriodStatus by (InvoiceIssuerName, BillingPeriodStart); the latest delivered record wins. */
function billingPeriodStatus(db: Db): Map<string, string | null> {
  const rows = db
    .prepare(
      `SELECT "InvoiceIssuerName" AS issuer, "BillingPeriodStart" AS start, "BillingPeriodStatus" AS status
       FROM billing_period WHERE ${ACTIVE} AND "BillingPeriodStart" IS NOT NULL ORDER BY file_id, row_no`,
    )
    .all() as { issuer: string | null; start: number; status: string | null }[];
  return new Map(rows.map((r) => [JSON.stringify([r.issuer, r.start]), r.status]));
}

// ---------- commitments ----------

interface CommitmentRow {
  id: string;
  contractId: string | null;
  category: string | null;
  currency: string | null;
  unit: string | null;
  periodStart: number | null;
  periodEnd: number | null;
  cost: bigint | null;
  quantity: number | null;
}

function commitmentLinks(db: Db, notes: string[]): Pick<DatasetLinks, 'commitments' | 'unknownCommitments'> {
  const applied = new Map<string, Applied[]>();
  for (const a of appliedByCommitment(db, notes)) applied.set(a.id, [...(applied.get(a.id) ?? []), a]);
  const rows = db
    .prepare(
      `SELECT "ContractCommitmentId" AS id, "ContractId" AS contractId, "ContractCommitmentCategory" AS category,
              "BillingCurrency" AS currency, "ContractCommitmentUnit" AS unit, "ContractCommitmentPeriodStart" AS periodStart,
              "ContractCommitmentPeriodEnd" AS periodEnd, "ContractCommitmentCost" AS cost, "ContractCommitmentQuantity" AS quantity
       FROM contract_commitment WHERE ${ACTIVE} AND "ContractCommitmentId" IS NOT NULL ORDER BY file_id, row_no`,
    )
    .safeIntegers(true)
    .all() as Record<keyof CommitmentRow, unknown>[];
  // a commitment id delivered twice in the active files: the latest record describes it
  const byId = new Map<string, CommitmentRow>();
  const num = (v: unknown) => (v === null ? null : Number(v));
  for (const r of rows) {
    byId.set(String(r.id), {
      id: String(r.id),
      contractId: r.contractId as string | null,
      category: r.category as string | null,
      currency: r.currency as string | null,
      unit: r.unit as string | null,
      periodStart: num(r.periodStart),
      periodEnd: num(r.periodEnd),
      cost: r.cost === null ? null : BigInt(r.cost as bigint),
      quantity: num(r.quantity),
    });
  }
  const commitments: CommitmentLink[] = [];
  for (const c of byId.values()) {
    const list = applied.get(c.id) ?? [];
    // Applied amounts are in the Cost and Usage row's BillingCurrency: only those in the commitment's currency count
    const mine = c.currency !== null ? list.find((a) => a.currency === c.currency) : list.length === 1 ? list[0] : undefined;
    for (const other of list) {
      if (other === mine) continue;
      notes.push(
        `Commitment ${c.id} is in ${c.currency ?? 'no currency'}, but Cost and Usage applies ${nanosToNumber(other.nanos)} ${other.currency ?? '(no currency)'} of it on ${other.rows} row${other.rows === 1 ? '' : 's'}; not counted.`,
      );
    }
    const appliedNanos = mine?.nanos ?? 0n;
    commitments.push({
      contractCommitmentId: c.id,
      contractId: c.contractId,
      category: c.category,
      currency: c.currency,
      unit: c.unit,
      periodStart: c.periodStart === null ? null : isoDateTime(c.periodStart),
      periodEnd: c.periodEnd === null ? null : isoDateTime(c.periodEnd),
      commitmentCost: c.cost === null ? null : nanosToNumber(c.cost),
      commitmentQuantity: c.quantity,
      appliedCost: nanosToNumber(appliedNanos),
      appliedQuantity: mine?.quantity ?? 0,
      remainingCost: c.cost === null ? null : nanosToNumber(c.cost - appliedNanos),
      costRows: mine?.rows ?? 0,
    });
  }
  commitments.sort((a, b) => cmp(a.contractId, b.contractId) || cmp(a.contractCommitmentId, b.contractCommitmentId));
  const unknownCommitments: DatasetLinks['unknownCommitments'] = [];
  for (const [id, list] of applied) {
    if (byId.has(id)) continue;
    for (const a of list) {
      unknownCommitments.push({ contractCommitmentId: id, currency: a.currency, appliedCost: nanosToNumber(a.nanos), costRows: a.rows });
    }
  }
  unknownCommitments.sort((a, b) => b.appliedCost - a.appliedCost || cmp(a.contractCommitmentId, b.contractCommitmentId));
  return { commitments, unknownCommitments };
}

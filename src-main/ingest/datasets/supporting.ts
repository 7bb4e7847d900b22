// The three supporting FOCUS datasets (Contract Commitment 1.3+, Invoice Detail and Billing Period 1.4): which one a
// header is, where its columns sit, and each row as typed values ready to store. They are small tables (a row per
// commitment, invoice line or billing period), so rows travel as plain value arrays rather than encoded batches.
import { columnsOf, type FocusColumnSpec } from '../../../src-shared/focus/catalog';
import type { FocusDatasetId } from '../../../src-shared/api/contract';
import { parseDecimalNanos } from '../decimal';
import { parseVendorDateTime } from '../formats/values';

export type SupportingDataset = Exclude<FocusDatasetId, 'CostAndUsage'>;

export const DATASET_TABLE: Record<SupportingDataset, string> = {
  ContractCommitment: 'contract_commitment',
  InvoiceDetail: 'invoice_detail',
  BillingPeriod: 'billing_period',
};

export const DATASET_LABEL: Record<SupportingDataset, string> = {
  ContractCommitment: 'Contract Commitment',
  InvoiceDetail: 'Invoice Detail',
  BillingPeriod: 'Billing Period',
};

/** The columns that identify a record: a later delivery of the same key replaces the earlier row. */
export const DATASET_KEY: Record<SupportingDataset, readonly string[]> = {
  ContractCommitment: ['ContractCommitmentId'],
  InvoiceDetail: ['InvoiceIssuerName', 'InvoiceId', 'InvoiceDetailId'],
  BillingPeriod: ['InvoiceIssuerName', 'BillingPeriodStart'],
};

/** Columns a row cannot be stored without. */
const REQUIRED: Record<SupportingDataset, readonly string[]> = {
  ContractCommitment: ['ContractCommitmentId', 'ContractId'],
  InvoiceDetail: ['InvoiceId', 'InvoiceIssuerName', 'BilledCost', 'BillingCurrency'],
  BillingPeriod: ['InvoiceIssuerName', 'BillingPeriodStart', 'BillingPeriodEnd', 'BillingPeriodStatus'],
};

/** A Cost and Usage file has ChargePeriodStart; the others are told apart by their own key columns. */
export function datasetOfHeader(header: readonly string[]): SupportingDataset | null {
  const h = new Set(header.map((c) => c.replace(/^\uFEFF/, '').trim().toLowerCase()));
  if (h.has('chargeperiodstart')) return null;
  if (h.has('invoicedetailid')) return 'InvoiceDetail';
  if (h.has('contractcommitmentid')) return 'ContractCommitment';
  if (h.has('billingperiodstatus')) return 'BillingPeriod';
  return null;
}

export type StoredKind = 'money' | 'number' | 'time' | 'text';

export interface DatasetColumn {
  name: string;
  kind: StoredKind;
  index: number;
  spec: FocusColumnSpec;
}

export interface DatasetPlan {
  dataset: SupportingDataset;
  raw: string[];
  columns: DatasetColumn[];
  extras: { name: string; index: number }[];
  /** Catalog columns of the dataset the file does not carry. */
  absent: FocusColumnSpec[];
}

export function kindOf(spec: FocusColumnSpec): StoredKind {
  if (spec.type === 'Date/Time') return 'time';
  if (spec.type === 'Decimal') return /Cost$/.test(spec.name) ? 'money' : 'number';
  return 'text';
}

export type DatasetPlanResult = { ok: true; plan: DatasetPlan } | { ok: false; message: string };

export function planDataset(dataset: SupportingDataset, header: readonly string[]): DatasetPlanResult {
  const specs = columnsOf(dataset);
  const byLower = new Map(specs.map((s) => [s.name.toLowerCase(), s]));
  const raw = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h));
  const columns: DatasetColumn[] = [];
  const extras: DatasetPlan['extras'] = [];
  const seen = new Set<string>();
  raw.forEach((h, index) => {
    const name = h.trim();
    if (name === '') return;
    const spec = byLower.get(name.toLowerCase());
    if (!spec) {
      extras.push({ name, index });
      return;
    }
    if (seen.has(spec.name)) return;
    seen.add(spec.name);
    columns.push({ name: spec.name, kind: kindOf(spec), index, spec });
  });
  const missing = REQUIRED[dataset].filter((c) => !seen.has(c));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `is a FOCUS ${DATASET_LABEL[dataset]} file missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    };
  }
  return { ok: true, plan: { dataset, raw, columns, extras, absent: specs.filter((s) => !seen.has(s.name)) } };
}

export class DatasetRowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

function isNull(v: string): boolean {
  const t = v.trim();
  return t === '' || t.toLowerCase() === 'null';
}

/** One row as the values stored: [file_id, row_no, ...columns in plan order, extras JSON]. */
export function encodeDatasetRow(plan: DatasetPlan, cells: readonly string[]): (string | number | bigint | null)[] {
  const out: (string | number | bigint | null)[] = [];
  for (const c of plan.columns) {
    const v = cells[c.index] ?? '';
    if (isNull(v)) {
      out.push(null);
      continue;
    }
    switch (c.kind) {
      case 'money': {
        const n = parseDecimalNanos(v.trim());
        if (n === null) throw new DatasetRowError(c.name, `${c.name} '${v}' is not a number`);
        out.push(n);
        break;
      }
      case 'number': {
        const x = Number(v.trim());
        if (!Number.isFinite(x)) throw new DatasetRowError(c.name, `${c.name} '${v}' is not a number`);
        out.push(x);
        break;
      }
      case 'time': {
        const t = parseVendorDateTime(v);
        if (t === null) throw new DatasetRowError(c.name, `${c.name} '${v}' is not a date/time`);
        out.push(t);
        break;
      }
      default:
        out.push(v);
    }
  }
  if (plan.extras.length === 0) out.push(null);
  else {
    const obj: Record<string, string> = {};
    for (const e of plan.extras) {
      const v = cells[e.index] ?? '';
      if (!isNull(v)) obj[e.name] = v;
    }
    out.push(Object.keys(obj).length > 0 ? JSON.stringify(obj) : null);
  }
  return out;
}

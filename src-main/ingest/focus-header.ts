// Reads a FOCUS file's header: which dataset and FOCUS version it is, where each column sits, and whether Meterbook
// has what it needs to place every row in time, money and billing period.
import { canonicalCostColumn } from '../../src-shared/focus/catalog';
import { COST_COLUMN_KIND, type StorageKind } from '../store/cost-columns';

export interface HeaderPlan {
  /** Header cells as read (BOM stripped). */
  raw: string[];
  focusVersion: string;
  /** canonical FOCUS column → index in the row */
  source: Map<string, number>;
  /** Columns stored in cost_usage with their kind and source index, in a fixed order. */
  stored: { name: string; kind: StorageKind; index: number }[];
  /** Non-FOCUS columns (x_ custom and others) kept as a JSON object per row. */
  extras: { name: string; index: number }[];
  /** FOCUS columns that are Mandatory but absent (reported by conformance, not fatal). */
  missingRecommended: string[];
}

/** Columns without which a row cannot be placed in time, money and billing period. */
export const REQUIRED_FOR_IMPORT = [
  'BilledCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
] as const;

const OTHER_DATASET_MARKERS: [string, string][] = [
  ['InvoiceDetailId', 'Invoice Detail'],
  ['ContractCommitmentId', 'Contract Commitment'],
  ['BillingPeriodStatus', 'Billing Period'],
];

export type HeaderResult = { ok: true; plan: HeaderPlan } | { ok: false; message: string };

export function analyzeHeader(header: string[]): HeaderResult {
  const raw = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h));
  const source = new Map<string, number>();
  const extras: { name: string; index: number }[] = [];
  const lower = new Set(raw.map((h) => h.trim().toLowerCase()));

  // Invoice Detail also has BilledCost: tell the datasets apart by their key columns first.
  if (!lower.has('chargeperiodstart')) {
    for (const [marker, label] of OTHER_DATASET_MARKERS) {
      if (lower.has(marker.toLowerCase())) {
        return {
          ok: false,
          message: `is a FOCUS ${label} file; this version of Meterbook imports the Cost and Usage dataset only`,
        };
      }
    }
  }

  for (let i = 0; i < raw.length; i++) {
    const name = raw[i]!.trim();
    if (name === '') continue;
    const canonical = canonicalCostColumn(name);
    if (canonical === null) {
      extras.push({ name, index: i });
      continue;
    }
    if (source.has(canonical)) {
      const first = raw[source.get(canonical)!]!;
      return { ok: false, message: `has two columns for ${canonical} ('${first}' and '${name}')` };
    }
    source.set(canonical, i);
  }

  if (source.size === 0) {
    return { ok: false, message: 'is not a FOCUS Cost and Usage file: its header has no FOCUS column names' };
  }
  const missing = REQUIRED_FOR_IMPORT.filter((c) => !source.has(c));
  if (missing.length > 0) {
    const which = missing.length === 1 ? 'column' : 'columns';
    return {
      ok: false,
      message: `is missing the mandatory FOCUS ${which} ${missing.join(', ')}`,
    };
  }

  // ProviderName was deprecated in 1.3 in favour of ServiceProviderName: fill the new column from the old.
  if (!source.has('ServiceProviderName') && source.has('ProviderName')) {
    source.set('ServiceProviderName', source.get('ProviderName')!);
  }

  const stored: HeaderPlan['stored'] = [];
  for (const [name, index] of source) {
    const kind = COST_COLUMN_KIND.get(name);
    if (kind) stored.push({ name, kind, index });
  }
  stored.sort((a, b) => a.name.localeCompare(b.name));

  return {
    ok: true,
    plan: {
      raw,
      focusVersion: detectFocusVersion(raw),
      source,
      stored,
      extras,
      missingRecommended: [],
    },
  };
}

/** The newest FOCUS version whose columns the header uses (files rarely say their version). */
export function detectFocusVersion(header: string[]): string {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  const has = (...names: string[]) => names.some((n) => h.has(n.toLowerCase()));
  if (has('AmortizedCost', 'ChargeType') && !has('EffectiveCost')) return '0.5';
  if (has('InvoiceDetailId', 'CommitmentProgramEligibilityDetails')) return '1.4';
  if (
    has('ServiceProviderName', 'HostProviderName', 'ContractApplied', 'AllocatedMethodId', 'AllocatedResourceId') ||
    (!has('ProviderName') && has('InvoiceIssuerName') && has('ChargeClass'))
  )
    return '1.3';
  if (has('BillingAccountType', 'SubAccountType', 'InvoiceId', 'PricingCurrency')) return '1.2';
  if (has('CapacityReservationId', 'CommitmentDiscountQuantity', 'ServiceSubcategory', 'SkuMeter', 'SkuPriceDetails'))
    return '1.1';
  if (has('ChargeClass', 'ConsumedQuantity', 'ContractedCost', 'RegionId', 'CommitmentDiscountStatus')) return '1.0';
  if (has('UsageQuantity', 'Region')) return '1.0-preview';
  return '1.0';
}

import { FOCUS_COLUMNS } from './catalog.data';
import type { FocusColumnSpec, FocusDataset } from './catalog-types';

export type { FocusColumnSpec, FocusDataset, FocusDataType, FeatureLevel } from './catalog-types';
export { FOCUS_COLUMNS };

export const FOCUS_VERSIONS = ['0.5', '1.0-preview', '1.0', '1.1', '1.2', '1.3', '1.4'] as const;
export type FocusVersion = (typeof FOCUS_VERSIONS)[number];

export function columnsOf(dataset: FocusDataset): FocusColumnSpec[] {
  return FOCUS_COLUMNS.filter((c) => c.dataset === dataset);
}

/** Cost and Usage columns that hold money in BillingCurrency (or PricingCurrency): stored as exact integers. */
export const MONEY_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingCurrencyEffectiveCost',
] as const;
export type MoneyColumn = (typeof MONEY_COLUMNS)[number];

/** The metrics a user can sum in explore and the CLI. */
export const COST_METRICS = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'] as const;
export type CostMetric = (typeof COST_METRICS)[number];

/**
 * Names used by older FOCUS versions, mapped to the current column. Matching is case-insensitive.
 * ProviderName is kept as its own column (deprecated, not removed from files in the wild) and also fills
 * ServiceProviderName when a file has no ServiceProviderName.
 */
export const LEGACY_COLUMN_NAMES: Readonly<Record<string, string>> = {
  AmortizedCost: 'EffectiveCost',
  ChargeType: 'ChargeCategory',
  UsageQuantity: 'ConsumedQuantity',
  UsageUnit: 'ConsumedUnit',
  Region: 'RegionId',
};

const byLowerName = new Map<string, FocusColumnSpec>();
for (const c of FOCUS_COLUMNS) {
  if (c.dataset === 'CostAndUsage') byLowerName.set(c.name.toLowerCase(), c);
}

/** Resolve a header cell of a Cost and Usage file to its canonical FOCUS name, or null for a non-FOCUS column. */
export function canonicalCostColumn(header: string): string | null {
  const h = header.trim();
  const direct = byLowerName.get(h.toLowerCase());
  if (direct) return direct.name;
  for (const [legacy, current] of Object.entries(LEGACY_COLUMN_NAMES)) {
    if (legacy.toLowerCase() === h.toLowerCase()) return current;
  }
  return null;
}

export function costColumn(name: string): FocusColumnSpec | undefined {
  return byLowerName.get(name.toLowerCase());
}

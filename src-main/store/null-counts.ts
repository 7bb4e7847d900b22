// Columns whose nulls the data-quality view reports, and the rows each should be filled on. They have no rollup, and
// counting them in a date range at query time would read every row, so each import counts them per file and billing
// period (file_period.null_counts): a replaced period or a superseded snapshot takes its counts with it.
export type NullAppliesTo = 'all' | 'usage' | 'usage-purchase' | 'committed';

export const NULL_COUNTED: readonly { column: string; appliesTo: NullAppliesTo }[] = [
  // FOCUS: ResourceId for usage of a resource; SkuId and PricingQuantity when ChargeCategory is Usage or Purchase;
  // CommitmentDiscountId whenever the charge relates to a commitment (PricingCategory Committed); the cost columns
  // and ChargeDescription on every row.
  { column: 'ResourceId', appliesTo: 'usage' },
  { column: 'ChargeDescription', appliesTo: 'all' },
  { column: 'SkuId', appliesTo: 'usage-purchase' },
  { column: 'PricingQuantity', appliesTo: 'usage-purchase' },
  { column: 'ConsumedQuantity', appliesTo: 'usage' },
  { column: 'ListCost', appliesTo: 'all' },
  { column: 'ContractedCost', appliesTo: 'all' },
  { column: 'EffectiveCost', appliesTo: 'all' },
  { column: 'CommitmentDiscountId', appliesTo: 'committed' },
];

export const APPLIES_TO_LABEL: Record<NullAppliesTo, string> = {
  all: 'every row',
  usage: 'Usage rows',
  'usage-purchase': 'Usage and Purchase rows',
  committed: 'rows priced Committed',
};

/** Stored JSON: column → [rows it applies to, rows of those where it is null]. */
export type NullCounts = Record<string, [number, number]>;

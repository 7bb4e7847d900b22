export type FocusDataset = 'CostAndUsage' | 'ContractCommitment' | 'InvoiceDetail' | 'BillingPeriod';
export type FocusDataType = 'String' | 'Date/Time' | 'Decimal' | 'JSON';
export type FeatureLevel = 'Mandatory' | 'Conditional' | 'Recommended';

export interface FocusColumnSpec {
  dataset: FocusDataset;
  name: string;
  displayName: string;
  type: FocusDataType;
  featureLevel: FeatureLevel;
  allowsNulls: boolean;
  allowedValues: string[] | null;
  introducedVersion: string;
  description: string;
  deprecatedIn?: string;
  removedIn?: string;
  replacedBy?: string | null;
}

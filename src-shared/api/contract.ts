// The one API contract: every call the UI (or any host) can make, its input and output schemas, and the events a
// client can receive. Hosts, the renderer client and the handler registry are all typed from this file.
import { z } from 'zod';
import {
  AllocationApplyOutputSchema,
  AllocationPreviewInputSchema,
  AllocationPreviewSchema,
  AllocationProgressSchema,
  AllocationStateSchema,
  AllocationVersionSchema,
  DriverSummarySchema,
  RuleProblemSchema,
  RuleSetChangeSchema,
  RuleSetSchema,
  ShowbackInputSchema,
  ShowbackSchema,
} from './allocation';

// ---------- shared shapes ----------

export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const MetricSchema = z.enum(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']);
export type Metric = z.infer<typeof MetricSchema>;

/** Periods of a time series: days, ISO weeks (labelled by their Monday, YYYY-MM-DD) or months (YYYY-MM). */
export const GranularitySchema = z.enum(['day', 'week', 'month']);
export type Granularity = z.infer<typeof GranularitySchema>;

const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** A column reference: a FOCUS column name (e.g. ServiceName) or `Tags.<key>`. */
export const ColumnRefSchema = z.string().min(1).max(200);

export const FilterSchema = z.object({
  column: ColumnRefSchema,
  /** Keep rows whose value is one of these; `null` matches a missing value. */
  values: z.array(z.string().nullable()).min(1),
  exclude: z.boolean().optional(),
});
export type Filter = z.infer<typeof FilterSchema>;

export const QueryScopeSchema = z.object({
  /** Inclusive start day (UTC) of ChargePeriodStart. */
  from: DateString.optional(),
  /** Inclusive end day (UTC) of ChargePeriodStart. */
  to: DateString.optional(),
  filters: z.array(FilterSchema).default([]),
});
export type QueryScope = z.input<typeof QueryScopeSchema>;

export const WorkspaceInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  isDemo: z.boolean(),
  rows: z.number().int(),
  imports: z.number().int(),
  /** Changes with every import that stored anything (the latest import file's id): equal info, equal data. */
  revision: z.number().int(),
  firstDay: z.string().nullable(),
  lastDay: z.string().nullable(),
  currencies: z.array(z.string()),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

export const RecentWorkspaceSchema = z.object({
  path: z.string(),
  name: z.string(),
  lastOpened: z.string(),
  exists: z.boolean(),
});
export type RecentWorkspace = z.infer<typeof RecentWorkspaceSchema>;

export const ConformanceStatusSchema = z.enum(['pass', 'fail', 'skip']);
export type ConformanceStatus = z.infer<typeof ConformanceStatusSchema>;

export const ConformanceRuleResultSchema = z.object({
  /** Rule id of the FOCUS Requirements Model, e.g. BilledCost-C-001-M. */
  id: z.string(),
  /** The column or dataset the rule is about. */
  reference: z.string(),
  keyword: z.string(),
  description: z.string(),
  status: ConformanceStatusSchema,
  /** Why a rule was skipped or failed at dataset level (e.g. "column absent", "not applicable: …"). */
  reason: z.string().optional(),
  failingRows: z.number().int(),
  /** Data row numbers (first data row is 1) of the first few failing rows. */
  samples: z.array(z.number().int()),
  /** The rule's column on those rows, as the file has it (row rules on one column only). */
  sampleValues: z.array(z.string()).optional(),
});
export type ConformanceRuleResult = z.infer<typeof ConformanceRuleResultSchema>;

/** The bill format a file was read as: a FOCUS file, or a vendor export mapped to FOCUS. */
export const BillFormatRefSchema = z.object({
  /** e.g. "focus-csv", "focus-parquet", "aws-cur-2", "azure-ea", "openai-costs" */
  id: z.string(),
  label: z.string(),
});
export type BillFormatRef = z.infer<typeof BillFormatRefSchema>;

/** For a vendor export: what the mapping to FOCUS could not fill, and how its totals reconcile. */
export const MappingReportSchema = z.object({
  gaps: z.array(z.object({ column: z.string(), note: z.string() })),
  totals: z.array(
    z.object({
      focusColumn: z.string(),
      vendorColumn: z.string(),
      /** Exact decimal text. */
      vendorTotal: z.string(),
      /** Exact decimal text of the FOCUS column summed over the mapped rows (as stored: nano-units). */
      focusTotal: z.string(),
      /** Equal to the cent. */
      matches: z.boolean(),
    }),
  ),
  /** Source rows read and FOCUS rows they became. */
  sourceRows: z.number().int(),
  focusRows: z.number().int(),
});
export type MappingReport = z.infer<typeof MappingReportSchema>;

export const ConformanceReportSchema = z.object({
  file: z.string(),
  dataset: z.string(),
  focusVersion: z.string(),
  modelVersion: z.string(),
  rows: z.number().int(),
  rules: z.array(ConformanceRuleResultSchema),
  summary: z.object({ pass: z.number().int(), fail: z.number().int(), skip: z.number().int() }),
  format: BillFormatRefSchema.optional(),
  /** The provider whose applicability settings were used, and the criteria the user set for it. */
  applicability: z.object({ provider: z.string().nullable(), criteria: z.record(z.string(), z.boolean()) }).optional(),
  mapping: MappingReportSchema.optional(),
});
export type ConformanceReport = z.infer<typeof ConformanceReportSchema>;

/** One FOCUS column of a mapping-studio template: taken from a source column, or a constant. */
export const ColumnMappingSchema = z.union([z.object({ source: z.string().min(1) }), z.object({ constant: z.string() })]);

/** A mapping made in the mapping studio for a CSV no built-in format knows; reused for files with the same header. */
export const MappingTemplateSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
  /** The source header the template was made for (matched as a set of names, case-insensitively). */
  header: z.array(z.string()),
  /** FOCUS column (or x_ column) → where its value comes from. */
  columns: z.record(z.string(), ColumnMappingSchema),
  /** How slash dates read: 3/4/2025 is 3 April (dmy) or 4 March (mdy, the default). Dotted dates (03.04.2025) are always day first, ISO dates always work. */
  dateOrder: z.enum(['mdy', 'dmy']).default('mdy'),
  decimalSeparator: z.enum(['.', ',']).default('.'),
  /** Amounts are in units of 1/N of the currency: "100" for cents. */
  amountDivisor: z.enum(['1', '100', '1000', '1000000']).default('1'),
  /** The file's end dates include their last day (…-31 rather than the next month's 1st). */
  endDateInclusive: z.boolean().default(false),
  /** Keep source columns the mapping does not use as x_ columns. */
  keepUnmapped: z.boolean().default(true),
});
export type MappingTemplate = z.output<typeof MappingTemplateSchema>;
export type MappingTemplateInput = z.input<typeof MappingTemplateSchema>;

export const TableInspectionSchema = z.object({
  file: z.string(),
  container: z.string(),
  header: z.array(z.string()),
  /** The first rows as read (up to 20). */
  rows: z.array(z.array(z.string())),
  /** A format Meterbook already reads this file as, if any (then no mapping is needed). */
  detected: BillFormatRefSchema.nullable(),
});
export type TableInspection = z.infer<typeof TableInspectionSchema>;

export const MappingPreviewSchema = z.object({
  columns: z.array(z.string()),
  /** The first FOCUS rows the mapping produces (up to 1,000), with their source row numbers. */
  rows: z.array(z.array(z.string())),
  sourceRows: z.array(z.number().int()),
  /** Conformance of those rows. */
  conformance: ConformanceReportSchema,
  /** The first row that cannot be mapped, if any (the preview stops there). */
  error: z.string().nullable(),
});
export type MappingPreview = z.infer<typeof MappingPreviewSchema>;

/** A FOCUS Requirements Model applicability criterion, e.g. AVAILABILITY_ZONE_SUPPORTED. */
export const CriterionSchema = z.object({ id: z.string(), description: z.string() });

/**
 * Which applicability criteria hold, per provider (ServiceProviderName), as the user set them. A criterion not set
 * is inferred from the file: it applies when the file has one of the columns it concerns. "*" holds the defaults
 * for every provider.
 */
export const ApplicabilitySettingsSchema = z.record(z.string(), z.record(z.string(), z.boolean()));
export type ApplicabilitySettings = z.infer<typeof ApplicabilitySettingsSchema>;

export const ImportModeSchema = z.enum(['ask', 'replace', 'append']);
export type ImportMode = z.infer<typeof ImportModeSchema>;

/** A file the engine can read: a path on the engine's machine, or an upload id from the HTTP host's /upload. */
export const FileRefSchema = z.union([
  z.object({ path: z.string().min(1) }),
  z.object({ uploadId: z.string().min(1) }),
]);
export type FileRef = z.infer<typeof FileRefSchema>;

export const FocusDatasetSchema = z.enum(['CostAndUsage', 'ContractCommitment', 'InvoiceDetail', 'BillingPeriod']);
export type FocusDatasetId = z.infer<typeof FocusDatasetSchema>;

export const ImportFileResultSchema = z.object({
  file: z.string(),
  /** Bill format id: "focus-csv", "aws-cur-2", "azure-ea", … */
  format: z.string(),
  /** Its name for people: "AWS Data Exports CUR 2.0". */
  formatLabel: z.string().optional(),
  dataset: FocusDatasetSchema,
  focusVersion: z.string(),
  rows: z.number().int(),
  /** superseded-snapshot: an older full copy of periods another folder of the same delivery holds; nothing kept. */
  action: z.enum(['imported', 'unchanged', 'replaced-periods', 'appended', 'superseded-snapshot']),
  conformance: z.object({ pass: z.number().int(), fail: z.number().int(), skip: z.number().int() }),
  importFileId: z.number().int().nullable(),
  /** Supporting datasets: rows delivered earlier with the same key, replaced by this file's rows. */
  replacedRows: z.number().int().optional(),
});
export type ImportFileResult = z.infer<typeof ImportFileResultSchema>;

export const PeriodOverlapSchema = z.object({
  invoiceIssuer: z.string(),
  billingAccountId: z.string(),
  billingPeriodStart: z.string(),
  existingRows: z.number().int(),
  newRows: z.number().int(),
});
export type PeriodOverlap = z.infer<typeof PeriodOverlapSchema>;

/** Several folders of one delivery held full copies of the same billing periods: only the latest was kept. */
export const SnapshotReportSchema = z.object({
  periods: z.array(z.object({ invoiceIssuer: z.string(), billingAccountId: z.string(), billingPeriodStart: z.string() })),
  /** How many times over these periods would have been counted had every copy been added. */
  copies: z.number().int(),
  /** A copy is a folder (AWS assembly folders, export runs) or a file (daily snapshots downloaded into one folder). */
  unit: z.enum(['folder', 'file']).optional(),
  keptFolder: z.string(),
  keptFiles: z.array(z.string()),
  droppedFiles: z.array(z.string()),
});
export type SnapshotReport = z.infer<typeof SnapshotReportSchema>;

export const ImportOutcomeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('done'),
    files: z.array(ImportFileResultSchema),
    seconds: z.number(),
    /** Files in a folder or archive set aside as export metadata (manifests, markers): not bills, not imported. */
    skipped: z.array(z.string()).optional(),
    snapshots: z.array(SnapshotReportSchema).optional(),
  }),
  /** Nothing was written: the delivery covers billing periods the workspace has already; ask replace or append. */
  z.object({ status: z.literal('overlap'), overlaps: z.array(PeriodOverlapSchema) }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('failed'), error: ApiErrorSchema }),
]);
export type ImportOutcome = z.infer<typeof ImportOutcomeSchema>;

export const ImportRecordSchema = z.object({
  importFileId: z.number().int(),
  file: z.string(),
  importedAt: z.string(),
  rows: z.number().int(),
  focusVersion: z.string(),
  action: z.string(),
  conformance: z.object({ pass: z.number().int(), fail: z.number().int(), skip: z.number().int() }),
});
export type ImportRecord = z.infer<typeof ImportRecordSchema>;

export const KpisSchema = z.object({
  currency: z.string().nullable(),
  /** Several billing currencies in scope: amounts are per currency and never summed together. */
  currencies: z.array(z.string()),
  billed: z.number(),
  effective: z.number(),
  list: z.number(),
  contracted: z.number(),
  /** ListCost − EffectiveCost. */
  savings: z.number(),
  rows: z.number().int(),
});
export type Kpis = z.infer<typeof KpisSchema>;

export const QueryInputSchema = QueryScopeSchema.extend({
  groupBy: z.array(ColumnRefSchema).max(3).default([]),
  metric: MetricSchema.default('BilledCost'),
  granularity: GranularitySchema.optional(),
  /** Keep the largest N groups (by absolute value); the rest are summed into one row whose keys are `"(other)"`. */
  top: z.number().int().positive().max(10000).optional(),
});
export type QueryInput = z.input<typeof QueryInputSchema>;

export const QueryRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type QueryRow = z.infer<typeof QueryRowSchema>;

export const QueryOutputSchema = z.object({
  metric: MetricSchema,
  currency: z.string().nullable(),
  rows: z.array(QueryRowSchema),
  total: z.number(),
  /** Which structure answered: a rollup name or "rows". */
  source: z.string(),
});
export type QueryOutput = z.infer<typeof QueryOutputSchema>;

/** A question over a supporting dataset (Contract Commitment, Invoice Detail, Billing Period). */
export const DatasetQueryInputSchema = QueryScopeSchema.extend({
  dataset: z.enum(['ContractCommitment', 'InvoiceDetail', 'BillingPeriod']),
  /** Columns of the dataset or its x_ custom columns. */
  groupBy: z.array(z.string().min(1)).max(3).default([]),
  /** A numeric column of the dataset (e.g. ContractCommitmentCost, BilledCost), or "rows" to count. */
  metric: z.string().min(1),
});
export type DatasetQueryInput = z.input<typeof DatasetQueryInputSchema>;

export const DatasetQueryOutputSchema = z.object({
  dataset: z.string(),
  metric: z.string(),
  currency: z.string().nullable(),
  rows: z.array(QueryRowSchema),
  total: z.number(),
});
export type DatasetQueryOutput = z.infer<typeof DatasetQueryOutputSchema>;

/**
 * How the supporting datasets link to Cost and Usage (FOCUS 1.4 keys). `from`/`to` (inclusive days) limit the invoices
 * to those of billing periods starting in that range; commitments are always shown over their whole life.
 */
export const DatasetLinksInputSchema = z
  .object({ from: DateString.optional(), to: DateString.optional() })
  .default({});
export type DatasetLinksInput = z.input<typeof DatasetLinksInputSchema>;

/** One invoice, keyed by (InvoiceIssuerName, InvoiceId, currency), as Invoice Detail and Cost and Usage each sum it. */
export const InvoiceLinkSchema = z.object({
  invoiceIssuerName: z.string().nullable(),
  invoiceId: z.string(),
  /** YYYY-MM-DD, from Invoice Detail when it has the invoice, else from Cost and Usage. */
  billingPeriodStart: z.string().nullable(),
  currency: z.string().nullable(),
  /** Sum of Invoice Detail BilledCost; null when Invoice Detail has no line of this invoice. */
  invoiceBilledCost: z.number().nullable(),
  /** Sum of Cost and Usage BilledCost of the rows carrying this invoice; null when none do. */
  costAndUsageBilledCost: z.number().nullable(),
  /** Invoice minus Cost and Usage (a missing side counts as 0), computed exactly before conversion. */
  difference: z.number(),
  /** `matches`: the difference is 0.00 to the cent. */
  status: z.enum(['matches', 'differs', 'invoice-only', 'cost-only']),
  invoiceRows: z.number().int(),
  costRows: z.number().int(),
  /** Invoice Detail InvoiceIssueStatus (Open, Issued, Voided); several values are listed comma-separated. */
  invoiceIssueStatus: z.string().nullable(),
  /** Billing Period BillingPeriodStatus (Open, Closed) of (InvoiceIssuerName, BillingPeriodStart). */
  billingPeriodStatus: z.string().nullable(),
});
export type InvoiceLink = z.infer<typeof InvoiceLinkSchema>;

/** A Contract Commitment and how much Cost and Usage (ContractApplied) has drawn from it. */
export const CommitmentLinkSchema = z.object({
  contractCommitmentId: z.string(),
  contractId: z.string().nullable(),
  category: z.string().nullable(),
  /** The commitment's BillingCurrency; applied amounts are only summed from rows in this currency. */
  currency: z.string().nullable(),
  unit: z.string().nullable(),
  /** ISO date-times (YYYY-MM-DDTHH:MM:SSZ). */
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  commitmentCost: z.number().nullable(),
  commitmentQuantity: z.number().nullable(),
  appliedCost: z.number(),
  appliedQuantity: z.number(),
  /** commitmentCost − appliedCost; null when the commitment has no cost. */
  remainingCost: z.number().nullable(),
  costRows: z.number().int(),
});
export type CommitmentLink = z.infer<typeof CommitmentLinkSchema>;

export const DatasetLinksSchema = z.object({
  /** Rows of each dataset in the workspace's active imports. */
  counts: z.object({
    costAndUsageRows: z.number().int(),
    invoiceDetailRows: z.number().int(),
    contractCommitmentRows: z.number().int(),
    billingPeriodRows: z.number().int(),
  }),
  /** Newest billing period first, then by InvoiceId. */
  invoices: z.array(InvoiceLinkSchema),
  commitments: z.array(CommitmentLinkSchema),
  /** ContractCommitmentIds that Cost and Usage applies but no Contract Commitment row describes (per currency). */
  unknownCommitments: z.array(
    z.object({ contractCommitmentId: z.string(), currency: z.string().nullable(), appliedCost: z.number(), costRows: z.number().int() }),
  ),
  /** What could not be linked and why (unreadable ContractApplied values, amounts in another currency). */
  notes: z.array(z.string()),
});
export type DatasetLinks = z.infer<typeof DatasetLinksSchema>;

export const DimensionValuesInputSchema = QueryScopeSchema.extend({
  column: ColumnRefSchema,
  search: z.string().optional(),
  limit: z.number().int().positive().max(1000).default(100),
  metric: MetricSchema.default('BilledCost'),
});
export const DimensionValuesOutputSchema = z.object({
  values: z.array(z.object({ value: z.string().nullable(), amount: z.number() })),
});

export const RowsInputSchema = QueryScopeSchema.extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().positive().max(1000).default(100),
  sort: z.object({ column: z.string(), desc: z.boolean() }).optional(),
});
export const RowsOutputSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  /** Total matching rows (for the scrollbar). */
  total: z.number().int(),
});
export type RowsOutput = z.infer<typeof RowsOutputSchema>;

/** Writes the Cost and Usage rows in a view's scope (or, with groupBy, its grouped totals) to disk. */
export const ExportInputSchema = QueryScopeSchema.extend({
  format: z.enum(['csv', 'parquet']),
  /** A file for csv; a folder for parquet (one `BillingPeriod=YYYY-MM/part-00000.parquet` per billing month). */
  path: z.string().min(1),
  /** Group as explore.query does and write the totals (CSV only), per BillingCurrency. */
  groupBy: z.array(ColumnRefSchema).max(3).default([]),
  /** Replace an existing file or non-empty folder (refused otherwise). */
  overwrite: z.boolean().default(false),
  /** Chosen by the caller so it can follow `export.progress` and call `export.cancel` before the answer arrives. */
  exportId: z.string().min(1).max(100).optional(),
  /**
   * Rows only: write the applied allocation of this dimension with each row (an `x_<Key>` column; a pooled row once
   * per target of its pool's split, with the FOCUS 1.4 Allocated* columns). 'not-found' when it is not applied.
   */
  allocation: z.object({ dimension: z.string().min(1) }).optional(),
});
export type ExportInput = z.input<typeof ExportInputSchema>;
export const ExportOutputSchema = z.object({
  path: z.string(),
  files: z.array(z.string()),
  /** Rows written (with an allocation, a pooled row counts once per target). */
  rows: z.number().int(),
  /** With an allocation: the workspace rows they came from. */
  originRows: z.number().int().optional(),
  bytes: z.number().int(),
  seconds: z.number(),
});
export type ExportOutput = z.infer<typeof ExportOutputSchema>;

/** Where an export would go by default, and what this host can do for it. */
export const ExportTargetSchema = z.object({
  /** A path that does not exist yet, under the user's Downloads folder (else home). */
  path: z.string(),
  /** The host can show a native save dialog (export.pickPath). */
  canPick: z.boolean(),
  /** The host can show an exported file in the system's file manager (export.reveal). */
  canReveal: z.boolean(),
});
export type ExportTarget = z.infer<typeof ExportTargetSchema>;

const DataQualityAmountSchema = z.object({
  currency: z.string().nullable(),
  /** The metric summed over the rows concerned, and over every row in scope in that currency. */
  amount: z.number(),
  total: z.number(),
  rows: z.number().int(),
  totalRows: z.number().int(),
});

/**
 * Data quality of a scope. Amounts are per billing currency (never summed across currencies). `source` says what
 * answered the spend figures, each exact for the scope: 'rollup_dim' (filters on BillingCurrency only), 'cube_month'
 * (filters on the cube's columns or tags, whole months), 'cube_month+rows' (the same, with the days of months the
 * range cuts, or the null counts, read from the rows) or 'rows' (other filters: read from the rows).
 */
export const DataQualitySchema = z.object({
  metric: MetricSchema,
  source: z.enum(['rollup_dim', 'cube_month', 'cube_month+rows', 'rows']),
  totals: z.array(DataQualityAmountSchema.omit({ amount: true, rows: true })),
  /** Per tag key and currency: spend on rows without that key (total − tagged). Largest first. */
  untagged: z.array(DataQualityAmountSchema.extend({ key: z.string() })),
  /** Per currency: spend on rows with no SubAccountId. */
  noSubAccount: z.array(DataQualityAmountSchema),
  nullRates: z.object({
    /**
     * 'rows': counted over exactly the rows in scope; 'billing-periods': import-time counts of the whole billing
     * periods (per file) overlapping the date range, filters not applied; 'import-counts': exact for the scope, because
     * in those periods each column is null on none or on all of the rows it applies to (counted at import), so the
     * rows in scope it applies to give its count.
     */
    basis: z.enum(['rows', 'billing-periods', 'import-counts']),
    /** True when the counted rows are exactly the rows in scope. */
    exact: z.boolean(),
    /** Rows counted, and rows in scope imported before null counts were kept (re-import their files to count them). */
    rows: z.number().int(),
    uncountedRows: z.number().int(),
    columns: z.array(
      z.object({
        column: z.string(),
        /** Which rows the column should be filled on, e.g. "Usage rows". */
        appliesTo: z.string(),
        /** Rows it applies to, and those of them where it is null. */
        applicable: z.number().int(),
        nulls: z.number().int(),
      }),
    ),
  }),
  /** From the conformance reports stored with each imported file (per whole file). */
  conformance: z.object({
    files: z.number().int(),
    providers: z.array(
      z.object({
        provider: z.string(),
        files: z.number().int(),
        failingFiles: z.number().int(),
        rows: z.number().int(),
        /** Failing rules, most failing rows first. `fileId`: the first file failing it (for its report). */
        rules: z.array(z.object({ id: z.string(), description: z.string(), files: z.number().int(), failingRows: z.number().int(), fileId: z.number().int() })),
      }),
    ),
  }),
});
export type DataQuality = z.infer<typeof DataQualitySchema>;

/** One period of a comparison: inclusive days (UTC) of ChargePeriodStart. */
export const ComparePeriodSchema = z
  .object({ from: DateString, to: DateString })
  .refine((p) => p.from <= p.to, { message: 'a period starts on or before its last day (from <= to)' });

export const CompareInputSchema = z.object({
  a: ComparePeriodSchema,
  b: ComparePeriodSchema,
  filters: z.array(FilterSchema).default([]),
  metric: MetricSchema.default('BilledCost'),
  /** A dimension: a FOCUS text column, `Tags.<key>`, an `x_` column or `SkuPriceDetails.<key>`. */
  groupBy: ColumnRefSchema,
  /** Keep the N values with the largest absolute change; the rest are summed part by part into one `"(other)"` row. */
  top: z.number().int().positive().max(10000).default(500),
});
export type CompareInput = z.input<typeof CompareInputSchema>;

/** The parts of a change; they add up exactly (to the nano before conversion) to `change`. */
export const ComparePartsSchema = z.object({
  price: z.number(),
  usage: z.number(),
  mix: z.number(),
  new: z.number(),
  removed: z.number(),
  credits: z.number(),
});
export type CompareParts = z.infer<typeof ComparePartsSchema>;
export type ComparePart = keyof CompareParts;

export const CompareLineSchema = z.object({
  a: z.number(),
  b: z.number(),
  /** b − a. */
  change: z.number(),
  parts: ComparePartsSchema,
  /** Items (resource × pricing unit) present only in B, only in A. */
  newItems: z.number().int(),
  removedItems: z.number().int(),
});
export type CompareLine = z.infer<typeof CompareLineSchema>;

export const CompareRowSchema = CompareLineSchema.extend({
  /** The dimension value (null: not set), or "(other)" for the values beyond `top`. */
  value: z.string().nullable(),
  currency: z.string().nullable(),
  /** On the "(other)" row: how many values it sums. */
  values: z.number().int().optional(),
});
export type CompareRow = z.infer<typeof CompareRowSchema>;

export const CompareOutputSchema = z.object({
  metric: MetricSchema,
  groupBy: z.string(),
  /** The one billing currency in scope (null when grouped by BillingCurrency over several, or when empty). */
  currency: z.string().nullable(),
  currencies: z.array(z.string()),
  a: z.object({ from: z.string(), to: z.string(), rows: z.number().int() }),
  b: z.object({ from: z.string(), to: z.string(), rows: z.number().int() }),
  /** Largest absolute change first. */
  rows: z.array(CompareRowSchema),
  /** The whole scope: the sums of the rows' parts; null when the rows are in several currencies. */
  total: CompareLineSchema.nullable(),
});
export type CompareOutput = z.infer<typeof CompareOutputSchema>;

/** 'allocation': a dimension of the applied allocation rule set (`x_Team`), grouped from its stored result. */
export const DimensionSchema = z.object({ column: z.string(), label: z.string(), kind: z.enum(['focus', 'tag', 'allocation']) });
export type Dimension = z.infer<typeof DimensionSchema>;

/** The app's screens a saved view can open on. */
export const AppViewSchema = z.enum(['overview', 'import', 'rows', 'conformance', 'datasets', 'quality']);
export type AppView = z.infer<typeof AppViewSchema>;

/** A screen with its explore state, as a saved view (and the URL hash) keeps it. */
export const SavedViewDefinitionSchema = z.object({
  view: AppViewSchema,
  from: DateString.optional(),
  to: DateString.optional(),
  filters: z.array(FilterSchema).default([]),
  /** Pivot levels, outermost first. */
  groupBy: z.array(ColumnRefSchema).min(1).max(3),
  metric: MetricSchema,
  granularity: GranularitySchema,
});
export type SavedViewDefinition = z.output<typeof SavedViewDefinitionSchema>;

export const SavedViewNameSchema = z.string().trim().min(1, 'a view needs a name').max(120);

export const SavedViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Null when the stored definition is not one this version reads (see `problem`). */
  definition: SavedViewDefinitionSchema.nullable(),
  problem: z.string().optional(),
  /** ISO date-times. */
  created: z.string(),
  updated: z.string(),
});
export type SavedView = z.infer<typeof SavedViewSchema>;

// ---------- the calls ----------

const Empty = z.object({}).default({});

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, description: string) {
  return { input, output, description };
}

export const api = {
  'app.info': call(
    Empty,
    z.object({ version: z.string(), host: z.enum(['electron', 'http', 'cli', 'test']), dataDir: z.string() }),
    'Version and host facts.',
  ),
  'workspace.current': call(Empty, WorkspaceInfoSchema.nullable(), 'The open workspace, if any.'),
  'workspace.recent': call(Empty, z.array(RecentWorkspaceSchema), 'Recently opened workspaces, newest first.'),
  'workspace.create': call(
    z.object({ name: z.string().min(1).max(120), path: z.string().optional() }),
    WorkspaceInfoSchema,
    'Create an empty workspace (default location: the data directory) and open it.',
  ),
  'workspace.open': call(z.object({ path: z.string().min(1) }), WorkspaceInfoSchema, 'Open a workspace file.'),
  'workspace.openDemo': call(
    Empty,
    WorkspaceInfoSchema,
    'Open the demo workspace, building it first if it does not exist (progress arrives as demo.progress).',
  ),
  'upload.begin': call(
    z.object({ name: z.string().min(1).max(500), size: z.number().int().min(0) }),
    z.object({ uploadId: z.string() }),
    'Start sending a file to the engine in chunks (Electron; the HTTP host also takes a raw POST to /api/upload).',
  ),
  'upload.append': call(
    z.object({ uploadId: z.string(), data: z.instanceof(Uint8Array) }),
    z.object({ bytes: z.number().int() }),
    'Append the next chunk of an upload.',
  ),
  'upload.finish': call(
    z.object({ uploadId: z.string() }),
    z.object({ uploadId: z.string(), bytes: z.number().int() }),
    'Close an upload; its id can then be passed to import.start or validate.file.',
  ),
  'import.start': call(
    z.object({ files: z.array(FileRefSchema).min(1), mode: ImportModeSchema.default('ask') }),
    z.object({ jobId: z.string() }),
    'Start importing files as one delivery; progress and the outcome arrive as events.',
  ),
  'import.cancel': call(z.object({ jobId: z.string() }), z.object({ cancelled: z.boolean() }), 'Cancel a running import.'),
  'import.list': call(Empty, z.array(ImportRecordSchema), 'Files imported into the open workspace.'),
  'import.report': call(
    z.object({ importFileId: z.number().int() }),
    ConformanceReportSchema,
    'The conformance report stored with an imported file.',
  ),
  'validate.file': call(
    z.object({ file: FileRefSchema, applicability: z.record(z.string(), z.boolean()).optional() }),
    ConformanceReportSchema,
    'Conformance report; imports nothing. `applicability` overrides the saved criteria for this run.',
  ),
  'conformance.criteria': call(z.object({}), z.array(CriterionSchema), 'The applicability criteria of the FOCUS Requirements Model.'),
  'conformance.applicability': call(z.object({}), ApplicabilitySettingsSchema, 'Applicability criteria the user set, per provider.'),
  'conformance.setApplicability': call(
    z.object({ provider: z.string().min(1), criteria: z.record(z.string(), z.boolean().nullable()) }),
    ApplicabilitySettingsSchema,
    'Set (true/false) or clear (null) criteria for one provider ("*" for all).',
  ),
  'mapping.inspect': call(z.object({ file: FileRefSchema }), TableInspectionSchema, 'Header and first rows of a file, and the format it is read as.'),
  'mapping.preview': call(
    z.object({ file: FileRefSchema, template: MappingTemplateSchema }),
    MappingPreviewSchema,
    'The first 1,000 FOCUS rows a mapping makes of a file, with their conformance.',
  ),
  'mapping.templates': call(z.object({}), z.array(MappingTemplateSchema), 'Saved mapping templates.'),
  'mapping.saveTemplate': call(MappingTemplateSchema, MappingTemplateSchema, 'Save (or replace) a mapping template.'),
  'mapping.deleteTemplate': call(z.object({ id: z.string() }), z.object({ deleted: z.boolean() }), 'Delete a mapping template.'),
  'mapping.importTemplates': call(
    z.object({ templates: z.array(MappingTemplateSchema) }),
    z.object({ saved: z.number().int() }),
    'Add templates exported elsewhere (same id replaces).',
  ),
  'explore.dimensions': call(Empty, z.array(DimensionSchema), 'Columns and tag keys one can group and filter by.'),
  'explore.kpis': call(QueryScopeSchema, KpisSchema, 'Totals of the four cost columns in scope.'),
  'explore.query': call(QueryInputSchema, QueryOutputSchema, 'Group, filter and sum a cost metric.'),
  'explore.values': call(DimensionValuesInputSchema, DimensionValuesOutputSchema, 'Values of one dimension, largest first.'),
  'explore.rows': call(RowsInputSchema, RowsOutputSchema, 'A page of Cost and Usage rows.'),
  'explore.export': call(
    ExportInputSchema,
    ExportOutputSchema,
    'Write the Cost and Usage rows in scope as one FOCUS CSV file or a Parquet folder partitioned by billing period (or the grouped totals as CSV).',
  ),
  'export.cancel': call(
    z.object({ exportId: z.string() }),
    z.object({ cancelled: z.boolean() }),
    'Cancel a running export: its call fails with code "cancelled" and nothing is left on disk.',
  ),
  'export.target': call(
    z.object({ format: z.enum(['csv', 'parquet']), name: z.string().max(200).optional() }),
    ExportTargetSchema,
    'A default destination for an export (in the Downloads folder) and whether this host has a save dialog.',
  ),
  'export.pickPath': call(
    z.object({ format: z.enum(['csv', 'parquet']), defaultPath: z.string().optional() }),
    z.object({ path: z.string().nullable() }),
    'Ask for a destination with the native save dialog (desktop app only); null when the user cancels.',
  ),
  'export.reveal': call(z.object({ path: z.string().min(1) }), z.object({ revealed: z.boolean() }), 'Show a file or folder in the file manager (desktop app only).'),
  'explore.dataQuality': call(
    QueryScopeSchema.extend({ metric: MetricSchema.default('BilledCost') }),
    DataQualitySchema,
    'Untagged spend by tag key, spend without a sub account, null rates of important columns and conformance failures by provider.',
  ),
  'explore.datasetQuery': call(
    DatasetQueryInputSchema,
    DatasetQueryOutputSchema,
    'Group, filter and sum a column of a supporting dataset (Contract Commitment, Invoice Detail, Billing Period).',
  ),
  'explore.datasetLinks': call(
    DatasetLinksInputSchema,
    DatasetLinksSchema,
    'Invoices (Invoice Detail vs Cost and Usage BilledCost, with billing period status) and commitment burn-down (Contract Commitment vs ContractApplied).',
  ),
  'explore.compare': call(
    CompareInputSchema,
    CompareOutputSchema,
    [
      'Explain the change of a metric between two periods A and B, per value of one dimension: B − A = price + usage +',
      'mix + new + removed + credits, exactly. Credits: rows whose ChargeCategory is Credit or Adjustment or whose',
      'ChargeClass is Correction (their B − A). Every other row belongs to an item = ResourceId (else SkuId, else',
      'ChargeDescription) × PricingUnit within the value. new: B cost of items with rows only in B; removed: minus A cost',
      'of items with rows only in A. An item in both with a positive A quantity (Σ PricingQuantity) has A unit cost',
      'pA = cA/qA: price = cB − qB·pA; its volume qB·pA − cA is split per PricingUnit into usage = (ΣqB − ΣqA) × the',
      "unit's A average cost, and mix = the remainder (usage moving between items of different unit costs). An item in",
      'both without a usable A quantity counts its whole change as price. Costs are integer nanos; price and usage are',
      'rounded once and mix takes the residue, so the parts sum exactly; the total is the sum of the rows.',
      'Several billing currencies are refused (mixed-currency) unless filtered or grouped by BillingCurrency.',
    ].join(' '),
  ),
  'views.list': call(Empty, z.array(SavedViewSchema), "The open workspace's saved views, by name."),
  'views.save': call(
    z.object({ name: SavedViewNameSchema, definition: SavedViewDefinitionSchema, overwrite: z.boolean().default(false) }),
    SavedViewSchema,
    "Save a view under a name; an existing name (any case) is refused with 'exists' unless overwrite is true.",
  ),
  'views.rename': call(
    z.object({ id: z.number().int(), name: SavedViewNameSchema }),
    SavedViewSchema,
    "Rename a saved view; a name another view has is refused with 'exists'.",
  ),
  'views.delete': call(
    z.object({ id: z.number().int() }),
    SavedViewSchema,
    'Delete a saved view; returns it as it was, so it can be saved again (Undo).',
  ),
  'allocation.state': call(
    Empty,
    AllocationStateSchema,
    "The open workspace's allocation: the saved draft rule set, applied versions (newest first) and imported driver data.",
  ),
  'allocation.saveDraft': call(
    z.object({ ruleSet: RuleSetSchema }),
    z.object({ problems: z.array(RuleProblemSchema) }),
    'Keep the rule set being edited with the workspace (it is not applied); returns what would stop it from running.',
  ),
  'allocation.preview': call(
    AllocationPreviewInputSchema,
    AllocationPreviewSchema,
    [
      'What a rule set would do, without writing anything: per dimension and target the direct, shared and total spend',
      '(and the applied total before), what stays unallocated and why, a check per currency that allocated +',
      'unallocated = original to the nano, and per rule the rows it takes, matches and loses to earlier rules.',
    ].join(' '),
  ),
  'allocation.apply': call(
    z.object({ ruleSet: RuleSetSchema, note: z.string().max(500).optional() }),
    AllocationApplyOutputSchema,
    'Run a rule set over all history and store the result as a new version, all or nothing; progress arrives as allocation.progress events.',
  ),
  'allocation.version': call(
    z.object({ id: z.number().int() }),
    z.object({ version: AllocationVersionSchema, ruleSet: RuleSetSchema }),
    'One applied version and its rule set.',
  ),
  'allocation.diff': call(
    z.object({ from: z.number().int(), to: z.union([z.number().int(), z.literal('draft')]) }),
    z.object({ changes: z.array(RuleSetChangeSchema) }),
    'What changed between two versions (or a version and the saved draft), rule by rule.',
  ),
  'allocation.importDrivers': call(
    z.object({ driver: z.string().trim().min(1).max(60), file: FileRefSchema }),
    DriverSummarySchema,
    'Import driver data (CSV with columns period YYYY-MM, target, quantity) under a name; replaces that driver as a whole.',
  ),
  'allocation.deleteDriver': call(z.object({ driver: z.string().min(1) }), z.object({ deleted: z.boolean() }), 'Remove imported driver data.'),
  'allocation.showback': call(
    ShowbackInputSchema,
    ShowbackSchema,
    'The applied allocation of one dimension by target and month: direct + shared = total, and the unallocated remainder.',
  ),
  'allocation.exportShowback': call(
    ShowbackInputSchema.extend({ path: z.string().min(1) }),
    z.object({ path: z.string(), rows: z.number().int() }),
    'Write the showback as CSV (target, month, currency, direct, shared, total).',
  ),
} as const;

export type Api = typeof api;
export type Method = keyof Api;
export type Input<M extends Method> = z.input<Api[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Api[M]['input']>;
export type Output<M extends Method> = z.output<Api[M]['output']>;

// ---------- events ----------

export const ImportProgressSchema = z.object({
  jobId: z.string(),
  file: z.string(),
  fileIndex: z.number().int(),
  fileCount: z.number().int(),
  phase: z.enum(['reading', 'indexing', 'finishing']),
  bytes: z.number(),
  totalBytes: z.number(),
  rows: z.number().int(),
  rowsPerSec: z.number(),
  etaSec: z.number().nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

export const events = {
  'import.progress': ImportProgressSchema,
  'import.finished': z.object({ jobId: z.string(), outcome: ImportOutcomeSchema }),
  'demo.progress': z.object({ phase: z.string(), fraction: z.number() }),
  /** totalRows: rows in scope (for a grouped export, the rows being summed); bytes written so far. */
  'export.progress': z.object({ exportId: z.string(), rows: z.number().int(), totalRows: z.number().int(), bytes: z.number().int() }),
  'workspace.changed': z.object({ workspace: WorkspaceInfoSchema.nullable() }),
  'allocation.progress': AllocationProgressSchema,
  /** The applied allocation was run again after an import (same version, today's data); or why it could not be. */
  'allocation.refreshed': z.object({ version: z.number().int().nullable(), ok: z.boolean(), message: z.string().nullable() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** Error codes the engine returns. */
export const ErrorCodes = {
  badInput: 'bad-input',
  notFound: 'not-found',
  noWorkspace: 'no-workspace',
  badFile: 'bad-file',
  workspaceTooNew: 'workspace-too-new',
  busy: 'busy',
  exists: 'exists',
  internal: 'internal',
  cancelled: 'cancelled',
  unsupported: 'unsupported',
} as const;

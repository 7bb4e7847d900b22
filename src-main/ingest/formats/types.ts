// The contract every bill format implements: detect a table by its content, then map each source row to FOCUS Cost
// and Usage rows. Mappers are pure (no I/O); the parse worker feeds them rows from CSV, JSON or Parquet alike, and the
// FOCUS rows they emit go through the same conformance checks, encoding and storage as a FOCUS file's rows.

/** A table as read from a file: header cells and the first rows, every cell as text ('' = empty). */
export interface TableSample {
  /** Header cells as read (BOM stripped, not trimmed). For JSON, the flattened keys (`usage.amount`). */
  readonly header: readonly string[];
  /** Up to the first 200 data rows, cells aligned with the header. */
  readonly rows: readonly (readonly string[])[];
  /** How the table was read: decides nothing in a mapper, but helps error messages. */
  readonly container: 'csv' | 'json' | 'parquet';
}

/** Something the mapping could not fill or had to decide, shown in the conformance report next to the rules. */
export interface MappingGap {
  /** FOCUS column concerned (or '' for the whole file). */
  column: string;
  /** What a user should know, e.g. "EA exports carry no list price: ListCost is computed from PayGPrice × Quantity". */
  note: string;
}

/**
 * A vendor total the mapped FOCUS rows must reproduce, e.g. the sum of `lineItem/UnblendedCost` equals the sum of
 * BilledCost. The mapper accumulates the vendor side from the source cells as it reads them (exact decimal text); the
 * pipeline sums the FOCUS side from the rows emitted and reports both.
 */
export interface VendorTotal {
  focusColumn: 'BilledCost' | 'EffectiveCost' | 'ListCost' | 'ContractedCost';
  /** The vendor column (or expression) summed, as a user would recognise it: "CostInBillingCurrency". */
  vendorColumn: string;
  /** Exact decimal text of the vendor-side sum, in the billing currency's units (dollars, not cents). */
  vendorTotal: string;
}

/** Emits one FOCUS row: cells aligned with RowMapper.columns ('' = null). The array may be reused after the call. */
export type EmitRow = (cells: string[]) => void;

export interface RowMapper {
  /**
   * Column names of the rows passed to emit: FOCUS column names (current names, e.g. ServiceProviderName) and
   * `x_` custom columns. Must include BilledCost, BillingCurrency, BillingPeriodStart, BillingPeriodEnd,
   * ChargePeriodStart and ChargePeriodEnd.
   */
  readonly columns: readonly string[];
  /**
   * Map one source row. cells align with the source header; rowNo counts data rows from 1 (it is stored as the
   * FOCUS rows' lineage). Emit 0..n FOCUS rows. Throw MappingRowError for a value that cannot be read.
   */
  map(cells: readonly string[], rowNo: number, emit: EmitRow): void;
  /** End of file: emit anything held back (e.g. rows joined across the file). */
  finish?(emit: EmitRow): void;
  /** What the mapping could not fill; read after finish(). */
  gaps(): MappingGap[];
  /** Vendor totals to reconcile against; read after finish(). Empty when the vendor has no cost column of its own. */
  vendorTotals(): VendorTotal[];
}

export interface BillFormat {
  /** Stable id used in the CLI's JSON and in templates: "aws-cur-legacy", "azure-ea", "openai-costs", … */
  readonly id: string;
  /** Human name: "AWS Cost and Usage Report (legacy CSV)". */
  readonly label: string;
  /**
   * Confidence in [0, 1] that the table is in this format, from its header and sample rows only (never the file
   * name). 0 means no; ≥ 0.5 means yes. Should be cheap: it runs for every format on every file.
   */
  detect(sample: TableSample): number;
  /** Build a mapper for this header. Throw MappingSetupError when a column the mapping needs is missing. */
  createMapper(sample: TableSample): RowMapper;
}

/** A value in a source row that cannot be read. The message names the column and the value. */
export class MappingRowError extends Error {
  constructor(
    readonly row: number,
    readonly column: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** The file looks like the format but lacks what the mapping needs ("has no CostInBillingCurrency column"). */
export class MappingSetupError extends Error {}

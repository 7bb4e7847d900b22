// Streaming writer for FOCUS 1.4 Cost and Usage CSV files (used by the demo recipe and the benchmark generator).
//
// Why numbers arrive as scaled integers: cost columns must be exact (ListCost = ListUnitPrice × PricingQuantity to
// the last digit, and tests sum BilledCost with big.js). Generators therefore compute money as integer nano-units and
// this module only turns integers into decimal text; no float ever reaches a cost column.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

// ---------- types ----------

/**
 * The FOCUS 1.4 Cost and Usage columns, in the order written (alphabetical, like the spec's example files).
 * This is the catalog's CostAndUsage list minus the deprecated ProviderName/PublisherName; a unit test keeps the two
 * in step. It is a literal here so rows are type-checked against real column names.
 */
export const FOCUS_14_COLUMNS = [
  'AllocatedMethodDetails',
  'AllocatedMethodId',
  'AllocatedResourceId',
  'AllocatedResourceName',
  'AllocatedTags',
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'CapacityReservationId',
  'CapacityReservationStatus',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'CommitmentDiscountUnit',
  'CommitmentProgramEligibilityDetails',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractApplied',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'HostProviderName',
  'InvoiceDetailId',
  'InvoiceId',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingCurrency',
  'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost',
  'PricingCurrencyListUnitPrice',
  'PricingQuantity',
  'PricingUnit',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceProviderName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
] as const;
export type FocusColumn = (typeof FOCUS_14_COLUMNS)[number];

/** Columns holding money in BillingCurrency: integers in nano-units (1e-9). */
const MONEY = new Set<FocusColumn>(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingCurrencyEffectiveCost']);
/** Unit prices get one more digit than money so published prices such as 0.0000166667 stay exact. */
const UNIT_PRICE = new Set<FocusColumn>([
  'ListUnitPrice',
  'ContractedUnitPrice',
  'PricingCurrencyListUnitPrice',
  'PricingCurrencyContractedUnitPrice',
]);
const QUANTITY = new Set<FocusColumn>(['PricingQuantity', 'ConsumedQuantity', 'CommitmentDiscountQuantity']);
const DATES = new Set<FocusColumn>(['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']);
const JSON_COLUMNS = new Set<FocusColumn>([
  'AllocatedMethodDetails',
  'AllocatedTags',
  'CommitmentProgramEligibilityDetails',
  'ContractApplied',
  'SkuPriceDetails',
  'Tags',
]);

export const MONEY_SCALE = 9;
export const UNIT_PRICE_SCALE = 10;
export const QUANTITY_SCALE = 9;

/**
 * One cell. Meaning of a number depends on the column:
 * - money columns: integer nano-units; unit prices: integer 1e-10 units; quantities: integer 1e-9 units
 *   (use a string from `formatScaled` for quantities at another scale, e.g. token counts that would overflow);
 * - date columns: epoch milliseconds (UTC);
 * - JSON columns: an object is serialized with JSON.stringify;
 * - a string is written as is (after CSV quoting); null/undefined is an empty cell (FOCUS null).
 */
export type CellValue = string | number | bigint | Readonly<Record<string, unknown>> | null | undefined;
export type FocusRow = Partial<Record<FocusColumn, CellValue>>;

/** Every column present as null, in header order: rows cloned from it share one fast object shape. */
const EMPTY_ROW: Readonly<Record<FocusColumn, null>> = Object.fromEntries(FOCUS_14_COLUMNS.map((c) => [c, null])) as Record<
  FocusColumn,
  null
>;

/**
 * Merge row parts (later parts win) into one row. Why not `{ ...a, ...b, ...c }`: V8 falls off a cliff on multi-spread
 * of objects this wide (about 100 µs per row measured on Node 20); cloning a full-width template and assigning is ~50× faster.
 */
export function focusRow<T extends FocusRow>(...parts: [...FocusRow[], T]): FocusRow & T {
  return Object.assign({ ...EMPTY_ROW }, ...parts) as FocusRow & T;
}

export interface FocusWriterOptions {
  gzip?: boolean;
  /** zlib level; 6 is zlib's default, lower is faster for big benchmark files. */
  gzipLevel?: number;
  columns?: readonly FocusColumn[];
}

export interface FocusWriterResult {
  rows: number;
  /** Uncompressed CSV bytes including the header line. */
  csvBytes: number;
}

// ---------- exact decimal text ----------

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Integer `value` scaled by 10^-scale as plain decimal text, trailing zeros trimmed: (12500, 4) → "1.25". */
export function formatScaled(value: number | bigint, scale: number): string {
  if (scale < 0) return formatBigScaled(BigInt(value) * 10n ** BigInt(-scale), 0);
  if (typeof value === 'bigint') return formatBigScaled(value, scale);
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  if (value === 0) return '0';
  if (scale === 0) return String(value);
  const base = POW10[scale];
  if (base === undefined || scale > 15) return formatBigScaled(BigInt(value), scale);
  const negative = value < 0;
  const abs = negative ? -value : value;
  let whole = Math.floor(abs / base);
  let frac = abs - whole * base;
  // Division rounding can be one off near a multiple of base; the product whole*base is exact, so correct here.
  if (frac < 0) {
    whole -= 1;
    frac += base;
  } else if (frac >= base) {
    whole += 1;
    frac -= base;
  }
  if (frac === 0) return negative ? '-' + String(whole) : String(whole);
  // Trim trailing zeros arithmetically (cheaper than padStart + a string scan on hot paths).
  let digits = scale;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const fracText = String(frac);
  const text = String(whole) + '.' + (fracText.length < digits ? ZEROS[digits - fracText.length] + fracText : fracText);
  return negative ? '-' + text : text;
}

const ZEROS: readonly string[] = Array.from({ length: 16 }, (_, i) => '0'.repeat(i));

function formatBigScaled(value: bigint, scale: number): string {
  if (value === 0n) return '0';
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? trimZeros(digits.slice(digits.length - scale)) : '';
  return (negative ? '-' : '') + whole + (frac ? '.' + frac : '');
}

function trimZeros(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, end);
}

/** Exact inverse of formatScaled for plain decimal text ("0.0464", "-3"); throws when digits would be lost. */
export function parseScaled(text: string, scale: number): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a plain decimal: "${text}"`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new Error(`"${text}" has more than ${scale} fraction digits`);
  const units = BigInt((m[2] ?? '0') + frac.padEnd(scale, '0'));
  return m[1] ? -units : units;
}

/**
 * Nano-units charged for one quantity step of 10^-decimals at `unitPrice` (in 1e-10 units), or null when that is not a
 * whole number of nano-units. Generators count quantities in such steps, so every cost is steps × this, exactly.
 */
export function costPerStepNanos(unitPrice: bigint, decimals: number): bigint | null {
  // price × 1e-10 × 10^-decimals expressed in 1e-9 units = price × 10^(-1 - decimals)
  const exponent = -1 - decimals;
  if (exponent >= 0) return unitPrice * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  return unitPrice % divisor === 0n ? unitPrice / divisor : null;
}

/**
 * Exact running sum of nano-unit integers. Adding numbers is much cheaper than adding bigints, so small sums stay in
 * a double; each addend must be below 2^50, which keeps the double below 2^52 (still exact) before it is flushed.
 */
export class NanoSum {
  private big = 0n;
  private small = 0;

  add(nanos: number): void {
    this.small += nanos;
    if (this.small > 2 ** 51 || this.small < -(2 ** 51)) this.flush();
  }

  get value(): bigint {
    this.flush();
    return this.big;
  }

  private flush(): void {
    this.big += BigInt(this.small);
    this.small = 0;
  }
}

// ---------- dates ----------

const dateCache = new Map<number, string>();

/** Epoch ms → FOCUS Date/Time `YYYY-MM-DDTHH:mm:ssZ`. Cached: files repeat the same few period boundaries. */
export function formatFocusDate(ms: number): string {
  let text = dateCache.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString().slice(0, 19) + 'Z';
    if (dateCache.size > 50_000) dateCache.clear();
    dateCache.set(ms, text);
  }
  return text;
}

// ---------- CSV cells ----------

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: quote a field that holds a comma, quote, CR or LF; double inner quotes. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

const enum Kind {
  Text,
  Money,
  UnitPrice,
  Quantity,
  Date,
  Json,
}

function kindOf(column: FocusColumn): Kind {
  if (MONEY.has(column)) return Kind.Money;
  if (UNIT_PRICE.has(column)) return Kind.UnitPrice;
  if (QUANTITY.has(column)) return Kind.Quantity;
  if (DATES.has(column)) return Kind.Date;
  if (JSON_COLUMNS.has(column)) return Kind.Json;
  return Kind.Text;
}

/** One cell exactly as write() would render it (formatted and quoted); '' for null. */
export function csvCell(column: FocusColumn, value: CellValue): string {
  if (value === null || value === undefined) return '';
  return csvField(cellText(kindOf(column), value, column));
}

function cellText(kind: Kind, value: Exclude<CellValue, null | undefined>, column: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    if (kind !== Kind.Json) throw new TypeError(`${column}: object given for a non-JSON column`);
    return JSON.stringify(value);
  }
  switch (kind) {
    case Kind.Money:
      return formatScaled(value, MONEY_SCALE);
    case Kind.UnitPrice:
      return formatScaled(value, UNIT_PRICE_SCALE);
    case Kind.Quantity:
      return formatScaled(value, QUANTITY_SCALE);
    case Kind.Date:
      return formatFocusDate(Number(value));
    default:
      return String(value);
  }
}

// ---------- pre-rendered rows ----------

/**
 * Rows that share most of their cells (one SKU in one region, say), with the shared cells rendered once.
 * Why: formatting and quoting 65 cells per row is the main cost of writing; a benchmark file of a million rows only
 * varies a dozen of them. `segments[i]` is the CSV text before the i-th varying column; the last one ends the line.
 */
export interface BoundRow {
  readonly segments: readonly string[];
  /** Every segment passes isAscii (enables the writer's cheaper encoding path). */
  readonly ascii: boolean;
}

const NON_ASCII = /[^ -~\t\r\n]/;

/**
 * True when the text is printable ASCII (plus tab, CR, LF), so its Latin-1 and UTF-8 encodings are the same bytes.
 * Other control characters count as non-ASCII: a conservative answer only costs the slower encoding.
 */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

export class RowLayout {
  private readonly varyingSet: ReadonlySet<FocusColumn>;

  constructor(
    readonly columns: readonly FocusColumn[],
    /** Varying columns, in header order (checked). */
    readonly varying: readonly FocusColumn[],
  ) {
    let last = -1;
    for (const column of varying) {
      const at = columns.indexOf(column);
      if (at <= last) throw new Error(`varying column ${column} is unknown or out of header order`);
      last = at;
    }
    this.varyingSet = new Set(varying);
  }

  /** Render every non-varying cell of `fixed` once. */
  bind(fixed: FocusRow): BoundRow {
    const segments: string[] = [];
    let text = '';
    this.columns.forEach((column, i) => {
      if (i > 0) text += ',';
      if (this.varyingSet.has(column)) {
        segments.push(text);
        text = '';
      } else {
        text += csvCell(column, fixed[column]);
      }
    });
    segments.push(text + '\n');
    return { segments, ascii: segments.every(isAscii) };
  }
}

// ---------- the writer ----------

/** Flush to the stream in chunks of about this many characters: few write() calls, bounded memory. */
const CHUNK_CHARS = 1 << 16;
/** Bytes a stream may queue before it asks us to wait: bounded memory, yet few stalls. */
const STREAM_BUFFER_BYTES = 1 << 22;

export class FocusCsvWriter {
  readonly columns: readonly FocusColumn[];
  private readonly kinds: Kind[];
  private readonly sink: Writable;
  private readonly done: Promise<void>;
  private pending = '';
  /** Everything in `pending` is known ASCII. */
  private pendingAscii = true;
  private blocked = false;
  private rowCount = 0;
  private bytes = 0;
  private closed = false;

  private constructor(path: string, options: FocusWriterOptions) {
    this.columns = options.columns ?? FOCUS_14_COLUMNS;
    this.kinds = this.columns.map(kindOf);
    // A large buffer lets generation run ahead of the disk instead of pausing for 'drain' after every chunk.
    const file = createWriteStream(path, { highWaterMark: STREAM_BUFFER_BYTES });
    if (options.gzip) {
      const gzip = createGzip({ level: options.gzipLevel ?? 6 });
      this.sink = gzip;
      this.done = pipeline(gzip, file);
    } else {
      this.sink = file;
      this.done = finished(file);
    }
    // close() awaits `done` and rethrows; this only stops an early failure from being reported as unhandled.
    this.done.catch(() => undefined);
    this.pending = this.columns.join(',') + '\n';
  }

  static open(path: string, options: FocusWriterOptions = {}): FocusCsvWriter {
    return new FocusCsvWriter(path, options);
  }

  get rows(): number {
    return this.rowCount;
  }

  /** True when the stream asked us to wait; call `await writer.drain()` before writing more. */
  get mustDrain(): boolean {
    return this.blocked;
  }

  /** Buffer one row. Cheap and synchronous; pair it with mustDrain/drain for backpressure. */
  write(row: FocusRow): void {
    if (this.closed) throw new Error('writer is closed');
    const columns = this.columns;
    const kinds = this.kinds;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as FocusColumn;
      const value = row[column];
      if (i > 0) line += ',';
      if (value === null || value === undefined) continue;
      line += csvField(cellText(kinds[i] as Kind, value, column));
    }
    this.pending += line + '\n';
    this.pendingAscii = false; // not checked here: checking would cost what the fast path saves
    this.rowCount++;
    if (this.pending.length >= CHUNK_CHARS) this.flushChunk();
  }

  /**
   * Write one pre-rendered row: `cells` are the varying cells as csvCell() renders them, in the layout's order.
   * The caller owns correctness of the cell text; this is the fast path for generators. Pass cellsAreAscii only when
   * every cell is known to be ASCII (see isAscii): the chunk is then encoded as Latin-1, which skips a UTF-8 pass.
   */
  writeBound(bound: BoundRow, cells: readonly string[], cellsAreAscii = false): void {
    if (this.closed) throw new Error('writer is closed');
    if (!cellsAreAscii || !bound.ascii) this.pendingAscii = false;
    const segments = bound.segments;
    if (cells.length !== segments.length - 1) throw new Error(`expected ${segments.length - 1} cells, got ${cells.length}`);
    let line = segments[0] as string;
    for (let i = 0; i < cells.length; i++) line += (cells[i] as string) + (segments[i + 1] as string);
    this.pending += line;
    this.rowCount++;
    if (this.pending.length >= CHUNK_CHARS) this.flushChunk();
  }

  /** Resolve once the stream has room again (rejects if the stream fails meanwhile). */
  async drain(): Promise<void> {
    if (!this.blocked) return;
    await once(this.sink, 'drain');
    this.blocked = false;
  }

  /** Write every row of an iterable, honouring backpressure. */
  async writeAll(rows: Iterable<FocusRow>): Promise<void> {
    for (const row of rows) {
      this.write(row);
      if (this.blocked) await this.drain();
    }
  }

  async close(): Promise<FocusWriterResult> {
    if (!this.closed) {
      this.flushChunk();
      this.closed = true;
      this.sink.end();
    }
    await this.done;
    return { rows: this.rowCount, csvBytes: this.bytes };
  }

  private flushChunk(): void {
    if (this.pending.length === 0) return;
    // Encode once here: measuring the string and letting the stream encode it again would scan it twice.
    // Known-ASCII text is encoded as Latin-1 (same bytes), which V8 copies without flattening the string first.
    const chunk = Buffer.from(this.pending, this.pendingAscii ? 'latin1' : 'utf8');
    this.pending = '';
    this.pendingAscii = true;
    this.bytes += chunk.length;
    if (!this.sink.write(chunk)) this.blocked = true;
  }
}

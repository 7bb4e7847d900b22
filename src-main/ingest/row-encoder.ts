// Turns parsed CSV rows into compact, transferable batches: money as exact nano integers, times as Unix seconds,
// every string as an id into a per-file dictionary. Runs in the parse worker so the storing thread only binds integers.
import { fastNanos, parseMoneyLenient, type Nanos } from './decimal';
import { dayOf, parseFocusDateTime } from './datetime';
import type { HeaderPlan } from './focus-header';
import { ownString } from './own-string';

export class RowError extends Error {
  constructor(
    readonly row: number,
    readonly column: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** Columns that must hold a value on every row. */
const NON_NULL = new Set(['BilledCost', 'BillingCurrency', 'ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart']);

export interface EncodedBatch {
  firstRow: number;
  count: number;
  /** Strings first seen in this batch; their ids are firstNewString, firstNewString+1, … */
  firstNewString: number;
  newStrings: string[];
  /** count × numericCols: money (nanos), numbers, times (seconds); NaN = null; money beyond 2^53 in `bigMoney`. */
  numeric: Float64Array;
  /** count × (textCols + 4): text ids (0 = null), then tagset, extras, day, source row number. */
  ints: Int32Array;
  bigMoney: { row: number; col: number; value: string }[];
}

export interface EncoderLayout {
  numeric: { name: string; kind: 'money' | 'number' | 'time'; index: number }[];
  text: { name: string; index: number }[];
}

export function layoutOf(plan: HeaderPlan): EncoderLayout {
  const numeric: EncoderLayout['numeric'] = [];
  const text: EncoderLayout['text'] = [];
  for (const c of plan.stored) {
    if (c.kind === 'text') text.push({ name: c.name, index: c.index });
    else numeric.push({ name: c.name, kind: c.kind, index: c.index });
  }
  return { numeric, text };
}

function isNull(v: string): boolean {
  const n = v.length;
  if (n === 0) return true;
  if (n === 4) {
    const c = v.charCodeAt(0) | 32;
    return c === 110 && (v === 'null' || v === 'NULL' || v.toLowerCase() === 'null');
  }
  return false;
}

export class RowEncoder {
  readonly layout: EncoderLayout;
  private readonly dict = new Map<string, number>();
  private nextId = 1;
  private pendingStrings: string[] = [];
  private firstPending = 1;
  private readonly tagsIndex: number;
  private readonly tagsetCache = new Map<string, number>();
  private readonly extrasCache = new Map<string, number>();
  private lastExtrasKey = '\u0003';
  private lastExtrasId = 0;
  private readonly cpsCol: number;
  private readonly numericWidth: number;
  private readonly intWidth: number;
  private rows = 0;
  /** Last value and id seen per text column: consecutive rows mostly repeat, and a hit skips hashing. */
  private readonly lastText: string[];
  private readonly lastTime: string[];
  private readonly lastTimeValue: Float64Array;
  /** One dictionary per column: small maps for the many low-cardinality columns stay in cache. */
  private readonly columnDicts: Map<string, number>[];
  private readonly lastId: Int32Array;
  private numeric: Float64Array;
  private ints: Int32Array;
  private bigMoney: EncodedBatch['bigMoney'] = [];
  private firstRow = 1;
  /** Rows whose money text was not plain FOCUS NumericFormat ("$1,234.00") but was read knowingly. */
  lenientMoneyCells = 0;

  constructor(
    private readonly plan: HeaderPlan,
    private readonly batchSize = 2048,
  ) {
    this.layout = layoutOf(plan);
    this.tagsIndex = plan.source.get('Tags') ?? -1;
    this.cpsCol = this.layout.numeric.findIndex((c) => c.name === 'ChargePeriodStart');
    this.numericWidth = this.layout.numeric.length;
    this.intWidth = this.layout.text.length + 4;
    this.lastText = this.layout.text.map(() => '');
    this.lastTime = this.layout.numeric.map(() => '');
    this.lastTimeValue = new Float64Array(this.layout.numeric.length);
    this.columnDicts = this.layout.text.map(() => new Map<string, number>());
    this.lastId = new Int32Array(this.layout.text.length);
    this.numeric = new Float64Array(batchSize * this.numericWidth);
    this.ints = new Int32Array(batchSize * this.intWidth);
  }

  private id(value: string, dict: Map<string, number> = this.dict): number {
    let id = dict.get(value);
    if (id === undefined) {
      id = this.nextId++;
      const owned = ownString(value);
      dict.set(owned, id);
      this.pendingStrings.push(owned);
    }
    return id;
  }

  /** Encode one row; returns a full batch when one is ready. */
  add(fields: string[], rowNo: number): EncodedBatch | null {
    const plan = this.plan;
    if (fields.length !== plan.raw.length) {
      throw new RowError(
        rowNo,
        null,
        `expected ${plan.raw.length} columns, found ${fields.length}${fields.length < plan.raw.length ? ' (short row)' : ''}`,
      );
    }
    if (this.rows === 0) this.firstRow = rowNo;
    const r = this.rows;
    const nBase = r * this.numericWidth;
    const numeric = this.layout.numeric;
    for (let k = 0; k < numeric.length; k++) {
      const col = numeric[k]!;
      const v = fields[col.index]!;
      if (isNull(v)) {
        if (NON_NULL.has(col.name)) throw new RowError(rowNo, col.name, `${col.name} is empty (FOCUS requires a value)`);
        this.numeric[nBase + k] = NaN;
        continue;
      }
      if (col.kind === 'money') {
        const fast = fastNanos(v);
        if (fast === fast) {
          this.numeric[nBase + k] = fast;
          continue;
        }
        const m = parseMoneyLenient(v);
        if (m === null) throw new RowError(rowNo, col.name, `${col.name} '${v}' is not a number`);
        if (!m.strict) this.lenientMoneyCells++;
        this.putMoney(nBase + k, r, k, m.nanos);
      } else if (col.kind === 'number') {
        const x = Number(v.trim());
        if (v.trim() === '' || !Number.isFinite(x)) throw new RowError(rowNo, col.name, `${col.name} '${v}' is not a number`);
        this.numeric[nBase + k] = x;
      } else if (v === this.lastTime[k]) {
        // consecutive rows mostly share their periods
        this.numeric[nBase + k] = this.lastTimeValue[k]!;
      } else {
        const t = parseFocusDateTime(v);
        if (t === null) throw new RowError(rowNo, col.name, `${col.name} '${v}' is not a date/time`);
        this.numeric[nBase + k] = t;
        this.lastTime[k] = v;
        this.lastTimeValue[k] = t;
      }
    }
    const iBase = r * this.intWidth;
    const text = this.layout.text;
    for (let k = 0; k < text.length; k++) {
      const v = fields[text[k]!.index]!;
      if (isNull(v)) {
        if (NON_NULL.has(text[k]!.name)) {
          throw new RowError(rowNo, text[k]!.name, `${text[k]!.name} is empty (FOCUS requires a value)`);
        }
        this.ints[iBase + k] = 0;
      } else if (v === this.lastText[k]) {
        this.ints[iBase + k] = this.lastId[k]!;
      } else {
        const id = this.id(v, this.columnDicts[k]);
        this.lastText[k] = v;
        this.lastId[k] = id;
        this.ints[iBase + k] = id;
      }
    }
    const t = text.length;
    this.ints[iBase + t] = this.tagsIndex >= 0 ? this.tagset(fields[this.tagsIndex]!) : 0;
    this.ints[iBase + t + 1] = this.plan.extras.length > 0 ? this.extras(fields) : 0;
    this.ints[iBase + t + 2] = dayOf(this.numeric[nBase + this.cpsCol]!);
    // a mapped vendor row can yield several FOCUS rows (token classes) or none: each keeps its source row number
    this.ints[iBase + t + 3] = rowNo;
    this.rows++;
    return this.rows === this.batchSize ? this.flush() : null;
  }

  private putMoney(at: number, row: number, col: number, nanos: Nanos): void {
    if (typeof nanos === 'bigint') {
      this.numeric[at] = NaN;
      this.bigMoney.push({ row, col, value: nanos.toString() });
    } else {
      this.numeric[at] = nanos;
    }
  }

  /** Tags normalised to a canonical JSON object (sorted keys, string values) so equal tag sets share one id. */
  private tagset(v: string): number {
    if (isNull(v)) return 0;
    const cached = this.tagsetCache.get(v);
    if (cached !== undefined) return cached;
    let id = 0;
    const norm = normalizeTags(v);
    if (norm !== null) id = this.id(norm);
    this.tagsetCache.set(ownString(v), id);
    return id;
  }

  private extras(fields: string[]): number {
    // the same combination of extra values repeats across rows: look it up by its joined values before building JSON
    const ex = this.plan.extras;
    let key = '';
    for (let i = 0; i < ex.length; i++) {
      const v = fields[ex[i]!.index]!;
      key += isNull(v) ? '\u0000\u0002' : v;
      key += '\u0001';
    }
    if (key === this.lastExtrasKey) return this.lastExtrasId;
    let id = this.extrasCache.get(key);
    if (id === undefined) {
      const obj: Record<string, string> = {};
      let any = false;
      for (const e of ex) {
        const v = fields[e.index]!;
        if (!isNull(v)) {
          obj[e.name] = v;
          any = true;
        }
      }
      id = any ? this.id(JSON.stringify(obj)) : 0;
      // bounded: unique-per-row extras would otherwise grow the cache with the file
      if (this.extrasCache.size < 100_000) this.extrasCache.set(ownString(key), id);
    }
    this.lastExtrasKey = key;
    this.lastExtrasId = id;
    return id;
  }

  /** The batch of rows encoded so far (or null when empty). */
  flush(): EncodedBatch | null {
    if (this.rows === 0 && this.pendingStrings.length === 0) return null;
    const count = this.rows;
    const batch: EncodedBatch = {
      firstRow: this.firstRow,
      count,
      firstNewString: this.firstPending,
      newStrings: this.pendingStrings,
      numeric: this.numeric.slice(0, count * this.numericWidth),
      ints: this.ints.slice(0, count * this.intWidth),
      bigMoney: this.bigMoney,
    };
    this.firstPending = this.nextId;
    this.pendingStrings = [];
    this.bigMoney = [];
    this.rows = 0;
    return batch;
  }
}

/** Some exports (BigQuery-based ones) write tags as [{"key": …, "value": …}]: read that as an object. */
function keyValueArrayToObject(list: unknown[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const item of list) {
    if (item === null || typeof item !== 'object') return null;
    const { key, value } = item as { key?: unknown; value?: unknown };
    if (typeof key !== 'string') return null;
    out[key] = value ?? true;
  }
  return out;
}

/** Canonical tag JSON, or null when the text is not a JSON object. Values become strings; key order is sorted. */
export function normalizeTags(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(parsed)) parsed = keyValueArrayToObject(parsed);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const entries = Object.entries(parsed as Record<string, unknown>)
    .map(([k, val]) => [k, val === null ? '' : typeof val === 'object' ? JSON.stringify(val) : String(val)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (entries.length === 0) return null;
  return JSON.stringify(Object.fromEntries(entries));
}

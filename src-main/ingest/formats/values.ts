// Value helpers every bill mapper needs: exact decimal arithmetic on text (money never goes through a float), vendor
// date formats to FOCUS date/times, header lookup that forgives case, BOM and localised names, and tag text to a
// JSON object. Pure functions; hot paths avoid BigInt when the text can be passed through unchanged.
import { daysFromCivil, isoDateTime, parseFocusDateTime } from '../datetime';

// ---------------------------------------------------------------------------------------------------------------
// Exact decimals: value = coef / 10^scale

export interface Dec {
  coef: bigint;
  scale: number;
}

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Exact value of decimal text ("12.5", "-3", "5.64902E-05", "+1e3", " 7 "), or null if it is not a plain number. */
export function parseDec(text: string): Dec | null {
  const t = text.trim();
  const m = DEC_RE.exec(t);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int.length === 0 && frac.length === 0) return null;
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return null;
  let coef = BigInt((int || '0') + frac);
  let scale = frac.length - exp;
  if (scale < 0) {
    coef *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (m[1] === '-') coef = -coef;
  return { coef, scale };
}

export const DEC_ZERO: Dec = { coef: 0n, scale: 0 };

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.coef, b.coef, a.scale];
  if (a.scale > b.scale) return [a.coef, b.coef * 10n ** BigInt(a.scale - b.scale), a.scale];
  return [a.coef * 10n ** BigInt(b.scale - a.scale), b.coef, b.scale];
}

export function decAdd(a: Dec, b: Dec): Dec {
  const [x, y, s] = align(a, b);
  return { coef: x + y, scale: s };
}

export function decSub(a: Dec, b: Dec): Dec {
  const [x, y, s] = align(a, b);
  return { coef: x - y, scale: s };
}

export function decMul(a: Dec, b: Dec): Dec {
  return { coef: a.coef * b.coef, scale: a.scale + b.scale };
}

export function decNeg(a: Dec): Dec {
  return { coef: -a.coef, scale: a.scale };
}

export function decCmp(a: Dec, b: Dec): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function decIsZero(a: Dec): boolean {
  return a.coef === 0n;
}

/** a / 10^k, exact (cents → dollars is decShift(a, 2)). */
export function decShift(a: Dec, k: number): Dec {
  return k >= 0 ? { coef: a.coef, scale: a.scale + k } : { coef: a.coef * 10n ** BigInt(-k), scale: a.scale };
}

/**
 * a / b rounded half away from zero to `digits` decimals (default 18, beyond what any bill carries). Exact whenever
 * the quotient terminates within those digits, as dividing by a block size such as 10, 100 or 1000 always does.
 */
export function decDiv(a: Dec, b: Dec, digits = 18): Dec {
  if (b.coef === 0n) throw new RangeError('division by zero');
  // a/b = (ac / 10^as) / (bc / 10^bs) = ac * 10^(bs - as) / bc; scale the numerator so the result has `digits`.
  const shift = digits + b.scale - a.scale;
  let num = a.coef;
  let den = b.coef;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  let q = num / den;
  const r = num % den;
  if (r !== 0n) {
    const twice = (r < 0n ? -r : r) * 2n;
    if (twice >= den) q += num < 0n ? -1n : 1n;
  }
  return { coef: q, scale: digits };
}

/** Plain decimal text without exponent or trailing zeros: "0.035351812", "-12", "0". */
export function decText(a: Dec): string {
  if (a.coef === 0n) return '0';
  const neg = a.coef < 0n;
  let digits = (neg ? -a.coef : a.coef).toString();
  let scale = a.scale;
  if (scale < 0) return `${neg ? '-' : ''}${digits}${'0'.repeat(-scale)}`;
  // trailing zeros come off the digit string (a BigInt division per zero was the cost of this function)
  let end = digits.length;
  while (scale > 0 && digits.charCodeAt(end - 1) === 48) {
    end--;
    scale--;
  }
  if (end !== digits.length) digits = digits.slice(0, end);
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** Plain decimal text as FOCUS wants it, `-?\d+(\.\d+)?`, by a char scan (mappers pass such cells through). */
export function isPlainDecimal(s: string): boolean {
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0 && digits > 0) frac = 0;
    else return false;
  }
  return digits > 0 && frac !== 0;
}

/** [+-]digits (at most 4) as a number, NaN otherwise. */
function smallInt(s: string): number {
  const n = s.length;
  let i = n > 0 && (s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43) ? 1 : 0;
  if (n - i < 1 || n - i > 4) return NaN;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}

/** Plain decimal digits with the point moved `exp` places, normalised like decText ("5.2", -9 → "0.0000000052"). */
function shiftPoint(mantissa: string, exp: number): string {
  const neg = mantissa.charCodeAt(0) === 45;
  const body = neg ? mantissa.slice(1) : mantissa;
  const dot = body.indexOf('.');
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const point = (dot < 0 ? body.length : dot) + exp;
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  let i = 0;
  while (i < int.length - 1 && int.charCodeAt(i) === 48) i++;
  let j = frac.length;
  while (j > 0 && frac.charCodeAt(j - 1) === 48) j--;
  const text = j === 0 ? int.slice(i) : `${int.slice(i)}.${frac.slice(0, j)}`;
  return neg && text !== '0' ? `-${text}` : text;
}

/**
 * A number cell as plain decimal text: plain text passes through untouched, exponent notation ("5.2E-9", common in
 * CUR and OCI exports) is rewritten by moving the point (no BigInt), anything else parseDec reads goes through
 * decText. '' stays ''; null when the text is not a number.
 */
export function plainDecimalText(text: string): string | null {
  if (text === '' || isPlainDecimal(text)) return text;
  let e = text.indexOf('E');
  if (e < 0) e = text.indexOf('e');
  if (e > 0) {
    const exp = smallInt(text.slice(e + 1));
    const mantissa = text.slice(0, e);
    if (!Number.isNaN(exp) && isPlainDecimal(mantissa)) return shiftPoint(mantissa, exp);
  }
  const d = parseDec(text);
  return d === null ? null : decText(d);
}

/** Text helpers for mappers that combine cells: '' (null) in gives '' out where that is the natural reading. */
export function textMul(a: string, b: string): string {
  const x = parseDec(a);
  const y = parseDec(b);
  return x && y ? decText(decMul(x, y)) : '';
}

export function textDiv(a: string, b: string, digits = 18): string {
  const x = parseDec(a);
  const y = parseDec(b);
  return x && y && y.coef !== 0n ? decText(decDiv(x, y, digits)) : '';
}

/** Sum of decimal cells; empty cells count as 0, other non-numbers make the whole sum invalid (returns null). */
export function textSum(...cells: string[]): string | null {
  let acc = DEC_ZERO;
  for (const c of cells) {
    if (c.trim() === '') continue;
    const d = parseDec(c);
    if (!d) return null;
    acc = decAdd(acc, d);
  }
  return decText(acc);
}

const MAX_FAST_SCALE = 24;

/**
 * Running exact sum of decimal text, for vendor totals, without BigInt or a regex per cell: plain decimals with up to
 * 15 significant digits add up per scale in doubles (exact below 2^53) and are flushed into an exact BigInt sum before
 * they could lose a digit; longer or exponent texts go to the exact sum directly.
 */
export class DecimalSum {
  private acc: Dec = DEC_ZERO;
  private readonly slots = new Float64Array(MAX_FAST_SCALE + 1);
  /** Cells that were not numbers (and were left out). */
  invalid = 0;

  add(cell: string): void {
    if (cell === '') return;
    if (!isPlainDecimal(cell)) {
      const d = parseDec(cell);
      if (d) this.addDec(d);
      else this.invalid++;
      return;
    }
    const n = cell.length;
    let i = 0;
    let neg = false;
    if (cell.charCodeAt(0) === 45) {
      neg = true;
      i = 1;
    }
    let coef = 0;
    let significant = 0;
    let scale = -1;
    for (; i < n; i++) {
      const c = cell.charCodeAt(i);
      if (c === 46) {
        scale = 0;
        continue;
      }
      if (significant > 0 || c !== 48) significant++;
      coef = coef * 10 + (c - 48);
      if (scale >= 0) scale++;
    }
    if (scale < 0) scale = 0;
    if (significant > 15 || scale > MAX_FAST_SCALE) {
      this.addDec(parseDec(cell)!);
      return;
    }
    const slots = this.slots;
    if (Math.abs(slots[scale]!) > 8e15) this.flush(scale);
    slots[scale] = slots[scale]! + (neg ? -coef : coef);
  }

  addDec(d: Dec): void {
    this.acc = decAdd(this.acc, d);
    // keep the scale bounded: trailing zeros from alignment would grow the coefficient for nothing
    if (this.acc.scale > 24) this.acc = parseDec(decText(this.acc))!;
  }

  private flush(scale: number): void {
    const v = this.slots[scale]!;
    if (v !== 0) this.acc = decAdd(this.acc, { coef: BigInt(v), scale });
    this.slots[scale] = 0;
  }

  value(): Dec {
    for (let s = 0; s <= MAX_FAST_SCALE; s++) this.flush(s);
    return this.acc;
  }

  toString(): string {
    return decText(this.value());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const DAY = 86400;

/** How to read a slash date: US month first (Azure EA "9/2/2023") or day first. */
export type SlashOrder = 'mdy' | 'dmy';

/**
 * Unix seconds of a vendor date/time, or null. Reads ISO 8601 (date alone, space or T, fractional seconds of any
 * length, Z / ±hh:mm / " UTC"), slash dates (M/D/YYYY by default) with an optional time, dotted German dates
 * (DD.MM.YYYY), Unix seconds (9–11 digits) and milliseconds (13 digits).
 */
export function parseVendorDateTime(text: string, slash: SlashOrder = 'mdy'): number | null {
  let s = text.trim();
  if (s === '') return null;
  if (/^\d{9,11}(\.\d+)?$/.test(s)) return Math.floor(Number(s));
  if (/^\d{13}$/.test(s)) return Math.floor(Number(s) / 1000);
  if (/ UTC$/i.test(s)) s = s.slice(0, -4) + 'Z';
  // fractional seconds beyond milliseconds ("…41.8378480Z") and any fraction: drop, FOCUS has whole seconds
  s = s.replace(/^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})\.\d+/, '$1');
  const iso = parseFocusDateTime(s);
  if (iso !== null && /^\d{4}-/.test(s)) return iso;
  const m = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(s);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const y = Number(m[4]);
  const dayFirst = m[2] === '.' || slash === 'dmy';
  const month = dayFirst ? b : a;
  const day = dayFirst ? a : b;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const check = new Date(Date.UTC(y, month - 1, day));
  if (check.getUTCMonth() !== month - 1) return null;
  let hh = m[5] ? Number(m[5]) : 0;
  const mm = m[6] ? Number(m[6]) : 0;
  const ss = m[7] ? Number(m[7]) : 0;
  if (m[8]) {
    const pm = m[8].toLowerCase() === 'pm';
    if (hh < 1 || hh > 12) return null;
    hh = (hh % 12) + (pm ? 12 : 0);
  }
  if (hh > 23 || mm > 59 || ss > 59) return null;
  return daysFromCivil(y, month, day) * DAY + hh * 3600 + mm * 60 + ss;
}

/** FOCUS date/time text (2024-09-01T00:00:00Z) of Unix seconds. */
export function focusDateTime(secs: number): string {
  return isoDateTime(secs);
}

/** Vendor date text → FOCUS date/time text, '' for an empty cell, null when unreadable. */
export function toFocusDateTime(text: string, slash: SlashOrder = 'mdy'): string | null {
  if (text.trim() === '') return '';
  const s = parseVendorDateTime(text, slash);
  return s === null ? null : isoDateTime(s);
}

/** Add whole days (inclusive end dates → exclusive: Azure's BillingPeriodEndDate + 1 day). */
export function addDays(secs: number, days: number): number {
  return secs + days * DAY;
}

/** First instant of the month holding `secs`, and of the month after. */
export function monthBounds(secs: number): [number, number] {
  const d = new Date(secs * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const start = daysFromCivil(y, m, 1) * DAY;
  const end = m === 12 ? daysFromCivil(y + 1, 1, 1) * DAY : daysFromCivil(y, m + 1, 1) * DAY;
  return [start, end];
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

/** Canonical form for matching header names: BOM and spaces trimmed, lower case. */
export function headerKey(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase();
}

/**
 * Finds columns by name, case-insensitively. A localised header with the English name in parentheses
 * ("Abonnement-GUID (SubscriptionGuid)") is found by the English name too.
 */
export class Columns {
  private readonly index = new Map<string, number>();

  constructor(readonly header: readonly string[]) {
    header.forEach((h, i) => {
      const k = headerKey(h);
      if (!this.index.has(k)) this.index.set(k, i);
      const paren = /\(([^()]+)\)\s*$/.exec(h);
      if (paren) {
        const alias = headerKey(paren[1]!);
        if (!this.index.has(alias)) this.index.set(alias, i);
      }
    });
  }

  /** Index of the first of `names` present, or -1. */
  find(...names: string[]): number {
    for (const n of names) {
      const i = this.index.get(headerKey(n));
      if (i !== undefined) return i;
    }
    return -1;
  }

  has(...names: string[]): boolean {
    return this.find(...names) >= 0;
  }

  /** How many of `names` are present (detection scores). */
  count(names: readonly string[]): number {
    let n = 0;
    for (const name of names) if (this.index.has(headerKey(name))) n++;
    return n;
  }
}

/** The cell at index i, or '' when the column is absent (i < 0) or the row is short. */
export function cell(cells: readonly string[], i: number): string {
  return i < 0 ? '' : (cells[i] ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// Tags and key-value text

/**
 * Tag text as a JSON object text, or '' when empty. Accepts a JSON object, Azure EA's object without braces
 * (`"a": "b","c": "d"`), `[{"key":…,"value":…}]` arrays, and Python-style reprs with single quotes. Values become
 * strings. Returns null when the text is none of these.
 */
export function tagsToJson(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '{}' || t === '[]') return '';
  const attempt = (s: string): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  let v = attempt(t);
  if (v === undefined && !t.startsWith('{') && !t.startsWith('[')) v = attempt(`{${t}}`);
  if (v === undefined) v = attempt(pythonReprToJson(t));
  if (v === undefined || v === null || typeof v !== 'object') return null;
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === null || typeof item !== 'object' || typeof (item as { key?: unknown }).key !== 'string') return null;
      const { key, value } = item as { key: string; value?: unknown };
      out[key] = scalarText(value);
    }
  } else {
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = scalarText(val);
  }
  return Object.keys(out).length === 0 ? '' : JSON.stringify(out);
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Python repr (single quotes, None/True/False) → JSON text, for flattened GCP exports. Best effort. */
export function pythonReprToJson(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const quote = c;
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== quote) {
        if (text[j] === '\\' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
          continue;
        }
        s += text[j];
        j++;
      }
      out += JSON.stringify(s);
      i = j + 1;
      continue;
    }
    const word = /^(None|True|False)\b/.exec(text.slice(i));
    if (word) {
      out += word[1] === 'None' ? 'null' : word[1] === 'True' ? 'true' : 'false';
      i += word[1]!.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** true/false of the many spellings exports use (TRUE, False, 1, yes); null when it is not a boolean. */
export function parseBool(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes' || t === 'y') return true;
  if (t === 'false' || t === '0' || t === 'no' || t === 'n') return false;
  return null;
}

import { ownString } from '../ingest/own-string';
// Cell-level predicates used by the compiled rules. All take the raw cell text; none allocate on the common path.
//
// Null semantics (decision, see README.md):
// - A cell is NULL for value checks when it is empty or the literal text `null` in any case (`NULL`, `Null`):
//   CSV has no typed null, and writers such as Spark, Snowflake or the FOCUS sample data spell it `NULL`. This is
//   also what the FinOps Foundation validator's CSV loader (pandas) does.
// - The text `null` is still a placeholder, not a real null: the NullHandling rule (NullHandling-A-002-M) flags it,
//   together with other placeholder texts (`N/A`, `Not Applicable`, `NaN`).
// - Any other text, including whitespace-only text, is a value.

/** 0 = a value, 1 = empty (a real CSV null), 2 = the text `null` (read as null), 3 = other placeholder text (a value). */
export function nullKind(s: string): 0 | 1 | 2 | 3 {
  const n = s.length;
  if (n === 0) return 1;
  if (n === 4) {
    const a = s.charCodeAt(0) | 32;
    if (a === 110 && (s.charCodeAt(1) | 32) === 117 && (s.charCodeAt(2) | 32) === 108 && (s.charCodeAt(3) | 32) === 108) return 2;
    return 0;
  }
  if (n === 3) {
    if ((s.charCodeAt(0) | 32) !== 110) return 0;
    const b = s.charCodeAt(1);
    const c = s.charCodeAt(2) | 32;
    if (b === 47 && c === 97) return 3; // n/a
    if ((b | 32) === 97 && c === 110) return 3; // nan
    return 0;
  }
  if (n === 14 && (s.charCodeAt(0) | 32) === 110 && s.toLowerCase() === 'not applicable') return 3;
  return 0;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

// ---------------------------------------------------------------------------------------------------------------
// Decimals. One scan per cell answers every numeric check of the model (type, format, = 0, >= 0, the value itself).

/** scanDecimal flag: a typed reader could take the text as a finite number (lenient: blanks, `+`, `5.`, `1e+5`). */
export const DEC_TYPE = 1;
/** scanDecimal flag: FOCUS NumericFormat: -?(\d+(\.\d+)?|\.\d+)([eE]-?\d+)? and nothing else. */
export const DEC_FORMAT = 2;
/** scanDecimal flag: the number is zero. */
export const DEC_ZERO = 4;
/** scanDecimal flag: the number is negative. */
export const DEC_NEGATIVE = 8;

/** Results of the last scanDecimal call that returned DEC_TYPE: [value, written scale]. */
export const DEC_OUT = new Float64Array(2);

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Scans a cell as a decimal. Returns DEC_* flags (0 when the text is not a number) and, when DEC_TYPE is set,
 * leaves the value in DEC_OUT[0] and the written scale (digits after the point, adjusted for an exponent: `1.50`
 * → 2, `15E-3` → 3) in DEC_OUT[1]. Exact for up to 15 significant digits; longer mantissas use Number().
 */
export function scanDecimal(s: string): number {
  let n = s.length;
  let i = 0;
  let strict = true;
  if (n > 0 && (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(n - 1)))) {
    strict = false;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    while (n > i && isSpace(s.charCodeAt(n - 1))) n--;
  }
  const start = i;
  let neg = false;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) {
      strict = false;
      i++;
    }
  }
  let mant = 0;
  let sig = 0;
  let intDigits = 0;
  let frac = 0;
  let c = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    if (mant !== 0 || c !== 48) {
      mant = mant * 10 + (c - 48);
      sig++;
    }
    intDigits++;
    i++;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      if (mant !== 0 || c !== 48) {
        mant = mant * 10 + (c - 48);
        sig++;
      }
      frac++;
      i++;
    }
    if (frac === 0) strict = false; // `5.`
  }
  if (intDigits + frac === 0) return 0;
  let exp = 0;
  if (i < n && (s.charCodeAt(i) | 32) === 101) {
    i++;
    let eneg = false;
    if (i < n) {
      const d = s.charCodeAt(i);
      if (d === 45) {
        eneg = true;
        i++;
      } else if (d === 43) {
        strict = false;
        i++;
      }
    }
    let ed = 0;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      exp = exp * 10 + (c - 48);
      ed++;
      i++;
    }
    if (ed === 0) return 0;
    if (eneg) exp = -exp;
  }
  if (i !== n) return 0;
  const scale = frac - exp;
  let value: number;
  if (mant === 0) value = 0;
  else if (sig <= 15 && scale >= -22 && scale <= 22) value = scale >= 0 ? mant / POW10[scale]! : mant * POW10[-scale]!;
  else value = Number(s.slice(start, n).replace(/^\+/, ''));
  if (neg) value = -value;
  DEC_OUT[0] = value;
  DEC_OUT[1] = scale > 0 ? scale : 0;
  let flags = DEC_TYPE;
  if (strict) flags |= DEC_FORMAT;
  if (mant === 0) flags |= DEC_ZERO;
  else if (neg) flags |= DEC_NEGATIVE;
  return flags;
}

const DEC_STRICT = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE]-?\d+)?$/;
const DEC_ZERO_MANTISSA = /^[^1-9eE]*(?:[eE]|$)/;

/**
 * scanDecimal without the value: DEC_* flags only (DEC_OUT untouched). Uses regular expressions for the common,
 * conforming case and falls back to scanDecimal for the rest.
 */
export function decimalFlags(s: string): number {
  if (!DEC_STRICT.test(s)) return scanDecimal(s);
  if (DEC_ZERO_MANTISSA.test(s)) return DEC_TYPE | DEC_FORMAT | DEC_ZERO;
  return s.charCodeAt(0) === 45 ? DEC_TYPE | DEC_FORMAT | DEC_NEGATIVE : DEC_TYPE | DEC_FORMAT;
}

/** FOCUS NumericFormat, strict (see DEC_FORMAT): `$10,100.00 `, `+5`, `1e+5`, `5.` and ` 5` fail. */
export function isNumericFormat(s: string): boolean {
  return (scanDecimal(s) & DEC_FORMAT) !== 0;
}

/** Decimal *type*, lenient (see DEC_TYPE): `abc`, `$10,100.00`, `NaN`, `Infinity` fail. */
export function isDecimalType(s: string): boolean {
  return (scanDecimal(s) & DEC_TYPE) !== 0;
}

/** The number a decimal-typed cell holds, or NaN when it is not a decimal. */
export function toNumber(s: string): number {
  return scanDecimal(s) !== 0 ? DEC_OUT[0]! : NaN;
}

/**
 * ColumnByColumnEqualsColumnValue: a × b = r. Real files round their costs, and compute them from quantities more
 * precise than the ones they print (0.008 × 0.00200749 = 0.00001605992, written 0.00001605990), so the product
 * may differ from r by half a unit in the last written place of r plus one part in a million. Unit prices and
 * quantities are taken as exact (a price written 3 is 3, not 2.5 to 3.5).
 */
export function productWithin(a: number, b: number, r: number, scaleR: number): boolean {
  const p = a * b;
  const d = p > r ? p - r : r - p;
  const ap = p < 0 ? -p : p;
  const ar = r < 0 ? -r : r;
  return d <= 1e-6 * (ap > ar ? ap : ar) + halfUlp(scaleR);
}

const HALF_ULP = Array.from({ length: 41 }, (_, i) => (i === 0 ? 0 : 0.5 * Number(`1e-${i}`)));
/** Half a unit in the last place of a number written with `scale` decimals (0 for an integer: taken as exact). */
const halfUlp = (scale: number): number => (scale <= 40 ? HALF_ULP[scale]! : 0);

/** productWithin on cell texts; cells that are not decimals pass (the type rules report them). */
export function productMatches(as: string, bs: string, rs: string): boolean {
  if (scanDecimal(as) === 0) return true;
  const a = DEC_OUT[0]!;
  if (scanDecimal(bs) === 0) return true;
  const b = DEC_OUT[0]!;
  if (scanDecimal(rs) === 0) return true;
  return productWithin(a, b, DEC_OUT[0]!, DEC_OUT[1]!);
}

// ---------------------------------------------------------------------------------------------------------------
// Date/time. One scan per cell answers both the type and the format check.

/** scanDateTime flag: an ISO 8601-like date or date-time (lenient: `2024-09-01`, `2024-09-01 00:00:00`, offsets). */
export const DT_TYPE = 1;
/** scanDateTime flag: FOCUS DateTimeFormat, exactly `YYYY-MM-DDTHH:mm:ssZ`. */
export const DT_FORMAT = 2;

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function validDate(s: string): boolean {
  if (s.length < 10) return false;
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const mo = two(s, 5);
  const d = two(s, 8);
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo]!) return false;
  if (mo === 2 && d === 29) {
    const y = y1 * 100 + y2;
    if (!((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return false;
  }
  return true;
}

const DT_STRICT = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/**
 * Returns DT_* flags for a cell (0: not a date/time). `9/1/24` and `Sept 1` are not. A regular expression takes the
 * common, conforming case (native code is several times faster than charCodeAt loops over the sliced strings a
 * CSV reader produces); days 29 to 31 are then checked against the month.
 */
export function scanDateTime(s: string): number {
  if (DT_STRICT.test(s)) {
    const d = s.charCodeAt(8);
    if (d < 50 || (d === 50 && s.charCodeAt(9) !== 57)) return DT_TYPE | DT_FORMAT;
    return validDate(s) ? DT_TYPE | DT_FORMAT : 0;
  }
  return scanDateTimeSlow(s);
}

/** Lenient date/time (DT_TYPE): date, optional time with optional seconds and fraction, optional zone or offset. */
const DT_LENIENT =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[Tt ](?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:\.\d+)?)?(?:[Zz]|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?)?$/;

function scanDateTimeSlow(s: string): number {
  if (!DT_LENIENT.test(s)) return 0;
  const d = s.charCodeAt(8);
  if (d < 50 || (d === 50 && s.charCodeAt(9) !== 57)) return DT_TYPE;
  return validDate(s) ? DT_TYPE : 0;
}

/** FOCUS DateTimeFormat, strict: exactly `YYYY-MM-DDTHH:mm:ssZ` with a real calendar date and time. */
export function isDateTimeFormat(s: string): boolean {
  return (scanDateTime(s) & DT_FORMAT) !== 0;
}

/** Date/Time *type*, lenient: `2024-09-01 00:00:00` passes here and fails isDateTimeFormat. */
export function isDateTimeType(s: string): boolean {
  return (scanDateTime(s) & DT_TYPE) !== 0;
}

type WellFormed = { isWellFormed(): boolean };

/**
 * FOCUS StringHandling as far as one cell shows it: a valid Unicode string. Cells come from decoded UTF-8, which
 * cannot hold lone surrogates; bytes that were not valid UTF-8 arrive as U+FFFD, the replacement character. So the
 * hot path looks for U+FFFD only (one native scan); isValidUnicode() also checks well-formedness.
 */
export function hasNoReplacementChar(s: string): boolean {
  return s.indexOf('\uFFFD') < 0;
}

export function isValidString(s: string): boolean {
  return hasNoReplacementChar(s) && (s as unknown as WellFormed).isWellFormed();
}

/** Non-empty text made only of blanks (StringHandling-A-007-M). */
export function isBlankText(s: string): boolean {
  const n = s.length;
  if (n === 0 || !isSpace(s.charCodeAt(0))) return false;
  for (let i = 1; i < n; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// KeyValueFormat: a serialized JSON object (ECMA-404) with unique keys whose values are scalars only
// (string, number, true, false, null), never objects or arrays. A hand-written scanner: JSON.parse would cost
// microseconds and allocate an object per row.

let keyStart: Int32Array<ArrayBuffer> = new Int32Array(64);
let keyEnd: Int32Array<ArrayBuffer> = new Int32Array(64);

function skipWs(s: string, i: number): number {
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Scans a JSON string starting at the opening quote; returns the index after the closing quote, or -1. */
function scanString(s: string, i: number): number {
  const n = s.length;
  i++;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) return -1;
    if (c === 92) {
      const e = s.charCodeAt(i + 1);
      if (e === 117) {
        for (let k = 2; k < 6; k++) {
          const h = s.charCodeAt(i + k) | 32;
          if (!((h >= 48 && h <= 57) || (h >= 97 && h <= 102))) return -1;
        }
        i += 6;
        continue;
      }
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2;
        continue;
      }
      return -1;
    }
    i++;
  }
  return -1;
}

function scanNumber(s: string, i: number): number {
  const n = s.length;
  if (s.charCodeAt(i) === 45) i++;
  if (i >= n) return -1;
  if (s.charCodeAt(i) === 48) i++;
  else {
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
  }
  if (s.charCodeAt(i) === 46) {
    i++;
    const st = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === st) return -1;
  }
  if ((s.charCodeAt(i) | 32) === 101) {
    i++;
    const c = s.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    const st = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === st) return -1;
  }
  return i;
}

function sameKey(s: string, a0: number, a1: number, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let k = 0; k < a1 - a0; k++) if (s.charCodeAt(a0 + k) !== s.charCodeAt(b0 + k)) return false;
  return true;
}

export function isKeyValueObject(s: string): boolean {
  const n = s.length;
  let i = skipWs(s, 0);
  if (s.charCodeAt(i) !== 123) return false;
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === 125) return skipWs(s, i + 1) === n;
  let keys = 0;
  for (;;) {
    if (s.charCodeAt(i) !== 34) return false;
    const ks = i;
    i = scanString(s, i);
    if (i < 0) return false;
    // Keys are compared as written; two spellings of one key through different escapes are not detected.
    for (let k = 0; k < keys; k++) if (sameKey(s, keyStart[k]!, keyEnd[k]!, ks, i)) return false;
    if (keys === keyStart.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      keyStart = grow(keyStart);
      keyEnd = grow(keyEnd);
    }
    keyStart[keys] = ks;
    keyEnd[keys] = i;
    keys++;
    i = skipWs(s, i);
    if (s.charCodeAt(i) !== 58) return false;
    i = skipWs(s, i + 1);
    const c = s.charCodeAt(i);
    if (c === 34) i = scanString(s, i);
    else if (c === 116) i = s.startsWith('true', i) ? i + 4 : -1;
    else if (c === 102) i = s.startsWith('false', i) ? i + 5 : -1;
    else if (c === 110) i = s.startsWith('null', i) ? i + 4 : -1;
    else if (c === 45 || isDigit(c)) i = scanNumber(s, i);
    else return false; // object, array or garbage
    if (i < 0) return false;
    i = skipWs(s, i);
    const d = s.charCodeAt(i);
    if (d === 44) {
      i = skipWs(s, i + 1);
      continue;
    }
    if (d === 125) return skipWs(s, i + 1) === n;
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// UnitFormat (FOCUS attribute; the column rules that use it are SHOULD). Grammar checked:
//   unit  := [qty ' '] side ['/' [qty ' '] side]       qty: a positive integer
//   side  := base ['-' base]                            (a compound unit joins two base units with a hyphen)
//   base  := word (' ' word)*
// A word is an allowed data-size abbreviation (exact case), an allowed time unit or a recommended count unit (exact
// case), or another capitalised word of letters and digits. Wrong case of a listed unit (`gb`, `hours`), plural
// abbreviations (`GBs`), spelled-out data sizes (`Gigabyte`) and a data size glued to another word with a space
// (`GB Hours` instead of `GB-Hours`) fail.

const DATA_SIZE = [
  'b', 'B', 'Kb', 'KB', 'Mb', 'MB', 'Gb', 'GB', 'Tb', 'TB', 'Pb', 'PB', 'Eb', 'EB',
  'Kib', 'KiB', 'Mib', 'MiB', 'Gib', 'GiB', 'Tib', 'TiB', 'Pib', 'PiB', 'Eib', 'EiB',
];
const DATA_SIZE_SET = new Set(DATA_SIZE);
const DATA_SIZE_LOWER = new Set(DATA_SIZE.map((u) => u.toLowerCase()));
const NAMED_UNITS = [
  'Year', 'Years', 'Month', 'Months', 'Day', 'Days', 'Hour', 'Hours', 'Minute', 'Minutes', 'Second', 'Seconds',
  'Millisecond', 'Milliseconds', 'Microsecond', 'Microseconds',
  'Count', 'Counts', 'Unit', 'Units', 'Request', 'Requests', 'Token', 'Tokens', 'Connection', 'Connections',
  'Certificate', 'Certificates', 'Domain', 'Domains', 'Core', 'Cores',
];
const NAMED_LOWER = new Map(NAMED_UNITS.map((u) => [u.toLowerCase(), u]));
const SPELLED_DATA_SIZE = /^(kilo|mega|giga|tera|peta|exa|kibi|mebi|gibi|tebi|pebi|exbi)?(bit|byte)s?$/i;

function wordOk(w: string): 'size' | 'word' | null {
  if (DATA_SIZE_SET.has(w)) return 'size';
  const lower = w.toLowerCase();
  if (DATA_SIZE_LOWER.has(lower)) return null;
  if (w.length > 1 && w.endsWith('s') && DATA_SIZE_SET.has(w.slice(0, -1))) return null;
  const named = NAMED_LOWER.get(lower);
  if (named !== undefined) return named === w ? 'word' : null;
  if (SPELLED_DATA_SIZE.test(w)) return null;
  const c = w.charCodeAt(0);
  if (!(c >= 65 && c <= 90)) return null;
  for (let i = 1; i < w.length; i++) {
    const d = w.charCodeAt(i);
    if (!((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || isDigit(d))) return null;
  }
  return 'word';
}

function baseOk(b: string): boolean {
  if (b.length === 0) return false;
  const words = b.split(' ');
  if (words.length === 1) return wordOk(b) !== null;
  for (const w of words) {
    const k = wordOk(w);
    if (k === null || k === 'size') return false;
  }
  return true;
}

function sideOk(side: string): boolean {
  let s = side;
  const m = /^([1-9][0-9]*) (.*)$/.exec(s);
  if (m) s = m[2]!;
  const parts = s.split('-');
  if (parts.length > 2) return false;
  return parts.every(baseOk);
}

function unitFormatUncached(s: string): boolean {
  if (s.length === 0 || s !== s.trim() || s.includes('  ')) return false;
  const sides = s.split('/');
  if (sides.length > 2) return false;
  return sides.every(sideOk);
}

const unitCache = new Map<string, boolean>();

export function isUnitFormat(s: string): boolean {
  let r = unitCache.get(s);
  if (r === undefined) {
    r = unitFormatUncached(s);
    if (unitCache.size >= 4096) unitCache.clear();
    unitCache.set(ownString(s), r);
  }
  return r;
}

// Exact decimal text → integer nano-units (1e-9). No floating point anywhere on the way: "0.1" is exactly
// 100000000 nanos. Digits beyond the 9th decimal are rounded half away from zero (FOCUS files carry at most a few
// fraction digits beyond that: OCI's 2.323760000E-9 keeps its 2 nanos).

export const NANO_DIGITS = 9;

/** Result: a safe integer number, a bigint when beyond 2^53, or null when the text is not a plain decimal. */
export type Nanos = number | bigint;

/**
 * Parse FOCUS NumericFormat text: optional '-', digits with optional fraction, optional e/E exponent.
 * Returns null for anything else (including '+', thousands separators, currency symbols).
 */
/**
 * Nano-units of a plain decimal ("-12.345") by arithmetic on char codes, without building strings: exact while
 * the integer part has at most 6 digits (so the result stays below 2^53). Returns NaN for anything else
 * (exponents, long numbers, formatted text), which then takes the general path.
 */
export function fastNanos(v: string): number {
  const n = v.length;
  let i = 0;
  let neg = false;
  if (n > 0 && v.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  let int = 0;
  let intDigits = 0;
  while (i < n) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
    intDigits++;
    i++;
  }
  if (intDigits > 6) return NaN;
  let frac = 0;
  let fracDigits = 0;
  let roundUp = false;
  if (i < n && v.charCodeAt(i) === 46) {
    i++;
    while (i < n) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (fracDigits < 9) {
        frac = frac * 10 + c;
        fracDigits++;
      } else if (fracDigits === 9) {
        roundUp = c >= 5; // half away from zero, as parseDecimalNanos
        fracDigits++;
      }
      i++;
    }
  }
  if (i !== n || (intDigits === 0 && fracDigits === 0)) return NaN;
  let nanos = int * 1e9 + frac * POW10[9 - Math.min(fracDigits, 9)]!;
  if (roundUp) nanos += 1;
  return neg ? (nanos === 0 ? 0 : -nanos) : nanos;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

export function parseDecimalNanos(text: string): Nanos | null {
  // most cells are short plain decimals: char arithmetic, no strings built
  const fast = fastNanos(text);
  if (fast === fast) return fast;
  const n = text.length;
  if (n === 0) return null;
  let i = 0;
  let neg = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 45 /* - */) {
    neg = true;
    i = 1;
  }
  let digits = '';
  let intDigits = 0;
  let sawDigit = false;
  let start = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) i++;
    else break;
  }
  intDigits = i - start;
  digits = text.slice(start, i);
  sawDigit = intDigits > 0;
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    i++;
    start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) i++;
      else break;
    }
    if (i > start) sawDigit = true;
    digits += text.slice(start, i);
  }
  if (!sawDigit) return null;
  let exp = 0;
  if (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 101 && c !== 69) return null;
    i++;
    let expNeg = false;
    if (i < n && (text.charCodeAt(i) === 45 || text.charCodeAt(i) === 43)) {
      expNeg = text.charCodeAt(i) === 45;
      i++;
    }
    const es = i;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d >= 48 && d <= 57) i++;
      else break;
    }
    if (i === es || i !== n || i - es > 4) return null;
    exp = Number(text.slice(es, i));
    if (expNeg) exp = -exp;
  }
  return digitsToNanos(digits, intDigits + exp, neg);
}

/** digits: all significant digits; point: how many of them stand before the decimal point (may be <0 or >len). */
function digitsToNanos(digits: string, point: number, neg: boolean): Nanos {
  const keep = point + NANO_DIGITS; // number of leading digits that form the integer nano count
  let intText: string;
  let roundUp = false;
  if (keep <= 0) {
    intText = '0';
    roundUp = keep === 0 && digits.length > 0 && digits.charCodeAt(0) >= 53;
  } else if (keep >= digits.length) {
    intText = digits + '0'.repeat(keep - digits.length);
  } else {
    intText = digits.slice(0, keep);
    roundUp = digits.charCodeAt(keep) >= 53; // '5'
  }
  if (intText.length <= 15) {
    let v = Number(intText);
    if (roundUp) v += 1;
    if (v === 0) return 0;
    return neg ? -v : v;
  }
  let b = BigInt(intText);
  if (roundUp) b += 1n;
  if (neg) b = -b;
  if (b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(b);
  return b;
}

/**
 * Money text as practitioners' tools write it: also accepts a leading currency symbol, surrounding spaces and
 * comma thousands separators ("$10,100.00 "). `strict` tells whether the text was plain FOCUS NumericFormat.
 */
export function parseMoneyLenient(text: string): { nanos: Nanos; strict: boolean } | null {
  const strict = parseDecimalNanos(text);
  if (strict !== null) return { nanos: strict, strict: true };
  let t = text.trim();
  let neg = false;
  if (t.startsWith('(') && t.endsWith(')')) {
    neg = true;
    t = t.slice(1, -1).trim();
  }
  if (t.startsWith('-')) {
    neg = !neg;
    t = t.slice(1).trim();
  }
  t = t.replace(/^[$€£¥]\s?/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  const v = parseDecimalNanos(t);
  if (v === null) return null;
  if (neg) return { nanos: typeof v === 'bigint' ? -v : -v, strict: false };
  return { nanos: v, strict: false };
}

/** Exact decimal text of a nano count, trailing zeros trimmed (at least 2 decimals). */
export function formatNanos(n: Nanos | bigint): string {
  const b = BigInt(n);
  const neg = b < 0n;
  const abs = neg ? -b : b;
  const units = abs / 1_000_000_000n;
  let frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${units}.${frac}`;
}

/** A nano count as a JS number of currency units (for JSON output; exact to well below a cent up to 1e9 units). */
export function nanosToNumber(n: Nanos | bigint): number {
  return Number(formatNanos(n));
}

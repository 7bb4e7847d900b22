// Orders millions of numeric sort keys in memory, the way SQLite's ORDER BY key, rowid would, several times faster
// than SQLite's sorter (which spills records through a merge sort: 20 s for 10M rows against ~1.3 s here).
//
// An LSD radix sort over 11-bit digits of an order-preserving unsigned encoding of each key, carrying the row's
// position. Radix passes are stable, so rows with equal keys keep their positions' order: callers that collect rows in
// rowid order get ties by rowid for free. Digits on which every key agrees are skipped, so integer keys of a narrow
// range (dates, row numbers, dictionary ranks) take two or three passes.

const DIGIT_BITS = 11;
const RADIX = 1 << DIGIT_BITS;
const MASK = RADIX - 1;
const TWO_32 = 4294967296;

// the two 32-bit words of a float64, whatever the platform's byte order
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/**
 * Positions 0..n-1 of `keys` in key order (NaN stands for SQL NULL, which sorts first ascending and last descending,
 * as in SQLite), ties in position order. `keys` is consumed: its memory holds the encoded keys afterwards.
 */
export function orderPositions(keys: Float64Array, n: number, desc: boolean): Uint32Array {
  const words = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  const bits = encode(keys, words, n, desc);
  return radixSort(words, n, bits);
}

/** Rewrites each key as an unsigned 64-bit integer (two words) in the order wanted; returns how many bits are used. */
function encode(keys: Float64Array, words: Uint32Array, n: number, desc: boolean): number {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const v = keys[i]!;
    if (v !== v) continue; // NULL
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isSafeInteger(v)) integers = false;
  }
  if (min > max) {
    // only NULLs: every key is equal
    words.fill(0);
    return 0;
  }
  // integers of a safe span: offsets from the smallest key (few significant bits, so few radix passes); NULL below all
  if (integers && max - min + 2 <= Number.MAX_SAFE_INTEGER) {
    const nullKey = desc ? max - min + 2 : 0;
    for (let i = 0; i < n; i++) {
      const v = keys[i]!;
      const u = v !== v ? nullKey : desc ? max - v + 1 : v - min + 1;
      words[2 * i + LO] = u >>> 0;
      words[2 * i + HI] = Math.floor(u / TWO_32);
    }
    return bitLength(max - min + 2);
  }
  // any other numbers: IEEE 754 bits with the sign flipped (positives) or all bits flipped (negatives) order as
  // unsigned integers; NULL is 0, below -Infinity; descending is the complement
  const flip = desc ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    const v = keys[i]!;
    let hi = 0;
    let lo = 0;
    if (v === v) {
      if (v === 0) keys[i] = 0; // -0 equals 0 in SQL
      hi = words[2 * i + HI]!;
      lo = words[2 * i + LO]!;
      if (hi & 0x80000000) {
        hi = ~hi;
        lo = ~lo;
      } else hi |= 0x80000000;
    }
    words[2 * i + HI] = (hi ^ flip) >>> 0;
    words[2 * i + LO] = (lo ^ flip) >>> 0;
  }
  return 64;
}

/** Bits needed to write the non-negative integer `u` (exact up to 2^53, unlike Math.log2). */
function bitLength(u: number): number {
  let bits = 0;
  for (let x = u; x >= 1; x = Math.floor(x / 2)) bits++;
  return bits;
}

function digitOf(lo: number, hi: number, shift: number): number {
  if (shift + DIGIT_BITS <= 32) return (lo >>> shift) & MASK;
  if (shift >= 32) return (hi >>> (shift - 32)) & MASK;
  return ((lo >>> shift) | (hi << (32 - shift))) & MASK;
}

function radixSort(words: Uint32Array, n: number, bits: number): Uint32Array {
  const digits = Math.ceil(bits / DIGIT_BITS);
  let pos: Uint32Array = new Uint32Array(n);
  for (let i = 0; i < n; i++) pos[i] = i;
  if (digits === 0 || n < 2) return pos;
  // one read pass counts every digit's buckets
  const counts = new Uint32Array(digits * RADIX);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i + LO]!;
    const hi = words[2 * i + HI]!;
    for (let d = 0; d < digits; d++) counts[d * RADIX + digitOf(lo, hi, d * DIGIT_BITS)]!++;
  }
  let src: Uint32Array = words;
  let dst: Uint32Array | null = null;
  let posDst: Uint32Array | null = null;
  for (let d = 0; d < digits; d++) {
    const base = d * RADIX;
    let trivial = false;
    for (let b = 0; b < RADIX; b++) {
      if (counts[base + b] === n) {
        trivial = true;
        break;
      }
    }
    if (trivial) continue; // every key has the same digit here
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    dst ??= new Uint32Array(n * 2);
    posDst ??= new Uint32Array(n);
    const shift = d * DIGIT_BITS;
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i + LO]!;
      const hi = src[2 * i + HI]!;
      const k = base + digitOf(lo, hi, shift);
      const at = counts[k]!;
      counts[k] = at + 1;
      dst[2 * at + LO] = lo;
      dst[2 * at + HI] = hi;
      posDst[at] = pos[i]!;
    }
    [src, dst] = [dst, src];
    [pos, posDst] = [posDst, pos];
  }
  return pos;
}

// The in-memory sort behind the detail grid's full sort order: positions by key like SQLite's ORDER BY key, position
// (NULL lowest), for integer keys of narrow and wide spans and for any doubles.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src-main/demo/random';
import { orderPositions } from '../../src-main/explore/radix-order';

/** The reference: a comparison sort by (key, position), NaN as SQL NULL. */
function reference(keys: number[], desc: boolean): number[] {
  const cmp = (a: number, b: number): number => {
    const x = keys[a]!;
    const y = keys[b]!;
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    let c = xn && yn ? 0 : xn ? -1 : yn ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (desc) c = -c;
    return c !== 0 ? c : a - b;
  };
  return keys.map((_, i) => i).sort(cmp);
}

function check(keys: number[]): void {
  for (const desc of [false, true]) {
    const got = orderPositions(Float64Array.from(keys), keys.length, desc);
    expect([...got]).toEqual(reference(keys, desc));
  }
}

describe('orderPositions', () => {
  const rng = new Rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;

  it('integers of a narrow span (dates, ranks), many ties and NULLs', () => {
    check(Array.from({ length: 20_000 }, () => (rng.next() < 0.05 ? NaN : 1_735_689_600 + Math.floor(rng.next() * 50) * 86_400)));
  });

  it('integers of a wide span: money in nano-units up to ±2^53, the span just past 2^52 and 2^53', () => {
    const edges = [0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52, 2 ** 52 + 1, -(2 ** 52)];
    check(Array.from({ length: 20_000 }, () => (rng.next() < 0.02 ? pick(edges) : Math.round((rng.next() - 0.3) * 1e14))));
    check([0, 2 ** 52 + 1, 1, 2 ** 52, NaN, 2 ** 52 + 1]); // span 2^52 + 1: one bit more than log2 rounds to
    check([-(2 ** 52), 2 ** 52, 0, NaN, 2 ** 52 - 1]); // span 2^53: the doubles' encoding
  });

  it('any doubles: fractions, negatives, -0 equal to 0, infinities, past 2^53', () => {
    const specials = [0, -0, Infinity, -Infinity, 2 ** 60, -(2 ** 60), 5e-324, -5e-324, 1.5, -1.5, NaN];
    const keys = Array.from({ length: 20_000 }, () => (rng.next() < 0.1 ? pick(specials) : (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 20)));
    check(keys);
    const zeros = orderPositions(Float64Array.from([0, -0, 0, -0]), 4, false);
    expect([...zeros]).toEqual([0, 1, 2, 3]); // -0 and 0 tie: position order
  });

  it('only NULLs, one row, no rows', () => {
    check([NaN, NaN, NaN]);
    check([42]);
    expect(orderPositions(new Float64Array(0), 0, true)).toHaveLength(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driverWeights, evenWeights, fixedWeights, proportionalWeights, splitByWeights, type Weighted } from '../../src-shared/allocate/split';

const nanos = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n });
const weightsArb = fc
  .array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 12 })
  .map((ws) => ws.map((weight, i): Weighted => ({ target: `t${i}`, weight })));

describe('splitting a pool', () => {
  it('the shares add up to the pool exactly, and each is within one nano of its exact proportion', () => {
    fc.assert(
      fc.property(nanos, weightsArb, (amount, weights) => {
        const total = weights.reduce((s, w) => s + w.weight, 0n);
        const r = splitByWeights(amount, weights);
        if (total === 0n) {
          expect(r).toEqual({ ok: false, reason: 'zero-weights' });
          return;
        }
        if (!r.ok) throw new Error('split refused');
        expect(r.shares.reduce((s, x) => s + x.amount, 0n)).toBe(amount);
        r.shares.forEach((s, i) => {
          const w = weights[i]!.weight;
          // |share × total − amount × weight| < total  ⇔  the share is within one nano of amount × w / total
          const diff = s.amount * total - amount * w;
          expect(diff < total && diff > -total).toBe(true);
          if (w === 0n) expect(s.amount).toBe(0n);
          // a share never has the opposite sign of the pool
          expect(amount >= 0n ? s.amount >= 0n : s.amount <= 0n).toBe(true);
        });
      }),
    );
  });

  it('a credit follows the same shares as a charge of the same size', () => {
    fc.assert(
      fc.property(nanos, weightsArb, (amount, weights) => {
        const a = splitByWeights(amount, weights);
        const b = splitByWeights(-amount, weights);
        if (!a.ok || !b.ok) return;
        expect(b.shares.map((s) => s.amount)).toEqual(a.shares.map((s) => -s.amount));
      }),
    );
  });

  it('even: 1 cent over 3 targets gives the leftover nanos to the first ones', () => {
    const r = splitByWeights(10_000_000n, evenWeights(['a', 'b', 'c']));
    expect(r).toEqual({ ok: true, shares: [{ target: 'a', amount: 3_333_334n }, { target: 'b', amount: 3_333_333n }, { target: 'c', amount: 3_333_333n }] });
    expect(splitByWeights(5n, [])).toEqual({ ok: false, reason: 'no-targets' });
  });

  it('fixed percentages must add up to 100', () => {
    expect(fixedWeights([{ target: 'a', percent: 60 }, { target: 'b', percent: 30 }])).toEqual({ ok: false, message: 'the percentages add up to 90%, not 100%' });
    const ok = fixedWeights([{ target: 'a', percent: 33.333333 }, { target: 'b', percent: 33.333333 }, { target: 'c', percent: 33.333334 }]);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const r = splitByWeights(100_000_000_000n, ok.weights);
    expect(r.ok && r.shares.map((s) => s.amount)).toEqual([33_333_333_000n, 33_333_333_000n, 33_333_334_000n]);
  });

  it('proportional to direct cost: negative direct cost weighs zero; all zero leaves the pool unallocated', () => {
    const w = proportionalWeights([
      { target: 'a', cost: 3_000_000_000n },
      { target: 'b', cost: -1_000_000_000n },
      { target: 'c', cost: 1_000_000_000n },
    ]);
    const r = splitByWeights(8_000_000_000n, w);
    expect(r.ok && r.shares.map((s) => s.amount)).toEqual([6_000_000_000n, 0n, 2_000_000_000n]);
    expect(splitByWeights(1n, proportionalWeights([{ target: 'a', cost: -5n }]))).toEqual({ ok: false, reason: 'zero-weights' });
  });

  it('driver quantities may be fractional; a negative quantity is refused', () => {
    const r = splitByWeights(1_000_000_000n, driverWeights([{ target: 'a', quantity: 0.5 }, { target: 'b', quantity: 1.5 }]));
    expect(r.ok && r.shares.map((s) => s.amount)).toEqual([250_000_000n, 750_000_000n]);
    expect(() => driverWeights([{ target: 'a', quantity: -1 }])).toThrow('not a non-negative number');
  });
});

// Splitting a shared-cost pool over its targets, exact to the nano: the parts always add up to the pool.
//
// Documented behaviour (tested in test/unit/allocate-split.test.ts):
// - Amounts are integer nanos (1e-9 of the currency unit, as stored). Each target gets floor(|amount| × weight / total
//   weight); the nanos left over (fewer than the number of targets) go one each to the targets with the largest
//   remainders, ties to the earlier target. A negative pool (a credit, a correction) is split like its absolute value
//   and negated, so a credit follows the same shares as a charge.
// - Weights are non-negative. A target whose weight is zero gets nothing. When every weight is zero (no driver data
//   for the period, no direct cost on any target) the pool is not split: it stays unallocated, and says why.
// - Proportional to direct cost: a target whose direct cost in the period is negative (credits exceeding charges)
//   weighs zero, because a negative share would push the others above 100 %.

export interface Weighted {
  target: string;
  weight: bigint;
}

export interface Share {
  target: string;
  amount: bigint;
}

export type SplitResult = { ok: true; shares: Share[] } | { ok: false; reason: 'no-targets' | 'zero-weights' };

const abs = (n: bigint) => (n < 0n ? -n : n);

/** Splits `amount` nanos over `weights` by the largest-remainder method (see the file comment). */
export function splitByWeights(amount: bigint, weights: readonly Weighted[]): SplitResult {
  if (weights.length === 0) return { ok: false, reason: 'no-targets' };
  for (const w of weights) if (w.weight < 0n) throw new RangeError(`weight of ${w.target} is negative`);
  const total = weights.reduce((s, w) => s + w.weight, 0n);
  if (total === 0n) return { ok: false, reason: 'zero-weights' };
  const magnitude = abs(amount);
  const sign = amount < 0n ? -1n : 1n;
  const parts = weights.map((w, i) => {
    const product = magnitude * w.weight;
    return { i, floor: product / total, rest: product % total };
  });
  let left = magnitude - parts.reduce((s, p) => s + p.floor, 0n);
  // left < weights.length: hand them out by largest remainder, earlier target first on ties
  const order = parts.filter((p) => p.rest > 0n).sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const p of order) {
    if (left === 0n) break;
    p.floor += 1n;
    left -= 1n;
  }
  return { ok: true, shares: parts.map((p) => ({ target: weights[p.i]!.target, amount: sign * p.floor })) };
}

/** Even split: every target weighs one. */
export function evenWeights(targets: readonly string[]): Weighted[] {
  return targets.map((target) => ({ target, weight: 1n }));
}

/** Weight resolution for percentages and driver quantities given as decimals: 1e-6 of a unit. */
const MICRO = 1_000_000;

/** A non-negative decimal (a percentage, a driver quantity) as an integer weight of millionths. */
export function decimalWeight(value: number): bigint {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`weight ${value} is not a non-negative number`);
  return BigInt(Math.round(value * MICRO));
}

/** Fixed percentages: refused unless they add up to 100 (to a millionth of a percent). */
export function fixedWeights(percents: readonly { target: string; percent: number }[]): { ok: true; weights: Weighted[] } | { ok: false; message: string } {
  const weights = percents.map((p) => ({ target: p.target, weight: decimalWeight(p.percent) }));
  const sum = weights.reduce((s, w) => s + w.weight, 0n);
  if (sum !== 100n * BigInt(MICRO)) {
    const shown = Number(sum) / MICRO;
    return { ok: false, message: `the percentages add up to ${shown}%, not 100%` };
  }
  return { ok: true, weights };
}

/** Proportional to each target's direct cost (nanos) in the period; negative direct cost weighs zero. */
export function proportionalWeights(direct: readonly { target: string; cost: bigint }[]): Weighted[] {
  return direct.map((d) => ({ target: d.target, weight: d.cost > 0n ? d.cost : 0n }));
}

/** Driver quantities (requests, tokens, seats, headcount) per target for the period. */
export function driverWeights(quantities: readonly { target: string; quantity: number }[]): Weighted[] {
  return quantities.map((q) => ({ target: q.target, weight: decimalWeight(q.quantity) }));
}

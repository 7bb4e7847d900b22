// "Explain this change": splits the change of one scope's cost between two periods A and B into parts that add up,
// to the nano, to B − A. Pure: it sees item aggregates (cost in nanos, quantity) and knows nothing of SQL.
//
// The method (the same text is in the contract's description of explore.compare):
// - Credits and corrections: rows whose ChargeCategory is Credit or Adjustment, or whose ChargeClass is Correction.
//   credits = their cost in B − their cost in A. They take no further part below.
// - Items: every other row belongs to an item = (ResourceId; or SkuId when ResourceId is null; or ChargeDescription
//   when both are null) × PricingUnit, within the dimension value. An item is present in a period when the scope
//   has at least one of its rows there (even at zero cost).
// - new = Σ B cost of items present only in B; removed = −Σ A cost of items present only in A.
// - Continuing items (present in both) with a usable A quantity (Σ PricingQuantity in A > 0) have an A unit cost
//   pA = cA / qA. Their change cB − cA splits into
//     price  = cB − qB·pA            (= qB·(pB − pA): what the B quantity cost more or less at the new unit cost)
//     volume = qB·pA − cA            (= (qB − qA)·pA: the quantity change at the old unit cost)
//   and the volume is split per PricingUnit u into
//     usage_u = (QB_u − QA_u) · P̄A_u  (the unit's total quantity change at its A average unit cost, P̄A_u = CA_u / QA_u)
//     mix_u   = volume_u − usage_u    (usage moving between items of the same unit at different unit costs).
//   Quantities of different units are never added together.
// - Continuing items without a usable A quantity (null or zero PricingQuantity: flat fees, support, tax) have no
//   unit cost to hold constant: their whole change cB − cA counts as price. With a usable A quantity but none in B,
//   the formulas above hold with qB = 0 (price = cB, the B cost without a quantity; volume = −cA).
// - Rounding: costs are exact integer nanos and a stored quantity is a binary double, i.e. an exact fraction, so
//   price and usage are computed as exact rationals (BigInt) and each is rounded once, half away from zero, to a
//   nano. mix is then change − (price + usage + new + removed + credits): it carries the two roundings' residue (under
//   a nano each) and the parts add up to the change exactly.
// - A whole scope's parts are the sums of its values' parts, so a table of values adds up down and across.

export interface PeriodAgg {
  /** Metric cost in nano-units. */
  cost: bigint;
  /** Σ PricingQuantity (0 when every row's was null). */
  quantity: number;
}

export interface ItemPeriods {
  /** PricingUnit (any stable key: a dictionary id); quantities are only added within one unit. */
  unit: number | string;
  a: PeriodAgg | null;
  b: PeriodAgg | null;
}

export interface Parts {
  price: bigint;
  usage: bigint;
  mix: bigint;
  new: bigint;
  removed: bigint;
  credits: bigint;
}

export const PART_NAMES = ['price', 'usage', 'mix', 'new', 'removed', 'credits'] as const satisfies readonly (keyof Parts)[];

export interface Explained {
  a: bigint;
  b: bigint;
  change: bigint;
  parts: Parts;
  newItems: number;
  removedItems: number;
  continuingItems: number;
}

/** A finite double as the exact fraction m·2^e (m, e integers). */
interface Dyadic {
  m: bigint;
  e: number;
}

const bits = new DataView(new ArrayBuffer(8));

function dyadic(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new Error(`${x} is not a finite quantity`);
  if (x === 0) return { m: 0n, e: 0 };
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (hi & 0xfffff) * 2 ** 32 + lo; // < 2^52: exact in a double
  let e = exp === 0 ? -1074 : exp - 1075;
  if (exp !== 0) mant += 2 ** 52;
  // smaller numbers for the BigInt arithmetic that follows
  while (mant % 2 === 0) {
    mant /= 2;
    e++;
  }
  return { m: x < 0 ? -BigInt(mant) : BigInt(mant), e };
}

/** An exact sum of dyadic fractions (quantities summed without rounding). */
class DyadicSum implements Dyadic {
  m = 0n;
  e = 0;
  add(d: Dyadic): void {
    if (d.m === 0n) return;
    if (this.m === 0n) {
      this.m = d.m;
      this.e = d.e;
    } else if (d.e >= this.e) this.m += d.m << BigInt(d.e - this.e);
    else {
      this.m = (this.m << BigInt(this.e - d.e)) + d.m;
      this.e = d.e;
    }
  }
  minus(d: Dyadic): Dyadic {
    const r = new DyadicSum();
    r.add(this);
    r.add({ m: -d.m, e: d.e });
    return r;
  }
  positive(): boolean {
    return this.m > 0n;
  }
}

/** An exact sum of rationals num/den: integer parts in BigInt, fractional parts (each in (−1, 1)) as 2^-60ths. */
class RationalSum {
  private whole = 0n;
  private frac = 0n;
  private static readonly ONE = 1n << 60n;
  add(n: bigint): void {
    this.whole += n;
  }
  /** Adds c·(p / q) for a cost c and dyadic fractions p, q (q ≠ 0). */
  addScaled(c: bigint, p: Dyadic, q: Dyadic): void {
    let num = c * p.m;
    let den = q.m;
    const shift = p.e - q.e;
    if (shift >= 0) num <<= BigInt(shift);
    else den <<= BigInt(-shift);
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    this.whole += num / den;
    // the remainder to 60 binary places (truncated: 2^-60 of a nano each, far below any rounding that matters)
    this.frac += ((num % den) * RationalSum.ONE) / den;
  }
  /** Rounded once, half away from zero, to an integer. */
  round(): bigint {
    const ONE = RationalSum.ONE;
    let whole = this.whole + this.frac / ONE;
    let rest = this.frac % ONE; // same sign as frac
    if (rest < 0n && whole > 0n) {
      whole -= 1n;
      rest += ONE;
    } else if (rest > 0n && whole < 0n) {
      whole += 1n;
      rest -= ONE;
    }
    const half = ONE / 2n;
    if (rest >= half) return whole + 1n;
    if (rest <= -half) return whole - 1n;
    return whole;
  }
}

interface UnitVolume {
  qa: DyadicSum;
  qb: DyadicSum;
  ca: bigint;
}

/** The parts of one dimension value's change. `credits` are the credit/correction rows' costs per period. */
export function explainChange(items: Iterable<ItemPeriods>, credits: { a: bigint; b: bigint }): Explained {
  let a = credits.a;
  let b = credits.b;
  let added = 0n;
  let removed = 0n;
  // price = Σ cB − Σ qB·pA over continuing items with a usable A quantity, + Σ (cB − cA) over the others
  const price = new RationalSum();
  const units = new Map<number | string, UnitVolume>();
  let newItems = 0;
  let removedItems = 0;
  let continuingItems = 0;

  for (const it of items) {
    if (it.a) a += it.a.cost;
    if (it.b) b += it.b.cost;
    if (!it.a && it.b) {
      added += it.b.cost;
      newItems++;
    } else if (it.a && !it.b) {
      removed -= it.a.cost;
      removedItems++;
    } else if (it.a && it.b) {
      continuingItems++;
      if (it.a.quantity > 0) {
        const qa = dyadic(it.a.quantity);
        const qb = dyadic(it.b.quantity);
        price.add(it.b.cost);
        price.addScaled(-it.a.cost, qb, qa);
        let u = units.get(it.unit);
        if (!u) units.set(it.unit, (u = { qa: new DyadicSum(), qb: new DyadicSum(), ca: 0n }));
        u.qa.add(qa);
        u.qb.add(qb);
        u.ca += it.a.cost;
      } else {
        price.add(it.b.cost - it.a.cost);
      }
    }
  }

  const usage = new RationalSum();
  for (const u of units.values()) if (u.qa.positive()) usage.addScaled(u.ca, u.qb.minus(u.qa), u.qa);
  const priceNanos = price.round();
  const usageNanos = usage.round();
  const creditChange = credits.b - credits.a;
  const change = b - a;
  const mix = change - priceNanos - usageNanos - added - removed - creditChange;
  return {
    a,
    b,
    change,
    parts: { price: priceNanos, usage: usageNanos, mix, new: added, removed, credits: creditChange },
    newItems,
    removedItems,
    continuingItems,
  };
}

export function emptyExplained(): Explained {
  return { a: 0n, b: 0n, change: 0n, parts: { price: 0n, usage: 0n, mix: 0n, new: 0n, removed: 0n, credits: 0n }, newItems: 0, removedItems: 0, continuingItems: 0 };
}

/** x + y, part by part (a scope's parts are the sums of its values' parts). */
export function addExplained(x: Explained, y: Explained): Explained {
  const parts = { ...x.parts };
  for (const p of PART_NAMES) parts[p] += y.parts[p];
  return {
    a: x.a + y.a,
    b: x.b + y.b,
    change: x.change + y.change,
    parts,
    newItems: x.newItems + y.newItems,
    removedItems: x.removedItems + y.removedItems,
    continuingItems: x.continuingItems + y.continuingItems,
  };
}

// The decomposition alone: on random items the parts add up to the change exactly, and price and usage are their exact
// rational values rounded to the nearest nano (computed here with Big.js from the definitions, not from the module's code).
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { explainChange, type ItemPeriods } from '../../src-main/explore/explain-change';
import { Rng } from '../../src-main/demo/random';

/** The exact value of a stored quantity (a double is a binary fraction; toFixed(100) writes all of its digits here). */
const exactly = (q: number) => new Big(q.toFixed(100));

function exactParts(items: ItemPeriods[]): { price: Big; usage: Big } {
  let price = new Big(0);
  const units = new Map<string, { qa: Big; qb: Big; ca: Big }>();
  for (const it of items) {
    if (!it.a || !it.b) continue;
    const ca = new Big(it.a.cost.toString());
    const cb = new Big(it.b.cost.toString());
    if (it.a.quantity > 0) {
      const qa = exactly(it.a.quantity);
      const qb = exactly(it.b.quantity);
      price = price.plus(cb.minus(qb.times(ca).div(qa)));
      const u = units.get(String(it.unit)) ?? { qa: new Big(0), qb: new Big(0), ca: new Big(0) };
      units.set(String(it.unit), { qa: u.qa.plus(qa), qb: u.qb.plus(qb), ca: u.ca.plus(ca) });
    } else price = price.plus(cb.minus(ca));
  }
  let usage = new Big(0);
  for (const u of units.values()) usage = usage.plus(u.qb.minus(u.qa).times(u.ca).div(u.qa));
  return { price, usage };
}

/** Items as bills have them: a unit cost per item that moves by up to ±40 %, quantities that move by up to 10×. */
function randomItems(rng: Rng, n: number): ItemPeriods[] {
  const items: ItemPeriods[] = [];
  for (let i = 0; i < n; i++) {
    const unitCost = rng.range(0.0001, 5) * 1e9; // nanos per unit
    const side = (q: number) => {
      const noQuantity = rng.chance(0.1);
      const cost = BigInt(Math.round(q * unitCost * rng.range(0.6, 1.4))) - (rng.chance(0.03) ? 10n ** 10n : 0n);
      return { cost, quantity: noQuantity ? 0 : q };
    };
    const qa = Math.round(rng.range(0.001, 2e5) * 1000) / 1000;
    const qb = Math.round(qa * rng.range(0.1, 10) * 1000) / 1000;
    const r = rng.next();
    items.push({ unit: rng.int(0, 3), a: r < 0.85 ? side(qa) : null, b: r > 0.1 ? side(qb) : null });
  }
  return items;
}

describe('explainChange', () => {
  it('parts sum to the change to the nano; price and usage are the exact values rounded once', () => {
    const rng = new Rng(7);
    for (let round = 0; round < 15; round++) {
      const items = randomItems(rng, 1 + Math.floor(rng.next() * 1500));
      const credits = { a: BigInt(Math.floor(rng.next() * 1e12)) * -1n, b: BigInt(Math.floor(rng.next() * 1e12)) * -1n };
      const e = explainChange(items, credits);
      const p = e.parts;
      expect(p.price + p.usage + p.mix + p.new + p.removed + p.credits).toBe(e.change);
      expect(e.change).toBe(e.b - e.a);
      const exact = exactParts(items);
      expect(new Big(p.price.toString()).minus(exact.price).abs().lte(0.5)).toBe(true);
      expect(new Big(p.usage.toString()).minus(exact.usage).abs().lte(0.5)).toBe(true);
      expect(p.credits).toBe(credits.b - credits.a);
      const added = items.filter((it) => !it.a && it.b).reduce((s, it) => s + it.b!.cost, 0n);
      const removed = items.filter((it) => it.a && !it.b).reduce((s, it) => s - it.a!.cost, 0n);
      expect(p.new).toBe(added);
      expect(p.removed).toBe(removed);
    }
  });

  it('stays exact on items of a billion (beyond a double’s 2^53 nanos)', () => {
    const big = (cost: bigint, quantity: number) => ({ cost, quantity });
    const items: ItemPeriods[] = [
      { unit: 'h', a: big(1_000_000_000n * 10n ** 9n + 7n, 3e7), b: big(1_200_000_000n * 10n ** 9n + 3n, 3.3e7 + 1 / 3) },
      { unit: 'h', a: big(7n * 10n ** 17n, 1e6), b: big(9n * 10n ** 17n + 1n, 1.1e6) },
    ];
    const e = explainChange(items, { a: 0n, b: 0n });
    const exact = exactParts(items);
    expect(new Big(e.parts.price.toString()).minus(exact.price).abs().lte(0.5)).toBe(true);
    expect(new Big(e.parts.usage.toString()).minus(exact.usage).abs().lte(0.5)).toBe(true);
    expect(e.parts.price + e.parts.usage + e.parts.mix).toBe(e.change);
  });

  it('one item alone in its unit has no mix; two at different unit costs trading quantity have only mix', () => {
    const one = explainChange([{ unit: 'h', a: { cost: 10_000_000_000n, quantity: 100 }, b: { cost: 18_000_000_000n, quantity: 150 } }], { a: 0n, b: 0n });
    expect(one.parts).toMatchObject({ price: 3_000_000_000n, usage: 5_000_000_000n, mix: 0n });
    // 10 h moves from an item at 2.00/h to one at 1.00/h: same total hours, 10.00 less
    const shift = explainChange(
      [
        { unit: 'h', a: { cost: 40_000_000_000n, quantity: 20 }, b: { cost: 20_000_000_000n, quantity: 10 } },
        { unit: 'h', a: { cost: 10_000_000_000n, quantity: 10 }, b: { cost: 20_000_000_000n, quantity: 20 } },
      ],
      { a: 0n, b: 0n },
    );
    expect(shift.parts).toMatchObject({ price: 0n, usage: 0n, mix: -10_000_000_000n });
    // a usable A quantity and none in B: the B cost is price, the A cost leaves as usage
    const noB = explainChange([{ unit: 'h', a: { cost: 5_000_000_000n, quantity: 5 }, b: { cost: 1_000_000_000n, quantity: 0 } }], { a: 0n, b: 0n });
    expect(noB.parts).toMatchObject({ price: 1_000_000_000n, usage: -5_000_000_000n, mix: 0n });
  });

  it('rounds price and usage half away from zero, once each; mix takes the residue', () => {
    // price = 0 − 1·(1 nano / 2) = −0.5 nano, usage = (1 − 2)·(1 nano / 2) = −0.5 nano
    const tie = explainChange([{ unit: 'h', a: { cost: 1n, quantity: 2 }, b: { cost: 0n, quantity: 1 } }], { a: 0n, b: 0n });
    expect(tie.parts).toMatchObject({ price: -1n, usage: -1n, mix: 1n });
    expect(tie.change).toBe(-1n);
    // 0.1 is not 1/10 as a double: the exact fraction of the stored value is used, and still rounds to 3 nanos here
    const tenth = explainChange([{ unit: 'h', a: { cost: 10n, quantity: 0.1 }, b: { cost: 10n, quantity: 0.13 } }], { a: 0n, b: 0n });
    expect(tenth.parts).toMatchObject({ price: -3n, usage: 3n, mix: 0n });
  });
});

// Accumulates an import job's rows into the rollups in memory, then adds them to the stored rollups in one pass:
// rollup_dim (one narrow rollup per dimension and per tag key, per day) and rollup_resource_month (per resource and
// month). Memory is bounded by the rollups' size (days × values), not by the rows.
import { ROLLUP_DIMENSIONS } from '../store/cost-columns';
import type { Db } from '../store/workspace';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** rollup_dim keys pack value and day into one number: value × DAY_SPAN + day (day numbers stay below 2^16 until 2149). */
const DAY_SPAN = 65536;

/** A running sum of nano amounts that stays exact past 2^53 by switching to bigint. */
export class ExactSum {
  n = 0;
  big: bigint | null = null;
  add(v: number | bigint): void {
    if (typeof v === 'bigint') {
      this.big = (this.big ?? 0n) + BigInt(this.n) + v;
      this.n = 0;
      return;
    }
    const s = this.n + v;
    if (s > MAX_SAFE || s < -MAX_SAFE) {
      this.big = (this.big ?? 0n) + BigInt(this.n) + BigInt(v);
      this.n = 0;
    } else {
      this.n = s;
    }
  }
  value(): number | bigint {
    if (this.big === null) return this.n;
    const t = this.big + BigInt(this.n);
    return t <= BigInt(MAX_SAFE) && t >= -BigInt(MAX_SAFE) ? Number(t) : t;
  }
}

class Cell {
  readonly billed = new ExactSum();
  readonly effective = new ExactSum();
  readonly list = new ExactSum();
  readonly contracted = new ExactSum();
  rows = 0;
  constructor(readonly dims: number[] | null) {}
  add(b: number | bigint, e: number | bigint, l: number | bigint, c: number | bigint): void {
    this.billed.add(b);
    this.effective.add(e);
    this.list.add(l);
    this.contracted.add(c);
    this.rows++;
  }
  measures(): (number | bigint)[] {
    return [this.billed.value(), this.effective.value(), this.list.value(), this.contracted.value(), this.rows];
  }
}

type DimMap = Map<number, Cell>;

export class RollupAccumulator {
  private readonly resources = new Map<string, Cell>();
  /** [dim 0..10][currency slot] → cells keyed by value × DAY_SPAN + day */
  private readonly dims: DimMap[][] = Array.from({ length: ROLLUP_DIMENSIONS.length + 1 }, () => []);
  /** tag key id → [currency slot] → cells */
  private readonly tags = new Map<number, DimMap[]>();
  private readonly currencySlots: number[] = [];

  private slot(currency: number): number {
    let s = this.currencySlots.indexOf(currency);
    if (s < 0) {
      s = this.currencySlots.length;
      this.currencySlots.push(currency);
    }
    return s;
  }

  private static bump(maps: DimMap[], slot: number, key: number, b: number | bigint, e: number | bigint, l: number | bigint, c: number | bigint): void {
    let m = maps[slot];
    if (!m) maps[slot] = m = new Map();
    let cell = m.get(key);
    if (!cell) m.set(key, (cell = new Cell(null)));
    cell.add(b, e, l, c);
  }

  /**
   * dims: global dict ids of ROLLUP_DIMENSIONS (0 = null), currency first. tagPairs: [keyId, valueId, …] of the
   * row's tag set.
   */
  add(
    day: number,
    dims: Int32Array,
    tagPairs: readonly number[],
    resource: number,
    month: number,
    b: number | bigint,
    e: number | bigint,
    l: number | bigint,
    c: number | bigint,
  ): void {
    const slot = this.slot(dims[0]!);
    RollupAccumulator.bump(this.dims[0]!, slot, day, b, e, l, c);
    for (let d = 0; d < dims.length; d++) RollupAccumulator.bump(this.dims[d + 1]!, slot, dims[d]! * DAY_SPAN + day, b, e, l, c);
    for (let t = 0; t < tagPairs.length; t += 2) {
      let maps = this.tags.get(tagPairs[t]!);
      if (!maps) this.tags.set(tagPairs[t]!, (maps = []));
      RollupAccumulator.bump(maps, slot, tagPairs[t + 1]! * DAY_SPAN + day, b, e, l, c);
    }

    const rkey = `${month}|${dims[0]}|${resource}`;
    let rc = this.resources.get(rkey);
    if (!rc) this.resources.set(rkey, (rc = new Cell([month, dims[0]!, resource])));
    rc.add(b, e, l, c);
  }

  /** Add everything accumulated to the stored rollups (inside the caller's transaction). */
  apply(db: Db): void {
    const add = `billed = billed + excluded.billed, effective = effective + excluded.effective, list = list + excluded.list,
      contracted = contracted + excluded.contracted, rows = rows + excluded.rows`;
    const upsertRes = db.prepare(
      `INSERT INTO rollup_resource_month (month, "BillingCurrency", "ResourceId", billed, effective, list, contracted, rows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (month, "BillingCurrency", "ResourceId") DO UPDATE SET ${add}`,
    );
    for (const c of this.resources.values()) upsertRes.run(...c.dims!, ...c.measures());

    const upsertDim = db.prepare(
      `INSERT INTO rollup_dim (dim, day, currency, value, billed, effective, list, contracted, rows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dim, day, currency, value) DO UPDATE SET ${add}`,
    );
    const write = (dim: number, maps: DimMap[]) => {
      maps.forEach((m, slot) => {
        const currency = this.currencySlots[slot]!;
        for (const [key, cell] of m) {
          const day = key % DAY_SPAN;
          const value = (key - day) / DAY_SPAN;
          upsertDim.run(dim, day, currency, value, ...cell.measures());
        }
      });
    };
    this.dims.forEach((maps, dim) => write(dim, maps));
    for (const [keyId, maps] of this.tags) write(-keyId, maps);
  }
}

// Accumulates an import job's rows into the rollups in memory, then adds them to the stored rollups in one pass:
// rollup_dim (one narrow rollup per dimension and per tag key, per day) and rollup_resource_month (per resource and
// month). Memory is bounded by the rollups' size (days × values), not by the rows.
import { ROLLUP_DIMENSIONS } from '../store/cost-columns';
import type { Db } from '../store/workspace';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** rollup_dim keys pack value and day into one number: value × DAY_SPAN + day (day numbers stay below 2^16 until 2149). */
const DAY_SPAN = 65536;

/**
 * Rollup cells as slots in typed arrays (one object per cell would cost ~200 bytes and a GC trace each). Sums stay
 * exact: a slot whose running sum would pass 2^53 continues in a bigint beside it.
 */
export class CellPool {
  private sums = new Float64Array(4 * 4096);
  private counts = new Float64Array(4096);
  private readonly spilled = new Map<number, bigint[]>();
  size = 0;

  alloc(): number {
    if (this.size === this.counts.length) {
      const sums = new Float64Array(this.sums.length * 2);
      sums.set(this.sums);
      this.sums = sums;
      const counts = new Float64Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    return this.size++;
  }

  add(cell: number, b: number | bigint, e: number | bigint, l: number | bigint, c: number | bigint): void {
    this.addOne(cell, 0, b);
    this.addOne(cell, 1, e);
    this.addOne(cell, 2, l);
    this.addOne(cell, 3, c);
    this.counts[cell]!++;
  }

  private addOne(cell: number, m: number, v: number | bigint): void {
    const at = cell * 4 + m;
    if (typeof v === 'number') {
      const s = this.sums[at]! + v;
      if (s <= MAX_SAFE && s >= -MAX_SAFE) {
        this.sums[at] = s;
        return;
      }
    }
    let big = this.spilled.get(cell);
    if (!big) this.spilled.set(cell, (big = [0n, 0n, 0n, 0n]));
    big[m] = big[m]! + BigInt(this.sums[at]!) + BigInt(v);
    this.sums[at] = 0;
  }

  measures(cell: number): (number | bigint)[] {
    const big = this.spilled.get(cell);
    const out: (number | bigint)[] = [];
    for (let m = 0; m < 4; m++) {
      const n = this.sums[cell * 4 + m]!;
      out.push(big ? big[m]! + BigInt(n) : n);
    }
    out.push(this.counts[cell]!);
    return out;
  }
}

/** cell key → pool slot, one map per currency slot */
type DimMap = Map<number, number>;

/** Resource cells key by resource × MONTH_SPAN + month (month numbers are year × 12 + month − 1 < 32768). */
const MONTH_SPAN = 32768;

export class RollupAccumulator {
  private readonly pool = new CellPool();
  /** [currency slot] → cells keyed by resource × MONTH_SPAN + month */
  private readonly resources: DimMap[] = [];
  /** [dim 0..10][currency slot] → cells keyed by value × DAY_SPAN + day */
  private readonly dims: DimMap[][] = Array.from({ length: ROLLUP_DIMENSIONS.length + 1 }, () => []);
  /** tag key id → [currency slot] → cells */
  private readonly tags = new Map<number, DimMap[]>();
  private readonly currencySlots: number[] = [];
  private lastSlot = -1;
  private readonly lastKey = new Float64Array(ROLLUP_DIMENSIONS.length + 1).fill(-1);
  private readonly lastCell = new Int32Array(ROLLUP_DIMENSIONS.length + 1);

  private slot(currency: number): number {
    let s = this.currencySlots.indexOf(currency);
    if (s < 0) {
      s = this.currencySlots.length;
      this.currencySlots.push(currency);
    }
    return s;
  }

  private bump(maps: DimMap[], slot: number, key: number, b: number | bigint, e: number | bigint, l: number | bigint, c: number | bigint): number {
    let m = maps[slot];
    if (!m) maps[slot] = m = new Map();
    let cell = m.get(key);
    if (cell === undefined) m.set(key, (cell = this.pool.alloc()));
    this.pool.add(cell, b, e, l, c);
    return cell;
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
    // Consecutive rows mostly share their day and most dimension values: reuse the previous row's cell then.
    const lastKey = this.lastKey;
    const lastCell = this.lastCell;
    if (slot !== this.lastSlot) {
      this.lastSlot = slot;
      lastKey.fill(-1);
    }
    for (let d = 0; d <= dims.length; d++) {
      const key = d === 0 ? day : dims[d - 1]! * DAY_SPAN + day;
      if (key === lastKey[d]) this.pool.add(lastCell[d]!, b, e, l, c);
      else {
        lastKey[d] = key;
        lastCell[d] = this.bump(this.dims[d]!, slot, key, b, e, l, c);
      }
    }
    for (let t = 0; t < tagPairs.length; t += 2) {
      let maps = this.tags.get(tagPairs[t]!);
      if (!maps) this.tags.set(tagPairs[t]!, (maps = []));
      this.bump(maps, slot, tagPairs[t + 1]! * DAY_SPAN + day, b, e, l, c);
    }
    this.bump(this.resources, slot, resource * MONTH_SPAN + month, b, e, l, c);
  }

  /** Add everything accumulated to the stored rollups (inside the caller's transaction). */
  apply(db: Db): void {
    const add = `billed = billed + excluded.billed, effective = effective + excluded.effective, list = list + excluded.list,
      contracted = contracted + excluded.contracted, rows = rows + excluded.rows`;
    const upsertRes = db.prepare(
      `INSERT INTO rollup_resource_month (month, "BillingCurrency", "ResourceId", billed, effective, list, contracted, rows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (month, "BillingCurrency", "ResourceId") DO UPDATE SET ${add}`,
    );
    // in key order: sequential B-tree inserts are several times cheaper than random ones
    const res: { month: number; currency: number; resource: number; cell: number }[] = [];
    this.resources.forEach((m, slot) => {
      const currency = this.currencySlots[slot]!;
      for (const [key, cell] of m) {
        const month = key % MONTH_SPAN;
        res.push({ month, currency, resource: (key - month) / MONTH_SPAN, cell });
      }
    });
    res.sort((a, b) => a.month - b.month || a.currency - b.currency || a.resource - b.resource);
    for (const r of res) upsertRes.run(r.month, r.currency, r.resource, ...this.pool.measures(r.cell));

    const upsertDim = db.prepare(
      `INSERT INTO rollup_dim (dim, day, currency, value, billed, effective, list, contracted, rows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dim, day, currency, value) DO UPDATE SET ${add}`,
    );
    const rows: { dim: number; day: number; currency: number; value: number; cell: number }[] = [];
    const collect = (dim: number, maps: DimMap[]) => {
      maps.forEach((m, slot) => {
        const currency = this.currencySlots[slot]!;
        for (const [key, cell] of m) {
          const day = key % DAY_SPAN;
          rows.push({ dim, day, currency, value: (key - day) / DAY_SPAN, cell });
        }
      });
    };
    this.dims.forEach((maps, dim) => collect(dim, maps));
    for (const [keyId, maps] of this.tags) collect(-keyId, maps);
    rows.sort((a, b) => a.dim - b.dim || a.day - b.day || a.currency - b.currency || a.value - b.value);
    for (const r of rows) upsertDim.run(r.dim, r.day, r.currency, r.value, ...this.pool.measures(r.cell));
  }
}

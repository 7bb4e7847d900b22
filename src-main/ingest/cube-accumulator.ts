// Accumulates an import job's rows into the cubes (store/cubes.ts) in memory, then adds them to the stored cubes in
// one pass inside the job's transaction. Dimension tuples are interned step by step (core tuple → + sub account →
// + tag set) so a row costs a few numeric map lookups, not a string key per cube.
import { ROLLUP_DIMENSIONS } from '../store/cost-columns';
import { bumpCubeGeneration, CUBE_DAY, CUBE_MONTH, type CubeSpec } from '../store/cubes';
import type { Db } from '../store/workspace';
import { firstDayOfMonth } from './datetime';
import { CellPool } from './rollup-accumulator';

const SUB = ROLLUP_DIMENSIONS.indexOf('SubAccountId');
/** Positions in ROLLUP_DIMENSIONS of cube_day's dimensions (all but the sub account), in its key order. */
const CORE = ROLLUP_DIMENSIONS.map((_, i) => i).filter((i) => i !== SUB);
const DAY_SPAN = 65536;
const TWO_24 = 2 ** 24;
const TWO_26 = 2 ** 26;

export class CubeAccumulator {
  private readonly pool = new CellPool();
  /** core tuple (ids joined) → core id; its ids by core id */
  private readonly coreIds = new Map<string, number>();
  private readonly cores: Int32Array[] = [];
  private readonly subLocal = new Map<number, number>();
  private readonly subs: number[] = [];
  private readonly tagsetLocal = new Map<number, number>();
  private readonly tagsets: number[] = [];
  /** coreId × 2^24 + sub local → pair id; pair id → [core id, sub local] */
  private readonly pairIds = new Map<number, number>();
  private readonly pairs: number[] = [];
  /** pair id × 2^26 + tag set local → combo id; combo id → [pair id, tag set local] */
  private readonly comboIds = new Map<number, number>();
  private readonly combos: number[] = [];
  /** cube_day: core id × DAY_SPAN + day → cell; cube_month: combo id × DAY_SPAN + month start → cell */
  private readonly dayCells = new Map<number, number>();
  private readonly monthCells = new Map<number, number>();
  private readonly last = new Int32Array(ROLLUP_DIMENSIONS.length).fill(-1);
  private lastCore = -1;
  private lastMonth = -1;
  private lastMonthStart = 0;

  /** dims: global dict ids of ROLLUP_DIMENSIONS (0 = null); tagset: the row's tag set id (0 = none). */
  add(day: number, month: number, dims: Int32Array, tagset: number, b: number | bigint, e: number | bigint, l: number | bigint, c: number | bigint): void {
    const core = this.coreOf(dims);
    this.bump(this.dayCells, core * DAY_SPAN + day, b, e, l, c);

    const sub = dims[SUB]!;
    let s = this.subLocal.get(sub);
    if (s === undefined) {
      this.subLocal.set(sub, (s = this.subs.length));
      this.subs.push(sub);
    }
    const pk = core * TWO_24 + s;
    let pair = this.pairIds.get(pk);
    if (pair === undefined) {
      this.pairIds.set(pk, (pair = this.pairs.length / 2));
      this.pairs.push(core, s);
    }
    let t = this.tagsetLocal.get(tagset);
    if (t === undefined) {
      this.tagsetLocal.set(tagset, (t = this.tagsets.length));
      this.tagsets.push(tagset);
    }
    const ck = pair * TWO_26 + t;
    let combo = this.comboIds.get(ck);
    if (combo === undefined) {
      this.comboIds.set(ck, (combo = this.combos.length / 2));
      this.combos.push(pair, t);
    }
    if (month !== this.lastMonth) {
      this.lastMonth = month;
      this.lastMonthStart = firstDayOfMonth(month);
    }
    this.bump(this.monthCells, combo * DAY_SPAN + this.lastMonthStart, b, e, l, c);
  }

  private coreOf(dims: Int32Array): number {
    let same = this.lastCore >= 0;
    for (const i of CORE) {
      if (dims[i] !== this.last[i]) {
        same = false;
        break;
      }
    }
    if (same) return this.lastCore;
    for (const i of CORE) this.last[i] = dims[i]!;
    const key = CORE.map((i) => dims[i]).join(',');
    let id = this.coreIds.get(key);
    if (id === undefined) {
      this.coreIds.set(key, (id = this.cores.length));
      this.cores.push(Int32Array.from(CORE, (i) => dims[i]!));
    }
    this.lastCore = id;
    return id;
  }

  private bump(cells: Map<number, number>, key: number, b: number | bigint, e: number | bigint, l: number | bigint, c: number | bigint): void {
    let cell = cells.get(key);
    if (cell === undefined) cells.set(key, (cell = this.pool.alloc()));
    this.pool.add(cell, b, e, l, c);
  }

  get cells(): number {
    return this.pool.size;
  }

  /** Add everything accumulated to the stored cubes (inside the caller's transaction). */
  apply(db: Db): void {
    if (this.pool.size === 0) return;
    const dayRows: number[][] = [];
    for (const [key, cell] of this.dayCells) {
      const day = key % DAY_SPAN;
      dayRows.push([day, ...this.cores[(key - day) / DAY_SPAN]!, cell]);
    }
    this.upsert(db, CUBE_DAY, dayRows);
    const monthRows: number[][] = [];
    for (const [key, cell] of this.monthCells) {
      const day = key % DAY_SPAN;
      const combo = (key - day) / DAY_SPAN;
      const pair = this.combos[2 * combo]!;
      const core = this.cores[this.pairs[2 * pair]!]!;
      const sub = this.subs[this.pairs[2 * pair + 1]!]!;
      const tagset = this.tagsets[this.combos[2 * combo + 1]!]!;
      // back into ROLLUP_DIMENSIONS order, then the tag set
      const dims = new Array<number>(ROLLUP_DIMENSIONS.length);
      CORE.forEach((i, k) => (dims[i] = core[k]!));
      dims[SUB] = sub;
      monthRows.push([day, ...dims, tagset, cell]);
    }
    this.upsert(db, CUBE_MONTH, monthRows);
    bumpCubeGeneration(db);
  }

  /** rows: [day, ...dims, cell]; inserted in primary key order (sequential B-tree inserts are several times cheaper). */
  private upsert(db: Db, cube: CubeSpec, rows: number[][]): void {
    const n = cube.dims.length + 1;
    rows.sort((a, b) => {
      for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return 0;
    });
    const cols = ['day', ...cube.dims.map((d) => `"${d}"`)];
    const stmt = db.prepare(
      `INSERT INTO ${cube.table} (${cols.join(', ')}, billed, effective, list, contracted, rows)
       VALUES (${[...cols, 1, 2, 3, 4, 5].map(() => '?').join(', ')})
       ON CONFLICT (${cols.join(', ')}) DO UPDATE SET billed = billed + excluded.billed, effective = effective + excluded.effective,
         list = list + excluded.list, contracted = contracted + excluded.contracted, rows = rows + excluded.rows`,
    );
    for (const r of rows) stmt.run(...r.slice(0, n), ...this.pool.measures(r[n]!));
  }
}

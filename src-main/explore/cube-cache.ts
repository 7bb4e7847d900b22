// Loads the cubes (store/cubes.ts) into typed arrays for cube-scan.ts, and drops them when an import or a removal
// changed them (the cube generation in `meta`, checked cheaply through PRAGMA data_version first). Loading the month
// cube of a 10M-row workspace (~1M cells) takes about a second; it runs in slices between queries so the worker
// keeps answering (from rollup_dim and SQL) meanwhile.
import { CUBES, cubeGeneration, type CubeSpec } from '../store/cubes';
import type { Db } from '../store/workspace';
import { splitAmount, type CubeMeasure, type LoadedCube } from './cube-scan';

const SAFE = Number.MAX_SAFE_INTEGER;
/** cells read per slice of a background load */
const SLICE = 100_000;

interface Entry {
  cube: LoadedCube | null;
  /** false: some amount is past 2^53 nanos, answer from SQL instead */
  usable: boolean;
  loading: boolean;
}

export class CubeCache {
  private generation = -1;
  private dataVersion = -1;
  private entries = new Map<string, Entry>();
  private readonly versionStmt;

  constructor(private readonly db: Db) {
    this.versionStmt = db.prepare('PRAGMA data_version').pluck();
  }

  /** The loaded cube, or null while it is not (yet) in memory — callers then use SQL. Starts a background load. */
  get(spec: CubeSpec): LoadedCube | null {
    this.checkFresh();
    let e = this.entries.get(spec.table);
    if (!e) {
      e = { cube: null, usable: true, loading: false };
      this.entries.set(spec.table, e);
    }
    if (!e.cube && !e.loading && e.usable) this.startLoad(spec, e);
    return e.cube;
  }

  /** Load every cube now (tests and the benchmark; the app loads them in the background). */
  loadAllNow(): void {
    this.checkFresh();
    for (const spec of CUBES) {
      const e: Entry = { cube: null, usable: true, loading: false };
      this.entries.set(spec.table, e);
      const slices = this.slices(spec);
      if (!this.fitsNumbers(spec)) {
        e.usable = false;
        continue;
      }
      const b = new CubeBuilder(spec, this.count(spec));
      for (const [lo, hi] of slices) b.addRows(this.readSlice(spec, lo, hi));
      e.cube = b.done();
    }
  }

  private checkFresh(): void {
    const v = this.versionStmt.get() as number;
    if (v === this.dataVersion) return;
    this.dataVersion = v;
    const g = cubeGeneration(this.db);
    if (g !== this.generation) {
      this.generation = g;
      this.entries = new Map();
    }
  }

  private fitsNumbers(spec: CubeSpec): boolean {
    const cols = ['billed', 'effective', 'list', 'contracted', 'rows'];
    const max = this.db
      .prepare(`SELECT max(${cols.map((c) => `max(abs(${c}))`).join(', ')}) FROM ${spec.table}`)
      .pluck()
      .safeIntegers(true)
      .get() as bigint | null;
    return max === null || max <= BigInt(SAFE);
  }

  private count(spec: CubeSpec): number {
    return this.db.prepare(`SELECT count(*) FROM ${spec.table}`).pluck().get() as number;
  }

  /** Day ranges of about SLICE cells each. */
  private slices(spec: CubeSpec): [number, number][] {
    const days = this.db.prepare(`SELECT day, count(*) FROM ${spec.table} GROUP BY day ORDER BY day`).raw().all() as [number, number][];
    const out: [number, number][] = [];
    let start = -1;
    let n = 0;
    for (const [d, c] of days) {
      if (start < 0) start = d;
      n += c;
      if (n >= SLICE) {
        out.push([start, d]);
        start = -1;
        n = 0;
      }
    }
    if (start >= 0) out.push([start, days[days.length - 1]![0]]);
    return out;
  }

  private readSlice(spec: CubeSpec, lo: number, hi: number): number[][] {
    const cols = ['day', ...spec.dims.map((d) => `"${d}"`), 'billed', 'effective', 'list', 'contracted', 'rows'];
    return this.db.prepare(`SELECT ${cols.join(', ')} FROM ${spec.table} WHERE day BETWEEN ? AND ?`).raw().all(lo, hi) as number[][];
  }

  private startLoad(spec: CubeSpec, e: Entry): void {
    e.loading = true;
    const generation = this.generation;
    let slices: [number, number][];
    let builder: CubeBuilder;
    try {
      if (!this.fitsNumbers(spec)) {
        e.usable = false;
        e.loading = false;
        return;
      }
      slices = this.slices(spec);
      builder = new CubeBuilder(spec, this.count(spec));
    } catch {
      e.loading = false;
      return;
    }
    const step = (i: number) => {
      try {
        // a change while loading: start again with the next query
        this.checkFresh();
        if (this.generation !== generation || this.entries.get(spec.table) !== e) {
          e.loading = false;
          return;
        }
        if (i < slices.length) {
          builder.addRows(this.readSlice(spec, slices[i]![0], slices[i]![1]));
          setImmediate(() => step(i + 1));
          return;
        }
        e.cube = builder.done();
      } catch {
        // the workspace was closed under us: nothing to keep
      }
      e.loading = false;
    };
    setImmediate(() => step(0));
  }
}

/** Fills a LoadedCube's arrays from row slices [day, dims…, billed, effective, list, contracted, rows]. */
class CubeBuilder {
  private readonly day: Uint16Array;
  private readonly raw: Int32Array[];
  private readonly local: Map<number, number>[];
  private readonly ids: number[][];
  private readonly measures: CubeMeasure[];
  private readonly rows: Float64Array;
  private n = 0;

  constructor(
    private readonly spec: CubeSpec,
    private readonly capacity: number,
  ) {
    this.day = new Uint16Array(capacity);
    this.raw = spec.dims.map(() => new Int32Array(capacity));
    this.local = spec.dims.map(() => new Map());
    this.ids = spec.dims.map(() => []);
    this.measures = [0, 1, 2, 3].map(() => ({ hi: new Float64Array(capacity), lo: new Int32Array(capacity) }));
    this.rows = new Float64Array(capacity);
  }

  addRows(rows: number[][]): void {
    const nd = this.spec.dims.length;
    for (const r of rows) {
      const i = this.n++;
      if (i >= this.capacity) throw new Error('cube grew while loading');
      this.day[i] = r[0]!;
      for (let d = 0; d < nd; d++) {
        const id = r[d + 1]!;
        const map = this.local[d]!;
        let c = map.get(id);
        if (c === undefined) {
          map.set(id, (c = this.ids[d]!.length));
          this.ids[d]!.push(id);
        }
        this.raw[d]![i] = c;
      }
      for (let k = 0; k < 4; k++) {
        const [hi, lo] = splitAmount(r[nd + 1 + k]!);
        this.measures[k]!.hi[i] = hi;
        this.measures[k]!.lo[i] = lo;
      }
      this.rows[i] = r[nd + 5]!;
    }
  }

  done(): LoadedCube {
    const n = this.n;
    const codes = this.raw.map((col, d) => (this.ids[d]!.length <= 65536 ? Uint16Array.from(col.subarray(0, n)) : Uint32Array.from(col.subarray(0, n))));
    return {
      table: this.spec.table,
      grain: this.spec.grain,
      dims: this.spec.dims,
      n,
      day: this.day.subarray(0, n),
      codes,
      ids: this.ids.map((a) => Int32Array.from(a)),
      local: this.local,
      measures: this.measures.map((m) => ({ hi: m.hi.subarray(0, n), lo: m.lo.subarray(0, n) })),
      rows: this.rows.subarray(0, n),
    };
  }
}

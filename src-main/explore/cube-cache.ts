// Loads the cubes (store/cubes.ts) into typed arrays for cube-scan.ts, and drops them when an import or a removal
// changed them (the cube generation in `meta`, checked cheaply through PRAGMA data_version first). Loading the month
// cube of a 10M-row workspace (~1M cells) takes about a second; it runs in slices between queries so the worker
// keeps answering (from rollup_dim and SQL) meanwhile.
import { CUBES, cubeGeneration, type CubeSpec } from '../store/cubes';
import type { Db } from '../store/workspace';
import { splitAmount, type CubeMeasure, type LoadedCube } from './cube-scan';

const SAFE = Number.MAX_SAFE_INTEGER;
/** cells read per slice of a background load: a question arriving meanwhile waits for one slice (~20 ms) at most */
const SLICE = 20_000;

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
      const reader = new SliceReader(this.db, spec);
      const b = new CubeBuilder(spec);
      for (let rows = reader.next(); rows.length > 0; rows = reader.next()) b.addRows(rows);
      if (b.tooBig) e.usable = false;
      else e.cube = b.done();
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

  private startLoad(spec: CubeSpec, e: Entry): void {
    e.loading = true;
    const generation = this.generation;
    const reader = new SliceReader(this.db, spec);
    const builder = new CubeBuilder(spec);
    const step = () => {
      try {
        // a change while loading: start again with the next question
        this.checkFresh();
        if (this.generation !== generation || this.entries.get(spec.table) !== e) {
          e.loading = false;
          return;
        }
        const rows = reader.next();
        if (rows.length > 0) {
          builder.addRows(rows);
          if (!builder.tooBig) {
            setImmediate(step);
            return;
          }
        }
        if (builder.tooBig) e.usable = false;
        else e.cube = builder.done();
      } catch {
        // the workspace was closed under us: nothing to keep
      }
      e.loading = false;
    };
    setImmediate(step);
  }
}

/** Reads a cube table in primary key order, SLICE cells at a time (keyset paging: each slice is an index seek). */
class SliceReader {
  private readonly first;
  private readonly after;
  private last: number[] | null = null;
  private readonly keyLength: number;

  constructor(db: Db, spec: CubeSpec) {
    const key = ['day', ...spec.dims.map((d) => `"${d}"`)];
    const cols = [...key, 'billed', 'effective', 'list', 'contracted', 'rows'].join(', ');
    this.keyLength = key.length;
    this.first = db.prepare(`SELECT ${cols} FROM ${spec.table} ORDER BY ${key.join(', ')} LIMIT ${SLICE}`).raw();
    this.after = db
      .prepare(`SELECT ${cols} FROM ${spec.table} WHERE (${key.join(', ')}) > (${key.map(() => '?').join(', ')}) ORDER BY ${key.join(', ')} LIMIT ${SLICE}`)
      .raw();
  }

  next(): number[][] {
    const rows = (this.last ? this.after.all(...this.last) : this.first.all()) as number[][];
    if (rows.length > 0) this.last = rows[rows.length - 1]!.slice(0, this.keyLength);
    return rows;
  }
}

/** Fills a LoadedCube's arrays from row slices [day, dims…, billed, effective, list, contracted, rows]. */
class CubeBuilder {
  private day = new Uint16Array(SLICE);
  private raw: Int32Array[];
  private readonly local: Map<number, number>[];
  private readonly ids: number[][];
  private measures: CubeMeasure[];
  private rows = new Float64Array(SLICE);
  private n = 0;
  /** an amount at or past 2^53 nanos: read as a double it is no longer exact, so SQL answers instead */
  tooBig = false;

  constructor(private readonly spec: CubeSpec) {
    this.raw = spec.dims.map(() => new Int32Array(SLICE));
    this.local = spec.dims.map(() => new Map());
    this.ids = spec.dims.map(() => []);
    this.measures = [0, 1, 2, 3].map(() => ({ hi: new Float64Array(SLICE), lo: new Int32Array(SLICE) }));
  }

  private grow(): void {
    const size = this.day.length * 2;
    const g = <T extends Uint16Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.day = g(this.day, (n) => new Uint16Array(n));
    this.raw = this.raw.map((a) => g(a, (n) => new Int32Array(n)));
    this.measures = this.measures.map((m) => ({ hi: g(m.hi, (n) => new Float64Array(n)), lo: g(m.lo, (n) => new Int32Array(n)) }));
    this.rows = g(this.rows, (n) => new Float64Array(n));
  }

  addRows(rows: number[][]): void {
    const nd = this.spec.dims.length;
    for (const r of rows) {
      const i = this.n++;
      if (i >= this.day.length) this.grow();
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
        const v = r[nd + 1 + k]!;
        if (!(Math.abs(v) < SAFE)) this.tooBig = true;
        const [hi, lo] = splitAmount(v);
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
      day: this.day.slice(0, n),
      codes,
      ids: this.ids.map((a) => Int32Array.from(a)),
      local: this.local,
      measures: this.measures.map((m) => ({ hi: m.hi.slice(0, n), lo: m.lo.slice(0, n) })),
      rows: this.rows.slice(0, n),
    };
  }
}

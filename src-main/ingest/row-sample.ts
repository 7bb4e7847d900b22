// Content fingerprints of a file's rows, to tell snapshot copies from parts of one export when both sit loose in one
// folder. A daily snapshot repeats most of yesterday's rows verbatim; the parts of one export never share a row.
// Rows are picked by their content (not their position), so the same row is picked in every file that holds it.

/** Hashes of a file's source rows: every row while the file is small, else about one row in SAMPLE_EVERY. */
export interface RowSample {
  /** Hashes of all rows, or null once the file has more than SMALL_FILE_ROWS rows. */
  all: number[] | null;
  /** Hashes of the rows picked by content. */
  picked: number[];
}

const SMALL_FILE_ROWS = 4096;
const SAMPLE_EVERY = 32;
/** Below this many picked rows on either side, two large files are not compared (too few to tell). */
const MIN_PICKED = 16;

/** A row's 53-bit hash (two FNV-1a passes with different seeds), cells separated so "a,bc" ≠ "ab,c". */
export function rowHash(cells: readonly string[]): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    for (let k = 0; k < c.length; k++) {
      const x = c.charCodeAt(k);
      h1 = Math.imul(h1 ^ x, 0x01000193);
      h2 = Math.imul(h2 ^ x, 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
  }
  return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
}

/** A cheap content-only pick (lengths and last characters of the cells, mixed), true for about 1 row in 32. */
function picked(cells: readonly string[]): boolean {
  let s = cells.length;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    const n = c.length;
    s = Math.imul(s, 31) + n + (n > 0 ? c.charCodeAt(n - 1) * 7 + c.charCodeAt(n >> 1) : 0);
  }
  // murmur3's finalizer spreads the low-entropy sum over all bits
  s ^= s >>> 16;
  s = Math.imul(s, 0x85ebca6b);
  s ^= s >>> 13;
  s = Math.imul(s, 0xc2b2ae35);
  s ^= s >>> 16;
  return (s & (SAMPLE_EVERY - 1)) === 0;
}

export class RowSampler {
  private all: number[] | null = [];
  private readonly pickedHashes: number[] = [];

  add(cells: readonly string[]): void {
    const pick = picked(cells);
    if (!pick && this.all === null) return;
    const h = rowHash(cells);
    if (pick) this.pickedHashes.push(h);
    if (this.all !== null) {
      if (this.all.length < SMALL_FILE_ROWS) this.all.push(h);
      else this.all = null;
    }
  }

  result(): RowSample {
    return { all: this.all, picked: this.pickedHashes };
  }
}

/**
 * The share of `older`'s rows found in `covering` (0–1), or null when the samples are too small to tell. Small files
 * compare all their rows; large ones their content-picked rows, which both files picked alike.
 */
export function coverage(older: RowSample, covering: readonly RowSample[]): number | null {
  if (older.all !== null && covering.every((c) => c.all !== null)) {
    if (older.all.length === 0) return null;
    const set = new Set(covering.flatMap((c) => c.all!));
    return older.all.filter((h) => set.has(h)).length / older.all.length;
  }
  // a small file's picked rows are its share of the same content pick, so the picked sets compare across sizes
  if (older.picked.length < MIN_PICKED) return null;
  const set = new Set(covering.flatMap((c) => c.picked));
  return older.picked.filter((h) => set.has(h)).length / older.picked.length;
}

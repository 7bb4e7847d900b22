// A string-keyed hash map for the per-row hot path. Cells arrive as fresh string objects, and V8 hashes a string on
// its first use as a Map/Set key by reading every character (about 100 ns for a 26-character SKU id). This table
// hashes the length and at most 8 characters spread over the string, and resolves collisions with ===, which for
// different strings usually stops at the length or the first characters.

const EMPTY = -1;

function sparseHash(s: string): number {
  const n = s.length;
  let h = n * 0x9e3779b1;
  if (n <= 8) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    const step = (n - 1) / 7;
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ s.charCodeAt(Math.round(k * step)), 0x01000193);
  }
  return (h ^ (h >>> 15)) >>> 0;
}

export class StringTable<V> {
  private keys: string[] = [];
  private values: V[] = [];
  private next: number[] = [];
  private heads: Int32Array;
  private mask: number;

  constructor(capacityHint = 16) {
    let cap = 16;
    while (cap < capacityHint * 2) cap *= 2;
    this.heads = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.keys.length;
  }

  private find(s: string): number {
    let i = this.heads[sparseHash(s) & this.mask]!;
    while (i !== EMPTY) {
      if (this.keys[i] === s) return i;
      i = this.next[i]!;
    }
    return EMPTY;
  }

  get(s: string): V | undefined {
    const i = this.find(s);
    return i === EMPTY ? undefined : this.values[i];
  }

  has(s: string): boolean {
    return this.find(s) !== EMPTY;
  }

  set(s: string, v: V): void {
    const i = this.find(s);
    if (i !== EMPTY) {
      this.values[i] = v;
      return;
    }
    if (this.keys.length * 2 >= this.heads.length) this.grow();
    const slot = sparseHash(s) & this.mask;
    this.keys.push(s);
    this.values.push(v);
    this.next.push(this.heads[slot]!);
    this.heads[slot] = this.keys.length - 1;
  }

  clear(): void {
    this.keys = [];
    this.values = [];
    this.next = [];
    this.heads.fill(EMPTY);
  }

  entries(): IterableIterator<[string, V]> {
    const { keys, values } = this;
    return (function* () {
      for (let i = 0; i < keys.length; i++) yield [keys[i]!, values[i]!] as [string, V];
    })();
  }

  private grow(): void {
    const cap = this.heads.length * 2;
    this.heads = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    for (let i = 0; i < this.keys.length; i++) {
      const slot = sparseHash(this.keys[i]!) & this.mask;
      this.next[i] = this.heads[slot]!;
      this.heads[slot] = i;
    }
  }
}

/** A fixed set of strings with a fast has(). */
export function stringSet(values: Iterable<string>): StringTable<true> {
  const t = new StringTable<true>();
  for (const v of values) t.set(v, true);
  return t;
}

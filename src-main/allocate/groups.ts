// Spend grouped by month, billing currency and exactly the stored columns a rule set reads (its "signature"): the
// preview and apply evaluate rules once per group instead of once per row. The month cube answers when the rules read
// only its dimensions and tags (milliseconds, from memory); other columns (ResourceId, x_ columns) are grouped from
// raw rows in rowid slices, with progress, and kept until the data changes.
import { CUBE_MONTH, cubeGeneration } from '../store/cubes';
import { COST_COLUMN_KIND } from '../store/cost-columns';
import { LO_SPAN, type LoadedCube } from '../explore/cube-scan';
import type { Db } from '../store/workspace';
import { firstDayOfMonth, monthOfDay } from '../ingest/datetime';

/** A stored column of cost_usage a rule set reads: a FOCUS column, `tagset` (for tags) or `extras` (for x_ columns). */
export type SigColumn = string;

export interface SigGroups {
  /** signature columns, in key order */
  cols: SigColumn[];
  /** what grouped them: 'cube_month' or 'rows' */
  source: string;
  n: number;
  /** day number of each group's month start */
  month: Int32Array;
  /** month number (year*12 + month-1) of each group */
  monthNo: Int32Array;
  /** dict id of each group's BillingCurrency (0 = none) */
  currency: Int32Array;
  /** per signature column: each group's stored value (dict id, tag set id, extras id, or a number; null → 0) */
  keys: Float64Array[];
  /**
   * billed, effective, list, contracted per group, exact nanos as hi·2^24 + lo (lo ≥ 0, as cube-scan.ts): sums
   * of many groups stay exact in floating point and are rebuilt as bigints once (amountOf).
   */
  amounts: { hi: Float64Array; lo: Float64Array }[];
  rows: Float64Array;
  totalRows: number;
}

/** The stored columns behind the columns and tag keys rules read (sorted, so equal rule fields share a cache). */
export function signatureColumns(fields: { columns: readonly string[]; tags: readonly string[] }): SigColumn[] {
  const cols = new Set<string>();
  for (const c of fields.columns) {
    if (/^x_/i.test(c)) cols.add('extras');
    else if (COST_COLUMN_KIND.has(c)) cols.add(c);
  }
  if (fields.tags.length) cols.add('tagset');
  cols.delete('BillingCurrency'); // always grouped by
  return [...cols].sort();
}

export const cubeAnswers = (cols: readonly SigColumn[]) => cols.every((c) => CUBE_MONTH.dims.includes(c));

/** Rules reading ResourceId alone (with the currency every group has): rollup_resource_month holds those groups. */
export const resourceRollupAnswers = (cols: readonly SigColumn[]) => cols.length === 1 && cols[0] === 'ResourceId';

const SPAN = BigInt(LO_SPAN);

/** Month numbers of month-start day numbers (a handful of distinct days: each converted once). */
function monthNumbers(days: readonly number[]): Int32Array {
  const known = new Map<number, number>();
  return Int32Array.from(days, (d) => {
    let m = known.get(d);
    if (m === undefined) known.set(d, (m = monthOfDay(d)));
    return m;
  });
}

/** A group amount (or a sum of them) as exact nanos. */
export const amountOf = (hi: number, lo: number): bigint => BigInt(hi) * SPAN + BigInt(lo);

/**
 * Merges grouped rows [month day, currency, key…, billed hi, lo, effective hi, lo, list hi, lo, contracted hi, lo,
 * rows] (numbers: SQL splits each amount as v >> 24 and v & 0xFFFFFF, so no sum needs a bigint) into groups.
 */
class GroupBuilder {
  private readonly slots = new Map<string, number>();
  private n = 0;
  private cap = 1024;
  month = new Int32Array(this.cap);
  currency = new Int32Array(this.cap);
  keys: Float64Array[];
  sums = new Float64Array(this.cap * 9);
  constructor(readonly width: number) {
    this.keys = Array.from({ length: width }, () => new Float64Array(this.cap));
  }
  private grow(): void {
    this.cap *= 2;
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(this.cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array, w = 1) => {
      const b = new Float64Array(this.cap * w);
      b.set(a);
      return b;
    };
    this.month = g32(this.month);
    this.currency = g32(this.currency);
    this.keys = this.keys.map((k) => g64(k));
    this.sums = g64(this.sums, 9);
  }
  add(r: readonly number[]): void {
    const w = this.width;
    let k = `${r[0]},${r[1]}`;
    for (let c = 2; c < 2 + w; c++) k += `,${r[c]}`;
    let s = this.slots.get(k);
    if (s === undefined) {
      s = this.n++;
      if (s >= this.cap) this.grow();
      this.slots.set(k, s);
      this.month[s] = r[0]!;
      this.currency[s] = r[1]!;
      for (let c = 0; c < w; c++) this.keys[c]![s] = r[2 + c]!;
    }
    const at = s * 9;
    for (let j = 0; j < 9; j++) this.sums[at + j] = this.sums[at + j]! + r[2 + w + j]!;
  }
  done(cols: SigColumn[], source: string): SigGroups {
    const n = this.n;
    const amounts = [0, 1, 2, 3].map((b) => ({
      hi: Float64Array.from({ length: n }, (_, i) => this.sums[i * 9 + 2 * b]!),
      lo: Float64Array.from({ length: n }, (_, i) => this.sums[i * 9 + 2 * b + 1]!),
    }));
    const rows = Float64Array.from({ length: n }, (_, i) => this.sums[i * 9 + 8]!);
    const month = this.month.slice(0, n);
    return {
      cols,
      source,
      n,
      month,
      monthNo: monthNumbers([...month]),
      currency: this.currency.slice(0, n),
      keys: this.keys.map((k) => k.slice(0, n)),
      amounts,
      rows,
      totalRows: rows.reduce((a, b) => a + b, 0),
    };
  }
}

/** SQL sums of an amount as its hi and lo parts (exact as doubles; see GroupBuilder). */
const splitSums = (expr: (b: string) => string) =>
  ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'].map((m) => `sum(${expr(m)} >> 24), sum(${expr(m)} & 16777215)`).join(', ');

/** Groups from the month cube held in memory: one pass over its cells. */
export function groupsFromCube(cube: LoadedCube, cols: SigColumn[]): SigGroups {
  const dimAt = (name: string) => cube.dims.indexOf(name);
  const cur = dimAt('BillingCurrency');
  const at = cols.map(dimAt);
  // cells → groups by a numeric key of local codes when it fits in 2^53, else by text
  const radix = [cur, ...at].map((d) => cube.ids[d]!.length);
  const fits = radix.reduce((a, r) => a * r, 65536) < Number.MAX_SAFE_INTEGER;
  const slots = new Map<number | string, number>();
  const first: number[] = [];
  const hi = [0, 1, 2, 3].map(() => [] as number[]);
  const lo = [0, 1, 2, 3].map(() => [] as number[]);
  const rows: number[] = [];
  const codes = [cur, ...at].map((d) => cube.codes[d]!);
  for (let i = 0; i < cube.n; i++) {
    let key: number | string;
    if (fits) {
      key = cube.day[i]!;
      for (let g = 0; g < codes.length; g++) key = key * radix[g]! + codes[g]![i]!;
    } else {
      key = `${cube.day[i]}`;
      for (let g = 0; g < codes.length; g++) key += `,${codes[g]![i]}`;
    }
    let s = slots.get(key);
    if (s === undefined) {
      s = first.length;
      slots.set(key, s);
      first.push(i);
      for (let b = 0; b < 4; b++) {
        hi[b]!.push(0);
        lo[b]!.push(0);
      }
      rows.push(0);
    }
    for (let b = 0; b < 4; b++) {
      hi[b]![s] = hi[b]![s]! + cube.measures[b]!.hi[i]!;
      lo[b]![s] = lo[b]![s]! + cube.measures[b]!.lo[i]!;
    }
    rows[s] = rows[s]! + cube.rows[i]!;
  }
  const n = first.length;
  const out: SigGroups = {
    cols,
    source: 'cube_month',
    n,
    month: Int32Array.from(first, (i) => cube.day[i]!),
    monthNo: monthNumbers(Array.from(first, (i) => cube.day[i]!)),
    currency: Int32Array.from(first, (i) => cube.ids[cur]![cube.codes[cur]![i]!]!),
    keys: at.map((d) => Float64Array.from(first, (i) => cube.ids[d]![cube.codes[d]![i]!]!)),
    amounts: [0, 1, 2, 3].map((b) => ({ hi: Float64Array.from(hi[b]!), lo: Float64Array.from(lo[b]!) })),
    rows: Float64Array.from(rows),
    totalRows: rows.reduce((a, b) => a + b, 0),
  };
  return out;
}

const q = (c: string) => (c === 'tagset' || c === 'extras' ? c : `"${c}"`);

/** Groups from the month cube's table (while the in-memory copy is still loading). */
export function groupsFromCubeTable(db: Db, cols: SigColumn[]): SigGroups {
  const sel = ['day', '"BillingCurrency"', ...cols.map(q)];
  const measure: Record<string, string> = { BilledCost: 'billed', EffectiveCost: 'effective', ListCost: 'list', ContractedCost: 'contracted' };
  const sql = `SELECT ${sel.join(', ')}, ${splitSums((m) => measure[m]!)}, sum(rows)
    FROM ${CUBE_MONTH.table} GROUP BY ${sel.map((_, i) => i + 1).join(', ')}`;
  const b = new GroupBuilder(cols.length);
  for (const r of db.prepare(sql).raw().iterate() as Iterable<number[]>) b.add(r);
  return b.done(cols, 'cube_month');
}

/** Groups by month, currency and ResourceId from their rollup (one row per resource and month: no raw row read). */
export function groupsFromResourceRollup(db: Db): SigGroups {
  const measure: Record<string, string> = { BilledCost: 'billed', EffectiveCost: 'effective', ListCost: 'list', ContractedCost: 'contracted' };
  const b = new GroupBuilder(1);
  const starts = new Map<number, number>();
  // one row per (month, currency, resource) already: its primary key
  const parts = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'].map((m) => `${measure[m]!} >> 24, ${measure[m]!} & 16777215`).join(', ');
  const sql = `SELECT month, "BillingCurrency", "ResourceId", ${parts}, rows FROM rollup_resource_month`;
  for (const r of db.prepare(sql).raw().iterate() as Iterable<number[]>) {
    let day = starts.get(r[0]!);
    if (day === undefined) starts.set(r[0]!, (day = firstDayOfMonth(r[0]!)));
    r[0] = day;
    b.add(r);
  }
  return b.done(['ResourceId'], 'rollup_resource_month');
}

export const SLICE_ROWS = 1_000_000;

/**
 * Groups from raw rows, read in rowid order SLICE_ROWS at a time (progress between slices). No SQL GROUP BY: rules
 * that read a column like ResourceId make groups nearly as many as rows, where SQLite's sorter is the slow part; here
 * each row finds its signature through one numeric map per column and its group through one more, and amounts add up
 * as hi/lo doubles (exact; see GroupBuilder). Numbers group by their value, null as 0.
 */
export function groupsFromRows(db: Db, cols: SigColumn[], onProgress?: (rows: number, total: number) => void): SigGroups {
  const [lo, hi, total] = db.prepare('SELECT min(rowid), max(rowid), count(*) FROM cost_usage').raw().get() as [number | null, number | null, number];
  const w = cols.length;
  const stmt = db
    .prepare(
      // amounts as hi and lo parts (v >> 24, v & 0xFFFFFF): exact as doubles whatever the amount
      `SELECT r.day, coalesce(r."BillingCurrency", 0), ${cols.map((c) => `coalesce(r.${q(c)}, 0)`).join(', ')}${w ? ', ' : ''}
        ${['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'].map((m) => `coalesce(r."${m}", 0) >> 24, coalesce(r."${m}", 0) & 16777215`).join(', ')}
       FROM cost_usage r WHERE r.rowid BETWEEN ? AND ?`,
    )
    .raw();
  // signature: a chain of maps keyed by each column's value, ending in the signature's number
  const sigRoot = new Map<number, unknown>();
  const sigValues: number[][] = [];
  const sigOf = (r: readonly number[]): number => {
    let m = sigRoot;
    for (let c = 0; c < w - 1; c++) {
      const v = r[2 + c]!;
      let next = m.get(v) as Map<number, unknown> | undefined;
      if (!next) m.set(v, (next = new Map()));
      m = next;
    }
    const last = w ? r[1 + w]! : 0;
    let s = m.get(last) as number | undefined;
    if (s === undefined) {
      s = sigValues.length;
      m.set(last, s);
      sigValues.push(r.slice(2, 2 + w) as number[]);
    }
    return s;
  };
  // month and currency of a row: day → month start (a handful of months), currency → a small index
  const monthStartOf = new Map<number, number>();
  const curIndex = new Map<number, number>();
  const curIds: number[] = [];
  const monthDays: number[] = [];
  const monthIndex = new Map<number, number>();
  // group slot by (signature × 4096 + month index × 8 + currency index) while months < 512 and currencies ≤ 8, else text
  const slots = new Map<number | string, number>();
  let n = 0;
  let cap = 4096;
  let gMonth = new Int32Array(cap);
  let gCur = new Int32Array(cap);
  let gSig = new Int32Array(cap);
  let sums = new Float64Array(cap * 9);
  let done = 0;
  for (let from = lo ?? 1; lo !== null && hi !== null && from <= hi; from += SLICE_ROWS) {
    for (const r of stmt.iterate(from, Math.min(hi, from + SLICE_ROWS - 1)) as Iterable<number[]>) {
      const day = r[0]!;
      let ms = monthStartOf.get(day);
      if (ms === undefined) {
        const d = new Date(day * 86_400_000);
        ms = day - (d.getUTCDate() - 1);
        monthStartOf.set(day, ms);
      }
      let mi = monthIndex.get(ms);
      if (mi === undefined) {
        mi = monthDays.length;
        monthIndex.set(ms, mi);
        monthDays.push(ms);
      }
      const cur = r[1]!;
      let ci = curIndex.get(cur);
      if (ci === undefined) {
        ci = curIds.length;
        curIndex.set(cur, ci);
        curIds.push(cur);
      }
      const sig = sigOf(r);
      const key: number | string = mi < 512 && ci < 8 ? sig * 4096 + mi * 8 + ci : `${sig},${mi},${ci}`;
      let s = slots.get(key);
      if (s === undefined) {
        s = n++;
        if (s >= cap) {
          cap *= 2;
          const g = (a: Int32Array) => {
            const b = new Int32Array(cap);
            b.set(a);
            return b;
          };
          gMonth = g(gMonth);
          gCur = g(gCur);
          gSig = g(gSig);
          const b = new Float64Array(cap * 9);
          b.set(sums);
          sums = b;
        }
        slots.set(key, s);
        gMonth[s] = ms;
        gCur[s] = cur;
        gSig[s] = sig;
      }
      const at = s * 9;
      for (let j = 0; j < 8; j++) sums[at + j] = sums[at + j]! + r[2 + w + j]!;
      sums[at + 8] = sums[at + 8]! + 1;
    }
    done = Math.min(total, done + SLICE_ROWS);
    onProgress?.(done, total);
  }
  const month = gMonth.slice(0, n);
  const rows = Float64Array.from({ length: n }, (_, i) => sums[i * 9 + 8]!);
  return {
    cols,
    source: 'rows',
    n,
    month,
    monthNo: monthNumbers([...month]),
    currency: gCur.slice(0, n),
    keys: cols.map((_, c) => Float64Array.from({ length: n }, (_, i) => sigValues[gSig[i]!]![c]!)),
    amounts: [0, 1, 2, 3].map((b) => ({
      hi: Float64Array.from({ length: n }, (_, i) => sums[i * 9 + 2 * b]!),
      lo: Float64Array.from({ length: n }, (_, i) => sums[i * 9 + 2 * b + 1]!),
    })),
    rows,
    totalRows: rows.reduce((a, b) => a + b, 0),
  };
}

/** Groups kept per source and signature until the next import or removal (cube generation). */
export class GroupCache {
  private readonly entries = new Map<string, { generation: number; groups: SigGroups }>();
  constructor(private readonly db: Db) {}
  get(key: string, load: () => SigGroups): SigGroups {
    const generation = cubeGeneration(this.db);
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation) return hit.groups;
    const groups = load();
    // a few signatures at most: an edit that reads a new column replaces the oldest
    if (this.entries.size >= 3) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { generation, groups });
    return groups;
  }
}

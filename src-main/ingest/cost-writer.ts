// Stores encoded batches of one import job into cost_usage, inside the caller's open transaction, and accumulates
// the job's contribution to the rollups so they can be applied in one pass at the end.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/workspace';
import { ROLLUP_DIMENSIONS } from '../store/cost-columns';
import { monthOfDay } from './datetime';
import type { EncodedBatch } from './row-encoder';
import type { ParseMessage } from './parse-protocol';
import { CubeAccumulator } from './cube-accumulator';
import { RollupAccumulator } from './rollup-accumulator';
import { NULL_COUNTED, type NullCounts } from '../store/null-counts';
import { rebuildZones, ZoneAccumulator } from '../store/row-zones';

/**
 * The benchmark's baseline (`npm run bench` measures what maintaining the rollups and cubes costs an import):
 * MB_BENCH_NO_ROLLUPS=1 writes raw rows only, leaving a workspace whose explore answers are wrong. Never set otherwise.
 */
const MAINTAIN_ROLLUPS = process.env['MB_BENCH_NO_ROLLUPS'] !== '1';

type HeaderMsg = Extract<ParseMessage, { type: 'header' }>;

const ROWS_PER_INSERT = 32;

function moneyAt(numeric: Float64Array, big: Map<number, string>, nb: number, mi: number): number | bigint {
  if (mi < 0) return 0;
  const v = numeric[nb + mi]!;
  if (v === v) return v;
  const b = big.get(nb + mi);
  return b === undefined ? 0 : BigInt(b);
}

const NO_PAIRS: readonly number[] = [];

interface PeriodStats {
  rows: number;
  minDay: number;
  maxDay: number;
  /** Per NULL_COUNTED column: [applicable rows, nulls among them] at 2j, 2j+1. */
  nulls: Float64Array;
}

const NULLS_WIDTH = NULL_COUNTED.length * 2;

export interface FileStats {
  rows: number;
  periodRows: Map<number, number>;
}

export class CostWriter {
  private readonly selectDict: Statement;
  private readonly insertDict: Statement;
  private readonly selectPeriod: Statement;
  private readonly insertPeriod: Statement;
  private readonly insertTag: Statement;
  /** tag set id → [keyId, valueId, …] */
  private readonly tagPairs = new Map<number, number[]>();
  readonly rollups = new RollupAccumulator();
  readonly cubes = new CubeAccumulator();
  /** Kept even for the benchmark's raw-rows-only baseline: readers trust zones only when they account for every row. */
  private readonly zones = new ZoneAccumulator();
  minDay = Number.POSITIVE_INFINITY;
  maxDay = Number.NEGATIVE_INFINITY;
  /** period_key id → rows written by this job */
  readonly periodRows = new Map<number, number>();

  // per-file state
  private fileId = 0;
  private localToGlobal = new Int32Array(1024);
  private header: HeaderMsg | null = null;
  private insertMany: Statement | null = null;
  private insertOne: Statement | null = null;
  private params: unknown[] = [];
  private periodCache = new Map<string, number>();
  private fileRows = 0;
  private firstRowid = 0;
  private filePeriods = new Map<number, PeriodStats>();
  private idx = {
    text: new Map<string, number>(),
    numeric: new Map<string, number>(),
  };
  /** Global dict ids of the category values that decide where a null counts (-1 until the value is stored). */
  private readonly categoryIds = { Usage: -1, Purchase: -1, Committed: -1 };

  constructor(private readonly db: Db) {
    this.selectDict = db.prepare('SELECT id FROM dict WHERE value = ?').pluck();
    this.insertDict = db.prepare('INSERT INTO dict (value) VALUES (?)');
    this.selectPeriod = db
      .prepare('SELECT id FROM period_key WHERE invoice_issuer = ? AND billing_account = ? AND billing_period_start = ?')
      .pluck();
    this.insertPeriod = db.prepare(
      'INSERT INTO period_key (invoice_issuer, billing_account, billing_period_start) VALUES (?, ?, ?)',
    );
    this.insertTag = db.prepare('INSERT OR IGNORE INTO tag (tagset, key, value) VALUES (?, ?, ?)');
  }

  beginFile(fileId: number, header: HeaderMsg): void {
    this.fileId = fileId;
    this.header = header;
    this.localToGlobal = new Int32Array(1024);
    this.periodCache = new Map();
    this.fileRows = 0;
    this.filePeriods = new Map();
    this.firstRowid = ((this.db.prepare('SELECT max(rowid) FROM cost_usage').pluck().get() as number | null) ?? 0) + 1;
    this.zones.start(this.firstRowid);
    this.idx.text = new Map(header.text.map((n, i) => [n, i]));
    this.idx.numeric = new Map(header.numeric.map((c, i) => [c.name, i]));
    const cols = [
      'file_id',
      'row_no',
      'day',
      'period_key',
      'tagset',
      'extras',
      ...header.numeric.map((c) => `"${c.name}"`),
      ...header.text.map((n) => `"${n}"`),
    ];
    const one = `(${cols.map(() => '?').join(',')})`;
    const sql = (n: number) => `INSERT INTO cost_usage (${cols.join(',')}) VALUES ${Array(n).fill(one).join(',')}`;
    this.insertMany = this.db.prepare(sql(ROWS_PER_INSERT));
    this.insertOne = this.db.prepare(sql(1));
  }

  private globalId(value: string): number {
    const found = this.selectDict.get(value) as number | undefined;
    if (found !== undefined) return found;
    return Number(this.insertDict.run(value).lastInsertRowid);
  }

  private mapStrings(batch: EncodedBatch): void {
    const need = batch.firstNewString + batch.newStrings.length;
    if (need > this.localToGlobal.length) {
      let size = this.localToGlobal.length;
      while (size < need) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.localToGlobal);
      this.localToGlobal = grown;
    }
    for (let k = 0; k < batch.newStrings.length; k++) {
      this.localToGlobal[batch.firstNewString + k] = this.globalId(batch.newStrings[k]!);
    }
  }

  private periodKey(issuer: number, account: number, bps: number): number {
    const key = `${issuer}|${account}|${bps}`;
    let id = this.periodCache.get(key);
    if (id !== undefined) return id;
    const issuerText = issuer === 0 ? '' : this.dictValue(issuer);
    const accountText = account === 0 ? '' : this.dictValue(account);
    id = this.selectPeriod.get(issuerText, accountText, bps) as number | undefined;
    if (id === undefined) id = Number(this.insertPeriod.run(issuerText, accountText, bps).lastInsertRowid);
    this.periodCache.set(key, id);
    return id;
  }

  private dictValue(id: number): string {
    return (this.db.prepare('SELECT value FROM dict WHERE id = ?').pluck().get(id) as string) ?? '';
  }

  private pairsOf(tagset: number): readonly number[] {
    if (tagset === 0) return NO_PAIRS;
    let pairs = this.tagPairs.get(tagset);
    if (pairs) return pairs;
    pairs = [];
    const obj = JSON.parse(this.dictValue(tagset)) as Record<string, string>;
    for (const [k, v] of Object.entries(obj)) {
      const key = this.globalId(k);
      const value = this.globalId(v);
      this.insertTag.run(tagset, key, value);
      pairs.push(key, value);
    }
    this.tagPairs.set(tagset, pairs);
    return pairs;
  }

  writeBatch(batch: EncodedBatch): void {
    const header = this.header!;
    this.mapStrings(batch);
    const l2g = this.localToGlobal;
    const nNum = header.numeric.length;
    const nText = header.text.length;
    const intW = nText + 4;
    const numeric = batch.numeric;
    const ints = batch.ints;
    const big = new Map<number, string>();
    for (const b of batch.bigMoney) big.set(b.row * nNum + b.col, b.value);

    const ti = this.idx.text;
    const ni = this.idx.numeric;
    const dimIdx = ROLLUP_DIMENSIONS.map((d) => ti.get(d) ?? -1);
    const dimIds = new Int32Array(dimIdx.length);
    const issuerIdx = ti.get('InvoiceIssuerName') ?? -1;
    const accountIdx = ti.get('BillingAccountId') ?? -1;
    const resourceIdx = ti.get('ResourceId') ?? -1;
    const bpsIdx = ni.get('BillingPeriodStart')!;
    const moneyIdx = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'].map((m) => ni.get(m) ?? -1);
    // null counts: a text column at its index, a numeric one at ~index, an absent one (always null) as NaN
    const nullAt = NULL_COUNTED.map((c) => ti.get(c.column) ?? (ni.has(c.column) ? ~ni.get(c.column)! : NaN));
    const nullKind = NULL_COUNTED.map((c) => ['all', 'usage', 'usage-purchase', 'committed'].indexOf(c.appliesTo));
    const chargeCatIdx = ti.get('ChargeCategory') ?? -1;
    const pricingCatIdx = ti.get('PricingCategory') ?? -1;
    const cat = this.categoryIds;
    for (const k of ['Usage', 'Purchase', 'Committed'] as const) if (cat[k] < 0) cat[k] = (this.selectDict.get(k) as number | undefined) ?? -1;

    const params = this.params;
    let lastIssuer = -1;
    let lastAccount = -1;
    let lastBps = NaN;
    let lastPk = 0;
    let stats: PeriodStats | undefined;
    let lastDay = -1;
    let month = 0;
    let pending = 0;
    params.length = 0;
    for (let r = 0; r < batch.count; r++) {
      const nb = r * nNum;
      const ib = r * intW;
      const day = ints[ib + nText + 2]!;
      const tagsetLocal = ints[ib + nText]!;
      const tagset = tagsetLocal === 0 ? 0 : l2g[tagsetLocal]!;
      const extrasLocal = ints[ib + nText + 1]!;
      const issuer = issuerIdx < 0 ? 0 : l2g[ints[ib + issuerIdx]!]! | 0;
      const account = accountIdx < 0 ? 0 : l2g[ints[ib + accountIdx]!]! | 0;
      const bps = numeric[nb + bpsIdx]!;
      let pk = lastPk;
      if (issuer !== lastIssuer || account !== lastAccount || bps !== lastBps || stats === undefined) {
        pk = lastPk = this.periodKey(issuer, account, bps);
        lastIssuer = issuer;
        lastAccount = account;
        lastBps = bps;
        stats = this.filePeriods.get(pk);
        if (!stats) this.filePeriods.set(pk, (stats = { rows: 0, minDay: day, maxDay: day, nulls: new Float64Array(NULLS_WIDTH) }));
      }
      stats.rows++;
      {
        const chargeCat = chargeCatIdx < 0 ? 0 : l2g[ints[ib + chargeCatIdx]!]! | 0;
        const usage = chargeCat === cat.Usage;
        const usageOrPurchase = usage || chargeCat === cat.Purchase;
        const committed = pricingCatIdx >= 0 && (l2g[ints[ib + pricingCatIdx]!]! | 0) === cat.Committed;
        const nulls = stats.nulls;
        for (let j = 0; j < nullAt.length; j++) {
          const kind = nullKind[j]!;
          if (kind === 1 ? !usage : kind === 2 ? !usageOrPurchase : kind === 3 ? !committed : false) continue;
          nulls[2 * j]!++;
          const at = nullAt[j]!;
          let isNull: boolean;
          if (at !== at) isNull = true;
          else if (at >= 0) isNull = ints[ib + at] === 0;
          else {
            const v = numeric[nb + ~at]!;
            isNull = v !== v && !big.has(nb + ~at);
          }
          if (isNull) nulls[2 * j + 1]!++;
        }
      }
      if (day < stats.minDay) stats.minDay = day;
      if (day > stats.maxDay) stats.maxDay = day;
      this.zones.add(day);
      const pairs = this.pairsOf(tagset);

      params.push(this.fileId, ints[ib + nText + 3]!, day, pk, tagset === 0 ? null : tagset, extrasLocal === 0 ? null : l2g[extrasLocal]);
      for (let k = 0; k < nNum; k++) {
        const v = numeric[nb + k]!;
        if (v === v) params.push(v);
        else {
          const b = big.get(nb + k);
          params.push(b === undefined ? null : BigInt(b));
        }
      }
      for (let k = 0; k < nText; k++) {
        const id = ints[ib + k]!;
        params.push(id === 0 ? null : l2g[id]);
      }
      pending++;
      if (pending === ROWS_PER_INSERT) {
        this.insertMany!.run(params);
        params.length = 0;
        pending = 0;
      }

      // rollups
      if (day < this.minDay) this.minDay = day;
      if (day > this.maxDay) this.maxDay = day;
      for (let d = 0; d < dimIdx.length; d++) {
        const di = dimIdx[d]!;
        dimIds[d] = di < 0 ? 0 : l2g[ints[ib + di]!]! | 0;
      }
      const resource = resourceIdx < 0 ? 0 : l2g[ints[ib + resourceIdx]!]! | 0;
      if (day !== lastDay) {
        lastDay = day;
        month = monthOfDay(day);
      }
      const mb = moneyAt(numeric, big, nb, moneyIdx[0]!);
      const me = moneyAt(numeric, big, nb, moneyIdx[1]!);
      const ml = moneyAt(numeric, big, nb, moneyIdx[2]!);
      const mc = moneyAt(numeric, big, nb, moneyIdx[3]!);
      if (MAINTAIN_ROLLUPS) {
        this.rollups.add(day, dimIds, pairs, resource, month, mb, me, ml, mc);
        this.cubes.add(day, month, dimIds, tagset, mb, me, ml, mc);
      }
    }
    // remainder, one row at a time
    const width = params.length / Math.max(pending, 1);
    for (let r = 0; r < pending; r++) this.insertOne!.run(params.slice(r * width, (r + 1) * width));
    params.length = 0;
    this.fileRows += batch.count;
  }

  endFile(): FileStats {
    const insert = this.db.prepare('INSERT INTO file_period (file_id, period_key, rows, min_day, max_day, null_counts) VALUES (?, ?, ?, ?, ?, ?)');
    for (const [pk, s] of this.filePeriods) {
      this.periodRows.set(pk, (this.periodRows.get(pk) ?? 0) + s.rows);
      const counts: NullCounts = {};
      NULL_COUNTED.forEach((c, j) => (counts[c.column] = [s.nulls[2 * j]!, s.nulls[2 * j + 1]!]));
      insert.run(this.fileId, pk, s.rows, s.minDay, s.maxDay, JSON.stringify(counts));
    }
    if (this.fileRows > 0) {
      const last = this.db.prepare('SELECT max(rowid) FROM cost_usage').pluck().get() as number;
      this.db.prepare('UPDATE import_file SET first_rowid = ?, last_rowid = ? WHERE id = ?').run(this.firstRowid, last, this.fileId);
      // rows take consecutive rowids from max + 1; should SQLite ever have placed them otherwise, read their days back
      if (this.zones.nextRowid === last + 1) this.zones.flush(this.db);
      else {
        this.zones.discard();
        rebuildZones(this.db, this.firstRowid, last);
      }
    }
    return { rows: this.fileRows, periodRows: new Map([...this.filePeriods].map(([pk, s]) => [pk, s.rows])) };
  }

  /** Add this job's rollup cells to the stored rollups (for jobs that only added rows). */
  applyRollups(): void {
    this.rollups.apply(this.db);
    this.cubes.apply(this.db);
  }
}

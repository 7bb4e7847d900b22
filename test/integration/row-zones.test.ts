// The zone map (store/row-zones.ts): kept exact by imports (append, replace, dropped snapshot copies), filled by its
// migration, and never changing an answer — every raw-row question asked through the zones equals the same question
// on a copy of the workspace without them — while SQLite reads only the rowid ranges it names.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filter, ImportMode, ImportOutcome } from '../../src-shared/api/contract';
import { compareView } from '../../src-main/explore/compare';
import { FOCUS_EXPORT_COLUMNS, readPages, scopeParts } from '../../src-main/explore/export-rows';
import { ExploreQueries } from '../../src-main/explore/query';
import { RowPager } from '../../src-main/explore/rows';
import { runImport } from '../../src-main/ingest/import-runner';
import { dayFromIso } from '../../src-main/ingest/datetime';
import { rebuildDimRollup, rebuildResourceRollup } from '../../src-main/store/rollups';
import { CUBES, rebuildCube } from '../../src-main/store/cubes';
import { MAX_ZONE_RANGES, ZONE_ROWS, ZONE_SHIFT, zoneFillSql, zoneRanges, zoneWhere } from '../../src-main/store/row-zones';
import { MIGRATIONS } from '../../src-main/store/migrations';
import { openWorkspace, type Db } from '../../src-main/store/workspace';
import { generateBenchCsv } from '../bench/generate-focus';
import { tempDir } from '../helpers/temp';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A filter that keeps every row but names a column no rollup or cube has: the question reads raw rows. */
const RAW: Filter = { column: 'PricingUnit', values: ['__none__'], exclude: true };

interface Range {
  from?: string;
  to?: string;
}

// 90 days from 2025-01-01 (January to March); a range cut mid-block, a day, open ends, and days with no rows
const RANGES: Range[] = [
  { from: '2025-02-01', to: '2025-02-28' },
  { from: '2025-01-10', to: '2025-01-20' },
  { from: '2025-03-07', to: '2025-03-07' },
  { from: '2025-03-01' },
  { to: '2025-01-15' },
  { from: '2024-06-01', to: '2024-06-30' },
  { from: '2024-12-01', to: '2025-12-31' },
];

async function bill(name: string, rows: number, seed: number, days: number): Promise<string> {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await generateBenchCsv({ outPath: file, rows, seed, days });
  return file;
}

async function importInto(ws: string, files: string[], mode: ImportMode = 'ask'): Promise<ImportOutcome> {
  const outcome = await runImport({ workspacePath: ws, files: files.map((p) => ({ path: p, name: path.relative(dir, p) })), mode });
  expect(outcome.status).toBe('done');
  return outcome;
}

/** The zones SQL computes from the rows now, exactly as stored ones must be. */
function truth(db: Db): number[][] {
  return db.prepare(`SELECT rowid >> ${ZONE_SHIFT}, min(day), max(day), count(*) FROM cost_usage GROUP BY 1 ORDER BY 1`).raw().all() as number[][];
}

function stored(db: Db): number[][] {
  return db.prepare('SELECT block, min_day, max_day, rows FROM row_zone ORDER BY block').raw().all() as number[][];
}

/** A copy of the workspace without zones (page by page, so rowids stay): every question there reads the whole table. */
async function withoutZones(db: Db, name: string): Promise<Db> {
  const copy = path.join(dir, name);
  await db.backup(copy);
  const plain = openWorkspace(copy);
  plain.exec('DELETE FROM row_zone');
  return plain;
}

const digest = (v: unknown) =>
  crypto
    .createHash('sha256')
    .update(JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)))
    .digest('hex');

/** Every raw-row question of one date range, as the engine answers it on `db`. */
function answers(db: Db, r: Range, filters: Filter[] = []): Record<string, unknown> {
  const q = new ExploreQueries(db);
  const pager = new RowPager(db);
  const scope = { ...(r.from ? { from: r.from } : {}), ...(r.to ? { to: r.to } : {}), filters: [...filters, RAW] };
  const raw = q.query({ ...scope, groupBy: ['ServiceName'], granularity: 'day', metric: 'EffectiveCost' } as never);
  expect(raw.source).toBe('cost_usage');
  const first = pager.page({ ...scope, offset: 0, limit: 40 } as never);
  const total = first.total;
  const out: Record<string, unknown> = {
    query: raw,
    kpis: q.kpis(scope as never),
    rowsTotal: total,
    rowsFirst: first.rows,
    rowsMiddle: pager.page({ ...scope, offset: Math.floor(total / 2), limit: 40 } as never).rows,
    rowsLast: pager.page({ ...scope, offset: Math.max(0, total - 40), limit: 40 } as never).rows,
    rowsSorted: pager.page({ ...scope, offset: Math.floor(total / 3), limit: 40, sort: { column: 'BilledCost', desc: true } } as never).rows,
    export: digest([...readPages(db, scopeParts(db, scope), FOCUS_EXPORT_COLUMNS)]),
  };
  if (r.from && r.to) {
    // against March, whose rows lie in other blocks (and for the ranges holding March, in the same ones)
    for (const group of ['ServiceName', 'SubAccountId']) {
      out[`compare ${group}`] = compareView(db, {
        a: { from: r.from, to: r.to },
        b: { from: '2025-03-01', to: '2025-03-31' },
        groupBy: group,
        metric: 'BilledCost',
        filters,
        top: 8,
      } as never);
    }
  }
  return out;
}

function expectSameAnswers(zoned: Db, plain: Db, filters: Filter[] = []): void {
  for (const r of RANGES) {
    const from = r.from ? dayFromIso(r.from) : undefined;
    const to = r.to ? dayFromIso(r.to) : undefined;
    expect(zoneRanges(plain, from, to), 'the copy has no zones').toBeNull();
    expect(answers(zoned, r, filters), JSON.stringify(r)).toEqual(answers(plain, r, filters));
  }
}

/** Rows SQLite may read for a range through the zones (null: all). */
function zonedRows(db: Db, r: Range): number | null {
  const ranges = zoneRanges(db, r.from ? dayFromIso(r.from) : undefined, r.to ? dayFromIso(r.to) : undefined);
  if (ranges === null) return null;
  const count = db.prepare('SELECT count(*) FROM cost_usage WHERE rowid BETWEEN ? AND ?').pluck();
  return ranges.reduce((n, x) => n + (count.get(x.lo, x.hi) as number), 0);
}

/** SQL run by `fn`, with its parameters. */
function capture(db: Db, fn: () => unknown): { sql: string; params: unknown[] }[] {
  const calls: { sql: string; params: unknown[] }[] = [];
  const prepare = db.prepare.bind(db);
  const spy = (sql: string) => {
    const st = prepare(sql) as unknown as Record<string, (...p: unknown[]) => unknown>;
    for (const m of ['all', 'get', 'iterate']) {
      const f = st[m]!.bind(st);
      st[m] = (...params: unknown[]) => {
        calls.push({ sql, params });
        return f(...params);
      };
    }
    return st;
  };
  (db as unknown as { prepare: typeof spy }).prepare = spy;
  try {
    fn();
  } finally {
    delete (db as unknown as { prepare?: unknown }).prepare;
  }
  return calls;
}

const planOf = (db: Db, sql: string, params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join(' | ');

describe('zone map', () => {
  let ws: string;
  let db: Db;
  let all: number;

  beforeAll(async () => {
    ws = path.join(dir, 'zones.meterbook');
    // ~670 rows a day in time order: a block of 4096 rowids holds about six days
    await importInto(ws, [await bill('a.csv', 60_000, 1, 90)]);
    db = openWorkspace(ws);
    all = db.prepare('SELECT count(*) FROM cost_usage').pluck().get() as number;
  }, 120_000);

  afterAll(() => db?.close());

  it('is written by the import, equal to the rows', () => {
    const z = stored(db);
    expect(z.length).toBe(Math.floor(60_000 / ZONE_ROWS) + 1);
    expect(z).toEqual(truth(db));
  });

  it('narrows a month to its blocks, reads nothing for days without rows, everything for all days', () => {
    const feb = zoneRanges(db, dayFromIso('2025-02-01'), dayFromIso('2025-02-28'))!;
    expect(feb).toHaveLength(1);
    const inFeb = db.prepare('SELECT count(*) FROM cost_usage WHERE day BETWEEN ? AND ?').pluck().get(dayFromIso('2025-02-01'), dayFromIso('2025-02-28')) as number;
    const read = zonedRows(db, { from: '2025-02-01', to: '2025-02-28' })!;
    // the month's rows and at most one partly filled block at each end
    expect(read).toBeGreaterThanOrEqual(inFeb);
    expect(read).toBeLessThanOrEqual(inFeb + 2 * ZONE_ROWS);
    expect(read).toBeLessThan(all / 2);
    expect(zoneRanges(db, dayFromIso('2024-06-01'), dayFromIso('2024-06-30'))).toEqual([]);
    expect(zonedRows(db, { from: '2024-12-01', to: '2025-12-31' })).toBe(all);
  });

  it('answers every raw-row question exactly as the whole table does', async () => {
    const plain = await withoutZones(db, 'import-plain.meterbook');
    try {
      expectSameAnswers(db, plain);
      expectSameAnswers(db, plain, [{ column: 'ServiceCategory', values: ['Compute', 'Storage'] }]);
    } finally {
      plain.close();
    }
  }, 120_000);

  it('is read by SQLite as rowid ranges: compare searches the month, a deep page seeks by its own rowid', () => {
    const calls = capture(db, () =>
      compareView(db, { a: { from: '2025-02-01', to: '2025-02-28' }, b: { from: '2025-03-01', to: '2025-03-31' }, groupBy: 'ServiceName', metric: 'BilledCost', filters: [], top: 5 } as never),
    );
    const periods = calls.filter((c) => /FROM cost_usage r/.test(c.sql));
    expect(periods).toHaveLength(2);
    for (const c of periods) {
      const plan = planOf(db, c.sql, c.params);
      expect(plan).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(plan).not.toMatch(/SCAN r\b/);
    }

    // the grid's scan of a range lists its rowids in order from the zone's rowids, no sort
    const pager = new RowPager(db);
    const input = { from: '2025-02-01', to: '2025-02-28', filters: [], offset: 0, limit: 50 } as never;
    const scans = capture(db, () => pager.page(input)).filter((c) => /SELECT r\.rowid FROM cost_usage r/.test(c.sql));
    expect(scans).toHaveLength(1);
    const scanPlan = planOf(db, scans[0]!.sql, scans[0]!.params);
    expect(scanPlan).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(scanPlan).not.toMatch(/TEMP B-TREE/);

    // a page deep in the range starts at its seek, not at the zone's first rowid: the seek's parameter feeds SeekGE
    const deep = pager.pageQuery({ from: '2025-02-01', to: '2025-02-28', filters: [], offset: 15_000, limit: 50 } as never);
    const seek = deep.params[deep.params.length - 3] as number;
    const lo = zoneRanges(db, dayFromIso('2025-02-01'), dayFromIso('2025-02-28'))![0]!.lo;
    expect(seek).toBeGreaterThan(lo + 10_000);
    const ops = db.prepare(`EXPLAIN ${deep.sql}`).all(...deep.params) as { opcode: string; p1: number; p2: number; p3: number }[];
    const seekOp = ops.find((o) => o.opcode === 'SeekGE' || o.opcode === 'SeekGT')!;
    const loaded = ops.find((o) => o.opcode === 'Variable' && o.p2 === seekOp.p3)!;
    expect(deep.params[loaded.p1 - 1]).toBe(seek);
  });

  it('is filled for an existing workspace by its migration', async () => {
    const copy = path.join(dir, 'migrate.meterbook');
    await db.backup(copy);
    const old = openWorkspace(copy);
    // as a workspace written before the zone map: without it and without what later migrations add
    old.exec('DROP TABLE row_zone; DROP TABLE alloc_version; DROP TABLE alloc_cell; DROP TABLE alloc_sig; DROP TABLE alloc_driver; DROP TABLE alloc_driver_file;');
    old.pragma('user_version = 7');
    old.close();
    const migrated = openWorkspace(copy);
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(stored(migrated)).toEqual(truth(migrated));
    } finally {
      migrated.close();
    }
  });

  describe('after append, replace and dropped snapshot copies', () => {
    it('an appended January is a second range of rows: the OR of ranges answers as the table does', async () => {
      db.close();
      await importInto(ws, [await bill('b.csv', 12_000, 2, 31)], 'append');
      db = openWorkspace(ws);
      expect(stored(db)).toEqual(truth(db));
      const jan = zoneRanges(db, dayFromIso('2025-01-10'), dayFromIso('2025-01-20'))!;
      expect(jan).toHaveLength(2);
      // aggregates read the two ranges one by one
      const calls = capture(db, () =>
        compareView(db, { a: { from: '2025-01-10', to: '2025-01-20' }, b: { from: '2025-02-01', to: '2025-02-28' }, groupBy: 'ServiceName', metric: 'BilledCost', filters: [], top: 5 } as never),
      );
      const period = calls.find((c) => /FROM cost_usage r/.test(c.sql))!;
      expect(planOf(db, period.sql, period.params)).toMatch(/MULTI-INDEX OR.*SEARCH r USING INTEGER PRIMARY KEY.*SEARCH r USING INTEGER PRIMARY KEY/);
      // the grid reads in rowid order: one span, skipping the rows between the ranges
      const order = zoneWhere(db, 'r', dayFromIso('2025-01-10'), dayFromIso('2025-01-20'), 'rowid')!;
      expect(order.where).toHaveLength(3);
      const plain = await withoutZones(db, 'append-plain.meterbook');
      try {
        expectSameAnswers(db, plain);
      } finally {
        plain.close();
      }
    }, 120_000);

    it('a replaced January removes the rows of both earlier files: zones rebuilt, empty blocks gone, rollups rebuilt alike', async () => {
      db.close();
      const out = await importInto(ws, [await bill('c.csv', 9_000, 3, 31)], 'replace');
      expect(out.status === 'done' && out.files[0]!.action).toBe('replaced-periods');
      db = openWorkspace(ws);
      expect(stored(db)).toEqual(truth(db));
      // a.csv's first blocks held January only
      expect(stored(db)[0]![0]).toBeGreaterThan(0);
      const plain = await withoutZones(db, 'replace-plain.meterbook');
      try {
        expectSameAnswers(db, plain);
        // the rollups and cubes the replace rebuilt through the zones equal ones rebuilt from the whole table
        const tables = ['rollup_dim', 'rollup_resource_month', ...CUBES.map((c) => c.table)];
        rebuildDimRollup(plain, -1e6, 1e6);
        rebuildResourceRollup(plain, 0, 1e6);
        for (const c of CUBES) rebuildCube(plain, c, -1e6, 1e6);
        for (const t of tables) {
          const columns = db.prepare(`SELECT count(*) FROM pragma_table_info('${t}')`).pluck().get() as number;
          const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
          const rows = (d: Db) => digest(d.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).raw().safeIntegers(true).all());
          expect(rows(db), t).toBe(rows(plain));
        }
      } finally {
        plain.close();
      }
    }, 120_000);

    it('older snapshot copies dropped inside a delivery leave no zones behind', async () => {
      db.close();
      const older = await bill('snap/a/jan.csv', 5_000, 4, 31);
      const newer = await bill('snap/b/jan.csv', 6_000, 5, 31);
      const t = new Date(Date.UTC(2025, 1, 1));
      fs.utimesSync(older, t, t);
      const out = await importInto(ws, [older, newer], 'replace');
      if (out.status !== 'done') return;
      expect(out.files.map((f) => f.action)).toEqual(['superseded-snapshot', 'replaced-periods']);
      db = openWorkspace(ws);
      expect(stored(db)).toEqual(truth(db));
      const plain = await withoutZones(db, 'snapshot-plain.meterbook');
      try {
        expectSameAnswers(db, plain);
      } finally {
        plain.close();
      }
    }, 120_000);
  });
});

describe('zone map over rows out of time order', () => {
  it('spans every day in every block of a shuffled bill, so nothing is left out', async () => {
    const sorted = await bill('shuffle-src.csv', 30_000, 6, 90);
    const [header, ...lines] = fs.readFileSync(sorted, 'utf8').trimEnd().split('\n');
    let s = 12345;
    for (let i = lines.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    const shuffled = path.join(dir, 'shuffled.csv');
    fs.writeFileSync(shuffled, [header, ...lines].join('\n') + '\n');
    const ws = path.join(dir, 'shuffled.meterbook');
    await importInto(ws, [shuffled]);
    const db = openWorkspace(ws);
    const plain = await withoutZones(db, 'shuffled-plain.meterbook');
    try {
      expect(stored(db)).toEqual(truth(db));
      const all = db.prepare('SELECT count(*) FROM cost_usage').pluck().get() as number;
      // every block holds days from January to March: a week reads the whole table
      expect(zonedRows(db, { from: '2025-02-01', to: '2025-02-07' })).toBe(all);
      expectSameAnswers(db, plain);
    } finally {
      db.close();
      plain.close();
    }
  }, 120_000);

  it('gives up on too many separate ranges, or several covering most of the table', () => {
    // blocks alternating between two days, written straight into a workspace's tables (an import writes whole days
    // in order; this is the shape of a bill sorted by something other than time)
    const ws = path.join(dir, 'alternating.meterbook');
    const db = openWorkspace(ws, { create: true });
    try {
      const blocks = 2 * (MAX_ZONE_RANGES + 1);
      const rows = blocks * ZONE_ROWS;
      db.exec(`
        INSERT INTO import_job (id, started_at, finished_at, mode) VALUES (1, '', '', 'ask');
        INSERT INTO import_file (id, job_id, file_name, file_path, sha256, fingerprint, bytes, dataset, focus_version, rows, action, imported_at, header, conformance, pass, fail, skip)
          VALUES (1, 1, 'x.csv', 'x.csv', '', '', 0, 'CostAndUsage', '1.2', ${rows}, 'imported', '', '[]', '{}', 0, 0, 0);
        INSERT INTO period_key (id, invoice_issuer, billing_account, billing_period_start) VALUES (1, '', '', 0);
        INSERT INTO file_period (file_id, period_key, rows, min_day, max_day) VALUES (1, 1, ${rows}, 100, 101);
        WITH RECURSIVE n(i) AS (SELECT ${ZONE_ROWS} UNION ALL SELECT i + 1 FROM n WHERE i < ${ZONE_ROWS + rows - 1})
        INSERT INTO cost_usage (rowid, file_id, row_no, day, period_key, "BilledCost") SELECT i, 1, i, 100 + ((i >> ${ZONE_SHIFT}) % 2), 1, 1000000000 FROM n;
        ${zoneFillSql('1')};`);
      // day 100: every other block, one more range than allowed; with a block less it is allowed
      expect(zoneRanges(db, 100, 100)).toBeNull();
      db.exec(`DELETE FROM cost_usage WHERE rowid >= ${ZONE_ROWS * (blocks - 1)}; DELETE FROM row_zone WHERE block >= ${blocks - 1};
        UPDATE file_period SET rows = rows - ${2 * ZONE_ROWS}`);
      expect(zoneRanges(db, 100, 100)).toHaveLength(MAX_ZONE_RANGES);
      // both days: one range of every block, which costs nothing over a scan
      expect(zoneRanges(db, 100, 101)).toHaveLength(1);
      // zones that do not account for every row are not used
      db.exec('UPDATE file_period SET rows = rows + 1');
      expect(zoneRanges(db, 100, 100)).toBeNull();
      db.exec('UPDATE file_period SET rows = rows - 1');
      // day 101 on two blocks only: three ranges of day 100 holding most rows are not worth an OR, two small ones are
      db.exec(`UPDATE cost_usage SET day = CASE WHEN (rowid >> ${ZONE_SHIFT}) IN (10, 30) THEN 101 ELSE 100 END;
        DELETE FROM row_zone; ${zoneFillSql('1')}`);
      expect(zoneRanges(db, 100, 100)).toBeNull();
      expect(zoneRanges(db, 101, 101)).toEqual([10, 30].map((b) => ({ lo: b * ZONE_ROWS, hi: (b + 1) * ZONE_ROWS - 1 })));
      // day 100 is 1970-04-11
      const kpis = new ExploreQueries(db).kpis({ from: '1970-04-12', to: '1970-04-12', filters: [RAW] } as never);
      expect(kpis.rows).toBe(2 * ZONE_ROWS);
      expect(kpis.billed).toBe(2 * ZONE_ROWS);
    } finally {
      db.close();
    }
  });
});

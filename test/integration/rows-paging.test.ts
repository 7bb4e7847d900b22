// The detail grid's paging (explore.rows) on a generated 300,000-row workspace: every page equals the same rows read
// by plain OFFSET SQL, sorts are right, and unsorted pages are seeks (no sort, fewer than STRIDE rows skipped).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filter, RowsOutput } from '../../src-shared/api/contract';
import { RowsInputSchema } from '../../src-shared/api/contract';
import { TEXT_SORT_MAX_ROWS } from '../../src-shared/explore/grid-sort';
import { ExploreQueries } from '../../src-main/explore/query';
import { ROW_COLUMNS, RowPager, STRIDE } from '../../src-main/explore/rows';
import { isoDateTime, dayFromIso } from '../../src-main/ingest/datetime';
import { nanosToNumber } from '../../src-main/ingest/decimal';
import { runImport } from '../../src-main/ingest/import-runner';
import { COST_COLUMN_KIND } from '../../src-main/store/cost-columns';
import { openWorkspace, type Db } from '../../src-main/store/workspace';
import { generateBenchCsv } from '../bench/generate-focus';
import { tempDir } from '../helpers/temp';

const ROWS = 300_000;
let dir: string;
let ws: string;
let db: Db;
let pager: RowPager;

const input = (o: Record<string, unknown>) => RowsInputSchema.parse(o);

/** The reference: the same rows found with plain SQL and OFFSET, then decoded column by column. */
function plainPage(where: string, params: unknown[], order: string, offset: number, limit: number): RowsOutput['rows'] {
  const ids = db.prepare(`SELECT r.rowid FROM cost_usage r ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck().all(...params, limit, offset) as number[];
  const cols = ROW_COLUMNS.map((c) => (COST_COLUMN_KIND.get(c) === 'text' ? `(SELECT value FROM dict WHERE id = r."${c}")` : `r."${c}"`));
  const read = db.prepare(`SELECT f.file_name, r.row_no, ${cols.join(', ')} FROM cost_usage r JOIN import_file f ON f.id = r.file_id WHERE r.rowid = ?`).raw().safeIntegers(true);
  return ids.map((id) => {
    const r = read.get(id) as unknown[];
    return [
      r[0] as string,
      Number(r[1]),
      ...ROW_COLUMNS.map((c, i) => {
        const v = r[i + 2];
        if (v === null) return null;
        const kind = COST_COLUMN_KIND.get(c);
        if (kind === 'money') return nanosToNumber(v as bigint);
        if (kind === 'time') return isoDateTime(Number(v));
        if (kind === 'text') return v as string;
        return Number(v);
      }),
    ];
  });
}

function plainCount(where: string, params: unknown[]): number {
  return Number(db.prepare(`SELECT count(*) FROM cost_usage r ${where}`).pluck().get(...params));
}

function planDetails(sql: string, params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

function dictId(value: string): number {
  return db.prepare('SELECT id FROM dict WHERE value = ?').pluck().get(value) as number;
}

beforeAll(async () => {
  dir = tempDir('meterbook-rows-');
  ws = path.join(dir, 'rows.meterbook');
  const big = path.join(dir, 'focus-big.csv');
  await generateBenchCsv({ outPath: big, rows: ROWS, seed: 11, days: 120 });
  const first = await runImport({ workspacePath: ws, files: [{ path: big, name: 'focus-big.csv' }], mode: 'ask' });
  expect(first.status).toBe('done');
  db = openWorkspace(ws);
  pager = new RowPager(db);
}, 300_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('explore.rows paging at 300,000 rows', () => {
  const offsets = () => {
    const total = plainCount('', []);
    return [0, 200, 12_345, STRIDE * 37 + 5, Math.floor(total / 2) + 3, total - 150, total - 1];
  };

  it('pages of the whole workspace equal plain OFFSET reads, seeking by rowid without sorting', () => {
    const total = plainCount('', []);
    expect(total).toBe(ROWS);
    for (const offset of offsets()) {
      const page = pager.page(input({ offset, limit: 200 }));
      if (offset === 0) expect(pager.lastPlanSource).toBe('ranges'); // built from the files' rowid ranges, no scan
      expect(page.total).toBe(ROWS);
      expect(page.columns.slice(0, 2)).toEqual(['SourceFile', 'SourceRow']);
      expect(page.rows).toEqual(plainPage('', [], 'r.rowid', offset, 200));
    }
    expect(pager.lastPlanSource).toBe('cached');
    const q = pager.pageQuery(input({ offset: ROWS - 300, limit: 200 }));
    const plan = planDetails(q.sql, q.params);
    expect(plan).not.toContain('USE TEMP B-TREE');
    expect(plan).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    // a dense file: the position is the rowid, nothing is skipped
    expect(q.params[q.params.length - 1]).toBe(0);
  });

  it('a date range and filters: pages and count equal plain SQL; the seek skips fewer than STRIDE rows', () => {
    const services = db.prepare('SELECT DISTINCT "ServiceName" FROM cost_usage LIMIT 5').pluck().all() as number[];
    const names = services.map((id) => db.prepare('SELECT value FROM dict WHERE id = ?').pluck().get(id) as string);
    const filters: Filter[] = [
      { column: 'ServiceName', values: names.slice(0, 4) },
      { column: 'RegionId', values: [db.prepare('SELECT value FROM dict WHERE id = (SELECT "RegionId" FROM cost_usage LIMIT 1)').pluck().get() as string], exclude: true },
    ];
    const from = '2025-02-01';
    const to = '2025-03-31';
    const where = `WHERE r.day >= ? AND r.day <= ? AND r."ServiceName" IN (${services.slice(0, 4).join(',')}) AND NOT coalesce(r."RegionId" IN (?), 0)`;
    const params = [dayFromIso(from), dayFromIso(to), dictId(filters[1]!.values[0]!)];
    const total = plainCount(where, params);
    expect(total).toBeGreaterThan(STRIDE * 10);
    for (const offset of [0, STRIDE - 1, STRIDE * 3 + 17, Math.floor(total / 2), total - 10]) {
      const page = pager.page(input({ from, to, filters, offset, limit: 100 }));
      expect(page.total).toBe(total);
      expect(page.rows).toEqual(plainPage(where, params, 'r.rowid', offset, 100));
      const q = pager.pageQuery(input({ from, to, filters, offset, limit: 100 }));
      expect(q.params[q.params.length - 1]).toBeLessThan(STRIDE);
      expect(planDetails(q.sql, q.params)).not.toContain('USE TEMP B-TREE FOR ORDER BY');
    }
  });

  it('sorts by money, date and source row: pages equal plain ORDER BY … , rowid', () => {
    const cases: Array<{ column: string; desc: boolean; order: string }> = [
      { column: 'BilledCost', desc: true, order: 'r."BilledCost" DESC, r.rowid' },
      { column: 'ChargePeriodStart', desc: false, order: 'r."ChargePeriodStart" ASC, r.rowid' },
      { column: 'SourceRow', desc: true, order: 'r.row_no DESC, r.rowid' },
    ];
    for (const c of cases) {
      for (const offset of [0, 777, ROWS - 100]) {
        const page = pager.page(input({ offset, limit: 100, sort: { column: c.column, desc: c.desc } }));
        expect(page.total).toBe(ROWS);
        expect(page.rows).toEqual(plainPage('', [], c.order, offset, 100));
      }
    }
    const money = pager.page(input({ offset: 0, limit: 1000, sort: { column: 'BilledCost', desc: true } })).rows.map((r) => r[2 + ROW_COLUMNS.indexOf('BilledCost')] as number);
    expect(money).toEqual([...money].sort((a, b) => b - a));
  });

  it('refuses to sort text over more than TEXT_SORT_MAX_ROWS rows, and sorts it by value within a filter', () => {
    expect(ROWS).toBeGreaterThan(TEXT_SORT_MAX_ROWS);
    let refusal: unknown;
    try {
      pager.page(input({ offset: 0, limit: 10, sort: { column: 'ResourceId', desc: false } }));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: 'too-many-rows', message: expect.stringContaining('200,000 rows') });

    const region = db.prepare('SELECT value FROM dict WHERE id = (SELECT "RegionId" FROM cost_usage LIMIT 1)').pluck().get() as string;
    const filters: Filter[] = [{ column: 'RegionId', values: [region] }];
    const where = 'WHERE r."RegionId" IN (?)';
    const params = [dictId(region)];
    const total = plainCount(where, params);
    expect(total).toBeLessThanOrEqual(TEXT_SORT_MAX_ROWS);
    for (const offset of [0, Math.floor(total / 3), total - 40]) {
      const page = pager.page(input({ filters, offset, limit: 80, sort: { column: 'ResourceId', desc: true } }));
      expect(page.total).toBe(total);
      expect(page.rows).toEqual(plainPage(where, params, '(SELECT value FROM dict WHERE id = r."ResourceId") DESC, r.rowid', offset, 80));
    }
  });

  it('explore.rows answers through ExploreQueries the same pages', () => {
    const q = new ExploreQueries(db);
    const page = q.rows(input({ offset: 4321, limit: 50 }));
    expect(page.rows).toEqual(plainPage('', [], 'r.rowid', 4321, 50));
  });

  it('weekly periods are ISO weeks labelled by their Monday, with exact sums', () => {
    const q = new ExploreQueries(db);
    const out = q.query({ groupBy: [], metric: 'BilledCost', granularity: 'week', filters: [] });
    const expected = db
      .prepare('SELECT day - ((day + 3) % 7) AS monday, sum("BilledCost") FROM cost_usage GROUP BY 1 ORDER BY 1')
      .raw()
      .safeIntegers(true)
      .all() as [bigint, bigint][];
    expect(out.rows.map((r) => r.period)).toEqual(expected.map(([d]) => isoDateTime(Number(d) * 86400).slice(0, 10)));
    for (const r of out.rows) expect(new Date(`${String(r.period)}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(out.rows.map((r) => r.value)).toEqual(expected.map(([, s]) => nanosToNumber(s)));
  });

  it('a restated period leaves a hole in a file: plans are rebuilt and positions still match plain SQL', async () => {
    const before = pager.page(input({ offset: 0, limit: 10 }));
    expect(before.total).toBe(ROWS);
    // January again for the same accounts: the big file loses its January rows, the new file's rows come last
    const restated = path.join(dir, 'focus-january.csv');
    await generateBenchCsv({ outPath: restated, rows: 3_000, seed: 12, days: 20 });
    const outcome = await runImport({ workspacePath: ws, files: [{ path: restated, name: 'focus-january.csv' }], mode: 'replace' });
    expect(outcome.status).toBe('done');
    if (outcome.status === 'done') expect(outcome.files[0]!.action).toBe('replaced-periods');

    const total = plainCount('', []);
    expect(total).toBeLessThan(ROWS);
    const bigFile = db.prepare("SELECT first_rowid AS a, last_rowid AS b, (SELECT sum(rows) FROM file_period WHERE file_id = import_file.id) AS n FROM import_file WHERE file_name = 'focus-big.csv'").get() as { a: number; b: number; n: number };
    expect(bigFile.b - bigFile.a + 1).toBeGreaterThan(bigFile.n); // the hole
    for (const offset of [0, 1, STRIDE + 3, Math.floor(total / 2), total - 3_100, total - 200, total - 1]) {
      const page = pager.page(input({ offset, limit: 200 }));
      if (offset === 0) expect(pager.lastPlanSource).toBe('ranges'); // rebuilt: the data changed
      expect(page.total).toBe(total);
      expect(page.rows).toEqual(plainPage('', [], 'r.rowid', offset, 200));
    }
    // two files now: SourceFile sorts by file name, then row
    for (const offset of [0, 2_990, total - 50]) {
      const page = pager.page(input({ offset, limit: 100, sort: { column: 'SourceFile', desc: true } }));
      expect(page.rows).toEqual(plainPage('', [], '(SELECT file_name FROM import_file WHERE id = r.file_id) DESC, r.row_no DESC, r.rowid', offset, 100));
    }
    expect(pager.page(input({ offset: 0, limit: 1, sort: { column: 'SourceFile', desc: true } })).rows[0]![0]).toBe('focus-january.csv');
    const q = pager.pageQuery(input({ offset: 50_000, limit: 200 }));
    expect(planDetails(q.sql, q.params)).not.toContain('USE TEMP B-TREE');
    expect(q.params[q.params.length - 1]).toBeLessThan(STRIDE);
  });

  it('measures: a deep page costs what the first page costs once the plan exists', () => {
    const time = (offset: number) => {
      const t: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        pager.page(input({ offset, limit: 200, filters: [{ column: 'ChargeCategory', values: ['Usage'] }] }));
        t.push(performance.now() - t0);
      }
      return t.sort((a, b) => a - b)[7]!;
    };
    const total = pager.page(input({ offset: 0, limit: 1, filters: [{ column: 'ChargeCategory', values: ['Usage'] }] })).total;
    const shallow = time(0);
    const deep = time(total - 200);
    // OFFSET read every row before the page; a seek reads the page
    const offsetMs = (() => {
      const t0 = performance.now();
      plainPage('WHERE r."ChargeCategory" = ?', [dictId('Usage')], 'r.rowid', total - 200, 200);
      return performance.now() - t0;
    })();
    const fresh = new RowPager(db);
    const s0 = performance.now();
    fresh.page(input({ offset: 0, limit: 200, sort: { column: 'BilledCost', desc: true } }));
    const sortMs = performance.now() - s0;
    const s1 = performance.now();
    fresh.page(input({ offset: total - 200, limit: 200, sort: { column: 'BilledCost', desc: true } }));
    const sortedDeepMs = performance.now() - s1;
    console.log(`rows paging, ${ROWS} rows by BilledCost: first sorted page (bounded sort) ${sortMs.toFixed(0)} ms, then a deep one (the whole order) ${sortedDeepMs.toFixed(0)} ms`);
    console.log(`rows paging, ${total} filtered rows: first page ${shallow.toFixed(2)} ms, last page ${deep.toFixed(2)} ms, plain OFFSET last page ${offsetMs.toFixed(2)} ms`);
    expect(deep).toBeLessThan(Math.max(shallow * 4, 15));
  });
});

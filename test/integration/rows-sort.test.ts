// The detail grid's sort (explore.rows with a sort) read page by page across the boundary between the bounded sort's
// prefix and the whole order built in memory: every page, in order, must equal SQLite's ORDER BY key, rowid over the
// same scope — no row repeated, none skipped. The workspace (two files, the first with a restated month cut out of
// it) is generated at test time, with money past 2^53 nano-units and text whose UTF-8 and UTF-16 orders differ.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filter } from '../../src-shared/api/contract';
import { RowsInputSchema } from '../../src-shared/api/contract';
import { RowPager } from '../../src-main/explore/rows';
import { dayFromIso } from '../../src-main/ingest/datetime';
import { runImport } from '../../src-main/ingest/import-runner';
import { openWorkspace, type Db } from '../../src-main/store/workspace';
import { generateBenchCsv } from '../bench/generate-focus';
import { editRow, splitCsvLine } from '../helpers/independent-csv';
import { tempDir } from '../helpers/temp';

const PREFIX = 500;
const PAGE = 170; // not a divisor of PREFIX: one page straddles the boundary
const ROWS = 6_000;

// BilledCost strings past 2^53 nano-units: 9007199254740993 and 9007199254740992 are one double apart in SQLite but
// the same double in JavaScript, as are …995 and …996; one value twice (a tie) and negatives too
const HUGE = ['9007199.254740993', '9007199.254740992', '9007199.254740995', '9007199.254740996', '9007199.254740993', '-9007199.254740993', '-9007199.254740992', '12345678.901234567'];
// U+FB00 sorts before U+1F600 in UTF-8 bytes (SQLite) but after it in UTF-16 code units (JavaScript's `<`)
const ODD_IDS = ['r-\uFB00', 'r-\u{1F600}', 'r-\u00E9', 'R-upper', 'r-\uFB00'];

let dir: string;
let db: Db;

const input = (o: Record<string, unknown>) => RowsInputSchema.parse(o);

beforeAll(async () => {
  dir = tempDir('meterbook-rows-sort-');
  const ws = path.join(dir, 'sort.meterbook');
  const big = path.join(dir, 'focus-big.csv');
  await generateBenchCsv({ outPath: big, rows: ROWS, seed: 21, days: 90 });
  const lines = fs.readFileSync(big, 'utf8').split('\n');
  const header = splitCsvLine(lines[0]!);
  const billed = header.indexOf('BilledCost');
  const resource = header.indexOf('ResourceId');
  expect(billed).toBeGreaterThanOrEqual(0);
  HUGE.forEach((v, i) => editRow(lines, 2_100 + i * 211, (f) => f.map((c, j) => (j === billed ? v : c))));
  ODD_IDS.forEach((v, i) => editRow(lines, 2_050 + i * 300, (f) => f.map((c, j) => (j === resource ? v : c))));
  fs.writeFileSync(big, lines.join('\n'));
  const first = await runImport({ workspacePath: ws, files: [{ path: big, name: 'focus-big.csv' }], mode: 'ask' });
  expect(first.status).toBe('done');
  // January again: the first file loses its January rows (a hole in its rowids), the new file's rows come last
  const january = path.join(dir, 'focus-january.csv');
  await generateBenchCsv({ outPath: january, rows: 600, seed: 22, days: 20 });
  const second = await runImport({ workspacePath: ws, files: [{ path: january, name: 'focus-january.csv' }], mode: 'replace' });
  expect(second.status).toBe('done');
  db = openWorkspace(ws);
}, 120_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The reference: each row's (file, row number), in SQLite's order. */
function reference(where: string, params: unknown[], order: string): [string, number][] {
  return db
    .prepare(`SELECT f.file_name, r.row_no FROM cost_usage r JOIN import_file f ON f.id = r.file_id ${where} ORDER BY ${order}, r.rowid`)
    .raw()
    .all(...params) as [string, number][];
}

/** Every page of a sorted scope, first to last, and the plan each page used. */
function readAll(pager: RowPager, scope: Record<string, unknown>): { rows: [string, number][]; sources: string[]; total: number } {
  const rows: [string, number][] = [];
  const sources: string[] = [];
  let total = Infinity;
  for (let offset = 0; offset < total; offset += PAGE) {
    const page = pager.page(input({ ...scope, offset, limit: PAGE }));
    total = page.total;
    sources.push(pager.lastPlanSource);
    for (const r of page.rows) rows.push([r[0] as string, r[1] as number]);
  }
  return { rows, sources, total };
}

function expectAcrossBoundary(scope: Record<string, unknown>, where: string, params: unknown[], order: string): void {
  const expected = reference(where, params, order);
  expect(expected.length).toBeGreaterThan(PREFIX + PAGE);
  const { rows, sources, total } = readAll(new RowPager(db, { prefixRows: PREFIX }), scope);
  expect(total).toBe(expected.length);
  expect(rows).toEqual(expected);
  // the first pages from the bounded sort, the page reaching past it builds the whole order, the rest reuse it
  const crossing = Math.floor(PREFIX / PAGE);
  expect(sources[0]).toBe('sorted-prefix');
  expect(sources.slice(1, crossing)).toEqual(Array(crossing - 1).fill('cached'));
  expect(sources[crossing]).toBe('sorted-full');
  expect(new Set(sources.slice(crossing + 1))).toEqual(new Set(['cached']));
}

describe('explore.rows sorted across the prefix and the whole order', () => {
  it('the workspace holds the edge cases the test is about', () => {
    expect(db.prepare('SELECT count(*) FROM cost_usage WHERE abs("BilledCost") > 9007199254740991').pluck().get()).toBe(HUGE.length);
    const ids = db.prepare('SELECT DISTINCT d.value FROM cost_usage r JOIN dict d ON d.id = r."ResourceId" WHERE d.value IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ODD_IDS));
    expect(new Set(ids)).toEqual(new Set(ODD_IDS));
    const files = db.prepare('SELECT file_name, last_rowid - first_rowid + 1 AS span, (SELECT sum(rows) FROM file_period p WHERE p.file_id = f.id) AS n FROM import_file f ORDER BY id').all() as { span: number; n: number }[];
    expect(files).toHaveLength(2);
    expect(files[0]!.span).toBeGreaterThan(files[0]!.n); // the restated month left a hole
  });

  it('money, largest and smallest first, exact past 2^53', () => {
    expectAcrossBoundary({ sort: { column: 'BilledCost', desc: true }, filters: [] }, '', [], 'r."BilledCost" DESC');
    expectAcrossBoundary({ sort: { column: 'BilledCost', desc: false }, filters: [] }, '', [], 'r."BilledCost" ASC');
  });

  it('dates (many ties, broken by rowid), a REAL quantity, source file and row', () => {
    expectAcrossBoundary({ sort: { column: 'ChargePeriodStart', desc: false }, filters: [] }, '', [], 'r."ChargePeriodStart" ASC');
    expectAcrossBoundary({ sort: { column: 'ConsumedQuantity', desc: true }, filters: [] }, '', [], 'r."ConsumedQuantity" DESC');
    expectAcrossBoundary(
      { sort: { column: 'SourceFile', desc: true }, filters: [] },
      '',
      [],
      '(SELECT file_name FROM import_file WHERE id = r.file_id) DESC, r.row_no DESC',
    );
    expectAcrossBoundary({ sort: { column: 'SourceRow', desc: false }, filters: [] }, '', [], 'r.row_no ASC');
  });

  it('text by its bytes, as SQLite compares it, NULLs first ascending and last descending', () => {
    const byId = '(SELECT value FROM dict WHERE id = r."ResourceId")';
    expectAcrossBoundary({ sort: { column: 'ResourceId', desc: false }, filters: [] }, '', [], `${byId} ASC`);
    expectAcrossBoundary({ sort: { column: 'CommitmentDiscountId', desc: true }, filters: [] }, '', [], '(SELECT value FROM dict WHERE id = r."CommitmentDiscountId") DESC');
    const resources = reference('', [], `${byId} ASC`);
    expect(resources.length).toBe(Number(db.prepare('SELECT count(*) FROM cost_usage').pluck().get()));
  });

  it('a date range and filters (one of them on an indexed column)', () => {
    const from = '2025-02-01';
    const to = '2025-03-31';
    expectAcrossBoundary(
      { from, to, sort: { column: 'BilledCost', desc: true }, filters: [] },
      'WHERE r.day >= ? AND r.day <= ?',
      [dayFromIso(from), dayFromIso(to)],
      'r."BilledCost" DESC',
    );
    const subs = db.prepare('SELECT "SubAccountId", count(*) AS n FROM cost_usage GROUP BY 1 ORDER BY n DESC LIMIT 40').raw().all() as [number, number][];
    const values = subs.map(([id]) => db.prepare('SELECT value FROM dict WHERE id = ?').pluck().get(id) as string);
    const filters: Filter[] = [{ column: 'SubAccountId', values }];
    expectAcrossBoundary(
      { filters, sort: { column: 'EffectiveCost', desc: false } },
      `WHERE r."SubAccountId" IN (${subs.map(([id]) => id).join(',')})`,
      [],
      'r."EffectiveCost" ASC',
    );
  });

  it('a deep first page sorts the whole scope at once; a small scope is whole after the bounded sort', () => {
    const pager = new RowPager(db, { prefixRows: PREFIX });
    const expected = reference('', [], 'r."BilledCost" DESC');
    const offset = expected.length - 60;
    const page = pager.page(input({ offset, limit: 100, sort: { column: 'BilledCost', desc: true } }));
    expect(pager.lastPlanSource).toBe('sorted-full');
    expect(page.rows.map((r) => [r[0], r[1]])).toEqual(expected.slice(offset));

    const filters: Filter[] = [{ column: 'ServiceName', values: [db.prepare('SELECT value FROM dict WHERE id = (SELECT "ServiceName" FROM cost_usage GROUP BY 1 ORDER BY count(*) LIMIT 1)').pluck().get() as string] }];
    const small = pager.page(input({ filters, offset: 0, limit: 100, sort: { column: 'BilledCost', desc: false } }));
    expect(small.total).toBeLessThan(PREFIX);
    expect(pager.lastPlanSource).toBe('sorted-full');
  });
});

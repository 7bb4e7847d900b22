// FOCUS files in Parquet and JSON: the same rows as the CSV sample, written by DuckDB (a reader we do not share code
// with) and by JSON.stringify, must import to the same totals, row for row.
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExploreQueries } from '../../src-main/explore/query';
import { runImport } from '../../src-main/ingest/import-runner';
import { openWorkspace } from '../../src-main/store/workspace';
import { decimalSum, expectMoneyMatches, readCsvRecords } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';

let dir: string;
let parquet: string;
beforeAll(async () => {
  dir = tempDir();
  parquet = path.join(dir, 'sample.parquet');
  const duck = await DuckDBInstance.create(':memory:');
  const c = await duck.connect();
  // all columns as text, as in the CSV, plus typed money and time columns the way exporters write them
  await c.run(
    `COPY (SELECT * REPLACE (CAST(BilledCost AS DOUBLE) AS BilledCost, CAST(EffectiveCost AS DECIMAL(18, 10)) AS EffectiveCost,
       CAST(ChargePeriodStart AS TIMESTAMP) AS ChargePeriodStart)
     FROM read_csv('${SAMPLE_1000}', all_varchar = true, nullstr = 'NULL'))
     TO '${parquet}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 300)`,
  );
  c.closeSync();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function totals(ws: string) {
  const db = openWorkspace(ws);
  try {
    return new ExploreQueries(db).kpis({ filters: [] });
  } finally {
    db.close();
  }
}

describe('FOCUS Parquet and JSON import', () => {
  const records = readCsvRecords(SAMPLE_1000);

  it('imports a zstd Parquet file row group by row group to the CSV totals', async () => {
    const ws = path.join(dir, 'parquet.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: parquet, name: 'sample.parquet' }], mode: 'ask' });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files[0]).toMatchObject({ format: 'focus-parquet', dataset: 'CostAndUsage', rows: 1000, action: 'imported' });
    const t = totals(ws);
    expect(t.rows).toBe(1000);
    expectMoneyMatches(t.billed, decimalSum(records, 'BilledCost'), 1000);
    expectMoneyMatches(t.effective, decimalSum(records, 'EffectiveCost'), 1000);
    expectMoneyMatches(t.list, decimalSum(records, 'ListCost'), 1000);
    // the timestamp column came back as FOCUS date/times: same days as the CSV import
    const db = new Database(ws, { readonly: true });
    const days = db.prepare('SELECT min(day), max(day) FROM cost_usage').raw().get();
    db.close();
    const csvWs = path.join(dir, 'csv.meterbook');
    await runImport({ workspacePath: csvWs, files: [{ path: SAMPLE_1000, name: 'sample.csv' }], mode: 'ask' });
    const db2 = new Database(csvWs, { readonly: true });
    expect(db2.prepare('SELECT min(day), max(day) FROM cost_usage').raw().get()).toEqual(days);
    db2.close();
  });

  it('imports FOCUS rows as JSON lines, gzipped, to the CSV totals', async () => {
    const jsonl = path.join(dir, 'sample.jsonl.gz');
    const lines = records.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== 'NULL'))));
    fs.writeFileSync(jsonl, zlib.gzipSync(lines.join('\n')));
    const ws = path.join(dir, 'jsonl.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: jsonl, name: 'sample.jsonl.gz' }], mode: 'ask' });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files[0]).toMatchObject({ format: 'focus-json', rows: 1000 });
    const t = totals(ws);
    expectMoneyMatches(t.billed, decimalSum(records, 'BilledCost'), 1000);
    expectMoneyMatches(t.effective, decimalSum(records, 'EffectiveCost'), 1000);
  });

  it('refuses a corrupt Parquet file with its name and changes nothing', async () => {
    const bad = path.join(dir, 'bad.parquet');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100, 7), Buffer.from('PAR1')]));
    const ws = path.join(dir, 'bad.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: bad, name: 'bad.parquet' }], mode: 'ask' });
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error.message).toMatch(/^bad\.parquet: not a readable Parquet file/);
  });
});

describe('Parquet nested columns', () => {
  it('flattens structs to dotted columns and renders maps and lists as JSON text', async () => {
    const { openTable } = await import('../../src-main/ingest/tabular/table-source');
    const file = path.join(dir, 'nested.parquet');
    const duck = await DuckDBInstance.create(':memory:');
    const c = await duck.connect();
    await c.run(`COPY (SELECT 1.25::DECIMAL(12, 4) AS cost,
        {'amount': 3.5, 'unit': 'hours'} AS usage,
        MAP {'user_team': 'search', 'env': 'prod'} AS resource_tags,
        [{'type': 'PROMOTION', 'amount': -0.25}] AS credits,
        TIMESTAMP '2024-03-01 10:00:00' AS t)
      TO '${file}' (FORMAT parquet)`);
    c.closeSync();
    const t = await openTable(file, 'nested.parquet');
    expect(t.container).toBe('parquet');
    expect(t.header).toEqual(['cost', 'usage.amount', 'usage.unit', 'resource_tags', 'credits', 't']);
    const row = t.sample[0]!;
    expect(row[0]).toBe('1.25');
    expect(row[1]).toBe('3.5');
    expect(row[2]).toBe('hours');
    expect(JSON.parse(row[3]!)).toEqual({ user_team: 'search', env: 'prod' });
    expect(JSON.parse(row[4]!)).toEqual([{ type: 'PROMOTION', amount: -0.25 }]);
    expect(row[5]).toBe('2024-03-01T10:00:00Z');
  });
});

// explore.export: a CSV export re-imports to the same totals; a Parquet export read by DuckDB (a reader we share no
// code with) has the workspace's totals per billing period, computed independently from the source CSV with big.js.
import { DuckDBInstance } from '@duckdb/node-api';
import Big from 'big.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { FOCUS_EXPORT_COLUMNS } from '../../src-main/explore/export-rows';
import { ExploreQueries } from '../../src-main/explore/query';
import { runImport } from '../../src-main/ingest/import-runner';
import { openWorkspace } from '../../src-main/store/workspace';
import { cents, decimalSum, expectMoneyMatches, readCsvRecords } from '../helpers/independent-csv';
import { FIXTURES, SAMPLE_1000, tempDir } from '../helpers/temp';

let dir: string;
let ws: string;
let engine: Engine;
const records = readCsvRecords(SAMPLE_1000);

async function importInto(workspace: string, file: string): Promise<void> {
  const outcome = await runImport({ workspacePath: workspace, files: [{ path: file, name: path.basename(file) }], mode: 'ask' });
  if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
}

function kpis(workspace: string, scope: { from?: string; to?: string; filters: { column: string; values: string[] }[] } = { filters: [] }) {
  const db = openWorkspace(workspace);
  try {
    return new ExploreQueries(db).kpis(scope);
  } finally {
    db.close();
  }
}

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const duck = await DuckDBInstance.create(':memory:');
  const c = await duck.connect();
  try {
    const reader = await c.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

beforeAll(async () => {
  dir = tempDir();
  ws = path.join(dir, 'source.meterbook');
  await importInto(ws, SAMPLE_1000);
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
}, 60_000);
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('explore.export', () => {
  it('CSV export re-imports into a new workspace with identical totals and row count', async () => {
    const out = path.join(dir, 'all.csv');
    const res = await engine.invoke('explore.export', { format: 'csv', path: out });
    expect(res).toMatchObject({ path: out, files: [out], rows: 1000 });
    expect(res.bytes).toBe(fs.statSync(out).size);
    const header = fs.readFileSync(out, 'utf8').split('\n', 1)[0]!.split(',');
    // every stored FOCUS column in catalog order, then the columns the import kept in extras
    expect(header.slice(0, FOCUS_EXPORT_COLUMNS.length)).toEqual(FOCUS_EXPORT_COLUMNS.map((c) => c.name));
    expect(fs.readdirSync(dir).filter((f) => f.includes('.export-'))).toEqual([]); // no temp file left
    const ws2 = path.join(dir, 'reimport.meterbook');
    await importInto(ws2, out);
    const a = kpis(ws);
    const b = kpis(ws2);
    expect(b.rows).toBe(1000);
    for (const k of ['billed', 'effective', 'list', 'contracted'] as const) expect(b[k]).toBe(a[k]);
    expectMoneyMatches(b.billed, decimalSum(records, 'BilledCost'), 1000);
    expectMoneyMatches(b.effective, decimalSum(records, 'EffectiveCost'), 1000);
    expectMoneyMatches(b.list, decimalSum(records, 'ListCost'), 1000);
  }, 60_000);

  it('a vendor bill exports to CSV (x_ columns kept) and re-imports to the same totals', async () => {
    const vws = path.join(dir, 'vendor.meterbook');
    await importInto(vws, path.join(FIXTURES, 'vendors', 'aws', 'cur2-handmade.csv'));
    const e2 = await createEngine({ host: 'test', dataDir: path.join(dir, 'data2'), workspacePath: vws });
    try {
      const out = path.join(dir, 'vendor.csv');
      const res = await e2.invoke('explore.export', { format: 'csv', path: out });
      const ws2 = path.join(dir, 'vendor-reimport.meterbook');
      await importInto(ws2, out);
      const a = kpis(vws);
      const b = kpis(ws2);
      expect(b.rows).toBe(res.rows);
      expect(b.rows).toBe(a.rows);
      for (const k of ['billed', 'effective', 'list', 'contracted'] as const) expect(b[k]).toBe(a[k]);
    } finally {
      await e2.close();
    }
  }, 60_000);

  it('Parquet export read by DuckDB with hive partitioning has the totals per billing period to the cent', async () => {
    const out = path.join(dir, 'parquet');
    const res = await engine.invoke('explore.export', { format: 'parquet', path: out });
    expect(res.rows).toBe(1000);
    expect(res.files.every((f) => /BillingPeriod=\d{4}-\d{2}[/\\]part-00000\.parquet$/.test(f) && fs.existsSync(f))).toBe(true);
    const rows = await duckRows(
      `SELECT BillingPeriod::VARCHAR AS period, count(*)::INTEGER AS n, sum(BilledCost)::VARCHAR AS billed, sum(EffectiveCost)::VARCHAR AS effective,
         sum(ListCost)::VARCHAR AS list, typeof(any_value(BilledCost)) AS money_type, typeof(any_value(ChargePeriodStart)) AS time_type,
         min(ChargePeriodStart)::VARCHAR AS first
       FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    // expected: the source CSV grouped by the month of BillingPeriodStart, summed exactly
    const expected = new Map<string, { n: number; billed: Big; effective: Big; list: Big }>();
    for (const r of records) {
      const p = r.BillingPeriodStart!.slice(0, 7);
      const e = expected.get(p) ?? { n: 0, billed: new Big(0), effective: new Big(0), list: new Big(0) };
      e.n++;
      const add = (v: string | undefined) => (v && v.toLowerCase() !== 'null' ? new Big(v) : new Big(0));
      e.billed = e.billed.plus(add(r.BilledCost));
      e.effective = e.effective.plus(add(r.EffectiveCost));
      e.list = e.list.plus(add(r.ListCost));
      expected.set(p, e);
    }
    expect(rows.map((r) => r.period)).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      const e = expected.get(r.period as string)!;
      expect(r.n).toBe(e.n);
      expect(r.money_type).toBe('DECIMAL(38,9)');
      expect(r.time_type).toBe('TIMESTAMP WITH TIME ZONE');
      expect(cents(new Big(r.billed as string))).toBe(cents(e.billed));
      expect(cents(new Big(r.effective as string))).toBe(cents(e.effective));
      expect(cents(new Big(r.list as string))).toBe(cents(e.list));
    }
    // and equal to the workspace's own totals, to the nano
    const total = rows.reduce((s, r) => s.plus(new Big(r.billed as string)), new Big(0));
    expect(Number(total.toFixed(9))).toBe(kpis(ws).billed);
  }, 60_000);

  it('a filtered export (date range and ServiceName) contains exactly the matching rows', async () => {
    const days = records.map((r) => r.ChargePeriodStart!.slice(0, 10)).sort();
    const from = days[Math.floor(days.length / 4)]!;
    const to = days[Math.floor((3 * days.length) / 4)]!;
    const service = records.find((r) => r.ChargePeriodStart!.slice(0, 10) >= from && r.ChargePeriodStart!.slice(0, 10) <= to)!.ServiceName!;
    const match = (r: Record<string, string>) => r.ServiceName === service && r.ChargePeriodStart!.slice(0, 10) >= from && r.ChargePeriodStart!.slice(0, 10) <= to;
    const n = records.filter(match).length;
    expect(n).toBeGreaterThan(0);
    const filters = [{ column: 'ServiceName', values: [service] }];
    const csv = path.join(dir, 'filtered.csv');
    const res = await engine.invoke('explore.export', { format: 'csv', path: csv, from, to, filters });
    expect(res.rows).toBe(n);
    const exported = readCsvRecords(csv);
    expect(exported).toHaveLength(n);
    expect(exported.every((r) => r.ServiceName === service)).toBe(true);
    expect(cents(decimalSum(exported, 'BilledCost'))).toBe(cents(decimalSum(records, 'BilledCost', match)));
    const pq = path.join(dir, 'filtered-parquet');
    const pres = await engine.invoke('explore.export', { format: 'parquet', path: pq, from, to, filters });
    expect(pres.rows).toBe(n);
    const [row] = await duckRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT ServiceName)::INTEGER AS services, sum(BilledCost)::VARCHAR AS billed
       FROM read_parquet('${pq}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(row).toMatchObject({ n, services: 1 });
    expect(cents(new Big(row!.billed as string))).toBe(cents(decimalSum(records, 'BilledCost', match)));
  }, 60_000);

  it('grouped export writes exact totals per currency and group', async () => {
    const out = path.join(dir, 'grouped.csv');
    const res = await engine.invoke('explore.export', { format: 'csv', path: out, groupBy: ['ServiceName'] });
    const grouped = readCsvRecords(out);
    expect(grouped).toHaveLength(res.rows);
    expect(Object.keys(grouped[0]!)).toEqual(['BillingCurrency', 'ServiceName', 'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'Rows']);
    expect(grouped.reduce((s, r) => s + Number(r.Rows), 0)).toBe(1000);
    expect(cents(decimalSum(grouped, 'BilledCost'))).toBe(cents(decimalSum(records, 'BilledCost')));
    await expect(engine.invoke('explore.export', { format: 'parquet', path: path.join(dir, 'gp'), groupBy: ['ServiceName'] })).rejects.toMatchObject({ code: 'bad-input' });
  }, 60_000);

  it('refuses to overwrite an existing file or non-empty folder unless overwrite is set', async () => {
    const file = path.join(dir, 'exists.csv');
    fs.writeFileSync(file, 'keep me');
    await expect(engine.invoke('explore.export', { format: 'csv', path: file })).rejects.toMatchObject({ code: 'exists' });
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    const folder = path.join(dir, 'busy');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'other.txt'), 'x');
    await expect(engine.invoke('explore.export', { format: 'parquet', path: folder })).rejects.toMatchObject({ code: 'exists' });
    expect(fs.readdirSync(folder)).toEqual(['other.txt']);
    // an empty folder is fine, and overwrite replaces
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect((await engine.invoke('explore.export', { format: 'parquet', path: empty })).rows).toBe(1000);
    const again = await engine.invoke('explore.export', { format: 'csv', path: file, overwrite: true });
    expect(again.rows).toBe(1000);
    expect(fs.readFileSync(file, 'utf8').startsWith('keep me')).toBe(false);
    await engine.invoke('explore.export', { format: 'parquet', path: folder, overwrite: true });
    expect(fs.existsSync(path.join(folder, 'other.txt'))).toBe(false);
  }, 60_000);

  it('meterbook export --json writes the filtered rows and refuses an existing file (exit 1)', () => {
    const root = path.resolve(__dirname, '../..');
    const env = { ...process.env, MB_DATA_DIR: path.join(dir, 'cli-data') };
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'meterbook.js'), ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    const out = path.join(dir, 'cli-export.csv');
    const service = records[0]!.ServiceName!;
    const r = run('export', '--workspace', ws, '--format', 'csv', '--out', out, '--filter', `ServiceName=${service}`, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const res = JSON.parse(r.stdout) as { rows: number; files: string[] };
    expect(res.rows).toBe(records.filter((x) => x.ServiceName === service).length);
    expect(res.files).toEqual([out]);
    const again = run('export', '--workspace', ws, '--format', 'csv', '--out', out);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(run('export', '--workspace', ws, '--format', 'xlsx', '--out', out).status).toBe(2);
  }, 120_000);
});

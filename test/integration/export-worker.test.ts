// explore.export in its own worker on a workspace of 300,000 generated rows: progress events, the Parquet read back by
// DuckDB equal to the workspace's own totals per billing period to the cent, cancel leaving nothing on disk, and
// queries answering while an export writes.
import { DuckDBInstance } from '@duckdb/node-api';
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { formatNanos } from '../../src-main/ingest/decimal';
import { runImport } from '../../src-main/ingest/import-runner';
import type { EventPayload } from '../../src-shared/api/contract';
import { generateBenchCsv, type BenchResult } from '../bench/generate-focus';
import { cents } from '../helpers/independent-csv';
import { tempDir } from '../helpers/temp';

const ROWS = 300_000;

let dir: string;
let engine: Engine;
let gen: BenchResult;
const progress: EventPayload<'export.progress'>[] = [];

beforeAll(async () => {
  dir = tempDir();
  const csv = path.join(dir, 'bench.csv');
  gen = await generateBenchCsv({ outPath: csv, rows: ROWS, seed: 7, days: 120 });
  const ws = path.join(dir, 'large.meterbook');
  const outcome = await runImport({ workspacePath: ws, files: [{ path: csv, name: 'bench.csv' }], mode: 'ask' });
  if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
  fs.rmSync(csv);
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
  engine.subscribe((event, payload) => {
    if (event === 'export.progress') progress.push(payload as EventPayload<'export.progress'>);
  });
}, 240_000);

afterAll(async () => {
  await engine?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const duck = await DuckDBInstance.create(':memory:');
  const c = await duck.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}

/** Everything in a folder, temp files included (they start with a dot). */
function listAll(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true }).map(String).sort();
}

describe('explore.export in its own worker', () => {
  it('Parquet read back by DuckDB has the workspace totals per billing period and its row count, with progress on the way', async () => {
    const out = path.join(dir, 'out', 'parquet');
    progress.length = 0;
    const res = await engine.invoke('explore.export', { format: 'parquet', path: out, exportId: 'pq-1' });
    expect(res.rows).toBe(ROWS);

    const mine = progress.filter((p) => p.exportId === 'pq-1');
    expect(mine.length).toBeGreaterThan(2);
    expect(mine.every((p) => p.totalRows === ROWS)).toBe(true);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i]!.rows).toBeGreaterThanOrEqual(mine[i - 1]!.rows);
      expect(mine[i]!.bytes).toBeGreaterThanOrEqual(mine[i - 1]!.bytes);
    }
    expect(mine.at(-1)).toMatchObject({ rows: ROWS, bytes: res.bytes });

    const duck = await duckRows(
      `SELECT BillingPeriod::VARCHAR AS period, count(*)::INTEGER AS n, sum(BilledCost)::VARCHAR AS billed
       FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    // the workspace's own figures: BilledCost and rows per billing period
    const billed = await engine.invoke('explore.query', { groupBy: ['BillingPeriodStart'], metric: 'BilledCost' });
    const byPeriod = new Map(billed.rows.map((r) => [String(r.BillingPeriodStart).slice(0, 7), r.value as number]));
    expect(duck.map((r) => r.period)).toEqual([...byPeriod.keys()].sort());
    for (const r of duck) expect(cents(new Big(r.billed as string)), String(r.period)).toBe(cents(new Big(byPeriod.get(r.period as string)!)));
    expect(duck.reduce((s, r) => s + (r.n as number), 0)).toBe((await engine.invoke('explore.kpis', { filters: [] })).rows);
    // and to the nano, the generator's own total
    expect(duck.reduce((s, r) => s.plus(new Big(r.billed as string)), new Big(0)).toFixed(9)).toBe(new Big(formatNanos(gen.billedNanos)).toFixed(9));
  }, 180_000);

  it('a cancelled export leaves no file behind, and queries answer while it runs', async () => {
    for (const format of ['csv', 'parquet'] as const) {
      const folder = path.join(dir, `cancel-${format}`);
      fs.mkdirSync(folder);
      const target = path.join(folder, format === 'csv' ? 'all.csv' : 'all');
      const exportId = `cancel-${format}`;
      progress.length = 0;
      const running = engine.invoke('explore.export', { format, path: target, exportId });
      const outcome = running.then(
        () => 'finished',
        (e: { code?: string }) => e.code,
      );
      // wait until it has written a few pages
      const t0 = Date.now();
      while (!progress.some((p) => p.exportId === exportId && p.rows >= 30_000)) {
        if (Date.now() - t0 > 60_000) throw new Error('no progress from the export');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(listAll(folder).length).toBeGreaterThan(0); // the temp file exists
      // a query during the export: answered from the other worker, while the export is still writing
      const q0 = performance.now();
      const kpis = await engine.invoke('explore.kpis', { filters: [] });
      const queryMs = performance.now() - q0;
      expect(kpis.rows).toBe(ROWS);
      const rows = await engine.invoke('explore.rows', { limit: 5, filters: [] });
      expect(rows.rows).toHaveLength(5);
      expect(queryMs).toBeLessThan(2000);
      const seen = progress.filter((p) => p.exportId === exportId).at(-1)!.rows;
      expect(seen).toBeLessThan(ROWS); // still running when the queries answered

      expect(await engine.invoke('export.cancel', { exportId })).toEqual({ cancelled: true });
      expect(await outcome).toBe('cancelled');
      expect(listAll(folder)).toEqual([]);
      expect(fs.existsSync(target)).toBe(false);
      // cancelling again: nothing is running under that id
      expect(await engine.invoke('export.cancel', { exportId })).toEqual({ cancelled: false });
    }
  }, 180_000);

  it('a failed export leaves nothing either, and says why', async () => {
    const folder = path.join(dir, 'fail');
    fs.mkdirSync(folder);
    // a Parquet export of a grouping is refused before anything is written
    await expect(engine.invoke('explore.export', { format: 'parquet', path: path.join(folder, 'g'), groupBy: ['ServiceName'] })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(engine.invoke('explore.export', { format: 'csv', path: path.join(folder, 'x.csv'), filters: [{ column: 'NoSuchColumn', values: ['a'] }] })).rejects.toMatchObject({
      code: 'bad-input',
    });
    expect(listAll(folder)).toEqual([]);
  }, 60_000);

  it('export.target suggests a new path in Downloads; the desktop-only calls say they are not available here', async () => {
    const t = await engine.invoke('export.target', { format: 'csv' });
    expect(t).toMatchObject({ canPick: false, canReveal: false });
    expect(t.path).toMatch(/meterbook-large-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(fs.existsSync(t.path)).toBe(false);
    const p = await engine.invoke('export.target', { format: 'parquet', name: 'Acme Cloud / EU' });
    expect(path.basename(p.path)).toMatch(/^meterbook-acme-cloud-eu-\d{4}-\d{2}-\d{2}-parquet$/);
    await expect(engine.invoke('export.pickPath', { format: 'csv' })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(engine.invoke('export.reveal', { path: dir })).rejects.toMatchObject({ code: 'unsupported' });
  });
});

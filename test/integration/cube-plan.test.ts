// Questions planned onto the cubes answer exactly what raw rows answer: scanned in memory, and through SQL over the
// cube tables while the cubes are not loaded.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filter, QueryInput } from '../../src-shared/api/contract';
import { ExploreQueries } from '../../src-main/explore/query';
import { runImport } from '../../src-main/ingest/import-runner';
import { openWorkspace, type Db } from '../../src-main/store/workspace';
import { generateBenchCsv, type BenchResult } from '../bench/generate-focus';
import { tempDir } from '../helpers/temp';

let dir: string;
let ws: string;
let gen: BenchResult;
let db: Db;

beforeAll(async () => {
  dir = tempDir();
  const csv = path.join(dir, 'bench.csv');
  // 120 days from 2025-01-01: January to April, whole months
  gen = await generateBenchCsv({ outPath: csv, rows: 30_000, seed: 7, days: 120 });
  ws = path.join(dir, 'w.meterbook');
  const outcome = await runImport({ workspacePath: ws, files: [{ path: csv, name: 'bench.csv' }], mode: 'ask' });
  expect(outcome.status).toBe('done');
  db = openWorkspace(ws);
}, 120_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A filter that keeps every row but names a column no cube has: the plan falls to raw rows. */
const RAW: Filter = { column: 'PricingUnit', values: ['__none__'], exclude: true };

function sorted(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

describe('cube plans', () => {
  const cases = (): { name: string; input: QueryInput; cube: string }[] => {
    const sub = gen.subAccountIds[0]!;
    const tag = `Tags.${gen.tagValue.key}`;
    // a sub account with rows carrying the tag value in February and March
    const tagged = new ExploreQueries(db).query({
      groupBy: ['SubAccountId'],
      metric: 'BilledCost',
      from: '2025-02-01',
      to: '2025-03-31',
      filters: [{ column: tag, values: [gen.tagValue.value] }, RAW],
    } as never);
    const subTagged = tagged.rows[0]!['SubAccountId'] as string;
    return [
      { name: 'two levels over core columns', input: { groupBy: ['ServiceName', 'RegionId'], metric: 'BilledCost' }, cube: 'cube_day' },
      {
        name: 'daily, filtered by region, excluding a service',
        input: {
          groupBy: ['ServiceName'],
          granularity: 'day',
          from: '2025-02-10',
          to: '2025-03-20',
          metric: 'EffectiveCost',
          filters: [
            { column: 'RegionId', values: ['us-east-1', 'eastus', 'europe-west1'] },
            { column: 'ServiceCategory', values: ['Storage'], exclude: true },
          ],
        },
        cube: 'cube_day',
      },
      { name: 'sub account filter, monthly', input: { groupBy: ['ServiceName'], granularity: 'month', metric: 'BilledCost', filters: [{ column: 'SubAccountId', values: [sub] }] }, cube: 'cube_month' },
      {
        name: 'sub account + tag value, whole months',
        input: { groupBy: ['RegionId'], from: '2025-02-01', to: '2025-03-31', metric: 'ListCost', filters: [{ column: 'SubAccountId', values: [subTagged] }, { column: tag, values: [gen.tagValue.value] }] },
        cube: 'cube_month',
      },
      { name: 'group by tag key and sub account', input: { groupBy: [tag, 'SubAccountId'], metric: 'ContractedCost', top: 20 }, cube: 'cube_month' },
      { name: 'untagged rows (tag = null), excluded service', input: { groupBy: ['ServiceName'], metric: 'BilledCost', filters: [{ column: tag, values: [null] }, { column: 'ServiceName', values: ['Amazon S3'], exclude: true }] }, cube: 'cube_month' },
      { name: 'tag value excluded, three levels', input: { groupBy: ['ServiceProviderName', tag, 'ChargeCategory'], granularity: 'month', metric: 'EffectiveCost', filters: [{ column: tag, values: [gen.tagValue.value], exclude: true }] }, cube: 'cube_month' },
    ];
  };

  it('answer like raw rows through SQL over the cube tables, then from memory', () => {
    const q = new ExploreQueries(db);
    for (const c of cases()) {
      const raw = q.query({ ...c.input, filters: [...(c.input.filters ?? []), RAW] } as never);
      expect(raw.source, c.name).toBe('cost_usage');
      expect(raw.rows.length, c.name).toBeGreaterThan(0);
      const viaSql = q.query({ filters: [], ...c.input } as never);
      expect(viaSql.source, c.name).toBe(`${c.cube} (sql)`);
      expect(sorted(viaSql.rows), c.name).toEqual(sorted(raw.rows));
      expect(viaSql.total, c.name).toBe(raw.total);
    }
    q.cubes.cache.loadAllNow();
    for (const c of cases()) {
      const raw = q.query({ ...c.input, filters: [...(c.input.filters ?? []), RAW] } as never);
      const mem = q.query({ filters: [], ...c.input } as never);
      expect(mem.source, c.name).toBe(c.cube);
      expect(sorted(mem.rows), c.name).toEqual(sorted(raw.rows));
      expect(mem.total, c.name).toBe(raw.total);
    }
  });

  it('KPIs of a filtered scope from the month cube equal raw rows', () => {
    const q = new ExploreQueries(db);
    q.cubes.cache.loadAllNow();
    const filters: Filter[] = [{ column: 'SubAccountId', values: gen.subAccountIds.slice(0, 3) }];
    const fromCube = q.kpis({ filters });
    const fromRows = q.kpis({ filters: [...filters, RAW] });
    expect(fromCube).toEqual(fromRows);
    expect(fromCube.rows).toBeGreaterThan(0);
  });

  it('goes to raw rows for mid-month ranges with sub account filters, and to the month cube when the range passes the data', () => {
    const q = new ExploreQueries(db);
    const sub = { column: 'SubAccountId', values: [gen.subAccountIds[1]!] };
    expect(q.query({ groupBy: ['ServiceName'], metric: 'BilledCost', from: '2025-02-03', to: '2025-03-31', filters: [sub] }).source).toBe('cost_usage');
    expect(q.query({ groupBy: ['ServiceName'], metric: 'BilledCost', from: '2024-12-15', to: '2025-06-30', filters: [sub] }).source).toMatch(/^cube_month/);
  });

  it('drops cubes held in memory when an import changes them', async () => {
    const q = new ExploreQueries(db);
    q.cubes.cache.loadAllNow();
    const input: QueryInput = { groupBy: ['ServiceName', 'RegionId'], metric: 'BilledCost', filters: [] };
    const before = q.query(input as never);
    expect(before.source).toBe('cube_day');
    const extra = path.join(dir, 'extra.csv');
    await generateBenchCsv({ outPath: extra, rows: 2_000, seed: 99, days: 120 });
    const outcome = await runImport({ workspacePath: ws, files: [{ path: extra, name: 'extra.csv' }], mode: 'append' });
    expect(outcome.status).toBe('done');
    const after = q.query(input as never);
    // reloaded in the background: SQL over the cube table meanwhile
    expect(after.source).toBe('cube_day (sql)');
    expect(after.total).toBeGreaterThan(before.total);
    const raw = q.query({ ...input, filters: [RAW] } as never);
    expect(after.total).toBe(raw.total);
  });
});

describe('cube cells past 2^53 nanos', () => {
  it('are answered exactly through SQL, not from doubles', async () => {
    const d = tempDir();
    try {
      const header = 'BilledCost,EffectiveCost,ListCost,ContractedCost,BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,InvoiceIssuerName,ServiceProviderName,ServiceName,RegionId,SubAccountId';
      const line = (cost: string, day: string, region: string) =>
        `${cost},${cost},${cost},${cost},a1,USD,2026-09-01T00:00:00Z,2026-10-01T00:00:00Z,Usage,2026-09-${day}T00:00:00Z,2026-09-${day}T01:00:00Z,Big Cloud,Big Cloud,Compute,${region},s1`;
      // one day's cell holds 9,500,000.000000001 (9.5e15 nanos, past 2^53) and a cent
      const csv = [header, line('9000000.000000001', '03', 'r1'), line('500000', '03', 'r1'), line('0.01', '04', 'r2')].join('\n');
      const file = path.join(d, 'big.csv');
      fs.writeFileSync(file, csv);
      const w = path.join(d, 'big.meterbook');
      expect((await runImport({ workspacePath: w, files: [{ path: file, name: 'big.csv' }], mode: 'ask' })).status).toBe('done');
      const bigDb = openWorkspace(w);
      try {
        const q = new ExploreQueries(bigDb);
        q.cubes.cache.loadAllNow();
        const out = q.query({ groupBy: ['ServiceName', 'RegionId'], metric: 'BilledCost', filters: [], granularity: 'day' } as never);
        expect(out.source).toBe('cube_day (sql)');
        const cell = bigDb.prepare("SELECT billed FROM cube_day WHERE day = (SELECT min(day) FROM cube_day)").pluck().safeIntegers(true).get();
        expect(cell).toBe(9_500_000_000_000_001n);
        expect(out.rows.map((r) => r['RegionId'])).toEqual(['r1', 'r2']);
      } finally {
        bigDb.close();
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

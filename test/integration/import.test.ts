// The importer end to end: real files, real worker threads, a real SQLite workspace file.
import Big from 'big.js';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../src-shared/api/contract';
import { ExploreQueries } from '../../src-main/explore/query';
import { runImport } from '../../src-main/ingest/import-runner';
import { rebuildDimRollup, rebuildResourceRollup } from '../../src-main/store/rollups';
import { openWorkspace } from '../../src-main/store/workspace';
import { decimalSum, editRow, expectMoneyMatches, readCsvRecords, splitCsvLine } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';
import { expectCubesFresh } from '../helpers/cubes-fresh';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const importInto = (ws: string, files: string[], mode: 'ask' | 'replace' | 'append' = 'ask'): Promise<ImportOutcome> =>
  runImport({ workspacePath: ws, files: files.map((p) => ({ path: p, name: path.basename(p) })), mode });

function totals(ws: string) {
  const db = openWorkspace(ws);
  try {
    const q = new ExploreQueries(db);
    const k = q.kpis({ filters: [] });
    const rows = db.prepare('SELECT count(*) FROM cost_usage').pluck().get() as number;
    return { ...k, rawRows: rows };
  } finally {
    db.close();
  }
}

function writeVariant(src: string, dest: string, edit: (lines: string[]) => string[]): string {
  const lines = fs.readFileSync(src, 'utf8').split('\n');
  fs.writeFileSync(dest, edit(lines).join('\n'));
  return dest;
}

describe('FOCUS Cost and Usage import', () => {
  const records = readCsvRecords(SAMPLE_1000);

  it('imports the real 1,000-row FOCUS 1.0 sample with totals equal to an independent decimal sum', async () => {
    const ws = path.join(dir, 'sample.meterbook');
    const outcome = await importInto(ws, [SAMPLE_1000]);
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files[0]).toMatchObject({ rows: 1000, action: 'imported', dataset: 'CostAndUsage', focusVersion: '1.0' });
    const t = totals(ws);
    expect(t.rows).toBe(1000);
    expect(t.rawRows).toBe(1000);
    expectMoneyMatches(t.billed, decimalSum(records, 'BilledCost'), 1000);
    expectMoneyMatches(t.effective, decimalSum(records, 'EffectiveCost'), 1000);
    expectMoneyMatches(t.list, decimalSum(records, 'ListCost'), 1000);
    expectMoneyMatches(t.contracted, decimalSum(records, 'ContractedCost'), 1000);
    expect(t.currency).toBe('USD');
  });

  it('sums by ServiceName exactly like the file, per service', async () => {
    const ws = path.join(dir, 'sample.meterbook');
    const db = openWorkspace(ws);
    try {
      const q = new ExploreQueries(db);
      const out = q.query({ groupBy: ['ServiceName'], metric: 'BilledCost', filters: [] });
      expect(out.source).toBe('rollup_dim');
      const services = new Set(records.map((r) => r.ServiceName!));
      expect(out.rows.length).toBe(services.size);
      for (const row of out.rows) {
        const name = row.ServiceName as string;
        expectMoneyMatches(row.value as number, decimalSum(records, 'BilledCost', (r) => r.ServiceName === name), 1000);
      }
    } finally {
      db.close();
    }
  });

  it('keeps rollups equal to a fresh aggregation of the raw rows', () => {
    const ws = path.join(dir, 'sample.meterbook');
    const db = openWorkspace(ws);
    try {
      const snapshot = (table: string) =>
        db.prepare(`SELECT * FROM ${table} ORDER BY 1,2,3,4,5,6,7,8`).raw().safeIntegers(true).all();
      const res = snapshot('rollup_resource_month');
      const dim = db.prepare('SELECT * FROM rollup_dim ORDER BY 1,2,3,4').raw().safeIntegers(true).all();
      db.exec('BEGIN');
      rebuildResourceRollup(db, 0, 1e6);
      rebuildDimRollup(db, -1e6, 1e6);
      const dim2 = db.prepare('SELECT * FROM rollup_dim ORDER BY 1,2,3,4').raw().safeIntegers(true).all();
      expect(dim2).toEqual(dim);
      expect(dim.length).toBeGreaterThan(0);
      const res2 = snapshot('rollup_resource_month');
      db.exec('ROLLBACK');
      expect(res2).toEqual(res);
      expectCubesFresh(db);
    } finally {
      db.close();
    }
  });

  it('answers the same from the per-dimension rollup and from raw rows', () => {
    const db = openWorkspace(path.join(dir, 'sample.meterbook'));
    try {
      const q = new ExploreQueries(db);
      const byDim = q.query({ groupBy: ['RegionId'], metric: 'EffectiveCost', granularity: 'day', filters: [] });
      expect(byDim.source).toBe('rollup_dim');
      // a filter on another column (one that keeps every row) moves the plan to raw rows
      const anyUnit = { column: 'PricingUnit', values: ['__none__'], exclude: true };
      const byRows = q.query({ groupBy: ['RegionId'], metric: 'EffectiveCost', granularity: 'day', filters: [anyUnit] });
      expect(byRows.source).toBe('cost_usage');
      expect(byRows.rows).toEqual(byDim.rows);
      const tagDim = q.query({ groupBy: ['Tags.environment'], metric: 'BilledCost', filters: [] });
      const tagRows = q.query({ groupBy: ['Tags.environment'], metric: 'BilledCost', filters: [anyUnit] });
      expect(tagDim.source).toBe('rollup_dim');
      expect(tagRows.rows).toEqual(tagDim.rows);
    } finally {
      db.close();
    }
  });

  it('is idempotent: the same file again changes nothing and says so', async () => {
    const ws = path.join(dir, 'sample.meterbook');
    const before = totals(ws);
    const outcome = await importInto(ws, [SAMPLE_1000]);
    expect(outcome.status).toBe('done');
    if (outcome.status === 'done') expect(outcome.files[0]!.action).toBe('unchanged');
    expect(totals(ws)).toEqual(before);
  });

  it('reads gzip by content and gives the same totals', async () => {
    const gz = path.join(dir, 'sample.csv.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(SAMPLE_1000)));
    const ws = path.join(dir, 'gz.meterbook');
    const outcome = await importInto(ws, [gz]);
    expect(outcome.status).toBe('done');
    expect(totals(ws).billed).toBe(totals(path.join(dir, 'sample.meterbook')).billed);
  });

  describe('restated billing periods', () => {
    // The same delivery re-sent with one amount changed: same billing periods, different content.
    const restated = () =>
      writeVariant(SAMPLE_1000, path.join(dir, 'restated.csv'), (lines) => {
        const i = lines.findIndex((l, k) => k > 0 && splitCsvLine(l)[7] === 'Usage');
        return editRow(lines, i, (f) => ((f[1] = (Number(f[1]) + 1000).toFixed(11)), f));
      });

    it('stops before writing and names the overlapping periods', async () => {
      const ws = path.join(dir, 'sample.meterbook');
      const before = totals(ws);
      const outcome = await importInto(ws, [restated()]);
      expect(outcome.status).toBe('overlap');
      if (outcome.status !== 'overlap') return;
      const total = outcome.overlaps.reduce((s, o) => s + o.newRows, 0);
      expect(total).toBe(1000);
      expect(outcome.overlaps.reduce((s, o) => s + o.existingRows, 0)).toBe(1000);
      expect(outcome.overlaps.some((o) => o.billingPeriodStart.startsWith('2024-09-01'))).toBe(true);
      expect(totals(ws)).toEqual(before);
    });

    it('replaces those periods on request', async () => {
      const ws = path.join(dir, 'replace.meterbook');
      await importInto(ws, [SAMPLE_1000]);
      const file = restated();
      const outcome = await importInto(ws, [file], 'replace');
      expect(outcome.status).toBe('done');
      if (outcome.status === 'done') expect(outcome.files[0]!.action).toBe('replaced-periods');
      const t = totals(ws);
      expect(t.rawRows).toBe(1000);
      expectMoneyMatches(t.billed, decimalSum(readCsvRecords(file), 'BilledCost'), 1000);
      const db = openWorkspace(ws);
      try {
        expectCubesFresh(db);
      } finally {
        db.close();
      }
      // the replaced file is no longer part of the workspace: importing it again is a change again
      const again = await importInto(ws, [SAMPLE_1000], 'replace');
      expect(again.status === 'done' && again.files[0]!.action).toBe('replaced-periods');
    });

    it('adds the file as another part on request', async () => {
      const ws = path.join(dir, 'append.meterbook');
      await importInto(ws, [SAMPLE_1000]);
      const file = restated();
      const outcome = await importInto(ws, [file], 'append');
      expect(outcome.status === 'done' && outcome.files[0]!.action).toBe('appended');
      const t = totals(ws);
      expect(t.rawRows).toBe(2000);
      expectMoneyMatches(t.billed, decimalSum(records, 'BilledCost').plus(decimalSum(readCsvRecords(file), 'BilledCost')), 2000);
      const db = openWorkspace(ws);
      try {
        expectCubesFresh(db);
      } finally {
        db.close();
      }
    });
  });

  describe('bad input changes nothing and says where', () => {
    const cases: [string, (f: string) => void, RegExp][] = [
      [
        'not-a-number.csv',
        (f) =>
          writeVariant(SAMPLE_1000, f, (l) => editRow(l, 42, (x) => ((x[1] = 'abc'), x))),
        /^not-a-number\.csv row 42: BilledCost 'abc' is not a number$/,
      ],
      ['short-row.csv', (f) => writeVariant(SAMPLE_1000, f, (l) => editRow(l, 7, (x) => x.slice(0, 10))), /^short-row\.csv row 7: expected 44 columns, found 10/],
      [
        'missing-column.csv',
        (f) => writeVariant(SAMPLE_1000, f, (l) => l.map((line) => line.split(',').filter((_, i) => i !== 1).join(','))),
        /^missing-column\.csv is missing the mandatory FOCUS column BilledCost$/,
      ],
      ['truncated.csv.gz', (f) => fs.writeFileSync(f, zlib.gzipSync(fs.readFileSync(SAMPLE_1000)).subarray(0, 20000)), /^truncated\.csv\.gz: the gzip data is truncated or corrupt/],
      ['binary.csv', (f) => fs.writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0, 0, 0])), /^binary\.csv is a binary file, not CSV text$/],
      ['empty.csv', (f) => fs.writeFileSync(f, ''), /^empty\.csv is empty$/],
      ['unknown.csv', (f) => fs.writeFileSync(f, 'name,amount\nfoo,1\n'), /^unknown\.csv is not a format Meterbook knows \(columns: name, amount\)/],
      [
        'bad-date.csv',
        (f) => writeVariant(SAMPLE_1000, f, (l) => editRow(l, 3, (x) => ((x[12] = 'not a date'), x))),
        /^bad-date\.csv row 3: ChargePeriodStart 'not a date' is not a date\/time$/,
      ],
    ];
    for (const [name, make, message] of cases) {
      it(name, async () => {
        const ws = path.join(dir, 'sample.meterbook');
        const before = totals(ws);
        const f = path.join(dir, name);
        make(f);
        const outcome = await importInto(ws, [f]);
        expect(outcome.status).toBe('failed');
        if (outcome.status === 'failed') expect(outcome.error.message).toMatch(message);
        expect(totals(ws)).toEqual(before);
      });
    }

    it('a bad second file rolls back the first of the same delivery', async () => {
      const ws = path.join(dir, 'two.meterbook');
      const bad = path.join(dir, 'short-row.csv');
      const outcome = await importInto(ws, [SAMPLE_1000, bad]);
      expect(outcome.status).toBe('failed');
      const db = new Database(ws, { readonly: true });
      expect(db.prepare('SELECT count(*) FROM cost_usage').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM import_file').pluck().get()).toBe(0);
      db.close();
    });
  });

  it('imports the FOCUS spec examples it can place in time and money, and refuses the others by name', async () => {
    const ws = path.join(dir, 'spec.meterbook');
    const ok = path.resolve(SAMPLE_1000, '../spec-v1.5-draft-ai/ai_prompt_caching_a.csv');
    const outcome = await importInto(ws, [ok]);
    expect(outcome.status).toBe('done');
    expectMoneyMatches(totals(ws).billed, decimalSum(readCsvRecords(ok), 'BilledCost'), 4);
    const fragment = path.resolve(SAMPLE_1000, '../spec-v1.2/commitment_discount_usage_scenario_3.csv');
    const refused = await importInto(ws, [fragment]);
    expect(refused.status === 'failed' && refused.error.message).toMatch(/missing the mandatory FOCUS columns? .*BillingCurrency/);
  });
});

describe('top-N', () => {
  it('ranks resources by amount and puts the rest in "(other)", adding up to the total', async () => {
    const dir2 = tempDir();
    const ws = path.join(dir2, 'top.meterbook');
    await runImport({ workspacePath: ws, files: [{ path: SAMPLE_1000, name: 'a.csv' }], mode: 'ask' });
    const db = openWorkspace(ws);
    try {
      const q = new ExploreQueries(db);
      const top = q.query({ groupBy: ['ResourceId'], top: 5, metric: 'BilledCost', filters: [] });
      expect(top.source).toBe('rollup_resource_month');
      const all = q.query({ groupBy: ['ResourceId'], metric: 'BilledCost', filters: [{ column: 'PricingUnit', values: ['__none__'], exclude: true }] });
      expect(all.source).toBe('cost_usage');
      const ranked = [...all.rows].sort((a, b) => Math.abs(b.value as number) - Math.abs(a.value as number));
      expect(top.rows.slice(0, 5).map((r) => r.ResourceId).sort()).toEqual(ranked.slice(0, 5).map((r) => r.ResourceId).sort());
      expect(top.rows[5]!.ResourceId).toBe('(other)');
      const sum = top.rows.reduce((s, r) => s.plus(new Big(r.value as number)), new Big(0));
      expect(Number(sum.round(6).toFixed(6))).toBeCloseTo(top.total, 6);
      expect(top.total).toBe(all.total);
    } finally {
      db.close();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });
});

describe('idempotency by content', () => {
  it('sees the same content under another name, twice in one delivery, and a change in the middle of a file', async () => {
    const d = tempDir();
    const ws = path.join(d, 'w.meterbook');
    const copy = path.join(d, 'copy-of-sample.csv');
    fs.copyFileSync(SAMPLE_1000, copy);
    const both = await runImport({ workspacePath: ws, files: [SAMPLE_1000, copy].map((p) => ({ path: p, name: path.basename(p) })), mode: 'ask' });
    expect(both.status === 'done' && both.files.map((f) => f.action)).toEqual(['imported', 'unchanged']);
    const again = await runImport({ workspacePath: ws, files: [{ path: copy, name: 'copy.csv' }], mode: 'ask' });
    expect(again.status === 'done' && again.files[0]!.action).toBe('unchanged');
    // same size, same first and last 64 KB, one digit changed in the middle: not the same file
    const buf = fs.readFileSync(SAMPLE_1000);
    const mid = buf.indexOf('0.0', Math.floor(buf.length / 2));
    buf[mid + 2] = buf[mid + 2] === 0x31 ? 0x32 : 0x31;
    const changed = path.join(d, 'changed.csv');
    fs.writeFileSync(changed, buf);
    const c = await runImport({ workspacePath: ws, files: [{ path: changed, name: 'changed.csv' }], mode: 'ask' });
    expect(c.status).toBe('overlap');
    fs.rmSync(d, { recursive: true, force: true });
  });
});

describe('text encoding', () => {
  it('reads UTF-8 names correctly after a long ASCII stretch and across chunk boundaries', async () => {
    const d = tempDir();
    const file = path.join(d, 'utf8.csv');
    const header = 'BilledCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ServiceName,ResourceName';
    const lines = [header];
    const names = ['Zürich-Rechenzentrum', 'Région Île-de-France', '東京リージョン', 'Ελλάδα'];
    // ~1.5 MB of ASCII rows first, so the first read chunk is pure ASCII and the next holds multi-byte text
    for (let i = 0; i < 16000; i++) lines.push(`1.5,EUR,2025-01-01,2025-02-01,2025-01-0${1 + (i % 9)},2025-01-0${2 + (i % 8)},Compute,ascii-only-resource-name-${i % 50}`);
    for (let i = 0; i < 4000; i++) lines.push(`0.25,EUR,2025-01-01,2025-02-01,2025-01-02,2025-01-03,Storage,${names[i % names.length]}`);
    fs.writeFileSync(file, lines.join('\n'));
    const ws = path.join(d, 'w.meterbook');
    const o = await runImport({ workspacePath: ws, files: [{ path: file, name: 'utf8.csv' }], mode: 'ask' });
    expect(o.status).toBe('done');
    const db = openWorkspace(ws);
    try {
      const q = new ExploreQueries(db);
      const out = q.query({ groupBy: ['ResourceName'], filters: [{ column: 'ServiceName', values: ['Storage'] }], metric: 'BilledCost' });
      expect(out.rows.map((r) => r.ResourceName).sort()).toEqual([...names].sort());
      for (const r of out.rows) expect(r.value).toBe(250);
    } finally {
      db.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('older FOCUS versions', () => {
  it("imports a FOCUS 0.5 file: AmortizedCost is EffectiveCost, ChargeType is ChargeCategory, Region is RegionId", async () => {
    const d = tempDir();
    const file = path.join(d, 'focus-0.5.csv');
    fs.writeFileSync(
      file,
      [
        'BilledCost,AmortizedCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeType,Region,ProviderName,ServiceName',
        '10.10,8.08,USD,2023-11-01T00:00:00Z,2023-12-01T00:00:00Z,2023-11-02T00:00:00Z,2023-11-03T00:00:00Z,Usage,us-east-1,AWS,Amazon EC2',
        '5.05,5.05,USD,2023-11-01T00:00:00Z,2023-12-01T00:00:00Z,2023-11-03T00:00:00Z,2023-11-04T00:00:00Z,Tax,,AWS,Tax',
      ].join('\r\n'),
    );
    const ws = path.join(d, 'w.meterbook');
    const o = await runImport({ workspacePath: ws, files: [{ path: file, name: 'focus-0.5.csv' }], mode: 'ask' });
    expect(o.status === 'done' && o.files[0]!.focusVersion).toBe('0.5');
    const db = openWorkspace(ws);
    try {
      const q = new ExploreQueries(db);
      expect(q.kpis({ filters: [] })).toMatchObject({ billed: 15.15, effective: 13.13 });
      const byCategory = q.query({ groupBy: ['ChargeCategory'], metric: 'EffectiveCost', filters: [] });
      expect(byCategory.rows).toEqual([
        { ChargeCategory: 'Usage', value: 8.08 },
        { ChargeCategory: 'Tax', value: 5.05 },
      ]);
      const byProvider = q.query({ groupBy: ['ServiceProviderName', 'RegionId'], metric: 'BilledCost', filters: [] });
      expect(byProvider.rows).toEqual([
        { ServiceProviderName: 'AWS', RegionId: 'us-east-1', value: 10.1 },
        { ServiceProviderName: 'AWS', RegionId: null, value: 5.05 },
      ]);
    } finally {
      db.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

// The CLI contract, run as a user runs it: `node bin/meterbook.js …` in a child process.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalSum, expectMoneyMatches, readCsvRecords } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'meterbook.js');
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = tempDir();
  env = { ...process.env, MB_DATA_DIR: path.join(dir, 'data') };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('meterbook CLI', () => {
  const records = readCsvRecords(SAMPLE_1000);

  it('import --json reports the file, dataset, version, rows, action and conformance', () => {
    const ws = path.join(dir, 'cli.meterbook');
    const r = cli('import', SAMPLE_1000, '--workspace', ws, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: Record<string, unknown>[] };
    expect(out.files).toHaveLength(1);
    expect(out.files[0]).toMatchObject({
      file: 'focus-1.0_sample_1000.csv',
      format: 'focus-csv',
      dataset: 'CostAndUsage',
      focusVersion: '1.0',
      rows: 1000,
      action: 'imported',
    });
    const c = out.files[0]!.conformance as { pass: number; fail: number; skip: number };
    expect(c.pass + c.fail + c.skip).toBeGreaterThan(100);
    expect(c.fail).toBeGreaterThan(0);

    const again = JSON.parse(cli('import', SAMPLE_1000, '--workspace', ws, '--json').stdout) as { files: { action: string }[] };
    expect(again.files[0]!.action).toBe('unchanged');
  });

  it('import --json reads a folder of mixed bills, each with its format and dataset; query --dataset sums the others', () => {
    const FIX = path.join(ROOT, 'test', 'fixtures');
    const folder = path.join(dir, 'mixed');
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(path.join(FIX, 'vendors', 'azure', 'sample-anonymous-ea-export-dataset.csv'), path.join(folder, 'azure.csv'));
    fs.copyFileSync(path.join(FIX, 'vendors', 'openai', 'costs-page.json'), path.join(folder, 'openai.json'));
    fs.copyFileSync(path.join(FIX, 'focus', 'spec-v1.4', 'invoice_detail_scenario_1.csv'), path.join(folder, 'invoice.csv'));
    fs.writeFileSync(path.join(folder, 'manifest.json'), '{}');
    const ws = path.join(dir, 'mixed.meterbook');
    const r = cli('import', folder, '--workspace', ws, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: { file: string; format: string; dataset: string }[]; skipped: string[] };
    expect(out.files.map((f) => [f.file, f.format, f.dataset])).toEqual([
      ['mixed/azure.csv', 'azure-ea', 'CostAndUsage'],
      ['mixed/invoice.csv', 'focus-csv', 'InvoiceDetail'],
      ['mixed/openai.json', 'openai-costs', 'CostAndUsage'],
    ]);
    expect(out.skipped).toEqual(['mixed/manifest.json']);
    const q = cli('query', '--workspace', ws, '--dataset', 'InvoiceDetail', '--metric', 'BilledCost', '--group-by', 'InvoiceId', '--json');
    expect(q.code).toBe(0);
    const res = JSON.parse(q.stdout) as { dataset: string; rows: { InvoiceId: string; value: number }[]; total: number; currency: string };
    expect(res).toMatchObject({ dataset: 'InvoiceDetail', currency: 'USD' });
    expect(res.rows).toEqual([{ InvoiceId: 'INV-2025-001', value: 1578.63 }]);
    const bad = cli('query', '--workspace', ws, '--dataset', 'Nope');
    expect(bad.code).toBe(2);
  });

  it('query --json groups, filters and totals to the cent', () => {
    const ws = path.join(dir, 'cli.meterbook');
    const r = cli('query', '--workspace', ws, '--group-by', 'ServiceName', '--metric', 'EffectiveCost', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { metric: string; rows: Record<string, unknown>[]; total: number };
    expect(out.metric).toBe('EffectiveCost');
    expectMoneyMatches(out.total, decimalSum(records, 'EffectiveCost'), 1000);
    const ec2 = out.rows.find((x) => x.ServiceName === 'Amazon Elastic Compute Cloud');
    expect(ec2).toBeDefined();
    expectMoneyMatches(ec2!.value as number, decimalSum(records, 'EffectiveCost', (x) => x.ServiceName === 'Amazon Elastic Compute Cloud'), 1000);

    const sub = records.find((x) => x.SubAccountId && x.SubAccountId !== 'NULL')!.SubAccountId!;
    const f = JSON.parse(
      cli('query', '--workspace', ws, '--filter', `SubAccountId=${sub}`, '--granularity', 'month', '--json').stdout,
    ) as { rows: { period: string; value: number }[]; total: number };
    expectMoneyMatches(f.total, decimalSum(records, 'BilledCost', (x) => x.SubAccountId === sub), 1000);
    expect(f.rows.every((x) => /^\d{4}-\d{2}$/.test(x.period))).toBe(true);
  });

  it('query groups by a tag key with null for untagged rows, and --repeat adds timings', () => {
    const ws = path.join(dir, 'cli.meterbook');
    const out = JSON.parse(cli('query', '--workspace', ws, '--group-by', 'Tags.environment', '--repeat', '5', '--json').stdout) as {
      rows: Record<string, unknown>[];
      total: number;
      timings_ms: { p50: number; p95: number };
    };
    const tagOf = (r: Record<string, string>) => {
      if (!r.Tags || r.Tags === 'NULL') return null;
      const v = (JSON.parse(r.Tags) as Record<string, unknown>).environment;
      return v === undefined ? null : String(v);
    };
    const values = new Set(records.map(tagOf));
    expect(new Set(out.rows.map((r) => r['Tags.environment']))).toEqual(values);
    for (const row of out.rows) {
      expectMoneyMatches(row.value as number, decimalSum(records, 'BilledCost', (r) => tagOf(r) === row['Tags.environment']), 1000);
    }
    expect(out.timings_ms.p50).toBeGreaterThan(0);
    expect(out.timings_ms.p95).toBeGreaterThanOrEqual(out.timings_ms.p50);
  });

  it('exits 3 on an overlap and 1 on a refused file, changing nothing', () => {
    const ws = path.join(dir, 'cli.meterbook');
    const variant = path.join(dir, 'variant.csv');
    fs.writeFileSync(variant, fs.readFileSync(SAMPLE_1000, 'utf8').replace(/\n$/, '') + '\n');
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').split('\n');
    fs.writeFileSync(variant, [lines[0], ...lines.slice(1, 500)].join('\n'));
    const r = cli('import', variant, '--workspace', ws);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--replace/);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'hello,world\n1,2\n');
    const b = cli('import', bad, '--workspace', ws);
    expect(b.code).toBe(1);
    expect(b.stderr.trim()).toBe('meterbook: bad.csv is not a format Meterbook knows (columns: hello, world); map its columns to FOCUS in the mapping studio');
    const db = new Database(ws, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM cost_usage').pluck().get()).toBe(1000);
    db.close();
  });

  it('validate --json lists rule ids without importing', () => {
    const r = cli('validate', SAMPLE_1000, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { rules: { id: string; status: string; failingRows: number; samples: number[] }[]; summary: { pass: number; fail: number } };
    const fmt = rep.rules.find((x) => x.id.startsWith('ChargePeriodStart') && x.status === 'fail' && x.failingRows === 1000);
    expect(fmt).toBeDefined();
    expect(fmt!.samples.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('survives SIGKILL mid-import: the workspace stays as before and passes an integrity check', async () => {
    const ws = path.join(dir, 'cli.meterbook');
    // a large delivery for other billing periods, generated now: the sample shifted one year forward, 150 times
    const big = path.join(dir, 'big.csv');
    const [header, ...rows] = fs.readFileSync(SAMPLE_1000, 'utf8').split('\n').filter((l) => l.length > 0);
    const shifted = rows.map((l) => l.replace(/"2024-(\d\d)-/g, '"2025-$1-'));
    const out = fs.createWriteStream(big);
    out.write(`${header}\n`);
    for (let i = 0; i < 150; i++) out.write(`${shifted.join('\n')}\n`);
    await new Promise((r) => out.end(r));

    const before = JSON.parse(cli('query', '--workspace', ws, '--json').stdout) as { total: number };
    const child = spawn(process.execPath, [BIN, 'import', big, '--workspace', ws], { cwd: ROOT, env, stdio: 'ignore' });
    // kill once the import is writing: the WAL grows past 1 MB
    const wal = `${ws}-wal`;
    const t0 = Date.now();
    while (Date.now() - t0 < 60_000) {
      if (fs.existsSync(wal) && fs.statSync(wal).size > 1 << 20) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fs.statSync(wal).size).toBeGreaterThan(1 << 20);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const db = new Database(ws);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM cost_usage').pluck().get()).toBe(1000);
    expect(db.prepare("SELECT count(*) FROM import_file WHERE action = 'importing'").pluck().get()).toBe(0);
    db.close();
    const after = JSON.parse(cli('query', '--workspace', ws, '--json').stdout) as { total: number };
    expect(after.total).toBe(before.total);
  });
});

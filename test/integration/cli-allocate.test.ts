// `meterbook allocate`, run as a user runs it: a rules file exported from the Allocation screen, preview then --apply.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRecords } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'meterbook.js');
let dir: string;
let ws: string;
let env: NodeJS.ProcessEnv;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rules = {
  format: 'meterbook.allocation',
  dimensions: [{ key: 'Team', label: 'Team' }],
  rules: [{ id: 'lb', dimension: 'Team', value: 'network', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Elastic Load Balancing' }] }],
  pools: [
    { id: 'watch', name: 'Monitoring', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'AmazonCloudWatch' }], targets: ['network', 'data'], method: { kind: 'fixed', percents: [{ target: 'network', percent: 70 }, { target: 'data', percent: 30 }] } },
  ],
};

beforeAll(() => {
  dir = tempDir();
  env = { ...process.env, MB_DATA_DIR: path.join(dir, 'data') };
  ws = path.join(dir, 'a.meterbook');
  expect(cli('import', SAMPLE_1000, '--workspace', ws, '--json').code).toBe(0);
  fs.writeFileSync(path.join(dir, 'rules.json'), JSON.stringify(rules));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Report {
  applied: { version: number } | null;
  dimensions: { targets: { target: string; direct: number; shared: number; total: number }[]; coverage: Record<string, number> }[];
  check: { original: number; allocated: number; unallocated: number; difference: number };
}

describe('meterbook allocate', () => {
  const records = readCsvRecords(SAMPLE_1000).filter((r) => r.BillingCurrency === 'USD');
  const sum = (f: (r: Record<string, string>) => boolean) =>
    records.filter(f).reduce((s, r) => s.plus(r.BilledCost === 'NULL' ? 0 : new Big(r.BilledCost!).round(9, Big.roundHalfUp)), new Big(0)).toNumber();

  it('previews per-target totals, coverage and a check without writing anything, then applies with --apply', () => {
    const r = cli('allocate', '--workspace', ws, '--rules', path.join(dir, 'rules.json'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.applied).toBeNull();
    const pool = sum((x) => x.ServiceName === 'AmazonCloudWatch');
    const lb = sum((x) => x.ServiceName === 'Elastic Load Balancing');
    const t = rep.dimensions[0]!.targets;
    expect(t.find((x) => x.target === 'network')).toMatchObject({ direct: expect.closeTo(lb, 9), shared: expect.closeTo(pool * 0.7, 8) });
    expect(t.find((x) => x.target === 'data')!.shared).toBeCloseTo(pool * 0.3, 8);
    expect(rep.check.original).toBeCloseTo(sum(() => true), 9);
    expect(rep.check.difference).toBe(0);
    expect(rep.check.allocated).toBeCloseTo(lb + pool, 9);
    expect(rep.dimensions[0]!.coverage.USD).toBeCloseTo(((lb + pool) / sum(() => true)) * 100, 3);

    const applied = cli('allocate', '--workspace', ws, '--rules', path.join(dir, 'rules.json'), '--apply', '--note', 'from CI', '--json');
    expect(applied.code).toBe(0);
    expect((JSON.parse(applied.stdout) as Report).applied).toMatchObject({ version: 1 });
    const text = cli('allocate', '--workspace', ws, '--rules', path.join(dir, 'rules.json'));
    expect(text.stdout).toContain('(unallocated: no rule matched)');
    expect(text.stdout).toMatch(/USD: coverage [\d.]+ %, original [\d.]+ = allocated [\d.]+ \+ unallocated [\d.]+, difference 0\.00/);
  });

  it('refuses a rules file with problems, naming them', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...rules, rules: [{ ...rules.rules[0], dimension: 'Product' }] }));
    const r = cli('allocate', '--workspace', ws, '--rules', path.join(dir, 'bad.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("meterbook: bad.json: rule lb: dimension 'Product' is not defined\n");
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"dimensions": [{"key": "team"}]}');
    const b = cli('allocate', '--workspace', ws, '--rules', path.join(dir, 'broken.json'));
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('broken.json: dimensions.0.key: a dimension key is a word starting with a capital letter');
  });
});

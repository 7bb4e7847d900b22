// explore.export with an applied allocation (FOCUS 1.4 allocation columns): the real 1,000-row FOCUS sample, a rule
// set applied through the engine (rules, a proportional pool, a fixed pool and a driver pool it cannot split),
// exported as CSV and Parquet and read back by code that shares nothing with the writers (a plain CSV parser and
// big.js; hyparquet), checked row by row against the source file and in total against the workspace and the showback.
import Big from 'big.js';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { exportView, type ExportProgress } from '../../src-main/explore/export';
import { ExportInputSchema, type ConformanceReport } from '../../src-shared/api/contract';
import type { RuleSetInput } from '../../src-shared/allocate/ruleset';
import { openWorkspace } from '../../src-main/store/workspace';
import { joinCsvLine, readCsvRecords, splitCsvLine } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';
import { SAMPLE_TEAM_RULES } from '../helpers/sample-rules';
import { importFiles } from '../helpers/engine-import';

const MONEY = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'] as const;
const ALLOCATED = ['AllocatedMethodId', 'AllocatedMethodDetails', 'AllocatedResourceId', 'AllocatedResourceName', 'AllocatedTags'] as const;

const ruleSet: RuleSetInput = {
  dimensions: [{ key: 'Team', label: 'Team' }],
  normalize: { Team: 'lower' },
  // the last one matches part of what 'bu' already took: shown as partly shadowed
  rules: SAMPLE_TEAM_RULES,
  pools: [
    // the sample's EffectiveCost is 0 on most rows: split by billed cost
    { id: 'watch', name: 'Monitoring', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'AmazonCloudWatch' }], targets: [], method: { kind: 'proportional', basis: 'billed' } },
    {
      id: 'vpc',
      name: 'Shared network',
      dimension: 'Team',
      when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Amazon Virtual Private Cloud' }],
      targets: ['Network', 'Compute'],
      method: { kind: 'fixed', percents: [{ target: 'Network', percent: 70 }, { target: 'Compute', percent: 30 }] },
    },
    // driver data for another month only: the version cannot split it, its rows stay whole and unallocated
    { id: 'sqs', name: 'Queues', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Amazon Simple Queue Service' }], targets: [], method: { kind: 'driver', driver: 'requests' } },
  ],
};

let dir: string;
let ws: string;
let engine: Engine;
const source = readCsvRecords(SAMPLE_1000);
const byId = new Map(source.map((r) => [r.Id!, r]));
const isNull = (v: string | undefined) => v === undefined || v === '' || v.toUpperCase() === 'NULL';
// the store keeps 9 decimals, rounding half away from zero
const stored = (v: string | undefined) => (isNull(v) ? new Big(0) : new Big(v!).round(9, Big.roundHalfUp));
const nanos = (b: Big) => BigInt(b.times(1e9).toFixed(0));


async function importFile(file: string): Promise<void> {
  expect((await importFiles(engine, [file])).status).toBe('done');
}

function workspaceNanos(): Record<(typeof MONEY)[number], bigint> {
  const db = openWorkspace(ws);
  try {
    const r = db
      .prepare('SELECT sum(coalesce("BilledCost", 0)), sum(coalesce("EffectiveCost", 0)), sum(coalesce("ListCost", 0)), sum(coalesce("ContractedCost", 0)) FROM cost_usage')
      .raw()
      .safeIntegers(true)
      .get() as bigint[];
    return { BilledCost: r[0]!, EffectiveCost: r[1]!, ListCost: r[2]!, ContractedCost: r[3]! };
  } finally {
    db.close();
  }
}

/**
 * Unit price × PricingQuantity = cost of the stored row to a millionth (the checker's tolerance), plus `slack`: a
 * part's cost is a whole number of nanos, so it may be a nano off its exact share.
 */
function productHolds(r: Row, price: 'ListUnitPrice' | 'ContractedUnitPrice', slack: string): boolean {
  const costColumn = price === 'ListUnitPrice' ? 'ListCost' : 'ContractedCost';
  if (isNull(r[price]) || isNull(r.PricingQuantity) || isNull(r[costColumn])) return true;
  const product = new Big(r[price]!).times(new Big(r.PricingQuantity!));
  const cost = stored(r[costColumn]);
  return product.minus(cost).abs().lte(cost.abs().times('0.000001').plus('0.0000000005').plus(slack));
}

/** An exported row as text, whichever file it came from (Parquet decimals are read back to their 9 places). */
type Row = Record<string, string>;

async function readParquetFolder(folder: string): Promise<Row[]> {
  const out: Row[] = [];
  for (const month of fs.readdirSync(folder).sort()) {
    const file = path.join(folder, month, 'part-00000.parquet');
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
    for (const r of rows) {
      const row: Row = {};
      for (const [k, v] of Object.entries(r)) {
        if (v === null || v === undefined) row[k] = '';
        // hyparquet gives DECIMAL(38,9) as a double: below 1e6 units it rounds back to its exact nanos
        else if ((MONEY as readonly string[]).includes(k) || k === 'PricingCurrencyEffectiveCost') row[k] = new Big(Math.round((v as number) * 1e9)).div(1e9).toFixed(9);
        else row[k] = String(v as string | number);
      }
      out.push(row);
    }
  }
  return out;
}

/** The checks both file formats must pass. */
async function checkAllocatedRows(rows: Row[]): Promise<void> {
  expect(Object.keys(rows[0]!)).toContain('x_Team');
  const byOrigin = new Map<string, Row[]>();
  for (const r of rows) byOrigin.set(r.Id!, [...(byOrigin.get(r.Id!) ?? []), r]);
  expect(byOrigin.size).toBe(source.length);

  let split = 0;
  for (const [id, parts] of byOrigin) {
    const origin = byId.get(id)!;
    // every origin row's parts add up to it exactly, in every cost column
    for (const c of MONEY) expect(parts.reduce((s, p) => s.plus(stored(p[c])), new Big(0)).eq(stored(origin[c])), `${id} ${c}`).toBe(true);
    if (origin.ServiceName === 'AmazonCloudWatch' || origin.ServiceName === 'Amazon Virtual Private Cloud') {
      const pool = origin.ServiceName === 'AmazonCloudWatch' ? 'watch' : 'vpc';
      split++;
      expect(parts.length).toBeGreaterThan(1);
      let ratios = new Big(0);
      for (const p of parts) {
        expect(p.AllocatedMethodId).toBe(`meterbook:Team:${pool}`);
        const details = JSON.parse(p.AllocatedMethodDetails!) as { Elements: { AllocatedRatio: number }[]; x_Pool: string; x_Method: string; x_Version: number };
        expect(details).toMatchObject({ x_Pool: pool === 'watch' ? 'Monitoring' : 'Shared network', x_Method: pool === 'watch' ? 'proportional' : 'fixed', x_Version: 1 });
        const ratio = details.Elements[0]!.AllocatedRatio;
        ratios = ratios.plus(new Big(ratio));
        expect(p.AllocatedResourceId).toBe(p.x_Team);
        expect(p.AllocatedResourceName).toBe(`Team: ${p.x_Team}`);
        expect(JSON.parse(p.AllocatedTags!)).toEqual({ Team: p.x_Team });
        // the ratio is the ListCost split, and ContractedCost follows it: each part within a nano of ratio × the row,
        // quantities × ratio, unit prices kept, so price × quantity = cost holds on every part wherever it holds on
        // the row
        for (const c of ['ListCost', 'ContractedCost']) {
          const expected = stored(origin[c]).times(ratio);
          expect(stored(p[c]).minus(expected).abs().lte('0.000000001'), `${id} ${c} ${p[c]} vs ${expected.toFixed()}`).toBe(true);
        }
        for (const q of ['ConsumedQuantity', 'PricingQuantity'])
          if (!isNull(origin[q])) expect(Number(p[q])).toBeCloseTo(Number(origin[q]) * ratio, 12);
        if (!isNull(origin.ListUnitPrice)) expect(Number(p.ListUnitPrice)).toBe(Number(origin.ListUnitPrice));
        for (const price of ['ListUnitPrice', 'ContractedUnitPrice'] as const)
          if (productHolds(origin, price, '0')) expect(productHolds(p, price, '0.000000001'), `${id} → ${p.x_Team}: ${price} × PricingQuantity`).toBe(true);
        if (pool === 'vpc') expect(ratio).toBe(p.x_Team === 'network' ? 0.7 : 0.3);
      }
      expect(ratios.eq(1), `${id}: ratios add up to ${ratios.toFixed()}`).toBe(true);
      for (const q of ['ConsumedQuantity', 'PricingQuantity'])
        if (!isNull(origin[q])) expect(parts.reduce((s, p) => s + Number(p[q]), 0)).toBeCloseTo(Number(origin[q]), 9);
    } else {
      expect(parts).toHaveLength(1);
      for (const c of ALLOCATED) expect(parts[0]![c]).toBe('');
      // the driver pool without data stays whole and unallocated
      if (origin.ServiceName === 'Amazon Simple Queue Service') expect(parts[0]!.x_Team).toBe('');
      else if (origin.ServiceName === 'Elastic Load Balancing' && !/peor/i.test(origin.Tags ?? '')) expect(parts[0]!.x_Team).toBe('network');
    }
  }
  expect(split).toBe(63 + 57);

  // the file's totals are the workspace's, to the nano
  const total = workspaceNanos();
  for (const c of MONEY) expect(nanos(rows.reduce((s, r) => s.plus(stored(r[c])), new Big(0))), c).toBe(total[c]);

  // by x_Team, the showback's totals (each pool row's split is exact; a pool's total can differ by a nano a row);
  // ContractedCost too, except that a proportional pool's follows its list split
  for (const metric of ['BilledCost', 'EffectiveCost', 'ListCost'] as const) {
    const column = metric;
    const sb = await engine.invoke('allocation.showback', { dimension: 'Team', metric });
    const expected = new Map<string, number>();
    for (const r of sb.rows) expected.set(r.target ?? '', (expected.get(r.target ?? '') ?? 0) + r.total);
    const actual = new Map<string, Big>();
    for (const r of rows) actual.set(r.x_Team!, (actual.get(r.x_Team!) ?? new Big(0)).plus(stored(r[column])));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [target, amount] of expected) expect(Math.abs(actual.get(target)!.toNumber() - amount), `${metric} ${target}`).toBeLessThan(1e-6);
  }
}

beforeAll(async () => {
  dir = tempDir();
  ws = path.join(dir, 'alloc-export.meterbook');
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
  await importFile(SAMPLE_1000);
}, 60_000);
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('export with the applied allocation', () => {
  it('refuses before anything is applied, and with a dimension the version does not have', async () => {
    const out = path.join(dir, 'none.csv');
    await expect(engine.invoke('explore.export', { format: 'csv', path: out, allocation: { dimension: 'Team' } })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('No allocation is applied') as unknown,
    });
    const drivers = path.join(dir, 'requests.csv');
    fs.writeFileSync(drivers, 'period,target,quantity\n2024-08,peoria,10\n');
    await engine.invoke('allocation.importDrivers', { driver: 'requests', file: { path: drivers } });
    const applied = await engine.invoke('allocation.apply', { ruleSet });
    expect(applied.checks.every((c) => c.difference === 0)).toBe(true);
    await expect(engine.invoke('explore.export', { format: 'csv', path: out, allocation: { dimension: 'Product' } })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining("has no dimension 'Product'; it has Team") as unknown,
    });
    await expect(engine.invoke('explore.export', { format: 'csv', path: out, groupBy: ['ServiceName'], allocation: { dimension: 'Team' } })).rejects.toMatchObject({
      code: 'bad-input',
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('CSV: pooled rows once per target with the FOCUS allocation columns, exact per row and in total', async () => {
    const out = path.join(dir, 'allocated.csv');
    const res = await engine.invoke('explore.export', { format: 'csv', path: out, allocation: { dimension: 'team' } });
    const rows = readCsvRecords(out);
    expect(res.rows).toBe(rows.length);
    expect(res.originRows).toBe(1000);
    expect(rows.length).toBeGreaterThan(1000);
    await checkAllocatedRows(rows);
  }, 60_000);

  it('Parquet: the same rows, read back by hyparquet', async () => {
    const out = path.join(dir, 'allocated-parquet');
    const res = await engine.invoke('explore.export', { format: 'parquet', path: out, allocation: { dimension: 'x_Team' } });
    const rows = await readParquetFolder(out);
    expect(rows).toHaveLength(res.rows);
    expect(res.originRows).toBe(1000);
    await checkAllocatedRows(rows);
  }, 60_000);

  it('progress counts the rows of the workspace, not the rows written', () => {
    const db = openWorkspace(ws);
    const seen: ExportProgress[] = [];
    try {
      const input = ExportInputSchema.parse({ format: 'csv', path: path.join(dir, 'progress.csv'), allocation: { dimension: 'Team' } });
      const res = exportView(db, input, { progress: (p) => seen.push(p) });
      expect(res.rows).toBeGreaterThan(1000);
    } finally {
      db.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) expect(p).toMatchObject({ totalRows: 1000 });
    expect(seen[seen.length - 1]!.rows).toBe(1000);
  });

  it('meterbook export --allocation: the same file from the command line; an unknown dimension is refused', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.resolve(__dirname, '../../bin/meterbook.js'), 'export', '--workspace', ws, ...args], {
        env: { ...process.env, MB_DATA_DIR: path.join(dir, 'cli-data') },
        encoding: 'utf8',
        timeout: 120_000,
      });
    const out = path.join(dir, 'cli.csv');
    const ok = cli('--format', 'csv', '--out', out, '--allocation', 'Team', '--json');
    expect(ok.stderr).not.toContain('meterbook:');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ path: out, originRows: 1000 });
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(dir, 'allocated.csv'), 'utf8'));
    const text = cli('--format', 'csv', '--out', path.join(dir, 'cli2.csv'), '--allocation', 'Team');
    expect(text.stdout).toMatch(/rows \(from 1000 with shared costs split\)/);
    const bad = cli('--format', 'csv', '--out', path.join(dir, 'cli3.csv'), '--allocation', 'Product');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("has no dimension 'Product'; it has Team");
  }, 120_000);

  it('the allocated CSV validates with no rule failing that the plain export of the same rows passes', async () => {
    const plain = path.join(dir, 'plain.csv');
    await engine.invoke('explore.export', { format: 'csv', path: plain });
    const allocated = path.join(dir, 'allocated.csv');
    const a = await engine.invoke('validate.file', { file: { path: allocated } });
    const p = await engine.invoke('validate.file', { file: { path: plain } });
    const failing = (r: ConformanceReport) => new Map(r.rules.filter((x) => x.status === 'fail').map((x) => [x.id, x.failingRows]));
    const fa = failing(a);
    const fp = failing(p);
    expect([...fa.keys()].filter((id) => !fp.has(id))).toEqual([]);
    // the allocation columns are checked, not skipped, and pass
    const tags = a.rules.find((x) => x.reference === 'AllocatedTags')!;
    expect(tags.status).toBe('pass');
    console.log(
      `conformance: plain ${p.rows} rows ${JSON.stringify(p.summary)}; allocated ${a.rows} rows ${JSON.stringify(a.summary)}; failing rules (rows plain → allocated): ${[...fp]
        .map(([id, n]) => `${id} ${n} → ${fa.get(id) ?? 0}`)
        .join(', ')}`,
    );
  }, 60_000);

  it('rows imported after the apply are written whole and unallocated; an imported x_Team gives way', async () => {
    // three CloudWatch rows of a later month with a tag set the version never saw, and an x_Team column of their own
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').split('\n');
    const header = `${lines[0]!},"x_Team"`;
    const watch = lines.filter((l) => l.includes('"AmazonCloudWatch"')).slice(0, 3);
    const later = watch.map((l, i) =>
      l
        .replace(/"2024-10-01 00:00:00","2024-09-01 00:00:00"/, '"2025-02-01 00:00:00","2025-01-01 00:00:00"')
        .replace(/"2024-09-(\d\d) (\d\d:\d\d:\d\d)"/g, '"2025-01-$1 $2"')
        .replace(/,(\d+),"AmazonCloudWatch"/, `,"fresh-${i}","AmazonCloudWatch"`)
        .replace(/,(NULL|"\{.*\}")$/, `,"{""fresh"":""${i}""}","imported-team"`),
    );
    const file = path.join(dir, 'later.csv');
    fs.writeFileSync(file, [header, ...later].join('\n') + '\n');
    await importFile(file);
    const out = path.join(dir, 'after-import.csv');
    const res = await engine.invoke('explore.export', { format: 'csv', path: out, allocation: { dimension: 'Team' } });
    const rows = readCsvRecords(out);
    // one x_Team column, the allocation's (as explore groups by it)
    expect(fs.readFileSync(out, 'utf8').split('\n', 1)[0]!.split(',').filter((c) => c.toLowerCase() === 'x_team')).toEqual(['x_Team']);
    const fresh = rows.filter((r) => r.Id!.startsWith('fresh-'));
    expect(fresh).toHaveLength(3);
    for (const r of fresh) {
      expect(r.x_Team).toBe('');
      for (const c of ALLOCATED) expect(r[c]).toBe('');
    }
    expect(res.originRows).toBe(1003);
  }, 60_000);
});

describe('a proportional pool whose teams differ in list, contracted and effective proportions', () => {
  // three rows of the sample made into a small bill: team a and team b with direct cost in different list /
  // contracted / effective proportions, and one pooled row split proportionally (by effective cost, the default)
  let dir2: string;
  let engine2: Engine;
  const base = (() => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').split('\n');
    return { header: splitCsvLine(lines[0]!), row: splitCsvLine(lines[1]!) };
  })();
  const make = (values: Record<string, string>) => joinCsvLine(base.header.map((h, i) => values[h] ?? base.row[i]!));
  const bill: Record<string, string>[] = [
    { Id: 'a', ServiceName: 'Direct', Tags: '{"team":"a"}', BilledCost: '8', EffectiveCost: '8', ListCost: '10', ContractedCost: '9', ListUnitPrice: '10', ContractedUnitPrice: '9', PricingQuantity: '1' },
    { Id: 'b', ServiceName: 'Direct', Tags: '{"team":"b"}', BilledCost: '2', EffectiveCost: '2', ListCost: '10', ContractedCost: '5', ListUnitPrice: '10', ContractedUnitPrice: '5', PricingQuantity: '1' },
    { Id: 'pool', ServiceName: 'Shared', Tags: 'NULL', BilledCost: '3', EffectiveCost: '3', ListCost: '4', ContractedCost: '3', ListUnitPrice: '2', ContractedUnitPrice: '1.5', PricingQuantity: '2', ConsumedQuantity: '2' },
  ];
  const set: RuleSetInput = {
    dimensions: [{ key: 'Team', label: 'Team' }],
    rules: ['a', 'b'].map((t) => ({ id: t, dimension: 'Team', value: t, when: [{ field: { kind: 'tag' as const, key: 'team' }, op: 'equals' as const, value: t }] })),
    pools: [{ id: 'shared', name: 'Shared', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Shared' }], targets: [], method: { kind: 'proportional' } }],
  };

  beforeAll(async () => {
    dir2 = tempDir();
    const file = path.join(dir2, 'small.csv');
    fs.writeFileSync(file, [joinCsvLine(base.header), ...bill.map(make)].join('\n') + '\n');
    engine2 = await createEngine({ host: 'test', dataDir: path.join(dir2, 'data'), workspacePath: path.join(dir2, 'small.meterbook') });
    expect((await importFiles(engine2, [file])).status).toBe('done');
    await engine2.invoke('allocation.apply', { ruleSet: set });
  }, 60_000);
  afterAll(async () => {
    await engine2.close();
    fs.rmSync(dir2, { recursive: true, force: true });
  });

  it('splits every cost column and the quantities by one ratio, the effective-cost one, as the showback does', async () => {
    const out = path.join(dir2, 'small-allocated.csv');
    await engine2.invoke('explore.export', { format: 'csv', path: out, allocation: { dimension: 'Team' } });
    const parts = readCsvRecords(out).filter((r) => r.Id === 'pool');
    expect(parts.map((p) => [p.x_Team, ...[p.BilledCost, p.EffectiveCost, p.ListCost, p.ContractedCost, p.PricingQuantity].map(Number)])).toEqual([
      // effective weights 8 : 2 decide every column (list 10 : 10 and contracted 9 : 5 do not), unit prices kept
      ['a', 2.4, 2.4, 3.2, 2.4, 1.6],
      ['b', 0.6, 0.6, 0.8, 0.6, 0.4],
    ]);
    for (const p of parts) {
      expect(JSON.parse(p.AllocatedMethodDetails!)).toMatchObject({ Elements: [{ AllocatedRatio: p.x_Team === 'a' ? 0.8 : 0.2 }], x_Method: 'proportional' });
      expect(productHolds(p, 'ContractedUnitPrice', '0')).toBe(true);
      expect(productHolds(p, 'ListUnitPrice', '0')).toBe(true);
    }
    for (const [metric, col] of [['BilledCost', 'BilledCost'], ['ListCost', 'ListCost'], ['ContractedCost', 'ContractedCost']] as const) {
      const sb = await engine2.invoke('allocation.showback', { dimension: 'Team', metric });
      expect(sb.rows.map((r) => [r.target, r.shared])).toEqual(parts.map((p) => [p.x_Team, Number(p[col])]));
    }
  }, 60_000);
});

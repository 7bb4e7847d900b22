// explore.compare on FOCUS files written here with known price, usage, mix, new, removed and credit changes between
// September and October 2026, imported through the engine; every part is checked against values derived by hand.
import Big from 'big.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import type { CompareInput, CompareLine, CompareOutput, ImportOutcome } from '../../src-shared/api/contract';
import { tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'meterbook.js');
const SEP = { from: '2026-09-01', to: '2026-09-30' };
const OCT = { from: '2026-10-01', to: '2026-10-31' };
const USD = [{ column: 'BillingCurrency', values: ['USD'] }];

const COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'InvoiceIssuerName',
  'ServiceProviderName',
  'ServiceName',
  'ResourceId',
  'SkuId',
  'ChargeDescription',
  'PricingQuantity',
  'PricingUnit',
  'SubAccountId',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

/** A charge on `day` (YYYY-MM-DD) of its month's billing period. */
function charge(day: string, cost: string, over: Row): Row {
  const month = day.slice(0, 7);
  const next = month === '2026-09' ? '2026-10' : '2026-11';
  return {
    BilledCost: cost,
    EffectiveCost: cost,
    BillingAccountId: 'acct-1',
    BillingCurrency: 'USD',
    BillingPeriodStart: `${month}-01T00:00:00Z`,
    BillingPeriodEnd: `${next}-01T00:00:00Z`,
    ChargeCategory: 'Usage',
    ChargePeriodStart: `${day}T00:00:00Z`,
    ChargePeriodEnd: `${day}T23:00:00Z`,
    InvoiceIssuerName: 'Aura Web',
    ServiceProviderName: 'Aura Web',
    SubAccountId: 'team-a',
    ...over,
  };
}

// Compute (Hours): vm-1 same hours at a higher rate (price +2.00); vm-2 more hours, vm-3 fewer, at their rates
// (hours 400 → 450 at the A average 0.10: usage +5.00; the move from vm-3 at 0.20 to vm-2 at 0.05 is mix −10.00);
// vm-old gone (removed −30.00), vm-new arrives (new +25.50); the support fee has no quantity (its +2.00 is price);
// credits −3.00 → −1.00 and a +0.50 correction (credits +2.50).
const SEPTEMBER: Row[] = [
  charge('2026-09-03', '6.00', { ServiceName: 'Compute', ResourceId: 'vm-1', PricingQuantity: '60', PricingUnit: 'Hours' }),
  charge('2026-09-20', '4.00', { ServiceName: 'Compute', ResourceId: 'vm-1', PricingQuantity: '40', PricingUnit: 'Hours' }),
  charge('2026-09-05', '10.00', { ServiceName: 'Compute', ResourceId: 'vm-2', PricingQuantity: '200', PricingUnit: 'Hours' }),
  charge('2026-09-05', '20.00', { ServiceName: 'Compute', ResourceId: 'vm-3', PricingQuantity: '100', PricingUnit: 'Hours' }),
  charge('2026-09-06', '30.00', { ServiceName: 'Compute', ResourceId: 'vm-old', PricingQuantity: '300', PricingUnit: 'Hours' }),
  charge('2026-09-30', '5.00', { ServiceName: 'Compute', SkuId: 'SUPPORT', ChargeDescription: 'Support plan' }),
  charge('2026-09-30', '-3.00', { ServiceName: 'Compute', ChargeCategory: 'Credit', ChargeDescription: 'Promotional credit' }),
  // Storage: bucket-1 cheaper per GB-Mo but more of them (price −2.40, usage +4.60), requests doubled (usage +0.20)
  charge('2026-09-30', '23.00', { ServiceName: 'Storage', ResourceId: 'bucket-1', PricingQuantity: '1000', PricingUnit: 'GB-Mo', SubAccountId: 'team-b' }),
  charge('2026-09-30', '0.20', { ServiceName: 'Storage', ResourceId: 'bucket-1', PricingQuantity: '500', PricingUnit: '1K Requests', SubAccountId: 'team-b' }),
  // Archive: a third of a unit price, so price and usage are rounded to the nano
  charge('2026-09-30', '1.00', { ServiceName: 'Archive', ResourceId: 'vault-1', PricingQuantity: '3', PricingUnit: 'GB-Mo', SubAccountId: 'team-b' }),
];
const OCTOBER: Row[] = [
  charge('2026-10-03', '12.00', { ServiceName: 'Compute', ResourceId: 'vm-1', PricingQuantity: '100', PricingUnit: 'Hours' }),
  charge('2026-10-05', '15.00', { ServiceName: 'Compute', ResourceId: 'vm-2', PricingQuantity: '300', PricingUnit: 'Hours' }),
  charge('2026-10-05', '10.00', { ServiceName: 'Compute', ResourceId: 'vm-3', PricingQuantity: '50', PricingUnit: 'Hours' }),
  charge('2026-10-07', '25.50', { ServiceName: 'Compute', ResourceId: 'vm-new', PricingQuantity: '150', PricingUnit: 'Hours' }),
  charge('2026-10-31', '7.00', { ServiceName: 'Compute', SkuId: 'SUPPORT', ChargeDescription: 'Support plan' }),
  charge('2026-10-31', '-1.00', { ServiceName: 'Compute', ChargeCategory: 'Credit', ChargeDescription: 'Promotional credit' }),
  charge('2026-10-31', '0.50', { ServiceName: 'Compute', ResourceId: 'vm-1', ChargeClass: 'Correction', PricingQuantity: '5', PricingUnit: 'Hours' }),
  charge('2026-10-31', '25.20', { ServiceName: 'Storage', ResourceId: 'bucket-1', PricingQuantity: '1200', PricingUnit: 'GB-Mo', SubAccountId: 'team-b' }),
  charge('2026-10-31', '0.40', { ServiceName: 'Storage', ResourceId: 'bucket-1', PricingQuantity: '1000', PricingUnit: '1K Requests', SubAccountId: 'team-b' }),
  charge('2026-10-31', '2.00', { ServiceName: 'Archive', ResourceId: 'vault-1', PricingQuantity: '7', PricingUnit: 'GB-Mo', SubAccountId: 'team-b' }),
];
// another billing account in euros, both months
const EUROS: Row[] = [
  charge('2026-09-10', '40.00', { ServiceName: 'Compute', ResourceId: 'eu-vm', PricingQuantity: '10', PricingUnit: 'Hours', BillingCurrency: 'EUR', BillingAccountId: 'acct-eu' }),
  charge('2026-10-10', '44.00', { ServiceName: 'Compute', ResourceId: 'eu-vm', PricingQuantity: '10', PricingUnit: 'Hours', BillingCurrency: 'EUR', BillingAccountId: 'acct-eu' }),
];

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
function writeCsv(file: string, rows: Row[]): string {
  fs.writeFileSync(file, [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n');
  return file;
}

let dir: string;
let ws: string;
let engine: Engine;

function finished(jobId: string): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const stop = engine.subscribe((event, payload) => {
      const p = payload as { jobId: string; outcome: ImportOutcome };
      if (event === 'import.finished' && p.jobId === jobId) {
        stop();
        resolve(p.outcome);
      }
    });
  });
}

beforeAll(async () => {
  dir = tempDir();
  ws = path.join(dir, 'compare.meterbook');
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
  // one file per month (the comparison reads only the files holding each period's days) and one for the euros
  for (const [name, rows] of [['september.csv', SEPTEMBER], ['october.csv', OCTOBER], ['euros.csv', EUROS]] as const) {
    const { jobId } = await engine.invoke('import.start', { files: [{ path: writeCsv(path.join(dir, name), [...rows]) }] });
    const outcome = await finished(jobId);
    if (outcome.status !== 'done') throw new Error(`${name}: ${JSON.stringify(outcome)}`);
  }
}, 60_000);
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const compare = (input: Partial<CompareInput> = {}) =>
  engine.invoke('explore.compare', { a: SEP, b: OCT, groupBy: 'ServiceName', filters: USD, ...input });

/** Σ parts == change, exactly: the amounts have at most 9 decimals, which Big reads back without loss. */
function expectPartsAddUp(l: CompareLine): void {
  const sum = Object.values(l.parts).reduce((s, v) => s.plus(String(v)), new Big(0));
  expect(sum.eq(String(l.change)), `${sum.toString()} vs ${l.change}`).toBe(true);
  expect(new Big(String(l.b)).minus(String(l.a)).eq(String(l.change))).toBe(true);
}

function row(out: CompareOutput, value: string | null) {
  const r = out.rows.find((x) => x.value === value);
  if (!r) throw new Error(`no row ${value} in ${JSON.stringify(out.rows.map((x) => x.value))}`);
  return r;
}

describe('explore.compare', () => {
  it('splits each service’s change into hand-derived price, usage, mix, new, removed and credits', async () => {
    const out = await compare();
    expect(out.currency).toBe('USD');
    expect(out.groupBy).toBe('ServiceName');
    expect(out.a).toEqual({ ...SEP, rows: SEPTEMBER.length });
    expect(out.b).toEqual({ ...OCT, rows: OCTOBER.length });
    // largest |change| first: Compute −3.00, Storage +2.40, Archive +1.00
    expect(out.rows.map((r) => r.value)).toEqual(['Compute', 'Storage', 'Archive']);

    const compute = row(out, 'Compute');
    expect(compute).toMatchObject({ a: 72, b: 69, change: -3, newItems: 1, removedItems: 1 });
    expect(compute.parts).toEqual({ price: 4, usage: 5, mix: -10, new: 25.5, removed: -30, credits: 2.5 });

    const storage = row(out, 'Storage');
    expect(storage).toMatchObject({ a: 23.2, b: 25.6, change: 2.4, newItems: 0, removedItems: 0 });
    // GB-Mo and requests are separate units: their quantities are never added together
    expect(storage.parts).toEqual({ price: -2.4, usage: 4.8, mix: 0, new: 0, removed: 0, credits: 0 });

    // 3 → 7 GB-Mo, 1.00 → 2.00: price 2 − 7/3 = −0.333333333…, usage 4/3 = 1.333333333… (each rounded to the nano)
    const archive = row(out, 'Archive');
    expect(archive.parts).toEqual({ price: -0.333333333, usage: 1.333333333, mix: 0, new: 0, removed: 0, credits: 0 });

    for (const r of out.rows) expectPartsAddUp(r);
    expectPartsAddUp(out.total!);
    expect(out.total).toMatchObject({ a: 96.2, b: 96.6, change: 0.4, newItems: 1, removedItems: 1 });
    expect(out.total!.parts).toEqual({ price: 1.266666667, usage: 11.133333333, mix: -10, new: 25.5, removed: -30, credits: 2.5 });
  });

  it('keeps items of one value apart: by ResourceId each resource is new, removed or continuing', async () => {
    const out = await compare({ groupBy: 'ResourceId', filters: [...USD, { column: 'ServiceName', values: ['Compute'] }] });
    expect(row(out, 'vm-new').parts.new).toBe(25.5);
    expect(row(out, 'vm-new')).toMatchObject({ a: 0, b: 25.5, newItems: 1 });
    expect(row(out, 'vm-old').parts.removed).toBe(-30);
    expect(row(out, 'vm-1').parts).toMatchObject({ price: 2, usage: 0, mix: 0, credits: 0.5 });
    // one item alone in its unit: its whole volume is usage, nothing is mix
    expect(row(out, 'vm-3').parts).toMatchObject({ price: 0, usage: -10, mix: 0 });
    // rows without a ResourceId: the support fee (by SkuId) and the credit
    expect(row(out, null).parts).toMatchObject({ price: 2, credits: 2 });
    for (const r of out.rows) expectPartsAddUp(r);
    expect(out.total!.change).toBe(-3);
  });

  it('applies the filters to both periods', async () => {
    const storageOnly = await compare({ filters: [...USD, { column: 'ServiceName', values: ['Storage'] }] });
    expect(storageOnly.rows.map((r) => r.value)).toEqual(['Storage']);
    expect(storageOnly.total).toMatchObject({ a: 23.2, b: 25.6, change: 2.4 });
    const teamA = await compare({ groupBy: 'SubAccountId', filters: [...USD, { column: 'SubAccountId', values: ['team-b'], exclude: true }] });
    expect(teamA.rows.map((r) => r.value)).toEqual(['team-a']);
    expect(teamA.total!.change).toBe(-3);
    expect(teamA.a.rows).toBe(7);
  });

  it('refuses several currencies unless filtered or grouped by BillingCurrency', async () => {
    const r = await engine.call('explore.compare', { a: SEP, b: OCT, groupBy: 'ServiceName' });
    expect(r).toMatchObject({ ok: false, error: { code: 'mixed-currency', detail: { currencies: ['EUR', 'USD'] } } });
    const eur = await compare({ filters: [{ column: 'BillingCurrency', values: ['EUR'] }] });
    expect(eur.currency).toBe('EUR');
    expect(row(eur, 'Compute').parts).toEqual({ price: 4, usage: 0, mix: 0, new: 0, removed: 0, credits: 0 });
    const byCurrency = await compare({ groupBy: 'BillingCurrency', filters: [] });
    expect(byCurrency.total).toBeNull();
    expect(byCurrency.currency).toBeNull();
    expect(row(byCurrency, 'EUR')).toMatchObject({ currency: 'EUR', change: 4 });
    expect(row(byCurrency, 'USD')).toMatchObject({ currency: 'USD', change: 0.4 });
  });

  it('says a period holds no data, and folds values beyond top into one row that still adds up', async () => {
    const empty = await compare({ a: { from: '2026-07-01', to: '2026-07-31' } });
    expect(empty.a.rows).toBe(0);
    expect(row(empty, 'Compute')).toMatchObject({ a: 0, b: 69 });
    expect(row(empty, 'Compute').parts).toMatchObject({ new: 69.5, credits: -0.5 });
    expectPartsAddUp(row(empty, 'Compute'));

    const top1 = await compare({ top: 1 });
    expect(top1.rows.map((r) => r.value)).toEqual(['Compute', '(other)']);
    expect(row(top1, '(other)')).toMatchObject({ values: 2, a: 24.2, b: 27.6, change: 3.4 });
    expectPartsAddUp(row(top1, '(other)'));
    expect(top1.total).toEqual((await compare()).total);
  });

  it('refuses what cannot be compared, as values', async () => {
    expect(await engine.call('explore.compare', { a: { from: '2026-09-30', to: '2026-09-01' }, b: OCT, groupBy: 'ServiceName' })).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    const byMoney = await engine.call('explore.compare', { a: SEP, b: OCT, groupBy: 'BilledCost', filters: USD });
    expect(byMoney).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('cannot compare by BilledCost') } });
  });

  it('meterbook compare prints an aligned table, --json the contract output, and refuses mixed currencies', () => {
    const env = { ...process.env, MB_DATA_DIR: path.join(dir, 'cli-data') };
    const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    const base = ['compare', ws, '--a', '2026-09-01..2026-09-30', '--b', '2026-10-01..2026-10-31', '--group-by', 'ServiceName'];
    const text = cli(...base, '--filter', 'BillingCurrency=USD');
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('BilledCost by ServiceName in USD: A 2026-09-01..2026-09-30 (10 rows), B 2026-10-01..2026-10-31 (10 rows)');
    const header = lines.find((l) => l.startsWith('ServiceName'))!;
    const compute = lines.find((l) => l.startsWith('Compute'))!;
    expect(compute.split(/\s+/)).toEqual(['Compute', '72.00', '69.00', '-3.00', '4.00', '5.00', '-10.00', '25.50', '-30.00', '2.50']);
    // amounts are right-aligned under their headings
    expect(compute.length).toBe(header.length);
    expect(compute.indexOf('-3.00') + '-3.00'.length).toBe(header.indexOf('change') + 'change'.length);
    expect(lines.find((l) => l.startsWith('total'))!.split(/\s+/)).toEqual(['total', '96.20', '96.60', '0.40', '1.27', '11.13', '-10.00', '25.50', '-30.00', '2.50']);

    const json = cli(...base, '--filter', 'BillingCurrency=USD', '--metric', 'EffectiveCost', '--json');
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout) as CompareOutput;
    expect(out.metric).toBe('EffectiveCost');
    expect(out.rows[0]).toMatchObject({ value: 'Compute', change: -3, parts: { price: 4, usage: 5, mix: -10 } });

    const mixed = cli(...base);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('Several billing currencies are in scope (EUR, USD)');
    const usage = cli('compare', ws, '--a', '2026-09', '--b', '2026-10-01..2026-10-31', '--group-by', 'ServiceName');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("--a '2026-09': expected YYYY-MM-DD..YYYY-MM-DD");
  });
});

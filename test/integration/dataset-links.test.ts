// Linking the supporting FOCUS datasets to Cost and Usage by their keys: invoices (Invoice Detail vs Cost and Usage
// BilledCost per issuer, invoice and currency, with the billing period's status) and commitment burn-down (Contract
// Commitment vs Cost and Usage ContractApplied). Small hand-made FOCUS files are written here, imported for real, and
// every expected amount is summed with big.js from the files themselves.
import Big from 'big.js';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { runImport } from '../../src-main/ingest/import-runner';
import type { DatasetLinks, ImportMode } from '../../src-shared/api/contract';
import { decimalSum, readCsvRecords } from '../helpers/independent-csv';
import { tempDir } from '../helpers/temp';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'meterbook.js');

let dir: string;
let engine: Engine;
beforeAll(async () => {
  dir = tempDir();
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// ---------- the files ----------

type Rec = Record<string, string>;

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function writeCsv(name: string, columns: string[], rows: Rec[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n');
  return file;
}

/**
 * A FOCUS 1.4 ContractApplied value; amounts are the JSON text given (exact numbers, or quoted). `spelling: 'ID'`
 * writes the keys as FOCUS 1.3's text printed them (ContractCommitmentID), which producers still emit.
 */
function applied(...elements: { cc: string; cost: string; qty?: string; unit?: string; spelling?: 'ID' }[]): string {
  const els = elements.map(
    (e) =>
      `{"Contract${e.spelling ?? 'Id'}":"c-1","ContractCommitment${e.spelling ?? 'Id'}":"${e.cc}","ContractCommitmentAppliedCost":${e.cost}` +
      `,"ContractCommitmentAppliedQuantity":${e.qty ?? 'null'},"ContractCommitmentAppliedUnit":${e.unit ? `"${e.unit}"` : 'null'}}`,
  );
  return `{"Elements":[${els.join(',')}]}`;
}

const CU_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'EffectiveCost',
  'InvoiceId',
  'InvoiceIssuerName',
  'ServiceName',
  'ServiceProviderName',
  'ContractApplied',
];

const JAN = { BillingPeriodStart: '2025-01-01T00:00:00Z', BillingPeriodEnd: '2025-02-01T00:00:00Z' };
const FEB = { BillingPeriodStart: '2025-02-01T00:00:00Z', BillingPeriodEnd: '2025-03-01T00:00:00Z' };
const MAR = { BillingPeriodStart: '2025-03-01T00:00:00Z', BillingPeriodEnd: '2025-04-01T00:00:00Z' };

function cu(period: typeof JAN, day: string, over: Rec): Rec {
  return {
    BillingAccountId: 'acct-1',
    BillingCurrency: 'USD',
    ...period,
    ChargeCategory: 'Usage',
    ChargePeriodStart: `${day}T00:00:00Z`,
    ChargePeriodEnd: `${day}T01:00:00Z`,
    InvoiceIssuerName: 'Aura Web',
    ServiceName: 'Compute',
    ServiceProviderName: 'Aura Web',
    ...over,
    EffectiveCost: over.EffectiveCost ?? over.BilledCost!,
  };
}

const costJan = [
  cu(JAN, '2025-01-03', { BilledCost: '100.10', InvoiceId: 'INV-JAN', ContractApplied: applied({ cc: 'cc-1', cost: '12.5' }) }),
  cu(JAN, '2025-01-04', {
    BilledCost: '200.205',
    InvoiceId: 'INV-JAN',
    ContractApplied: applied({ cc: 'cc-1', cost: '0.1' }, { cc: 'cc-2', cost: '7.125', qty: '1.5', unit: 'Hours' }),
  }),
  cu(JAN, '2025-01-05', { BilledCost: '0.335', InvoiceId: 'INV-JAN', ContractApplied: applied({ cc: 'cc-1', cost: '0.2' }) }),
  cu(JAN, '2025-01-06', { BilledCost: '0.1', InvoiceId: 'INV-JAN', ContractApplied: applied({ cc: 'cc-1', cost: '0.7' }, { cc: 'cc-1', cost: '0.1' }) }),
  // the same InvoiceId from another issuer is another invoice
  cu(JAN, '2025-01-07', { BilledCost: '55.55', InvoiceId: 'INV-JAN', InvoiceIssuerName: 'Nimbus Resale', BillingAccountId: 'acct-9' }),
  // not invoiced yet: no invoice, but its commitment use counts
  cu(JAN, '2025-01-08', { BilledCost: '9.99', InvoiceId: '', ContractApplied: applied({ cc: 'cc-unknown', cost: '3.3' }) }),
  cu(JAN, '2025-01-09', { BilledCost: '20', InvoiceId: 'INV-JAN', ContractApplied: 'not json' }),
  cu(JAN, '2025-01-10', {
    BilledCost: '0',
    InvoiceId: 'INV-JAN',
    ContractApplied: applied({ cc: 'cc-2', cost: '"2.5"', qty: '0.5', unit: 'Hours', spelling: 'ID' }),
  }),
  // what cannot be counted, and is said so
  cu(JAN, '2025-01-11', { BilledCost: '0', InvoiceId: '', ContractApplied: '{"Elements":[]}' }),
  cu(JAN, '2025-01-12', { BilledCost: '0', InvoiceId: '', ContractApplied: '{"Elements":[{"ContractId":"c-1","ContractCommitmentAppliedCost":1}]}' }),
  cu(JAN, '2025-01-13', { BilledCost: '0', InvoiceId: '', ContractApplied: applied({ cc: 'cc-1', cost: '"abc"' }) }),
];
// the first delivery of February, replaced in full by the second
const costFebV1 = [
  cu(FEB, '2025-02-03', { BilledCost: '70.00', InvoiceId: 'INV-FEB', ContractApplied: applied({ cc: 'cc-1', cost: '40' }) }),
  cu(FEB, '2025-02-04', { BilledCost: '30.00', InvoiceId: 'INV-FEB', BillingCurrency: 'EUR' }),
  cu(FEB, '2025-02-05', { BilledCost: '15.00', InvoiceId: 'INV-OLD' }),
];
const costFebV2 = [
  cu(FEB, '2025-02-03', { BilledCost: '80.01', InvoiceId: 'INV-FEB', ContractApplied: applied({ cc: 'cc-1', cost: '10.05' }) }),
  cu(FEB, '2025-02-04', { BilledCost: '19.99', InvoiceId: 'INV-FEB' }),
  // EUR rows of the same invoice, one drawing on the USD commitment cc-1 (not added to it)
  cu(FEB, '2025-02-05', { BilledCost: '45.5', InvoiceId: 'INV-FEB', BillingCurrency: 'EUR', ContractApplied: applied({ cc: 'cc-1', cost: '1.25' }) }),
  cu(FEB, '2025-02-06', { BilledCost: '0.25', InvoiceId: 'INV-FEB', BillingCurrency: 'EUR' }),
  cu(FEB, '2025-02-07', { BilledCost: '12.34', InvoiceId: 'INV-COSTONLY' }),
];

const ID_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'InvoiceDetailId',
  'InvoiceId',
  'InvoiceIssueStatus',
  'InvoiceIssuerName',
];
const line = (period: typeof JAN, over: Rec): Rec => ({
  BillingAccountId: 'acct-1',
  BillingCurrency: 'USD',
  ...period,
  ChargeCategory: 'Usage',
  InvoiceIssueStatus: 'Issued',
  InvoiceIssuerName: 'Aura Web',
  ...over,
});
const invoices = [
  // INV-JAN equals Cost and Usage to the cent (320.74)
  line(JAN, { InvoiceId: 'INV-JAN', InvoiceDetailId: 'L1', BilledCost: '300.00' }),
  line(JAN, { InvoiceId: 'INV-JAN', InvoiceDetailId: 'L2', BilledCost: '20.74', ChargeCategory: 'Tax' }),
  // INV-FEB in USD is 3 cents more than Cost and Usage; in EUR it matches
  line(FEB, { InvoiceId: 'INV-FEB', InvoiceDetailId: 'L1', BilledCost: '100.03' }),
  line(FEB, { InvoiceId: 'INV-FEB', InvoiceDetailId: 'L2', BilledCost: '45.75', BillingCurrency: 'EUR' }),
];
const openV1 = [line(MAR, { InvoiceId: 'INV-OPEN', InvoiceDetailId: 'L1', BilledCost: '42.00', InvoiceIssueStatus: 'Open' })];
const openV2 = [line(MAR, { InvoiceId: 'INV-OPEN', InvoiceDetailId: 'L1', BilledCost: '42.42', InvoiceIssueStatus: 'Issued' })];

const BP_COLUMNS = ['BillingPeriodStart', 'BillingPeriodEnd', 'BillingPeriodStatus', 'InvoiceIssuerName'];
const periods = [
  { ...JAN, BillingPeriodStatus: 'Closed', InvoiceIssuerName: 'Aura Web' },
  { ...FEB, BillingPeriodStatus: 'Open', InvoiceIssuerName: 'Aura Web' },
  { ...MAR, BillingPeriodStatus: 'Open', InvoiceIssuerName: 'Aura Web' },
];

const CC_COLUMNS = [
  'BillingCurrency',
  'ContractCommitmentCategory',
  'ContractCommitmentCost',
  'ContractCommitmentId',
  'ContractCommitmentPeriodEnd',
  'ContractCommitmentPeriodStart',
  'ContractCommitmentQuantity',
  'ContractCommitmentUnit',
  'ContractId',
  'InvoiceIssuerName',
];
const commitmentPeriod = { ContractCommitmentPeriodStart: '2025-01-01T00:00:00Z', ContractCommitmentPeriodEnd: '2026-01-01T00:00:00Z' };
const commitments: Rec[] = [
  { ...commitmentPeriod, BillingCurrency: 'USD', ContractCommitmentCategory: 'Spend', ContractCommitmentCost: '1000.00', ContractCommitmentId: 'cc-1', ContractCommitmentUnit: 'USD', ContractId: 'c-1' },
  {
    ...commitmentPeriod,
    BillingCurrency: 'USD',
    ContractCommitmentCategory: 'Usage',
    ContractCommitmentCost: '500.00',
    ContractCommitmentId: 'cc-2',
    ContractCommitmentQuantity: '100',
    ContractCommitmentUnit: 'Hours',
    ContractId: 'c-1',
  },
  { ...commitmentPeriod, BillingCurrency: 'EUR', ContractCommitmentCategory: 'Spend', ContractCommitmentCost: '250', ContractCommitmentId: 'cc-3', ContractId: 'c-2' },
].map((c) => ({ ...c, InvoiceIssuerName: 'Aura Web' }));

// ---------- independent expectations ----------

const isNull = (v: string | undefined) => v === undefined || v.trim() === '' || v.trim().toLowerCase() === 'null';

/** Sum of BilledCost over a file's rows of one (issuer, invoice, currency), with big.js. */
function sideSum(files: string[], issuer: string, invoice: string, currency: string): { sum: Big; rows: number } | null {
  const recs = files.flatMap((f) => readCsvRecords(f)).filter((r) => r.InvoiceIssuerName === issuer && r.InvoiceId === invoice && r.BillingCurrency === currency);
  if (recs.length === 0) return null;
  return { sum: decimalSum(recs, 'BilledCost'), rows: recs.length };
}

/** ContractApplied elements of a file's rows, amounts kept as their exact JSON text (numbers turned into strings). */
function elementsOf(files: string[]): { cc: string; currency: string; cost: Big; qty: Big | null; row: string }[] {
  const out: { cc: string; currency: string; cost: Big; qty: Big | null; row: string }[] = [];
  for (const f of files) {
    readCsvRecords(f).forEach((r, i) => {
      if (isNull(r.ContractApplied) || !r.ContractApplied!.startsWith('{')) return;
      const exact = r.ContractApplied!.replace(/:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, ':"$1"');
      const doc = JSON.parse(exact) as { Elements: Record<string, string | null>[] };
      for (const e of doc.Elements) {
        // an element without a commitment id or a numeric cost cannot be counted (the notes say so)
        const cc = e.ContractCommitmentId ?? e.ContractCommitmentID;
        if (!cc || !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(e.ContractCommitmentAppliedCost ?? '')) continue;
        out.push({
          cc,
          currency: r.BillingCurrency!,
          cost: new Big(e.ContractCommitmentAppliedCost!),
          qty: e.ContractCommitmentAppliedQuantity ? new Big(e.ContractCommitmentAppliedQuantity) : null,
          row: `${f}#${i}`,
        });
      }
    });
  }
  return out;
}

const num = (b: Big) => Number(b.toFixed());

// ---------- the workspace ----------

interface Files {
  jan: string;
  febV1: string;
  febV2: string;
  invoices: string;
  openV1: string;
  openV2: string;
  periods: string;
  commitments: string;
}
let files: Files;
let ws: string;

async function imp(file: string, mode: ImportMode = 'ask') {
  const outcome = await runImport({ workspacePath: ws, files: [{ path: file, name: path.basename(file) }], mode });
  if (outcome.status !== 'done') throw new Error(`${path.basename(file)}: ${JSON.stringify(outcome).slice(0, 400)}`);
  return outcome;
}

async function links(input: Record<string, unknown> = {}): Promise<DatasetLinks> {
  await engine.invoke('workspace.open', { path: ws });
  return engine.invoke('explore.datasetLinks', input);
}

describe('dataset links', () => {
  beforeAll(async () => {
    files = {
      jan: writeCsv('cost-jan.csv', CU_COLUMNS, costJan),
      febV1: writeCsv('cost-feb.csv', CU_COLUMNS, costFebV1),
      febV2: writeCsv('cost-feb-v2.csv', CU_COLUMNS, costFebV2),
      invoices: writeCsv('invoice-detail.csv', ID_COLUMNS, invoices),
      openV1: writeCsv('invoice-open.csv', ID_COLUMNS, openV1),
      openV2: writeCsv('invoice-open-v2.csv', ID_COLUMNS, openV2),
      periods: writeCsv('billing-period.csv', BP_COLUMNS, periods),
      commitments: writeCsv('contract-commitment.csv', CC_COLUMNS, commitments),
    };
    ws = path.join(dir, 'links.meterbook');
    await imp(files.jan);
    await imp(files.febV1);
    await imp(files.invoices);
    await imp(files.openV1);
    await imp(files.periods);
    await imp(files.commitments);
    // re-deliveries: February's Cost and Usage restated in full, the open invoice issued with a new amount
    await imp(files.febV2, 'replace');
    const again = await imp(files.openV2);
    expect(again.files[0]).toMatchObject({ dataset: 'InvoiceDetail', replacedRows: 1 });
  });

  it('the replaced deliveries are inactive imports', () => {
    const db = new Database(ws, { readonly: true });
    const active = Object.fromEntries(
      (db.prepare('SELECT file_name AS f, active AS a FROM import_file').all() as { f: string; a: number }[]).map((r) => [r.f, r.a]),
    );
    db.close();
    expect(active).toMatchObject({ 'cost-feb.csv': 0, 'invoice-open.csv': 0, 'cost-feb-v2.csv': 1, 'invoice-open-v2.csv': 1, 'cost-jan.csv': 1 });
  });

  it('links invoices by issuer, invoice and currency: matches, differs, invoice-only, cost-only, newest period first', async () => {
    const res = await links();
    const costFiles = [files.jan, files.febV2];
    const invoiceFiles = [files.invoices, files.openV2];
    expect(res.counts).toEqual({
      costAndUsageRows: costJan.length + costFebV2.length,
      invoiceDetailRows: invoices.length + openV2.length,
      contractCommitmentRows: commitments.length,
      billingPeriodRows: periods.length,
    });
    expect(res.invoices.map((i) => [i.billingPeriodStart, i.invoiceId, i.invoiceIssuerName, i.currency, i.status])).toEqual([
      ['2025-03-01', 'INV-OPEN', 'Aura Web', 'USD', 'invoice-only'],
      ['2025-02-01', 'INV-COSTONLY', 'Aura Web', 'USD', 'cost-only'],
      ['2025-02-01', 'INV-FEB', 'Aura Web', 'EUR', 'matches'],
      ['2025-02-01', 'INV-FEB', 'Aura Web', 'USD', 'differs'],
      ['2025-01-01', 'INV-JAN', 'Aura Web', 'USD', 'matches'],
      ['2025-01-01', 'INV-JAN', 'Nimbus Resale', 'USD', 'cost-only'],
    ]);
    // every amount against big.js sums of the files that are current
    for (const link of res.invoices) {
      const inv = sideSum(invoiceFiles, link.invoiceIssuerName!, link.invoiceId, link.currency!);
      const cost = sideSum(costFiles, link.invoiceIssuerName!, link.invoiceId, link.currency!);
      expect(link.invoiceBilledCost).toBe(inv ? num(inv.sum) : null);
      expect(link.costAndUsageBilledCost).toBe(cost ? num(cost.sum) : null);
      expect(link.difference).toBe(num((inv?.sum ?? new Big(0)).minus(cost?.sum ?? new Big(0))));
      expect([link.invoiceRows, link.costRows]).toEqual([inv?.rows ?? 0, cost?.rows ?? 0]);
      if (link.status === 'matches') expect(inv!.sum.minus(cost!.sum).abs().lt('0.005')).toBe(true);
    }
    const feb = res.invoices.find((i) => i.invoiceId === 'INV-FEB' && i.currency === 'USD')!;
    expect(feb.difference).toBe(0.03);
    // statuses: the invoice's own, and its issuer's billing period
    expect(res.invoices.map((i) => [i.invoiceId, i.invoiceIssueStatus, i.billingPeriodStatus])).toEqual([
      ['INV-OPEN', 'Issued', 'Open'],
      ['INV-COSTONLY', null, 'Open'],
      ['INV-FEB', 'Issued', 'Open'],
      ['INV-FEB', 'Issued', 'Open'],
      ['INV-JAN', 'Issued', 'Closed'],
      ['INV-JAN', null, null],
    ]);
    // the replaced deliveries count nowhere
    expect(res.invoices.some((i) => i.invoiceId === 'INV-OLD')).toBe(false);
    expect(res.invoices.find((i) => i.invoiceId === 'INV-OPEN')!.invoiceBilledCost).toBe(42.42);
  });

  it('burns commitments down with the exact ContractApplied amounts, currencies apart, and lists unknown ones', async () => {
    const res = await links();
    const els = elementsOf([files.jan, files.febV2]);
    const expected = (cc: string, currency: string) => {
      const mine = els.filter((e) => e.cc === cc && e.currency === currency);
      return {
        cost: mine.reduce((s, e) => s.plus(e.cost), new Big(0)),
        qty: mine.reduce((s, e) => (e.qty ? s.plus(e.qty) : s), new Big(0)),
        rows: new Set(mine.map((e) => e.row)).size,
      };
    };
    const byId = Object.fromEntries(res.commitments.map((c) => [c.contractCommitmentId, c]));
    expect(res.commitments.map((c) => c.contractCommitmentId)).toEqual(['cc-1', 'cc-2', 'cc-3']);
    for (const c of commitments) {
      const got = byId[c.ContractCommitmentId!]!;
      const exp = expected(c.ContractCommitmentId!, c.BillingCurrency!);
      expect(got).toMatchObject({
        contractId: c.ContractId,
        category: c.ContractCommitmentCategory,
        currency: c.BillingCurrency,
        periodStart: '2025-01-01T00:00:00Z',
        periodEnd: '2026-01-01T00:00:00Z',
        commitmentCost: num(new Big(c.ContractCommitmentCost!)),
        commitmentQuantity: c.ContractCommitmentQuantity ? Number(c.ContractCommitmentQuantity) : null,
        appliedCost: num(exp.cost),
        appliedQuantity: num(exp.qty),
        remainingCost: num(new Big(c.ContractCommitmentCost!).minus(exp.cost)),
        costRows: exp.rows,
      });
    }
    // cc-1: 12.5 + 0.1 + 0.2 + 0.7 + 0.1 in January, 10.05 in February's current delivery (not the replaced 40)
    expect(byId['cc-1']).toMatchObject({ appliedCost: 23.65, remainingCost: 976.35, costRows: 5 });
    // cc-2: 7.125 for 1.5 hours, and 2.5 for 0.5 hours written with 1.3's key spelling and a quoted amount
    expect(byId['cc-2']).toMatchObject({ appliedCost: 9.625, appliedQuantity: 2, unit: 'Hours', remainingCost: 490.375, costRows: 2 });
    expect(byId['cc-3']).toMatchObject({ appliedCost: 0, remainingCost: 250, costRows: 0 });
    expect(res.unknownCommitments).toEqual([{ contractCommitmentId: 'cc-unknown', currency: 'USD', appliedCost: num(expected('cc-unknown', 'USD').cost), costRows: 1 }]);
    // what could not be counted is said, never silently dropped or added across currencies
    expect(res.notes).toEqual([
      '1 Cost and Usage row has a ContractApplied that is not JSON; not counted in any commitment.',
      '1 Cost and Usage row has a ContractApplied with no Elements; not counted.',
      '1 Cost and Usage row has ContractApplied elements that name no ContractCommitmentId; not counted.',
      '1 Cost and Usage row has ContractApplied elements whose applied cost or quantity is not a number; not counted.',
      'Commitment cc-1 is in USD, but Cost and Usage applies 1.25 EUR of it on 1 row; not counted.',
    ]);
  });

  it('from/to keep the invoices of billing periods starting in that range; a reversed range is refused', async () => {
    const res = await links({ from: '2025-02-01', to: '2025-02-28' });
    expect(res.invoices.map((i) => [i.invoiceId, i.currency])).toEqual([
      ['INV-COSTONLY', 'USD'],
      ['INV-FEB', 'EUR'],
      ['INV-FEB', 'USD'],
    ]);
    expect(res.commitments).toHaveLength(3);
    await expect(links({ from: '2025-03-01', to: '2025-02-01' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(links({ from: '2025-3-1' })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('reads ContractApplied in one pass when every value is JSON', async () => {
    const clean = path.join(dir, 'clean.meterbook');
    for (const f of [files.febV2, files.commitments]) {
      const o = await runImport({ workspacePath: clean, files: [{ path: f, name: path.basename(f) }], mode: 'ask' });
      expect(o.status).toBe('done');
    }
    await engine.invoke('workspace.open', { path: clean });
    const res = await engine.invoke('explore.datasetLinks', {});
    const cc1 = elementsOf([files.febV2]).filter((e) => e.cc === 'cc-1' && e.currency === 'USD');
    expect(res.commitments.find((c) => c.contractCommitmentId === 'cc-1')).toMatchObject({
      appliedCost: num(cc1.reduce((s, e) => s.plus(e.cost), new Big(0))),
      costRows: cc1.length,
    });
    expect(res.notes).toEqual(['Commitment cc-1 is in USD, but Cost and Usage applies 1.25 EUR of it on 1 row; not counted.']);
  });

  it('an empty workspace links nothing', async () => {
    const empty = path.join(dir, 'empty.meterbook');
    await engine.invoke('workspace.create', { name: 'empty', path: empty });
    const res = await engine.invoke('explore.datasetLinks', {});
    expect(res).toEqual({
      counts: { costAndUsageRows: 0, invoiceDetailRows: 0, contractCommitmentRows: 0, billingPeriodRows: 0 },
      invoices: [],
      commitments: [],
      unknownCommitments: [],
      notes: [],
    });
  });

  it('meterbook links prints the same as JSON, and tables for people', async () => {
    const env = { ...process.env, MB_DATA_DIR: path.join(dir, 'cli-data') };
    const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
    const json = cli('links', '--workspace', ws, '--json');
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(await links());
    const text = cli('links', '--workspace', ws);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^rows: Cost and Usage 16, Invoice Detail 5, Contract Commitment 3, Billing Period 3$/m);
    expect(text.stdout).toMatch(/2025-02-01 +Aura Web +INV-FEB +USD +100\.03 +100\.00 +0\.03 +differs +Issued +Open/);
    expect(text.stdout).toMatch(/cc-1 +c-1 +Spend +USD +2025-01-01\.\.2026-01-01 +1000\.00 +23\.65 +976\.35 +5/);
    expect(text.stdout).toMatch(/cc-unknown +USD +3\.30 +1/);
    expect(cli('links').status).toBe(2);
    const missing = cli('links', '--workspace', path.join(dir, 'nope.meterbook'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

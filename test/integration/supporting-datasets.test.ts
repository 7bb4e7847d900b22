// The supporting FOCUS datasets (Contract Commitment, Invoice Detail, Billing Period): detected by header, stored in
// their own tables with exact money, checked against their rules, and replaced by key when re-delivered.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src-main/ingest/import-runner';
import { validateFile } from '../../src-main/ingest/validate';
import { decimalSum, readCsvRecords } from '../helpers/independent-csv';
import { FIXTURES, tempDir } from '../helpers/temp';

const V14 = path.join(FIXTURES, 'focus', 'spec-v1.4');
const CC = path.join(V14, 'contract_commitment_scenario_1.csv');
const ID1 = path.join(V14, 'invoice_detail_scenario_1.csv');
const ID2 = path.join(V14, 'invoice_detail_scenario_2.csv');
const BPA = path.join(FIXTURES, 'focus', 'hand-made', 'billing_period_a.csv');
const BPB = path.join(FIXTURES, 'focus', 'hand-made', 'billing_period_b.csv');

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = (...ps: string[]) => ps.map((p) => ({ path: p, name: path.basename(p) }));

describe('supporting FOCUS datasets', () => {
  it('imports Contract Commitment, Invoice Detail and Billing Period files into their tables, money exact', async () => {
    const ws = path.join(dir, 'datasets.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: files(CC, ID1, ID2, BPA), mode: 'ask' });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files.map((f) => [f.file, f.dataset, f.rows, f.format])).toEqual([
      ['contract_commitment_scenario_1.csv', 'ContractCommitment', 3, 'focus-csv'],
      ['invoice_detail_scenario_1.csv', 'InvoiceDetail', 3, 'focus-csv'],
      ['invoice_detail_scenario_2.csv', 'InvoiceDetail', 3, 'focus-csv'],
      ['billing_period_a.csv', 'BillingPeriod', 2, 'focus-csv'],
    ]);
    const db = new Database(ws, { readonly: true });
    try {
      const cc = db.prepare('SELECT sum("ContractCommitmentCost") FROM contract_commitment').pluck().get() as number;
      expect(cc).toBe(decimalSum(readCsvRecords(CC), 'ContractCommitmentCost').times(1e9).toNumber());
      const inv1 = db.prepare(`SELECT sum("BilledCost") FROM invoice_detail WHERE "InvoiceId" = 'INV-2025-001'`).pluck().get() as number;
      expect(inv1).toBe(decimalSum(readCsvRecords(ID1), 'BilledCost').times(1e9).toNumber());
      expect(inv1).toBe(1578.63e9);
      // times are stored as Unix seconds, lineage as file and row
      const row = db.prepare(`SELECT row_no, "BillingPeriodStart" AS s, "BillingPeriodStatus" AS st FROM billing_period ORDER BY s`).all();
      expect(row).toEqual([
        { row_no: 1, s: Date.UTC(2025, 0, 1) / 1000, st: 'Closed' },
        { row_no: 2, s: Date.UTC(2025, 1, 1) / 1000, st: 'Open' },
      ]);
      const report = JSON.parse(
        db.prepare(`SELECT conformance FROM import_file WHERE file_name = 'contract_commitment_scenario_1.csv'`).pluck().get() as string,
      ) as { dataset: string; rules: { id: string; status: string }[] };
      expect(report.dataset).toBe('ContractCommitment');
      expect(report.rules.find((r) => r.id === 'ContractCommitment:ContractCommitmentPaymentInterval-C-101-M')?.status).toBe('pass');
    } finally {
      db.close();
    }
  });

  it('a re-delivered billing period replaces the older record by key', async () => {
    const ws = path.join(dir, 'bp.meterbook');
    await runImport({ workspacePath: ws, files: files(BPA), mode: 'ask' });
    const again = await runImport({ workspacePath: ws, files: files(BPB), mode: 'ask' });
    expect(again.status === 'done' && again.files[0]).toMatchObject({ dataset: 'BillingPeriod', rows: 1, replacedRows: 1 });
    const db = new Database(ws, { readonly: true });
    const rows = db.prepare('SELECT "BillingPeriodStart" AS s, "BillingPeriodStatus" AS st FROM billing_period ORDER BY s').all();
    db.close();
    expect(rows).toEqual([
      { s: Date.UTC(2025, 0, 1) / 1000, st: 'Closed' },
      { s: Date.UTC(2025, 1, 1) / 1000, st: 'Closed' },
    ]);
  });

  it('validates a supporting dataset with rule ids, failing the rows that break a rule', async () => {
    const bad = path.join(dir, 'cc-bad.csv');
    const lines = fs.readFileSync(CC, 'utf8').trimEnd().split('\n');
    // row 2 is All Upfront: make its interval Monthly, which FOCUS forbids
    lines[2] = lines[2]!.replace(',One-Time,All Upfront,', ',Monthly,All Upfront,');
    fs.writeFileSync(bad, lines.join('\n'));
    const report = await validateFile(bad, 'cc-bad.csv');
    expect(report.dataset).toBe('ContractCommitment');
    const rule = report.rules.find((r) => r.id === 'ContractCommitment:ContractCommitmentPaymentInterval-C-101-M')!;
    expect(rule).toMatchObject({ status: 'fail', failingRows: 1, samples: [2], sampleValues: ['Monthly'] });
    expect(report.summary.fail).toBeGreaterThan(0);
  });

  it('refuses a bad money cell with file, row and column, changing nothing', async () => {
    const bad = path.join(dir, 'inv-bad.csv');
    const lines = fs.readFileSync(ID1, 'utf8').trimEnd().split('\n');
    lines[3] = lines[3]!.replace(/^128\.63,/, 'abc,');
    fs.writeFileSync(bad, lines.join('\n'));
    const ws = path.join(dir, 'bad.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: files(bad), mode: 'ask' });
    expect(outcome.status === 'failed' && outcome.error.message).toBe("inv-bad.csv row 3: BilledCost 'abc' is not a number");
  });
});

describe('query --dataset through the engine', () => {
  it('sums Invoice Detail BilledCost by invoice and refuses to add currencies', async () => {
    const { createEngine } = await import('../../src-main/engine/engine');
    const ws = path.join(dir, 'query.meterbook');
    await runImport({ workspacePath: ws, files: files(CC, ID1, ID2), mode: 'ask' });
    const engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data') });
    try {
      await engine.invoke('workspace.open', { path: ws });
      const res = await engine.invoke('explore.datasetQuery', {
        dataset: 'InvoiceDetail',
        metric: 'BilledCost',
        groupBy: ['InvoiceId'],
        filters: [{ column: 'BillingCurrency', values: ['USD'] }],
      });
      const byInvoice = Object.fromEntries(res.rows.map((r) => [r.InvoiceId, r.value]));
      expect(byInvoice['INV-2025-001']).toBe(Number(decimalSum(readCsvRecords(ID1), 'BilledCost').toFixed(2)));
      expect(res.currency).toBe('USD');
      const cc = await engine.invoke('explore.datasetQuery', { dataset: 'ContractCommitment', metric: 'ContractCommitmentCost', groupBy: ['ContractCommitmentId'] });
      expect(cc.total).toBe(Number(decimalSum(readCsvRecords(CC), 'ContractCommitmentCost').toFixed(2)));
      await expect(engine.invoke('explore.datasetQuery', { dataset: 'InvoiceDetail', metric: 'PaymentCurrencyBilledCost' })).rejects.toMatchObject({
        code: 'mixed-currency',
      });
    } finally {
      await engine.close();
    }
  });
});

describe('Cost and Usage rules for the columns FOCUS 1.3 and 1.4 added', () => {
  it('are in the report next to the 1.2 model, required only of files of a version that has them', async () => {
    const { SAMPLE_1000 } = await import('../helpers/temp');
    const old = await validateFile(SAMPLE_1000, 'focus-1.0.csv');
    const rule = (r: typeof old, id: string) => r.rules.find((x) => x.id === id);
    expect(rule(old, 'CostAndUsage:ServiceProviderName-C-000-M')).toMatchObject({ status: 'skip' });
    expect(rule(old, 'CostAndUsage:ServiceProviderName-C-000-M')!.reason).toMatch(/introduced in FOCUS 1\.3; the file is FOCUS 1\.0/);
    expect(old.rules.filter((r) => r.id.startsWith('CostAndUsage:')).length).toBeGreaterThan(10);
    expect(old.summary.pass + old.summary.fail + old.summary.skip).toBe(old.rules.length);

    // a 1.4 file whose eligibility details are not the documented object, on its second row
    const ai = path.join(FIXTURES, 'focus', 'spec-v1.5-draft-ai', 'ai_prompt_caching_a.csv');
    const lines = fs.readFileSync(ai, 'utf8').trimEnd().split('\n');
    const withCol = [
      `${lines[0]},CommitmentProgramEligibilityDetails`,
      ...lines.slice(1).map((l, i) => `${l},${i === 1 ? '"{""Programs"": []}"' : '"{""CommitmentPrograms"": [{""ProgramType"": ""Savings Plan""}]}"'}`),
    ];
    const f = path.join(dir, 'eligibility.csv');
    fs.writeFileSync(f, withCol.join('\n'));
    const r = await validateFile(f, 'eligibility.csv');
    expect(rule(r, 'CostAndUsage:ServiceProviderName-C-000-M')).toMatchObject({ status: 'pass' });
    expect(rule(r, 'CostAndUsage:CommitmentProgramEligibilityDetails-C-101-M')).toMatchObject({ status: 'fail', failingRows: 1, samples: [2] });
  });
});

describe('applicability criteria the user sets', () => {
  it('per provider for imports and validation, and per run with an override', async () => {
    const { createEngine } = await import('../../src-main/engine/engine');
    const { SAMPLE_1000 } = await import('../helpers/temp');
    const engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'appl') });
    try {
      const criteria = await engine.invoke('conformance.criteria', {});
      expect(criteria.map((c) => c.id)).toContain('AVAILABILITY_ZONE_SUPPORTED');
      const azRules = (r: { rules: { id: string; status: string; reason?: string }[] }) =>
        r.rules.filter((x) => x.reason?.includes('AVAILABILITY_ZONE_SUPPORTED'));
      // inferred from the file: it has an AvailabilityZone column, so zone rules apply
      const inferred = await engine.invoke('validate.file', { file: { path: SAMPLE_1000 } });
      expect(azRules(inferred)).toHaveLength(0);
      expect(inferred.applicability?.provider).toBe('AWS');
      // the user says AWS files do not support zones here: zone rules are skipped with that reason
      await engine.invoke('conformance.setApplicability', { provider: 'AWS', criteria: { AVAILABILITY_ZONE_SUPPORTED: false } });
      const set = await engine.invoke('validate.file', { file: { path: SAMPLE_1000 } });
      expect(azRules(set).length).toBeGreaterThan(0);
      expect(azRules(set).every((r) => r.status === 'skip' && r.reason!.includes('set by the user'))).toBe(true);
      expect(set.applicability).toEqual({ provider: 'AWS', criteria: { AVAILABILITY_ZONE_SUPPORTED: false } });
      // a run's override wins over the saved setting
      const over = await engine.invoke('validate.file', { file: { path: SAMPLE_1000 }, applicability: { AVAILABILITY_ZONE_SUPPORTED: true } });
      expect(azRules(over)).toHaveLength(0);
      // clearing goes back to inference
      expect(await engine.invoke('conformance.setApplicability', { provider: 'AWS', criteria: { AVAILABILITY_ZONE_SUPPORTED: null } })).toEqual({});
    } finally {
      await engine.close();
    }
  });
});

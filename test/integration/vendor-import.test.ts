// Every vendor fixture through the real importer (worker threads, SQLite): detected as its own format and no other,
// stored, and its stored FOCUS totals equal to the vendor's own cost column to the cent. The mappers' unit tests
// compute the vendor side independently from the raw files; here the stored rows must agree with it.
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src-shared/api/contract';
import { ExploreQueries } from '../../src-main/explore/query';
import { BILL_FORMATS, detectFormat } from '../../src-main/ingest/formats/registry';
import { runImport } from '../../src-main/ingest/import-runner';
import { validateFile } from '../../src-main/ingest/validate';
import { openWorkspace } from '../../src-main/store/workspace';
import { readTable } from '../helpers/map-bill';
import { FIXTURES, tempDir } from '../helpers/temp';

const V = path.join(FIXTURES, 'vendors');
/** fixture → the format it must be read as */
const CASES: [string, string][] = [
  ['azure/sample-anonymous-ea-export-dataset.csv', 'azure-ea'],
  ['azure/ea-actual-handmade.csv', 'azure-ea'],
  ['azure/ea-amortized-handmade.csv', 'azure-ea'],
  ['azure/mca-actual-handmade.csv', 'azure-mca'],
  ['azure/opencost-German.csv', 'azure-payg'],
  ['azure/opencost-BOM.csv', 'azure-payg'],
  ['azure/payg-empty-currency-handmade.csv', 'azure-payg'],
  ['aws/sample-anonymous-aws-export-dataset.csv.gz', 'aws-cur-legacy'],
  ['aws/cur2-from-legacy-sample.csv.gz', 'aws-cur-2'],
  ['aws/cur2-handmade.csv', 'aws-cur-2'],
  ['azure/opencost-PayAsYouGo.csv', 'azure-payg'],
  ['azure/opencost-EnterpriseCamel.csv', 'azure-mca'],
  ['gcp/gcp-billing-export-detailed.jsonl', 'gcp-billing'],
  ['gcp/gcp-billing-flattened-koku-style.csv', 'gcp-billing'],
  ['oci/reports_cost-csv_0000000030000269.csv.gz', 'oci-cost'],
  ['github-copilot/ai-credits-usage-report.csv', 'github-copilot-usage'],
  ['github-copilot/detailed-usage-report.csv', 'github-copilot-usage'],
  ['github-copilot/premium-requests-usage-report.csv', 'github-copilot-usage'],
  ['github-copilot/premium-interactions-legacy.csv', 'github-copilot-premium-requests'],
  ['saas-seats/licenses-export.csv', 'saas-seats'],
  ['saas-seats/seats-invoice.csv', 'saas-seats'],
  ['openai/completions_usage_2025-09-29_2025-10-06.csv', 'openai-usage'],
  ['openai/cost_2025-10-05_2025-10-08.csv', 'openai-costs'],
  ['openai/cost_ungrouped_2025-10-05_2025-10-08.csv', 'openai-costs'],
  ['openai/costs-page.json', 'openai-costs'],
  ['openai/usage-completions-page.json', 'openai-usage'],
  ['anthropic/claude_api_cost_2025_08.csv', 'anthropic-costs'],
  ['anthropic/claude_api_usage_2025_08.csv', 'anthropic-usage'],
  ['anthropic/cost_report-page.json', 'anthropic-costs'],
  ['anthropic/usage_report_messages-page.json', 'anthropic-usage'],
].filter(([, id]) => BILL_FORMATS.some((f) => f.id === id)) as [string, string][];

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('vendor bills through the importer', () => {
  it.each(CASES)('%s is detected as %s and by no other format', (file, id) => {
    const t = readTable(path.join(V, file));
    const sample = { header: t.header, rows: t.rows, container: t.container };
    expect(detectFormat(sample)?.format.id).toBe(id);
    const others = BILL_FORMATS.filter((f) => f.id !== id && f.detect(sample) >= 0.5).map((f) => f.id);
    expect(others).toEqual([]);
  });

  it.each(CASES)('%s imports with stored totals equal to the vendor totals', async (file, id) => {
    const ws = path.join(dir, `${path.basename(file)}.meterbook`);
    const outcome = await runImport({ workspacePath: ws, files: [{ path: path.join(V, file), name: path.basename(file) }], mode: 'ask' });
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
    expect(outcome.files[0]).toMatchObject({ format: id, dataset: 'CostAndUsage', action: 'imported' });
    const db = openWorkspace(ws);
    try {
      const report = JSON.parse(db.prepare('SELECT conformance FROM import_file').pluck().get() as string) as ConformanceReport;
      expect(report.format?.id).toBe(id);
      expect(report.mapping?.focusRows).toBe(outcome.files[0]!.rows);
      const rows = db.prepare('SELECT count(*) FROM cost_usage').pluck().get() as number;
      expect(rows).toBe(outcome.files[0]!.rows);
      // lineage: every stored row points at a source row that exists
      const maxRow = db.prepare('SELECT max(row_no) FROM cost_usage').pluck().get() as number | null;
      if (maxRow !== null) expect(maxRow).toBeLessThanOrEqual(report.mapping!.sourceRows);
      const q = new ExploreQueries(db);
      const currencies = q.query({ groupBy: ['BillingCurrency'], metric: 'BilledCost', filters: [] }).rows.length;
      for (const t of report.mapping!.totals) {
        expect(t.matches, `${t.focusColumn} ${t.focusTotal} vs ${t.vendorColumn} ${t.vendorTotal}`).toBe(true);
        if (currencies !== 1) continue;
        const metric = t.focusColumn as 'BilledCost' | 'EffectiveCost' | 'ListCost' | 'ContractedCost';
        const stored = q.kpis({ filters: [] });
        const value = { BilledCost: stored.billed, EffectiveCost: stored.effective, ListCost: stored.list, ContractedCost: stored.contracted }[metric];
        expect(new Big(value).minus(t.vendorTotal).abs().lt(0.005), `${metric} stored ${value} vs vendor ${t.vendorTotal}`).toBe(true);
      }
    } finally {
      db.close();
    }
  });
});

// The conformance report of the validate path (a parse worker, nothing imported) for the mappings that used to fail a
// FOCUS rule: the rule now passes, and every rule that fails was failing before the fix too (the lists are the
// failing rules of the same files before it; most are columns these exports cannot fill, e.g. InvoiceId).
describe('vendor bills against the FOCUS rules they used to fail', () => {
  const BASE = ['CostAndUsage-D-000-M', 'CostAndUsage-D-001-M', 'CostAndUsage-D-002-M'];
  const SEATS_BEFORE = [
    ...BASE,
    'CostAndUsage-D-005-M', // no BillingAccountName / BillingAccountId column: these exports name no paying account
    'CostAndUsage-D-024-M',
    'CostAndUsage:HostProviderName-C-000-M',
    'EffectiveCost-C-000-M',
    'EffectiveCost-C-005-C',
  ];
  const AI_USAGE_BEFORE = [
    ...BASE,
    'CostAndUsage-D-004-C', // no ListUnitPrice / ContractedUnitPrice column: the usage exports carry no prices
    'CostAndUsage-D-034-C',
    'BillingAccountId-C-000-M',
    'BillingAccountId-C-001-M',
    'BillingAccountName-C-000-M',
    'BillingAccountName-C-003-C',
  ];
  const AI_COSTS_BEFORE = [...AI_USAGE_BEFORE, 'PricingQuantity-C-000-M', 'PricingQuantity-C-003-M', 'PricingQuantity-C-005-C'];
  // the Copilot reports after the seat fix, before they had a billing account (ResourceType and HostProviderName are
  // columns these reports cannot fill)
  const COPILOT_BEFORE = [
    ...BASE.slice(0, 2),
    'CostAndUsage-D-005-M',
    'CostAndUsage-D-024-M',
    'CostAndUsage-D-039-C',
    'CostAndUsage:HostProviderName-C-000-M',
  ];
  const AZURE_CD = ['CostAndUsage-D-015-C', 'CostAndUsage-D-018-C'];
  // opencost's camelCase sample names no billing account or profile
  const AZURE_NO_ACCOUNT = ['BillingAccountId-C-000-M', 'BillingAccountId-C-001-M', 'BillingAccountName-C-000-M', 'BillingAccountName-C-003-C'];
  const SEAT_RULES = ['EffectiveCost-C-005-C', 'EffectiveCost-C-000-M'];
  const ACCOUNT_RULES = ['BillingAccountId-C-000-M', 'BillingAccountId-C-001-M', 'BillingAccountName-C-000-M', 'BillingAccountName-C-003-C', 'CostAndUsage-D-024-M', 'CostAndUsage-D-005-M'];
  const cases: [file: string, mustPass: string[], failingBefore: string[]][] = [
    ['github-copilot/detailed-usage-report.csv', [...SEAT_RULES, ...ACCOUNT_RULES], [...SEATS_BEFORE, 'CostAndUsage-D-039-C']],
    ['github-copilot/premium-requests-usage-report.csv', ACCOUNT_RULES, COPILOT_BEFORE],
    ['github-copilot/ai-credits-usage-report.csv', ACCOUNT_RULES, COPILOT_BEFORE],
    ['github-copilot/premium-interactions-legacy.csv', ACCOUNT_RULES, COPILOT_BEFORE],
    ['saas-seats/seats-invoice.csv', [...SEAT_RULES, ...ACCOUNT_RULES], SEATS_BEFORE],
    ['saas-seats/licenses-export.csv', [...SEAT_RULES, ...ACCOUNT_RULES], SEATS_BEFORE],
    ['openai/completions_usage_2025-09-29_2025-10-06.csv', ACCOUNT_RULES, AI_USAGE_BEFORE],
    ['openai/usage-completions-page.json', ACCOUNT_RULES, AI_USAGE_BEFORE],
    ['openai/costs-page.json', ACCOUNT_RULES, AI_COSTS_BEFORE],
    ['openai/cost_2025-10-05_2025-10-08.csv', ACCOUNT_RULES, AI_COSTS_BEFORE],
    ['anthropic/claude_api_usage_2025_08.csv', ACCOUNT_RULES, AI_USAGE_BEFORE],
    ['anthropic/usage_report_messages-page.json', ACCOUNT_RULES, AI_USAGE_BEFORE],
    ['anthropic/claude_api_cost_2025_08.csv', ACCOUNT_RULES, AI_COSTS_BEFORE],
    ['anthropic/cost_report-page.json', ACCOUNT_RULES, AI_COSTS_BEFORE],
    // refused before ("Currency is empty"); now it validates, failing no more than the same header with a charge row
    ['azure/opencost-BOM.csv', AZURE_CD, [...BASE.slice(0, 2), ...AZURE_CD, 'InvoiceId-C-005-C']],
    // Azure: CommitmentDiscountQuantity / CommitmentDiscountUnit emitted (null where they do not apply)
    ['azure/sample-anonymous-ea-export-dataset.csv', AZURE_CD, [...BASE.slice(0, 2), ...AZURE_CD, 'InvoiceId-C-005-C']],
    ['azure/ea-amortized-handmade.csv', AZURE_CD, [...BASE, ...AZURE_CD, 'InvoiceId-C-005-C', 'EffectiveCost-C-000-M', 'EffectiveCost-C-005-C']],
    ['azure/opencost-PayAsYouGo.csv', AZURE_CD, [...BASE.slice(0, 2), ...AZURE_CD, 'InvoiceId-C-005-C']],
    [
      'azure/opencost-EnterpriseCamel.csv',
      AZURE_CD,
      [...BASE, ...AZURE_CD, ...AZURE_NO_ACCOUNT, 'InvoiceId-C-005-C', 'BilledCost-C-000-M', 'BilledCost-C-005-C'],
    ],
  ];

  it.each(cases)('%s: %j pass; no rule fails that did not fail before', async (file, mustPass, failingBefore) => {
    const report = await validateFile(path.join(V, file), path.basename(file));
    const status = Object.fromEntries(report.rules.map((r) => [r.id, r.status]));
    for (const id of mustPass) expect(status[id], id).toBe('pass');
    const newlyFailing = report.rules.filter((r) => r.status === 'fail' && !failingBefore.includes(r.id)).map((r) => r.id);
    expect(newlyFailing).toEqual([]);
  });

  it("Azure actual cost with reservation purchases: D-015-C/D-018-C pass; only the purchases' quantity newly fails", async () => {
    const report = await validateFile(path.join(V, 'azure/ea-actual-handmade.csv'), 'ea-actual-handmade.csv');
    const status = Object.fromEntries(report.rules.map((r) => [r.id, r.status]));
    for (const id of AZURE_CD) expect(status[id], id).toBe('pass');
    const before = [...BASE, ...AZURE_CD, 'InvoiceId-C-005-C', 'EffectiveCost-C-000-M', 'EffectiveCost-C-005-C'];
    const newlyFailing = report.rules.filter((r) => r.status === 'fail' && !before.includes(r.id)).map((r) => r.id);
    expect(newlyFailing).toEqual([
      'CommitmentDiscountQuantity-C-000-C',
      'CommitmentDiscountQuantity-C-003-C',
      'CommitmentDiscountQuantity-C-004-C',
      'CommitmentDiscountQuantity-C-005-C',
    ]);
    // the reservation Purchase (row 8) and Refund (row 10): left null, with a gap note saying why
    expect(report.rules.find((r) => r.id === 'CommitmentDiscountQuantity-C-005-C')?.samples).toEqual([8, 10]);
    expect(report.mapping?.gaps.some((g) => /^2 reservation purchase or refund row\(s\)/.test(g.note))).toBe(true);
    expect(report.mapping?.totals.every((t) => t.matches)).toBe(true);
  });

  it('the seat files reconcile: BilledCost and EffectiveCost each equal the amount column, prepaid term included', async () => {
    const report = await validateFile(path.join(V, 'saas-seats/seats-invoice.csv'), 'seats-invoice.csv');
    expect(report.mapping?.focusRows).toBe(21); // 9 lines + 12 months of the annual licence
    expect(report.mapping?.totals.map((t) => [t.focusColumn, t.vendorColumn, t.vendorTotal, t.matches])).toEqual([
      ['BilledCost', 'amount', '7950.9', true],
      ['EffectiveCost', 'amount', '7950.9', true],
    ]);
    for (const t of report.mapping!.totals) expect(new Big(t.focusTotal).eq(t.vendorTotal), t.focusColumn).toBe(true);
  });

  it("opencost's BOM.csv imports: its row without currency or money is skipped and reported, the totals agree", async () => {
    const ws = path.join(dir, 'bom-skip.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: path.join(V, 'azure/opencost-BOM.csv'), name: 'BOM.csv' }], mode: 'ask' });
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
    expect(outcome.files[0]).toMatchObject({ format: 'azure-payg', action: 'imported', rows: 0 });
    const db = openWorkspace(ws);
    try {
      const report = JSON.parse(db.prepare('SELECT conformance FROM import_file').pluck().get() as string) as ConformanceReport;
      expect(report.mapping?.sourceRows).toBe(1);
      expect(report.mapping?.totals.every((t) => t.matches && t.vendorTotal === '0')).toBe(true);
      expect(report.mapping?.gaps.some((g) => g.column === 'BillingCurrency' && /skipped/.test(g.note))).toBe(true);
    } finally {
      db.close();
    }
  });
});

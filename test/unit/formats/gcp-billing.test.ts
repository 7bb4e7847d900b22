// Google Cloud billing export → FOCUS. Expected sums come from the fixtures independently of the mapper: the JSON lines
// through JSON.parse and big.js, the flattened CSV through the independent CSV reader and a regex over its Python-repr
// credits arrays.
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gcpBilling, invoiceMonthBounds, pacificMidnightUtc } from '../../../src-main/ingest/formats/gcp-billing';
import { ociCost } from '../../../src-main/ingest/formats/oci-cost';
import { MappingRowError, MappingSetupError, type TableSample } from '../../../src-main/ingest/formats/types';
import { decimalSum, editRow, readCsvRecords } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';

const DIR = path.resolve(__dirname, '../../fixtures/vendors/gcp');
const JSONL = path.join(DIR, 'gcp-billing-export-detailed.jsonl');
const CSV = path.join(DIR, 'gcp-billing-flattened-koku-style.csv');
const OCI = path.resolve(__dirname, '../../fixtures/vendors/oci/reports_cost-csv_0000000030000269.csv.gz');
const FOCUS = path.resolve(__dirname, '../../fixtures/focus/focus-1.0_sample_1000.csv');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-gcp-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sampleOf(file: string): TableSample {
  const t = readTable(file);
  return { header: t.header, rows: t.rows, container: t.container };
}

function write(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

function csvVariant(name: string, edit: (lines: string[]) => string[]): string {
  const lines = fs.readFileSync(CSV, 'utf8').replace(/\n$/, '').split('\n');
  return write(name, `${edit(lines).join('\n')}\n`);
}

/** The CSV fixture without one column (header and cells). */
function withoutColumn(name: string): string {
  const at = fs.readFileSync(CSV, 'utf8').split('\n')[0]!.split(',').indexOf(name);
  return csvVariant(`no-${name}.csv`, (lines) => {
    for (let i = 0; i < lines.length; i++) editRow(lines, i, (f) => f.filter((_, j) => j !== at));
    return lines;
  });
}

function jsonVariant(name: string, edit: (rows: Record<string, unknown>[]) => Record<string, unknown>[]): string {
  const rows = jsonRows();
  return write(name, `${edit(rows).map((r) => JSON.stringify(r)).join('\n')}\n`);
}

const sum = (m: MappedBill, col: string, where?: (r: Record<string, string>) => boolean): Big =>
  m.rows.reduce((acc, r) => (where && !where(r) ? acc : r[col] === '' ? acc : acc.plus(new Big(r[col]!))), new Big(0));

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function countBy(m: MappedBill, col: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of m.rows) out[r[col]!] = (out[r[col]!] ?? 0) + 1;
  return out;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const FOCUS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function expectWellFormed(m: MappedBill): void {
  for (const r of m.rows) {
    for (const c of ['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
      expect(r[c], c).not.toBe('');
    }
    for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(r[c]).toMatch(PLAIN_NUMBER);
    for (const c of ['ConsumedQuantity', 'PricingQuantity']) if (r[c] !== '') expect(r[c]).toMatch(PLAIN_NUMBER);
    for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) expect(r[c]).toMatch(FOCUS_TIME);
    expect(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']).toContain(r.ChargeCategory);
    expect(['', 'Correction']).toContain(r.ChargeClass);
    expect(['One-Time', 'Recurring', 'Usage-Based']).toContain(r.ChargeFrequency);
    expect(['', 'Standard', 'Dynamic', 'Committed', 'Other']).toContain(r.PricingCategory);
    if (r.Tags !== '') expect(typeof JSON.parse(r.Tags!)).toBe('object');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Independent readings of the fixtures

interface JsonRow {
  cost: number | string;
  cost_at_list?: number | string | null;
  cost_type: string;
  credits: { amount: number; type: string }[];
  invoice: { month: string };
  sku: { description: string };
  [k: string]: unknown;
}

function jsonRows(): JsonRow[] {
  return fs
    .readFileSync(JSONL, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as JsonRow);
}

const big = (v: number | string): Big => new Big(typeof v === 'number' ? String(v) : v);

/** The credits' amounts of a flattened cell, read with a regex: `'amount': -5e-06` (Python repr) or `"amount":-5e-06`. */
function csvCreditAmounts(cell: string): Big[] {
  return [...cell.matchAll(/['"]amount['"]:\s*([-+0-9.eE]+)/g)].map((m) => new Big(m[1]!));
}

// ---------------------------------------------------------------------------------------------------------------

describe('gcp-billing detection', () => {
  it('recognises the JSON lines extract and the flattened CSV', () => {
    expect(gcpBilling.detect(sampleOf(JSONL))).toBeGreaterThanOrEqual(0.5);
    expect(gcpBilling.detect(sampleOf(CSV))).toBeGreaterThanOrEqual(0.5);
    expect(sampleOf(JSONL).container).toBe('json');
    expect(sampleOf(JSONL).header).toContain('usage.amount');
  });

  it('does not claim an OCI cost report or a FOCUS file; OCI does not claim GCP files', () => {
    expect(gcpBilling.detect(sampleOf(OCI))).toBeLessThan(0.5);
    expect(gcpBilling.detect(sampleOf(FOCUS))).toBeLessThan(0.5);
    expect(ociCost.detect(sampleOf(JSONL))).toBeLessThan(0.5);
    expect(ociCost.detect(sampleOf(CSV))).toBeLessThan(0.5);
  });

  it('accepts underscore aliases of the dotted names', () => {
    const header = ['billing_account_id', 'service_description', 'sku_description', 'usage_start_time', 'usage_end_time', 'cost', 'currency', 'invoice_month', 'cost_type'];
    expect(gcpBilling.detect({ header, rows: [], container: 'csv' })).toBeGreaterThanOrEqual(0.5);
  });
});

describe('gcp-billing: JSON lines extracted from BigQuery', () => {
  const m = mapBill(gcpBilling, JSONL);
  const src = jsonRows();

  it('is well formed', () => {
    expect(m.sample.container).toBe('json');
    expectWellFormed(m);
  });

  it('BilledCost sums to Σ cost + Σ credits.amount exactly, and matches the vendor total', () => {
    let expected = new Big(0);
    for (const r of src) {
      expected = expected.plus(big(r.cost));
      for (const c of r.credits) expected = expected.plus(big(c.amount));
    }
    expect(sum(m, 'BilledCost').eq(expected)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(expected)).toBe(true);
    const vt = m.vendorTotals.find((t) => t.focusColumn === 'BilledCost')!;
    expect(vt.vendorColumn).toBe('cost + credits.amount');
    expect(new Big(vt.vendorTotal).eq(expected)).toBe(true);
    // the usage rows alone are Σ cost, the Credit rows from credits[] Σ credits.amount
    const costs = src.reduce((a, r) => a.plus(big(r.cost)), new Big(0));
    expect(sum(m, 'BilledCost', (r) => r.x_CreditType === '').eq(costs)).toBe(true);
  });

  it('ListCost sums to cost_at_list (cost where empty) + credits', () => {
    let expected = new Big(0);
    for (const r of src) {
      expected = expected.plus(big(r.cost_at_list ?? r.cost));
      for (const c of r.credits) expected = expected.plus(big(c.amount));
    }
    expect(sum(m, 'ListCost').eq(expected)).toBe(true);
    const vt = m.vendorTotals.find((t) => t.focusColumn === 'ListCost')!;
    expect(new Big(vt.vendorTotal).eq(expected)).toBe(true);
    expect(m.gaps.some((g) => g.column === 'ListCost' && /4 rows had an empty cost_at_list/.test(g.note))).toBe(true);
  });

  it('explodes every credit into its own Credit row', () => {
    const credits = src.reduce((n, r) => n + r.credits.length, 0);
    expect(credits).toBe(9);
    expect(m.rows.filter((r) => r.x_CreditType !== '')).toHaveLength(credits);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: 20, Credit: 10, Tax: 1, Adjustment: 1 });
    expect(m.rows).toHaveLength(src.length + credits);
    const types = m.rows.filter((r) => r.x_CreditType !== '').map((r) => r.x_CreditType);
    expect(new Set(types)).toEqual(
      new Set(['SUSTAINED_USAGE_DISCOUNT', 'COMMITTED_USAGE_DISCOUNT', 'FREE_TIER', 'PROMOTION', 'DISCOUNT', 'FEE_UTILIZATION_OFFSET']),
    );
    // a credit row keeps its usage row's lineage, period, service, SKU, project and tags, without quantities
    const ram = m.rows.findIndex((r) => r.ChargeDescription === 'N2 Instance Ram running in Americas');
    const [usage, sud, cud] = [m.rows[ram]!, m.rows[ram + 1]!, m.rows[ram + 2]!];
    expect(m.sourceRows[ram + 1]).toBe(m.sourceRows[ram]);
    expect(m.sourceRows[ram + 2]).toBe(m.sourceRows[ram]);
    for (const c of [sud, cud]) {
      expect(c.ChargeCategory).toBe('Credit');
      for (const k of ['ChargePeriodStart', 'BillingPeriodStart', 'ServiceName', 'SkuId', 'SubAccountId', 'ResourceId', 'Tags']) expect(c[k]).toBe(usage[k]);
      expect(c.ConsumedQuantity).toBe('');
      expect(c.PricingQuantity).toBe('');
      expect(c.ListCost).toBe(c.BilledCost);
      expect(c.EffectiveCost).toBe(c.BilledCost);
    }
    expect(sud.BilledCost).toBe('-0.01356902');
    expect(cud.x_CreditType).toBe('COMMITTED_USAGE_DISCOUNT');
    expect(cud.ChargeDescription).toBe('Committed use discount: N2 memory');
    expect(usage.PricingCategory).toBe('Committed');
  });

  it('maps cost_type and adjustment_info', () => {
    const tax = m.rows.find((r) => r.ChargeCategory === 'Tax')!;
    expect(tax.BilledCost).toBe('1.37');
    expect(tax.SkuId).toBe('');
    expect(tax.ConsumedQuantity).toBe('');
    const correction = m.rows.find((r) => r.x_AdjustmentType === 'USAGE_CORRECTION' && r.x_CreditType === '')!;
    expect(correction.ChargeCategory).toBe('Usage');
    expect(correction.ChargeClass).toBe('Correction');
    expect(correction.BilledCost).toBe('-0.012644');
    expect(correction.x_AdjustmentMode).toBe('PARTIAL_CORRECTION');
    // its credit (a positive reversal) is a correction too
    const reversal = m.rows.find((r) => r.x_AdjustmentType === 'USAGE_CORRECTION' && r.x_CreditType !== '')!;
    expect(reversal.ChargeCategory).toBe('Credit');
    expect(reversal.ChargeClass).toBe('Correction');
    expect(reversal.BilledCost).toBe('0.0025289');
    const goodwill = m.rows.find((r) => r.x_AdjustmentType === 'GOODWILL')!;
    expect(goodwill.ChargeCategory).toBe('Credit');
    expect(goodwill.ChargeClass).toBe('');
    expect(goodwill.SubAccountId).toBe('');
    const rounding = m.rows.find((r) => r.x_CostType === 'rounding_error')!;
    expect(rounding.ChargeCategory).toBe('Adjustment');
    expect(m.rows.filter((r) => r.ChargeClass === 'Correction')).toHaveLength(2);
  });

  it('converts the Pacific invoice month to UTC bounds and keeps usage times in UTC', () => {
    const first = m.rows[0]!;
    expect(first.BillingPeriodStart).toBe('2024-03-01T08:00:00Z');
    expect(first.BillingPeriodEnd).toBe('2024-04-01T07:00:00Z');
    expect(first.ChargePeriodStart).toBe('2024-03-10T09:00:00Z');
    expect(first.ChargePeriodEnd).toBe('2024-03-10T10:00:00Z');
    const nov = m.rows.find((r) => r.x_InvoiceMonth === '202411')!;
    expect(nov.BillingPeriodStart).toBe('2024-11-01T07:00:00Z');
    expect(nov.BillingPeriodEnd).toBe('2024-12-01T08:00:00Z');
    // late usage: charged in February (UTC), invoiced in March
    const late = m.rows.find((r) => r.ChargePeriodStart === '2024-02-29T23:00:00Z')!;
    expect(late.ChargePeriodEnd).toBe('2024-03-01T00:00:00Z');
    expect(late.BillingPeriodStart).toBe('2024-03-01T08:00:00Z');
    const months = new Set(src.map((r) => r.invoice.month));
    expect(new Set(m.rows.map((r) => r.x_InvoiceMonth))).toEqual(months);
  });

  it('keeps exponent numbers exact', () => {
    const egress = m.rows.filter((r) => r.SkuId === '9DE9-9092-B3BC');
    expect(egress.map((r) => r.BilledCost)).toEqual(['0.00000012', '-0.00000012']);
    expect(egress[0]!.PricingQuantity).toBe('0.0000011967');
    const storage = m.rows.find((r) => r.ChargeDescription === 'Standard Storage US Multi-region')!;
    expect(storage.ConsumedQuantity).toBe('15000000000000');
    // a NUMERIC exported as a JSON string passes through
    expect(m.rows.find((r) => r.x_InvoiceMonth === '202411')!.ListCost).toBe('0.131');
  });

  it('gives generative-AI token SKUs one row per token class in Tokens', () => {
    const byMeter = (meter: string) => m.rows.find((r) => r.SkuMeter === meter && r.ChargeCategory === 'Usage' && r.ServiceName === 'Vertex AI')!;
    const input = byMeter('Input Tokens');
    const output = byMeter('Output Tokens');
    const cached = byMeter('Cache Read Input Tokens');
    expect([input.ConsumedQuantity, output.ConsumedQuantity, cached.ConsumedQuantity]).toEqual(['1250000', '420000', '300000']);
    expect([input.PricingQuantity, output.PricingQuantity, cached.PricingQuantity]).toEqual(['1.25', '0.42', '0.3']);
    for (const r of [input, output, cached]) {
      expect(r.ConsumedUnit).toBe('Tokens');
      expect(r.PricingUnit).toBe('1000000 Tokens');
      expect(r.ServiceCategory).toBe('AI and Machine Learning');
      expect(r.ServiceSubcategory).toBe('Generative AI');
    }
    expect(JSON.parse(input.SkuPriceDetails!)).toEqual({ ModelId: 'gemini-2.5-flash', TokenDirection: 'Input', TokenCacheAction: 'Uncached' });
    expect(JSON.parse(output.SkuPriceDetails!)).toEqual({ ModelId: 'gemini-2.5-flash', TokenDirection: 'Output' });
    expect(JSON.parse(cached.SkuPriceDetails!)).toEqual({ ModelId: 'gemini-2.5-flash', TokenDirection: 'Input', TokenCacheAction: 'Read' });
    // Gemini API too; context-cache storage is not a token class and keeps Google's units
    const gemini = m.rows.find((r) => r.ServiceName === 'Gemini API')!;
    expect(JSON.parse(gemini.SkuPriceDetails!).ModelId).toBe('gemini-2.0-flash');
    const storage = m.rows.find((r) => r.ChargeDescription === 'Gemini 2.5 Pro Context Cache Storage')!;
    expect(storage.ConsumedUnit).toBe('token-hour');
    expect(storage.SkuPriceDetails).toBe('');
  });

  it('merges labels, project labels and namespaced tags; keeps system labels apart', () => {
    const vm = m.rows[0]!;
    expect(JSON.parse(vm.Tags!)).toEqual({ env: 'prod', 'cost-center': 'cc-104', team: 'search', app: 'web' });
    expect(JSON.parse(vm.x_SystemLabels!)).toMatchObject({ 'compute.googleapis.com/machine_spec': 'n2-standard-4' });
    const sql = m.rows.find((r) => r.ServiceName === 'Cloud SQL')!;
    expect(JSON.parse(sql.Tags!)).toEqual({ env: 'production-db', 'cost-center': 'cc-104', '102938475610/env': 'prod' });
    expect(m.rows.find((r) => r.x_CostType === 'rounding_error')!.Tags).toBe('');
  });

  it('fills accounts, location, resources and providers', () => {
    const vm = m.rows[0]!;
    expect(vm.BillingAccountId).toBe('01A2B3-C4D5E6-F7A8B9');
    expect([vm.SubAccountId, vm.SubAccountName, vm.SubAccountType]).toEqual(['search-prod', 'Search Prod', 'Project']);
    expect([vm.RegionId, vm.AvailabilityZone]).toEqual(['us-central1', 'us-central1-a']);
    expect(vm.ResourceName).toBe('search-web-1');
    expect(vm.ResourceId).toMatch(/^\/\/compute\.googleapis\.com\//);
    expect(vm.ResourceType).toBe('instances');
    expect([vm.ServiceProviderName, vm.ProviderName, vm.HostProviderName, vm.InvoiceIssuerName]).toEqual(Array(4).fill('Google Cloud'));
    expect(vm.ServiceCategory).toBe('Compute');
    // multi-region bucket: no region, the location instead
    expect(m.rows.find((r) => r.ServiceName === 'Cloud Storage')!.RegionId).toBe('US');
    const marketplace = m.rows.find((r) => r.x_TransactionType === 'THIRD_PARTY_RESELLER')!;
    expect(marketplace.PublisherName).toBe('Acme Vector Inc.');
    expect(marketplace.ServiceProviderName).toBe('Google Cloud');
    expect(m.rows.find((r) => /Spot/.test(r.ChargeDescription!))!.PricingCategory).toBe('Dynamic');
  });

  it('reports its decisions as gaps', () => {
    expect(m.gaps.some((g) => g.column === 'BillingPeriodStart' && /America\/Los_Angeles/.test(g.note))).toBe(true);
    expect(m.gaps.some((g) => /9 Credit rows/.test(g.note))).toBe(true);
  });
});

describe('gcp-billing: flattened CSV with Python-repr arrays', () => {
  const m = mapBill(gcpBilling, CSV);
  const src = readCsvRecords(CSV);

  it('is well formed', () => {
    expect(m.sample.container).toBe('csv');
    expectWellFormed(m);
  });

  it('BilledCost sums to Σ cost + Σ credits.amount exactly', () => {
    let credits = new Big(0);
    let n = 0;
    for (const r of src) {
      for (const a of csvCreditAmounts(r.credits!)) {
        credits = credits.plus(a);
        n++;
      }
    }
    expect(n).toBe(10);
    const expected = decimalSum(src, 'cost').plus(credits);
    expect(sum(m, 'BilledCost').eq(expected)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(expected)).toBe(true);
    expect(new Big(m.vendorTotals.find((t) => t.focusColumn === 'BilledCost')!.vendorTotal).eq(expected)).toBe(true);
    // no cost_at_list in this file: ListCost = cost, and no ListCost total to reconcile
    expect(m.vendorTotals.map((t) => t.focusColumn)).toEqual(['BilledCost']);
    expect(sum(m, 'ListCost').eq(expected)).toBe(true);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: 13, Credit: 10, Tax: 2 });
    expect(m.rows).toHaveLength(src.length + n);
  });

  it('reads Python reprs: None, double-quoted strings with apostrophes, commas inside values', () => {
    const first = m.rows[0]!;
    expect(JSON.parse(first.Tags!)).toEqual({ env: 'staging', owner: "o'brien", vm_key: 'vm_label' });
    const credit = m.rows[1]!;
    expect(credit.ChargeCategory).toBe('Credit');
    expect(credit.x_CreditType).toBe('PROMOTION');
    // full_name None: the description falls back to the credit's name
    expect(credit.ChargeDescription).toBe('FreeTrial:Credit-0F1E2D-3C4B5A-697887');
    const bucket = m.rows.find((r) => r.ServiceName === 'Cloud Storage')!;
    expect(JSON.parse(bucket.Tags!)['bucket-class']).toBe('assets, images');
  });

  it('recognises the Gemini token SKUs of the flattened file', () => {
    const tokens = m.rows.filter((r) => r.ConsumedUnit === 'Tokens');
    expect(tokens.map((r) => [r.SkuMeter, r.ConsumedQuantity, r.PricingQuantity])).toEqual([
      ['Input Tokens', '1750000.0', '1.75'],
      ['Output Tokens', '300000.0', '0.3'],
    ]);
    expect(JSON.parse(tokens[0]!.SkuPriceDetails!).ModelId).toBe('gemini-1.5-pro');
  });

  it('keeps exponent costs exact', () => {
    const egress = m.rows.filter((r) => r.SkuId === '9DE9-9092-B3BC');
    expect(egress.map((r) => r.BilledCost)).toEqual(['0.000005', '-0.000005', '0.000012']);
    expect(egress[0]!.PricingQuantity).toBe('0.00001577567309141159');
  });

  it('reads +00:00 timestamps and February Pacific bounds', () => {
    expect(m.rows[0]!.ChargePeriodStart).toBe('2024-02-05T17:00:00Z');
    expect(m.rows[0]!.BillingPeriodStart).toBe('2024-02-01T08:00:00Z');
    expect(m.rows[0]!.BillingPeriodEnd).toBe('2024-03-01T08:00:00Z');
    expect(m.rows[0]!.x_ExportTime).toBe('2024-02-10 07:41:19.257000+00:00');
  });

  it('takes the billing period from the Pacific month of the usage when invoice.month is missing', () => {
    const v = mapBill(gcpBilling, withoutColumn('invoice.month'));
    // 2024-01-31 23:00 UTC is 15:00 on January 31 in California: the January invoice
    const late = v.rows.find((r) => r.ChargePeriodStart === '2024-01-31T23:00:00Z')!;
    expect(late.BillingPeriodStart).toBe('2024-01-01T08:00:00Z');
    expect(late.BillingPeriodEnd).toBe('2024-02-01T08:00:00Z');
    expect(v.rows[0]!.BillingPeriodStart).toBe('2024-02-01T08:00:00Z');
    expect(v.gaps.some((g) => /rows had no invoice.month/.test(g.note))).toBe(true);
  });

  it('without a credits column BilledCost is cost, said in a gap', () => {
    const v = mapBill(gcpBilling, withoutColumn('credits'));
    expect(v.rows).toHaveLength(src.length);
    expect(v.vendorTotals[0]!.vendorColumn).toBe('cost');
    expect(sum(v, 'BilledCost').eq(decimalSum(src, 'cost'))).toBe(true);
    expect(v.gaps.some((g) => g.column === 'BilledCost' && /no credits column/.test(g.note))).toBe(true);
  });
});

describe('gcp-billing: Pacific month bounds', () => {
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

  it('follows US daylight time (second Sunday of March to first Sunday of November)', () => {
    expect(iso(pacificMidnightUtc(2024, 3, 10))).toBe('2024-03-10T08:00:00Z'); // change day: midnight is still PST
    expect(iso(pacificMidnightUtc(2024, 3, 11))).toBe('2024-03-11T07:00:00Z');
    expect(iso(pacificMidnightUtc(2024, 11, 3))).toBe('2024-11-03T07:00:00Z'); // change day: midnight is still PDT
    expect(iso(pacificMidnightUtc(2024, 11, 4))).toBe('2024-11-04T08:00:00Z');
    expect(iso(pacificMidnightUtc(2023, 3, 12))).toBe('2023-03-12T08:00:00Z');
    expect(iso(pacificMidnightUtc(2023, 3, 13))).toBe('2023-03-13T07:00:00Z');
    expect(iso(pacificMidnightUtc(2023, 11, 5))).toBe('2023-11-05T07:00:00Z');
    expect(iso(pacificMidnightUtc(2023, 11, 6))).toBe('2023-11-06T08:00:00Z');
    // before 2007: first Sunday of April to last Sunday of October
    expect(iso(pacificMidnightUtc(2006, 4, 2))).toBe('2006-04-02T08:00:00Z');
    expect(iso(pacificMidnightUtc(2006, 4, 3))).toBe('2006-04-03T07:00:00Z');
    expect(iso(pacificMidnightUtc(2006, 10, 29))).toBe('2006-10-29T07:00:00Z');
    expect(iso(pacificMidnightUtc(2006, 10, 30))).toBe('2006-10-30T08:00:00Z');
  });

  it('gives every invoice month its bounds, across the year end', () => {
    const b = (m: string) => invoiceMonthBounds(m)!.map(iso);
    expect(b('202401')).toEqual(['2024-01-01T08:00:00Z', '2024-02-01T08:00:00Z']);
    expect(b('202403')).toEqual(['2024-03-01T08:00:00Z', '2024-04-01T07:00:00Z']);
    expect(b('202407')).toEqual(['2024-07-01T07:00:00Z', '2024-08-01T07:00:00Z']);
    expect(b('202412')).toEqual(['2024-12-01T08:00:00Z', '2025-01-01T08:00:00Z']);
    expect(invoiceMonthBounds('202413')).toBeNull();
    expect(invoiceMonthBounds('2024-01')).toBeNull();
  });
});

describe('gcp-billing errors', () => {
  it('a non-numeric cost names the row and the column', () => {
    const file = csvVariant('bad-cost.csv', (lines) => editRow(lines, 3, (f) => f.map((c, i) => (i === 18 ? 'abc' : c))));
    const e = catchError(() => mapBill(gcpBilling, file));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(3);
    expect((e as MappingRowError).column).toBe('cost');
    expect((e as Error).message).toContain("'abc'");
  });

  it('an unreadable credit amount names the row and the credits column', () => {
    const file = jsonVariant('bad-credit.jsonl', (rows) => {
      (rows[4]!.credits as { amount: unknown }[])[0]!.amount = 'n/a';
      return rows;
    });
    const e = catchError(() => mapBill(gcpBilling, file));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(5);
    expect((e as MappingRowError).column).toBe('credits');
  });

  it('an unreadable invoice month or usage time is a row error', () => {
    const month = jsonVariant('bad-month.jsonl', (rows) => {
      rows[1]!.invoice = { month: '2024-03' };
      return rows;
    });
    const e1 = catchError(() => mapBill(gcpBilling, month));
    expect(e1).toBeInstanceOf(MappingRowError);
    expect((e1 as MappingRowError).row).toBe(2);
    expect((e1 as MappingRowError).column).toBe('invoice.month');
    const time = jsonVariant('bad-time.jsonl', (rows) => {
      rows[2]!.usage_start_time = 'yesterday';
      return rows;
    });
    const e2 = catchError(() => mapBill(gcpBilling, time));
    expect((e2 as MappingRowError).row).toBe(3);
    expect((e2 as MappingRowError).column).toBe('usage_start_time');
  });

  it('a missing cost or currency column is a setup error', () => {
    const sample = sampleOf(CSV);
    for (const drop of ['cost', 'currency', 'usage_start_time']) {
      const header = sample.header.map((h) => (h === drop ? 'something_else' : h));
      expect(() => gcpBilling.createMapper({ ...sample, header })).toThrow(MappingSetupError);
    }
  });

  it('reads Decimal(…) amounts of a BigQuery-client repr', () => {
    const header = ['billing_account_id', 'service.description', 'sku.description', 'usage_start_time', 'usage_end_time', 'cost', 'currency', 'credits', 'invoice.month', 'cost_type'];
    const row = ['X', 'BigQuery', 'Analysis', '2024-05-01 00:00:00 UTC', '2024-05-01 01:00:00 UTC', '0.30', 'EUR', "[{'name': 'd', 'amount': Decimal('-0.10'), 'type': 'DISCOUNT', 'id': 'd', 'full_name': None}]", '202405', 'regular'];
    const mapper = gcpBilling.createMapper({ header, rows: [row], container: 'csv' });
    const out: string[][] = [];
    mapper.map(row, 1, (c) => out.push([...c]));
    const billed = mapper.columns.indexOf('BilledCost');
    expect(out.map((c) => c[billed])).toEqual(['0.30', '-0.10']);
    expect(out[0]![mapper.columns.indexOf('BillingCurrency')]).toBe('EUR');
    expect(mapper.vendorTotals()[0]!.vendorTotal).toBe('0.2');
  });

  it('reads labels as the Parquet reader renders key/value lists: one JSON object', () => {
    const header = ['service.description', 'sku.description', 'usage_start_time', 'usage_end_time', 'cost', 'currency', 'labels', 'project.labels', 'system_labels', 'credits', 'invoice.month'];
    const row = ['Compute Engine', 'Core', '2024-05-01T00:00:00Z', '2024-05-01T01:00:00Z', '1', 'USD', '{"team":"a"}', '{"env":"prod","team":"p"}', '{"compute.googleapis.com/cores":"2"}', '[]', '202405'];
    const mapper = gcpBilling.createMapper({ header, rows: [row], container: 'parquet' });
    const out: string[][] = [];
    mapper.map(row, 1, (c) => out.push([...c]));
    expect(JSON.parse(out[0]![mapper.columns.indexOf('Tags')]!)).toEqual({ env: 'prod', team: 'a' });
    expect(out[0]![mapper.columns.indexOf('x_SystemLabels')]).toBe('{"compute.googleapis.com/cores":"2"}');
    expect(out[0]![mapper.columns.indexOf('ChargePeriodStart')]).toBe('2024-05-01T00:00:00Z');
    const bad = [...row];
    bad[6] = '[{"key": "team", "value": ';
    const e = catchError(() => mapper.map(bad, 2, () => {}));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).column).toBe('labels');
  });
});

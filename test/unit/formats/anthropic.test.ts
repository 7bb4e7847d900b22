// Anthropic usage and costs → FOCUS, from the Console CSVs and the Admin API JSON pages (usage_report/messages,
// cost_report). Expected values come from the fixture files independently: CSV through the independent reader, JSON
// through JSON.parse and a small walk of data[].results[] written here, sums with big.js.
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anthropicCosts, anthropicUsage } from '../../../src-main/ingest/formats/anthropic';
import { openaiCosts, openaiUsage } from '../../../src-main/ingest/formats/openai';
import { MappingRowError, MappingSetupError, type BillFormat, type TableSample } from '../../../src-main/ingest/formats/types';
import { cents, decimalSum, editRow, readCsvRecords } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';
import { conformanceOf, statusOf } from './conformance-report';

const DIR = path.resolve(__dirname, '../../fixtures/vendors/anthropic');
const USAGE_CSV = path.join(DIR, 'claude_api_usage_2025_08.csv');
const USAGE_JSON = path.join(DIR, 'usage_report_messages-page.json');
const COST_CSV = path.join(DIR, 'claude_api_cost_2025_08.csv');
const COST_JSON = path.join(DIR, 'cost_report-page.json');
const FOCUS = path.resolve(__dirname, '../../fixtures/focus/focus-1.0_sample_1000.csv');
const OPENAI = path.resolve(__dirname, '../../fixtures/vendors/openai');

const ALL_FORMATS: BillFormat[] = [anthropicUsage, anthropicCosts, openaiUsage, openaiCosts];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-anthropic-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sampleOf(file: string): TableSample {
  const t = readTable(file);
  return { header: t.header, rows: t.rows, container: t.container };
}

function variant(file: string, name: string, edit: (lines: string[]) => string[]): string {
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  const out = path.join(tmp, name);
  fs.writeFileSync(out, `${edit(lines).join('\n')}\n`);
  return out;
}

interface Page {
  data: { starting_at: string; ending_at: string; results: Record<string, unknown>[] }[];
  data_refreshed_at?: string;
}

function jsonVariant(file: string, name: string, edit: (page: Page) => void): string {
  const page = JSON.parse(fs.readFileSync(file, 'utf8')) as Page;
  edit(page);
  const out = path.join(tmp, name);
  fs.writeFileSync(out, JSON.stringify(page));
  return out;
}

/** The results of an API page with their bucket's times, read without the product's JSON flattening. */
function apiResults(file: string): (Record<string, unknown> & { starting_at: string; ending_at: string })[] {
  const page = JSON.parse(fs.readFileSync(file, 'utf8')) as Page;
  return page.data.flatMap((b) => b.results.map((r) => ({ ...r, starting_at: b.starting_at, ending_at: b.ending_at })));
}

const big = (v: unknown): Big => (v === null || v === undefined || v === '' ? new Big(0) : new Big(String(v).trim()));

const sum = (m: MappedBill, col: string, where?: (r: Record<string, string>) => boolean): Big =>
  m.rows.reduce((acc, r) => (where && !where(r) ? acc : r[col] === '' ? acc : acc.plus(new Big(r[col]!))), new Big(0));

const details = (r: Record<string, string>): Record<string, unknown> => (r.SkuPriceDetails ? (JSON.parse(r.SkuPriceDetails) as Record<string, unknown>) : {});

/** Token class of a FOCUS row from its SkuPriceDetails and unit (not from the SkuId the mapper builds). */
function classOf(r: Record<string, string>): string {
  if (r.ConsumedUnit === 'Requests' || r.SkuMeter === 'Web Search Requests') return 'web_search';
  const d = details(r);
  if (d.TokenDirection === 'Output') return 'output';
  if (d.TokenCacheAction === 'Uncached') return 'uncached';
  if (d.TokenCacheAction === 'Read') return 'read';
  if (d.TokenCacheAction === 'Write') return `write_${String(d.x_CacheTtl)}`;
  return 'other';
}
const ofClass = (c: string) => (r: Record<string, string>) => classOf(r) === c;

function countBy(m: MappedBill, col: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of m.rows) out[r[col]!] = (out[r[col]!] ?? 0) + 1;
  return out;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

const FOCUS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const DAY_MS = 86_400_000;
const dayIso = (d: string, plusDays = 0) => new Date(Date.parse(`${d}T00:00:00Z`) + plusDays * DAY_MS).toISOString().replace('.000Z', 'Z');
const rfc = (s: string) => new Date(s).toISOString().replace('.000Z', 'Z');

function expectWellFormed(m: MappedBill): void {
  expect(m.rows.length).toBeGreaterThan(0);
  for (const r of m.rows) {
    for (const c of ['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
      expect(r[c], c).not.toBe('');
    }
    for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) expect(r[c]).toMatch(FOCUS_TIME);
    for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(r[c]).toMatch(PLAIN_DECIMAL);
    for (const c of ['ConsumedQuantity', 'PricingQuantity']) if (r[c] !== '') expect(r[c]).toMatch(PLAIN_DECIMAL);
    expect(['Usage', 'Credit']).toContain(r.ChargeCategory);
    expect(r.ChargeFrequency).toBe('Usage-Based');
    expect(r.ServiceCategory).toBe('AI and Machine Learning');
    expect(r.ServiceSubcategory).toBe('Generative AI');
    for (const c of ['ServiceProviderName', 'ProviderName', 'PublisherName', 'InvoiceIssuerName', 'HostProviderName']) expect(r[c]).toBe('Anthropic');
    expect(r.ChargePeriodEnd! > r.ChargePeriodStart!).toBe(true);
    expect(r.BillingPeriodStart! <= r.ChargePeriodStart!).toBe(true);
    expect(r.ChargePeriodEnd! <= r.BillingPeriodEnd!).toBe(true);
    if (r.SkuPriceDetails !== '') expect(r.SkuPriceId).not.toBe('');
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('detection', () => {
  const cases: [string, BillFormat][] = [
    [USAGE_CSV, anthropicUsage],
    [USAGE_JSON, anthropicUsage],
    [COST_CSV, anthropicCosts],
    [COST_JSON, anthropicCosts],
  ];
  for (const [file, format] of cases) {
    it(`${path.basename(file)} is ${format.id}, and no other format claims it`, () => {
      const sample = sampleOf(file);
      expect(format.detect(sample)).toBeGreaterThanOrEqual(0.5);
      for (const other of ALL_FORMATS) if (other !== format) expect(other.detect(sample), other.id).toBeLessThan(0.5);
    });
  }

  it('neither Anthropic format claims a FOCUS file or the OpenAI exports', () => {
    const others = [FOCUS, ...fs.readdirSync(OPENAI).filter((f) => /\.(csv|json)$/.test(f)).map((f) => path.join(OPENAI, f))];
    for (const file of others) {
      const sample = sampleOf(file);
      expect(anthropicUsage.detect(sample), file).toBeLessThan(0.5);
      expect(anthropicCosts.detect(sample), file).toBeLessThan(0.5);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('anthropic-usage: Console CSV', () => {
  const m = mapBill(anthropicUsage, USAGE_CSV);
  const records = readCsvRecords(USAGE_CSV);
  const col = (name: string) => decimalSum(records, name);

  it('maps to well-formed FOCUS rows with no money', () => {
    expectWellFormed(m);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: m.rows.length });
    for (const r of m.rows) for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(r[c]).toBe('0');
    expect(m.vendorTotals).toEqual([]);
    expect(m.gaps.find((g) => g.column === 'BilledCost')?.note).toMatch(/cost report/);
  });

  it('each token class sums to its source column', () => {
    expect(sum(m, 'ConsumedQuantity', ofClass('uncached')).eq(col('usage_input_tokens_no_cache'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('write_5m')).eq(col('usage_input_tokens_cache_write_5m'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('write_1h')).eq(col('usage_input_tokens_cache_write_1h'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('read')).eq(col('usage_input_tokens_cache_read'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('output')).eq(col('usage_output_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('web_search')).eq(col('web_search_count'))).toBe(true);
    expect(m.rows.every((r) => classOf(r) !== 'other')).toBe(true);
  });

  it('one row per non-zero class; a row of zeros emits nothing', () => {
    const classes = [
      'usage_input_tokens_no_cache',
      'usage_input_tokens_cache_write_5m',
      'usage_input_tokens_cache_write_1h',
      'usage_input_tokens_cache_read',
      'usage_output_tokens',
      'web_search_count',
    ];
    const expected = records.reduce((n, rec) => n + classes.filter((c) => !big(rec[c]).eq(0)).length, 0);
    expect(m.rows).toHaveLength(expected);
    expect(m.sourceRows).not.toContain(5);
    expect(m.gaps.some((g) => /1 row \(first: row 5\) had no tokens/.test(g.note))).toBe(true);
  });

  it('units: tokens per million, web searches per thousand requests, exactly', () => {
    for (const r of m.rows) {
      if (classOf(r) === 'web_search') {
        expect(r).toMatchObject({ ConsumedUnit: 'Requests', PricingUnit: '1000 Requests' });
        expect(new Big(r.PricingQuantity!).eq(new Big(r.ConsumedQuantity!).div(1000))).toBe(true);
      } else {
        expect(r).toMatchObject({ ConsumedUnit: 'Tokens', PricingUnit: '1000000 Tokens' });
        expect(new Big(r.PricingQuantity!).eq(new Big(r.ConsumedQuantity!).div(1_000_000))).toBe(true);
      }
    }
    expect(m.rows[0]).toMatchObject({ ConsumedQuantity: '267751', PricingQuantity: '0.267751' });
  });

  it('SKUs and token details, with cache TTLs', () => {
    const row1 = m.rows.filter((_, k) => m.sourceRows[k] === 1);
    expect(row1.map((r) => r.SkuId)).toEqual([
      'claude-sonnet-4-5-20250929:uncached_input_tokens',
      'claude-sonnet-4-5-20250929:cache_creation.ephemeral_5m_input_tokens',
      'claude-sonnet-4-5-20250929:cache_read_input_tokens',
      'claude-sonnet-4-5-20250929:output_tokens',
      'claude-sonnet-4-5-20250929:web_search',
    ]);
    expect(row1.map((r) => r.SkuMeter)).toEqual(['Input Tokens', 'Cache Write Input Tokens', 'Cache Read Input Tokens', 'Output Tokens', 'Web Search Requests']);
    expect(details(row1[1]!)).toEqual({ ModelId: 'claude-sonnet-4-5-20250929', TokenDirection: 'Input', TokenCacheAction: 'Write', x_CacheTtl: '5m' });
    const oneHour = m.rows.find(ofClass('write_1h'))!;
    expect(details(oneHour).x_CacheTtl).toBe('1h');
  });

  it('day rows cover [day, day + 1) UTC; the billing period is the calendar month', () => {
    records.forEach((rec, i) => {
      for (const r of m.rows.filter((_, k) => m.sourceRows[k] === i + 1)) {
        expect(r.ChargePeriodStart).toBe(dayIso(rec.usage_date_utc!));
        expect(r.ChargePeriodEnd).toBe(dayIso(rec.usage_date_utc!, 1));
        expect(r.BillingPeriodStart).toBe(`${rec.usage_date_utc!.slice(0, 7)}-01T00:00:00Z`);
      }
    });
    const aug31 = m.rows.find((r) => r.ChargePeriodStart === '2025-08-31T00:00:00Z')!;
    expect(aug31).toMatchObject({ ChargePeriodEnd: '2025-09-01T00:00:00Z', BillingPeriodEnd: '2025-09-01T00:00:00Z' });
  });

  it('workspace and key names; x_ columns', () => {
    records.forEach((rec, i) => {
      for (const r of m.rows.filter((_, k) => m.sourceRows[k] === i + 1)) {
        expect(r.SubAccountId).toBe(rec.workspace === 'Default' ? 'default' : rec.workspace);
        expect(r.SubAccountName).toBe(rec.workspace);
        expect(r.ResourceName).toBe(rec.api_key);
        expect(r.x_ContextWindow).toBe(rec.context_window);
        expect(r.x_InferenceGeo).toBe(rec.inference_geo);
        expect(r.x_UsageType).toBe(rec.usage_type);
      }
    });
  });

  it('a non-numeric count is a MappingRowError naming row and column', () => {
    const bad = variant(USAGE_CSV, 'bad-usage.csv', (lines) => editRow(lines, 2, (f) => (f.splice(9, 1, 'n/a'), f)));
    const e = catchError(() => mapBill(anthropicUsage, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(2);
    expect((e as MappingRowError).column).toBe('usage_input_tokens_cache_read');
  });

  it('an unreadable day is a MappingRowError', () => {
    const bad = variant(USAGE_CSV, 'bad-day.csv', (lines) => editRow(lines, 3, (f) => (f.splice(0, 1, '31/08/2025x'), f)));
    const e = catchError(() => mapBill(anthropicUsage, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).column).toBe('usage_date_utc');
  });

  it('a missing token column is a MappingSetupError', () => {
    const s = sampleOf(USAGE_CSV);
    expect(() => anthropicUsage.createMapper({ ...s, header: s.header.filter((h) => h !== 'usage_input_tokens_no_cache') })).toThrow(MappingSetupError);
    expect(() => anthropicUsage.createMapper({ ...s, header: s.header.filter((h) => h !== 'usage_date_utc') })).toThrow(/usage_date_utc/);
  });
});

describe('anthropic-usage: Usage Report API JSON page', () => {
  const m = mapBill(anthropicUsage, USAGE_JSON);
  const results = apiResults(USAGE_JSON);
  const col = (get: (r: Record<string, unknown>) => unknown) => results.reduce((a, r) => a.plus(big(get(r))), new Big(0));
  const cc = (r: Record<string, unknown>) => r.cache_creation as Record<string, unknown>;

  it('each token class sums to its source field', () => {
    expectWellFormed(m);
    expect(sum(m, 'ConsumedQuantity', ofClass('uncached')).eq(col((r) => r.uncached_input_tokens))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('write_5m')).eq(col((r) => cc(r).ephemeral_5m_input_tokens))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('write_1h')).eq(col((r) => cc(r).ephemeral_1h_input_tokens))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('read')).eq(col((r) => r.cache_read_input_tokens))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('output')).eq(col((r) => r.output_tokens))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', ofClass('web_search')).eq(col((r) => (r.server_tool_use as Record<string, unknown>).web_search_requests))).toBe(true);
    // total input = uncached + cache writes + cache reads (vendor-formats §4.2)
    const totalInput = col((r) => r.uncached_input_tokens)
      .plus(col((r) => cc(r).ephemeral_5m_input_tokens))
      .plus(col((r) => cc(r).ephemeral_1h_input_tokens))
      .plus(col((r) => r.cache_read_input_tokens));
    expect(sum(m, 'ConsumedQuantity', (r) => details(r).TokenDirection === 'Input').eq(totalInput)).toBe(true);
  });

  it('bucket times, null workspace, empty buckets and all-zero results', () => {
    results.forEach((res, i) => {
      for (const r of m.rows.filter((_, k) => m.sourceRows[k] === i + 1)) {
        expect(r.ChargePeriodStart).toBe(rfc(res.starting_at));
        expect(r.ChargePeriodEnd).toBe(rfc(res.ending_at));
        expect(r.SubAccountId).toBe(res.workspace_id ?? 'default');
        expect(r.ResourceId).toBe(res.api_key_id ?? '');
        expect(r.x_ServiceTier).toBe(res.service_tier);
        expect(r.BillingPeriodStart).toBe('2025-08-01T00:00:00Z');
        expect(r.BillingPeriodEnd).toBe('2025-09-01T00:00:00Z');
      }
    });
    expect(m.rows.filter((r) => r.SubAccountId === 'default').length).toBeGreaterThan(0);
    expect(m.sourceRows).not.toContain(6); // all zeros
    expect(Math.max(...m.sourceRows)).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('anthropic-costs: Console cost CSV', () => {
  const m = mapBill(anthropicCosts, COST_CSV);
  const records = readCsvRecords(COST_CSV);
  const billed = decimalSum(records, 'cost_usd');
  const listed = decimalSum(records, 'list_price_usd');

  it('BilledCost = EffectiveCost = cost_usd and ListCost = list_price_usd, exactly and to the cent', () => {
    expectWellFormed(m);
    expect(m.rows).toHaveLength(records.length);
    for (const c of ['BilledCost', 'EffectiveCost', 'ContractedCost']) expect(sum(m, c).eq(billed), c).toBe(true);
    expect(sum(m, 'ListCost').eq(listed)).toBe(true);
    expect(cents(sum(m, 'BilledCost'))).toBe(cents(billed));
    expect(cents(sum(m, 'ListCost'))).toBe(cents(listed));
    expect(listed.gt(billed)).toBe(true); // batch discounts are visible
    expect(m.vendorTotals).toEqual([
      { focusColumn: 'BilledCost', vendorColumn: 'cost_usd', vendorTotal: billed.toFixed() },
      { focusColumn: 'ListCost', vendorColumn: 'list_price_usd', vendorTotal: listed.toFixed() },
    ]);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: records.length });
    records.forEach((rec, i) => {
      expect(m.rows[i]!.BilledCost).toBe(rec.cost_usd);
      expect(m.rows[i]!.ListCost).toBe(rec.list_price_usd);
    });
  });

  it('CSV token types map to the same classes as the API', () => {
    const expected: Record<string, string> = {
      input_no_cache: 'uncached',
      input_cache_read: 'read',
      input_cache_write_5m: 'write_5m',
      input_cache_write_1h: 'write_1h',
      output: 'output',
      '': 'web_search',
    };
    records.forEach((rec, i) => {
      const r = m.rows[i]!;
      expect(classOf(r), `row ${i + 1}`).toBe(expected[rec.token_type!]);
      expect(r.x_TokenType).toBe(rec.token_type);
      expect(r.x_CostType).toBe(rec.cost_type);
      expect(details(r).ModelId).toBe(rec.model); // display name kept as given
      expect(r.ConsumedQuantity).toBe('');
    });
    expect(m.rows[6]!.SkuId).toBe('Claude Opus 4.1:uncached_input_tokens');
    expect(m.rows[4]).toMatchObject({ SkuMeter: 'Web Search Requests', SkuId: 'Claude Sonnet 4.5:web_search' });
  });

  it('days, workspaces and keys', () => {
    records.forEach((rec, i) => {
      const r = m.rows[i]!;
      expect(r.ChargePeriodStart).toBe(dayIso(rec.usage_date_utc!));
      expect(r.ChargePeriodEnd).toBe(dayIso(rec.usage_date_utc!, 1));
      expect(r.SubAccountId).toBe(rec.workspace === 'Default' ? 'default' : rec.workspace);
      expect(r.ResourceId).toBe(rec.api_key_id);
      expect(r.ResourceName).toBe(rec.api_key);
      expect(r.BillingCurrency).toBe('USD');
    });
  });

  it('a non-numeric cost_usd is a MappingRowError naming row and column', () => {
    const bad = variant(COST_CSV, 'bad-cost.csv', (lines) => editRow(lines, 7, (f) => (f.splice(7, 1, '$0.11'), f)));
    const e = catchError(() => mapBill(anthropicCosts, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(7);
    expect((e as MappingRowError).column).toBe('cost_usd');
    expect((e as Error).message).toMatch(/'\$0\.11' is not a number/);
  });

  it('a non-numeric list_price_usd is a MappingRowError too', () => {
    const bad = variant(COST_CSV, 'bad-list.csv', (lines) => editRow(lines, 2, (f) => (f.splice(8, 1, 'free'), f)));
    const e = catchError(() => mapBill(anthropicCosts, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).column).toBe('list_price_usd');
  });

  it('a missing cost column is a MappingSetupError', () => {
    const s = sampleOf(COST_CSV);
    const header = s.header.map((h) => (h === 'cost_usd' ? 'cost' : h));
    expect(() => anthropicCosts.createMapper({ ...s, header })).toThrow(MappingSetupError);
  });
});

describe('anthropic-costs: Cost Report API JSON page', () => {
  const m = mapBill(anthropicCosts, COST_JSON);
  const results = apiResults(COST_JSON);
  // amount is a decimal string in cents
  const billed = results.reduce((a, r) => a.plus(big(r.amount)), new Big(0)).div(100);

  it('amounts in cents become dollars exactly', () => {
    expectWellFormed(m);
    expect(m.rows).toHaveLength(results.length);
    results.forEach((res, i) => expect(new Big(m.rows[i]!.BilledCost!).eq(big(res.amount).div(100))).toBe(true));
    const byAmount = new Map(results.map((res, i) => [String(res.amount), m.rows[i]!]));
    expect(byAmount.get('123.45')!.BilledCost).toBe('1.2345');
    expect(byAmount.get('0.012345')!.BilledCost).toBe('0.00012345');
    expect(byAmount.get('80.3253')!.BilledCost).toBe('0.803253');
    expect(byAmount.get('3')!.BilledCost).toBe('0.03');
  });

  it('Σ BilledCost equals Σ amount / 100, to the cent and exactly; ListCost = EffectiveCost = BilledCost', () => {
    expect(sum(m, 'BilledCost').eq(billed)).toBe(true);
    expect(cents(sum(m, 'BilledCost'))).toBe(cents(billed));
    for (const c of ['EffectiveCost', 'ListCost', 'ContractedCost']) expect(sum(m, c).eq(billed), c).toBe(true);
    expect(m.vendorTotals).toEqual([{ focusColumn: 'BilledCost', vendorColumn: 'amount / 100', vendorTotal: billed.toFixed() }]);
    expect(m.rows.every((r) => r.BillingCurrency === 'USD')).toBe(true);
  });

  it('token types, tools, workspaces and times', () => {
    const expected: Record<string, string> = {
      uncached_input_tokens: 'uncached',
      cache_read_input_tokens: 'read',
      'cache_creation.ephemeral_5m_input_tokens': 'write_5m',
      'cache_creation.ephemeral_1h_input_tokens': 'write_1h',
      output_tokens: 'output',
    };
    results.forEach((res, i) => {
      const r = m.rows[i]!;
      if (res.token_type) {
        expect(classOf(r)).toBe(expected[res.token_type as string]);
        expect(r.SkuId).toBe(`${String(res.model)}:${String(res.token_type)}`);
      }
      expect(r.SubAccountId).toBe(res.workspace_id ?? 'default');
      expect(r.ChargePeriodStart).toBe(rfc(res.starting_at));
      expect(r.ChargePeriodEnd).toBe(rfc(res.ending_at));
      expect(r.x_CostType).toBe(res.cost_type);
      expect(r.ChargeDescription).toBe((res.description as string | null) ?? r.ChargeDescription);
    });
    const web = m.rows[results.findIndex((r) => r.cost_type === 'web_search')]!;
    expect(web).toMatchObject({ SkuId: 'web_search', SkuMeter: 'Web Search Requests', SkuPriceDetails: '', ChargeDescription: 'Web Search' });
    const code = m.rows[results.findIndex((r) => r.cost_type === 'code_execution')]!;
    expect(code).toMatchObject({ SkuId: 'code_execution', SkuMeter: 'Code Execution' });
  });

  it('buckets ending after data_refreshed_at are reported as incomplete', () => {
    expect(m.gaps.some((g) => /4 rows \(first: row 8\) are from buckets that end after data_refreshed_at/.test(g.note))).toBe(true);
  });

  it('a non-numeric amount is a MappingRowError naming row and column', () => {
    const bad = jsonVariant(COST_JSON, 'bad-cost.json', (p) => {
      p.data[0]!.results[2]!.amount = '1.5 cents';
    });
    const e = catchError(() => mapBill(anthropicCosts, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(3);
    expect((e as MappingRowError).column).toBe('amount');
  });

  it('a negative amount is a credit', () => {
    const credit = jsonVariant(COST_JSON, 'credit.json', (p) => {
      p.data[1]!.results[0]!.amount = '-500';
    });
    const mm = mapBill(anthropicCosts, credit);
    expect(mm.rows[7]).toMatchObject({ BilledCost: '-5', ChargeCategory: 'Credit' });
    expect(countBy(mm, 'ChargeCategory')).toEqual({ Usage: 10, Credit: 1 });
  });

  it('a page without ending_at is a MappingSetupError', () => {
    const s = sampleOf(COST_JSON);
    expect(() => anthropicCosts.createMapper({ ...s, header: s.header.filter((h) => h !== 'ending_at') })).toThrow(MappingSetupError);
    expect(() => anthropicCosts.createMapper({ ...s, header: s.header.filter((h) => h !== 'amount') })).toThrow(/amount/);
  });
});

describe('billing account: a labelled placeholder for the organization the reports do not name', () => {
  const ACCOUNT_RULES = ['BillingAccountId-C-000-M', 'BillingAccountId-C-001-M', 'BillingAccountName-C-000-M', 'BillingAccountName-C-003-C', 'CostAndUsage-D-024-M', 'CostAndUsage-D-005-M'];
  const allPass = Object.fromEntries(ACCOUNT_RULES.map((id) => [id, 'pass']));
  const cases: [string, BillFormat][] = [
    [USAGE_CSV, anthropicUsage],
    [USAGE_JSON, anthropicUsage],
    [COST_CSV, anthropicCosts],
    [COST_JSON, anthropicCosts],
  ];

  it.each(cases)('%s: BillingAccountId "anthropic-organization", workspaces as sub accounts, the account rules pass', (file, format) => {
    const m = mapBill(format, file);
    expect(m.rows.length).toBeGreaterThan(0);
    for (const r of m.rows) {
      expect(r.BillingAccountId).toBe('anthropic-organization');
      expect(r.BillingAccountName).toBe('anthropic-organization');
      // the workspace is the sub account; the default workspace (Console "Default", API null) is "default"
      const ws = r.x_WorkspaceId!;
      expect(r.SubAccountId).toBe(ws === '' || ws === 'Default' ? 'default' : ws);
    }
    const gap = m.gaps.find((g) => g.column === 'BillingAccountId');
    expect(gap?.note).toMatch(/do not name the Anthropic organization: BillingAccountId and BillingAccountName are the placeholder "anthropic-organization" \(not an id Anthropic issued\)/);
    expect(statusOf(conformanceOf(m), ...ACCOUNT_RULES)).toEqual(allPass);
  });
});

// OpenAI usage (completions) and costs → FOCUS, from the dashboard CSVs and the Admin API JSON pages. Expected values
// come from the fixture files independently: CSV through the independent reader, JSON through JSON.parse and a small
// walk of data[].results[] written here, sums with big.js.
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anthropicCosts, anthropicUsage } from '../../../src-main/ingest/formats/anthropic';
import { FastDecimalSum, countText, lineItemSku, moneyText, openaiCosts, openaiUsage, perBlock } from '../../../src-main/ingest/formats/openai';
import { MappingRowError, MappingSetupError, type BillFormat, type TableSample } from '../../../src-main/ingest/formats/types';
import { cents, decimalSum, editRow, readCsvRecords } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';
import { conformanceOf, statusOf } from './conformance-report';

const DIR = path.resolve(__dirname, '../../fixtures/vendors/openai');
const USAGE_CSV = path.join(DIR, 'completions_usage_2025-09-29_2025-10-06.csv');
const USAGE_EMPTY = path.join(DIR, 'completions_usage_empty_period.csv');
const USAGE_JSON = path.join(DIR, 'usage-completions-page.json');
const COSTS_CSV = path.join(DIR, 'cost_2025-10-05_2025-10-08.csv');
const COSTS_UNGROUPED = path.join(DIR, 'cost_ungrouped_2025-10-05_2025-10-08.csv');
const COSTS_JSON = path.join(DIR, 'costs-page.json');
const FOCUS = path.resolve(__dirname, '../../fixtures/focus/focus-1.0_sample_1000.csv');
const ANTHROPIC = path.resolve(__dirname, '../../fixtures/vendors/anthropic');

const ALL_FORMATS: BillFormat[] = [openaiUsage, openaiCosts, anthropicUsage, anthropicCosts];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-openai-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sampleOf(file: string): TableSample {
  const t = readTable(file);
  return { header: t.header, rows: t.rows, container: t.container };
}

/** A copy of a CSV fixture with its lines edited. */
function variant(file: string, name: string, edit: (lines: string[]) => string[]): string {
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  const out = path.join(tmp, name);
  fs.writeFileSync(out, `${edit(lines).join('\n')}\n`);
  return out;
}

/** A copy of a JSON fixture with its parsed value edited. */
function jsonVariant(file: string, name: string, edit: (page: Page) => void): string {
  const page = JSON.parse(fs.readFileSync(file, 'utf8')) as Page;
  edit(page);
  const out = path.join(tmp, name);
  fs.writeFileSync(out, JSON.stringify(page));
  return out;
}

interface Page {
  data: { start_time: number; end_time: number; results: Record<string, unknown>[] }[];
}

/** The results of an API page with their bucket's times, read without the product's JSON flattening. */
function apiResults(file: string): (Record<string, unknown> & { start_time: number; end_time: number })[] {
  const page = JSON.parse(fs.readFileSync(file, 'utf8')) as Page;
  return page.data.flatMap((b) => b.results.map((r) => ({ ...r, start_time: b.start_time, end_time: b.end_time })));
}

const big = (v: unknown): Big => (v === null || v === undefined || v === '' ? new Big(0) : new Big(String(v).trim()));

const sum = (m: MappedBill, col: string, where?: (r: Record<string, string>) => boolean): Big =>
  m.rows.reduce((acc, r) => (where && !where(r) ? acc : r[col] === '' ? acc : acc.plus(new Big(r[col]!))), new Big(0));

const details = (r: Record<string, string>): Record<string, unknown> => (r.SkuPriceDetails ? (JSON.parse(r.SkuPriceDetails) as Record<string, unknown>) : {});
const isInput = (r: Record<string, string>) => details(r).TokenDirection === 'Input';
const isOutput = (r: Record<string, string>) => details(r).TokenDirection === 'Output';
const isRead = (r: Record<string, string>) => details(r).TokenCacheAction === 'Read';
const isWrite = (r: Record<string, string>) => details(r).TokenCacheAction === 'Write';
const isUncached = (r: Record<string, string>) => details(r).TokenCacheAction === 'Uncached';
const isAudio = (r: Record<string, string>) => details(r).x_Modality === 'Audio';

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
const isoOf = (unixSeconds: string | number): string => new Date(Number(unixSeconds) * 1000).toISOString().replace('.000Z', 'Z');

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
    expect(r.ServiceProviderName).toBe('OpenAI');
    expect(r.ProviderName).toBe('OpenAI');
    expect(r.PublisherName).toBe('OpenAI');
    expect(r.InvoiceIssuerName).toBe('OpenAI');
    expect(r.ChargePeriodEnd! > r.ChargePeriodStart!).toBe(true);
    expect(r.BillingPeriodStart! <= r.ChargePeriodStart!).toBe(true);
    expect(r.ChargePeriodEnd! <= r.BillingPeriodEnd!).toBe(true);
    if (r.SkuPriceDetails !== '') expect(r.SkuPriceId).not.toBe('');
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('detection', () => {
  const cases: [string, BillFormat][] = [
    [USAGE_CSV, openaiUsage],
    [USAGE_EMPTY, openaiUsage],
    [USAGE_JSON, openaiUsage],
    [COSTS_CSV, openaiCosts],
    [COSTS_UNGROUPED, openaiCosts],
    [COSTS_JSON, openaiCosts],
  ];
  for (const [file, format] of cases) {
    it(`${path.basename(file)} is ${format.id}, and no other format claims it`, () => {
      const sample = sampleOf(file);
      expect(format.detect(sample)).toBeGreaterThanOrEqual(0.5);
      for (const other of ALL_FORMATS) if (other !== format) expect(other.detect(sample), other.id).toBeLessThan(0.5);
    });
  }

  it('neither OpenAI format claims a FOCUS file or the Anthropic exports', () => {
    const others = [FOCUS, ...fs.readdirSync(ANTHROPIC).filter((f) => /\.(csv|json)$/.test(f)).map((f) => path.join(ANTHROPIC, f))];
    for (const file of others) {
      const sample = sampleOf(file);
      expect(openaiUsage.detect(sample), file).toBeLessThan(0.5);
      expect(openaiCosts.detect(sample), file).toBeLessThan(0.5);
    }
  });

  it('a usage export with only the four-column header is openai-usage (an empty period), not costs', () => {
    const sample: TableSample = { header: ['start_time', 'end_time', 'start_time_iso', 'end_time_iso'], rows: [], container: 'csv' };
    expect(openaiUsage.detect(sample)).toBeGreaterThanOrEqual(0.5);
    expect(openaiCosts.detect(sample)).toBeLessThan(0.5);
    const mapper = openaiUsage.createMapper(sample);
    expect(mapper.gaps().some((g) => /only the four time columns/.test(g.note))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('openai-usage: dashboard CSV', () => {
  const m = mapBill(openaiUsage, USAGE_CSV);
  const records = readCsvRecords(USAGE_CSV);
  const col = (name: string, where?: (r: Record<string, string>) => boolean) => decimalSum(records, name, where);

  it('maps to well-formed FOCUS rows with no money', () => {
    expectWellFormed(m);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: m.rows.length });
    for (const r of m.rows) {
      for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(r[c]).toBe('0');
      expect(r.BillingCurrency).toBe('USD');
      expect(r.ConsumedUnit).toBe('Tokens');
      expect(r.PricingUnit).toBe('1000000 Tokens');
    }
    expect(m.vendorTotals).toEqual([]);
    expect(m.gaps.find((g) => g.column === 'BilledCost')?.note).toMatch(/costs export/);
  });

  it('token classes add up to the source columns, per file and per source row', () => {
    expect(sum(m, 'ConsumedQuantity', isInput).eq(col('input_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isOutput).eq(col('output_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isRead).eq(col('input_cached_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isUncached).eq(col('input_uncached_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', (r) => isUncached(r) || isRead(r)).eq(col('input_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', (r) => isAudio(r) && isUncached(r)).eq(col('input_audio_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', (r) => isAudio(r) && isRead(r)).eq(col('input_cached_audio_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', (r) => isAudio(r) && isOutput(r)).eq(col('output_audio_tokens'))).toBe(true);
    expect(col('input_audio_tokens').gt(0)).toBe(true);
    // modality breakdowns are split out of the totals, never added: the text rows are what is left
    expect(sum(m, 'ConsumedQuantity', (r) => isInput(r) && !isAudio(r)).eq(col('input_tokens').minus(col('input_audio_tokens')).minus(col('input_cached_audio_tokens')))).toBe(true);
    records.forEach((rec, i) => {
      const rows = m.rows.filter((_, k) => m.sourceRows[k] === i + 1);
      const s = (f: (r: Record<string, string>) => boolean) => rows.filter(f).reduce((a, r) => a.plus(r.ConsumedQuantity!), new Big(0));
      expect(s(isInput).eq(big(rec.input_tokens)), `row ${i + 1} input`).toBe(true);
      expect(s(isOutput).eq(big(rec.output_tokens)), `row ${i + 1} output`).toBe(true);
    });
  });

  it('one row per non-zero class; empty buckets and zero classes emit nothing', () => {
    // rows 4 and 11 are empty buckets (only the time columns filled)
    expect(records[3]!.input_tokens).toBe('');
    expect(m.sourceRows).not.toContain(4);
    expect(m.sourceRows).not.toContain(11);
    expect(m.gaps.some((g) => /2 rows \(first: row 4\) were empty buckets/.test(g.note))).toBe(true);
    // row 1: uncached, cached, output
    expect(m.rows.filter((_, k) => m.sourceRows[k] === 1).map((r) => r.SkuMeter)).toEqual(['Input Tokens', 'Cache Read Input Tokens', 'Output Tokens']);
    // row 5 (audio model): text and audio classes
    expect(m.rows.filter((_, k) => m.sourceRows[k] === 5).map((r) => r.SkuMeter)).toEqual([
      'Input Tokens',
      'Cache Read Input Tokens',
      'Audio Input Tokens',
      'Audio Cache Read Input Tokens',
      'Output Tokens',
      'Audio Output Tokens',
    ]);
    for (const r of m.rows) if (r.x_NumModelRequests === '') expect(r.ConsumedQuantity).not.toBe('0');
    // expected row count, from the file: non-zero classes per row (+1 for a row with requests but no tokens)
    let expected = 0;
    for (const rec of records) {
      const classes = [
        big(rec.input_uncached_tokens).minus(big(rec.input_audio_tokens)),
        big(rec.input_cached_tokens).minus(big(rec.input_cached_audio_tokens)),
        big(rec.input_audio_tokens),
        big(rec.input_cached_audio_tokens),
        big(rec.output_tokens).minus(big(rec.output_audio_tokens)),
        big(rec.output_audio_tokens),
      ].filter((b) => !b.eq(0)).length;
      expected += classes === 0 && big(rec.num_model_requests).gt(0) ? 1 : classes;
    }
    expect(m.rows.length).toBe(expected);
  });

  it('num_model_requests rides on one row per source row, so its sum is the file total', () => {
    expect(sum(m, 'x_NumModelRequests').eq(col('num_model_requests'))).toBe(true);
    for (let i = 1; i <= records.length; i++) {
      const carriers = m.rows.filter((r, k) => m.sourceRows[k] === i && r.x_NumModelRequests !== '');
      expect(carriers.length).toBeLessThanOrEqual(1);
    }
    // row 8 had 2 requests and no tokens: one 0-token input row keeps the count
    const r8 = m.rows.filter((_, k) => m.sourceRows[k] === 8);
    expect(r8).toHaveLength(1);
    expect(r8[0]).toMatchObject({ ConsumedQuantity: '0', PricingQuantity: '0', x_NumModelRequests: '2', SkuMeter: 'Input Tokens' });
  });

  it('PricingQuantity is tokens / 1e6 exactly; counts are read leniently', () => {
    for (const r of m.rows) expect(new Big(r.PricingQuantity!).eq(new Big(r.ConsumedQuantity!).div(1_000_000))).toBe(true);
    const first = m.rows[0]!;
    expect(first.ConsumedQuantity).toBe('53440'); // the file says 53440.0
    expect(first.PricingQuantity).toBe('0.05344');
    expect(first.x_NumModelRequests).toBe('10'); // 10.0
    expect(first.x_Batch).toBe('false'); // FALSE
    expect(m.rows.find((_, k) => m.sourceRows[k] === 3)!.x_Batch).toBe('true');
    expect(sum(m, 'PricingQuantity').eq(sum(m, 'ConsumedQuantity').div(1_000_000))).toBe(true);
  });

  it('SKU, model and token class details', () => {
    const first = m.rows.slice(0, 3);
    expect(first.map((r) => r.SkuId)).toEqual(['gpt-4o-2024-08-06, input', 'gpt-4o-2024-08-06, cached input', 'gpt-4o-2024-08-06, output']);
    expect(first.map(details)).toEqual([
      { ModelId: 'gpt-4o-2024-08-06', TokenDirection: 'Input', TokenCacheAction: 'Uncached' },
      { ModelId: 'gpt-4o-2024-08-06', TokenDirection: 'Input', TokenCacheAction: 'Read' },
      { ModelId: 'gpt-4o-2024-08-06', TokenDirection: 'Output' },
    ]);
    const audio = m.rows.find((r) => r.SkuMeter === 'Audio Input Tokens')!;
    expect(audio.SkuId).toBe('gpt-4o-audio-preview-2025-06-03 audio, input');
    expect(details(audio)).toEqual({ ModelId: 'gpt-4o-audio-preview-2025-06-03', TokenDirection: 'Input', TokenCacheAction: 'Uncached', x_Modality: 'Audio' });
  });

  it('accounts, keys and x_ columns', () => {
    records.forEach((rec, i) => {
      for (const r of m.rows.filter((_, k) => m.sourceRows[k] === i + 1)) {
        expect(r.SubAccountId).toBe(rec.project_id === '' ? 'default' : rec.project_id);
        expect(r.x_ProjectId).toBe(rec.project_id);
        expect(r.ResourceId).toBe(rec.api_key_id);
        expect(r.x_ApiKeyId).toBe(rec.api_key_id);
        expect(r.x_UserId).toBe(rec.user_id);
        expect(r.x_ServiceTier).toBe(rec.service_tier);
        expect(r.BillingAccountId).toBe('openai-organization');
      }
    });
    expect(m.rows.filter((r) => r.SubAccountId === 'default').length).toBeGreaterThan(0);
  });

  it('Unix seconds become UTC FOCUS times; the billing period is the calendar month of the start', () => {
    records.forEach((rec, i) => {
      for (const r of m.rows.filter((_, k) => m.sourceRows[k] === i + 1)) {
        expect(r.ChargePeriodStart).toBe(isoOf(rec.start_time!));
        expect(r.ChargePeriodEnd).toBe(isoOf(rec.end_time!));
        expect(r.ChargePeriodStart).toBe(rec.start_time_iso!.replace('+00:00', 'Z'));
      }
    });
    const sep30 = m.rows.find((r) => r.ChargePeriodStart === '2025-09-30T00:00:00Z')!;
    expect(sep30).toMatchObject({ ChargePeriodEnd: '2025-10-01T00:00:00Z', BillingPeriodStart: '2025-09-01T00:00:00Z', BillingPeriodEnd: '2025-10-01T00:00:00Z' });
    const oct1 = m.rows.find((r) => r.ChargePeriodStart === '2025-10-01T00:00:00Z')!;
    expect(oct1).toMatchObject({ BillingPeriodStart: '2025-10-01T00:00:00Z', BillingPeriodEnd: '2025-11-01T00:00:00Z' });
  });

  it('a non-numeric token cell is a MappingRowError naming row and column', () => {
    const bad = variant(USAGE_CSV, 'bad-tokens.csv', (lines) => editRow(lines, 3, (f) => (f.splice(12, 1, 'lots'), f)));
    const e = catchError(() => mapBill(openaiUsage, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(3);
    expect((e as MappingRowError).column).toBe('output_tokens');
    expect((e as Error).message).toMatch(/'lots' is not a number/);
  });

  it('cached tokens above input tokens are a MappingRowError (the classes could not partition the total)', () => {
    const bad = variant(USAGE_CSV, 'bad-cached.csv', (lines) => editRow(lines, 2, (f) => (f.splice(13, 1, '2000000.0'), f)));
    const e = catchError(() => mapBill(openaiUsage, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(2);
    expect((e as MappingRowError).column).toBe('input_cached_tokens');
  });

  it('an input_uncached_tokens that disagrees is reported; the rows still add up to input_tokens', () => {
    const odd = variant(USAGE_CSV, 'odd-uncached.csv', (lines) => editRow(lines, 1, (f) => (f.splice(14, 1, '50000.0'), f)));
    const mm = mapBill(openaiUsage, odd);
    expect(mm.gaps.some((g) => /1 row \(first: row 1\): input_uncached_tokens differs/.test(g.note))).toBe(true);
    expect(sum(mm, 'ConsumedQuantity', isInput).eq(col('input_tokens'))).toBe(true);
  });

  it('a missing token column is a MappingSetupError', () => {
    const s = sampleOf(USAGE_CSV);
    const header = s.header.filter((h) => h !== 'input_tokens' && h !== 'input_uncached_tokens');
    expect(() => openaiUsage.createMapper({ ...s, header })).toThrow(MappingSetupError);
    expect(() => openaiUsage.createMapper({ ...s, header: s.header.filter((h) => h !== 'output_tokens') })).toThrow(/output_tokens/);
    expect(() => openaiUsage.createMapper({ ...s, header: s.header.filter((h) => h !== 'end_time' && h !== 'end_time_iso') })).toThrow(/end_time/);
  });
});

describe('openai-usage: empty period export', () => {
  it('the four-column export maps to zero rows and says why', () => {
    const m = mapBill(openaiUsage, USAGE_EMPTY);
    expect(m.rows).toHaveLength(0);
    expect(m.gaps.some((g) => /only the four time columns/.test(g.note))).toBe(true);
    expect(m.gaps.some((g) => /3 rows \(first: row 1\) were empty buckets/.test(g.note))).toBe(true);
  });
});

describe('openai-usage: Usage API JSON page', () => {
  const m = mapBill(openaiUsage, USAGE_JSON);
  const results = apiResults(USAGE_JSON);
  const col = (k: string) => results.reduce((a, r) => a.plus(big(r[k])), new Big(0));

  it('maps the results of every non-empty bucket', () => {
    expectWellFormed(m);
    expect(Math.max(...m.sourceRows)).toBe(results.length);
    expect(new Set(m.sourceRows).size).toBe(results.length);
  });

  it('input rows add up to input_tokens, which includes cached and cache-write tokens', () => {
    expect(sum(m, 'ConsumedQuantity', isInput).eq(col('input_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isOutput).eq(col('output_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isRead).eq(col('input_cached_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isWrite).eq(col('input_cache_write_tokens'))).toBe(true);
    expect(sum(m, 'ConsumedQuantity', isUncached).eq(col('input_uncached_tokens'))).toBe(true);
    expect(col('input_cache_write_tokens').gt(0)).toBe(true);
    expect(sum(m, 'ConsumedQuantity', (r) => isAudio(r) && isOutput(r)).eq(col('output_audio_tokens'))).toBe(true);
    expect(sum(m, 'x_NumModelRequests').eq(col('num_model_requests'))).toBe(true);
    for (const r of m.rows) expect(new Big(r.PricingQuantity!).eq(new Big(r.ConsumedQuantity!).div(1_000_000))).toBe(true);
    const write = m.rows.find(isWrite)!;
    expect(write).toMatchObject({ SkuMeter: 'Cache Write Input Tokens', SkuId: 'gpt-5.6-sol-2026-02-01, cache writes', ConsumedQuantity: '65536', PricingQuantity: '0.065536' });
  });

  it('bucket times, null groups and booleans', () => {
    results.forEach((res, i) => {
      for (const r of m.rows.filter((_, k) => m.sourceRows[k] === i + 1)) {
        expect(r.ChargePeriodStart).toBe(isoOf(res.start_time));
        expect(r.ChargePeriodEnd).toBe(isoOf(res.end_time));
        expect(r.SubAccountId).toBe(res.project_id ?? 'default');
        expect(r.x_Batch).toBe(res.batch === null ? '' : String(res.batch));
      }
    });
    expect(m.rows.find((r) => r.ChargePeriodStart === '2025-10-31T00:00:00Z')!.BillingPeriodStart).toBe('2025-10-01T00:00:00Z');
    expect(m.rows.find((r) => r.ChargePeriodStart === '2025-11-01T00:00:00Z')!.BillingPeriodStart).toBe('2025-11-01T00:00:00Z');
    // a result not grouped by model: SKU named by the class alone, no ModelId
    const noModel = m.rows.filter((_, k) => m.sourceRows[k] === 5);
    expect(noModel.map((r) => r.SkuId)).toEqual(['input', 'cached input', 'output']);
    expect(details(noModel[0]!)).toEqual({ TokenDirection: 'Input', TokenCacheAction: 'Uncached' });
  });

  it('audio above the uncached input is a MappingRowError', () => {
    const bad = jsonVariant(USAGE_JSON, 'bad-audio.json', (p) => {
      p.data[0]!.results[2]!.input_audio_tokens = 999999;
    });
    const e = catchError(() => mapBill(openaiUsage, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(3);
    expect((e as MappingRowError).column).toBe('input_audio_tokens');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('openai-costs: dashboard CSV', () => {
  const m = mapBill(openaiCosts, COSTS_CSV);
  const records = readCsvRecords(COSTS_CSV);
  const billed = decimalSum(records, 'amount_value');

  it('BilledCost = EffectiveCost = ListCost = amount_value, to the cent and exactly', () => {
    expectWellFormed(m);
    for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) {
      expect(sum(m, c).eq(billed), c).toBe(true);
      expect(cents(sum(m, c))).toBe(cents(billed));
    }
    expect(m.vendorTotals).toEqual([{ focusColumn: 'BilledCost', vendorColumn: 'amount_value', vendorTotal: billed.toFixed() }]);
  });

  it('one row per priced row; the empty bucket emits nothing', () => {
    expect(m.rows).toHaveLength(records.filter((r) => r.amount_value !== '').length);
    expect(m.sourceRows).not.toContain(6);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: 11 });
  });

  it('amounts are copied as written, exponents normalised; currency upper case', () => {
    expect(m.rows[0]!.BilledCost).toBe('0.1336000000000000');
    expect(m.rows.find((_, k) => m.sourceRows[k] === 9)!.BilledCost).toBe('0.00000564'); // 5.64E-06
    for (const r of m.rows) expect(r.BillingCurrency).toBe('USD');
  });

  it('line items become SKUs with model and token direction where the grammar allows', () => {
    const byItem = new Map(m.rows.map((r) => [r.SkuPriceId!, r]));
    expect(details(byItem.get('gpt-4o-2024-08-06, input')!)).toEqual({ ModelId: 'gpt-4o-2024-08-06', TokenDirection: 'Input', TokenCacheAction: 'Uncached' });
    expect(byItem.get('gpt-4o-2024-08-06, cached input')!.SkuMeter).toBe('Cache Read Input Tokens');
    expect(byItem.get('web search tool calls')).toMatchObject({ SkuId: 'web search tool calls', SkuMeter: 'web search tool calls', SkuPriceDetails: '' });
    expect(byItem.get('priority | gpt-5-2025-08-07, output')).toMatchObject({ SkuId: 'gpt-5-2025-08-07, output', SkuMeter: 'Output Tokens' });
    expect(details(byItem.get('priority | gpt-5-2025-08-07, output')!)).toEqual({ ModelId: 'gpt-5-2025-08-07', TokenDirection: 'Output', x_ServiceTier: 'priority' });
    expect(byItem.get('gpt-image-1 image, output')!.SkuMeter).toBe('Image Output Tokens');
    expect(byItem.get('whisper-1, audio')!.SkuPriceDetails).toBe('');
    for (const r of m.rows) expect(r.ConsumedQuantity).toBe('');
  });

  it('organization and project', () => {
    records
      .filter((r) => r.amount_value !== '')
      .forEach((rec, i) => {
        const r = m.rows[i]!;
        expect(r.BillingAccountId).toBe(rec.organization_id);
        expect(r.BillingAccountName).toBe(rec.organization_name);
        expect(r.SubAccountId).toBe(rec.project_id === '' ? 'default' : rec.project_id);
        expect(r.ChargePeriodStart).toBe(isoOf(rec.start_time!));
        expect(r.ChargePeriodEnd).toBe(isoOf(rec.end_time!));
      });
  });

  it('a non-numeric amount is a MappingRowError naming row and column', () => {
    const bad = variant(COSTS_CSV, 'bad-amount.csv', (lines) => editRow(lines, 4, (f) => (f.splice(4, 1, '12,5 USD'), f)));
    const e = catchError(() => mapBill(openaiCosts, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(4);
    expect((e as MappingRowError).column).toBe('amount_value');
    expect((e as Error).message).toMatch(/amount_value '12,5 USD' is not a number/);
  });

  it('a missing amount column is a MappingSetupError', () => {
    const s = sampleOf(COSTS_CSV);
    expect(() => openaiCosts.createMapper({ ...s, header: s.header.map((h) => (h === 'amount_value' ? 'amount' : h)) })).toThrow(MappingSetupError);
  });
});

describe('openai-costs: ungrouped CSV (the documented example row)', () => {
  it('rows without line_item or project are kept, with the sum intact', () => {
    const m = mapBill(openaiCosts, COSTS_UNGROUPED);
    const billed = decimalSum(readCsvRecords(COSTS_UNGROUPED), 'amount_value');
    expectWellFormed(m);
    expect(m.rows).toHaveLength(3);
    expect(sum(m, 'BilledCost').eq(billed)).toBe(true);
    expect(m.rows[0]).toMatchObject({ BilledCost: '0.8958740000000000', SkuId: '', SkuPriceDetails: '', SubAccountId: 'default', BillingAccountId: 'org-Hp9mQ2rT7vXyZ1aB' });
    expect(m.gaps.some((g) => g.column === 'SkuId' && /no line_item/.test(g.note))).toBe(true);
  });
});

describe('openai-costs: Costs API JSON page', () => {
  const m = mapBill(openaiCosts, COSTS_JSON);
  const results = apiResults(COSTS_JSON);
  const billed = results.reduce((a, r) => a.plus(big((r.amount as { value: unknown }).value)), new Big(0));

  it('BilledCost sums to Σ amount.value (numbers and strings alike)', () => {
    expectWellFormed(m);
    expect(m.rows).toHaveLength(results.length);
    expect(sum(m, 'BilledCost').eq(billed)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(billed)).toBe(true);
    expect(cents(sum(m, 'BilledCost'))).toBe(cents(billed));
    expect(m.vendorTotals).toEqual([{ focusColumn: 'BilledCost', vendorColumn: 'amount.value', vendorTotal: billed.toFixed() }]);
    expect(m.rows[3]!.BilledCost).toBe('1.2345678901'); // given as a string
  });

  it('times, projects, keys and line items', () => {
    results.forEach((res, i) => {
      const r = m.rows[i]!;
      expect(r.ChargePeriodStart).toBe(isoOf(res.start_time));
      expect(r.ChargePeriodEnd).toBe(isoOf(res.end_time));
      expect(r.SubAccountId).toBe(res.project_id ?? 'default');
      expect(r.ResourceId).toBe(res.api_key_id ?? '');
      expect(r.SkuPriceId).toBe(res.line_item);
      expect(r.BillingCurrency).toBe('USD');
    });
    expect(details(m.rows[7]!)).toEqual({ ModelId: 'gpt-5.6-sol-2026-02-01', TokenDirection: 'Output', x_ServiceTier: 'priority', x_LongContext: true });
    expect(m.rows[7]!.SkuId).toBe('gpt-5.6-sol-2026-02-01, output');
    expect(m.rows[3]!.SkuMeter).toBe('Cache Write Input Tokens');
    expect(m.gaps.some((g) => g.column === 'BillingAccountId')).toBe(true);
  });

  it('a non-numeric amount.value is a MappingRowError naming the dotted column', () => {
    const bad = jsonVariant(COSTS_JSON, 'bad-costs.json', (p) => {
      (p.data[1]!.results[0]!.amount as { value: unknown }).value = 'n/a';
    });
    const e = catchError(() => mapBill(openaiCosts, bad));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(6);
    expect((e as MappingRowError).column).toBe('amount.value');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('billing account: the organization, or a labelled placeholder where the export does not name it', () => {
  const ACCOUNT_RULES = ['BillingAccountId-C-000-M', 'BillingAccountId-C-001-M', 'BillingAccountName-C-000-M', 'BillingAccountName-C-003-C', 'CostAndUsage-D-024-M', 'CostAndUsage-D-005-M'];
  const allPass = Object.fromEntries(ACCOUNT_RULES.map((id) => [id, 'pass']));

  it.each([USAGE_CSV, USAGE_JSON, COSTS_JSON])('%s names no organization: every row gets "openai-organization", and a gap says so', (file) => {
    const m = mapBill(file === COSTS_JSON ? openaiCosts : openaiUsage, file);
    expect(m.rows.length).toBeGreaterThan(0);
    for (const r of m.rows) {
      expect(r.BillingAccountId).toBe('openai-organization');
      expect(r.BillingAccountName).toBe('openai-organization');
      expect(r.SubAccountId).not.toBe(''); // the project, "default" for none
      expect(r.SubAccountName).toBe(r.SubAccountId);
    }
    const gap = m.gaps.find((g) => g.column === 'BillingAccountId');
    expect(gap?.note).toMatch(/do not name the OpenAI organization: BillingAccountId and BillingAccountName are the placeholder "openai-organization"/);
    expect(gap?.note).toMatch(/FOCUS requires a billing account on every row/);
    expect(statusOf(conformanceOf(m), ...ACCOUNT_RULES)).toEqual(allPass);
  });

  it('the cost export names it: organization_id and organization_name, the account rules pass', () => {
    const m = mapBill(openaiCosts, COSTS_CSV);
    expect(new Set(m.rows.map((r) => `${r.BillingAccountId} ${r.BillingAccountName}`))).toEqual(new Set(['org-Hp9mQ2rT7vXyZ1aB Personal']));
    expect(m.gaps.some((g) => g.column === 'BillingAccountId')).toBe(false);
    expect(statusOf(conformanceOf(m), ...ACCOUNT_RULES)).toEqual(allPass);
  });

  it('a cost row without organization_id gets the placeholder, one without organization_name repeats the id; both are noted', () => {
    const file = variant(COSTS_CSV, 'no-org.csv', (lines) => {
      const a = editRow(lines, 2, (f) => (f.splice(8, 2, '', ''), f));
      return editRow(a, 3, (f) => (f.splice(9, 1, ''), f));
    });
    const m = mapBill(openaiCosts, file);
    const row = (n: number) => m.rows[m.sourceRows.indexOf(n)]!;
    expect([row(2).BillingAccountId, row(2).BillingAccountName]).toEqual(['openai-organization', 'openai-organization']);
    expect([row(3).BillingAccountId, row(3).BillingAccountName]).toEqual(['org-Hp9mQ2rT7vXyZ1aB', 'org-Hp9mQ2rT7vXyZ1aB']);
    expect([row(1).BillingAccountId, row(1).BillingAccountName]).toEqual(['org-Hp9mQ2rT7vXyZ1aB', 'Personal']);
    const notes = m.gaps.map((g) => `${g.column}: ${g.note}`).join('\n');
    expect(notes).toMatch(/BillingAccountId: 1 row \(first: row 2\) had no organization_id: .*placeholder "openai-organization"/);
    expect(notes).toMatch(/BillingAccountName: 1 row \(first: row 3\) had an organization_id but no organization_name: BillingAccountName repeats the id/);
    expect(statusOf(conformanceOf(m), ...ACCOUNT_RULES)).toEqual(allPass);
  });

  it('a usage export that does carry organization_id uses it', () => {
    const file = variant(USAGE_CSV, 'usage-org.csv', (lines) =>
      lines.map((l, i) => (i === 0 ? `${l},organization_id,organization_name` : `${l},org-Hp9mQ2rT7vXyZ1aB,Personal`)),
    );
    const m = mapBill(openaiUsage, file);
    expect(new Set(m.rows.map((r) => `${r.BillingAccountId} ${r.BillingAccountName}`))).toEqual(new Set(['org-Hp9mQ2rT7vXyZ1aB Personal']));
    expect(m.gaps.some((g) => g.column === 'BillingAccountId')).toBe(false);
  });
});

describe('helpers', () => {
  it('countText reads spreadsheet floats and rejects text', () => {
    expect(countText('59200.0')).toBe('59200');
    expect(countText('59200')).toBe('59200');
    expect(countText('0.0')).toBe('0');
    expect(countText('007')).toBe('7');
    expect(countText('1e3')).toBe('1000');
    expect(countText('')).toBe('');
    expect(countText('null')).toBe('');
    expect(countText('FALSE')).toBeNull();
  });

  it('perBlock divides by 10^k exactly', () => {
    expect(perBlock('1', 6)).toBe('0.000001');
    expect(perBlock('1000000', 6)).toBe('1');
    expect(perBlock('1234567', 6)).toBe('1.234567');
    expect(perBlock('5120', 6)).toBe('0.00512');
    expect(perBlock('12', 3)).toBe('0.012');
    expect(perBlock('0', 6)).toBe('0');
    expect(perBlock('10.5', 6)).toBe('0.0000105');
    // cents → dollars
    expect(perBlock('123.45', 2)).toBe('1.2345');
    expect(perBlock('0.012345', 2)).toBe('0.00012345');
    expect(perBlock('80.3253', 2)).toBe('0.803253');
    expect(perBlock('3', 2)).toBe('0.03');
    expect(perBlock('100', 2)).toBe('1');
    expect(perBlock('-500', 2)).toBe('-5');
    expect(perBlock('-0.5', 2)).toBe('-0.005');
    expect(perBlock('0012.50', 2)).toBe('0.125');
    expect(perBlock('1e2', 2)).toBe('1');
  });

  it('FastDecimalSum is exact against big.js, across folds and odd texts', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const digits = (n: number) => Array.from({ length: n }, () => String(rnd(10))).join('');
    const acc = new FastDecimalSum();
    let expected = new Big(0);
    for (let i = 0; i < 20_000; i++) {
      const kind = rnd(10);
      let t: string;
      if (kind < 4) t = `${rnd(1000)}.${digits(1 + rnd(18))}`;
      else if (kind < 6) t = `-${rnd(100000)}.${digits(1 + rnd(30))}`;
      else if (kind < 7) t = String(rnd(1_000_000));
      else if (kind < 8) t = `${digits(14)}.${digits(2)}`; // more integer digits than the fast path takes
      else if (kind < 9) t = `${1 + rnd(9)}.${rnd(10)}E-${rnd(12)}`;
      else t = `0.${digits(27)}`;
      acc.add(t);
      expected = expected.plus(new Big(t));
    }
    expect(new Big(acc.toString()).eq(expected)).toBe(true);
    acc.add('1');
    expect(new Big(acc.toString()).eq(expected.plus(1))).toBe(true);
    acc.add('not a number');
    expect(acc.invalid).toBe(1);
  });

  it('moneyText copies plain decimals and normalises the rest', () => {
    expect(moneyText('0.8958740000000000')).toBe('0.8958740000000000');
    expect(moneyText('-3')).toBe('-3');
    expect(moneyText('5.64E-06')).toBe('0.00000564');
    expect(moneyText(' 1.50 ')).toBe('1.5');
    expect(moneyText('abc')).toBeNull();
  });

  it('lineItemSku keeps what it cannot parse as given', () => {
    expect(lineItemSku('gpt-4o-mini-2024-07-18, cached input')).toMatchObject({ skuId: 'gpt-4o-mini-2024-07-18, cached input', meter: 'Cache Read Input Tokens' });
    expect(lineItemSku('gpt-audio-mini-2025-12-15 audio, input').meter).toBe('Audio Input Tokens');
    expect(lineItemSku('ft:gpt-4o-2024-08-06:acme::AbC123, output').details).toBe(
      JSON.stringify({ ModelId: 'ft:gpt-4o-2024-08-06:acme::AbC123', TokenDirection: 'Output' }),
    );
    expect(lineItemSku('assistants api | file search')).toMatchObject({ skuId: 'assistants api | file search', details: '' });
    expect(lineItemSku('Vector storage, per GB day')).toMatchObject({ skuId: 'Vector storage, per GB day', details: '' });
  });
});

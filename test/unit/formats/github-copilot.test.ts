// GitHub usage reports (premium requests, AI credits, detailed metered usage) and the legacy premium request analytics
// CSV → FOCUS. Expected sums come from the fixture files through the independent CSV reader and big.js.
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConformanceChecker } from '../../../src-main/conformance/index';
import { GITHUB_ACCOUNT_PLACEHOLDER, copilotPremiumAnalytics, copilotUsage } from '../../../src-main/ingest/formats/github-copilot';
import { saasSeats } from '../../../src-main/ingest/formats/saas-seats';
import { MappingRowError, MappingSetupError, type BillFormat, type TableSample } from '../../../src-main/ingest/formats/types';
import { decimalSum, editRow, joinCsvLine, parseCsvRows, readCsvRecords } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';
import { conformanceOf, failing, statusOf } from './conformance-report';

const DIR = path.resolve(__dirname, '../../fixtures/vendors/github-copilot');
const PREMIUM = path.join(DIR, 'premium-requests-usage-report.csv');
const AI = path.join(DIR, 'ai-credits-usage-report.csv');
const DETAILED = path.join(DIR, 'detailed-usage-report.csv');
const LEGACY = path.join(DIR, 'premium-interactions-legacy.csv');
const USAGE_FIXTURES = [PREMIUM, AI, DETAILED];
const FOCUS = path.resolve(__dirname, '../../fixtures/focus/focus-1.0_sample_1000.csv');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-copilot-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sampleOf(file: string): TableSample {
  const t = readTable(file);
  return { header: t.header, rows: t.rows, container: t.container };
}

/** A copy of a fixture with one data row edited (1-based), or with its text transformed. */
function variant(file: string, name: string, edit: (lines: string[]) => string[]): string {
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  const out = path.join(tmp, name);
  fs.writeFileSync(out, `${edit(lines).join('\n')}\n`);
  return out;
}

const sum = (m: MappedBill, col: string, where?: (r: Record<string, string>) => boolean): Big =>
  m.rows.reduce((acc, r) => (where && !where(r) ? acc : r[col] === '' ? acc : acc.plus(new Big(r[col]!))), new Big(0));

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
const DAY_MS = 86_400_000;

/** FOCUS 1.2 rules (Requirements Model) that fail on rows of the mapped output. */
function failingRowRules(m: MappedBill): string[] {
  const cols = Object.keys(m.rows[0]!);
  const checker = createConformanceChecker(cols);
  m.rows.forEach((r, i) => checker.row(cols.map((c) => r[c]!), i + 1));
  const report = checker.finish({ file: 'mapped', focusVersion: '1.2' });
  return report.rules.filter((r) => r.status === 'fail' && r.failingRows > 0).map((r) => r.id);
}

function expectWellFormed(m: MappedBill): void {
  for (const r of m.rows) {
    expect(r.ChargeDescription).not.toBe('');
    for (const c of ['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
      expect(r[c], c).not.toBe('');
    }
    for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) expect(r[c]).toMatch(FOCUS_TIME);
    for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ConsumedQuantity', 'ListUnitPrice']) {
      if (r[c] !== '') expect(r[c], c).toMatch(/^-?\d+(\.\d+)?$/);
    }
    // seats billed for the day they are held are Usage like every metered SKU: no row is a purchase of later use
    expect(r.ChargeCategory).toBe('Usage');
    expect(['Usage-Based', 'Recurring']).toContain(r.ChargeFrequency);
    expect(['AI and Machine Learning', 'Developer Tools', 'Storage', 'Security']).toContain(r.ServiceCategory);
    if (r.Tags !== '') expect(typeof JSON.parse(r.Tags!)).toBe('object');
    if (r.SkuPriceDetails !== '') {
      expect(typeof JSON.parse(r.SkuPriceDetails!)).toBe('object');
      expect(r.SkuPriceId).not.toBe('');
    }
    if (r.ChargeCategory !== 'Usage') expect(r.ConsumedQuantity).toBe('');
    if (r.ConsumedQuantity !== '') expect(r.ConsumedUnit).not.toBe('');
    expect(r.ServiceProviderName).toBe('GitHub');
    expect(r.InvoiceIssuerName).toBe('GitHub');
    expect(r.BillingCurrency).toBe('USD');
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('detection', () => {
  it.each(USAGE_FIXTURES)('usage report %s is claimed by github-copilot-usage only', (file) => {
    const s = sampleOf(file);
    expect(copilotUsage.detect(s)).toBeGreaterThanOrEqual(0.9);
    expect(copilotPremiumAnalytics.detect(s)).toBeLessThan(0.5);
    expect(saasSeats.detect(s)).toBeLessThan(0.5);
  });

  it('the legacy premium analytics CSV is claimed by github-copilot-premium-requests only', () => {
    const s = sampleOf(LEGACY);
    expect(copilotPremiumAnalytics.detect(s)).toBeGreaterThanOrEqual(0.9);
    expect(copilotUsage.detect(s)).toBeLessThan(0.5);
    expect(saasSeats.detect(s)).toBeLessThan(0.5);
  });

  it('a FOCUS file and the seat CSVs are not claimed', () => {
    const others = [
      FOCUS,
      path.resolve(__dirname, '../../fixtures/vendors/saas-seats/seats-invoice.csv'),
      path.resolve(__dirname, '../../fixtures/vendors/saas-seats/licenses-export.csv'),
    ];
    for (const f of others) {
      const s = sampleOf(f);
      for (const fmt of [copilotUsage, copilotPremiumAnalytics] as BillFormat[]) expect(fmt.detect(s), `${fmt.id} on ${f}`).toBeLessThan(0.5);
    }
  });

  it('columns are found by name whatever their order', () => {
    const records = parseCsvRows(fs.readFileSync(PREMIUM, 'utf8'));
    const order = records[0]!.map((_, i) => i).reverse();
    const file = path.join(tmp, 'reordered.csv');
    fs.writeFileSync(file, `${records.map((r) => joinCsvLine(order.map((i) => r[i]!))).join('\n')}\n`);
    expect(copilotUsage.detect(sampleOf(file))).toBeGreaterThanOrEqual(0.9);
    expect(mapBill(copilotUsage, file).rows).toEqual(mapBill(copilotUsage, PREMIUM).rows);
  });
});

describe('metered usage reports: money', () => {
  it.each(USAGE_FIXTURES)('%s: BilledCost = EffectiveCost = Σ net_amount, ListCost = ContractedCost = Σ gross_amount, exactly', (file) => {
    const records = readCsvRecords(file);
    const m = mapBill(copilotUsage, file);
    const net = decimalSum(records, 'net_amount');
    const gross = decimalSum(records, 'gross_amount');
    expect(net.gt(0)).toBe(true);
    expect(sum(m, 'BilledCost').eq(net)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(net)).toBe(true);
    expect(sum(m, 'ListCost').eq(gross)).toBe(true);
    expect(sum(m, 'ContractedCost').eq(gross)).toBe(true);
    expect(sum(m, 'x_DiscountAmount').eq(decimalSum(records, 'discount_amount'))).toBe(true);
    const totals = Object.fromEntries(m.vendorTotals.map((t) => [t.focusColumn, t.vendorTotal]));
    expect(new Big(totals.BilledCost!).eq(net)).toBe(true);
    expect(new Big(totals.EffectiveCost!).eq(net)).toBe(true);
    expect(new Big(totals.ListCost!).eq(gross)).toBe(true);
    expect(new Big(totals.ContractedCost!).eq(gross)).toBe(true);
    expectWellFormed(m);
    // no FOCUS rule fails on any row, seat rows included (EffectiveCost-C-005-C concerns purchases: there are none)
    expect(failingRowRules(m)).toEqual([]);
  });

  it('per-user net cost (the key for AI allocation) matches the file', () => {
    const records = readCsvRecords(PREMIUM);
    const m = mapBill(copilotUsage, PREMIUM);
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      const expected = decimalSum(records, 'net_amount', (r) => r.username === user);
      expect(sum(m, 'BilledCost', (r) => (JSON.parse(r.Tags!) as { user?: string }).user === user).eq(expected), user).toBe(true);
    }
  });

  it('the included allowance stays visible: net = gross − discount on every row', () => {
    const m = mapBill(copilotUsage, PREMIUM);
    for (const r of m.rows) expect(new Big(r.ListCost!).minus(r.x_DiscountAmount!).eq(r.BilledCost!)).toBe(true);
    expect(m.gaps.some((g) => g.column === 'ContractedCost' && /discount_amount/.test(g.note))).toBe(true);
  });
});

describe('premium requests usage report', () => {
  const m = mapBill(copilotUsage, PREMIUM);

  it('maps every row to one Usage row priced per request', () => {
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: 15 });
    expect(m.sourceRows).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (const r of m.rows) {
      expect(r.ConsumedUnit).toBe('Requests');
      expect(r.PricingUnit).toBe('Requests');
      expect(r.ListUnitPrice).toBe('0.04');
      expect(r.ContractedUnitPrice).toBe('0.04');
      expect(r.ServiceName).toBe('Copilot');
      expect(r.ServiceCategory).toBe('AI and Machine Learning');
      expect(r.ChargeFrequency).toBe('Usage-Based');
    }
  });

  it('keeps the "Auto:" picker label raw in SkuMeter and normalises the model id', () => {
    const auto = m.rows.filter((r) => r.SkuMeter === 'Auto: claude-sonnet-4');
    expect(auto).toHaveLength(2);
    for (const r of auto) {
      const d = JSON.parse(r.SkuPriceDetails!) as Record<string, unknown>;
      expect(d.ModelId).toBe('claude-sonnet-4');
      expect(d.x_AutoSelected).toBe(true);
      expect(r.PublisherName).toBe('Anthropic');
      expect(r.SkuPriceId).toBe('copilot_premium_request/claude-sonnet-4');
    }
    const named = m.rows.find((r) => r.SkuMeter === 'Claude Sonnet 4')!;
    expect(JSON.parse(named.SkuPriceDetails!)).toMatchObject({ ModelId: 'claude-sonnet-4' });
    expect(named.SkuPriceId).toBe(auto[0]!.SkuPriceId);
    const review = m.rows.find((r) => r.SkuMeter === 'Code Review model')!;
    expect(JSON.parse(review.SkuPriceDetails!)).toEqual({ x_Feature: 'Code Review model' });
    expect(review.PublisherName).toBe('GitHub');
    const publishers = Object.fromEntries(m.rows.map((r) => [r.SkuMeter, r.PublisherName]));
    expect(publishers).toMatchObject({ 'GPT-5.2': 'OpenAI', 'Gemini 3 Flash': 'Google', 'Grok Code Fast 1': 'xAI' });
  });

  it('two SKUs for the same day and user both count', () => {
    const same = m.rows.filter((r) => r.x_Username === 'alice' && r.ChargePeriodStart === '2025-10-30T00:00:00Z');
    expect(same.map((r) => r.SkuId).sort()).toEqual(['coding_agent_premium_request', 'copilot_premium_request']);
    expect(same.reduce((a, r) => a.plus(r.ListCost!), new Big(0)).eq('0.64')).toBe(true);
  });

  it('attribution: organization, cost center and user', () => {
    const r = m.rows[3]!; // 2025-10-31 alice Claude Opus 4.5, partly over quota
    expect(r.SubAccountId).toBe('org-alpha');
    expect(JSON.parse(r.Tags!)).toEqual({ cost_center: 'CC-Alpha', user: 'alice' });
    expect(r.x_CostCenter).toBe('CC-Alpha');
    expect(r.x_ExceedsQuota).toBe('true');
    expect(r.x_TotalMonthlyQuota).toBe('300');
    expect(r.BilledCost).toBe('0.48');
    expect(r.ListCost).toBe('1.2');
    const carol = m.rows.find((x) => x.x_Username === 'carol')!;
    expect(JSON.parse(carol.Tags!)).toEqual({ user: 'carol' });
    expect(carol.x_ExceedsQuota).toBe('false');
  });

  it('a UTC day becomes [day, day + 1) in its calendar month, across the month boundary', () => {
    const oct31 = m.rows[3]!;
    expect([oct31.ChargePeriodStart, oct31.ChargePeriodEnd]).toEqual(['2025-10-31T00:00:00Z', '2025-11-01T00:00:00Z']);
    expect([oct31.BillingPeriodStart, oct31.BillingPeriodEnd]).toEqual(['2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z']);
    const nov1 = m.rows[7]!;
    expect([nov1.ChargePeriodStart, nov1.ChargePeriodEnd]).toEqual(['2025-11-01T00:00:00Z', '2025-11-02T00:00:00Z']);
    expect([nov1.BillingPeriodStart, nov1.BillingPeriodEnd]).toEqual(['2025-11-01T00:00:00Z', '2025-12-01T00:00:00Z']);
    const records = readCsvRecords(PREMIUM);
    m.rows.forEach((r, i) => {
      expect(r.ChargePeriodStart).toBe(`${records[i]!.date}T00:00:00Z`);
      expect(Date.parse(r.ChargePeriodEnd!) - Date.parse(r.ChargePeriodStart!)).toBe(DAY_MS);
    });
  });
});

describe('AI-credit usage report', () => {
  const records = readCsvRecords(AI);
  const m = mapBill(copilotUsage, AI);
  const CLASSES = [
    { column: 'input', meter: 'Input Tokens', direction: 'Input', cache: 'Uncached' },
    { column: 'cache_read', meter: 'Cache Read Input Tokens', direction: 'Input', cache: 'Read' },
    { column: 'cache_write', meter: 'Cache Write Input Tokens', direction: 'Input', cache: 'Write' },
    { column: 'output', meter: 'Output Tokens', direction: 'Output', cache: undefined },
  ];
  const tokenRows = m.rows.filter((r) => r.ConsumedUnit === 'Tokens');
  const chargeRows = m.rows.filter((r) => r.ConsumedUnit !== 'Tokens');

  it('emits one charge row per source row plus one 0-cost row per non-zero token class', () => {
    const nonZero = records.reduce(
      (n, r) => n + CLASSES.filter((c) => r[c.column] !== '' && !new Big(r[c.column]!).eq(0)).length,
      0,
    );
    expect(chargeRows).toHaveLength(records.length);
    expect(tokenRows).toHaveLength(nonZero);
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: records.length + nonZero });
    for (const r of tokenRows) {
      for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ListUnitPrice', 'ContractedUnitPrice']) expect(r[c], c).toBe('0');
      expect(r.PricingUnit).toBe('1000000 Tokens');
      expect(new Big(r.PricingQuantity!).times(1_000_000).eq(r.ConsumedQuantity!)).toBe(true);
      expect(r.ServiceSubcategory).toBe('Generative AI');
    }
    // money is counted once: on the charge rows
    expect(sum(m, 'BilledCost', (r) => r.ConsumedUnit !== 'Tokens').eq(decimalSum(records, 'net_amount'))).toBe(true);
    for (const r of chargeRows) {
      expect(r.ConsumedUnit).toBe('AI Credits');
      expect(r.PricingUnit).toBe('AI Credits');
      expect(r.x_AicQuantity).toBe(r.ConsumedQuantity);
    }
  });

  it('preserves every token class: Σ tokens per class (and per user) equals the file', () => {
    for (const c of CLASSES) {
      const rows = tokenRows.filter((r) => r.SkuMeter === c.meter);
      const total = rows.reduce((a, r) => a.plus(r.ConsumedQuantity!), new Big(0));
      expect(total.eq(decimalSum(records, c.column)), c.column).toBe(true);
      expect(total.gt(0)).toBe(true);
      for (const r of rows) {
        const d = JSON.parse(r.SkuPriceDetails!) as Record<string, unknown>;
        expect(d.TokenDirection).toBe(c.direction);
        expect(d.TokenCacheAction).toBe(c.cache);
        expect(r.SkuPriceId!.endsWith(`/${c.column.replace('_', '-')}`)).toBe(true);
      }
      for (const user of ['user-a', 'user-b', 'user-c', 'user-d']) {
        const mine = rows.filter((r) => r.x_Username === user).reduce((a, r) => a.plus(r.ConsumedQuantity!), new Big(0));
        expect(mine.eq(decimalSum(records, c.column, (r) => r.username === user)), `${user} ${c.column}`).toBe(true);
      }
    }
  });

  it('token rows carry the model of their charge row', () => {
    const first = m.rows.filter((r) => m.sourceRows[m.rows.indexOf(r)] === 2);
    expect(first.map((r) => r.SkuMeter)).toEqual([
      'Auto: claude-sonnet-4',
      'Input Tokens',
      'Cache Read Input Tokens',
      'Cache Write Input Tokens',
      'Output Tokens',
    ]);
    for (const r of first) expect(JSON.parse(r.SkuPriceDetails!)).toMatchObject({ ModelId: 'claude-sonnet-4', x_AutoSelected: true });
    expect(first.map((r) => r.ConsumedQuantity)).toEqual(['0.61', '1000', '50', '10', '200']);
    expect(first[1]!.PricingQuantity).toBe('0.001');
    expect(first[1]!.ChargeDescription).toBe('Input Tokens (Auto: claude-sonnet-4), Copilot Premium Request');
    expect(first[0]!.ChargeDescription).toBe('Copilot Premium Request (Auto: claude-sonnet-4)');
    expect(m.gaps.some((g) => /token rows/.test(g.note))).toBe(true);
  });
});

describe('detailed usage report (Actions, seats, storage)', () => {
  const m = mapBill(copilotUsage, DETAILED);

  it('seat SKUs are Usage / Recurring with the user-months of the day consumed; metered SKUs are Usage / Usage-Based', () => {
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: 10 });
    expect(countBy(m, 'ChargeFrequency')).toEqual({ 'Usage-Based': 6, Recurring: 4 });
    for (const r of m.rows.filter((x) => x.ChargeFrequency === 'Recurring')) {
      expect(['copilot_for_business', 'copilot_enterprise']).toContain(r.SkuId);
      expect(r.ConsumedQuantity).toBe('0.033333');
      expect(r.ConsumedUnit).toBe('User-Months');
      expect(r.PricingQuantity).toBe('0.033333');
      expect(r.PricingUnit).toBe('User-Months');
      expect(new Big(r.PricingQuantity!).times(r.ListUnitPrice!).eq(r.ListCost!)).toBe(true);
      expect(r.EffectiveCost).toBe(r.BilledCost);
      expect(Date.parse(r.ChargePeriodEnd!) - Date.parse(r.ChargePeriodStart!)).toBe(86_400_000);
    }
    expect(m.gaps.some((g) => g.column === 'ChargeCategory' && /4 seat \(licence\) rows .* Usage \/ Recurring/.test(g.note))).toBe(true);
  });

  it('maps products, units, repositories and workflows', () => {
    const ci = m.rows[0]!;
    expect(ci).toMatchObject({
      ServiceName: 'Actions',
      ServiceCategory: 'Developer Tools',
      ServiceSubcategory: 'Continuous Integration and Deployment',
      ConsumedQuantity: '120',
      ConsumedUnit: 'Minutes',
      ResourceId: 'org-alpha/api',
      x_WorkflowPath: '.github/workflows/ci.yml',
      SubAccountId: 'org-alpha',
      PublisherName: 'GitHub',
      SkuPriceDetails: '',
      SkuPriceId: 'actions_linux',
      SkuMeter: 'Actions Linux',
      ChargeDescription: 'Actions Linux',
    });
    expect(m.rows[6]).toMatchObject({ ServiceName: 'Packages', ConsumedUnit: 'GB-Hours', ListCost: '0.000375' });
    expect(m.rows[7]).toMatchObject({ ServiceName: 'Codespaces', ConsumedUnit: 'Hours', BilledCost: '0.36' });
    const lastDay = m.rows[9]!;
    expect([lastDay.ChargePeriodStart, lastDay.ChargePeriodEnd, lastDay.BillingPeriodEnd]).toEqual([
      '2025-11-30T00:00:00Z',
      '2025-12-01T00:00:00Z',
      '2025-12-01T00:00:00Z',
    ]);
  });
});

describe('metered usage reports: errors', () => {
  it('a non-numeric net_amount is a MappingRowError naming the row and column', () => {
    const file = variant(PREMIUM, 'bad-net.csv', (l) => editRow(l, 3, (f) => f.map((v, i) => (i === 10 ? 'abc' : v))));
    const e = catchError(() => mapBill(copilotUsage, file));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(3);
    expect((e as MappingRowError).column).toBe('net_amount');
    expect((e as Error).message).toContain("'abc'");
  });

  it('a non-numeric token count is a MappingRowError on that token column', () => {
    const file = variant(AI, 'bad-token.csv', (l) => editRow(l, 5, (f) => f.map((v, i) => (i === 15 ? 'n/a' : v))));
    const e = catchError(() => mapBill(copilotUsage, file)) as MappingRowError;
    expect(e).toBeInstanceOf(MappingRowError);
    expect([e.row, e.column]).toEqual([5, 'cache_read']);
  });

  it('an unreadable date is a MappingRowError', () => {
    const file = variant(DETAILED, 'bad-date.csv', (l) => editRow(l, 2, (f) => f.map((v, i) => (i === 0 ? 'yesterday' : v))));
    const e = catchError(() => mapBill(copilotUsage, file)) as MappingRowError;
    expect(e).toBeInstanceOf(MappingRowError);
    expect([e.row, e.column]).toEqual([2, 'date']);
  });

  it('a missing net_amount column is a MappingSetupError', () => {
    const s = sampleOf(PREMIUM);
    const header = s.header.map((h) => (h === 'net_amount' ? 'net' : h));
    expect(() => copilotUsage.createMapper({ ...s, header })).toThrow(MappingSetupError);
    expect(() => copilotUsage.createMapper({ ...s, header })).toThrow(/net_amount/);
  });
});

describe('billing account: the enterprise, or the labelled placeholder "github-enterprise"', () => {
  const ACCOUNT_RULES = ['BillingAccountId-C-000-M', 'BillingAccountId-C-001-M', 'BillingAccountName-C-000-M', 'BillingAccountName-C-003-C', 'CostAndUsage-D-024-M', 'CostAndUsage-D-005-M'];
  const allPass = Object.fromEntries(ACCOUNT_RULES.map((id) => [id, 'pass']));
  // failing before the account columns, other than the two presence rules: ResourceType (D-039-C) and HostProviderName
  // (FOCUS 1.3), columns these reports cannot fill
  const FAILING_BEFORE = ['CostAndUsage-D-000-M', 'CostAndUsage-D-001-M', 'CostAndUsage-D-039-C', 'CostAndUsage:HostProviderName-C-000-M'];

  it.each([...USAGE_FIXTURES, LEGACY])('%s names no enterprise: every row gets "github-enterprise", a gap says so, the account rules pass', (file) => {
    const legacy = file === LEGACY;
    const m = mapBill(legacy ? copilotPremiumAnalytics : copilotUsage, file);
    expect(GITHUB_ACCOUNT_PLACEHOLDER).toBe('github-enterprise');
    expect(m.rows.length).toBeGreaterThan(0);
    const records = readCsvRecords(file);
    m.rows.forEach((r, i) => {
      expect(r.BillingAccountId).toBe('github-enterprise');
      expect(r.BillingAccountName).toBe('github-enterprise');
      // the organization of the row stays its sub account (the legacy CSV names none)
      expect(r.SubAccountId).toBe(legacy ? '' : records[m.sourceRows[i]! - 1]!.organization);
    });
    const gap = m.gaps.find((g) => g.column === 'BillingAccountId');
    expect(gap?.note).toMatch(
      /do not name the enterprise \(or organization billed on its own\) GitHub invoices: BillingAccountId and BillingAccountName are the placeholder "github-enterprise"/,
    );
    expect(gap?.note).toMatch(/FOCUS requires a billing account on every row/);
    const report = conformanceOf(m);
    expect(statusOf(report, ...ACCOUNT_RULES)).toEqual(allPass);
    expect(failing(report).filter((id) => !FAILING_BEFORE.includes(id))).toEqual([]);
  });

  it('a report with an enterprise column uses it; a row without one gets the placeholder, and a gap counts it', () => {
    const file = variant(PREMIUM, 'enterprise.csv', (lines) =>
      lines.map((l, i) => (i === 0 ? `${l},enterprise` : `${l},${i === 2 ? '' : 'octo-enterprise'}`)),
    );
    expect(copilotUsage.detect(sampleOf(file))).toBeGreaterThanOrEqual(0.9);
    const m = mapBill(copilotUsage, file);
    const row = (n: number) => m.rows[m.sourceRows.indexOf(n)]!;
    expect([row(1).BillingAccountId, row(1).BillingAccountName, row(1).SubAccountId]).toEqual(['octo-enterprise', 'octo-enterprise', 'org-alpha']);
    expect([row(2).BillingAccountId, row(2).BillingAccountName]).toEqual(['github-enterprise', 'github-enterprise']);
    expect(m.rows.filter((r) => r.BillingAccountId === 'octo-enterprise')).toHaveLength(14);
    const notes = m.gaps.filter((g) => g.column === 'BillingAccountId').map((g) => g.note);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^1 row \(first: row 2\) had no enterprise: BillingAccountId and BillingAccountName are the placeholder "github-enterprise" there/);
    expect(statusOf(conformanceOf(m), ...ACCOUNT_RULES)).toEqual(allPass);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('legacy premium request analytics CSV', () => {
  const records = readCsvRecords(LEGACY);
  const m = mapBill(copilotPremiumAnalytics, LEGACY);
  const exceeds = (r: Record<string, string>) => r['Exceeds Monthly Quota']!.toLowerCase() === 'true';

  it('BilledCost = Requests Used × 0.04 over the rows exceeding the quota; ListCost over all rows', () => {
    const billed = decimalSum(records, 'Requests Used', exceeds).times('0.04');
    const list = decimalSum(records, 'Requests Used').times('0.04');
    expect(billed.eq('2.5')).toBe(true); // 10 + 1 + 1.25 + 50 + 0.25 requests over quota
    expect(sum(m, 'BilledCost').eq(billed)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(billed)).toBe(true);
    expect(sum(m, 'ListCost').eq(list)).toBe(true);
    expect(sum(m, 'ContractedCost').eq(list)).toBe(true);
    expect(m.vendorTotals).toEqual([]);
    expect(m.gaps.find((g) => g.column === 'BilledCost')?.note).toMatch(/0\.04/);
    expectWellFormed(m);
    expect(failingRowRules(m)).toEqual([]);
  });

  it('one Usage row per interaction, in requests', () => {
    expect(countBy(m, 'ChargeCategory')).toEqual({ Usage: 12 });
    m.rows.forEach((r, i) => {
      expect(r.ConsumedQuantity).toBe(records[i]!['Requests Used']);
      expect(r.ConsumedUnit).toBe('Requests');
      expect(r.x_ExceedsQuota).toBe(records[i]!['Exceeds Monthly Quota']!.toLowerCase());
      expect(r.x_TotalMonthlyQuota).toBe(records[i]!['Total Monthly Quota']);
      expect(JSON.parse(r.Tags!)).toEqual({ user: records[i]!.User });
    });
    expect(m.rows[0]!.x_TotalMonthlyQuota).toBe('Unlimited');
  });

  it('reads 7-digit fractional timestamps as UTC and puts the interaction in its day and month', () => {
    const last = m.rows[8]!; // 2025-06-30T23:59:59.9999999Z
    expect(last.x_InteractionTime).toBe('2025-06-30T23:59:59Z');
    expect([last.ChargePeriodStart, last.ChargePeriodEnd]).toEqual(['2025-06-30T00:00:00Z', '2025-07-01T00:00:00Z']);
    expect([last.BillingPeriodStart, last.BillingPeriodEnd]).toEqual(['2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z']);
    const next = m.rows[9]!; // 2025-07-01T00:00:00.0000000Z
    expect([next.ChargePeriodStart, next.BillingPeriodStart]).toEqual(['2025-07-01T00:00:00Z', '2025-07-01T00:00:00Z']);
    expect(m.rows[0]!.x_InteractionTime).toBe('2025-06-11T05:13:27Z');
  });

  it('models: ids, publishers and the Auto label', () => {
    expect(JSON.parse(m.rows[0]!.SkuPriceDetails!)).toMatchObject({ ModelId: 'gpt-4.1-2025-04-14', ModelDeveloper: 'OpenAI' });
    expect(m.rows[4]!.PublisherName).toBe('OpenAI'); // o3-mini
    expect(m.rows[7]!.PublisherName).toBe('Anthropic');
    expect(JSON.parse(m.rows[10]!.SkuPriceDetails!)).toMatchObject({ ModelId: 'claude-sonnet-4', x_AutoSelected: true });
    expect(m.rows[10]!.SkuMeter).toBe('Auto: claude-sonnet-4');
    expect(m.rows[6]!.SkuPriceId).toBe('copilot_premium_request/code-review-model');
  });

  it('errors: non-numeric Requests Used, unreadable boolean, missing column', () => {
    const bad = variant(LEGACY, 'legacy-bad.csv', (l) => editRow(l, 4, (f) => f.map((v, i) => (i === 3 ? 'one' : v))));
    const e = catchError(() => mapBill(copilotPremiumAnalytics, bad)) as MappingRowError;
    expect(e).toBeInstanceOf(MappingRowError);
    expect([e.row, e.column]).toEqual([4, 'Requests Used']);
    const bool = variant(LEGACY, 'legacy-bool.csv', (l) => editRow(l, 2, (f) => f.map((v, i) => (i === 4 ? 'maybe' : v))));
    const e2 = catchError(() => mapBill(copilotPremiumAnalytics, bool)) as MappingRowError;
    expect([e2.row, e2.column]).toEqual([2, 'Exceeds Monthly Quota']);
    const s = sampleOf(LEGACY);
    expect(() => copilotPremiumAnalytics.createMapper({ ...s, header: s.header.filter((h) => h !== 'Requests Used') })).toThrow(
      MappingSetupError,
    );
  });
});

// The conformance engine on the FOCUS specification's example tables (test/fixtures/focus/spec-*/, CC BY 4.0).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ConformanceReportSchema } from '../../src-shared/api/contract';
import { FIXTURES, check, column, readFixture, rowsWhere, rule } from './conformance-helpers';

// Cost and Usage examples only: the Contract Commitment and Invoice Detail examples have their own rules
const files = ['spec-v1.2', 'spec-v1.4', 'spec-v1.5-draft-ai'].flatMap((dir) =>
  fs
    .readdirSync(path.join(FIXTURES, dir))
    .filter((f) => f.endsWith('.csv') && !/^(contract_commitment|invoice_detail)_/.test(f))
    .map((f) => `${dir}/${f}`),
);

describe('spec example files', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBe(9);
  });

  it.each(files)('%s: a full, valid report', (file) => {
    const csv = readFixture(file);
    const report = check(csv, undefined, file);
    expect(() => ConformanceReportSchema.parse(report)).not.toThrow();
    expect(report.rules).toHaveLength(621);
    expect(report.rows).toBe(csv.rows.length);
  });

  it('simple_saas_agreements_c: formatted money (`$10,100.00 `) is neither a FOCUS decimal nor a number', () => {
    const csv = readFixture('spec-v1.2/simple_saas_agreements_c.csv');
    const billed = column(csv, 'BilledCost');
    expect(billed.every((v) => v.startsWith('$'))).toBe(true);
    const report = check(csv);
    for (const id of ['BilledCost-C-001-M', 'BilledCost-C-002-M', 'BilledCost-C-004-M']) {
      expect(rule(report, id)).toMatchObject({ status: 'fail', failingRows: csv.rows.length });
    }
    // M/D/YY dates are not date/times at all.
    expect(column(csv, 'ChargePeriodStart')[0]).toMatch(/^\d+\/\d+\/\d+$/);
    expect(rule(report, 'ChargePeriodStart-C-001-M')).toMatchObject({ status: 'fail', failingRows: csv.rows.length });
  });

  it('virtual_currency_pricing_model_a2: a virtual PricingCurrency (`Token`) passes CurrencyFormat; BillingCurrency is national', () => {
    const csv = readFixture('spec-v1.2/virtual_currency_pricing_model_a2.csv');
    expect(csv.header[0]).toBe('BilledCost'); // BOM removed
    expect(new Set(column(csv, 'PricingCurrency'))).toEqual(new Set(['Token']));
    const report = check(csv);
    expect(rule(report, 'PricingCurrency-C-003-M').status).toBe('pass');
    expect(rule(report, 'BillingCurrency-C-006-M').status).toBe('pass');
    // Without virtual currencies, `Token` is not a currency code.
    const strict = check(csv, { applicability: { VIRTUAL_CURRENCY_SUPPORTED: false } });
    expect(rule(strict, 'PricingCurrency-C-003-M')).toMatchObject({ status: 'fail', failingRows: csv.rows.length });
  });

  it('commitment_discount_usage_scenario_3: `null` text reads as null, and NullHandling reports it', () => {
    const csv = readFixture('spec-v1.2/commitment_discount_usage_scenario_3.csv');
    const withNullText = csv.rows.map((r, i) => (r.some((v) => v.toLowerCase() === 'null') ? i + 1 : 0)).filter((n) => n > 0);
    expect(withNullText.length).toBeGreaterThan(0);
    const report = check(csv);
    expect(rule(report, 'NullHandling-A-002-M')).toMatchObject({ status: 'fail', failingRows: withNullText.length });
    expect(rule(report, 'BilledCost-C-002-M').status).toBe('pass');
    expect(rule(report, 'CommitmentDiscountStatus-C-005-M').status).toBe('pass');
  });

  it('one_hundred_percent_utilization…: `SkuPriceid` matches SkuPriceId but is reported as misspelled', () => {
    const csv = readFixture('spec-v1.2/one_hundred_percent_utilization_with_commitment_discount_flexibility_with_2_resources.csv');
    expect(csv.header).toContain('SkuPriceid');
    const report = check(csv);
    expect(rule(report, 'CostAndUsage-D-058-C').status).toBe('pass');
    expect(rule(report, 'ColumnHandling-A-001-M').reason).toContain('SkuPriceid (SkuPriceId)');
    // x_ custom column: prefixed correctly, but placed before FOCUS columns.
    expect(rule(report, 'ColumnHandling-A-010-M').status).toBe('pass');
    expect(rule(report, 'ColumnHandling-A-013-O').status).toBe('fail');
  });

  it('saas_spend_agreements_a2: `Database` is not an allowed ServiceCategory', () => {
    const csv = readFixture('spec-v1.2/saas_spend_agreements_a2.csv');
    const bad = rowsWhere(column(csv, 'ServiceCategory'), (v) => v === 'Database');
    const report = check(csv);
    expect(rule(report, 'ServiceCategory-C-003-M')).toMatchObject({ status: 'fail', failingRows: bad.length, samples: bad.slice(0, 3) });
  });

  it('1.4 and draft files: 1.2 columns replaced later (ProviderName → ServiceProviderName) are reported absent', () => {
    const csv = readFixture('spec-v1.5-draft-ai/ai_prompt_caching_a.csv');
    expect(csv.header).toContain('ServiceProviderName');
    const report = check(csv);
    expect(rule(report, 'CostAndUsage-D-038-M')).toMatchObject({ status: 'fail', reason: 'column absent' });
    expect(rule(report, 'SkuPriceDetails-C-001-M').status).toBe('pass'); // JSON key-value
    expect(rule(report, 'PricingUnit-C-003-O').status).toBe('pass'); // `1000000 Tokens`
  });
});

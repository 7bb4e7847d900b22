// The conformance engine on the FOCUS project's real, anonymised 1,000-row FOCUS 1.0 sample
// (test/fixtures/focus/focus-1.0_sample_1000.csv, see README.md there).
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceReportSchema, type ConformanceReport } from '../../src-shared/api/contract';
import { check, column, readFixture, rowsWhere, rule, type Csv } from './conformance-helpers';

const MODEL = JSON.parse(
  fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/focus/model-1.2.json'), 'utf8'),
) as { ModelRules: Record<string, unknown> };

let csv: Csv;
let report: ConformanceReport;

beforeAll(() => {
  csv = readFixture('focus-1.0_sample_1000.csv');
  report = check(csv, undefined, 'focus-1.0_sample_1000.csv');
});

describe('conformance on the 1,000-row FOCUS 1.0 sample', () => {
  it('reads the fixture as 1,000 rows of 44 columns', () => {
    expect(csv.header).toHaveLength(44);
    expect(csv.rows).toHaveLength(1000);
    expect(csv.rows.every((r) => r.length === 44)).toBe(true);
  });

  it('returns a report that matches the API contract, one result per model rule', () => {
    expect(() => ConformanceReportSchema.parse(report)).not.toThrow();
    expect(report).toMatchObject({ file: 'focus-1.0_sample_1000.csv', dataset: 'CostAndUsage', modelVersion: '1.2', rows: 1000 });
    const ids = report.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(MODEL.ModelRules).sort());
    const counted = { pass: 0, fail: 0, skip: 0 };
    for (const r of report.rules) counted[r.status]++;
    expect(report.summary).toEqual(counted);
  });

  it('fails the DateTimeFormat rules on every row: `2024-09-01 00:00:00` has a space, not T, and no Z', () => {
    const start = column(csv, 'ChargePeriodStart');
    expect(start.filter((v) => / \d\d:\d\d:\d\d$/.test(v))).toHaveLength(1000);
    for (const id of ['ChargePeriodStart-C-002-M', 'ChargePeriodEnd-C-002-M', 'BillingPeriodStart-C-002-M', 'BillingPeriodEnd-C-002-M']) {
      expect(rule(report, id)).toMatchObject({ status: 'fail', failingRows: 1000, samples: [1, 2, 3] });
    }
    // each sample comes with the failing cell as the file has it
    const starts = column(csv, 'ChargePeriodStart');
    expect(rule(report, 'ChargePeriodStart-C-002-M').sampleValues).toEqual([starts[0], starts[1], starts[2]]);
    expect(rule(report, 'ChargePeriodStart-C-002-M').sampleValues![0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // The values are date-times all the same: the (lenient) Date/Time type rule passes.
    expect(rule(report, 'ChargePeriodStart-C-001-M')).toMatchObject({ status: 'pass', failingRows: 0 });
    // …and the composite column rule fails with them.
    expect(rule(report, 'ChargePeriodStart-C-000-M')).toMatchObject({ status: 'fail', failingRows: 1000 });
  });

  it('fails the ChargeFrequency allowed-values rule on the Oracle rows spelled `Usage-based`', () => {
    const freq = column(csv, 'ChargeFrequency');
    const provider = column(csv, 'ProviderName');
    const bad = rowsWhere(freq, (v) => !['One-Time', 'Recurring', 'Usage-Based'].includes(v));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((n) => freq[n - 1] === 'Usage-based' && provider[n - 1] === 'Oracle')).toBe(true);
    expect(rule(report, 'ChargeFrequency-C-003-M')).toMatchObject({
      status: 'fail',
      keyword: 'MUST',
      reference: 'ChargeFrequency',
      failingRows: bad.length,
      samples: bad.slice(0, 3),
    });
  });

  it('flags the literal text NULL through the NullHandling rule, but reads it as null for value checks', () => {
    const custom = csv.header.indexOf('Id');
    const placeholder = /^(null|n\/a|nan|not applicable)$/i;
    const withPlaceholder = csv.rows
      .map((r, i) => (r.some((v, j) => j !== custom && placeholder.test(v)) ? i + 1 : 0))
      .filter((n) => n > 0);
    expect(withPlaceholder.length).toBeGreaterThan(0);
    expect(rule(report, 'NullHandling-A-002-M')).toMatchObject({
      status: 'fail',
      keyword: 'MUST NOT',
      failingRows: withPlaceholder.length,
      samples: withPlaceholder.slice(0, 3),
    });
    expect(rule(report, 'NullHandling-A-000-M').status).toBe('fail');
    // ChargeClass is `NULL` on every row: a null ChargeClass passes "MUST be Correction when not null".
    expect(column(csv, 'ChargeClass').every((v) => v === 'NULL')).toBe(true);
    expect(rule(report, 'ChargeClass-C-005-C')).toMatchObject({ status: 'pass', failingRows: 0 });
  });

  it('passes the BilledCost decimal rules', () => {
    for (const id of ['BilledCost-C-001-M', 'BilledCost-C-002-M', 'BilledCost-C-003-M', 'BilledCost-C-004-M']) {
      expect(rule(report, id)).toMatchObject({ status: 'pass', failingRows: 0, samples: [] });
    }
  });

  it('finds the services filed under more than one ServiceCategory (dataset-wide rule)', () => {
    const names = column(csv, 'ServiceName');
    const cats = column(csv, 'ServiceCategory');
    const byName = new Map<string, Set<string>>();
    names.forEach((n, i) => byName.set(n, (byName.get(n) ?? new Set()).add(cats[i]!)));
    const bad = [...byName].filter(([, s]) => s.size !== 1).map(([n]) => n);
    expect(bad.length).toBeGreaterThan(0);
    const failing = names.filter((n) => bad.includes(n)).length;
    const r = rule(report, 'ServiceName-C-005-C');
    expect(r).toMatchObject({ status: 'fail', failingRows: failing });
    expect(r.reason).toContain(`${bad.length} ServiceName value`);
    expect(r.samples[0]).toBe(names.findIndex((n) => bad.includes(n)) + 1);
  });

  it('reports the custom column `Id` (no x_ prefix, between FOCUS columns) from the header', () => {
    expect(rule(report, 'ColumnHandling-A-010-M')).toMatchObject({ status: 'fail', failingRows: 0 });
    expect(rule(report, 'ColumnHandling-A-010-M').reason).toContain('Id');
    expect(rule(report, 'ColumnHandling-A-013-O')).toMatchObject({ status: 'fail', keyword: 'SHOULD' });
  });

  it('fails the presence of 1.2 columns the 1.0 file lacks when their criterion applies, and skips the rest', () => {
    // The file carries SkuId and SkuPriceId, so the price-list criteria are inferred to apply and SkuMeter and
    // SkuPriceDetails (introduced in 1.1) are missing.
    expect(rule(report, 'CostAndUsage-D-059-C')).toMatchObject({ status: 'fail', reason: 'column absent', failingRows: 0 });
    expect(rule(report, 'CostAndUsage-D-061-C')).toMatchObject({ status: 'fail', reason: 'column absent' });
    // No capacity reservation column at all: the criterion is inferred not to apply.
    const cr = rule(report, 'CostAndUsage-D-020-C');
    expect(cr.status).toBe('skip');
    expect(cr.reason).toMatch(/^not applicable: CAPACITY_RESERVATION_SUPPORTED/);
    // ServiceSubcategory is Recommended and absent: its rules are skipped, not failed.
    expect(rule(report, 'CostAndUsage-D-042-O').status).toBe('skip');
    expect(rule(report, 'ServiceSubcategory-C-000-O')).toMatchObject({ status: 'skip', reason: 'column absent: ServiceSubcategory' });
  });

  it('keeps statuses within pass/fail/skip, shows the keyword, and skips what the model cannot check', () => {
    expect(new Set(report.rules.map((r) => r.status))).toEqual(new Set(['pass', 'fail', 'skip']));
    // A SHOULD violation is a failure that says SHOULD.
    const unit = rule(report, 'PricingUnit-C-003-O');
    expect(unit).toMatchObject({ status: 'fail', keyword: 'SHOULD' });
    // …and does not fail the MUST composite of the column.
    expect(rule(report, 'PricingUnit-C-000-M').status).toBe('pass');
    // MAY rules permit, they cannot fail.
    expect(rule(report, 'ListUnitPrice-C-006-O')).toMatchObject({ status: 'skip', keyword: 'MAY' });
    // Dynamic rules have no machine-checkable requirement in the model.
    expect(rule(report, 'BillingPeriodStart-C-004-M').reason).toMatch(/^dynamic rule/);
    for (const r of report.rules) {
      if (r.status === 'skip') {
        expect(r.reason, r.id).toBeTruthy();
        expect(r.failingRows).toBe(0);
      }
      expect(r.samples.length).toBeLessThanOrEqual(3);
      expect(r.samples.length).toBeLessThanOrEqual(r.failingRows);
    }
  });
});

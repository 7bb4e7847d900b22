// Rule semantics of the conformance engine on small synthetic files.
import { describe, expect, it } from 'vitest';
import { createConformanceChecker, criterionColumns } from '../../src-main/conformance';
import { compilePlan, modelColumns } from '../../src-main/conformance/compile';
import { check, conformingCsv, rule, setCell, withColumn, withoutColumn } from './conformance-helpers';

describe('a conforming file', () => {
  it('fails nothing', () => {
    const report = check(conformingCsv());
    expect(report.rules.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(100);
    expect(rule(report, 'CostAndUsage-D-000-M').status).toBe('pass');
  });
});

describe('decimal rules', () => {
  it('fails TypeDecimal, FormatNumeric and CheckDecimalValue on exactly the row with `abc` in BilledCost', () => {
    const csv = conformingCsv();
    setCell(csv, 3, 'BilledCost', 'abc');
    const report = check(csv);
    for (const id of ['BilledCost-C-001-M', 'BilledCost-C-002-M', 'BilledCost-C-004-M']) {
      expect(rule(report, id)).toMatchObject({ status: 'fail', failingRows: 1, samples: [3] });
    }
    expect(rule(report, 'BilledCost-C-003-M').status).toBe('pass'); // not null
    expect(rule(report, 'BilledCost-C-000-M')).toMatchObject({ status: 'fail', failingRows: 1, samples: [3] });
  });

  it('tells a number in the wrong format (fails FormatNumeric only) from text that is no number', () => {
    const csv = conformingCsv();
    setCell(csv, 1, 'ListCost', '$10,100.00 ');
    setCell(csv, 2, 'ListCost', ' 12.5');
    setCell(csv, 3, 'ListCost', '+3');
    setCell(csv, 4, 'ListCost', '1.5E-3');
    const report = check(csv);
    expect(rule(report, 'ListCost-C-001-M')).toMatchObject({ status: 'fail', failingRows: 1, samples: [1] });
    expect(rule(report, 'ListCost-C-002-M')).toMatchObject({ status: 'fail', failingRows: 3, samples: [1, 2, 3] });
  });

  it('checks the product rule within the written precision of the cells', () => {
    const base = withColumn(conformingCsv(), 'ListUnitPrice', ['0.008', '3', '1', '2']);
    setCell(base, 1, 'PricingQuantity', '0.00200749');
    setCell(base, 1, 'ListCost', '0.00001605990'); // 0.00001605992 rounded to 11 places
    setCell(base, 2, 'PricingQuantity', '2');
    setCell(base, 2, 'ListCost', '7'); // 3 × 2 ≠ 7
    setCell(base, 3, 'ListCost', '0.125'); // 1 × 1 ≠ 0.125
    setCell(base, 4, 'ListCost', '2.0');
    const report = check(base, { applicability: { PUBLIC_PRICE_LIST_SUPPORTED: true } });
    expect(rule(report, 'ListCost-C-009-C')).toMatchObject({ status: 'fail', failingRows: 2, samples: [2, 3] });
    expect(rule(report, 'ListUnitPrice-C-010-C')).toMatchObject({ failingRows: 2 });
  });
});

describe('columns', () => {
  it('fails the presence rule of a removed Mandatory column and skips its value rules', () => {
    const report = check(withoutColumn(conformingCsv(), 'BilledCost'));
    expect(rule(report, 'CostAndUsage-D-006-M')).toMatchObject({ status: 'fail', failingRows: 0, samples: [], reason: 'column absent' });
    expect(rule(report, 'CostAndUsage-D-001-M').status).toBe('fail');
    for (const id of ['BilledCost-C-000-M', 'BilledCost-C-001-M', 'BilledCost-C-003-M']) {
      expect(rule(report, id)).toMatchObject({ status: 'skip', reason: 'column absent: BilledCost' });
    }
  });

  it('matches column names case-insensitively and maps pre-1.0 names, and flags the spelling', () => {
    let csv = conformingCsv();
    csv.header[csv.header.indexOf('BilledCost')] = 'billedcost';
    csv = withoutColumn(csv, 'EffectiveCost');
    csv = withColumn(csv, 'AmortizedCost', ['1', 'x', '1', '1']);
    const report = check(csv);
    expect(rule(report, 'CostAndUsage-D-006-M').status).toBe('pass');
    expect(rule(report, 'CostAndUsage-D-031-M').status).toBe('pass');
    expect(rule(report, 'EffectiveCost-C-001-M')).toMatchObject({ status: 'fail', samples: [2] });
    const pascal = rule(report, 'ColumnHandling-A-001-M');
    expect(pascal.status).toBe('fail');
    expect(pascal.reason).toContain('billedcost (BilledCost)');
    expect(pascal.reason).not.toContain('AmortizedCost');
  });

  it('treats header text as data, never as code', () => {
    const evil = '"); globalThis.__pwned = 1; ("';
    const report = check(withColumn(conformingCsv(), evil, 'x'));
    expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
    expect(rule(report, 'ColumnHandling-A-010-M').reason).toContain(evil);
  });

  it('copes with short rows', () => {
    const csv = conformingCsv();
    csv.rows[1] = csv.rows[1]!.slice(0, 3);
    const report = check(csv);
    expect(rule(report, 'ChargeCategory-C-002-M')).toMatchObject({ status: 'fail', samples: [2] });
  });
});

describe('nulls', () => {
  it('reads empty and `null` text as null for value checks, and flags only the text as a placeholder', () => {
    const csv = conformingCsv();
    setCell(csv, 1, 'BilledCost', '');
    setCell(csv, 2, 'BilledCost', 'NULL');
    setCell(csv, 3, 'BilledCost', 'null');
    setCell(csv, 4, 'ChargeDescription', 'N/A');
    const report = check(csv);
    expect(rule(report, 'BilledCost-C-003-M')).toMatchObject({ status: 'fail', failingRows: 3, samples: [1, 2, 3] });
    // Null is not a type or format error.
    expect(rule(report, 'BilledCost-C-001-M').status).toBe('pass');
    expect(rule(report, 'BilledCost-C-002-M').status).toBe('pass');
    // Placeholders: the two null texts and N/A; the empty cell is a real CSV null.
    expect(rule(report, 'NullHandling-A-002-M')).toMatchObject({ status: 'fail', failingRows: 3, samples: [2, 3, 4] });
    expect(rule(report, 'ChargeDescription-C-003-O').status).toBe('pass'); // N/A is a value, not a null
  });

  it('applies Condition trees: null PricingCategory only on Tax rows, required on Usage rows', () => {
    const csv = conformingCsv();
    setCell(csv, 1, 'ChargeCategory', 'Tax');
    setCell(csv, 2, 'PricingCategory', '');
    const report = check(csv);
    expect(rule(report, 'PricingCategory-C-003-C')).toMatchObject({ status: 'fail', failingRows: 1, samples: [1] });
    expect(rule(report, 'PricingCategory-C-004-C')).toMatchObject({ status: 'fail', failingRows: 1, samples: [2] });
    expect(rule(report, 'PricingCategory-C-002-M')).toMatchObject({ status: 'fail', failingRows: 2, samples: [1, 2] });
  });

  it('selects rows whose ChargeClass is null by `ChargeClass is not "Correction"`', () => {
    const csv = conformingCsv();
    setCell(csv, 1, 'PricingQuantity', '');
    setCell(csv, 1, 'PricingUnit', '');
    setCell(csv, 2, 'PricingQuantity', '');
    setCell(csv, 2, 'PricingUnit', '');
    setCell(csv, 2, 'ChargeClass', 'Correction');
    const report = check(csv);
    expect(rule(report, 'PricingQuantity-C-005-C')).toMatchObject({ status: 'fail', failingRows: 1, samples: [1] });
  });
});

describe('applicability', () => {
  const withCommitments = (): ReturnType<typeof conformingCsv> => {
    let csv = conformingCsv();
    for (const [name, values] of [
      ['CommitmentDiscountId', ['cd-1', '', '', '']],
      ['CommitmentDiscountStatus', ['Used', '', '', '']],
      ['CommitmentDiscountCategory', ['Spend', '', '', '']],
    ] as const) csv = withColumn(csv, name, [...values]);
    return csv;
  };

  it('infers a criterion from the columns it concerns, and the option flips it', () => {
    expect(criterionColumns().get('COMMITMENT_DISCOUNT_SUPPORTED')).toContain('CommitmentDiscountId');
    const inferred = check(withCommitments());
    expect(rule(inferred, 'CommitmentDiscountStatus-C-005-M').status).toBe('pass');
    // Columns of the criterion that the file lacks: their presence rules fail.
    expect(rule(inferred, 'CostAndUsage-D-012-C')).toMatchObject({ status: 'fail', reason: 'column absent' });

    const off = check(withCommitments(), { applicability: { COMMITMENT_DISCOUNT_SUPPORTED: false } });
    for (const id of ['CommitmentDiscountStatus-C-005-M', 'CommitmentDiscountId-C-000-C', 'CostAndUsage-D-012-C']) {
      const r = rule(off, id);
      expect(r.status).toBe('skip');
      expect(r.reason).toMatch(/^not applicable: COMMITMENT_DISCOUNT_SUPPORTED \(set by the user\)/);
    }
  });

  it('a criterion set to apply makes the presence of its columns required', () => {
    const inferred = check(conformingCsv());
    expect(rule(inferred, 'CostAndUsage-D-020-C').status).toBe('skip');
    const on = check(conformingCsv(), { applicability: { CAPACITY_RESERVATION_SUPPORTED: true } });
    expect(rule(on, 'CostAndUsage-D-020-C')).toMatchObject({ status: 'fail', reason: 'column absent' });
    // Its value rules have no column to look at.
    expect(rule(on, 'CapacityReservationStatus-C-000-C')).toMatchObject({ status: 'skip', reason: 'column absent: CapacityReservationStatus' });
  });

  it('corrects the model errata on CommitmentDiscountStatus (allowed values Used/Unused, null when no commitment)', () => {
    const csv = withCommitments();
    setCell(csv, 2, 'CommitmentDiscountStatus', 'Used'); // no CommitmentDiscountId on row 2
    const report = check(csv);
    expect(rule(report, 'CommitmentDiscountStatus-C-003-C')).toMatchObject({ status: 'fail', samples: [2] });
    expect(rule(report, 'CommitmentDiscountStatus-C-004-C').status).toBe('pass');
    expect(rule(report, 'CommitmentDiscountStatus-C-005-M').status).toBe('pass');
  });
});

describe('dataset-wide and composite rules', () => {
  it('counts every row of a SkuPriceId that has two SkuIds', () => {
    const csv = withColumn(withColumn(conformingCsv(), 'SkuPriceId', ['p1', 'p1', 'p2', 'p1']), 'SkuId', ['s1', 's1', 's2', 's9']);
    const report = check(csv);
    expect(rule(report, 'SkuPriceId-C-008-M')).toMatchObject({ status: 'fail', failingRows: 3, samples: [1, 4] });
    expect(rule(report, 'SkuPriceId-C-008-M').reason).toBe('1 SkuPriceId value without exactly 1 SkuId');
    expect(rule(report, 'SkuPriceId-C-007-C')).toMatchObject({ status: 'fail', failingRows: 0, reason: 'failed: SkuPriceId-C-008-M' });
  });

  it('does not let a SHOULD failure fail a MUST composite, and keeps the keyword', () => {
    const csv = conformingCsv();
    setCell(csv, 2, 'PricingUnit', 'gb hours');
    const report = check(csv);
    expect(rule(report, 'PricingUnit-C-003-O')).toMatchObject({ status: 'fail', keyword: 'SHOULD', failingRows: 1, samples: [2] });
    expect(rule(report, 'PricingUnit-C-000-M').status).toBe('pass');
  });

  it('limits samples to the option and counts all failing rows', () => {
    const csv = conformingCsv();
    for (let r = 1; r <= 4; r++) setCell(csv, r, 'ChargePeriodStart', '2024-09-01 00:00:00');
    const report = check(csv, { samples: 1 });
    expect(rule(report, 'ChargePeriodStart-C-002-M')).toMatchObject({ failingRows: 4, samples: [1] });
  });
});

describe('the checker object', () => {
  it('counts rows and finishes once', () => {
    const csv = conformingCsv();
    const checker = createConformanceChecker(csv.header);
    csv.rows.forEach((r, i) => checker.row(r, i + 1));
    const a = checker.finish({ file: 'a.csv', focusVersion: '1.2' });
    checker.row(csv.rows[0]!, 5);
    const b = checker.finish({ file: 'a.csv', focusVersion: '1.2' });
    expect(a.rows).toBe(4);
    expect(b).toBe(a);
  });

  it('evaluates every rule of the model for a header with every column (no rule silently missing)', () => {
    const header = modelColumns();
    expect(header.length).toBeGreaterThanOrEqual(57);
    const plan = compilePlan(header, {
      applicability: Object.fromEntries([...criterionColumns().keys()].map((k) => [k, true])),
    });
    const checker = createConformanceChecker(header, {
      applicability: Object.fromEntries([...criterionColumns().keys()].map((k) => [k, true])),
    });
    checker.row(header.map(() => ''), 1);
    const report = checker.finish({ file: 'all.csv', focusVersion: '1.2' });
    expect(report.rules).toHaveLength(plan.rules.length);
    expect(report.rules).toHaveLength(621);
    // With every column present and every criterion on, nothing is skipped for an absent column or criterion.
    const skipped = report.rules.filter((r) => r.status === 'skip');
    expect(skipped.filter((r) => /^(column absent|not applicable)/.test(r.reason ?? ''))).toEqual([]);
    for (const r of skipped) expect(r.reason, r.id).toMatch(/^(dynamic rule|MAY|no requirement could be checked|condition never holds)/);
  });
});

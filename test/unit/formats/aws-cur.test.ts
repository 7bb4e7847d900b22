// AWS CUR importers (legacy CSV, CUR 2.0, legacy Parquet snake_case). Expected totals come from the fixture files
// through the independent CSV reader and big.js, following vendor-formats.md §1.3 on the raw cells, never through
// the mapper.
import Big from 'big.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { awsCur2, awsCurLegacy, curSnakeName, plainNumberText } from '../../../src-main/ingest/formats/aws-cur';
import { MappingRowError, MappingSetupError, type BillFormat, type TableSample } from '../../../src-main/ingest/formats/types';
import { decText, parseDec } from '../../../src-main/ingest/formats/values';
import { decimalSum, readCsvRecords } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIX = path.resolve(HERE, '../../fixtures/vendors/aws');
const LEGACY = path.join(FIX, 'sample-anonymous-aws-export-dataset.csv.gz');
const CUR2_SAMPLE = path.join(FIX, 'cur2-from-legacy-sample.csv.gz');
const CUR2_HAND = path.join(FIX, 'cur2-handmade.csv');
const FOCUS = path.resolve(HERE, '../../fixtures/focus/focus-1.0_sample_1000.csv');

const FORMATS = [awsCurLegacy, awsCur2];
const PLAIN = /^-?\d+(\.\d+)?$/;
const FOCUS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MONEY = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'];

function sampleOf(file: string): TableSample {
  const t = readTable(file);
  return { header: t.header, rows: t.rows, container: t.container };
}

function focusSum(bill: MappedBill, column: string, where?: (r: Record<string, string>) => boolean): Big {
  return bill.rows.reduce((s, r) => (where && !where(r) ? s : r[column] === '' ? s : s.plus(new Big(r[column]!))), new Big(0));
}

function countBy(rows: Record<string, string>[], column: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r[column]!] = (out[r[column]!] ?? 0) + 1;
  return out;
}

/** Runs a mapper over an in-memory table (for edited copies of fixtures). */
function mapTable(format: BillFormat, header: readonly string[], rows: string[][]): Record<string, string>[] {
  const mapper = format.createMapper({ header, rows: rows.slice(0, 200), container: 'csv' });
  const out: Record<string, string>[] = [];
  rows.forEach((cells, i) =>
    mapper.map(cells, i + 1, (o) => out.push(Object.fromEntries(mapper.columns.map((c, k) => [c, o[k]!])))),
  );
  return out;
}

/** Checks every emitted row for the contract: required cells, plain numbers, FOCUS dates, valid enums. */
function expectWellFormed(bill: MappedBill): void {
  for (const r of bill.rows) {
    for (const c of ['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
      expect(r[c], c).not.toBe('');
    }
    for (const c of [...MONEY, 'ListUnitPrice', 'ContractedUnitPrice', 'PricingQuantity', 'ConsumedQuantity', 'CommitmentDiscountQuantity']) {
      if (r[c] !== undefined && r[c] !== '') expect(r[c], `${c} = ${r[c]}`).toMatch(PLAIN);
    }
    for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) expect(r[c]).toMatch(FOCUS_DATE);
    expect(r.ChargePeriodStart! < r.ChargePeriodEnd!).toBe(true);
    expect(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']).toContain(r.ChargeCategory);
    expect(['', 'Correction']).toContain(r.ChargeClass);
    expect(['One-Time', 'Recurring', 'Usage-Based']).toContain(r.ChargeFrequency);
    expect(['', 'Standard', 'Committed', 'Dynamic', 'Other']).toContain(r.PricingCategory);
    if (r.CommitmentDiscountStatus !== undefined) expect(['', 'Used', 'Unused']).toContain(r.CommitmentDiscountStatus);
    for (const c of ['Tags', 'SkuPriceDetails', 'x_CostCategories', 'x_Discounts']) {
      if (r[c]) expect(typeof JSON.parse(r[c]!)).toBe('object');
    }
  }
}

describe('curSnakeName', () => {
  it('derives the Parquet / CUR 2.0 names AWS uses', () => {
    expect(curSnakeName('lineItem/UnblendedCost')).toBe('line_item_unblended_cost');
    expect(curSnakeName('savingsPlan/SavingsPlanARN')).toBe('savings_plan_savings_plan_a_r_n');
    expect(curSnakeName('pricing/publicOnDemandCost')).toBe('pricing_public_on_demand_cost');
    expect(curSnakeName('product/servicecode')).toBe('product_servicecode');
  });
});

describe('plainNumberText', () => {
  it('rewrites exponent notation exactly as decText would, passes plain text through', () => {
    for (const t of ['5.2E-9', '1.0E-6', '-3.5e2', '1E+3', '0.0E0', '-0E-3', '12.3400e1', '1e-7', '123456789e-20', '-0.00012E4', '+5', ' 7 ', '.5', '5.', '2.323760000E-9']) {
      expect(plainNumberText(t), t).toBe(decText(parseDec(t)!));
    }
    for (const t of ['0.0', '-12.50', '007', '']) expect(plainNumberText(t)).toBe(t);
    for (const t of ['abc', '1,5', '1e', 'E5', '--1', '1.2.3']) expect(plainNumberText(t), t).toBeNull();
  });
});

describe('detection', () => {
  it.each([
    { name: path.basename(LEGACY), file: LEGACY, own: awsCurLegacy },
    { name: path.basename(CUR2_SAMPLE), file: CUR2_SAMPLE, own: awsCur2 },
    { name: path.basename(CUR2_HAND), file: CUR2_HAND, own: awsCur2 },
  ])('$name is detected by its own format only', ({ file, own }) => {
    const sample = sampleOf(file);
    expect(own.detect(sample)).toBeGreaterThanOrEqual(0.5);
    for (const f of FORMATS) if (f !== own) expect(f.detect(sample)).toBeLessThan(0.5);
  });

  it('a FOCUS file is neither', () => {
    const sample = sampleOf(FOCUS);
    for (const f of FORMATS) expect(f.detect(sample)).toBeLessThan(0.5);
  });

  it('an OCI cost report (lineItem/… but no UnblendedCost) is neither', () => {
    const header = ['lineItem/referenceNo', 'lineItem/tenantId', 'lineItem/intervalUsageStart', 'cost/myCost', 'cost/currencyCode', 'product/service'];
    const sample: TableSample = { header, rows: [['r1', 't1', '2023-11-13T10:00Z', '1.5', 'USD', 'COMPUTE']], container: 'csv' };
    for (const f of FORMATS) expect(f.detect(sample)).toBe(0);
  });

  it('the legacy Parquet/Athena snake_case flavour is CUR 2.0 family', () => {
    const header = ['identity_line_item_id', 'bill_payer_account_id', 'line_item_line_item_type', 'line_item_usage_start_date', 'line_item_unblended_cost', 'resource_tags_user_cost_center'];
    const sample: TableSample = { header, rows: [['id', '123412340534', 'Usage', '2023-11-01T00:00:00Z', '1', 'cc']], container: 'parquet' };
    expect(awsCur2.detect(sample)).toBeGreaterThanOrEqual(0.5);
    expect(awsCurLegacy.detect(sample)).toBe(0);
  });
});

describe('legacy CUR sample (focus_converters, 1,281 rows)', () => {
  const records = readCsvRecords(LEGACY);
  const bill = mapBill(awsCurLegacy, LEGACY);

  it('emits one well-formed FOCUS row per source row', () => {
    expect(bill.rows).toHaveLength(records.length);
    expect(bill.sourceRows).toEqual(records.map((_, i) => i + 1));
    expectWellFormed(bill);
  });

  it('BilledCost and EffectiveCost total lineItem/UnblendedCost exactly (only Usage and Tax lines)', () => {
    const expected = decimalSum(records, 'lineItem/UnblendedCost');
    expect(expected.toFixed()).toBe('1.6823086974');
    expect(focusSum(bill, 'BilledCost').eq(expected)).toBe(true);
    expect(focusSum(bill, 'EffectiveCost').eq(expected)).toBe(true);
    expect(bill.vendorTotals).toEqual([{ focusColumn: 'BilledCost', vendorColumn: 'lineItem/UnblendedCost', vendorTotal: '1.6823086974' }]);
  });

  it('ListCost is the public on-demand cost, BilledCost for Tax lines', () => {
    // the file writes publicOnDemandCost 0.0 on its Tax lines (one of which bills 0.07): those take BilledCost
    const expected = decimalSum(records, 'pricing/publicOnDemandCost', (r) => r['lineItem/LineItemType'] === 'Usage').plus(
      decimalSum(records, 'lineItem/UnblendedCost', (r) => r['lineItem/LineItemType'] === 'Tax'),
    );
    expect(focusSum(bill, 'ListCost').eq(expected)).toBe(true);
  });

  it('counts rows per ChargeCategory like the file counts line item types', () => {
    const types = countBy(records, 'lineItem/LineItemType');
    expect(types).toEqual({ Usage: 1269, Tax: 12 });
    expect(countBy(bill.rows, 'ChargeCategory')).toEqual({ Usage: types.Usage, Tax: types.Tax });
    expect(countBy(bill.rows, 'ChargeFrequency')).toEqual({ 'Usage-Based': 1269, Recurring: 12 });
  });

  it('converts dates to FOCUS UTC text with exclusive ends', () => {
    const tax = bill.rows[0]!;
    expect(records[0]!['lineItem/UsageStartDate']).toBe('2023-11-01T00:00:00.000Z');
    expect(tax.ChargePeriodStart).toBe('2023-11-01T00:00:00Z');
    expect(tax.ChargePeriodEnd).toBe('2023-12-01T00:00:00Z');
    expect(tax.BillingPeriodStart).toBe('2023-11-01T00:00:00Z');
    expect(tax.BillingPeriodEnd).toBe('2023-12-01T00:00:00Z');
    const i = records.findIndex((r) => r['lineItem/UsageStartDate'] === '2023-11-03T05:00:00.000Z');
    expect(bill.rows[i]!.ChargePeriodStart).toBe('2023-11-03T05:00:00Z');
    expect(bill.rows[i]!.ChargePeriodEnd).toBe(`${records[i]!['lineItem/UsageEndDate']!.slice(0, 19)}Z`);
  });

  it('maps parties, services and regions', () => {
    const s3 = bill.rows[records.findIndex((r) => r['lineItem/ProductCode'] === 'AmazonS3' && r['product/regionCode'] !== '')]!;
    expect(s3).toMatchObject({
      BillingAccountId: '123412340534',
      SubAccountId: '123412340534',
      ServiceProviderName: 'AWS',
      InvoiceIssuerName: 'Amazon Web Services Canada, Inc.',
      ServiceName: 'Amazon Simple Storage Service',
      ServiceCategory: 'Storage',
      ServiceSubcategory: 'Object Storage',
      PricingCategory: 'Standard',
      x_ServiceCode: 'AmazonS3',
    });
    expect(s3.RegionId).not.toBe('');
    expect(s3.RegionName).not.toBe('');
    // data transfer rows have product/region but no location: the region's name comes from the table
    const dt = records.findIndex((r) => r['product/regionCode'] === '' && r['product/region'] === 'us-west-2' && r['product/location'] === '');
    expect(bill.rows[dt]).toMatchObject({ RegionId: 'us-west-2', RegionName: 'US West (Oregon)' });
    const tax = bill.rows[0]!;
    expect(tax).toMatchObject({ ChargeCategory: 'Tax', PricingCategory: '', PricingQuantity: '', ServiceName: 'AWS CloudTrail' });
  });

  it('writes exponent cells as plain decimals, exactly', () => {
    const i = records.findIndex((r) => r['lineItem/UnblendedCost'] === '5.2E-9');
    expect(bill.rows[i]!.BilledCost).toBe('0.0000000052');
    expect(bill.rows[i]!.PricingQuantity).toBe(new Big(records[i]!['lineItem/UsageAmount']!).toFixed());
  });

  it('lists its decisions as gaps', () => {
    const columns = bill.gaps.map((g) => g.column);
    expect(columns).toEqual(expect.arrayContaining(['BilledCost', 'EffectiveCost', 'ChargeCategory', 'ListCost']));
  });
});

describe('CUR 2.0 converted from the legacy sample', () => {
  const records = readCsvRecords(CUR2_SAMPLE);
  const bill = mapBill(awsCur2, CUR2_SAMPLE);
  const legacy = mapBill(awsCurLegacy, LEGACY);

  it('totals line_item_unblended_cost exactly', () => {
    const expected = decimalSum(records, 'line_item_unblended_cost');
    expect(focusSum(bill, 'BilledCost').eq(expected)).toBe(true);
    expect(focusSum(bill, 'EffectiveCost').eq(expected)).toBe(true);
    expect(bill.vendorTotals[0]).toEqual({ focusColumn: 'BilledCost', vendorColumn: 'line_item_unblended_cost', vendorTotal: expected.toFixed() });
    expectWellFormed(bill);
  });

  it('maps every row exactly like the legacy file it came from (product name and region from the product map)', () => {
    expect(bill.rows).toHaveLength(legacy.rows.length);
    const shared = legacy.rows[0] ? Object.keys(legacy.rows[0]).filter((c) => c in bill.rows[0]!) : [];
    expect(shared).toEqual(expect.arrayContaining(['BilledCost', 'EffectiveCost', 'ServiceName', 'RegionId', 'RegionName', 'ChargeCategory']));
    bill.rows.forEach((r, i) => {
      for (const c of shared) expect(r[c], `row ${i + 1} ${c}`).toBe(legacy.rows[i]![c]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The hand-made CUR 2.0 file: expected totals computed here from the raw cells, following §1.3 independently.

type Rec = Record<string, string>;
const nz = (...cells: (string | undefined)[]): Big => {
  for (const c of cells) if (c !== undefined && c !== '') return new Big(c);
  return new Big(0);
};
/** Invoice basis: net unblended when the cell is there, else unblended. */
const invoiceOf = (r: Rec): Big => nz(r.line_item_net_unblended_cost, r.line_item_unblended_cost);
/** Amortized basis per line item type (§1.3), net variants first. */
function amortizedOf(r: Rec): Big {
  switch (r.line_item_line_item_type) {
    case 'DiscountedUsage':
      return nz(r.reservation_net_effective_cost, r.reservation_effective_cost);
    case 'SavingsPlanCoveredUsage':
      return nz(r.savings_plan_net_savings_plan_effective_cost, r.savings_plan_savings_plan_effective_cost);
    case 'SavingsPlanNegation':
    case 'SavingsPlanUpfrontFee':
      return new Big(0);
    case 'RIFee':
      return nz(r.reservation_net_unused_amortized_upfront_fee_for_billing_period, r.reservation_unused_amortized_upfront_fee_for_billing_period).plus(
        nz(r.reservation_net_unused_recurring_fee, r.reservation_unused_recurring_fee),
      );
    case 'Fee':
      return r.reservation_reservation_a_r_n ? new Big(0) : invoiceOf(r);
    case 'SavingsPlanRecurringFee':
      return nz(r.savings_plan_total_commitment_to_date).minus(nz(r.savings_plan_used_commitment));
    default:
      return invoiceOf(r);
  }
}

describe('hand-made CUR 2.0 file (commitments, EDP, credits, refunds, tax, Bedrock)', () => {
  const records = readCsvRecords(CUR2_HAND);
  const bill = mapBill(awsCur2, CUR2_HAND);
  const rowOf = (pred: (r: Rec) => boolean): Record<string, string> => {
    const i = records.findIndex(pred);
    expect(i).toBeGreaterThanOrEqual(0);
    return bill.rows[i]!;
  };
  const byType = (type: string) => rowOf((r) => r.line_item_line_item_type === type);

  it('covers the line item types it is meant to', () => {
    expect(countBy(records, 'line_item_line_item_type')).toEqual({
      Usage: 8,
      SavingsPlanCoveredUsage: 1,
      SavingsPlanNegation: 1,
      SavingsPlanRecurringFee: 1,
      SavingsPlanUpfrontFee: 1,
      DiscountedUsage: 1,
      RIFee: 1,
      Fee: 2,
      Credit: 1,
      Refund: 2,
      Tax: 1,
      EdpDiscount: 1,
    });
    expect(bill.rows).toHaveLength(records.length);
    expectWellFormed(bill);
  });

  it('BilledCost totals the invoice: sum of net unblended (unblended where empty) = sum of unblended', () => {
    const invoice = records.reduce((s, r) => s.plus(invoiceOf(r)), new Big(0));
    expect(invoice.toFixed()).toBe('964.175359813');
    // the EDP discount line makes the gross and net views agree on the invoice
    expect(decimalSum(records, 'line_item_unblended_cost').eq(invoice)).toBe(true);
    expect(focusSum(bill, 'BilledCost').eq(invoice)).toBe(true);
    expect(bill.vendorTotals).toEqual([
      {
        focusColumn: 'BilledCost',
        vendorColumn: 'line_item_net_unblended_cost (line_item_unblended_cost where empty)',
        vendorTotal: invoice.toFixed(),
      },
    ]);
  });

  it('EffectiveCost totals the amortized cost computed per line item type', () => {
    const amortized = records.reduce((s, r) => s.plus(amortizedOf(r)), new Big(0));
    expect(amortized.toFixed()).toBe('201.406359813');
    expect(focusSum(bill, 'EffectiveCost').eq(amortized)).toBe(true);
    // and row by row
    records.forEach((r, i) => expect(bill.rows[i]!.EffectiveCost, `row ${i + 1} ${r.line_item_line_item_type}`).toBe(amortizedOf(r).toFixed()));
  });

  it('maps each commitment line as §1.3 says', () => {
    expect(byType('SavingsPlanCoveredUsage')).toMatchObject({
      ChargeCategory: 'Usage',
      BilledCost: '4.3776',
      EffectiveCost: '2.736',
      ListCost: '4.608',
      PricingCategory: 'Committed',
      CommitmentDiscountCategory: 'Spend',
      CommitmentDiscountType: 'Savings Plan',
      CommitmentDiscountStatus: 'Used',
      CommitmentDiscountQuantity: '2.88',
      CommitmentDiscountUnit: 'USD',
    });
    expect(byType('SavingsPlanCoveredUsage').CommitmentDiscountId).toMatch(/^arn:aws:savingsplans::/);
    expect(byType('SavingsPlanNegation')).toMatchObject({ ChargeCategory: 'Usage', BilledCost: '-4.3776', EffectiveCost: '0', ListCost: '0', ContractedCost: '0' });
    expect(byType('SavingsPlanRecurringFee')).toMatchObject({ ChargeCategory: 'Purchase', ChargeFrequency: 'Recurring', EffectiveCost: '87.12', CommitmentDiscountStatus: '' });
    expect(byType('SavingsPlanUpfrontFee')).toMatchObject({ ChargeCategory: 'Purchase', ChargeFrequency: 'One-Time', BilledCost: '475', EffectiveCost: '0' });
    expect(byType('DiscountedUsage')).toMatchObject({
      ChargeCategory: 'Usage',
      BilledCost: '0',
      EffectiveCost: '3.42',
      ListCost: '6.0',
      ContractedCost: '6.0',
      CommitmentDiscountCategory: 'Usage',
      CommitmentDiscountType: 'Reserved Instance',
      CommitmentDiscountStatus: 'Used',
      PricingCategory: 'Committed',
    });
    expect(byType('RIFee')).toMatchObject({ ChargeCategory: 'Purchase', BilledCost: '41.04', EffectiveCost: '30.495', PricingCategory: 'Standard' });
    const fees = bill.rows.filter((r) => r.x_LineItemType === 'Fee');
    expect(fees.map((r) => [r.BilledCost, r.EffectiveCost, r.CommitmentDiscountId !== ''])).toEqual([
      ['285', '0', true],
      ['95', '95', false],
    ]);
  });

  it('counts rows per ChargeCategory; credits, discounts, refunds and tax', () => {
    expect(countBy(bill.rows, 'ChargeCategory')).toEqual({ Usage: 13, Purchase: 5, Credit: 2, Tax: 1 });
    expect(byType('Credit')).toMatchObject({ ChargeCategory: 'Credit', BilledCost: '-25', EffectiveCost: '-25', ListCost: '-25' });
    expect(byType('EdpDiscount')).toMatchObject({ ChargeCategory: 'Credit', BilledCost: '0', EffectiveCost: '0' });
    expect(byType('Tax')).toMatchObject({ ChargeCategory: 'Tax', BilledCost: '7.35', PricingCategory: '', ConsumedQuantity: '' });
    const refunds = bill.rows.filter((r) => r.x_LineItemType === 'Refund');
    expect(refunds.map((r) => [r.ChargeCategory, r.ChargeClass, r.BilledCost, r.ChargeFrequency])).toEqual([
      ['Usage', '', '-1.425', 'One-Time'],
      ['Usage', 'Correction', '-3.04', 'One-Time'],
    ]);
  });

  it('keeps account ids as text with their leading zeros', () => {
    expect(records[0]!.bill_payer_account_id).toBe('012345678901');
    for (const r of bill.rows) {
      expect(r.BillingAccountId).toBe('012345678901');
      expect(r.SubAccountId).toBe('098765432109');
    }
    expect(bill.rows[0]).toMatchObject({ BillingAccountName: 'Example Org', SubAccountName: 'example-prod' });
  });

  it('turns map columns into JSON objects: tags, cost categories, discounts; keeps x_ columns', () => {
    const first = bill.rows[0]!;
    expect(JSON.parse(first.Tags!)).toEqual({ user_team: 'web', user_env: 'prod', aws_created_by: 'AssumedRole:AROAEXAMPLE:ci' });
    expect(JSON.parse(first.x_CostCategories!)).toEqual({ Team: 'Web' });
    expect(JSON.parse(first.x_Discounts!)).toEqual({ edp_discount: '-0.048', total_discount: '-0.048' });
    expect(first).toMatchObject({
      x_UsageType: 'USE1-BoxUsage:m5.large',
      x_Operation: 'RunInstances',
      x_ServiceCode: 'AmazonEC2',
      x_LineItemType: 'Usage',
      x_IamPrincipal: 'arn:aws:iam::098765432109:role/ci-deployer',
      ResourceId: 'arn:aws:ec2:us-east-1:098765432109:instance/i-0abc123def4567890',
      ResourceName: 'i-0abc123def4567890',
      ResourceType: 'instance',
      ServiceName: 'Amazon Elastic Compute Cloud',
      ServiceCategory: 'Compute',
      RegionId: 'us-east-1',
      RegionName: 'US East (N. Virginia)',
      ChargePeriodStart: '2024-09-05T10:00:00Z',
      ChargePeriodEnd: '2024-09-05T20:00:00Z',
    });
    expect(byType('Tax').Tags).toBe('');
  });

  it('keeps Bedrock token classes, in tokens and per-1M-token prices', () => {
    const tokenRows = bill.rows.filter((r) => r.x_ServiceCode === 'AmazonBedrock');
    expect(tokenRows.map((r) => [r.SkuMeter, r.ConsumedQuantity, r.ConsumedUnit, r.PricingQuantity, r.PricingUnit, r.ListUnitPrice])).toEqual([
      ['Input Tokens', '1234567', 'Tokens', '1.234567', '1000000 Tokens', '0.06'],
      ['Output Tokens', '250500', 'Tokens', '0.2505', '1000000 Tokens', '0.24'],
      ['Cache Read Input Tokens', '500000', 'Tokens', '0.5', '1000000 Tokens', '0.015'],
    ]);
    for (const r of tokenRows) {
      expect(r).toMatchObject({ ServiceCategory: 'AI and Machine Learning', ServiceSubcategory: 'Generative AI', ChargePeriodStart: '2024-09-05T00:00:00Z' });
      // the per-1M price × quantity gives the list cost exactly
      expect(new Big(r.ListUnitPrice!).times(r.PricingQuantity!).eq(r.ListCost!)).toBe(true);
      expect(new Big(r.ContractedUnitPrice!).times(r.PricingQuantity!).eq(r.ContractedCost!)).toBe(true);
    }
    expect(tokenRows.map((r) => JSON.parse(r.SkuPriceDetails!) as unknown)).toEqual([
      { ModelId: 'amazon.nova-lite-v1:0', TokenDirection: 'Input', TokenCacheAction: 'Uncached' },
      { ModelId: 'amazon.nova-lite-v1:0', TokenDirection: 'Output', TokenCacheAction: 'Uncached' },
      { ModelId: 'amazon.nova-lite-v1:0', TokenDirection: 'Input', TokenCacheAction: 'Read' },
    ]);
    // Marketplace (third-party model): seller as provider, unit left as the file gives it
    const mp = rowOf((r) => r.bill_billing_entity === 'AWS Marketplace');
    expect(mp).toMatchObject({
      ServiceProviderName: 'Anthropic, PBC',
      HostProviderName: 'AWS',
      ServiceName: 'Claude 3.5 Sonnet (Amazon Bedrock Edition)',
      ServiceCategory: 'AI and Machine Learning',
      SkuMeter: 'Input Tokens',
      ConsumedQuantity: '0.15',
      ConsumedUnit: 'Units',
    });
    expect(bill.gaps.some((g) => g.column === 'ConsumedUnit' && g.note.includes('1 Bedrock token row'))).toBe(true);
  });

  it('writes exponent notation as plain decimals', () => {
    const lambda = rowOf((r) => r.line_item_product_code === 'AWSLambda');
    expect(lambda).toMatchObject({ BilledCost: '0.000000494', EffectiveCost: '0.000000494', ListCost: '0.00000052', ContractedUnitPrice: '0.00000019' });
  });
});

describe('other dialects', () => {
  it('legacy CSV: resourceTags/* columns become Tags with user:/aws: keys, costCategory/* become x_CostCategories, net cost wins', () => {
    const header = [
      'identity/LineItemId',
      'bill/PayerAccountId',
      'bill/BillingPeriodStartDate',
      'bill/BillingPeriodEndDate',
      'lineItem/UsageAccountId',
      'lineItem/LineItemType',
      'lineItem/UsageStartDate',
      'lineItem/UsageEndDate',
      'lineItem/ProductCode',
      'lineItem/CurrencyCode',
      'lineItem/UnblendedCost',
      'lineItem/NetUnblendedCost',
      'resourceTags/user:Cost Center',
      'resourceTags/aws:createdBy',
      'costCategory/Charge type',
    ];
    const row = (net: string, cc: string) => ['id1', '012345678901', '2024-09-01T00:00:00Z', '2024-10-01T00:00:00Z', '012345678901', 'Usage', '2024-09-01 01:00:00', '2024-09-01 02:00:00', 'AmazonEC2', 'USD', '1.00', net, cc, 'IAMUser:x', 'Compute'];
    const rows = mapTable(awsCurLegacy, header, [row('0.9', 'CC-1'), row('', '')]);
    expect(rows[0]).toMatchObject({ BilledCost: '0.9', EffectiveCost: '0.9', ChargePeriodStart: '2024-09-01T01:00:00Z', ChargePeriodEnd: '2024-09-01T02:00:00Z' });
    expect(JSON.parse(rows[0]!.Tags!)).toEqual({ 'user:Cost Center': 'CC-1', 'aws:createdBy': 'IAMUser:x' });
    expect(JSON.parse(rows[0]!.x_CostCategories!)).toEqual({ 'Charge type': 'Compute' });
    expect(rows[1]).toMatchObject({ BilledCost: '1.00' });
    expect(JSON.parse(rows[1]!.Tags!)).toEqual({ 'aws:createdBy': 'IAMUser:x' });
  });

  it('legacy Parquet: flattened resource_tags_* columns, product_product_name, numeric account ids, float text', () => {
    const header = [
      'bill_payer_account_id',
      'bill_billing_period_start_date',
      'bill_billing_period_end_date',
      'line_item_usage_account_id',
      'line_item_line_item_type',
      'line_item_usage_start_date',
      'line_item_usage_end_date',
      'line_item_product_code',
      'line_item_currency_code',
      'line_item_unblended_cost',
      'product_product_name',
      'product_region',
      'resource_tags_user_cost_center',
      'cost_category_team',
    ];
    const rows = mapTable(awsCur2, header, [
      ['12345678901', '2024-09-01T00:00:00Z', '2024-10-01T00:00:00Z', '98765432109', 'Usage', '2024-09-02T00:00:00Z', '2024-09-03T00:00:00Z', 'AmazonS3', 'USD', '1e-7', 'Amazon Simple Storage Service', 'eu-west-1', 'cc-7', 'data'],
    ]);
    expect(rows[0]).toMatchObject({
      BillingAccountId: '012345678901',
      SubAccountId: '098765432109',
      BilledCost: '0.0000001',
      ServiceName: 'Amazon Simple Storage Service',
      RegionId: 'eu-west-1',
      RegionName: 'Europe (Ireland)',
    });
    expect(JSON.parse(rows[0]!.Tags!)).toEqual({ user_cost_center: 'cc-7' });
    expect(JSON.parse(rows[0]!.x_CostCategories!)).toEqual({ team: 'data' });
  });

  it('the BilledCost vendor total is exact over many long values (fast path and its overflow flushes)', () => {
    const header = ['bill_payer_account_id', 'bill_billing_period_start_date', 'bill_billing_period_end_date', 'line_item_line_item_type', 'line_item_usage_start_date', 'line_item_usage_end_date', 'line_item_currency_code', 'line_item_unblended_cost'];
    const costs: string[] = [];
    for (let i = 0; i < 3000; i++) {
      costs.push(
        i % 7 === 0 ? '-99999999.9999999' : i % 5 === 0 ? '12345678901234567.891' : i % 3 === 0 ? `9999999999.${String(i).padStart(5, '0')}` : `0.00000000${i}1`,
      );
    }
    const rows = costs.map((c) => ['123412340534', '2024-09-01T00:00:00Z', '2024-10-01T00:00:00Z', 'Usage', '2024-09-01T00:00:00Z', '2024-09-02T00:00:00Z', 'USD', c]);
    const mapper = awsCur2.createMapper({ header, rows: rows.slice(0, 200), container: 'csv' });
    rows.forEach((r, i) => mapper.map(r, i + 1, () => undefined));
    const expected = costs.reduce((s, c) => s.plus(c), new Big(0));
    expect(mapper.vendorTotals()[0]!.vendorTotal).toBe(expected.toFixed());
  });

  it('CUR 2.0 maps rendered by Athena ({k=v, k2=v2}) are read too', () => {
    const t = readTable(CUR2_HAND);
    const ti = t.header.indexOf('resource_tags');
    const rows = t.all.map((r) => r.slice());
    rows[0]![ti] = '{user_team=web, user_env=prod}';
    const out = mapTable(awsCur2, t.header, rows);
    expect(JSON.parse(out[0]!.Tags!)).toEqual({ user_team: 'web', user_env: 'prod' });
  });
});

describe('errors', () => {
  const edit = (file: string, row: number, column: string, value: string) => {
    const t = readTable(file);
    const ci = t.header.indexOf(column);
    expect(ci).toBeGreaterThanOrEqual(0);
    const rows = t.all.map((r) => r.slice());
    rows[row - 1]![ci] = value;
    return { header: t.header, rows };
  };
  const rowError = (format: BillFormat, header: readonly string[], rows: string[][]): MappingRowError => {
    try {
      mapTable(format, header, rows);
    } catch (e) {
      expect(e).toBeInstanceOf(MappingRowError);
      return e as MappingRowError;
    }
    throw new Error('no MappingRowError');
  };

  it.each([
    { format: awsCurLegacy, file: LEGACY, column: 'lineItem/UnblendedCost', value: 'abc', message: "lineItem/UnblendedCost 'abc' is not a number" },
    { format: awsCur2, file: CUR2_HAND, column: 'line_item_unblended_cost', value: '12,5', message: "line_item_unblended_cost '12,5' is not a number" },
    { format: awsCur2, file: CUR2_HAND, column: 'line_item_net_unblended_cost', value: 'n/a', message: "line_item_net_unblended_cost 'n/a' is not a number" },
    { format: awsCur2, file: CUR2_HAND, column: 'reservation_net_effective_cost', value: 'x', message: "reservation_net_effective_cost 'x' is not a number" },
    { format: awsCur2, file: CUR2_HAND, column: 'line_item_usage_start_date', value: 'yesterday', message: "line_item_usage_start_date 'yesterday' is not a date" },
    { format: awsCur2, file: CUR2_HAND, column: 'resource_tags', value: '{not json', message: "resource_tags '{not json' is not a JSON object" },
  ])('a bad $column cell names row and column', ({ format, file, column, value, message }) => {
    // row 7 of the hand-made file is the DiscountedUsage line (it reads the reservation columns)
    const { header, rows } = edit(file, 7, column, value);
    const e = rowError(format, header, rows);
    expect(e.row).toBe(7);
    expect(e.column).toBe(column);
    expect(e.message).toBe(message);
  });

  it('an empty cost cell is an error, not a zero', () => {
    const { header, rows } = edit(CUR2_HAND, 2, 'line_item_unblended_cost', '');
    const e = rowError(awsCur2, header, rows);
    expect([e.row, e.column]).toEqual([2, 'line_item_unblended_cost']);
  });

  it.each([
    { format: awsCurLegacy, file: LEGACY, column: 'lineItem/LineItemType' },
    { format: awsCurLegacy, file: LEGACY, column: 'bill/PayerAccountId' },
    { format: awsCur2, file: CUR2_HAND, column: 'line_item_currency_code' },
    { format: awsCur2, file: CUR2_HAND, column: 'bill_billing_period_end_date' },
  ])('without $column the file cannot be mapped', ({ format, file, column }) => {
    const sample = sampleOf(file);
    const header = sample.header.map((h) => (h === column ? 'something_else' : h));
    expect(() => format.createMapper({ ...sample, header })).toThrow(MappingSetupError);
    expect(() => format.createMapper({ ...sample, header })).toThrow(column);
  });
});

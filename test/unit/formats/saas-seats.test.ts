// Generic per-seat SaaS licence CSVs → FOCUS. Expected sums come from the fixture files through the independent CSV
// reader and big.js (with this file's own cleaning of "$1,234.00" and "($75.00)").
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConformanceChecker } from '../../../src-main/conformance/index';
import { copilotPremiumAnalytics, copilotUsage } from '../../../src-main/ingest/formats/github-copilot';
import { accountPlaceholder, saasSeats, splitAmount, termOf } from '../../../src-main/ingest/formats/saas-seats';
import { MappingRowError, MappingSetupError, type TableSample } from '../../../src-main/ingest/formats/types';
import { decimalSum, editRow, readCsvRecords } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';
import { conformanceOf, failing, statusOf } from './conformance-report';

const DIR = path.resolve(__dirname, '../../fixtures/vendors/saas-seats');
const INVOICE = path.join(DIR, 'seats-invoice.csv');
const EXPORT = path.join(DIR, 'licenses-export.csv');
const COPILOT_DIR = path.resolve(__dirname, '../../fixtures/vendors/github-copilot');
const FOCUS_DIR = path.resolve(__dirname, '../../fixtures/focus');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-seats-'));
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

function variant(file: string, name: string, edit: (lines: string[]) => string[]): string {
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  return write(name, `${edit(lines).join('\n')}\n`);
}

const sum = (m: MappedBill, col: string, where?: (r: Record<string, string>) => boolean): Big =>
  m.rows.reduce((acc, r) => (where && !where(r) ? acc : r[col] === '' ? acc : acc.plus(new Big(r[col]!))), new Big(0));

/** Independent reading of "$3,600.00", "($75.00)", "$6.05". */
function money(text: string): Big {
  let t = text.trim();
  let neg = false;
  if (t.startsWith('(') && t.endsWith(')')) {
    neg = true;
    t = t.slice(1, -1);
  }
  t = t.replace('$', '').split(',').join('');
  const b = new Big(t);
  return neg ? b.neg() : b;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function sampleFromText(header: string, ...rows: string[]): TableSample {
  return { header: header.split(','), rows: rows.map((r) => r.split(',')), container: 'csv' };
}

/** FOCUS 1.2 rules (Requirements Model) that fail on rows of the mapped output. */
function failingRowRules(m: MappedBill): string[] {
  const cols = Object.keys(m.rows[0]!);
  const checker = createConformanceChecker(cols);
  m.rows.forEach((r, i) => checker.row(cols.map((c) => r[c]!), i + 1));
  const report = checker.finish({ file: 'mapped', focusVersion: '1.2' });
  return report.rules.filter((r) => r.status === 'fail' && r.failingRows > 0).map((r) => r.id);
}

/** The rows of source row `n` (1-based): the line itself, then the months of a prepaid term. */
function rowsOf(m: MappedBill, n: number): Record<string, string>[] {
  return m.rows.filter((_, i) => m.sourceRows[i] === n);
}

/** The FOCUS row standing for each source line: its first row (the purchase, for a prepaid term). */
function lines(m: MappedBill): Record<string, string>[] {
  return m.rows.filter((_, i) => i === 0 || m.sourceRows[i] !== m.sourceRows[i - 1]);
}

const isAmortization = (r: Record<string, string>) => r.SkuPriceId!.endsWith('/amortized');

function expectWellFormed(m: MappedBill): void {
  // no FOCUS 1.2 row rule fails, EffectiveCost-C-005-C (0 on a purchase covering later charges) included
  expect(failingRowRules(m)).toEqual([]);
  for (const r of m.rows) {
    for (const c of ['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
      expect(r[c], c).not.toBe('');
    }
    for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
      expect(r[c]).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    }
    expect(Date.parse(r.ChargePeriodEnd!)).toBeGreaterThan(Date.parse(r.ChargePeriodStart!));
    for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ListUnitPrice']) {
      if (r[c] !== '') expect(r[c], c).toMatch(/^-?\d+(\.\d+)?$/);
    }
    expect(r.ChargeFrequency).toBe('Recurring');
    expect(r.PricingUnit).toBe('Seats');
    if (r.ChargeCategory === 'Purchase') {
      // a prepaid term: the cost shows month by month on its Usage rows
      expect(r.EffectiveCost).toBe('0');
      expect(r.ConsumedQuantity).toBe('');
      expect(r.ConsumedUnit).toBe('');
    } else {
      expect(r.ChargeCategory).toBe('Usage');
      expect(r.ConsumedQuantity).toBe(r.PricingQuantity);
      expect(r.ConsumedUnit).toBe('Seats');
      if (isAmortization(r)) expect([r.BilledCost, r.ListCost, r.ContractedCost, r.ListUnitPrice]).toEqual(['0', '0', '0', '0']);
      else expect(r.EffectiveCost).toBe(r.BilledCost);
    }
    expect(['AI and Machine Learning', 'Developer Tools', 'Business Applications', 'Security', 'Identity', 'Other']).toContain(r.ServiceCategory);
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('detection', () => {
  it.each([INVOICE, EXPORT])('%s is a seat CSV and no Copilot format', (file) => {
    const s = sampleOf(file);
    expect(saasSeats.detect(s)).toBeGreaterThanOrEqual(0.8);
    expect(copilotUsage.detect(s)).toBeLessThan(0.5);
    expect(copilotPremiumAnalytics.detect(s)).toBeLessThan(0.5);
  });

  it('does not claim the Copilot reports or FOCUS files (including the FOCUS seat-based SaaS example)', () => {
    const files = [
      ...fs.readdirSync(COPILOT_DIR).filter((f) => f.endsWith('.csv')).map((f) => path.join(COPILOT_DIR, f)),
      path.join(FOCUS_DIR, 'focus-1.0_sample_1000.csv'),
      path.join(FOCUS_DIR, 'spec-v1.4', 'seat_based_saas_annual_a.csv'),
      path.join(FOCUS_DIR, 'spec-v1.2', 'simple_saas_agreements_c.csv'),
      path.join(FOCUS_DIR, 'spec-v1.2', 'saas_spend_agreements_a2.csv'),
    ];
    expect(files).toHaveLength(8);
    for (const f of files) expect(saasSeats.detect(sampleOf(f)), f).toBeLessThan(0.5);
  });

  it('does not claim other vendors’ headers or a generic invoice without seats', () => {
    const others = [
      // AWS legacy CUR (part)
      sampleFromText('identity/LineItemId,lineItem/UsageStartDate,lineItem/UsageAmount,lineItem/UnblendedRate,lineItem/UnblendedCost,pricing/unit'),
      // Azure EA cost details (part)
      sampleFromText('Date,MeterCategory,Quantity,UnitPrice,UnitOfMeasure,CostInBillingCurrency,BillingCurrency', '9/2/2023,Storage,10,0.02,1 GB/Month,0.2,CAD'),
      // OpenAI costs, Anthropic console CSV
      sampleFromText('start_time,end_time,amount.value,amount.currency,line_item,project_id'),
      sampleFromText('usage_date_utc,model,workspace,api_key,usage_input_tokens_no_cache,usage_output_tokens,cost_usd'),
      // a generic invoice: quantities in hours, not seats
      sampleFromText('Invoice Date,Description,Quantity,Unit,Unit Price,Amount', '2025-01-31,Consulting,10,Hours,150.00,1500.00'),
      // FOCUS columns next to seat-looking ones
      sampleFromText('BillingPeriodStart,ChargePeriodStart,BilledCost,Seats,UnitPrice', '2025-01-01,2025-01-01,10,1,10'),
      // a seat-looking header whose cells are not numbers
      sampleFromText('date,product,seats,price_per_seat', '2025-01-01,Slack,many,cheap', '2025-02-01,Slack,lots,cheap'),
    ];
    for (const s of others) expect(saasSeats.detect(s), s.header.join(',')).toBeLessThan(0.5);
  });

  it('claims the variants: quantity with a seat unit, "Quantity (seats)", licences without an amount', () => {
    expect(saasSeats.detect(sampleFromText('Invoice Date,Description,Quantity,Unit,Unit Price,Amount', '2025-01-31,Slack Pro,10,Seats,8.75,87.50'))).toBeGreaterThanOrEqual(0.5);
    expect(saasSeats.detect(sampleFromText('Date,Product,Quantity (seats),Total', '2025-01-31,Zoom,10,150.00'))).toBeGreaterThanOrEqual(0.5);
    expect(saasSeats.detect(sampleFromText('Billing Period,Licences,Price per Licence', '2025-01,10,8.00'))).toBeGreaterThanOrEqual(0.5);
  });
});

describe('seats-invoice.csv (snake_case dialect)', () => {
  const records = readCsvRecords(INVOICE);
  const m = mapBill(saasSeats, INVOICE);

  it('BilledCost = EffectiveCost = Σ amount, per currency, exactly; vendor totals agree', () => {
    for (const cur of ['USD', 'EUR']) {
      const expected = decimalSum(records, 'amount', (r) => r.currency === cur);
      expect(sum(m, 'BilledCost', (r) => r.BillingCurrency === cur).eq(expected), cur).toBe(true);
      expect(sum(m, 'EffectiveCost', (r) => r.BillingCurrency === cur).eq(expected), cur).toBe(true);
    }
    const total = decimalSum(records, 'amount');
    expect(m.vendorTotals.map((t) => [t.focusColumn, t.vendorColumn])).toEqual([
      ['BilledCost', 'amount'],
      ['EffectiveCost', 'amount'],
    ]);
    for (const t of m.vendorTotals) expect(new Big(t.vendorTotal).eq(total)).toBe(true);
    expectWellFormed(m);
  });

  it('one row per line (a prepaid term adds its months): seats, prices, utilisation', () => {
    expect(lines(m)).toHaveLength(records.length);
    expect(m.rows).toHaveLength(records.length + 12); // the annual Copilot licence adds 12 monthly rows
    lines(m).forEach((r, i) => {
      const src = records[i]!;
      expect(r.PricingQuantity).toBe(src.seats);
      expect(r.ListUnitPrice).toBe(src.price_per_seat);
      expect(r.ContractedUnitPrice).toBe(src.price_per_seat);
      expect(new Big(r.ListCost!).eq(new Big(src.seats!).times(src.price_per_seat!))).toBe(true);
      expect(r.ContractedCost).toBe(r.ListCost);
      expect(r.x_AssignedSeats).toBe(src.assigned_seats);
      expect(r.x_ActiveSeats).toBe(src.active_seats);
      expect(r.ServiceProviderName).toBe(src.vendor);
      expect(r.InvoiceIssuerName).toBe(src.vendor);
      expect(r.ServiceName).toBe(src.product);
      expect(r.SkuId).toBe(src.plan);
      expect(r.BillingCurrency).toBe(src.currency);
    });
    expect(lines(m)[2]!.ServiceCategory).toBe('AI and Machine Learning'); // GitHub Copilot
    expect(m.rows[0]!.ServiceCategory).toBe('Business Applications'); // Slack
    // no invoice column in the file: InvoiceId is left out rather than emitted null; the billing account is always
    // there (FOCUS requires it), a placeholder here (see "billing account" below)
    expect(Object.keys(m.rows[0]!)).not.toContain('InvoiceId');
    expect(Object.keys(m.rows[0]!)).toEqual(expect.arrayContaining(['BillingAccountId', 'BillingAccountName']));
  });

  it('periods: inclusive ends get a day, exclusive ends stay, annual terms span the year; BillingPeriod = invoice month', () => {
    const period = (i: number) => [lines(m)[i]!.ChargePeriodStart, lines(m)[i]!.ChargePeriodEnd];
    expect(period(0)).toEqual(['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z']); // 2025-01-01..2025-01-31
    expect(period(2)).toEqual(['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z']); // annual prepaid
    expect(period(3)).toEqual(['2025-01-15T00:00:00Z', '2025-02-15T00:00:00Z']); // anniversary 01-15..02-14
    expect(period(4)).toEqual(['2025-01-20T00:00:00Z', '2025-02-01T00:00:00Z']); // prorated add-on
    expect(period(7)).toEqual(['2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z']); // written exclusive: 02-01..03-01
    expect(period(8)).toEqual(['2025-02-15T00:00:00Z', '2025-03-01T00:00:00Z']);
    expect([lines(m)[3]!.BillingPeriodStart, lines(m)[3]!.BillingPeriodEnd]).toEqual(['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z']);
    expect(lines(m)[8]!.BillingPeriodStart).toBe('2025-02-01T00:00:00Z');
  });

  it('lines of up to a month are Usage / Recurring with the seats consumed; EffectiveCost = BilledCost', () => {
    for (const n of [1, 2, 4, 5, 6, 7, 8, 9]) {
      const rows = rowsOf(m, n);
      expect(rows, `row ${n}`).toHaveLength(1);
      expect(rows[0]).toMatchObject({ ChargeCategory: 'Usage', ChargeFrequency: 'Recurring', ConsumedUnit: 'Seats' });
      expect(rows[0]!.EffectiveCost).toBe(records[n - 1]!.amount);
      expect(rows[0]!.ConsumedQuantity).toBe(records[n - 1]!.seats);
    }
  });

  it('an annual prepaid licence is a Purchase with EffectiveCost 0 plus 12 monthly Usage rows carrying the amount', () => {
    const [purchase, ...months] = rowsOf(m, 3);
    expect(purchase).toMatchObject({
      ChargeCategory: 'Purchase',
      BilledCost: '5700.00',
      EffectiveCost: '0',
      ListCost: '5700',
      ChargePeriodStart: '2025-01-01T00:00:00Z',
      ChargePeriodEnd: '2026-01-01T00:00:00Z',
      SkuPriceId: 'Business (annual)',
    });
    expect(months).toHaveLength(12);
    months.forEach((r, k) => {
      expect(r).toMatchObject({
        ChargeCategory: 'Usage',
        ChargeFrequency: 'Recurring',
        BilledCost: '0',
        EffectiveCost: '475',
        ListCost: '0',
        ContractedCost: '0',
        ConsumedQuantity: '25',
        PricingQuantity: '25',
        SkuId: 'Business (annual)',
        SkuPriceId: 'Business (annual)/amortized',
        // the rows come from the January invoice: its billing period, so a later invoice's import does not overlap them
        BillingPeriodStart: '2025-01-01T00:00:00Z',
        BillingPeriodEnd: '2025-02-01T00:00:00Z',
        ChargeDescription: `Copilot Business (annual) (amortized, month ${k + 1} of 12)`,
      });
      expect(r.ChargePeriodStart).toBe(`2025-${String(k + 1).padStart(2, '0')}-01T00:00:00Z`);
      expect(r.ChargePeriodEnd).toBe(k === 11 ? '2026-01-01T00:00:00Z' : `2025-${String(k + 2).padStart(2, '0')}-01T00:00:00Z`);
    });
    // money counted once per column over the line's rows
    const lineSum = (col: string) => rowsOf(m, 3).reduce((a, r) => a.plus(r[col]!), new Big(0));
    expect(lineSum('BilledCost').eq('5700')).toBe(true);
    expect(lineSum('EffectiveCost').eq('5700')).toBe(true);
    expect(lineSum('ListCost').eq('5700')).toBe(true);
  });

  it('documents what it decided: Usage lines, the amortized term, prorated amounts', () => {
    const notes = m.gaps.map((g) => `${g.column}: ${g.note}`).join('\n');
    expect(notes).toMatch(/ChargeCategory: A seat line for a period of up to one month is a Usage \/ Recurring row/);
    expect(notes).toMatch(/EffectiveCost: 1 row \(row 3\) prepays a term longer than a month: each is a Purchase .* 12 Usage rows/);
    expect(notes).toMatch(/2 rows bill an amount other than seats × price/);
    // a negative seat change (removeQuantity) stays a negative line of the same kind
    expect(lines(m)[8]).toMatchObject({ ChargeCategory: 'Usage', BilledCost: '-13.33', EffectiveCost: '-13.33', PricingQuantity: '-2', ListCost: '-26.66' });
  });
});

describe('licenses-export.csv (Title Case dialect, "$1,234.00", Billing Period)', () => {
  const records = readCsvRecords(EXPORT);
  const m = mapBill(saasSeats, EXPORT);

  it('BilledCost = Σ Total, exactly, with currency symbols, thousands separators and parentheses', () => {
    const expected = records.reduce((a, r) => a.plus(money(r.Total!)), new Big(0));
    expect(expected.eq('31211.6')).toBe(true);
    expect(sum(m, 'BilledCost').eq(expected)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(expected)).toBe(true);
    expect(new Big(m.vendorTotals[0]!.vendorTotal).eq(expected)).toBe(true);
    expect(m.vendorTotals[0]!.vendorColumn).toBe('Total');
    m.rows.forEach((r, i) => {
      expect(new Big(r.BilledCost!).eq(money(records[i]!.Total!))).toBe(true);
      expect(new Big(r.ListUnitPrice!).eq(money(records[i]!['Unit Price']!))).toBe(true);
      expect(r.PricingQuantity).toBe(records[i]!.Licenses);
      expect(r.x_AssignedSeats).toBe(records[i]!.Assigned);
      expect(r.x_ActiveSeats).toBe(records[i]!['Active Users']);
    });
    expectWellFormed(m);
  });

  it('USD from the "$" symbol (a gap says so); cost centers become tags', () => {
    expect(new Set(m.rows.map((r) => r.BillingCurrency))).toEqual(new Set(['USD']));
    expect(m.gaps.some((g) => g.column === 'BillingCurrency' && /symbol/.test(g.note))).toBe(true);
    expect(JSON.parse(m.rows[0]!.Tags!)).toEqual({ cost_center: 'Engineering' });
    expect(m.rows[6]!.Tags).toBe('');
  });

  it('billing periods: "Mar 2025" is the month, "2025-04-15 - 2025-04-30" is [04-15, 05-01)', () => {
    expect([m.rows[0]!.ChargePeriodStart, m.rows[0]!.ChargePeriodEnd]).toEqual(['2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z']);
    expect([m.rows[4]!.ChargePeriodStart, m.rows[4]!.ChargePeriodEnd]).toEqual(['2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z']);
    expect([m.rows[8]!.ChargePeriodStart, m.rows[8]!.ChargePeriodEnd]).toEqual(['2025-04-15T00:00:00Z', '2025-05-01T00:00:00Z']);
    expect([m.rows[8]!.BillingPeriodStart, m.rows[8]!.BillingPeriodEnd]).toEqual(['2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z']);
    expect(m.rows[8]!.BilledCost).toBe('-75');
  });
});

describe('variants', () => {
  it('no amount column: BilledCost = seats × price exactly, period = invoice month, unknown vendor noted', () => {
    const file = write('no-amount.csv', 'Date,Product,Seats,Price per Seat\n2025-03-14,Linear,7,8.125\n2025-03-14,Loom,3,12.5\n03/20/2025,Miro,11,9.99\n');
    expect(saasSeats.detect(sampleOf(file))).toBeGreaterThanOrEqual(0.5);
    const m = mapBill(saasSeats, file);
    expect(m.rows.map((r) => r.BilledCost)).toEqual(['56.875', '37.5', '109.89']);
    expect(m.rows.map((r) => r.ChargePeriodStart)).toEqual(Array(3).fill('2025-03-01T00:00:00Z'));
    expect(m.rows.every((r) => r.ChargePeriodEnd === '2025-04-01T00:00:00Z' && r.BillingCurrency === 'USD')).toBe(true);
    expect(m.vendorTotals).toEqual([]);
    const notes = m.gaps.map((g) => g.note).join('\n');
    expect(notes).toMatch(/no amount column/);
    expect(notes).toMatch(/unknown vendor/);
    expect(notes).toMatch(/calendar month of the invoice date/);
    expect(m.rows[0]!.ServiceProviderName).toBe('');
  });

  it('quantity with a seat unit, day-first dates, currency from the header', () => {
    const file = write(
      'qty-unit.csv',
      'Invoice Date,Invoice Number,Customer ID,Vendor,Description,Quantity,Unit,Unit Price (EUR),Amount (EUR)\n' +
        '31/01/2025,INV-1,T0001,Slack,Slack Pro,10,Seats,8.75,87.50\n' +
        '28/02/2025,INV-2,T0001,Slack,Slack Pro,12,Seats,8.75,105.00\n',
    );
    const m = mapBill(saasSeats, file);
    expect(m.rows.map((r) => [r.InvoiceId, r.BillingAccountId, r.BillingAccountName])).toEqual([
      ['INV-1', 'T0001', 'T0001'],
      ['INV-2', 'T0001', 'T0001'],
    ]);
    expect(m.gaps.find((g) => g.column === 'BillingAccountName')?.note).toMatch(/no account name column: BillingAccountName repeats BillingAccountId \(Customer ID\)/);
    expect(m.gaps.some((g) => /placeholder/.test(g.note))).toBe(false);
    expect(m.rows.map((r) => [r.PricingQuantity, r.BilledCost, r.BillingCurrency, r.ChargePeriodStart, r.ChargeDescription])).toEqual([
      ['10', '87.50', 'EUR', '2025-01-01T00:00:00Z', 'Slack Pro'],
      ['12', '105.00', 'EUR', '2025-02-01T00:00:00Z', 'Slack Pro'],
    ]);
  });
});

describe('billing account: the file\'s account, or the placeholder of the invoice issuer', () => {
  const ACCOUNT_RULES = ['BillingAccountId-C-000-M', 'BillingAccountId-C-001-M', 'BillingAccountName-C-000-M', 'BillingAccountName-C-003-C', 'CostAndUsage-D-024-M', 'CostAndUsage-D-005-M'];
  const allPass = Object.fromEntries(ACCOUNT_RULES.map((id) => [id, 'pass']));
  // failing before the account columns, other than the two presence rules: HostProviderName (FOCUS 1.3), a column
  // these files cannot fill
  const FAILING_BEFORE = ['CostAndUsage-D-000-M', 'CostAndUsage-D-001-M', 'CostAndUsage:HostProviderName-C-000-M'];

  it.each([
    [INVOICE, 'vendor'],
    [EXPORT, 'Vendor'],
  ])('%s names no account: every row, amortized months included, gets "<vendor>-account"; the account rules pass', (file, vendorColumn) => {
    const records = readCsvRecords(file);
    const m = mapBill(saasSeats, file);
    expect(m.rows.length).toBeGreaterThanOrEqual(records.length);
    m.rows.forEach((r, i) => {
      const vendor = records[m.sourceRows[i]! - 1]![vendorColumn]!;
      expect(r.BillingAccountId).toBe(`${vendor.toLowerCase()}-account`); // one-word vendors: "Slack", "1Password"
      expect(r.BillingAccountName).toBe(r.BillingAccountId);
    });
    const gap = m.gaps.find((g) => g.column === 'BillingAccountId');
    expect(gap?.note).toMatch(/names no billing account .*: BillingAccountId and BillingAccountName are a placeholder named after the invoice issuer/);
    expect(gap?.note).toMatch(/FOCUS requires a billing account on every row/);
    const report = conformanceOf(m);
    expect(statusOf(report, ...ACCOUNT_RULES)).toEqual(allPass);
    const newlyFailing = failing(report).filter((id) => !FAILING_BEFORE.includes(id));
    expect(newlyFailing).toEqual([]);
  });

  it('account id and name columns are used; an empty row gets the issuer\'s placeholder, a name alone is the id; all noted', () => {
    const file = write(
      'accounts.csv',
      'Invoice Date,Account ID,Account Name,Vendor,Reseller,Product,Seats,Price per Seat,Amount\n' +
        '2025-03-01,ACC-1,Northwind Robotics,Slack,,Slack Pro,10,8.75,87.50\n' +
        '2025-03-01,,,Zoom,SoftwareOne AG,Zoom Workplace,5,13.33,66.65\n' +
        '2025-03-01,,Northwind EU,Figma,,Figma Professional,3,15,45\n' +
        '2025-03-01,ACC-2,,Notion,,Notion Plus,4,10,40\n',
    );
    const m = mapBill(saasSeats, file);
    expect(m.rows.map((r) => [r.BillingAccountId, r.BillingAccountName])).toEqual([
      ['ACC-1', 'Northwind Robotics'],
      ['softwareone-ag-account', 'softwareone-ag-account'], // the reseller invoices it, so the account is held there
      ['Northwind EU', 'Northwind EU'],
      ['ACC-2', 'ACC-2'],
    ]);
    const notes = m.gaps.map((g) => `${g.column}: ${g.note}`).join('\n');
    expect(notes).toMatch(/BillingAccountId: 1 row \(first: row 2\) name no account \(Account ID, Account Name empty\): .*"softwareone-ag-account"/);
    expect(notes).toMatch(/BillingAccountId: 1 row has an empty Account ID and a value in Account Name: BillingAccountId is that name there/);
    expect(notes).toMatch(/BillingAccountName: 1 row has an account id but no Account Name: BillingAccountName repeats the id/);
    expect(statusOf(conformanceOf(m), ...ACCOUNT_RULES)).toEqual(allPass);
  });

  it('the placeholder is the issuer as a slug, "unknown-vendor-account" for a line that names none', () => {
    expect(accountPlaceholder('Slack Technologies, LLC')).toBe('slack-technologies-llc-account');
    expect(accountPlaceholder(' Société Générale ')).toBe('societe-generale-account');
    expect(accountPlaceholder('GitHub')).toBe('github-account');
    expect(accountPlaceholder('')).toBe('unknown-vendor-account');
    expect(accountPlaceholder('—')).toBe('unknown-vendor-account');
    const m = mapBill(saasSeats, write('no-vendor.csv', 'Date,Product,Seats,Price per Seat\n2025-03-14,Linear,7,8.125\n'));
    expect([m.rows[0]!.BillingAccountId, m.rows[0]!.BillingAccountName]).toEqual(['unknown-vendor-account', 'unknown-vendor-account']);
  });
});

describe('prepaid terms', () => {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

  it('a term that is not whole months is split by the length of its months, exact to the last digit', () => {
    const file = write(
      'quarter.csv',
      'invoice_date,period_start,period_end,vendor,product,plan,seats,price_per_seat,amount,currency\n' +
        '2025-01-10,2025-01-10,2025-04-30,Notion,Notion,Plus,7,30,200.00,USD\n',
    );
    const m = mapBill(saasSeats, file);
    const [purchase, ...months] = m.rows;
    expect(purchase).toMatchObject({ ChargeCategory: 'Purchase', BilledCost: '200.00', EffectiveCost: '0', ChargePeriodEnd: '2025-05-01T00:00:00Z' });
    // anniversary months from the 10th; the last one ends with the term (04-30 inclusive)
    expect(months.map((r) => [r.ChargePeriodStart!.slice(0, 10), r.ChargePeriodEnd!.slice(0, 10)])).toEqual([
      ['2025-01-10', '2025-02-10'],
      ['2025-02-10', '2025-03-10'],
      ['2025-03-10', '2025-04-10'],
      ['2025-04-10', '2025-05-01'],
    ]);
    const days = [31, 28, 31, 21];
    const expected = days.slice(0, 3).map((d) => new Big(200).times(d).div(111).round(9, Big.roundHalfUp));
    expected.push(new Big(200).minus(expected.reduce((a, b) => a.plus(b), new Big(0))));
    months.forEach((r, k) => expect(new Big(r.EffectiveCost!).eq(expected[k]!), `month ${k + 1}: ${r.EffectiveCost}`).toBe(true));
    expect(sum(m, 'EffectiveCost').eq(200)).toBe(true);
    expect(sum(m, 'BilledCost').eq(200)).toBe(true);
    expect(failingRowRules(m)).toEqual([]);
    expect(m.vendorTotals.map((t) => [t.focusColumn, t.vendorTotal])).toEqual([
      ['BilledCost', '200'],
      ['EffectiveCost', '200'],
    ]);
  });

  it('a period of one month written a day or two off is not a term; longer periods are split by anniversary', () => {
    expect(termOf(day('2025-01-31'), day('2025-03-01'))).toBeNull(); // 01-31..02-28 inclusive
    expect(termOf(day('2025-01-15'), day('2025-02-15'))).toBeNull();
    const t = termOf(day('2025-01-15'), day('2025-03-15'));
    expect(t).toMatchObject({ starts: ['2025-01-15T00:00:00Z', '2025-02-15T00:00:00Z'], ends: ['2025-02-15T00:00:00Z', '2025-03-15T00:00:00Z'], weights: [1n, 1n] });
    // a tail of up to three days after the last anniversary joins the last month
    expect(termOf(day('2025-01-01'), day('2025-03-03'))).toMatchObject({ ends: ['2025-02-01T00:00:00Z', '2025-03-03T00:00:00Z'] });
    expect(termOf(day('2025-01-01'), day('2036-01-01'))).toBe(132);
  });

  it('splitAmount rounds to nano-units and gives the remainder to the last share', () => {
    expect(splitAmount({ coef: 100n, scale: 0 }, [1n, 1n, 1n])).toEqual(['33.333333333', '33.333333333', '33.333333334']);
    expect(splitAmount({ coef: -1333n, scale: 2 }, [1n, 1n])).toEqual(['-6.665', '-6.665']);
    expect(splitAmount({ coef: 570000n, scale: 2 }, Array<bigint>(12).fill(1n))).toEqual(Array<string>(12).fill('475'));
  });

  it('a period longer than ten years is a MappingRowError pointing at the period end', () => {
    const file = variant(INVOICE, 'decades.csv', (l) => editRow(l, 3, (f) => f.map((v, i) => (i === 2 ? '2205-12-31' : v))));
    const e = catchError(() => mapBill(saasSeats, file)) as MappingRowError;
    expect(e).toBeInstanceOf(MappingRowError);
    expect([e.row, e.column]).toEqual([3, 'period_end']);
    expect(e.message).toMatch(/2025-01-01 to 2206-01-01 spans about \d+ months, more than 10 years/);
  });
});

describe('errors', () => {
  it('a non-numeric amount is a MappingRowError naming the row and column', () => {
    const file = variant(INVOICE, 'bad-amount.csv', (l) => editRow(l, 4, (f) => f.map((v, i) => (i === 10 ? 'abc' : v))));
    const e = catchError(() => mapBill(saasSeats, file)) as MappingRowError;
    expect(e).toBeInstanceOf(MappingRowError);
    expect([e.row, e.column]).toEqual([4, 'amount']);
    expect(e.message).toContain("'abc'");
  });

  it('a non-numeric seat count or an unreadable period end is a MappingRowError', () => {
    const seats = variant(EXPORT, 'bad-seats.csv', (l) => editRow(l, 2, (f) => f.map((v, i) => (i === 4 ? 'ten' : v))));
    const e = catchError(() => mapBill(saasSeats, seats)) as MappingRowError;
    expect([e.row, e.column]).toEqual([2, 'Licenses']);
    const end = variant(INVOICE, 'bad-end.csv', (l) => editRow(l, 6, (f) => f.map((v, i) => (i === 2 ? 'soon' : v))));
    const e2 = catchError(() => mapBill(saasSeats, end)) as MappingRowError;
    expect([e2.row, e2.column]).toEqual([6, 'period_end']);
    const backwards = variant(INVOICE, 'backwards.csv', (l) => editRow(l, 1, (f) => f.map((v, i) => (i === 2 ? '2024-12-01' : v))));
    expect(() => mapBill(saasSeats, backwards)).toThrow(MappingRowError);
  });

  it('a header without a seat count, or without price and amount, is a MappingSetupError', () => {
    const s = sampleOf(INVOICE);
    expect(() => saasSeats.createMapper({ ...s, header: s.header.map((h) => (h === 'seats' ? 'count' : h)) })).toThrow(MappingSetupError);
    expect(() =>
      saasSeats.createMapper({ ...s, header: s.header.map((h) => (h === 'amount' || h === 'price_per_seat' ? `x_${h}` : h)) }),
    ).toThrow(/price per seat or an amount/);
  });
});

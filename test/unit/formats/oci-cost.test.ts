// Oracle OCI cost report → FOCUS, on the real report from finopsfoundation/focus_converters (gzipped as OCI delivers
// it). Expected sums come from the file through the independent CSV reader and big.js.
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { gcpBilling } from '../../../src-main/ingest/formats/gcp-billing';
import { ociCost } from '../../../src-main/ingest/formats/oci-cost';
import { MappingRowError, MappingSetupError, type TableSample } from '../../../src-main/ingest/formats/types';
import { decimalSum, editRow, readCsvRecords, splitCsvLine } from '../../helpers/independent-csv';
import { mapBill, readTable, type MappedBill } from '../../helpers/map-bill';

const DIR = path.resolve(__dirname, '../../fixtures/vendors/oci');
const OCI = path.join(DIR, 'reports_cost-csv_0000000030000269.csv.gz');
const GCP_DIR = path.resolve(__dirname, '../../fixtures/vendors/gcp');
const FOCUS = path.resolve(__dirname, '../../fixtures/focus/focus-1.0_sample_1000.csv');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-oci-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sampleOf(file: string): TableSample {
  const t = readTable(file);
  return { header: t.header, rows: t.rows, container: t.container };
}

/** The report's lines (CRLF in the original), for variants. */
function lines(): string[] {
  return zlib.gunzipSync(fs.readFileSync(OCI)).toString('utf8').replace(/\r?\n$/, '').split(/\r?\n/);
}

function variant(name: string, edit: (lines: string[]) => string[]): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, `${edit(lines()).join('\r\n')}\r\n`);
  return f;
}

const HEADER = splitCsvLine(lines()[0]!);
const col = (name: string) => HEADER.indexOf(name);

const sum = (m: MappedBill, c: string): Big => m.rows.reduce((acc, r) => (r[c] === '' ? acc : acc.plus(new Big(r[c]!))), new Big(0));

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('oci-cost detection', () => {
  it('recognises the cost report', () => {
    expect(ociCost.detect(sampleOf(OCI))).toBeGreaterThanOrEqual(0.5);
  });

  it('does not claim GCP exports or a FOCUS file; GCP does not claim it', () => {
    expect(ociCost.detect(sampleOf(FOCUS))).toBeLessThan(0.5);
    expect(ociCost.detect(sampleOf(path.join(GCP_DIR, 'gcp-billing-export-detailed.jsonl')))).toBeLessThan(0.5);
    expect(ociCost.detect(sampleOf(path.join(GCP_DIR, 'gcp-billing-flattened-koku-style.csv')))).toBeLessThan(0.5);
    expect(gcpBilling.detect(sampleOf(OCI))).toBeLessThan(0.5);
  });

  it('does not claim an AWS legacy CUR header (same slash style)', () => {
    const header = ['identity/LineItemId', 'lineItem/UsageStartDate', 'lineItem/UnblendedCost', 'lineItem/CurrencyCode', 'product/region', 'product/servicecode'];
    expect(ociCost.detect({ header, rows: [], container: 'csv' })).toBe(0);
  });
});

describe('oci-cost mapping', () => {
  const m = mapBill(ociCost, OCI);
  const src = readCsvRecords(OCI);

  it('maps every row once, as Usage, well formed', () => {
    expect(src).toHaveLength(506);
    expect(m.rows).toHaveLength(506);
    expect(m.sourceRows).toEqual(src.map((_, i) => i + 1));
    for (const r of m.rows) {
      expect(r.ChargeCategory).toBe('Usage');
      expect(r.ChargeClass).toBe('');
      expect(r.ChargeFrequency).toBe('Usage-Based');
      for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ContractedUnitPrice']) {
        expect(r[c]).toMatch(/^-?\d+(\.\d+)?$/);
      }
      for (const c of ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']) {
        expect(r[c]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
      expect(r.BillingCurrency).toBe('USD');
      if (r.Tags !== '') expect(typeof JSON.parse(r.Tags!)).toBe('object');
    }
  });

  it('BilledCost and EffectiveCost sum to cost/myCost exactly', () => {
    const expected = decimalSum(src, 'cost/myCost');
    expect(expected.toFixed()).toBe('2.523589325400648027');
    expect(sum(m, 'BilledCost').eq(expected)).toBe(true);
    expect(sum(m, 'EffectiveCost').eq(expected)).toBe(true);
    expect(m.vendorTotals).toEqual([{ focusColumn: 'BilledCost', vendorColumn: 'cost/myCost', vendorTotal: expected.toFixed() }]);
  });

  it('keeps exponent costs exact and quantities as billed', () => {
    // row 2: cost/myCost 2.323760000E-9, usage/billedQuantity 0.000002000000000000
    expect(src[1]!['cost/myCost']).toBe('2.323760000E-9');
    expect(m.rows[1]!.BilledCost).toBe('0.00000000232376');
    expect(m.rows[1]!.PricingQuantity).toBe('0.000002000000000000');
    expect(m.rows[1]!.PricingUnit).toBe('Million Datapoints');
    expect(m.rows[1]!.ContractedUnitPrice).toBe('0.001161880000000000');
    expect(m.rows[1]!.x_BillingUnitReadable).toBe('1000000 NONE NONE DATAPOINTS');
    // row 3: 6.266090E-12
    expect(m.rows[2]!.BilledCost).toBe('0.00000000000626609');
    // every exponent cell, against big.js
    for (let i = 0; i < src.length; i++) {
      const raw = src[i]!['cost/myCost']!;
      if (/e/i.test(raw)) expect(new Big(m.rows[i]!.BilledCost!).eq(new Big(raw))).toBe(true);
    }
  });

  it('converts dates to FOCUS UTC with exclusive ends and the UTC month as billing period', () => {
    const r = m.rows[0]!;
    expect(src[0]!['lineItem/intervalUsageStart']).toBe('2023-11-13T10:00Z');
    expect(r.ChargePeriodStart).toBe('2023-11-13T10:00:00Z');
    expect(r.ChargePeriodEnd).toBe('2023-11-13T11:00:00Z');
    expect(r.BillingPeriodStart).toBe('2023-11-01T00:00:00Z');
    expect(r.BillingPeriodEnd).toBe('2023-12-01T00:00:00Z');
    for (const x of m.rows) expect(Date.parse(x.ChargePeriodEnd!) - Date.parse(x.ChargePeriodStart!)).toBe(3600_000);
  });

  it('fills account, compartment, service, SKU, region and resource', () => {
    const r = m.rows[0]!;
    expect(r.BillingAccountId).toBe(src[0]!['lineItem/tenantId']);
    expect(r.SubAccountId).toBe(src[0]!['product/compartmentId']);
    expect(r.SubAccountName).toBe('platformpm2022');
    expect(r.SubAccountType).toBe('Compartment');
    expect(r.ServiceName).toBe('DATABASE');
    expect(r.ServiceCategory).toBe('Databases');
    expect(r.SkuId).toBe('B92911');
    expect(r.ChargeDescription).toBe('Oracle APEX Application Development');
    expect([r.RegionId, r.AvailabilityZone]).toEqual(['us-sanjose-1', 'sj-1']);
    expect(r.ResourceType).toBe('autonomousdatabase');
    expect([r.ServiceProviderName, r.ProviderName, r.PublisherName, r.InvoiceIssuerName]).toEqual(Array(4).fill('Oracle'));
    expect(r.x_SubscriptionId).toMatch(/^ocid1\.organizationssubscription\./);
    const services = new Set(m.rows.map((x) => `${x.ServiceName}:${x.ServiceCategory}`));
    expect(services).toEqual(
      new Set([
        'DATABASE:Databases',
        'TELEMETRY:Management and Governance',
        'OBJECTSTORE:Storage',
        'COMPUTE:Compute',
        'MYSQL:Databases',
        'NETWORK:Networking',
        'BLOCK_STORAGE:Storage',
        'ORACLE_STREAMING_SERVICE:Analytics',
      ]),
    );
  });

  it('turns tags/* columns into one Tags object, keys as written after tags/', () => {
    expect(JSON.parse(m.rows[0]!.Tags!)).toEqual({
      'Oracle-Tags.CreatedBy': 'default/phil.newman@oracle.com',
      'OracleInternalReserved.CostCenter': '607825',
      'OracleInternalReserved.OwnerEmail': 'marek.czajka@oracle.com',
      'OracleInternalReserved.Phonebook': 'accounts',
      'OracleInternalReserved.ServiceType': 'Other',
      'OracleInternalReserved.UsageType': 'development-pre-production',
      'Valtest.Cat': 'boots',
    });
    expect(m.rows[1]!.Tags).toBe('');
    const tagged = src.findIndex((r) => r['tags/DevRel\\redbull-analytics-hol-4cb4.release'] !== '');
    expect(JSON.parse(m.rows[tagged]!.Tags!)['DevRel\\redbull-analytics-hol-4cb4.release']).toBe('1.0');
    const withTags = src.filter((r) => Object.entries(r).some(([k, v]) => k.startsWith('tags/') && v !== '')).length;
    expect(m.rows.filter((r) => r.Tags !== '')).toHaveLength(withTags);
  });

  it('states its decisions as gaps', () => {
    expect(m.gaps.map((g) => g.column)).toEqual(expect.arrayContaining(['BillingPeriodStart', 'ListCost', 'SubAccountId']));
  });
});

describe('oci-cost corrections and errors', () => {
  it('marks correction rows as ChargeClass Correction', () => {
    const file = variant('correction.csv', (ls) => editRow(ls, 5, (f) => f.map((c, i) => (i === col('lineItem/isCorrection') ? 'true' : c))));
    const m = mapBill(ociCost, file);
    expect(m.rows[4]!.ChargeClass).toBe('Correction');
    expect(m.rows.filter((r) => r.ChargeClass === 'Correction')).toHaveLength(1);
    expect(m.gaps.some((g) => g.column === 'ChargeClass' && /1 correction rows/.test(g.note))).toBe(true);
  });

  it('a non-numeric cost/myCost names the row and the column', () => {
    const file = variant('bad-cost.csv', (ls) => editRow(ls, 7, (f) => f.map((c, i) => (i === col('cost/myCost') ? '1,2' : c))));
    const e = catchError(() => mapBill(ociCost, file));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(7);
    expect((e as MappingRowError).column).toBe('cost/myCost');
    expect((e as Error).message).toContain("'1,2'");
  });

  it('an unreadable usage interval is a row error', () => {
    const file = variant('bad-date.csv', (ls) => editRow(ls, 9, (f) => f.map((c, i) => (i === col('lineItem/intervalUsageEnd') ? '13/11/2023 25:00' : c))));
    const e = catchError(() => mapBill(ociCost, file));
    expect(e).toBeInstanceOf(MappingRowError);
    expect((e as MappingRowError).row).toBe(9);
    expect((e as MappingRowError).column).toBe('lineItem/intervalUsageEnd');
  });

  it('a usage report (no cost/myCost) is recognised but cannot be mapped', () => {
    const sample = sampleOf(OCI);
    const keep = sample.header.map((h, i) => (h.startsWith('cost/') ? -1 : i)).filter((i) => i >= 0);
    const usage: TableSample = { header: keep.map((i) => sample.header[i]!), rows: sample.rows.map((r) => keep.map((i) => r[i]!)), container: 'csv' };
    expect(ociCost.detect(usage)).toBeGreaterThanOrEqual(0.5);
    expect(() => ociCost.createMapper(usage)).toThrow(MappingSetupError);
    expect(() => ociCost.createMapper(usage)).toThrow(/cost\/myCost/);
  });

  it('reads usage/consumedQuantity where a newer report has it', () => {
    const sample = sampleOf(OCI);
    const header = [...sample.header, 'usage/consumedQuantity', 'usage/consumedQuantityUnits'];
    const row = [...sample.rows[0]!, '3.0E+2', 'MS'];
    const mapper = ociCost.createMapper({ header, rows: [row], container: 'csv' });
    const out: string[][] = [];
    mapper.map(row, 1, (c) => out.push([...c]));
    expect(out[0]![mapper.columns.indexOf('ConsumedQuantity')]).toBe('300');
    expect(out[0]![mapper.columns.indexOf('ConsumedUnit')]).toBe('MS');
    expect(out[0]![mapper.columns.indexOf('PricingQuantity')]).toBe(sample.rows[0]![sample.header.indexOf('usage/billedQuantity')]);
  });
});

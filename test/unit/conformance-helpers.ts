// Test helpers for the conformance engine: a tiny CSV reader (the project's streaming reader is tested elsewhere)
// and a runner that feeds rows to the checker the way the importer does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceReport, ConformanceRuleResult } from '../../src-shared/api/contract';
import { createConformanceChecker, type ConformanceOptions } from '../../src-main/conformance';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/focus');

export interface Csv {
  header: string[];
  rows: string[][];
}

/**
 * Splits CSV text into rows of raw cell text: double-quoted fields may hold commas, newlines and doubled quotes;
 * a UTF-8 BOM, CRLF line ends, blank lines and a missing final newline are tolerated. Cells are not trimmed and
 * the text `NULL` stays text.
 */
export function parseCsv(text: string): Csv {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') {
        row.push(field);
        out.push(row);
      }
      row = [];
      field = '';
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field !== '') {
    row.push(field);
    out.push(row);
  }
  const [header = [], ...rows] = out;
  return { header, rows };
}

export function readFixture(rel: string): Csv {
  return parseCsv(fs.readFileSync(path.join(FIXTURES, rel), 'utf8'));
}

export function check(csv: Csv, options?: ConformanceOptions, file = 'test.csv'): ConformanceReport {
  const checker = createConformanceChecker(csv.header, options);
  csv.rows.forEach((r, i) => checker.row(r, i + 1));
  return checker.finish({ file, focusVersion: '1.2' });
}

export function rule(report: ConformanceReport, id: string): ConformanceRuleResult {
  const r = report.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

/** Column values by name (case-sensitive, as in the header). */
export function column(csv: Csv, name: string): string[] {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return csv.rows.map((r) => r[i] ?? '');
}

/** 1-based row numbers where pred holds. */
export function rowsWhere(values: string[], pred: (v: string) => boolean): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    if (pred(v)) out.push(i + 1);
  });
  return out;
}

/** A small, conforming FOCUS 1.2 file (every Mandatory column plus a few others) to mutate in tests. */
export function conformingCsv(): Csv {
  const header = [
    'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
    'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
    'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingCategory', 'PricingQuantity',
    'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
  ];
  const row = (cost: string, category = 'Usage'): string[] => [
    cost, 'acct-1', 'Acme', 'USD', '2024-10-01T00:00:00Z', '2024-09-01T00:00:00Z',
    category, '', 'Compute hours', 'Usage-Based', '2024-09-01T01:00:00Z', '2024-09-01T00:00:00Z',
    cost, cost, 'Example Cloud', cost, 'Standard', '1', 'Hours', 'Example Cloud', 'Example Cloud', 'Compute', 'VMs',
  ];
  return { header, rows: [row('1.50'), row('2'), row('0.125'), row('-0.5', 'Credit')] };
}

/** Replace the value of column `name` on 1-based row `rowNo`. */
export function setCell(csv: Csv, rowNo: number, name: string, value: string): void {
  const i = csv.header.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  csv.rows[rowNo - 1]![i] = value;
}

export function withoutColumn(csv: Csv, name: string): Csv {
  const i = csv.header.indexOf(name);
  return { header: csv.header.filter((_, j) => j !== i), rows: csv.rows.map((r) => r.filter((_, j) => j !== i)) };
}

export function withColumn(csv: Csv, name: string, values: string | string[]): Csv {
  return {
    header: [...csv.header, name],
    rows: csv.rows.map((r, i) => [...r, typeof values === 'string' ? values : values[i]!]),
  };
}

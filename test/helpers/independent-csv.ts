// A deliberately simple, independent CSV reader for computing expected values in tests (not the importer's parser).
import Big from 'big.js';
import fs from 'node:fs';
import zlib from 'node:zlib';

/** RFC 4180 rows of a whole text (quotes, escaped quotes, CRLF); blank lines are skipped. */
export function parseCsvRows(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) records.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    records.push(row);
  }
  return records;
}

export function readCsvRecords(file: string): Record<string, string>[] {
  let buf = fs.readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  const [header, ...rows] = parseCsvRows(buf.toString('utf8').replace(/^\uFEFF/, ''));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h.trim(), r[i] ?? ''])));
}

const isNull = (v: string | undefined) => v === undefined || v === '' || v.toLowerCase() === 'null';

/** Exact decimal sum of a column (nulls skipped), optionally over rows matching `where`. */
export function decimalSum(records: Record<string, string>[], column: string, where?: (r: Record<string, string>) => boolean): Big {
  let s = new Big(0);
  for (const r of records) {
    if (where && !where(r)) continue;
    const v = r[column];
    if (!isNull(v)) s = s.plus(new Big(v!.trim()));
  }
  return s;
}

/** Round a Big to cents as a number, for comparison with engine output. */
export function cents(b: Big): number {
  return Number(b.round(2, Big.roundHalfUp).toFixed(2));
}

export function roundCents(n: number): number {
  return Number(new Big(n).round(2, Big.roundHalfUp).toFixed(2));
}

/** Split one CSV line (no embedded newlines) into fields, honouring quotes. */
export function splitCsvLine(line: string): string[] {
  return parseCsvRows(line)[0] ?? [''];
}

export function joinCsvLine(fields: string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

/** Rewrite the fields of data row `row` (1-based) of a CSV file whose rows are single lines. */
export function editRow(lines: string[], row: number, edit: (fields: string[]) => string[]): string[] {
  lines[row] = joinCsvLine(edit(splitCsvLine(lines[row]!)));
  return lines;
}

/** A Big as the number the engine reports: exact decimal to 9 places (nano-units), as a JS number. */
export function nanoExact(b: Big): number {
  return Number(b.round(9, Big.roundHalfUp).toFixed(9));
}

/**
 * The engine stores each amount rounded to 1e-9 of the currency unit, so a sum over n rows may differ from the exact
 * decimal sum by at most n × 0.5e-9: always far below a cent. Asserts both that bound and equality to the cent.
 */
export function expectMoneyMatches(actual: number, expected: Big, rows: number): void {
  const diff = new Big(actual).minus(expected).abs();
  if (diff.gt(new Big(rows).times('0.0000000005').plus('0.0000000005'))) {
    throw new Error(`amount ${actual} differs from the exact sum ${expected.toFixed()} by ${diff.toFixed()} (${rows} rows)`);
  }
  if (cents(new Big(actual)) !== cents(expected)) {
    throw new Error(`amount ${actual} is not ${expected.toFixed()} to the cent`);
  }
}

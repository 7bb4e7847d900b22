// Runs a bill format over a fixture file the way the importer does (detect on a sample, then map every row), for
// format tests. Reading uses the product's CSV/JSON readers; the expected totals a test compares against must come
// from the file independently (test/helpers/independent-csv.ts), not from here.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { CsvReader } from '../../src-main/ingest/csv-reader';
import type { BillFormat, MappingGap, TableSample, VendorTotal } from '../../src-main/ingest/formats/types';
import { parseJsonRecords, recordsToTable } from '../../src-main/ingest/tabular/json-rows';

export interface MappedBill {
  sample: TableSample;
  /** FOCUS rows as column → cell text ('' = null). */
  rows: Record<string, string>[];
  /** Source row number of each FOCUS row. */
  sourceRows: number[];
  gaps: MappingGap[];
  vendorTotals: VendorTotal[];
}

export function readTable(file: string): TableSample & { all: string[][] } {
  let buf = fs.readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  const text = buf.toString('utf8');
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '{' || first === '[') {
    const t = recordsToTable(parseJsonRecords(text));
    return { header: t.header, rows: t.rows.slice(0, 200), container: 'json', all: t.rows };
  }
  const rows: string[][] = [];
  const r = new CsvReader((f) => rows.push(f));
  r.push(text);
  r.end();
  const [header = [], ...data] = rows;
  const h = header.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c));
  return { header: h, rows: data.slice(0, 200), container: 'csv', all: data };
}

export function mapBill(format: BillFormat, file: string): MappedBill {
  const table = readTable(file);
  const sample: TableSample = { header: table.header, rows: table.rows, container: table.container };
  const mapper = format.createMapper(sample);
  const rows: Record<string, string>[] = [];
  const sourceRows: number[] = [];
  let current = 0;
  const emit = (cells: string[]) => {
    if (cells.length !== mapper.columns.length) {
      throw new Error(`row ${current}: emitted ${cells.length} cells for ${mapper.columns.length} columns`);
    }
    const rec: Record<string, string> = {};
    mapper.columns.forEach((c, i) => (rec[c] = cells[i]!));
    rows.push(rec);
    sourceRows.push(current);
  };
  table.all.forEach((cells, i) => {
    current = i + 1;
    mapper.map(cells, current, emit);
  });
  current = table.all.length + 1;
  mapper.finish?.(emit);
  return { sample, rows, sourceRows, gaps: mapper.gaps(), vendorTotals: mapper.vendorTotals() };
}

// FOCUS CSV writer: rows as FOCUS text (exact decimals from nanos, ISO date/times in UTC), appended page by page to a
// temp file the caller renames into place, so a reader never sees a half-written export.
import fs from 'node:fs';
import { formatNanos } from '../ingest/decimal';
import { isoDateTime } from '../ingest/datetime';
import type { ExportColumn, ExportValue } from './export-rows';

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** FOCUS text of one stored value; null is the empty field (FOCUS CSV null). */
export function focusText(kind: ExportColumn['kind'], v: ExportValue): string {
  if (v === null) return '';
  if (kind === 'money') return formatNanos(v as bigint);
  if (kind === 'time') return isoDateTime(v as number);
  if (kind === 'number') return String(v);
  return csvField(v as string);
}

/** Buffered appends to one file descriptor: one write per ~1 MB instead of one per row. */
export class CsvFile {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'wx');
  }
  line(fields: string[]): void {
    const s = `${fields.join(',')}\n`;
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length === 0) return;
    const data = Buffer.from(this.buf.join(''), 'utf8');
    fs.writeSync(this.fd, data);
    this.bytes += data.length;
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** Writes every page of rows to `file` (which must not exist); returns the row count. */
export function writeFocusCsv(file: string, columns: ExportColumn[], pages: Iterable<ExportValue[][]>): { rows: number; bytes: number } {
  const out = new CsvFile(file);
  try {
    out.line(columns.map((c) => csvField(c.name)));
    const kinds = columns.map((c) => c.kind);
    let rows = 0;
    const fields: string[] = new Array<string>(kinds.length);
    for (const page of pages) {
      for (const r of page) {
        for (let i = 0; i < kinds.length; i++) fields[i] = focusText(kinds[i]!, r[i]!);
        out.line(fields);
      }
      rows += page.length;
    }
    out.close();
    return { rows, bytes: out.bytes };
  } catch (e) {
    out.abort();
    throw e;
  }
}

// Parquet writer for one partition file: money as DECIMAL(38, 9) from the nano integers (exact, and wide enough for
// any stored int64 of nanos, which DECIMAL(18, 9) is not), times as UTC TIMESTAMP (millis), numbers as DOUBLE (they are
// stored as REAL), text and JSON as UTF-8 strings. Rows are buffered per row group only, so memory stays bounded.
import type { SchemaElement } from 'hyparquet';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import fs from 'node:fs';
import type { ExportColumn, ExportValue } from './export-rows';

/** Rows per row group: readers skip by row group, and this many rows of ~70 columns stay well under 100 MB. */
export const ROW_GROUP_ROWS = 50_000;

function schemaOf(columns: ExportColumn[]): SchemaElement[] {
  const root: SchemaElement = { name: 'root', num_children: columns.length };
  return [
    root,
    ...columns.map((c): SchemaElement => {
      const base = { name: c.name, repetition_type: 'OPTIONAL' as const };
      switch (c.kind) {
        case 'money':
          return { ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, converted_type: 'DECIMAL', precision: 38, scale: 9, logical_type: { type: 'DECIMAL', precision: 38, scale: 9 } };
        case 'time':
          return { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
        case 'number':
          return { ...base, type: 'DOUBLE' };
        default:
          return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
      }
    }),
  ];
}

export class ParquetPartFile {
  private readonly writer: ParquetWriter;
  private readonly data: ExportValue[][];
  private buffered = 0;
  rows = 0;
  constructor(
    readonly file: string,
    private readonly columns: ExportColumn[],
  ) {
    this.writer = new ParquetWriter({ writer: fileWriter(file), schema: schemaOf(columns), createdBy: 'Meterbook' });
    this.data = columns.map(() => []);
  }

  add(page: ExportValue[][]): void {
    const n = this.columns.length;
    for (const r of page) {
      for (let i = 0; i < n; i++) {
        const v = r[i]!;
        // the writer takes millis for TIMESTAMP_MILLIS; money is already the unscaled DECIMAL (nanos, scale 9)
        this.data[i]!.push(v !== null && this.columns[i]!.kind === 'time' ? (v as number) * 1000 : v);
      }
      if (++this.buffered === ROW_GROUP_ROWS) this.flushGroup();
    }
  }

  private flushGroup(): void {
    if (this.buffered === 0) return;
    const columnData = this.columns.map((c, i) => ({ name: c.name, data: this.data[i]! as unknown[] }));
    void this.writer.write({ columnData: columnData as never, rowGroupSize: this.buffered }); // the file writer is synchronous
    this.rows += this.buffered;
    this.buffered = 0;
    for (let i = 0; i < this.data.length; i++) this.data[i] = [];
  }

  /** Writes the last row group and the footer; returns the file's size. */
  finish(): number {
    this.flushGroup();
    void this.writer.finish();
    return fs.statSync(this.file).size;
  }
}

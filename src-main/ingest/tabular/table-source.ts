// Any bill file as a table: a header, the first rows (for format detection), then the remaining rows in batches.
// CSV (plain or gzip) streams through our tokenizer; JSON documents and JSON lines flatten to dotted columns;
// Parquet streams row group by row group. Every cell arrives as text, so format detection and mapping see one shape.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { EngineError } from '../../engine/errors';
import { CsvReader, CsvSyntaxError } from '../csv-reader';
import { openTextSource } from '../file-source';
import { recordsOf, type JsonRecord } from './json-rows';
import { openParquetTable } from './parquet-table';

export type Container = 'csv' | 'json' | 'parquet';

export interface TableSource {
  container: Container;
  compressed: boolean;
  header: string[];
  /** The first rows (up to SAMPLE_ROWS), already consumed from `rest`. */
  sample: string[][];
  /** The remaining rows, in batches. */
  rest: AsyncIterable<string[][]>;
  /**
   * The remaining rows handed to `onRow` as they are parsed, yielding between chunks (CSV only). Rows then die
   * young: collected into batches they would outlive a scavenge and cost several times the garbage collection.
   * Use either this or `rest`.
   */
  stream?: (onRow: (cells: string[]) => void) => AsyncGenerator<void>;
  bytesRead(): number;
  totalBytes: number;
}

export const SAMPLE_ROWS = 200;

async function head(path: string, n: number): Promise<Buffer> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** First non-blank character of the decoded text (after a BOM), for JSON sniffing. */
function firstChar(buf: Buffer): string {
  const s = buf.toString('utf8').replace(/^\uFEFF/, '');
  const m = /\S/.exec(s);
  return m ? m[0] : '';
}

export async function openTable(path: string, name: string): Promise<TableSource> {
  let size: number;
  try {
    const st = await fs.promises.stat(path);
    if (st.isDirectory()) throw new EngineError('bad-file', `${name} is a folder, not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError('not-found', `${name}: file not found (${path})`);
  }
  if (size === 0) throw new EngineError('bad-file', `${name} is empty`);
  const peek = await head(path, 4096);
  if (peek.subarray(0, 4).toString('latin1') === 'PAR1') return openParquetTable(path, name, size);
  let text = peek;
  const gzip = peek[0] === 0x1f && peek[1] === 0x8b;
  if (gzip) {
    try {
      text = zlib.gunzipSync(peek, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      text = Buffer.alloc(0);
    }
  }
  const c = firstChar(text);
  if (c === '{' || c === '[') return openJsonTable(path, name);
  return openCsvTable(path, name);
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

async function openCsvTable(path: string, name: string): Promise<TableSource> {
  const source = await openTextSource(path, name);
  const iterator = source.chunks[Symbol.asyncIterator]();
  let header: string[] | null = null;
  let pending: string[][] = [];
  let rows = 0;
  let direct: ((cells: string[]) => void) | null = null;
  const reader = new CsvReader((fields) => {
    if (header === null) {
      header = fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h));
      return;
    }
    if (direct !== null) {
      rows++;
      direct(fields);
    } else pending.push(fields);
  });
  const syntax = (e: unknown): never => {
    if (e instanceof CsvSyntaxError) {
      throw new EngineError('bad-file', `${name} row ${rows + pending.length + 1}: ${e.message}`, { file: name, row: rows + pending.length + 1 });
    }
    throw e;
  };
  let ended = false;
  /** Read chunks until `want` rows are pending or the file ends. */
  /** Read and parse one more chunk (or finish at the end of the file). */
  const readChunk = async (): Promise<void> => {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      try {
        reader.end();
      } catch (e) {
        syntax(e);
      }
      return;
    }
    try {
      reader.push(next.value);
    } catch (e) {
      syntax(e);
    }
  };
  const fill = async (want: number): Promise<void> => {
    while (!ended && pending.length < want) await readChunk();
  };
  await fill(SAMPLE_ROWS);
  if (header === null) throw new EngineError('bad-file', `${name} is empty (no header row)`);
  const sample = pending.slice(0, SAMPLE_ROWS);
  pending = pending.slice(SAMPLE_ROWS);
  rows = sample.length;
  async function* rest(): AsyncGenerator<string[][]> {
    for (;;) {
      if (pending.length > 0) {
        const out = pending;
        pending = [];
        rows += out.length;
        yield out;
      }
      if (ended) return;
      await fill(1);
    }
  }
  async function* stream(onRow: (cells: string[]) => void): AsyncGenerator<void> {
    const left = pending;
    pending = [];
    for (const r of left) {
      rows++;
      onRow(r);
    }
    direct = onRow;
    while (!ended) {
      await readChunk();
      yield;
    }
  }
  return {
    container: 'csv',
    compressed: source.compressed,
    header: header as string[],
    sample,
    rest: rest(),
    stream,
    bytesRead: source.bytesRead,
    totalBytes: source.totalBytes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

/** Decoded lines of a (possibly gzipped) text file; `progress.bytes` follows the file bytes read. */
async function* lines(path: string, name: string, progress?: { bytes: number }): AsyncGenerator<string> {
  const source = await openTextSource(path, name);
  let carry = '';
  for await (const chunk of source.chunks) {
    if (progress) progress.bytes = source.bytesRead();
    const text = carry + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      yield text.slice(start, nl);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) yield carry;
}

async function readAllText(path: string, name: string): Promise<string> {
  const source = await openTextSource(path, name);
  const parts: string[] = [];
  for await (const c of source.chunks) parts.push(c);
  return parts.join('');
}

/**
 * JSON: one document (an API page or an array) is parsed whole — such exports are pages of at most a few thousand
 * results. JSON lines (BigQuery extracts, possibly gigabytes) stream, in two passes: the first collects every key
 * that occurs (BigQuery leaves null fields out, so the first rows do not show all columns), the second yields rows.
 */
async function openJsonTable(path: string, name: string): Promise<TableSource> {
  const size = (await fs.promises.stat(path)).size;
  const progress = { bytes: 0 };
  const firstLine = await (async () => {
    for await (const l of lines(path, name)) if (l.trim() !== '') return l.trim();
    return '';
  })();
  let isLines = false;
  try {
    JSON.parse(firstLine.replace(/^\uFEFF/, ''));
    isLines = true;
  } catch {
    isLines = false;
  }
  // a one-line document is both: treat a single line holding a page/array as a document
  if (isLines && /^\s*\[/.test(firstLine)) isLines = false;

  if (!isLines) {
    let value: unknown;
    try {
      value = JSON.parse((await readAllText(path, name)).replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new EngineError('bad-file', `${name}: not valid JSON (${(e as Error).message})`, { file: name });
    }
    const records = recordsOf(value);
    const header = keysOf(records);
    const rows = records.map((r) => header.map((h) => r[h] ?? ''));
    progress.bytes = size;
    return {
      container: 'json',
      compressed: false,
      header,
      sample: rows.slice(0, SAMPLE_ROWS),
      rest: (async function* () {
        for (let i = SAMPLE_ROWS; i < rows.length; i += 2048) yield rows.slice(i, i + 2048);
      })(),
      bytesRead: () => progress.bytes,
      totalBytes: size,
    };
  }

  const parseLine = (l: string, lineNo: number): JsonRecord[] => {
    try {
      return recordsOf(JSON.parse(l));
    } catch (e) {
      throw new EngineError('bad-file', `${name} line ${lineNo}: not valid JSON (${(e as Error).message})`, { file: name, row: lineNo });
    }
  };
  const keys = new Map<string, number>();
  let lineNo = 0;
  for await (const l of lines(path, name)) {
    lineNo++;
    if (l.trim() === '') continue;
    for (const r of parseLine(l, lineNo)) for (const k of Object.keys(r)) if (!keys.has(k)) keys.set(k, keys.size);
  }
  const header = [...keys.keys()];
  const gen = (async function* (): AsyncGenerator<string[][]> {
    let batch: string[][] = [];
    let n = 0;
    for await (const l of lines(path, name, progress)) {
      n++;
      if (l.trim() === '') continue;
      for (const r of parseLine(l, n)) batch.push(header.map((h) => r[h] ?? ''));
      if (batch.length >= 2048) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  })();
  // take the sample from the front of the stream
  const sample: string[][] = [];
  let carry: string[][] = [];
  for (;;) {
    if (sample.length >= SAMPLE_ROWS) break;
    const next = await gen.next();
    if (next.done) break;
    const room = SAMPLE_ROWS - sample.length;
    sample.push(...next.value.slice(0, room));
    carry = next.value.slice(room);
  }
  return {
    container: 'json',
    compressed: false,
    header,
    sample,
    rest: (async function* () {
      if (carry.length > 0) yield carry;
      yield* gen;
    })(),
    bytesRead: () => progress.bytes,
    totalBytes: size,
  };
}

function keysOf(records: readonly JsonRecord[]): string[] {
  const keys = new Map<string, number>();
  for (const r of records) for (const k of Object.keys(r)) if (!keys.has(k)) keys.set(k, keys.size);
  return [...keys.keys()];
}

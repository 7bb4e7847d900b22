// Parquet as a table of text cells, read one row group at a time with hyparquet (pure JS; snappy built in, gzip,
// zstd, brotli and lz4 from hyparquet-compressors). Structs flatten to dotted columns (`usage.amount`), maps and
// lists become JSON text (CUR 2.0 `resource_tags`), timestamps FOCUS date/times, decimals exact decimal text.
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { FileMetaData, SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EngineError } from '../../engine/errors';
import { decText } from '../formats/values';
import type { TableSource } from './table-source';

const SAMPLE_ROWS = 200;

type Leaf = { path: string[]; name: string; toText: (v: unknown) => string };

function iso(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('.000Z', 'Z');
}

const parsers = {
  timestampFromMilliseconds: (v: bigint) => iso(Number(v)),
  timestampFromMicroseconds: (v: bigint) => iso(Number(v / 1000n)),
  timestampFromNanoseconds: (v: bigint) => iso(Number(v / 1000000n)),
  dateFromDays: (d: number) => iso(d * 86400000),
};

function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x));
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : '';
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v instanceof Date) return iso(v.getTime());
      if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
      return jsonText(v);
  }
}

/** Decimal text of a DECIMAL(p, s) value, which hyparquet hands over as a float: recover the unscaled integer. */
function decimalText(scale: number): (v: unknown) => string {
  const factor = 10 ** scale;
  return (v) => {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return scalarText(v);
    const unscaled = Math.round(v * factor);
    if (!Number.isSafeInteger(unscaled)) return String(v);
    return decText({ coef: BigInt(unscaled), scale });
  };
}

/** Leaf columns of the schema: structs expand, maps/lists stay one JSON cell. */
function leaves(tree: SchemaTree): Leaf[] {
  const out: Leaf[] = [];
  const walk = (node: SchemaTree, path: string[]): void => {
    const el = node.element;
    const isGroup = node.children.length > 0;
    const ctype = el.converted_type;
    const ltype = el.logical_type?.type;
    const isMapOrList = ctype === 'MAP' || ctype === 'MAP_KEY_VALUE' || ctype === 'LIST' || ltype === 'MAP' || ltype === 'LIST';
    const repeated = el.repetition_type === 'REPEATED';
    if (isGroup && !isMapOrList && !repeated) {
      for (const c of node.children) walk(c, [...path, c.element.name]);
      return;
    }
    let toText: (v: unknown) => string = scalarText;
    if (isGroup || repeated) toText = (v) => (v === null || v === undefined ? '' : jsonText(mapToObject(v)));
    else if (ctype === 'DECIMAL') toText = decimalText(el.scale ?? 0);
    out.push({ path, name: path.join('.'), toText });
  };
  for (const c of tree.children) walk(c, [c.element.name]);
  return out;
}

/** hyparquet reads MAP columns as objects already; key/value entry lists (older writers) become objects too. */
function mapToObject(v: unknown): unknown {
  if (Array.isArray(v) && v.every((e) => e && typeof e === 'object' && 'key' in e && 'value' in e)) {
    return Object.fromEntries((v as { key: unknown; value: unknown }[]).map((e) => [String(e.key), e.value]));
  }
  return v;
}

function rowAt(readers: ((r: number) => string)[], r: number): string[] {
  const cells = new Array<string>(readers.length);
  for (let c = 0; c < readers.length; c++) cells[c] = readers[c]!(r);
  return cells;
}

/** What a decoded column array holds (text or numbers, with nulls), judged by its first non-null values. */
function columnKind(arr: ArrayLike<unknown>): 'string' | 'number' | 'other' {
  let kind: 'string' | 'number' | 'other' | null = null;
  let seen = 0;
  for (let i = 0; i < arr.length && seen < 64; i++) {
    const v: unknown = arr[i];
    if (v === null || v === undefined) continue;
    const k = typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'other';
    if (kind !== null && k !== kind) return 'other';
    kind = k;
    seen++;
  }
  return kind ?? 'string';
}

function get(row: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = row[path[0]!];
  for (let i = 1; i < path.length && v !== null && v !== undefined; i++) v = (v as Record<string, unknown>)[path[i]!];
  return v;
}

export async function openParquetTable(path: string, name: string, size: number): Promise<TableSource> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new EngineError('bad-file', `${name}: not a readable Parquet file (${(e as Error).message})`, { file: name });
  }
  const cols = leaves(parquetSchema(metadata));
  const header = cols.map((c) => c.name);
  const groups = metadata.row_groups.map((g) => Number(g.num_rows));
  const groupBytes = metadata.row_groups.map((g) => Number(g.total_compressed_size ?? g.total_byte_size ?? 0));
  const totalGroupBytes = groupBytes.reduce((a, b) => a + b, 0) || 1;
  let bytes = 0;

  /**
   * One row group as column arrays (numbers stay in typed arrays, dictionary strings shared), never as row objects:
   * a 120,000-row group of 57 columns as objects would take over a gigabyte. Rows are made as text a slice at a time.
   */
  const readGroup = async (start: number, end: number): Promise<Map<string, ArrayLike<unknown>>> => {
    const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    try {
      await parquetRead({
        file,
        metadata,
        rowStart: start,
        rowEnd: end,
        compressors,
        parsers,
        onChunk: (c) => {
          const list = chunks.get(c.columnName) ?? [];
          list.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<unknown> });
          chunks.set(c.columnName, list);
        },
      });
    } catch (e) {
      throw new EngineError('bad-file', `${name}: Parquet rows ${start + 1}–${end} cannot be read (${(e as Error).message})`, { file: name, row: start + 1 });
    }
    const columns = new Map<string, ArrayLike<unknown>>();
    for (const [col, list] of chunks) {
      list.sort((a, b) => a.rowStart - b.rowStart);
      if (list.length === 1 && list[0]!.rowStart === start) {
        columns.set(col, list[0]!.data);
        continue;
      }
      const all = new Array<unknown>(end - start);
      for (const c of list) {
        for (let i = 0; i < c.data.length; i++) {
          const at = c.rowStart - start + i;
          if (at >= 0 && at < all.length) all[at] = c.data[i];
        }
      }
      columns.set(col, all);
    }
    return columns;
  };

  /**
   * One text reader per column for a row group, chosen once by what the column array holds, so the per-cell loop
   * does no type dispatch: plain strings pass through, numbers become their shortest text, anything else (nested
   * paths, decimals, maps) takes its leaf's converter.
   */
  const readersOf = (columns: Map<string, ArrayLike<unknown>>): ((r: number) => string)[] =>
    cols.map((col) => {
      const arr = columns.get(col.path[0]!);
      if (arr === undefined) return () => '';
      if (col.path.length > 1) return (r: number) => col.toText(get({ [col.path[0]!]: arr[r] }, col.path));
      if (col.toText !== scalarText) return (r: number) => col.toText(arr[r]);
      if (arr instanceof Float64Array || arr instanceof Float32Array || arr instanceof Int32Array) {
        const nums = arr;
        return (r: number) => {
          const v = nums[r]!;
          return Number.isFinite(v) ? String(v) : '';
        };
      }
      const kind = columnKind(arr);
      if (kind === 'string') {
        return (r: number) => {
          const v: unknown = arr[r];
          return typeof v === 'string' ? v : scalarText(v);
        };
      }
      if (kind === 'number') {
        return (r: number) => {
          const v: unknown = arr[r];
          return typeof v === 'number' && Number.isFinite(v) ? String(v) : scalarText(v);
        };
      }
      return (r: number) => scalarText(arr[r]);
    });

  const rowsOf = (columns: Map<string, ArrayLike<unknown>>, from: number, to: number): string[][] => {
    const readers = readersOf(columns);
    const rows = new Array<string[]>(to - from);
    for (let r = from; r < to; r++) rows[r - from] = rowAt(readers, r);
    return rows;
  };

  const SLICE = 4096;
  let offset = 0;
  let first: Map<string, ArrayLike<unknown>> | null = null;
  let sample: string[][] = [];
  if (groups.length > 0) {
    first = await readGroup(0, groups[0]!);
    bytes += (groupBytes[0]! / totalGroupBytes) * size;
    sample = rowsOf(first, 0, Math.min(SAMPLE_ROWS, groups[0]!));
  }
  /** Row group g (n rows) as columns: the first was read already for the sample. */
  const groupAt = async (g: number, n: number): Promise<Map<string, ArrayLike<unknown>>> => {
    if (g === 0) {
      const columns = first!;
      first = null;
      return columns;
    }
    const columns = await readGroup(offset, offset + n);
    bytes += (groupBytes[g]! / totalGroupBytes) * size;
    return columns;
  };
  async function* rest(): AsyncGenerator<string[][]> {
    for (let g = 0; g < groups.length; g++) {
      const n = groups[g]!;
      const columns = await groupAt(g, n);
      // hand rows over in slices so the encoder's batches and backpressure keep their rhythm
      for (let i = g === 0 ? Math.min(SAMPLE_ROWS, n) : 0; i < n; i += SLICE) yield rowsOf(columns, i, Math.min(n, i + SLICE));
      offset += n;
    }
  }
  /** Rows built one at a time and handed straight on, so none outlives the young generation. */
  async function* stream(onRow: (cells: string[]) => void): AsyncGenerator<void> {
    for (let g = 0; g < groups.length; g++) {
      const n = groups[g]!;
      const columns = await groupAt(g, n);
      const readers = readersOf(columns);
      for (let r = g === 0 ? Math.min(SAMPLE_ROWS, n) : 0; r < n; r++) {
        const cells = rowAt(readers, r);
        onRow(cells);
        if ((r & 4095) === 4095) yield;
      }
      offset += n;
      yield;
    }
  }
  return {
    container: 'parquet',
    stream,
    compressed: true,
    header,
    sample,
    rest: rest(),
    bytesRead: () => Math.min(size, Math.round(bytes)),
    totalBytes: size,
  };
}

// explore.export: the Cost and Usage rows of a view's scope (date range + filters, as explore.rows reads them) written
// to disk as one FOCUS CSV file or a Hive-partitioned Parquet folder, or the view's grouped totals as CSV. Everything
// is written under a temporary name and renamed into place at the end, so a target is never half-written. Runs in an
// export worker of its own (workers/export-worker.ts): queries keep answering while it writes, and it reports progress
// and stops when cancelled, between pages.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportOutput, ParsedInput } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { formatNanos } from '../ingest/decimal';
import { dayFromIso, isoDateTime, isoMonth } from '../ingest/datetime';
import type { Db } from '../store/workspace';
import { allocationExport, type AllocationExport } from './export-allocation';
import { CsvFile, csvField, writeFocusCsv } from './export-csv';
import { ParquetPartFile } from './export-parquet';
import { extraColumns, FOCUS_EXPORT_COLUMNS, readPages, scopeParts, type ExportColumn, type ExportValue } from './export-rows';
import { DictLookup, keyExpr, resolveColumn, whereSql, type SqlParts } from './scope';

type ExportInput = ParsedInput<'explore.export'>;

export interface ExportProgress {
  rows: number;
  totalRows: number;
  bytes: number;
}

export interface ExportHooks {
  /** The temporary file or folder about to be written: whoever supervises the thread removes it if the thread dies. */
  started?(tmp: string): void;
  /** After each page of rows. */
  progress?(p: ExportProgress): void;
  /** Checked between pages; true stops the export with the error code 'cancelled' and removes what it wrote. */
  cancelled?(): boolean;
}

export function exportView(db: Db, input: ExportInput, hooks: ExportHooks = {}): ExportOutput {
  const t0 = performance.now();
  const target = path.resolve(input.path);
  if (input.groupBy.length > 0 && input.format !== 'csv') {
    throw new EngineError('bad-input', 'a grouped export (groupBy) is written as CSV only: use format csv, or drop groupBy to export the rows as Parquet');
  }
  if (input.allocation && input.groupBy.length > 0) {
    throw new EngineError(
      'bad-input',
      `an export with an allocation writes rows, not grouped totals: drop groupBy, or group by x_${input.allocation.dimension.replace(/^x_/i, '')} on the Overview (or see the showback) for totals per target`,
    );
  }
  const alloc = input.allocation ? allocationExport(db, input.allocation.dimension) : null;
  checkTarget(target, input.format, input.overwrite);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  hooks.started?.(tmp);
  try {
    const dict = new DictLookup(db);
    const parts = scopeParts(db, input, dict);
    const meter = new Meter(hooks, scopeRowCount(db, input, parts));
    let result: { rows: number; bytes: number; files: string[] };
    if (input.format === 'csv') {
      const r = input.groupBy.length > 0 ? writeGroupedCsv(db, tmp, input.groupBy, parts, dict) : writeRowsCsv(db, tmp, parts, meter, alloc);
      result = { ...r, files: [target] };
    } else {
      fs.mkdirSync(tmp);
      result = writeParquetFolder(db, tmp, parts, meter, alloc);
      result.files = result.files.map((f) => path.join(target, path.relative(tmp, f)));
    }
    meter.check();
    // progress counts the rows read (a split row is one row of the workspace, whatever it became)
    const read = alloc ? meter.rows : result.rows;
    hooks.progress?.({ rows: read, totalRows: Math.max(meter.totalRows, read), bytes: result.bytes });
    replaceTarget(tmp, target);
    return {
      path: target,
      files: result.files,
      rows: result.rows,
      ...(alloc ? { originRows: meter.rows } : {}),
      bytes: result.bytes,
      seconds: Math.round(performance.now() - t0) / 1000,
    };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A hidden sibling of the target: the final rename stays on one file system, so it is atomic. */
export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.export-${process.pid}-${Date.now()}`);
}

/** Rows the export will read: the daily rollup knows it for a date range alone; filters need a count of the rows. */
function scopeRowCount(db: Db, input: ExportInput, parts: SqlParts): number {
  if (input.filters.length === 0) {
    const where = ['dim = 0'];
    const params: number[] = [];
    if (input.from) {
      where.push('day >= ?');
      params.push(dayFromIso(input.from));
    }
    if (input.to) {
      where.push('day <= ?');
      params.push(dayFromIso(input.to));
    }
    return Number(db.prepare(`SELECT coalesce(sum(rows), 0) FROM rollup_dim WHERE ${where.join(' AND ')}`).pluck().get(...params));
  }
  return Number(db.prepare(`SELECT count(*) FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)}`).pluck().get(...parts.params));
}

class ExportCancelled extends EngineError {
  constructor() {
    super('cancelled', 'The export was cancelled; nothing was written.');
  }
}

/** Counts rows page by page for the progress hook and stops the export between pages when it is cancelled. */
class Meter {
  rows = 0;
  /** Bytes of finished files; the file being written adds its current size. */
  doneBytes = 0;
  current: string | null = null;
  constructor(
    private readonly hooks: ExportHooks,
    readonly totalRows: number,
  ) {}
  check(): void {
    if (this.hooks.cancelled?.()) throw new ExportCancelled();
  }
  /** Wraps a page source: each page is counted once the writer has taken it and asked for the next. */
  *pages(source: Iterable<ExportValue[][]>): Generator<ExportValue[][]> {
    for (const page of source) {
      this.check();
      yield page;
      this.rows += page.length;
      if (this.hooks.progress) {
        let size = 0;
        try {
          if (this.current) size = fs.statSync(this.current).size;
        } catch {
          // not created yet
        }
        this.hooks.progress({ rows: this.rows, totalRows: Math.max(this.totalRows, this.rows), bytes: this.doneBytes + size });
      }
    }
    this.check();
  }
}

/** Refuses to replace an existing file or a non-empty folder unless the caller said overwrite. */
function checkTarget(target: string, format: 'csv' | 'parquet', overwrite: boolean): void {
  if (!fs.existsSync(target)) return;
  const st = fs.statSync(target);
  if (format === 'csv' && st.isDirectory()) throw new EngineError('bad-input', `${target} is a folder: give a file name for a CSV export`);
  if (format === 'parquet' && !st.isDirectory()) throw new EngineError('bad-input', `${target} is a file: a Parquet export is a folder (one file per billing period)`);
  if (overwrite) return;
  if (format === 'csv') throw new EngineError('exists', `${target} already exists: choose another path, or overwrite it (--overwrite)`);
  if (fs.readdirSync(target).length > 0) {
    throw new EngineError('exists', `the folder ${target} is not empty: choose an empty or new folder, or overwrite it (--overwrite)`);
  }
}

/** Moves the finished temp file/folder onto the target: a file by one atomic rename, a folder by removing the old one first. */
function replaceTarget(tmp: string, target: string): void {
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(tmp, target);
}

function writeRowsCsv(db: Db, file: string, parts: SqlParts, meter: Meter, alloc: AllocationExport | null): { rows: number; bytes: number } {
  const columns = [...FOCUS_EXPORT_COLUMNS, ...extraColumns(db, parts)];
  meter.current = file;
  if (!alloc) return writeFocusCsv(file, columns, meter.pages(readPages(db, parts, columns)));
  const read = alloc.readColumns(columns);
  return writeFocusCsv(file, [...read, alloc.column], alloc.expand(read, meter.pages(readPages(db, parts, read, {}, alloc.tail))));
}

interface Partition {
  month: number;
  starts: number[];
  minRowid: number | null;
  maxRowid: number | null;
}

/**
 * Billing periods by month, with the rowid span of the files holding them: each partition reads only its files'
 * rows (files are contiguous rowid ranges), not the whole table once per month.
 */
function partitions(db: Db): Partition[] {
  const rows = db
    .prepare(
      `SELECT pk.billing_period_start AS start, min(f.first_rowid) AS lo, max(f.last_rowid) AS hi, count(*) - count(f.first_rowid) AS unknown
       FROM file_period fp JOIN period_key pk ON pk.id = fp.period_key JOIN import_file f ON f.id = fp.file_id
       GROUP BY 1 ORDER BY 1`,
    )
    .all() as { start: number; lo: number | null; hi: number | null; unknown: number }[];
  const byMonth = new Map<number, Partition>();
  for (const r of rows) {
    const d = new Date(r.start * 1000);
    const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const p = byMonth.get(month) ?? { month, starts: [], minRowid: r.lo, maxRowid: r.hi };
    p.starts.push(r.start);
    // a file without a recorded span: scan everything for this month
    if (r.unknown > 0 || r.lo === null || r.hi === null || p.minRowid === null || p.maxRowid === null) {
      p.minRowid = null;
      p.maxRowid = null;
    } else {
      p.minRowid = Math.min(p.minRowid, r.lo);
      p.maxRowid = Math.max(p.maxRowid, r.hi);
    }
    byMonth.set(month, p);
  }
  return [...byMonth.values()];
}

function writeParquetFolder(db: Db, dir: string, parts: SqlParts, meter: Meter, alloc: AllocationExport | null): { rows: number; bytes: number; files: string[] } {
  const all: ExportColumn[] = [...FOCUS_EXPORT_COLUMNS, ...extraColumns(db, parts)];
  const read = alloc ? alloc.readColumns(all) : all;
  const columns = alloc ? [...read, alloc.column] : all;
  const files: string[] = [];
  let rows = 0;
  let bytes = 0;
  for (const p of partitions(db)) {
    const range = {
      where: [`r."BillingPeriodStart" IN (${p.starts.map(() => '?').join(', ')})`],
      params: p.starts,
      ...(p.minRowid !== null && p.maxRowid !== null ? { minRowid: p.minRowid, maxRowid: p.maxRowid } : {}),
    };
    let part: ParquetPartFile | null = null;
    const pages = meter.pages(readPages(db, parts, read, range, alloc?.tail ?? []));
    for (const page of alloc ? alloc.expand(read, pages) : pages) {
      if (!part) {
        // created on the first matching row: a filtered export has no empty partitions
        const folder = path.join(dir, `BillingPeriod=${isoMonth(p.month)}`);
        fs.mkdirSync(folder);
        part = new ParquetPartFile(path.join(folder, 'part-00000.parquet'), columns);
        meter.current = part.file;
      }
      part.add(page);
    }
    if (part) {
      bytes += part.finish();
      rows += part.rows;
      files.push(part.file);
      meter.doneBytes = bytes;
      meter.current = null;
    }
  }
  return { rows, bytes, files };
}

/**
 * The view's grouped table: per BillingCurrency (amounts in different currencies are never added) and group keys, the
 * four cost sums as exact decimals and the row count. Groups are as many as distinct key combinations, not rows.
 */
function writeGroupedCsv(db: Db, file: string, groupBy: string[], scope: SqlParts, dict: DictLookup): { rows: number; bytes: number } {
  const refs = groupBy.map(resolveColumn).filter((g) => !(g.kind === 'column' && g.name === 'BillingCurrency'));
  for (const g of refs) {
    if (g.kind === 'column' && g.storage !== 'text' && g.storage !== 'time') {
      throw new EngineError('bad-input', `cannot group by ${g.name}: it is a number, not a dimension`);
    }
  }
  const parts: SqlParts = { joins: [...scope.joins], where: [...scope.where], params: [] };
  const keys = refs.map((g) => (g.kind === 'column' && g.storage === 'time' ? `r."${g.name}"` : keyExpr(g, 'cost_usage', 'r', dict, parts)));
  const sums = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'].map((m) => `sum(coalesce(r."${m}", 0))`);
  const select = ['coalesce(r."BillingCurrency", 0)', ...keys];
  const sql = `SELECT ${[...select, ...sums, 'count(*)'].join(', ')} FROM cost_usage r ${parts.joins.join(' ')} ${whereSql(parts)}
    GROUP BY ${select.map((_, i) => i + 1).join(', ')} ORDER BY ${select.map((_, i) => i + 1).join(', ')}`;
  // key joins (tags) come before the scope's parameters in the SQL text, but keyExpr binds none, so the order holds
  const raw = db.prepare(sql).raw().safeIntegers(true).all(...scope.params) as unknown[][];
  const ids: number[] = [];
  for (const r of raw) {
    ids.push(Number(r[0]));
    refs.forEach((g, i) => {
      if (g.kind === 'tag' || (g.kind === 'column' && g.storage === 'text')) ids.push(Number(r[i + 1] ?? 0));
    });
  }
  const names = dict.values(ids);
  const out = new CsvFile(file);
  try {
    out.line(['BillingCurrency', ...refs.map((g) => g.label), 'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'Rows'].map(csvField));
    for (const r of raw) {
      const keyText = refs.map((g, i) => {
        const v = r[i + 1];
        if (v === null || v === undefined) return '';
        if (g.kind === 'column' && g.storage === 'time') return isoDateTime(Number(v));
        if (g.kind === 'json') return csvField(String(v));
        return csvField(names.get(Number(v)) ?? '');
      });
      const n = refs.length + 1;
      out.line([
        csvField(names.get(Number(r[0])) ?? ''),
        ...keyText,
        ...[0, 1, 2, 3].map((j) => formatNanos(r[n + j] as bigint)),
        String(r[n + 4]),
      ]);
    }
    out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
  return { rows: raw.length, bytes: fs.statSync(file).size };
}

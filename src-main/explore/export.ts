// explore.export: the Cost and Usage rows of a view's scope (date range + filters, as explore.rows reads them) written
// to disk as one FOCUS CSV file or a Hive-partitioned Parquet folder, or the view's grouped totals as CSV. Everything
// is written under a temporary name and renamed into place at the end, so a target is never half-written.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportOutput, ParsedInput } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { formatNanos } from '../ingest/decimal';
import { isoDateTime, isoMonth } from '../ingest/datetime';
import type { Db } from '../store/workspace';
import { CsvFile, csvField, writeFocusCsv } from './export-csv';
import { ParquetPartFile } from './export-parquet';
import { extraColumns, FOCUS_EXPORT_COLUMNS, readPages, scopeParts, type ExportColumn } from './export-rows';
import { DictLookup, keyExpr, resolveColumn, whereSql, type SqlParts } from './scope';

type ExportInput = ParsedInput<'explore.export'>;

export function exportView(db: Db, input: ExportInput): ExportOutput {
  const t0 = performance.now();
  const target = path.resolve(input.path);
  if (input.groupBy.length > 0 && input.format !== 'csv') {
    throw new EngineError('bad-input', 'a grouped export (groupBy) is written as CSV only: use format csv, or drop groupBy to export the rows as Parquet');
  }
  checkTarget(target, input.format, input.overwrite);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.export-${process.pid}-${Date.now()}`);
  try {
    const dict = new DictLookup(db);
    const parts = scopeParts(db, input, dict);
    let result: { rows: number; bytes: number; files: string[] };
    if (input.format === 'csv') {
      const r = input.groupBy.length > 0 ? writeGroupedCsv(db, tmp, input.groupBy, parts, dict) : writeRowsCsv(db, tmp, parts);
      result = { ...r, files: [target] };
    } else {
      fs.mkdirSync(tmp);
      result = writeParquetFolder(db, tmp, parts);
      result.files = result.files.map((f) => path.join(target, path.relative(tmp, f)));
    }
    replaceTarget(tmp, target);
    return { path: target, files: result.files, rows: result.rows, bytes: result.bytes, seconds: Math.round(performance.now() - t0) / 1000 };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
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

function writeRowsCsv(db: Db, file: string, parts: SqlParts): { rows: number; bytes: number } {
  const columns = [...FOCUS_EXPORT_COLUMNS, ...extraColumns(db, parts)];
  return writeFocusCsv(file, columns, readPages(db, parts, columns));
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

function writeParquetFolder(db: Db, dir: string, parts: SqlParts): { rows: number; bytes: number; files: string[] } {
  const columns: ExportColumn[] = [...FOCUS_EXPORT_COLUMNS, ...extraColumns(db, parts)];
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
    for (const page of readPages(db, parts, columns, range)) {
      if (!part) {
        // created on the first matching row: a filtered export has no empty partitions
        const folder = path.join(dir, `BillingPeriod=${isoMonth(p.month)}`);
        fs.mkdirSync(folder);
        part = new ParquetPartFile(path.join(folder, 'part-00000.parquet'), columns);
      }
      part.add(page);
    }
    if (part) {
      bytes += part.finish();
      rows += part.rows;
      files.push(part.file);
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

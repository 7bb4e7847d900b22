// One import job: files of one delivery, stored all-or-nothing in a single transaction. Runs in the import worker,
// which owns the write connection; each file is parsed in its own parse worker while this thread stores batches.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type {
  ConformanceReport,
  ImportFileResult,
  ImportMode,
  ImportOutcome,
  ImportProgress,
  ApplicabilitySettings,
  MappingTemplate,
  PeriodOverlap,
  SnapshotReport,
} from '../../src-shared/api/contract';
import { EngineError, toApiError } from '../engine/errors';
import { rebuildRollups } from '../store/rollups';
import { rebuildZones } from '../store/row-zones';
import type { Db } from '../store/workspace';
import { spawnWorker } from '../workers/worker-url';
import { CostWriter } from './cost-writer';
import { DatasetWriter } from './datasets/dataset-writer';
import { isoDateTime } from './datetime';
import { findSnapshots, folderOf } from './snapshots';
import type { RowSample } from './row-sample';
import type { ParseControl, ParseMessage, ParseRequest } from './parse-protocol';

export interface ImportFileInput {
  path: string;
  /** Display name (the original file name for uploads). */
  name: string;
}

export interface ImportJobHooks {
  progress(p: Omit<ImportProgress, 'jobId'>): void;
  cancelled(): boolean;
}

export interface ImportJobOptions {
  /** Snapshot folders an export manifest names as current (see snapshots.ts). */
  preferredSnapshots?: readonly string[];
  /** Saved mapping templates (a file with a matching header is read with one). */
  templates?: MappingTemplate[];
  /** Applicability criteria the user set per provider. */
  applicability?: ApplicabilitySettings;
}

class Cancelled extends Error {}

export async function sha256File(path: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const EDGE = 64 * 1024;

/**
 * A cheap stand-in for the content hash: size plus the first and last 64 KB. Different fingerprints mean different
 * content, so a new file can start importing at once while its full SHA-256 is computed alongside; only a
 * fingerprint seen before needs the full hash up front to tell "unchanged" from "changed in the middle".
 */
export async function fingerprintFile(path: string, size: number): Promise<string> {
  const hash = crypto.createHash('sha256');
  hash.update(String(size));
  const fh = await fs.promises.open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(EDGE, size));
    await fh.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > EDGE) {
      const tail = Buffer.alloc(Math.min(EDGE, size - EDGE));
      await fh.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

interface FilePlan {
  input: ImportFileInput;
  bytes: number;
  mtimeMs: number;
  fingerprint: string;
  /** Known before importing when the fingerprint was seen before; else computed while the file imports. */
  sha: string | Promise<string>;
  unchanged: boolean;
}

export async function runImportJob(
  db: Db,
  files: ImportFileInput[],
  mode: ImportMode,
  hooks: ImportJobHooks,
  options: ImportJobOptions = {},
): Promise<ImportOutcome> {
  const started = Date.now();
  const plans: FilePlan[] = [];
  const activeSha = db.prepare('SELECT 1 FROM import_file WHERE sha256 = ? AND active = 1 LIMIT 1').pluck();
  const activeFingerprint = db.prepare('SELECT 1 FROM import_file WHERE fingerprint = ? AND active = 1 LIMIT 1').pluck();
  const seen = new Set<string>();
  const seenFingerprints = new Set<string>();
  for (const input of files) {
    let bytes: number;
    let mtimeMs: number;
    try {
      const st = await fs.promises.stat(input.path);
      bytes = st.size;
      mtimeMs = st.mtimeMs;
    } catch {
      return failed(new EngineError('not-found', `${input.name}: file not found (${input.path})`));
    }
    const fingerprint = await fingerprintFile(input.path, bytes);
    if (activeFingerprint.get(fingerprint) === undefined && !seenFingerprints.has(fingerprint)) {
      seenFingerprints.add(fingerprint);
      const sha = sha256File(input.path);
      sha.catch(() => undefined); // awaited before commit; a read error fails the import there
      plans.push({ input, bytes, mtimeMs, fingerprint, sha, unchanged: false });
      continue;
    }
    const sha = await sha256File(input.path);
    for (const p of plans) seen.add(await p.sha);
    // the same content twice in one job, or already imported: nothing to do for that file
    const unchanged = seen.has(sha) || activeSha.get(sha) !== undefined;
    seen.add(sha);
    seenFingerprints.add(fingerprint);
    plans.push({ input, bytes, mtimeMs, fingerprint, sha, unchanged });
  }

  const results: ImportFileResult[] = [];
  const toImport = plans.filter((p) => !p.unchanged);
  if (toImport.length === 0) {
    for (const p of plans) results.push(unchangedResult(db, p));
    return { status: 'done', files: results, seconds: (Date.now() - started) / 1000 };
  }

  const totalBytes = toImport.reduce((s, p) => s + p.bytes, 0);
  db.exec('BEGIN IMMEDIATE');
  try {
    const now = new Date().toISOString();
    const jobId = Number(
      db.prepare('INSERT INTO import_job (started_at, finished_at, mode) VALUES (?, ?, ?)').run(now, now, mode)
        .lastInsertRowid,
    );
    const firstNewFileId =
      ((db.prepare('SELECT max(id) FROM import_file').pluck().get() as number | null) ?? 0) + 1;
    const writer = new CostWriter(db);
    // only files with siblings in their folder can be loose snapshot copies; fingerprinting costs ~0.7 µs a row
    const perFolder = new Map<string, number>();
    for (const p of toImport) perFolder.set(folderOf(p.input.name), (perFolder.get(folderOf(p.input.name)) ?? 0) + 1);
    const perFile: {
      plan: FilePlan;
      fileId: number;
      rows: number;
      version: string;
      format: string;
      dataset: ImportFileResult['dataset'];
      replacedRows: number;
      report: ConformanceReport;
      sample: RowSample | undefined;
    }[] = [];
    let bytesBefore = 0;
    let rowsBefore = 0;
    for (let i = 0; i < toImport.length; i++) {
      const plan = toImport[i]!;
      const settings = {
        templates: options.templates ?? [],
        applicability: options.applicability ?? {},
        sampleRows: (perFolder.get(folderOf(plan.input.name)) ?? 0) > 1,
      };
      const r = await importOneFile(db, writer, jobId, plan, settings, {
        onProgress: (bytes, rows) => {
          const elapsed = (Date.now() - started) / 1000;
          const doneBytes = bytesBefore + bytes;
          const rate = elapsed > 0 ? doneBytes / elapsed : 0;
          hooks.progress({
            file: plan.input.name,
            fileIndex: i,
            fileCount: toImport.length,
            phase: 'reading',
            bytes: doneBytes,
            totalBytes,
            rows: rowsBefore + rows,
            rowsPerSec: elapsed > 0 ? (rowsBefore + rows) / elapsed : 0,
            etaSec: rate > 0 ? Math.max(0, (totalBytes - doneBytes) / rate) : null,
          });
        },
        cancelled: hooks.cancelled,
      });
      bytesBefore += plan.bytes;
      rowsBefore += r.rows;
      perFile.push({ plan, ...r });
    }
    if (hooks.cancelled()) throw new Cancelled();
    hooks.progress({
      file: toImport[toImport.length - 1]!.input.name,
      fileIndex: toImport.length - 1,
      fileCount: toImport.length,
      phase: 'indexing',
      bytes: totalBytes,
      totalBytes,
      rows: rowsBefore,
      rowsPerSec: rowsBefore / Math.max((Date.now() - started) / 1000, 0.001),
      etaSec: null,
    });

    // Snapshots: the same month delivered again in this delivery (another folder, or a later file beside it) counts
    // once, from the latest.
    const filePeriods = db.prepare('SELECT period_key, max_day FROM file_period WHERE file_id = ?');
    const snapshotGroups = findSnapshots(
      perFile
        .filter((f) => f.dataset === 'CostAndUsage')
        .map((f) => {
          const periods = filePeriods.all(f.fileId) as { period_key: number; max_day: number }[];
          return {
            id: f.fileId,
            name: f.plan.input.name,
            mtimeMs: f.plan.mtimeMs,
            periodKeys: periods.map((p) => p.period_key),
            maxDay: Math.max(0, ...periods.map((p) => p.max_day)),
            rows: f.rows,
            ...(f.sample ? { sample: f.sample } : {}),
          };
        }),
      options.preferredSnapshots ?? [],
    );
    const superseded = new Set(snapshotGroups.flatMap((g) => g.dropped));
    for (const fileId of superseded) dropSnapshot(db, fileId, writer.periodRows);
    const snapshots: SnapshotReport[] = snapshotGroups.map((g) => {
      const kept = perFile.filter((f) => g.kept.includes(f.fileId));
      const k = db
        .prepare('SELECT invoice_issuer AS i, billing_account AS a, billing_period_start AS s FROM period_key WHERE id IN (SELECT value FROM json_each(?)) ORDER BY s')
        .all(JSON.stringify(g.periodKeys)) as { i: string; a: string; s: number }[];
      return {
        periods: k.map((x) => ({ invoiceIssuer: x.i, billingAccountId: x.a, billingPeriodStart: isoDateTime(x.s) })),
        copies: g.copies,
        unit: g.unit,
        keptFolder: g.folders[0]!,
        keptFiles: kept.map((f) => f.plan.input.name),
        droppedFiles: perFile.filter((f) => g.dropped.includes(f.fileId)).map((f) => f.plan.input.name),
      };
    });

    // Restated periods: the delivery covers billing periods the workspace already holds.
    const overlaps = findOverlaps(db, writer.periodRows, firstNewFileId);
    let action: ImportFileResult['action'] = 'imported';
    if (overlaps.length > 0) {
      if (mode === 'ask') {
        db.exec('ROLLBACK');
        return { status: 'overlap', overlaps };
      }
      if (mode === 'replace') {
        replacePeriods(db, [...writer.periodRows.keys()], firstNewFileId, writer.minDay, writer.maxDay);
        action = 'replaced-periods';
      } else {
        applyOrRebuild(db, writer, superseded.size > 0);
        action = 'appended';
      }
    } else {
      applyOrRebuild(db, writer, superseded.size > 0);
    }

    const finishedAt = new Date().toISOString();
    const updateFile = db.prepare('UPDATE import_file SET action = ?, rows = ?, conformance = ?, pass = ?, fail = ?, skip = ?, sha256 = ? WHERE id = ?');
    for (const f of perFile) {
      const s = f.report.summary;
      const fileAction = superseded.has(f.fileId) ? 'superseded-snapshot' : action;
      updateFile.run(fileAction, superseded.has(f.fileId) ? 0 : f.rows, JSON.stringify(f.report), s.pass, s.fail, s.skip, await f.plan.sha, f.fileId);
    }
    db.prepare('UPDATE import_job SET finished_at = ? WHERE id = ?').run(finishedAt, jobId);
    if (hooks.cancelled()) throw new Cancelled();
    db.exec('COMMIT');

    for (const p of plans) {
      const f = perFile.find((x) => x.plan === p);
      if (!f) results.push(unchangedResult(db, p));
      else
        results.push({
          file: p.input.name,
          format: f.format,
          ...(f.report.format ? { formatLabel: f.report.format.label } : {}),
          dataset: f.dataset,
          focusVersion: f.version,
          rows: superseded.has(f.fileId) ? 0 : f.rows,
          // supporting datasets replace rows by key, never by period
          action: superseded.has(f.fileId) ? 'superseded-snapshot' : f.dataset === 'CostAndUsage' ? action : 'imported',
          ...(f.replacedRows > 0 ? { replacedRows: f.replacedRows } : {}),
          conformance: f.report.summary,
          importFileId: f.fileId,
        });
    }
    return { status: 'done', files: results, seconds: (Date.now() - started) / 1000, ...(snapshots.length > 0 ? { snapshots } : {}) };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof Cancelled) return { status: 'cancelled' };
    return failed(e);
  }
}

function failed(e: unknown): ImportOutcome {
  return { status: 'failed', error: toApiError(e) };
}

function unchangedResult(db: Db, p: FilePlan): ImportFileResult {
  const prev = db
    .prepare('SELECT id, format, dataset, focus_version, rows, pass, fail, skip FROM import_file WHERE sha256 = ? AND active = 1 ORDER BY id LIMIT 1')
    .get(p.sha as string) as
    | { id: number; format: string; dataset: ImportFileResult['dataset']; focus_version: string; rows: number; pass: number; fail: number; skip: number }
    | undefined;
  return {
    file: p.input.name,
    format: prev?.format ?? '',
    dataset: prev?.dataset ?? 'CostAndUsage',
    focusVersion: prev?.focus_version ?? '',
    rows: prev?.rows ?? 0,
    action: 'unchanged',
    conformance: { pass: prev?.pass ?? 0, fail: prev?.fail ?? 0, skip: prev?.skip ?? 0 },
    importFileId: prev?.id ?? null,
  };
}

async function importOneFile(
  db: Db,
  writer: CostWriter,
  jobId: number,
  plan: FilePlan,
  settings: { templates: MappingTemplate[]; applicability: ApplicabilitySettings; sampleRows: boolean },
  hooks: { onProgress(bytes: number, rows: number): void; cancelled(): boolean },
): Promise<{
  fileId: number;
  rows: number;
  version: string;
  format: string;
  dataset: ImportFileResult['dataset'];
  replacedRows: number;
  report: ConformanceReport;
  sample: RowSample | undefined;
}> {
  const request: ParseRequest = { path: plan.input.path, name: plan.input.name, ...settings };
  // A bounded heap makes V8 collect early instead of growing towards the machine's memory: the parser's working set
  // is its dictionaries and a few batches in flight.
  const worker = spawnWorker('parse-worker', { workerData: { request }, resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 48 } });
  let fileId = 0;
  let version = '';
  let format = '';
  let dataset: ImportFileResult['dataset'] = 'CostAndUsage';
  let datasetWriter: DatasetWriter | null = null;
  let replacedRows = 0;
  let rows = 0;
  let sample: RowSample | undefined;
  const cancelTimer = setInterval(() => {
    if (hooks.cancelled()) worker.postMessage({ type: 'cancel' } satisfies ParseControl);
  }, 50);
  try {
    const report = await new Promise<ConformanceReport>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      worker.on('message', (m: ParseMessage) => {
        if (settled) return;
        try {
          switch (m.type) {
            case 'header': {
              version = m.focusVersion;
              format = m.format.id;
              dataset = m.dataset;
              fileId = Number(
                db
                  .prepare(
                    `INSERT INTO import_file (job_id, file_name, file_path, sha256, fingerprint, bytes, dataset, focus_version, rows,
                       action, imported_at, header, conformance, pass, fail, skip, format, source_header)
                     VALUES (?, ?, ?, '', ?, ?, ?, ?, 0, 'importing', ?, ?, '{}', 0, 0, 0, ?, ?)`,
                  )
                  .run(
                    jobId,
                    plan.input.name,
                    plan.input.path,
                    plan.fingerprint,
                    plan.bytes,
                    m.dataset,
                    m.focusVersion,
                    isoDateTime(Date.now() / 1000),
                    JSON.stringify(m.header),
                    m.format.id,
                    JSON.stringify(m.sourceHeader),
                  )
                  .lastInsertRowid,
              );
              if (m.dataset === 'CostAndUsage') writer.beginFile(fileId, m);
              else datasetWriter = new DatasetWriter(db, m.dataset, fileId);
              break;
            }
            case 'rows':
              if (hooks.cancelled()) {
                settle(() => reject(new Cancelled()));
                return;
              }
              datasetWriter!.write(m.columns, m.rows);
              rows += m.rows.length;
              worker.postMessage({ type: 'ack' } satisfies ParseControl);
              hooks.onProgress(m.bytes, rows);
              break;
            case 'batch':
              if (hooks.cancelled()) {
                settle(() => reject(new Cancelled()));
                return;
              }
              writer.writeBatch(m.batch);
              rows += m.batch.count;
              worker.postMessage({ type: 'ack' } satisfies ParseControl);
              hooks.onProgress(m.bytes, rows);
              break;
            case 'progress':
              hooks.onProgress(m.bytes, m.rows);
              break;
            case 'done':
              if (datasetWriter) replacedRows = datasetWriter.replaceByKey();
              else writer.endFile();
              sample = m.sample;
              settle(() => resolve(m.conformance));
              break;
            case 'error':
              settle(() => reject(new EngineError(m.code, m.message, m.detail)));
              break;
          }
        } catch (e) {
          settle(() => reject(e));
        }
      });
      worker.on('error', (e) => settle(() => reject(e)));
      worker.on('exit', () => settle(() => reject(hooks.cancelled() ? new Cancelled() : new Error(`${plan.input.name}: the parser stopped unexpectedly`))));
    });
    return { fileId, rows, version, format, dataset, replacedRows, report, sample };
  } finally {
    clearInterval(cancelTimer);
    await terminate(worker);
  }
}

async function terminate(worker: Worker): Promise<void> {
  try {
    await worker.terminate();
  } catch {
    // already gone
  }
}

function findOverlaps(db: Db, periodRows: Map<number, number>, firstNewFileId: number): PeriodOverlap[] {
  if (periodRows.size === 0) return [];
  const existing = db
    .prepare(
      `SELECT coalesce(sum(fp.rows), 0) FROM file_period fp JOIN import_file f ON f.id = fp.file_id
       WHERE fp.period_key = ? AND fp.file_id < ? AND f.active = 1`,
    )
    .pluck();
  const keyInfo = db.prepare('SELECT invoice_issuer, billing_account, billing_period_start FROM period_key WHERE id = ?');
  const out: PeriodOverlap[] = [];
  for (const [pk, newRows] of periodRows) {
    const n = existing.get(pk, firstNewFileId) as number;
    if (n > 0) {
      const k = keyInfo.get(pk) as { invoice_issuer: string; billing_account: string; billing_period_start: number };
      out.push({
        invoiceIssuer: k.invoice_issuer,
        billingAccountId: k.billing_account,
        billingPeriodStart: isoDateTime(k.billing_period_start),
        existingRows: n,
        newRows,
      });
    }
  }
  out.sort((a, b) => (a.billingPeriodStart + a.invoiceIssuer + a.billingAccountId).localeCompare(b.billingPeriodStart + b.invoiceIssuer + b.billingAccountId));
  return out;
}

/** Remove the older rows of the periods this delivery restates, then re-aggregate the days either side touched. */
function replacePeriods(db: Db, periodKeys: number[], firstNewFileId: number, newMin: number, newMax: number): void {
  let minDay = newMin;
  let maxDay = newMax;
  const older = db.prepare(
    `SELECT fp.file_id AS f, fp.min_day AS lo, fp.max_day AS hi, f.first_rowid AS a, f.last_rowid AS b
     FROM file_period fp JOIN import_file f ON f.id = fp.file_id WHERE fp.period_key = ? AND fp.file_id < ? AND f.active = 1`,
  );
  // a file's rows are one rowid range: delete within it instead of searching the whole table
  const del = db.prepare('DELETE FROM cost_usage WHERE rowid BETWEEN ? AND ? AND period_key = ?');
  const forget = db.prepare('DELETE FROM file_period WHERE file_id = ? AND period_key = ?');
  const touched = new Map<number, { a: number | null; b: number | null }>();
  for (const pk of periodKeys) {
    for (const o of older.all(pk, firstNewFileId) as { f: number; lo: number; hi: number; a: number; b: number }[]) {
      minDay = Math.min(minDay, o.lo);
      maxDay = Math.max(maxDay, o.hi);
      del.run(o.a, o.b, pk);
      forget.run(o.f, pk);
      touched.set(o.f, o);
    }
  }
  // once per file, after all its periods are gone: the zones of its range from the rows left (the rollups below use them)
  for (const { a, b } of touched.values()) if (a !== null && b !== null) rebuildZones(db, a, b);
  // files whose rows are all gone are no longer part of the workspace (a re-import of them is new again)
  const remaining = db.prepare('SELECT count(*) FROM file_period WHERE file_id = ?').pluck();
  const deactivate = db.prepare('UPDATE import_file SET active = 0 WHERE id = ?');
  for (const f of touched.keys()) if ((remaining.get(f) as number) === 0) deactivate.run(f);
  rebuildRollups(db, minDay, maxDay);
}

/** Remove a superseded snapshot file's rows from this job (its rows are the latest rowids, still uncommitted). */
function dropSnapshot(db: Db, fileId: number, periodRows: Map<number, number>): void {
  const f = db.prepare('SELECT first_rowid AS a, last_rowid AS b FROM import_file WHERE id = ?').get(fileId) as { a: number | null; b: number | null };
  if (f.a !== null && f.b !== null) {
    db.prepare('DELETE FROM cost_usage WHERE rowid BETWEEN ? AND ?').run(f.a, f.b);
    rebuildZones(db, f.a, f.b);
  }
  for (const p of db.prepare('SELECT period_key AS pk, rows FROM file_period WHERE file_id = ?').all(fileId) as { pk: number; rows: number }[]) {
    const left = (periodRows.get(p.pk) ?? 0) - p.rows;
    if (left > 0) periodRows.set(p.pk, left);
    else periodRows.delete(p.pk);
  }
  db.prepare('DELETE FROM file_period WHERE file_id = ?').run(fileId);
  db.prepare('UPDATE import_file SET active = 0 WHERE id = ?').run(fileId);
}

/** The job's accumulated rollups, or (when rows were dropped after accumulating) a rebuild of the days it touched. */
function applyOrRebuild(db: Db, writer: CostWriter, dropped: boolean): void {
  if (!dropped) {
    writer.applyRollups();
    return;
  }
  if (writer.minDay > writer.maxDay) return;
  rebuildRollups(db, writer.minDay, writer.maxDay);
}

// Worker thread: runs one import job against the workspace with its own write connection.
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportMode, ImportOutcome, ImportProgress, MappingTemplate, ApplicabilitySettings } from '../../src-shared/api/contract';
import { toApiError } from '../engine/errors';
import { expandInputs } from '../ingest/expand-inputs';
import { runImportJob, type ImportFileInput } from '../ingest/import-job';
import { openWorkspace } from '../store/workspace';

export interface ImportWorkerData {
  workspacePath: string;
  files: ImportFileInput[];
  mode: ImportMode;
  templates?: MappingTemplate[];
  applicability?: ApplicabilitySettings;
  nativeBinding?: string;
}

export type ImportWorkerMessage =
  | { type: 'progress'; progress: Omit<ImportProgress, 'jobId'> }
  | { type: 'outcome'; outcome: ImportOutcome };

const PROGRESS_INTERVAL_MS = 100; // about 10 events a second
const port = parentPort!;
const data = workerData as ImportWorkerData;
let cancelled = false;
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') cancelled = true;
});

try {
  const db = openWorkspace(data.workspacePath, { create: true, nativeBinding: data.nativeBinding });
  // Bulk writes gain nothing from memory-mapped reads, and mapped pages would count against the import's memory.
  db.pragma('mmap_size = 0');
  // The importer creates every parent row (import_file, period_key) in the same transaction before the rows that
  // point at it, so per-row foreign-key lookups on the bulk table would only cost time (about 15 % of a store).
  // Every other connection keeps them on.
  db.pragma('foreign_keys = OFF');
  // A commit would otherwise copy the whole WAL into the database file before returning (SQLite's auto-checkpoint
  // runs inside COMMIT): about a second per million rows the user would wait for with the data already safe. The
  // checkpoint runs below, after the outcome is reported.
  db.pragma('wal_autocheckpoint = 0');
  try {
    let last = 0;
    let lastPhase = '';
    // folders and ZIP archives become their files (one delivery, one transaction)
    const inputs = await expandInputs(data.files);
    let outcome: ImportOutcome;
    try {
      outcome = await runImportJob(db, inputs.files, data.mode, {
        progress(p) {
          const now = Date.now();
          if (now - last < PROGRESS_INTERVAL_MS && p.phase === lastPhase) return;
          last = now;
          lastPhase = p.phase;
          port.postMessage({ type: 'progress', progress: p } satisfies ImportWorkerMessage);
        },
        cancelled: () => cancelled,
      }, { preferredSnapshots: inputs.preferredSnapshots, templates: data.templates ?? [], applicability: data.applicability ?? {} });
    } finally {
      await inputs.cleanup();
    }
    if (outcome.status === 'done' && inputs.skipped.length > 0) outcome.skipped = inputs.skipped;
    // The import is committed: tell the host now, then fold the WAL back into the database file.
    port.postMessage({ type: 'outcome', outcome } satisfies ImportWorkerMessage);
    if (outcome.status === 'done') {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // only an optimisation: SQLite checkpoints on its own later
      }
    }
  } finally {
    db.close();
  }
} catch (e) {
  port.postMessage({ type: 'outcome', outcome: { status: 'failed', error: toApiError(e) } } satisfies ImportWorkerMessage);
}
port.close();

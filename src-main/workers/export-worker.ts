// Worker thread: one export (explore.export) on its own connection, so neither queries nor the host wait for it.
// Cancellation arrives through shared memory: the export runs synchronously (better-sqlite3), so a message would only
// be read once it had finished.
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiError, ExportOutput, ParsedInput } from '../../src-shared/api/contract';
import { toApiError } from '../engine/errors';
import { exportView, type ExportProgress } from '../explore/export';
import { openWorkspace } from '../store/workspace';

export interface ExportWorkerData {
  workspacePath: string;
  nativeBinding?: string;
  input: ParsedInput<'explore.export'>;
  /** Int32Array over it: [0] becomes 1 when the export is cancelled. */
  cancelFlag: SharedArrayBuffer;
}

export type ExportWorkerMessage =
  | { type: 'started'; tmp: string }
  | ({ type: 'progress' } & ExportProgress)
  | { type: 'done'; output: ExportOutput }
  | { type: 'failed'; error: ApiError };

const PROGRESS_INTERVAL_MS = 100;
const port = parentPort!;
const data = workerData as ExportWorkerData;
const flag = new Int32Array(data.cancelFlag);

let message: ExportWorkerMessage;
try {
  const db = openWorkspace(data.workspacePath, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
  try {
    let last = 0;
    const output = exportView(db, data.input, {
      started: (tmp) => port.postMessage({ type: 'started', tmp } satisfies ExportWorkerMessage),
      progress(p) {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        port.postMessage({ type: 'progress', ...p } satisfies ExportWorkerMessage);
      },
      cancelled: () => Atomics.load(flag, 0) === 1,
    });
    message = { type: 'done', output };
  } finally {
    db.close();
  }
} catch (e) {
  message = { type: 'failed', error: toApiError(e) };
}
port.postMessage(message);
port.close();

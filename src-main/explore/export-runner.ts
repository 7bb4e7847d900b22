// Host side of exports: each runs in its own export worker, relays progress, and can be cancelled. Whatever happens to
// the worker (cancel, failure, crash), no partial output stays on disk: the worker writes under a temporary name it
// announces first, and this side removes that name if the worker did not finish.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { ExportOutput, ParsedInput } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { ExportWorkerData, ExportWorkerMessage } from '../workers/export-worker';
import type { ExportProgress } from './export';

/** How long a cancelled export may take to notice (it checks between pages of 10,000 rows) before it is stopped. */
const CANCEL_GRACE_MS = 3000;

interface Running {
  worker: Worker;
  flag: Int32Array;
  tmp: string | null;
  cancel(): void;
}

export class ExportJobs {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly nativeBinding: string | undefined,
    private readonly onProgress: (exportId: string, p: ExportProgress) => void,
  ) {}

  get size(): number {
    return this.running.size;
  }

  run(workspacePath: string, input: ParsedInput<'explore.export'>, exportId: string = crypto.randomUUID()): Promise<ExportOutput> {
    if (this.running.has(exportId)) throw new EngineError('busy', `An export with id ${exportId} is already running`);
    const cancelFlag = new SharedArrayBuffer(4);
    const data: ExportWorkerData = {
      workspacePath,
      input,
      cancelFlag,
      ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
    };
    const worker = spawnWorker('export-worker', { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 768, maxYoungGenerationSizeMb: 48 } });
    return new Promise<ExportOutput>((resolve, reject) => {
      let settled = false;
      let grace: NodeJS.Timeout | null = null;
      const job: Running = {
        worker,
        flag: new Int32Array(cancelFlag),
        tmp: null,
        cancel: () => {
          Atomics.store(job.flag, 0, 1);
          // a grouped export is one SQL statement: past the grace period the thread is stopped where it is
          grace ??= setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
        },
      };
      this.running.set(exportId, job);
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (grace) clearTimeout(grace);
        this.running.delete(exportId);
        fn();
      };
      const removeTmp = () => {
        if (job.tmp) fs.rmSync(job.tmp, { recursive: true, force: true });
      };
      worker.on('message', (m: ExportWorkerMessage) => {
        if (m.type === 'started') job.tmp = m.tmp;
        else if (m.type === 'progress') this.onProgress(exportId, { rows: m.rows, totalRows: m.totalRows, bytes: m.bytes });
        else if (m.type === 'done') settle(() => resolve(m.output));
        else {
          removeTmp(); // the worker removes it too; a second look costs nothing
          settle(() => reject(new EngineError(m.error.code, m.error.message, m.error.detail)));
        }
      });
      worker.on('error', (e) => {
        removeTmp();
        settle(() => reject(new EngineError('internal', `The export stopped: ${e.message}`)));
      });
      worker.on('exit', () => {
        if (settled) return;
        removeTmp();
        const cancelled = Atomics.load(job.flag, 0) === 1;
        settle(() =>
          reject(
            cancelled
              ? new EngineError('cancelled', 'The export was cancelled; nothing was written.')
              : new EngineError('internal', 'The export stopped unexpectedly; nothing was written.'),
          ),
        );
      });
    });
  }

  cancel(exportId: string): boolean {
    const job = this.running.get(exportId);
    if (!job) return false;
    job.cancel();
    return true;
  }

  /** Cancels every running export and waits for their workers to end. */
  async close(): Promise<void> {
    const workers = [...this.running.values()].map((j) => {
      j.cancel();
      return new Promise<void>((r) => j.worker.once('exit', () => r()));
    });
    await Promise.all(workers);
  }
}

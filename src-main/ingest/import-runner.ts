// Host side of an import: starts the import worker, relays its progress, and resolves with the outcome.
import type { ImportMode, ImportOutcome, ImportProgress, MappingTemplate, ApplicabilitySettings } from '../../src-shared/api/contract';
import { toApiError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { ImportWorkerData, ImportWorkerMessage } from '../workers/import-worker';
import type { ImportFileInput } from './import-job';

export interface ImportHandle {
  outcome: Promise<ImportOutcome>;
  cancel(): void;
}

export function startImport(opts: {
  workspacePath: string;
  files: ImportFileInput[];
  mode: ImportMode;
  templates?: MappingTemplate[];
  applicability?: ApplicabilitySettings;
  nativeBinding?: string;
  onProgress?: (p: Omit<ImportProgress, 'jobId'>) => void;
}): ImportHandle {
  const data: ImportWorkerData = {
    workspacePath: opts.workspacePath,
    files: opts.files,
    mode: opts.mode,
    ...(opts.templates ? { templates: opts.templates } : {}),
    ...(opts.applicability ? { applicability: opts.applicability } : {}),
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  };
  const worker = spawnWorker('import-worker', { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 768, maxYoungGenerationSizeMb: 48 } });
  const outcome = new Promise<ImportOutcome>((resolve) => {
    let done = false;
    worker.on('message', (m: ImportWorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'outcome') {
        done = true;
        resolve(m.outcome);
      }
    });
    worker.on('error', (e) => {
      if (!done) {
        done = true;
        resolve({ status: 'failed', error: toApiError(e) });
      }
    });
    worker.on('exit', (code) => {
      if (!done) {
        done = true;
        resolve({ status: 'failed', error: { code: 'internal', message: `the import stopped unexpectedly (exit ${code})` } });
      }
    });
  });
  return { outcome, cancel: () => worker.postMessage({ type: 'cancel' }) };
}

/** Convenience for the CLI and tests: run an import to its outcome. */
export function runImport(opts: Parameters<typeof startImport>[0]): Promise<ImportOutcome> {
  return startImport(opts).outcome;
}

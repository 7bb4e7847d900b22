// Worker thread: one allocation apply on its own connection, so queries and the host keep answering meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import type { RuleSet } from '../../src-shared/allocate/ruleset';
import type { AllocationProgress } from '../../src-shared/api/allocation';
import type { ApiError, Output } from '../../src-shared/api/contract';
import { applyAllocation } from '../allocate/apply';
import { toApiError } from '../engine/errors';
import { openWorkspace } from '../store/workspace';

export interface AllocateWorkerData {
  workspacePath: string;
  nativeBinding?: string;
  ruleSet: RuleSet;
  note?: string;
  /** re-run the applied version over today's data (after an import) instead of applying ruleSet */
  refresh?: boolean;
}

export type AllocateWorkerMessage =
  | ({ type: 'progress' } & AllocationProgress)
  | { type: 'done'; output: Output<'allocation.apply'> }
  | { type: 'failed'; error: ApiError };

const PROGRESS_INTERVAL_MS = 100;
const port = parentPort!;
const data = workerData as AllocateWorkerData;

let message: AllocateWorkerMessage;
try {
  const db = openWorkspace(data.workspacePath, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
  try {
    let last = 0;
    const output = applyAllocation(db, data.ruleSet, data.note, (p) => {
      const now = Date.now();
      if (p.phase === 'grouping' && p.rows > 0 && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      port.postMessage({ type: 'progress', ...p } satisfies AllocateWorkerMessage);
    }, data.refresh ?? false);
    message = { type: 'done', output };
  } finally {
    db.close();
  }
} catch (e) {
  message = { type: 'failed', error: toApiError(e) };
}
port.postMessage(message);
port.close();

// Host side of apply: one at a time per engine, in the allocation worker, relaying progress.
import { emptyRuleSet, type RuleSet } from '../../src-shared/allocate/ruleset';
import type { AllocationProgress } from '../../src-shared/api/allocation';
import type { Output } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { AllocateWorkerData, AllocateWorkerMessage } from '../workers/allocate-worker';

export class ApplyRunner {
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly nativeBinding: string | undefined,
    private readonly onProgress: (p: AllocationProgress) => void,
  ) {}

  apply(workspacePath: string, ruleSet: RuleSet, note: string | undefined, refresh = false): Promise<Output<'allocation.apply'>> {
    if (this.running) throw new EngineError('busy', 'An allocation is being applied already: wait for it to finish');
    const data: AllocateWorkerData = {
      workspacePath,
      ruleSet,
      ...(note ? { note } : {}),
      ...(refresh ? { refresh } : {}),
      ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
    };
    const worker = spawnWorker('allocate-worker', { workerData: data });
    const p = new Promise<Output<'allocation.apply'>>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.running = null;
        fn();
      };
      worker.on('message', (m: AllocateWorkerMessage) => {
        if (m.type === 'progress') this.onProgress({ phase: m.phase, rows: m.rows, totalRows: m.totalRows });
        else if (m.type === 'done') settle(() => resolve(m.output));
        else settle(() => reject(new EngineError(m.error.code, m.error.message, m.error.detail)));
      });
      worker.on('error', (e) => settle(() => reject(new EngineError('internal', `The allocation stopped: ${e.message}`))));
      worker.on('exit', () => settle(() => reject(new EngineError('internal', 'The allocation worker stopped before it finished'))));
    });
    this.running = p;
    return p;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Resolves when no apply is running (the engine closes only then: a refresh after an import finishes first). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Once any apply running now has finished: the applied version re-run over today's data (after an import). */
  async refresh(workspacePath: string): Promise<Output<'allocation.apply'>> {
    await this.idle();
    return this.apply(workspacePath, emptyRuleSet(), undefined, true);
  }
}

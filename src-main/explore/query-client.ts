// Host side of the query workers. Two lanes, each one worker with its own connection answering in order: quick
// questions (the overview's totals, charts, pivots, filter values) never wait behind long work (a sort of ten million
// rows, a period comparison or a data-quality scan), which takes the second lane.
import type { Worker } from 'node:worker_threads';
import { EngineError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { QueryMethod, QueryRequest, QueryResponse } from './query-protocol';

/**
 * Methods that may read millions of raw rows run in the long-work lane; so does the list of dimensions, asked once
 * when a workspace opens, so it runs beside the overview's first questions rather than before them.
 */
const LONG_WORK: ReadonlySet<QueryMethod> = new Set<QueryMethod>(['rows', 'compare', 'dataQuality', 'dimensions', 'open']);

class Lane {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly name: string) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker('query-worker');
    w.on('message', (res: QueryResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value);
      else p.reject(new EngineError(res.error.code, res.error.message, res.error.detail));
    });
    const failAll = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('error', failAll);
    w.on('exit', () => failAll(new EngineError('internal', `the ${this.name} query worker stopped`)));
    this.worker = w;
    return w;
  }

  send(req: QueryRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.ensure().postMessage(req);
    });
  }

  async close(id: number): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await new Promise<void>((resolve) => {
      this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      w.postMessage({ id, method: 'close' } satisfies QueryRequest);
    });
    this.worker = null;
    await w.terminate();
  }
}

export class QueryClient {
  private nextId = 1;
  private readonly quick = new Lane('quick');
  private readonly long = new Lane('long-work');
  private readonly allocation = new Lane('allocation');

  constructor(private readonly nativeBinding?: string) {}

  /**
   * `lane` overrides the method's lane: a question that is quick or long depending on its input. 'allocation': an
   * allocation preview that groups raw rows (seconds to minutes the first time at 10M rows), in a worker of its own
   * so explore's long work never waits behind it.
   */
  run<T>(workspacePath: string, method: QueryMethod, input: unknown, lane?: 'quick' | 'long' | 'allocation'): Promise<T> {
    const id = this.nextId++;
    const req: QueryRequest = { id, method, workspacePath, input, ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}) };
    const to = lane === 'allocation' ? this.allocation : (lane ? lane === 'long' : LONG_WORK.has(method)) ? this.long : this.quick;
    return to.send(req) as Promise<T>;
  }

  /**
   * A workspace just opened: start both workers and open the file in each (the overview's first questions follow at
   * once), and have the quick lane load its cubes. Failures show again, with their message, on the first real question.
   */
  warm(workspacePath: string): void {
    this.run(workspacePath, 'warm', null).catch(() => undefined);
    this.run(workspacePath, 'open', null).catch(() => undefined);
  }

  /** Close both workers' connections (before another process replaces the file, or on shutdown). */
  async close(): Promise<void> {
    await Promise.all([this.quick.close(this.nextId++), this.long.close(this.nextId++), this.allocation.close(this.nextId++)]);
  }
}

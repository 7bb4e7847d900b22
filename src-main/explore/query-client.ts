// Host side of the query worker: one worker, requests answered in order, errors as EngineErrors.
import type { Worker } from 'node:worker_threads';
import { EngineError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { QueryMethod, QueryRequest, QueryResponse } from './query-protocol';

export class QueryClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly nativeBinding?: string) {}

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
      this.worker = null;
    };
    w.on('error', failAll);
    w.on('exit', () => failAll(new EngineError('internal', 'the query worker stopped')));
    this.worker = w;
    return w;
  }

  run<T>(workspacePath: string, method: QueryMethod, input: unknown): Promise<T> {
    const id = this.nextId++;
    const req: QueryRequest = { id, method, workspacePath, input, ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}) };
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ensure().postMessage(req);
    });
  }

  /** Close the worker's connection (before another process replaces the file, or on shutdown). */
  async close(): Promise<void> {
    if (!this.worker) return;
    const w = this.worker;
    await new Promise<void>((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      w.postMessage({ id, method: 'close' } satisfies QueryRequest);
    });
    this.worker = null;
    await w.terminate();
  }
}

// Where worker entry points live: next to the bundle when built (electron-vite emits out/main/<name>.js), or as
// TypeScript sources run through tsx (CLI, serve and tests run from the checkout without a build step).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export type WorkerName = 'import-worker' | 'parse-worker' | 'query-worker' | 'export-worker' | 'allocate-worker';

// Kept in the environment so workers started by workers (import → parse) find the bundle too.
const ENV_KEY = 'MB_WORKERS_DIR';

/** Called by a bundled host (Electron main) with the directory holding the built worker files. */
export function useBundledWorkers(dir: string): void {
  process.env[ENV_KEY] = dir;
}

export function spawnWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const bundledDir = process.env[ENV_KEY];
  if (bundledDir) return new Worker(pathToFileURL(path.join(bundledDir, `${name}.js`)), options);
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = new URL('./ts-boot.mjs', import.meta.url);
  const data = (options.workerData ?? {}) as Record<string, unknown>;
  return new Worker(boot, { ...options, workerData: { ...data, __entry: entry } });
}

// Conformance report for a file without importing it: the parse worker reads it in validate-only mode.
import type { ConformanceReport } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { ParseMessage, ParseRequest } from './parse-protocol';

export function validateFile(path: string, name: string): Promise<ConformanceReport> {
  const request: ParseRequest = { path, name, validateOnly: true };
  const worker = spawnWorker('parse-worker', { workerData: { request } });
  return new Promise<ConformanceReport>((resolve, reject) => {
    let done = false;
    worker.on('message', (m: ParseMessage) => {
      if (m.type === 'done') {
        done = true;
        resolve(m.conformance);
      } else if (m.type === 'error') {
        done = true;
        reject(new EngineError(m.code, m.message, m.detail));
      }
    });
    worker.on('error', (e) => {
      if (!done) reject(e);
    });
    worker.on('exit', () => {
      if (!done) reject(new EngineError('internal', `${name}: the parser stopped unexpectedly`));
    });
  }).finally(() => void worker.terminate());
}

// Runs a parse worker in one of its read-only modes: validate (conformance report, nothing imported), inspect
// (header and first rows for the mapping studio) or preview (a template's first mapped rows).
import type { ApplicabilitySettings, ConformanceReport, MappingPreview, MappingTemplate, TableInspection } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { spawnWorker } from '../workers/worker-url';
import type { ParseMessage, ParseRequest } from './parse-protocol';

function runParse<T>(request: ParseRequest, pick: (m: ParseMessage) => T | undefined): Promise<T> {
  const worker = spawnWorker('parse-worker', { workerData: { request } });
  return new Promise<T>((resolve, reject) => {
    let done = false;
    worker.on('message', (m: ParseMessage) => {
      if (done) return;
      if (m.type === 'error') {
        done = true;
        reject(new EngineError(m.code, m.message, m.detail));
        return;
      }
      const v = pick(m);
      if (v !== undefined) {
        done = true;
        resolve(v);
      }
    });
    worker.on('error', (e) => {
      if (!done) reject(e);
    });
    worker.on('exit', () => {
      if (!done) reject(new EngineError('internal', `${request.name}: the parser stopped unexpectedly`));
    });
  }).finally(() => void worker.terminate());
}

export function validateFile(
  path: string,
  name: string,
  templates: MappingTemplate[] = [],
  applicability: { settings?: ApplicabilitySettings; override?: Record<string, boolean> } = {},
): Promise<ConformanceReport> {
  return runParse(
    {
      path,
      name,
      validateOnly: true,
      templates,
      ...(applicability.settings ? { applicability: applicability.settings } : {}),
      ...(applicability.override ? { applicabilityOverride: applicability.override } : {}),
    },
    (m) => (m.type === 'done' ? m.conformance : undefined),
  );
}

export function inspectFile(path: string, name: string, templates: MappingTemplate[] = []): Promise<TableInspection> {
  return runParse({ path, name, inspect: true, templates }, (m) => (m.type === 'inspect' ? m.inspection : undefined));
}

export function previewMapping(path: string, name: string, template: MappingTemplate, rows = 1000): Promise<MappingPreview> {
  return runParse({ path, name, preview: { template, rows } }, (m) => (m.type === 'preview' ? m.preview : undefined));
}

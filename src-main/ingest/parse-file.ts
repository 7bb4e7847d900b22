// Reads one FOCUS Cost and Usage file into encoded batches and a conformance report. Pure of any database: the
// caller decides what to do with batches (store them, or drop them when only validating).
import { createConformanceChecker, type ConformanceChecker } from '../conformance';
import { EngineError } from '../engine/errors';
import { CsvReader, CsvSyntaxError } from './csv-reader';
import { openTextSource } from './file-source';
import { analyzeHeader, type HeaderPlan } from './focus-header';
import type { ParseMessage, ParseRequest } from './parse-protocol';
import { RowEncoder, RowError, type EncodedBatch } from './row-encoder';

export interface ParseHooks {
  post(msg: ParseMessage, transfer?: ArrayBuffer[]): void;
  /** Resolves when the consumer is ready for more batches (backpressure). */
  ready(): Promise<void>;
  cancelled(): boolean;
}

const PROGRESS_EVERY_MS = 100;

export async function parseFile(req: ParseRequest, hooks: ParseHooks): Promise<void> {
  try {
    await run(req, hooks);
  } catch (e) {
    if (e instanceof EngineError) {
      hooks.post({ type: 'error', code: e.code, message: e.message, detail: e.detail });
    } else {
      hooks.post({ type: 'error', code: 'internal', message: `${req.name}: ${(e as Error).message}` });
    }
  }
}

async function run(req: ParseRequest, hooks: ParseHooks): Promise<void> {
  const source = await openTextSource(req.path, req.name);
  let plan: HeaderPlan | null = null;
  let encoder: RowEncoder | null = null;
  let checker: ConformanceChecker | null = null;
  let rowNo = 0;
  let pending: EncodedBatch[] = [];

  const fail = (row: number, message: string, column: string | null = null): never => {
    throw new EngineError('bad-file', `${req.name} row ${row}: ${message}`, { file: req.name, row, column });
  };

  const reader = new CsvReader((fields) => {
    if (plan === null) {
      const res = analyzeHeader(fields);
      if (!res.ok) throw new EngineError('bad-file', `${req.name} ${res.message}`, { file: req.name });
      plan = res.plan;
      encoder = new RowEncoder(plan);
      checker = createConformanceChecker(plan.raw);
      hooks.post({
        type: 'header',
        focusVersion: plan.focusVersion,
        header: plan.raw,
        stored: plan.stored.map((s) => ({ name: s.name, kind: s.kind })),
        numeric: encoder.layout.numeric.map((c) => ({ name: c.name, kind: c.kind })),
        text: encoder.layout.text.map((c) => c.name),
      });
      return;
    }
    rowNo++;
    try {
      checker!.row(fields, rowNo);
      if (!req.validateOnly) {
        const b = encoder!.add(fields, rowNo);
        if (b) pending.push(b);
      }
    } catch (e) {
      if (e instanceof RowError) fail(e.row, e.message, e.column);
      throw e;
    }
  });

  let lastProgress = 0;
  for await (const chunk of source.chunks) {
    if (hooks.cancelled()) return;
    try {
      reader.push(chunk);
    } catch (e) {
      if (e instanceof CsvSyntaxError) fail(rowNo + 1, e.message);
      throw e;
    }
    for (const b of pending) await sendBatch(b, source.bytesRead(), hooks);
    pending = [];
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      hooks.post({ type: 'progress', bytes: source.bytesRead(), rows: rowNo });
    }
  }
  try {
    reader.end();
  } catch (e) {
    if (e instanceof CsvSyntaxError) fail(rowNo + 1, e.message);
    throw e;
  }
  if (plan === null) throw new EngineError('bad-file', `${req.name} is empty (no header row)`);
  for (const b of pending) await sendBatch(b, source.bytesRead(), hooks);
  const last = (encoder as RowEncoder | null)?.flush();
  if (last && !req.validateOnly) await sendBatch(last, source.totalBytes, hooks);
  const conformance = (checker as ConformanceChecker | null)!.finish({
    file: req.name,
    focusVersion: (plan as HeaderPlan).focusVersion,
  });
  hooks.post({ type: 'done', rows: rowNo, bytes: source.totalBytes, conformance });
}

async function sendBatch(batch: EncodedBatch, bytes: number, hooks: ParseHooks): Promise<void> {
  await hooks.ready();
  hooks.post({ type: 'batch', batch, bytes }, [batch.numeric.buffer as ArrayBuffer, batch.ints.buffer as ArrayBuffer]);
}

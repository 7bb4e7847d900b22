// The engine as every host sees it: contract validation, errors as values, chunked uploads, cancel.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import type { ImportOutcome } from '../../src-shared/api/contract';
import { SAMPLE_1000, tempDir } from '../helpers/temp';

let dir: string;
let engine: Engine;
beforeAll(async () => {
  dir = tempDir();
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function finished(jobId: string): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const stop = engine.subscribe((event, payload) => {
      const p = payload as { jobId: string; outcome: ImportOutcome };
      if (event === 'import.finished' && p.jobId === jobId) {
        stop();
        resolve(p.outcome);
      }
    });
  });
}

describe('engine', () => {
  it('refuses calls before a workspace is open, as a value', async () => {
    const r = await engine.call('explore.kpis', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'no-workspace' } });
  });

  it('validates input at the boundary', async () => {
    const r = await engine.call('explore.query', { metric: 'Bananas' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad-input');
    expect(await engine.call('nope', {})).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('creates a workspace in the data directory and lists it as recent', async () => {
    const ws = await engine.invoke('workspace.create', { name: 'Client B' });
    expect(ws.path).toBe(path.join(dir, 'data', 'workspaces', 'client-b.meterbook'));
    expect(ws.rows).toBe(0);
    const recent = await engine.invoke('workspace.recent', {});
    expect(recent[0]).toMatchObject({ path: ws.path, exists: true });
    const again = await engine.call('workspace.create', { name: 'Client B' });
    expect(again).toMatchObject({ ok: false, error: { code: 'exists' } });
  });

  it('imports a file sent as chunked upload (the Electron path)', async () => {
    const bytes = fs.readFileSync(SAMPLE_1000);
    const { uploadId } = await engine.invoke('upload.begin', { name: 'bill.csv', size: bytes.length });
    for (let at = 0; at < bytes.length; at += 65536) {
      await engine.invoke('upload.append', { uploadId, data: new Uint8Array(bytes.subarray(at, at + 65536)) });
    }
    await engine.invoke('upload.finish', { uploadId });
    const { jobId } = await engine.invoke('import.start', { files: [{ uploadId }] });
    const outcome = await finished(jobId);
    expect(outcome.status).toBe('done');
    if (outcome.status === 'done') expect(outcome.files[0]).toMatchObject({ file: 'bill.csv', rows: 1000 });
    const list = await engine.invoke('import.list', {});
    expect(list).toHaveLength(1);
    const report = await engine.invoke('import.report', { importFileId: list[0]!.importFileId });
    expect(report.rows).toBe(1000);
    // the uploaded copy is removed once imported
    expect(fs.existsSync(path.join(dir, 'data', 'uploads', uploadId))).toBe(false);
  });

  it('files picked as a folder keep their folders: snapshots and manifests are handled as on disk', async () => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
    const send = async (name: string, text: string): Promise<string> => {
      const bytes = Buffer.from(text);
      const { uploadId } = await engine.invoke('upload.begin', { name, size: bytes.length });
      await engine.invoke('upload.append', { uploadId, data: new Uint8Array(bytes) });
      await engine.invoke('upload.finish', { uploadId });
      return uploadId;
    };
    const older = await send('cur/20240901-20241001/a1/report-1.csv', lines.slice(0, 501).join('\n'));
    const newer = await send('cur/20240901-20241001/b2/report-1.csv', lines.join('\n'));
    const manifest = await send('cur/20240901-20241001/report-Manifest.json', JSON.stringify({ assemblyId: 'b2' }));
    // hostile names stay inside the upload folder
    const evil = await send('../../etc/passwd.csv', 'x');
    expect(fs.existsSync(path.join(dir, 'data', 'uploads', evil, 'etc', 'passwd.csv'))).toBe(true);
    await engine.invoke('workspace.create', { name: 'Folder upload' });
    const { jobId } = await engine.invoke('import.start', { files: [{ uploadId: older }, { uploadId: newer }, { uploadId: manifest }] });
    const outcome = await finished(jobId);
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
    expect(outcome.files.map((f) => [f.file, f.action, f.rows])).toEqual([
      ['cur/20240901-20241001/a1/report-1.csv', 'superseded-snapshot', 0],
      ['cur/20240901-20241001/b2/report-1.csv', 'imported', 1000],
    ]);
    expect(outcome.skipped).toEqual(['cur/20240901-20241001/report-Manifest.json']);
    expect(outcome.snapshots?.[0]).toMatchObject({ copies: 2, keptFolder: 'cur/20240901-20241001/b2' });
  });

  it('refuses an incomplete upload', async () => {
    const { uploadId } = await engine.invoke('upload.begin', { name: 'short.csv', size: 100 });
    await engine.invoke('upload.append', { uploadId, data: new Uint8Array(10) });
    expect(await engine.call('upload.finish', { uploadId })).toMatchObject({ ok: false, error: { code: 'upload-failed' } });
  });

  it('cancel rolls the import back', async () => {
    const big = path.join(dir, 'big.csv');
    const [header, ...rows] = fs.readFileSync(SAMPLE_1000, 'utf8').split('\n').filter((l) => l.length > 0);
    const out = fs.createWriteStream(big);
    out.write(`${header}\n`);
    for (let i = 0; i < 60; i++) out.write(`${rows.map((l) => l.replace(/"2024-/g, '"2023-')).join('\n')}\n`);
    await new Promise((r) => out.end(r));
    const before = await engine.invoke('explore.kpis', {});
    const { jobId } = await engine.invoke('import.start', { files: [{ path: big }] });
    const progressed = new Promise<void>((resolve) => {
      const stop = engine.subscribe((event, p) => {
        if (event === 'import.progress' && (p as { rows: number }).rows > 0) {
          stop();
          resolve();
        }
      });
    });
    const outcome = finished(jobId);
    await progressed;
    expect(await engine.invoke('import.cancel', { jobId })).toEqual({ cancelled: true });
    expect((await outcome).status).toBe('cancelled');
    expect(await engine.invoke('explore.kpis', {})).toEqual(before);
    expect(await engine.invoke('import.list', {})).toHaveLength(1);
  });
});

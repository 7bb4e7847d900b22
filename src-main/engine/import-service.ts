// Import jobs of the open workspace (one at a time), validation, uploads and the demo workspace.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  ConformanceReport,
  EventName,
  EventPayload,
  FileRef,
  ImportMode,
  MappingPreview,
  MappingTemplate,
  TableInspection,
  WorkspaceInfo,
} from '../../src-shared/api/contract';
import { generateDemoCsv } from '../demo/generate-demo';
import type { ImportFileInput } from '../ingest/import-job';
import { startImport, type ImportHandle } from '../ingest/import-runner';
import { inspectFile, previewMapping, validateFile } from '../ingest/validate';
import { ApplicabilityStore } from './applicability-store';
import { TemplateStore } from './templates';
import { EngineError } from './errors';
import { DEMO_FILE, type Workspaces } from './workspaces';

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export const UPLOADS_DIR = 'uploads';

/**
 * Where an upload is stored: <dataDir>/uploads/<uploadId>/<name>. A name with folders (a file picked as part of a
 * folder, "export/2024-09/part-0.csv") keeps them, sanitised segment by segment and never above the upload's own
 * folder, so the import sees the delivery's structure (snapshot folders, manifests) as it would on disk.
 */
export function uploadTarget(dataDir: string, name: string): { uploadId: string; path: string; dir: string } {
  const uploadId = crypto.randomUUID();
  const segments = name
    .split(/[\\/]+/)
    .map((seg) => seg.replace(/[^\w.\- =]/g, '_'))
    .filter((seg) => seg !== '' && seg !== '.' && seg !== '..');
  if (segments.length === 0) segments.push('upload.csv');
  const dir = path.join(dataDir, UPLOADS_DIR, uploadId);
  return { uploadId, path: path.join(dir, ...segments.slice(-8)), dir };
}

/** The one file of an upload folder and its name with folders ("export/2024-09/part-0.csv"). */
function uploadedFile(dir: string): { path: string; name: string } | null {
  let current = dir;
  const parts: string[] = [];
  for (let depth = 0; depth < 9; depth++) {
    const entries = fs.readdirSync(current, { withFileTypes: true });
    const first = entries[0];
    if (!first) return null;
    parts.push(first.name);
    current = path.join(current, first.name);
    if (!first.isDirectory()) return { path: current, name: parts.join('/') };
  }
  return null;
}

/** Files sent in chunks (Electron's sandboxed renderer cannot hand over paths). */
export class Uploads {
  private readonly open = new Map<string, { path: string; dir: string; fd: number; bytes: number; size: number }>();
  constructor(private readonly dataDir: string) {}

  begin(name: string, size: number): { uploadId: string } {
    const t = uploadTarget(this.dataDir, name);
    fs.mkdirSync(path.dirname(t.path), { recursive: true });
    this.open.set(t.uploadId, { path: t.path, dir: t.dir, fd: fs.openSync(t.path, 'w'), bytes: 0, size });
    return { uploadId: t.uploadId };
  }

  private get(uploadId: string) {
    const u = this.open.get(uploadId);
    if (!u) throw new EngineError('not-found', `No upload in progress with id ${uploadId}`);
    return u;
  }

  async append(uploadId: string, data: Uint8Array): Promise<{ bytes: number }> {
    const u = this.get(uploadId);
    await new Promise<void>((resolve, reject) => fs.write(u.fd, data, 0, data.length, u.bytes, (e) => (e ? reject(e) : resolve())));
    u.bytes += data.length;
    return { bytes: u.bytes };
  }

  finish(uploadId: string): { uploadId: string; bytes: number } {
    const u = this.get(uploadId);
    fs.closeSync(u.fd);
    this.open.delete(uploadId);
    if (u.bytes !== u.size) {
      fs.rmSync(u.dir, { recursive: true, force: true });
      throw new EngineError('upload-failed', `Upload of ${path.basename(u.path)} is incomplete (${u.bytes} of ${u.size} bytes)`);
    }
    return { uploadId, bytes: u.bytes };
  }

  close(): void {
    for (const u of this.open.values()) fs.closeSync(u.fd);
    this.open.clear();
  }
}

const UPLOAD_TTL_MS = 24 * 3600 * 1000;

/** Uploads left behind by imports that were never finished (cancelled, failed, app closed). */
function removeStaleUploads(dataDir: string): void {
  const dir = path.join(dataDir, UPLOADS_DIR);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const e of entries) {
    const p = path.join(dir, e);
    try {
      if (now - fs.statSync(p).mtimeMs > UPLOAD_TTL_MS) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // another process may be cleaning up too
    }
  }
}

export class ImportService {
  readonly uploads: Uploads;
  readonly templates: TemplateStore;
  readonly applicability: ApplicabilityStore;
  private running: { jobId: string; handle: ImportHandle; done: Promise<void> } | null = null;
  private demoBuild: Promise<WorkspaceInfo> | null = null;

  constructor(
    private readonly workspaces: Workspaces,
    private readonly dataDir: string,
    private readonly nativeBinding: string | undefined,
    private readonly emit: Emit,
  ) {
    this.uploads = new Uploads(dataDir);
    this.templates = new TemplateStore(dataDir);
    this.applicability = new ApplicabilityStore(dataDir);
    removeStaleUploads(dataDir);
  }

  resolveFile(ref: FileRef): ImportFileInput {
    if ('path' in ref) {
      const p = path.resolve(ref.path);
      return { path: p, name: path.basename(p) };
    }
    if (!/^[0-9a-f-]{36}$/.test(ref.uploadId)) throw new EngineError('bad-input', `Unknown upload '${ref.uploadId}'`);
    const dir = path.join(this.dataDir, UPLOADS_DIR, ref.uploadId);
    let found: { path: string; name: string } | null;
    try {
      found = uploadedFile(dir);
    } catch {
      throw new EngineError('not-found', `Upload ${ref.uploadId} not found: it was imported already or is over a day old; choose the file again`);
    }
    if (!found) throw new EngineError('not-found', `Upload ${ref.uploadId} is empty`);
    return found;
  }

  start(files: FileRef[], mode: ImportMode): { jobId: string } {
    const workspacePath = this.workspaces.requirePath();
    if (this.running) throw new EngineError('busy', 'Another import is running; wait for it or cancel it');
    const inputs = files.map((f) => this.resolveFile(f));
    const jobId = crypto.randomUUID();
    const handle = startImport({
      workspacePath,
      files: inputs,
      mode,
      templates: this.templates.list(),
      applicability: this.applicability.get(),
      ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}),
      onProgress: (p) => this.emit('import.progress', { jobId, ...p }),
    });
    const done = handle.outcome.then((outcome) => {
      this.running = null;
      if (outcome.status === 'done') {
        this.workspaces.refreshed();
        // imported: the uploaded copies have served (an overlap keeps them for the replace/append answer)
        for (const f of files) if ('uploadId' in f) fs.rmSync(path.join(this.dataDir, UPLOADS_DIR, f.uploadId), { recursive: true, force: true });
      }
      this.emit('import.finished', { jobId, outcome });
    });
    this.running = { jobId, handle, done };
    return { jobId };
  }

  cancel(jobId: string): boolean {
    if (!this.running || this.running.jobId !== jobId) return false;
    this.running.handle.cancel();
    return true;
  }

  async validate(ref: FileRef, override?: Record<string, boolean>): Promise<ConformanceReport> {
    const f = this.resolveFile(ref);
    return validateFile(f.path, f.name, this.templates.list(), { settings: this.applicability.get(), ...(override ? { override } : {}) });
  }

  inspect(ref: FileRef): Promise<TableInspection> {
    const f = this.resolveFile(ref);
    return inspectFile(f.path, f.name, this.templates.list());
  }

  preview(ref: FileRef, template: MappingTemplate): Promise<MappingPreview> {
    const f = this.resolveFile(ref);
    return previewMapping(f.path, f.name, template);
  }

  /** Open the demo workspace, building it from the recipe in resources/ the first time. */
  openDemo(): Promise<WorkspaceInfo> {
    this.demoBuild ??= this.buildDemo().finally(() => (this.demoBuild = null));
    return this.demoBuild;
  }

  private async buildDemo(): Promise<WorkspaceInfo> {
    const file = path.join(this.dataDir, DEMO_FILE);
    return buildDemoWorkspace(file, this.nativeBinding, (phase, fraction) => this.emit('demo.progress', { phase, fraction }), () =>
      this.workspaces.open(file, { create: true, name: 'Demo company' }),
    );
  }

  async close(): Promise<void> {
    this.uploads.close();
    if (this.running) {
      this.running.handle.cancel();
      await this.running.done.catch(() => undefined);
    }
  }
}

/** Build (if needed) and open the demo workspace at `file`. */
export async function buildDemoWorkspace(
  file: string,
  nativeBinding: string | undefined,
  progress: (phase: string, fraction: number) => void,
  open: () => WorkspaceInfo,
): Promise<WorkspaceInfo> {
  let info = open();
  if (info.rows > 0) return info;
  progress('Generating demo data', 0.05);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-demo-'));
  try {
    const csv = path.join(tmp, 'demo-company-focus-1.4.csv.gz');
    await generateDemoCsv({ outPath: csv, gzip: true });
    progress('Importing demo data', 0.4);
    const outcome = await startImport({
      workspacePath: file,
      files: [{ path: csv, name: path.basename(csv) }],
      mode: 'append',
      ...(nativeBinding ? { nativeBinding } : {}),
      onProgress: (p) => progress('Importing demo data', 0.4 + 0.6 * (p.totalBytes > 0 ? p.bytes / p.totalBytes : 0)),
    }).outcome;
    if (outcome.status !== 'done') {
      const why = outcome.status === 'failed' ? outcome.error.message : outcome.status;
      throw new EngineError('internal', `The demo workspace could not be built: ${why}`);
    }
    progress('Ready', 1);
    info = open();
    return info;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

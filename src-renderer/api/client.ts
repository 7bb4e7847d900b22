// The one client the renderer uses. Picks the transport once at start-up: the Electron preload bridge when
// present, else the loopback HTTP host with the token from the URL.
import { typedClient, type ApiBridge, type ApiClient } from '../../src-shared/api/client';
import type { FileRef, ImportMode, Result } from '../../src-shared/api/contract';
import { electronBridge, type ElectronBridge } from './electron-transport';
import { createHttpBridge, type HttpBridge, type UploadOptions } from './http-transport';
import { err, ok } from './result';
import { takeTokenFromLocation } from './token';

export type TransportKind = 'electron' | 'http';

interface Transport {
  kind: TransportKind;
  bridge: ApiBridge;
  http: HttpBridge | null;
  electron: ElectronBridge | null;
  hasToken: boolean;
}

function pickTransport(): Transport {
  const eb = electronBridge(window);
  if (eb) return { kind: 'electron', bridge: eb, http: null, electron: eb, hasToken: true };
  const token = takeTokenFromLocation(window);
  const http = createHttpBridge({ token });
  return { kind: 'http', bridge: http, http, electron: null, hasToken: token !== null };
}

const transport = pickTransport();

export const transportKind: TransportKind = transport.kind;
/** False in browser mode when the page was opened without `?token=…` (every call will be refused). */
export const hasAccessToken: boolean = transport.hasToken;

export const api: ApiClient = typedClient(transport.bridge);

/** Browser mode only: send one file to the host; returns the id to pass to import.start. */
export function uploadFile(file: File, opts?: UploadOptions): Promise<Result<{ uploadId: string }>> {
  if (!transport.http) return Promise.resolve(err('unsupported', 'Uploads are only used in browser mode.'));
  return transport.http.uploadFile(file, opts);
}

const CHUNK = 4 << 20;

/** Electron: send a file through the contract in chunks (the sandboxed renderer never sees disk paths). */
async function uploadInChunks(file: File, onProgress: (loaded: number) => void, signal?: AbortSignal): Promise<Result<{ uploadId: string }>> {
  const begun = await api.call('upload.begin', { name: pickedName(file), size: file.size });
  if (!begun.ok) return begun;
  const { uploadId } = begun.value;
  for (let at = 0; at < file.size; at += CHUNK) {
    if (signal?.aborted) return err('cancelled', 'Upload cancelled.');
    const data = new Uint8Array(await file.slice(at, at + CHUNK).arrayBuffer());
    const r = await api.call('upload.append', { uploadId, data });
    if (!r.ok) return r;
    onProgress(r.value.bytes);
  }
  const done = await api.call('upload.finish', { uploadId });
  if (!done.ok) return done;
  return ok({ uploadId });
}

export interface PrepareProgress {
  fileIndex: number;
  fileCount: number;
  name: string;
  loaded: number;
  total: number;
}

/**
 * Turn picked/dropped files into engine file references; the host decides how: upload over HTTP in the
 * browser, a local path in Electron (when the preload can resolve it).
 */
/** A picked file's name, with its folders when it was picked as part of a folder ("export/2024-09/part-0.csv"). */
export function pickedName(file: File): string {
  const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return rel && rel.length > 0 ? rel : file.name;
}

export async function prepareFiles(
  files: File[],
  opts: { onProgress?: (p: PrepareProgress) => void; signal?: AbortSignal } = {},
): Promise<Result<FileRef[]>> {
  if (files.length === 0) return err('bad-input', 'No files selected.');
  const refs: FileRef[] = [];
  if (transport.kind === 'electron') {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const r = await uploadInChunks(
        f,
        (loaded) => opts.onProgress?.({ fileIndex: i, fileCount: files.length, name: pickedName(f), loaded, total: f.size }),
        opts.signal,
      );
      if (!r.ok) return r;
      refs.push({ uploadId: r.value.uploadId });
    }
    return ok(refs);
  }
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    opts.onProgress?.({ fileIndex: i, fileCount: files.length, name: pickedName(f), loaded: 0, total: f.size });
    const r = await uploadFile(f, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) =>
        opts.onProgress?.({ fileIndex: i, fileCount: files.length, name: pickedName(f), loaded: p.loaded, total: p.total }),
    });
    if (!r.ok) return r;
    refs.push({ uploadId: r.value.uploadId });
  }
  return ok(refs);
}

/** Prepare files and start importing them as one delivery. */
export async function importFiles(
  files: File[],
  mode: ImportMode = 'ask',
  opts: { onProgress?: (p: PrepareProgress) => void; signal?: AbortSignal } = {},
): Promise<Result<{ jobId: string; refs: FileRef[] }>> {
  const refs = await prepareFiles(files, opts);
  if (!refs.ok) return refs;
  const started = await api.call('import.start', { files: refs.value, mode });
  if (!started.ok) return started;
  return ok({ jobId: started.value.jobId, refs: refs.value });
}

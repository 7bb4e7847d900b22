// Browser transport for `meterbook serve`: calls are POST /api/<method>, events arrive over one EventSource,
// files are uploaded raw to /api/upload. Every failure becomes a Result; nothing throws.
import type { ApiBridge } from '../../src-shared/api/client';
import type { Result } from '../../src-shared/api/contract';
import { err, isResult, messageOf } from './result';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface HttpBridge extends ApiBridge {
  uploadFile(file: Blob & { name: string }, opts?: UploadOptions): Promise<Result<{ uploadId: string }>>;
  close(): void;
}

/** The parts of EventSource we use (structural, so tests can pass a fake and Node typechecks this file). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (ev: { data?: unknown }) => void): void;
  close(): void;
}

/** The parts of XMLHttpRequest we use. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  onload: (() => void) | null;
}

type Ctor<T> = new (...args: never[]) => T;
const browser = globalThis as unknown as {
  EventSource?: new (url: string) => EventSourceLike;
  XMLHttpRequest?: Ctor<XhrLike>;
};

export interface HttpBridgeOptions {
  token: string | null;
  /** Origin and path prefix of the host; "" means same origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
  /** Set to null to force the fetch-based upload (no progress). */
  createXhr?: (() => XhrLike) | null;
}

export function createHttpBridge(opts: HttpBridgeOptions): HttpBridge {
  const base = (opts.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const createEs =
    opts.createEventSource ??
    ((url: string) => {
      if (!browser.EventSource) throw new Error('EventSource is not available');
      return new browser.EventSource(url);
    });
  const Xhr = browser.XMLHttpRequest;
  const createXhr = opts.createXhr === undefined ? (Xhr ? () => new Xhr() : null) : opts.createXhr;
  const auth: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};

  let es: EventSourceLike | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const wired = new Set<string>();

  function ensureEventSource(): EventSourceLike {
    if (!es) {
      const q = opts.token ? `?token=${encodeURIComponent(opts.token)}` : '';
      es = createEs(`${base}/api/events${q}`);
    }
    return es;
  }

  function wire(event: string): void {
    if (wired.has(event)) return;
    wired.add(event);
    ensureEventSource().addEventListener(event, (msg) => {
      const data = msg.data;
      let payload: unknown;
      try {
        payload = typeof data === 'string' ? JSON.parse(data) : data;
      } catch {
        console.warn(`meterbook: malformed ${event} event`, data);
        return;
      }
      for (const l of [...(listeners.get(event) ?? [])]) {
        try {
          l(payload);
        } catch (e) {
          console.error(`meterbook: ${event} listener failed`, e);
        }
      }
    });
  }

  async function readResult<T>(res: Response): Promise<Result<T>> {
    let text = '';
    try {
      text = await res.text();
    } catch (e) {
      return err('network', `Lost the connection to Meterbook while reading the reply: ${messageOf(e)}`);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (isResult(body)) return body as Result<T>;
    if (res.status === 401 || res.status === 403) {
      return err(
        'unauthorized',
        'Meterbook refused the request: the access token is missing or expired. Open the address printed by `meterbook serve` again.',
      );
    }
    return err(`http-${res.status}`, `Unexpected reply from Meterbook (HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''})`);
  }

  return {
    async call(method, input) {
      let res: Response;
      try {
        res = await doFetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        return err('network', `Cannot reach Meterbook: ${messageOf(e)}`);
      }
      return readResult(res);
    },

    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      wire(event);
      return () => {
        set.delete(listener);
      };
    },

    uploadFile(file, uploadOpts = {}) {
      const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
      const url = `${base}/api/upload?name=${encodeURIComponent(rel && rel.length > 0 ? rel : file.name)}`;
      if (uploadOpts.signal?.aborted) return Promise.resolve(err('cancelled', 'Upload cancelled'));
      if (createXhr) return xhrUpload(createXhr(), url, auth, file, uploadOpts);
      return fetchUpload(doFetch, url, auth, file, uploadOpts, readResult);
    },

    close() {
      es?.close();
      es = null;
      wired.clear();
    },
  };
}

async function fetchUpload(
  doFetch: typeof fetch,
  url: string,
  auth: Record<string, string>,
  file: Blob,
  opts: UploadOptions,
  readResult: <T>(res: Response) => Promise<Result<T>>,
): Promise<Result<{ uploadId: string }>> {
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/octet-stream' },
      body: file,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (opts.signal?.aborted) return err('cancelled', 'Upload cancelled');
    return err('network', `Upload failed: ${messageOf(e)}`);
  }
  const r = await readResult<{ uploadId: string }>(res);
  if (r.ok) opts.onProgress?.({ loaded: file.size, total: file.size });
  return r;
}

function xhrUpload(
  xhr: XhrLike,
  url: string,
  auth: Record<string, string>,
  file: Blob,
  opts: UploadOptions,
): Promise<Result<{ uploadId: string }>> {
  return new Promise((resolve) => {
    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (r: Result<{ uploadId: string }>) => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(auth)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => opts.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onerror = () => done(err('network', 'Upload failed: the connection to Meterbook was lost'));
    xhr.onabort = () => done(err('cancelled', 'Upload cancelled'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (isResult(body)) done(body as Result<{ uploadId: string }>);
      else if (xhr.status === 401 || xhr.status === 403)
        done(err('unauthorized', 'Meterbook refused the upload: the access token is missing or expired.'));
      else done(err(`http-${xhr.status}`, `Upload failed (HTTP ${xhr.status})`));
    };
    xhr.send(file);
  });
}

import { describe, expect, it, vi } from 'vitest';
import { createHttpBridge, type EventSourceLike } from '../../src-renderer/api/http-transport';
import { isResult } from '../../src-renderer/api/result';
import { readToken, takeTokenFromLocation, TOKEN_STORAGE_KEY } from '../../src-renderer/api/token';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('token', () => {
  it('reads the token from the query string and cleans it', () => {
    expect(readToken('?token=abc', null)).toEqual({ token: 'abc', cleanedSearch: '' });
    expect(readToken('?x=1&token=abc', 'old')).toEqual({ token: 'abc', cleanedSearch: '?x=1' });
  });

  it('falls back to the stored token', () => {
    expect(readToken('', 'kept')).toEqual({ token: 'kept', cleanedSearch: null });
    expect(readToken('?x=1', null)).toEqual({ token: null, cleanedSearch: null });
  });

  it('stores the token and removes it from the visible URL', () => {
    const store = new Map<string, string>();
    const replaceState = vi.fn();
    const win = {
      location: { search: '?token=t0k', pathname: '/', hash: '#x' },
      history: { state: null, replaceState },
      sessionStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    };
    expect(takeTokenFromLocation(win)).toBe('t0k');
    expect(store.get(TOKEN_STORAGE_KEY)).toBe('t0k');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/#x');

    const reloaded = { ...win, location: { search: '', pathname: '/', hash: '' } };
    expect(takeTokenFromLocation(reloaded)).toBe('t0k');
  });
});

describe('HTTP bridge', () => {
  it('POSTs JSON with the bearer token and returns the Result body', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => jsonResponse({ ok: true, value: { rows: 3 } }));
    const b = createHttpBridge({ token: 'tk', fetch: fetch as unknown as typeof globalThis.fetch, createXhr: null });
    const r = await b.call('explore.kpis', { from: '2025-01-01' });
    expect(r).toEqual({ ok: true, value: { rows: 3 } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/explore.kpis');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toMatchObject({ Authorization: 'Bearer tk', 'Content-Type': 'application/json' });
    expect(init?.body).toBe(JSON.stringify({ from: '2025-01-01' }));
  });

  it('passes engine errors through verbatim', async () => {
    const error = { code: 'bad-file', message: 'a.csv: row 3, column BilledCost: not a number' };
    const fetch = async () => jsonResponse({ ok: false, error }, 400);
    const b = createHttpBridge({ token: 'tk', fetch: fetch as unknown as typeof globalThis.fetch, createXhr: null });
    expect(await b.call('import.list', {})).toEqual({ ok: false, error });
  });

  it('turns network failures and non-Result replies into Results', async () => {
    const down = async () => {
      throw new TypeError('Failed to fetch');
    };
    const b1 = createHttpBridge({ token: 't', fetch: down as unknown as typeof globalThis.fetch, createXhr: null });
    const r1 = await b1.call('app.info', {});
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.code).toBe('network');

    const html = async () => new Response('<html>nope</html>', { status: 502 });
    const b2 = createHttpBridge({ token: 't', fetch: html as unknown as typeof globalThis.fetch, createXhr: null });
    const r2 = await b2.call('app.info', {});
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.error.code).toBe('http-502');

    const unauthorized = async () => new Response('', { status: 401 });
    const b3 = createHttpBridge({ token: 't', fetch: unauthorized as unknown as typeof globalThis.fetch, createXhr: null });
    const r3 = await b3.call('app.info', {});
    if (!r3.ok) expect(r3.error.code).toBe('unauthorized');
  });

  it('uploads the raw file with the name in the query string', async () => {
    const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => jsonResponse({ ok: true, value: { uploadId: 'u1' } }));
    const b = createHttpBridge({ token: 'tk', fetch: fetch as unknown as typeof globalThis.fetch, createXhr: null });
    const file = Object.assign(new Blob(['a,b\n1,2\n']), { name: 'my bill #1.csv' });
    const r = await b.uploadFile(file);
    expect(r).toEqual({ ok: true, value: { uploadId: 'u1' } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/upload?name=my%20bill%20%231.csv');
    expect(init?.headers).toMatchObject({ Authorization: 'Bearer tk', 'Content-Type': 'application/octet-stream' });
    expect(init?.body).toBe(file);
  });

  it('opens one EventSource with the token and routes named events', () => {
    const handlers = new Map<string, (e: { data?: unknown }) => void>();
    const urls: string[] = [];
    const es: EventSourceLike = {
      addEventListener: (type, l) => void handlers.set(type, l),
      close: vi.fn(),
    };
    const b = createHttpBridge({
      token: 'a b',
      createEventSource: (url) => {
        urls.push(url);
        return es;
      },
      createXhr: null,
    });
    const got: unknown[] = [];
    const off = b.on('import.progress', (p) => got.push(p));
    b.on('import.finished', (p) => got.push(p));
    expect(urls).toEqual(['/api/events?token=a%20b']);
    handlers.get('import.progress')!({ data: JSON.stringify({ jobId: 'j', rows: 5 }) });
    handlers.get('import.progress')!({ data: 'not json' });
    off();
    handlers.get('import.progress')!({ data: JSON.stringify({ jobId: 'j', rows: 6 }) });
    handlers.get('import.finished')!({ data: JSON.stringify({ jobId: 'j' }) });
    expect(got).toEqual([{ jobId: 'j', rows: 5 }, { jobId: 'j' }]);
    b.close();
    expect(es.close).toHaveBeenCalled();
  });
});

describe('isResult', () => {
  it('recognises both shapes only', () => {
    expect(isResult({ ok: true, value: null })).toBe(true);
    expect(isResult({ ok: false, error: { code: 'x', message: 'y' } })).toBe(true);
    expect(isResult({ ok: false })).toBe(false);
    expect(isResult('nope')).toBe(false);
  });
});

import type { ApiError, Result } from '../../src-shared/api/contract';

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: string, message: string, detail?: unknown): Result<T> {
  const error: ApiError = detail === undefined ? { code, message } : { code, message, detail };
  return { ok: false, error };
}

/** True for a `{ ok: true, value }` or `{ ok: false, error: { code, message } }` object. */
export function isResult(x: unknown): x is Result<unknown> {
  if (!x || typeof x !== 'object') return false;
  const r = x as { ok?: unknown; error?: unknown };
  if (r.ok === true) return 'value' in r;
  if (r.ok === false) {
    const e = r.error as { code?: unknown; message?: unknown } | undefined;
    return !!e && typeof e.code === 'string' && typeof e.message === 'string';
  }
  return false;
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

import type { ApiError } from '../../src-shared/api/contract';

/** An error a user can act on; crosses every boundary as `{code, message, detail}`. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'EngineError';
  }
  toApiError(): ApiError {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof EngineError) return e.toApiError();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as ApiError).code === 'string') {
    return { code: (e as ApiError).code, message: String((e as ApiError).message) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

// The only two IPC channels between the renderer's preload and the main process.

/** renderer → main, invoke: (method: string, input: unknown) → Result<unknown> */
export const CALL_CHANNEL = 'meterbook:call';
/** main → renderer, send: (event: string, payload: unknown) */
export const EVENT_CHANNEL = 'meterbook:event';

// The sandboxed preload: exposes exactly `window.meterbook = { call, on }` (ApiBridge in src-shared/api/client.ts)
// and nothing else. Never the raw ipcRenderer. Bundled to one CommonJS file (out/preload/preload.cjs).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiBridge } from '../../src-shared/api/client';
import type { Result } from '../../src-shared/api/contract';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';

const bridge = {
  call(method: string, input: unknown): Promise<Result<unknown>> {
    if (typeof method !== 'string') {
      return Promise.resolve({ ok: false, error: { code: 'bad-input', message: 'method must be a string' } });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, method, input) as Promise<Result<unknown>>;
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || typeof listener !== 'function') {
      throw new TypeError('meterbook.on(event: string, listener: function)');
    }
    // Electron's event object never reaches renderer code.
    const handler = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} satisfies ApiBridge;

contextBridge.exposeInMainWorld('meterbook', bridge);

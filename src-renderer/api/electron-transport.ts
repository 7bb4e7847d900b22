// Electron transport: the preload exposes an ApiBridge as `window.meterbook`.
import type { ApiBridge } from '../../src-shared/api/client';

/** What the preload exposes: exactly `call` and `on` (files travel as chunked uploads through the contract). */
export type ElectronBridge = ApiBridge;

declare global {
  interface Window {
    meterbook?: ElectronBridge;
  }
}

export function electronBridge(win: Window): ElectronBridge | null {
  const b = win.meterbook;
  if (b && typeof b.call === 'function' && typeof b.on === 'function') return b;
  return null;
}

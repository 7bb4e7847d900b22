// Electron transport: the preload exposes an ApiBridge as `window.meterbook`.
import type { ApiBridge } from '../../src-shared/api/client';

/** What the preload may expose. `pathForFile` is optional (webUtils.getPathForFile); without it files need the chooser. */
export interface ElectronBridge extends ApiBridge {
  pathForFile?: (file: File) => string;
}

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

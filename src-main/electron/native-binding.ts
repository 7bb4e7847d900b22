// Where the Electron build of better-sqlite3 lives. Node (tests, CLI, `meterbook serve`) uses the copy npm built in
// node_modules/better-sqlite3; Electron has another ABI, so bin/build-electron-native.mjs builds a second copy
// into .electron-native/ and the engine is pointed at it through its `nativeBinding` option. No module is ever
// rebuilt in place, so both hosts keep working side by side.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Relative to the app root (the folder holding package.json: `app.getAppPath()`). */
export const ELECTRON_NATIVE_DIR = '.electron-native';
export const ELECTRON_NATIVE_FILE = 'better_sqlite3.node';
/** Written by bin/build-electron-native.mjs next to the binding. */
export const ELECTRON_NATIVE_INFO = 'build-info.json';

export type NativeBinding = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The Electron-ABI better_sqlite3.node under `appRoot`, checked against the running Electron version when the build
 * recorded one.
 */
export function electronNativeBinding(appRoot: string, electronVersion: string | undefined): NativeBinding {
  const dir = join(appRoot, ELECTRON_NATIVE_DIR);
  const file = join(dir, ELECTRON_NATIVE_FILE);
  const rebuild = 'run `node bin/build-electron-native.mjs` (npm start does it for you)';
  if (!existsSync(file)) {
    return { ok: false, reason: `The Electron build of better-sqlite3 is missing (${file}); ${rebuild}.` };
  }
  const built = builtFor(join(dir, ELECTRON_NATIVE_INFO));
  if (built && electronVersion && built !== electronVersion) {
    return {
      ok: false,
      reason: `${file} was built for Electron ${built}, this is Electron ${electronVersion}; ${rebuild}.`,
    };
  }
  return { ok: true, path: file };
}

function builtFor(infoFile: string): string | undefined {
  try {
    const info: unknown = JSON.parse(readFileSync(infoFile, 'utf8'));
    if (info && typeof info === 'object' && 'electron' in info && typeof info.electron === 'string') {
      return info.electron;
    }
  } catch {
    // no or unreadable build info: trust the file
  }
  return undefined;
}

// The decision behind `npm start`: the desktop app when Electron's binary is installed (and can show a window),
// otherwise Meterbook in the browser through `meterbook serve`. Kept apart from bin/start.js so it can be tested
// against a fake node_modules/electron folder. Never require('electron') here: in Electron 45 that alone starts a
// download of the binary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ state: 'present', executable: string }
 *   | { state: 'no-package' }
 *   | { state: 'no-path-txt' }
 *   | { state: 'no-binary', executable: string }} ElectronBinary
 */

/**
 * What node_modules/electron holds: path.txt names the executable inside dist/.
 * @param {string} electronDir  the electron package folder (node_modules/electron)
 * @returns {ElectronBinary}
 */
export function electronBinary(electronDir) {
  if (!existsSync(join(electronDir, 'package.json'))) return { state: 'no-package' };
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { state: 'no-path-txt' };
  const rel = readFileSync(pathFile, 'utf8').trim();
  const executable = join(electronDir, 'dist', rel);
  if (!rel || !existsSync(executable)) return { state: 'no-binary', executable };
  return { state: 'present', executable };
}

/**
 * @typedef {{ mode: 'electron', executable: string }
 *   | { mode: 'browser', reason: string, message: string }} StartPlan
 */

const NO_BINARY = "Electron's binary is not installed here; starting Meterbook in your browser instead.";

/**
 * Electron or browser? When only path.txt is missing (the binary was never fetched), `install` (which runs
 * node_modules/electron/install.js) is tried once, unless ELECTRON_SKIP_BINARY_DOWNLOAD is set.
 *
 * @param {{
 *   electronDir: string,
 *   env?: Record<string, string | undefined>,
 *   platform?: string,
 *   install?: () => boolean,
 * }} opts
 * @returns {StartPlan}
 */
export function planStart({ electronDir, env = process.env, platform = process.platform, install }) {
  if (env.MB_START_MODE === 'browser') {
    return { mode: 'browser', reason: 'MB_START_MODE=browser', message: 'Starting Meterbook in your browser (MB_START_MODE=browser).' };
  }
  let bin = electronBinary(electronDir);
  if (bin.state === 'no-path-txt' && install && !isSet(env.ELECTRON_SKIP_BINARY_DOWNLOAD)) {
    install();
    bin = electronBinary(electronDir);
  }
  if (bin.state !== 'present') {
    const why = {
      'no-package': 'node_modules/electron is not installed',
      'no-path-txt': 'node_modules/electron/path.txt is missing',
      'no-binary': `${'executable' in bin ? bin.executable : 'the executable'} is missing`,
    }[bin.state];
    return { mode: 'browser', reason: why, message: NO_BINARY };
  }
  // Linux without a display server cannot open a window.
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      mode: 'browser',
      reason: 'DISPLAY and WAYLAND_DISPLAY are unset',
      message: 'No display to open a window on; starting Meterbook in your browser instead.',
    };
  }
  return { mode: 'electron', executable: bin.executable };
}

/** @param {string | undefined} v */
function isSet(v) {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

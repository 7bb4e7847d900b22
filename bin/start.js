#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is here, Meterbook in the browser otherwise.
//
//   Electron: build the Electron copy of better-sqlite3 if needed (bin/build-electron-native.mjs), then
//             `electron-vite preview` (builds out/ and starts the app).
//   Browser:  `node bin/meterbook.js serve` (prints the URL to open).
//
// Arguments after `npm start --` go to `meterbook serve` in browser mode and to Electron in desktop mode.
// MB_START_MODE=browser forces browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planStart } from './start-lib.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const args = process.argv.slice(2);

const plan = planStart({
  electronDir,
  install: () => {
    console.log("Electron is installed without its binary; trying once to fetch it (set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip)…");
    const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
      timeout: 10 * 60_000,
    });
    if (r.status !== 0) {
      const why = (r.error?.message ?? r.stderr ?? '').split('\n').find((l) => l.trim()) ?? `exit ${r.status}`;
      console.log(`Could not fetch Electron's binary: ${why.trim()}`);
      return false;
    }
    return true;
  },
});

if (plan.mode === 'electron') {
  const native = spawnSync(process.execPath, [join(root, 'bin', 'build-electron-native.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (native.status !== 0) {
    console.error('Could not build better-sqlite3 for Electron; starting Meterbook in your browser instead.');
    startBrowser();
  } else {
    const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    run([cli, 'preview', ...(args.length > 0 ? ['--', ...args] : [])], {
      ...process.env,
      // electron-vite reads this instead of resolving the electron package.
      ELECTRON_EXEC_PATH: plan.executable,
    });
  }
} else {
  console.log(plan.message);
  if (process.env.MB_DEBUG) console.log(`(${plan.reason})`);
  startBrowser();
}

function startBrowser() {
  run([join(root, 'bin', 'meterbook.js'), 'serve', ...args], process.env);
}

/**
 * Runs `node <argv>` with inherited stdio, forwards SIGINT/SIGTERM and exits with the child's status.
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 */
function run(argv, env) {
  const child = spawn(process.execPath, argv, { cwd: root, stdio: 'inherit', env });
  /** @param {NodeJS.Signals} signal */
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`Could not start ${argv[0]}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

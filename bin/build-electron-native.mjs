#!/usr/bin/env node
// Builds better-sqlite3 against Electron's headers into .electron-native/better_sqlite3.node, next to (never over)
// the Node build in node_modules/better-sqlite3 that tests, the CLI and `meterbook serve` use. The Electron main
// process hands this file to the engine as `nativeBinding` (src-main/electron/native-binding.ts).
//
//   node bin/build-electron-native.mjs [--force]
//
// Skips quietly when .electron-native/build-info.json says it is already built for this Electron, better-sqlite3,
// platform and arch. Needs a C/C++ toolchain and network access to Electron's headers (https://electronjs.org/headers)
// the first time. Does not load or download Electron itself.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.electron-native');
const outFile = join(outDir, 'better_sqlite3.node');
const infoFile = join(outDir, 'build-info.json');
const force = process.argv.includes('--force');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

/** Is `p` the folder `dir` or inside it? */
function within(p, dir) {
  return p === dir || p.startsWith(dir + sep);
}

/** node-gyp's CLI script: the project's own, then the one npm bundles (npm tells scripts where it is). */
function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency of the project
  }
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const nodeDir = dirname(process.execPath);
  candidates.push(
    join(nodeDir, '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'), // Unix installs
    join(nodeDir, 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'), // Windows installs
  );
  if (process.env.npm_execpath) {
    candidates.push(join(dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js'));
  }
  return candidates.find((c) => existsSync(c));
}

function main() {
  const electronPkg = join(root, 'node_modules/electron/package.json');
  const sqlitePkgDir = join(root, 'node_modules/better-sqlite3');
  if (!existsSync(electronPkg)) fail('node_modules/electron is not installed (run npm install).');
  if (!existsSync(join(sqlitePkgDir, 'package.json'))) fail('node_modules/better-sqlite3 is not installed (run npm install).');

  const wanted = {
    electron: readJson(electronPkg).version,
    betterSqlite3: readJson(join(sqlitePkgDir, 'package.json')).version,
    platform: process.platform,
    arch: process.env.npm_config_arch || process.arch,
  };

  if (!force && existsSync(outFile) && existsSync(infoFile)) {
    try {
      const have = readJson(infoFile);
      if (Object.entries(wanted).every(([k, v]) => have[k] === v)) {
        console.log(`build-electron-native: better-sqlite3 ${wanted.betterSqlite3} already built for Electron ${wanted.electron}.`);
        return;
      }
    } catch {
      // unreadable build info: rebuild
    }
  }

  const nodeGyp = findNodeGyp();
  const gypArgs = [
    'rebuild',
    '--release',
    `--target=${wanted.electron}`,
    `--arch=${wanted.arch}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ];

  console.log(
    `build-electron-native: building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} ` +
      `(${wanted.platform}-${wanted.arch}); this takes a minute or two the first time.`,
  );

  const work = mkdtempSync(join(tmpdir(), 'meterbook-electron-native-'));
  try {
    const src = join(work, 'better-sqlite3');
    // A private copy, so node_modules/better-sqlite3/build (the Node binding) is never touched.
    cpSync(sqlitePkgDir, src, {
      recursive: true,
      filter: (p) => !within(p, join(sqlitePkgDir, 'build')) && !within(p, join(sqlitePkgDir, 'node_modules')),
    });
    // npm exports its config to scripts (`npm start` → npm_config_nodedir=… from a user .npmrc, say); node-gyp
    // would follow those to Node's headers and build for the wrong ABI. Only our settings may reach it.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|target_arch|runtime|dist_?url|disturl|arch|build_from_source)$/i.test(k)),
    );
    Object.assign(env, {
      npm_config_runtime: 'electron',
      npm_config_target: wanted.electron,
      npm_config_arch: wanted.arch,
      npm_config_disturl: 'https://electronjs.org/headers',
    });
    const r = nodeGyp
      ? spawnSync(process.execPath, [nodeGyp, ...gypArgs], { cwd: src, stdio: 'inherit', env })
      : spawnSync('npm', ['exec', '--yes', '--', 'node-gyp', ...gypArgs], {
          cwd: src,
          stdio: 'inherit',
          env,
          shell: process.platform === 'win32',
        });
    if (r.error) fail(`could not run node-gyp: ${r.error.message}`);
    if (r.status !== 0) fail(`node-gyp failed (exit ${r.status ?? r.signal}).`);
    const built = join(src, 'build/Release/better_sqlite3.node');
    if (!existsSync(built)) fail(`node-gyp finished but ${built} is missing.`);
    mkdirSync(outDir, { recursive: true });
    copyFileSync(built, outFile);
    writeFileSync(infoFile, JSON.stringify({ ...wanted, builtAt: new Date().toISOString() }, null, 2) + '\n');
    console.log(`build-electron-native: wrote ${outFile}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(`build-electron-native: ${err instanceof BuildError ? err.message : (err?.stack ?? err)}`);
  process.exitCode = 1;
}

// `npm start` chooses between the desktop app and browser mode (bin/start-lib.js), checked against fake
// node_modules/electron folders. Nothing here loads or downloads Electron.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinary, planStart } from '../../bin/start-lib.js';

const NO_BINARY = "Electron's binary is not installed here; starting Meterbook in your browser instead.";
const withDisplay = { DISPLAY: ':0' };

let dir: string;
let electronDir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mb-start-'));
  electronDir = join(dir, 'node_modules', 'electron');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fakePackage(): void {
  mkdirSync(electronDir, { recursive: true });
  writeFileSync(join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
}
function fakePathTxt(rel = 'electron'): void {
  writeFileSync(join(electronDir, 'path.txt'), rel);
}
function fakeBinary(rel = 'electron'): string {
  const file = join(electronDir, 'dist', rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  return file;
}

describe('electronBinary', () => {
  it('reports each missing piece', () => {
    expect(electronBinary(electronDir)).toEqual({ state: 'no-package' });
    fakePackage();
    expect(electronBinary(electronDir)).toEqual({ state: 'no-path-txt' });
    fakePathTxt();
    expect(electronBinary(electronDir)).toEqual({ state: 'no-binary', executable: join(electronDir, 'dist', 'electron') });
    const exe = fakeBinary();
    expect(electronBinary(electronDir)).toEqual({ state: 'present', executable: exe });
  });

  it('follows path.txt to the executable (macOS layout)', () => {
    fakePackage();
    const rel = 'Electron.app/Contents/MacOS/Electron';
    fakePathTxt(rel);
    const exe = fakeBinary(rel);
    expect(electronBinary(electronDir)).toEqual({ state: 'present', executable: exe });
  });
});

describe('planStart', () => {
  it('starts Electron when the binary is present', () => {
    fakePackage();
    fakePathTxt();
    const exe = fakeBinary();
    expect(planStart({ electronDir, env: withDisplay, platform: 'linux' })).toEqual({ mode: 'electron', executable: exe });
    expect(planStart({ electronDir, env: {}, platform: 'darwin' })).toEqual({ mode: 'electron', executable: exe });
    expect(planStart({ electronDir, env: {}, platform: 'win32' })).toEqual({ mode: 'electron', executable: exe });
  });

  it('falls back to the browser without the electron package', () => {
    const plan = planStart({ electronDir, env: withDisplay, platform: 'linux', install: () => expect.fail('no install') });
    expect(plan).toMatchObject({ mode: 'browser', message: NO_BINARY });
  });

  it('falls back to the browser when path.txt names a missing file, without trying to install', () => {
    fakePackage();
    fakePathTxt();
    let installs = 0;
    const plan = planStart({ electronDir, env: withDisplay, platform: 'linux', install: () => ++installs > 0 });
    expect(plan).toMatchObject({ mode: 'browser', message: NO_BINARY });
    expect(installs).toBe(0);
  });

  it('tries the installer once when only path.txt is missing, then re-checks', () => {
    fakePackage();
    let installs = 0;
    const install = (): boolean => {
      installs++;
      fakePathTxt();
      fakeBinary();
      return true;
    };
    const plan = planStart({ electronDir, env: withDisplay, platform: 'linux', install });
    expect(installs).toBe(1);
    expect(plan).toEqual({ mode: 'electron', executable: join(electronDir, 'dist', 'electron') });
  });

  it('uses the browser when the one install attempt fails', () => {
    fakePackage();
    let installs = 0;
    const plan = planStart({ electronDir, env: withDisplay, platform: 'linux', install: () => (installs++, false) });
    expect(installs).toBe(1);
    expect(plan).toMatchObject({ mode: 'browser', message: NO_BINARY });
  });

  it('does not try to install when ELECTRON_SKIP_BINARY_DOWNLOAD is set', () => {
    fakePackage();
    let installs = 0;
    const env = { ...withDisplay, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    const plan = planStart({ electronDir, env, platform: 'linux', install: () => ++installs > 0 });
    expect(installs).toBe(0);
    expect(plan).toMatchObject({ mode: 'browser', message: NO_BINARY });
  });

  it('uses the browser on Linux without a display server', () => {
    fakePackage();
    fakePathTxt();
    fakeBinary();
    expect(planStart({ electronDir, env: {}, platform: 'linux' })).toMatchObject({ mode: 'browser' });
    expect(planStart({ electronDir, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' })).toMatchObject({
      mode: 'electron',
    });
  });

  it('honours MB_START_MODE=browser', () => {
    fakePackage();
    fakePathTxt();
    fakeBinary();
    expect(planStart({ electronDir, env: { ...withDisplay, MB_START_MODE: 'browser' }, platform: 'linux' })).toMatchObject({
      mode: 'browser',
    });
  });
});

// Shared by the e2e spec files: one `meterbook serve` per spec file (its own data directory), and screenshots saved
// where the reviewer looks at them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'test/.artifacts/screenshots');

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

export interface Served {
  url: string;
  dataDir: string;
  /** The engine's answer to one API call over HTTP, with the token serve printed; an error answer throws. */
  call<T>(method: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Start `meterbook serve` on a free port with a fresh data directory; resolves with its tokenized URL. `args` go to
 * serve as they are (e.g. `--workspace FILE`: open that workspace instead of building the demo on first start).
 */
export async function startServe(args: readonly string[] = []): Promise<Served> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-e2e-'));
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/meterbook.js'), 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, MB_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    server.stdout!.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(buf);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    setTimeout(() => reject(new Error('serve did not print its URL')), 120_000);
  });
  const u = new URL(url);
  return {
    url,
    dataDir,
    async call<T>(method: string, input: unknown): Promise<T> {
      const res = await fetch(`${u.origin}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${u.searchParams.get('token')}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
      return body.value;
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Import `files` with the CLI into a new workspace in a temporary directory, then serve it. `stop()` also removes the
 * workspace. A failed import throws with the CLI's message.
 */
export async function serveImported(files: readonly string[], name: string): Promise<Served> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `meterbook-e2e-${name}-`));
  const ws = path.join(dir, `${name}.meterbook`);
  const imported = spawnSync(process.execPath, [path.join(ROOT, 'bin/meterbook.js'), 'import', ...files, '--workspace', ws], { cwd: ROOT, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`importing ${files.join(', ')} failed (${imported.status}): ${imported.stderr}`);
  const served = await startServe(['--workspace', ws]);
  return {
    ...served,
    async stop() {
      await served.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

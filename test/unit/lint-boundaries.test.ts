// Proves each boundary rule of eslint.config.js fires (and that allowed imports stay allowed), by linting snippets
// as if they lived at given paths. The boundary rules are syntax-only, so type information is switched off for these
// virtual files (they are in no tsconfig); everything else is the repository's real config.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: { files: ['**/*.ts', '**/*.tsx'], ...tseslint.configs.disableTypeChecked },
  });
});

const BOUNDARY_RULES = new Set([
  'no-restricted-imports',
  '@typescript-eslint/no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-properties',
  'no-restricted-syntax',
]);

/** Boundary errors for `code` linted as `file` (relative to the repo); fails on parse errors. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  if (!result) throw new Error('no lint result');
  const fatal = result.messages.filter((m) => m.fatal || m.ruleId === null);
  expect(fatal.map((m) => m.message)).toEqual([]);
  return result.messages.filter((m) => m.severity === 2 && m.ruleId && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message);
}

async function expectBlocked(file: string, code: string, messagePart?: string): Promise<void> {
  const errors = await boundaryErrors(file, code);
  expect(errors.length, `${file}: expected a boundary error for:\n${code}`).toBeGreaterThan(0);
  if (messagePart) expect(errors.join('\n')).toContain(messagePart);
}

async function expectAllowed(file: string, code: string): Promise<void> {
  expect(await boundaryErrors(file, code)).toEqual([]);
}

describe('src-shared runs everywhere', () => {
  const file = 'src-shared/x.ts';

  it('rejects Node built-ins, bare or node:-prefixed', async () => {
    await expectBlocked(file, "import fs from 'node:fs';\nexport const a = fs;\n", 'Node built-ins');
    await expectBlocked(file, "import { readFile } from 'fs/promises';\nexport const a = readFile;\n");
    await expectBlocked(file, "import path from 'path';\nexport const a = path;\n");
    await expectBlocked(file, "import { Worker } from 'node:worker_threads';\nexport const a = Worker;\n");
    await expectBlocked(file, "export const load = () => import('node:os');\n");
    await expectBlocked(file, "export const load = () => import('fs/promises');\n");
    await expectAllowed(file, "export const load = () => import('./api/contract');\n");
  });

  it('rejects Electron, React, better-sqlite3 and the other trees', async () => {
    await expectBlocked(file, "import { app } from 'electron';\nexport const a = app;\n", 'Electron');
    await expectBlocked(file, "import { useState } from 'react';\nexport const a = useState;\n", 'React');
    await expectBlocked(file, "import Database from 'better-sqlite3';\nexport const a = Database;\n");
    await expectBlocked(file, "import { createEngine } from '../src-main/engine/engine';\nexport const a = createEngine;\n");
    await expectBlocked(file, "import { App } from '../src-renderer/App';\nexport const a = App;\n");
  });

  it('rejects DOM and Node globals', async () => {
    await expectBlocked(file, 'export const a = window.location.href;\n', 'DOM globals');
    await expectBlocked(file, 'export const a = document.title;\n');
    await expectBlocked(file, "export const a = localStorage.getItem('k');\n");
    await expectBlocked(file, 'export const a = process.env;\n', 'Node globals');
  });

  it('allows plain dependencies and its own modules', async () => {
    await expectAllowed(file, "import { z } from 'zod';\nimport { api } from './api/contract';\nexport const a = [z, api];\n");
  });
});

describe('src-renderer is browser code', () => {
  const file = 'src-renderer/x.tsx';

  it('rejects Electron, including the bridge APIs', async () => {
    await expectBlocked(file, "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n");
    await expectBlocked(file, "import { webUtils } from 'electron/renderer';\nexport const a = webUtils;\n");
  });

  it('rejects Node built-ins, better-sqlite3 and src-main', async () => {
    await expectBlocked(file, "import fs from 'node:fs';\nexport const a = fs;\n");
    await expectBlocked(file, "import os from 'os';\nexport const a = os;\n");
    await expectBlocked(file, "export const load = () => import('electron');\n");
    await expectBlocked(file, "import Database from 'better-sqlite3';\nexport const a = Database;\n");
    await expectBlocked(
      file,
      "import { createEngine } from '../src-main/engine/engine';\nexport const a = createEngine;\n",
      'src-main',
    );
    await expectBlocked(file, "import type { Engine } from '../src-main/engine/engine';\nexport type A = Engine;\n");
  });

  it('allows src-shared and React', async () => {
    await expectAllowed(
      file,
      "import { useState } from 'react';\nimport { typedClient } from '../src-shared/api/client';\nexport const a = [useState, typedClient];\n",
    );
  });
});

describe('only the preload touches contextBridge / ipcRenderer', () => {
  const bridge = "import { contextBridge, ipcRenderer } from 'electron';\nexport const a = [contextBridge, ipcRenderer];\n";

  it('rejects them in the Electron main process', async () => {
    await expectBlocked(
      'src-main/electron/main.ts',
      "import { contextBridge } from 'electron';\nexport const a = contextBridge;\n",
      'preload',
    );
    await expectBlocked('src-main/electron/main.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n");
    await expectBlocked('src-main/electron/main.ts', "import * as electron from 'electron';\nexport const a = electron;\n");
    await expectBlocked(
      'src-main/electron/main.ts',
      "import electron from 'electron';\nexport const a = electron.contextBridge;\n",
      'preload',
    );
  });

  it('rejects them in tests, scripts and plain JS', async () => {
    await expectBlocked('test/unit/x.test.ts', bridge);
    await expectBlocked('bin/x.js', bridge);
    await expectBlocked('scripts/x.mjs', bridge);
  });

  it('allows them in the preload, which may not use Node built-ins', async () => {
    await expectAllowed('src-main/electron/preload.ts', bridge);
    await expectBlocked('src-main/electron/preload.ts', "import fs from 'node:fs';\nexport const a = fs;\n");
  });

  it('lets the main process use the rest of Electron', async () => {
    await expectAllowed(
      'src-main/electron/main.ts',
      "import { app, BrowserWindow, ipcMain } from 'electron';\nexport const a = [app, BrowserWindow, ipcMain];\n",
    );
  });
});

describe('the engine runs without Electron', () => {
  it('rejects Electron value imports outside src-main/electron, but allows types', async () => {
    await expectBlocked('src-main/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n", 'Electron');
    await expectAllowed('src-main/engine/x.ts', "import type { WebContents } from 'electron';\nexport type A = WebContents;\n");
    await expectAllowed('src-main/engine/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n");
  });
});

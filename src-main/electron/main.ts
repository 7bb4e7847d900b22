// Electron main process: one window, the engine in this process (its heavy work runs in worker threads), and one
// IPC channel each way. Built by electron-vite to out/main/index.js (package.json "main").
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
} from 'electron';
import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, type Result } from '../../src-shared/api/contract';
import { defaultDataDir } from '../engine/data-dir';
import { createEngine, type Engine } from '../engine/engine';
import { WORKSPACE_EXTENSION } from '../store/workspace';
import { useBundledWorkers } from '../workers/worker-url';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels';
import { electronNativeBinding } from './native-binding';
import { CSP, devCsp, hardenContents, hardenSession, isAllowedNavigation } from './security';

/** Set by `electron-vite dev` only; the built app loads out/renderer/index.html from disk. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const devToolsAllowed = Boolean(devServerUrl) || process.env['MB_DEVTOOLS'] === '1';

// This file is out/main/index.js once built; the worker entries are built next to it (electron.vite.config.ts).
useBundledWorkers(import.meta.dirname);
const preloadPath = join(import.meta.dirname, '../preload/preload.cjs');
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererUrl = devServerUrl ?? pathToFileURL(rendererFile).href;

let win: BrowserWindow | null = null;
let engine: Engine | null = null;
let dataDir = '';

// ---------- start ----------

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // Every web contents the app ever creates gets the navigation / new-window / webview rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, () => rendererUrl));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', onBeforeQuit);
  app.whenReady().then(start, fatal);
}

async function start(): Promise<void> {
  try {
    hardenSession(session.defaultSession, devServerUrl ? devCsp(devServerUrl) : CSP);

    const binding = electronNativeBinding(app.getAppPath(), process.versions.electron);
    if (!binding.ok) {
      dialog.showErrorBox('Meterbook cannot start', binding.reason);
      app.exit(1);
      return;
    }

    dataDir = defaultDataDir();
    engine = await createEngine({ host: 'electron', dataDir, nativeBinding: binding.path, desktop: { pickSavePath: pickExportPath, reveal: (p) => shell.showItemInFolder(p) } });
    engine.subscribe(forwardEvent);
    ipcMain.handle(CALL_CHANNEL, handleCall);

    Menu.setApplicationMenu(buildMenu());
    await createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  } catch (err) {
    fatal(err);
  }
}

function fatal(err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error('[meterbook] start-up failed:', text);
  dialog.showErrorBox('Meterbook could not start', text);
  app.exit(1);
}

async function createWindow(): Promise<void> {
  const w = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Meterbook',
    backgroundColor: '#16181d',
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: devToolsAllowed,
    },
  });
  win = w;
  w.once('ready-to-show', () => w.show());
  w.on('closed', () => {
    if (win === w) win = null;
  });
  w.webContents.on('render-process-gone', (_event, details) => {
    console.error('[meterbook] renderer gone:', details.reason, details.exitCode);
  });
  try {
    if (devServerUrl) await w.loadURL(devServerUrl);
    else await w.loadFile(rendererFile);
  } catch (err) {
    console.error('[meterbook] could not load the renderer:', err);
    w.show();
  }
}

// ---------- IPC ----------

/** Only our window's top frame, showing our renderer, may call the engine. */
function isTrustedSender(e: IpcMainInvokeEvent): boolean {
  const frame = e.senderFrame;
  if (!win || win.isDestroyed() || !frame) return false;
  const contents = win.webContents;
  const main = contents.mainFrame;
  return (
    e.sender.id === contents.id &&
    frame.processId === main.processId &&
    frame.routingId === main.routingId &&
    isAllowedNavigation(frame.url, rendererUrl)
  );
}

async function handleCall(e: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isTrustedSender(e)) throw new Error('meterbook: call refused from an untrusted frame');
  if (typeof method !== 'string') {
    return { ok: false, error: { code: ErrorCodes.badInput, message: 'method must be a string' } };
  }
  if (!engine) return { ok: false, error: { code: ErrorCodes.internal, message: 'The engine is not running.' } };
  try {
    return await engine.call(method, input);
  } catch (err) {
    // The engine returns errors as values; anything thrown is a bug: keep the app alive and say so.
    console.error(`[meterbook] ${method} threw:`, err);
    return { ok: false, error: { code: ErrorCodes.internal, message: `Internal error in ${method}.` } };
  }
}

function forwardEvent(event: string, payload: unknown): void {
  const w = win;
  if (!w || w.isDestroyed() || w.webContents.isDestroyed()) return;
  w.webContents.send(EVENT_CHANNEL, event, payload);
}

// ---------- menu ----------

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New workspace…', accelerator: 'CmdOrCtrl+N', click: () => void newWorkspace() },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void openWorkspace() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    file,
    // Copy/paste shortcuts in text fields need the edit roles on macOS.
    { role: 'editMenu' },
    ...(devToolsAllowed ? [view] : []),
  ];
  return Menu.buildFromTemplate(template);
}

const workspaceFilters = [{ name: 'Meterbook workspace', extensions: [WORKSPACE_EXTENSION.replace(/^\./, '')] }];

async function newWorkspace(): Promise<void> {
  // Where the engine puts workspaces created without a path.
  const folder = join(dataDir, 'workspaces');
  mkdirSync(folder, { recursive: true });
  const options: Electron.SaveDialogOptions = {
    title: 'New workspace',
    buttonLabel: 'Create',
    defaultPath: join(folder, `Untitled${WORKSPACE_EXTENSION}`),
    filters: workspaceFilters,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const res = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (res.canceled || !res.filePath || !engine) return;
  let path = res.filePath;
  if (extname(path).toLowerCase() !== WORKSPACE_EXTENSION) path += WORKSPACE_EXTENSION;
  const name = basename(path, WORKSPACE_EXTENSION).slice(0, 120) || 'Untitled';
  await showIfFailed('Could not create the workspace', await engine.call('workspace.create', { name, path }));
}

async function openWorkspace(): Promise<void> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open workspace',
    filters: workspaceFilters,
    properties: ['openFile'],
  };
  const res = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const path = res.filePaths[0];
  if (res.canceled || !path || !engine) return;
  await showIfFailed('Could not open the workspace', await engine.call('workspace.open', { path }));
}

/** The export destination: a CSV file, or the folder a Parquet export creates (one subfolder per billing period). */
async function pickExportPath(format: 'csv' | 'parquet', defaultPath: string | undefined): Promise<string | null> {
  const options: Electron.SaveDialogOptions = {
    title: format === 'csv' ? 'Export as CSV' : 'Export as Parquet (a folder)',
    buttonLabel: 'Export',
    ...(defaultPath ? { defaultPath } : {}),
    ...(format === 'csv' ? { filters: [{ name: 'CSV', extensions: ['csv'] }] } : {}),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const res = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return res.canceled || !res.filePath ? null : res.filePath;
}

async function showIfFailed(title: string, result: Result<unknown>): Promise<void> {
  if (result.ok) return;
  const options: Electron.MessageBoxOptions = { type: 'error', message: title, detail: result.error.message };
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}

// ---------- quit ----------

let closing = false;
let closed = false;

/** Close the engine (workers, databases) before the app goes; never hang on it for more than 5 s. */
function onBeforeQuit(event: Electron.Event): void {
  if (closed || !engine) return;
  event.preventDefault();
  if (closing) return;
  closing = true;
  const e = engine;
  engine = null;
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  void Promise.race([e.close(), timeout])
    .catch((err: unknown) => console.error('[meterbook] closing the engine failed:', err))
    .finally(() => {
      closed = true;
      app.quit();
    });
}

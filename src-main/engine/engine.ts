// The engine: one handler per contract method, served unchanged by every host (Electron IPC, loopback HTTP, CLI).
// Input is validated against the contract here, at the boundary; every failure leaves as an error value.
import fs from 'node:fs';
import path from 'node:path';
import { api, isMethod, type EventName, type EventPayload, type Method, type ParsedInput, type Output, type Result } from '../../src-shared/api/contract';
import { EngineError, toApiError } from './errors';
import { Workspaces } from './workspaces';
import { ImportService } from './import-service';
import { QueryClient } from '../explore/query-client';
import { ExportJobs } from '../explore/export-runner';
import { exportTarget } from '../explore/export-target';
import type { QueryMethod } from '../explore/query-protocol';
import { loadModel } from '../conformance/model';
import { SavedViews } from './saved-views';
import { ApplyRunner } from '../allocate/apply-runner';
import { refuseAllocationFilters } from '../allocate/explore';
import { LatestOnly } from './latest-only';
import { allocationState, appliedVersionId, deleteDriver, diffVersions, getVersion, importDrivers, saveDraft } from '../allocate/store';
import { showback, writeShowbackCsv } from '../allocate/showback';
import { cubeAnswers, signatureColumns } from '../allocate/groups';
import { fieldsRead } from '../../src-shared/allocate/rules';
import { ruleSetProblems } from '../../src-shared/allocate/ruleset';

export interface EngineOptions {
  host: 'electron' | 'http' | 'cli' | 'test';
  dataDir: string;
  workspacePath?: string;
  nativeBinding?: string;
  /** What only a desktop host can do: a native save dialog and showing a file in the file manager. */
  desktop?: DesktopActions;
}

export interface DesktopActions {
  pickSavePath(format: 'csv' | 'parquet', defaultPath: string | undefined): Promise<string | null>;
  reveal(path: string): void;
}

export interface Engine {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  close(): Promise<void>;
  /** Typed in-process access for the CLI and tests. */
  invoke<M extends Method>(method: M, input: unknown): Promise<Output<M>>;
  readonly dataDir: string;
}

export type Handlers = { [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M> };

export const VERSION = '0.1.0';

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners) l(event, payload);
    if (event === 'import.finished' && (payload as EventPayload<'import.finished'>).outcome.status === 'done') refreshAllocation();
  };
  /** New rows: the applied allocation is run again over all history, so explore and showback cover them at once. */
  function refreshAllocation(): void {
    const ws = workspaces.currentInfo();
    if (!ws || appliedVersionId(workspaces.requireDb()) === null) return;
    applies.refresh(ws.path).then(
      (out) => {
        emit('allocation.refreshed', { version: out.version, ok: true, message: null });
        emit('workspace.changed', { workspace: workspaces.currentInfo() });
      },
      (e: unknown) => emit('allocation.refreshed', { version: null, ok: false, message: toApiError(e).message }),
    );
  }
  const workspaces = new Workspaces(opts.dataDir, opts.nativeBinding, (ws) => {
    emit('workspace.changed', { workspace: ws });
    // the overview's questions follow at once: have the query worker started, the file open and the cubes loading
    if (ws) warmQueries(ws.path);
  });
  const imports = new ImportService(workspaces, opts.dataDir, opts.nativeBinding, emit);
  // Queries run in a worker thread: a slow one never blocks the host's main thread.
  const queries = new QueryClient(opts.nativeBinding);
  const q = <T>(method: QueryMethod, input: unknown, lane?: 'quick' | 'long' | 'allocation') =>
    queries.run<T>(workspaces.requirePath(), method, input, lane);
  function warmQueries(workspacePath: string): void {
    queries.warm(workspacePath);
  }
  // Small rows on the engine's own connection: no worker round trip.
  const views = new SavedViews(() => workspaces.requireDb());
  // Exports write files for tens of seconds: each in a worker of its own, so queries keep answering meanwhile.
  const exports = new ExportJobs(opts.nativeBinding, (exportId, p) => emit('export.progress', { exportId, ...p }));
  // Rules over the month cube's columns preview in milliseconds (quick lane); others group raw rows once, in a lane of
  // their own.
  // Only the latest edit's preview waits its turn: a burst of edits never queues a burst of previews.
  const previews = new LatestOnly();
  const isX = (column: string) => /^x_/i.test(column);
  // Apply writes for seconds: in a worker of its own, one at a time.
  const applies = new ApplyRunner(opts.nativeBinding, (p) => emit('allocation.progress', p));
  const db = () => workspaces.requireDb();
  const desktop = () => {
    if (!opts.desktop) throw new EngineError('unsupported', 'Only the desktop app has a save dialog and a file manager to show files in; type the path instead');
    return opts.desktop;
  };
  if (opts.workspacePath) workspaces.open(path.resolve(opts.workspacePath), { create: true });

  const handlers: Handlers = {
    'app.info': () => ({ version: VERSION, host: opts.host, dataDir: opts.dataDir }),
    'workspace.current': () => workspaces.currentInfo(),
    'workspace.recent': () => workspaces.recent(),
    'workspace.create': (i) => workspaces.create(i.name, i.path),
    'workspace.open': (i) => workspaces.open(path.resolve(i.path), { create: false }),
    'workspace.openDemo': () => imports.openDemo(),
    'upload.begin': (i) => imports.uploads.begin(i.name, i.size),
    'upload.append': (i) => imports.uploads.append(i.uploadId, i.data),
    'upload.finish': (i) => imports.uploads.finish(i.uploadId),
    'import.start': (i) => imports.start(i.files, i.mode),
    'import.cancel': (i) => ({ cancelled: imports.cancel(i.jobId) }),
    'import.list': () => workspaces.imports(),
    'import.report': (i) => workspaces.report(i.importFileId),
    'validate.file': (i) => imports.validate(i.file, i.applicability),
    'conformance.criteria': () =>
      Object.entries(loadModel().ApplicabilityCriteria).map(([id, c]) => ({ id, description: (c as { Description?: string }).Description ?? id })),
    'conformance.applicability': () => imports.applicability.get(),
    'conformance.setApplicability': (i) => imports.applicability.set(i.provider, i.criteria),
    'mapping.inspect': (i) => imports.inspect(i.file),
    'mapping.preview': (i) => imports.preview(i.file, i.template),
    'mapping.templates': () => imports.templates.list(),
    'mapping.saveTemplate': (i) => imports.templates.save(i),
    'mapping.deleteTemplate': (i) => ({ deleted: imports.templates.delete(i.id) }),
    'mapping.importTemplates': (i) => ({ saved: imports.templates.saveMany(i.templates) }),
    'explore.dimensions': () => q('dimensions', {}),
    // x_ columns (imported or allocation dimensions) read raw rows, except whole months by an allocation dimension
    'explore.kpis': (i) => q('kpis', i, i.filters.some((f) => isX(f.column)) ? 'long' : undefined),
    'explore.query': (i) => q('query', i, [...i.groupBy, ...i.filters.map((f) => f.column)].some(isX) && (i.granularity === 'day' || i.granularity === 'week') ? 'long' : undefined),
    'explore.values': (i) => q('values', i),
    'explore.rows': (i) => q('rows', i),
    'explore.datasetQuery': (i) => q('datasetQuery', i),
    'explore.datasetLinks': (i) => q('datasetLinks', i),
    'explore.compare': (i) => q('compare', i),
    // resolved here: the host's working directory is the one the user meant
    'explore.export': (i) => {
      refuseAllocationFilters(workspaces.requireDb(), i.filters, 'An export');
      return exports.run(workspaces.requirePath(), { ...i, path: path.resolve(i.path) }, i.exportId);
    },
    'export.cancel': (i) => ({ cancelled: exports.cancel(i.exportId) }),
    'export.target': (i) => ({ ...exportTarget(i.format, i.name ?? workspaces.currentInfo()?.name), canPick: Boolean(opts.desktop), canReveal: Boolean(opts.desktop) }),
    'export.pickPath': async (i) => ({ path: await desktop().pickSavePath(i.format, i.defaultPath) }),
    'export.reveal': (i) => {
      desktop().reveal(path.resolve(i.path));
      return { revealed: true };
    },
    'explore.dataQuality': (i) => q('dataQuality', i),
    'views.list': () => views.list(),
    'views.save': (i) => views.save(i.name, i.definition, i.overwrite),
    'views.rename': (i) => views.rename(i.id, i.name),
    'views.delete': (i) => views.delete(i.id),
    'allocation.state': () => allocationState(db()),
    'allocation.saveDraft': (i) => {
      saveDraft(db(), i.ruleSet);
      return { problems: ruleSetProblems(i.ruleSet) };
    },
    'allocation.preview': (i) => previews.run(() => q('allocationPreview', i, cubeAnswers(signatureColumns(fieldsRead(i.ruleSet))) ? 'quick' : 'allocation')),
    'allocation.apply': async (i) => {
      const out = await applies.apply(workspaces.requirePath(), i.ruleSet, i.note);
      emit('workspace.changed', { workspace: workspaces.currentInfo() });
      return out;
    },
    'allocation.version': (i) => getVersion(db(), i.id),
    'allocation.diff': (i) => ({ changes: diffVersions(db(), i.from, i.to) }),
    'allocation.importDrivers': (i) => {
      const f = imports.resolveFile(i.file);
      return importDrivers(db(), i.driver, f.name, fs.readFileSync(f.path, 'utf8'));
    },
    'allocation.deleteDriver': (i) => ({ deleted: deleteDriver(db(), i.driver) }),
    'allocation.showback': (i) => showback(db(), i),
    'allocation.exportShowback': (i) => writeShowbackCsv(db(), { ...i, path: path.resolve(i.path) }),
  };

  async function invoke<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
    const schema = api[method].input;
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw new EngineError('bad-input', `${method}: ${where}${issue?.message ?? 'invalid input'}`, parsed.error.issues);
    }
    const handler = handlers[method] as (i: unknown) => Promise<Output<M>> | Output<M>;
    return await handler(parsed.data);
  }

  return {
    dataDir: opts.dataDir,
    invoke,
    async call(method, input) {
      if (!isMethod(method)) return { ok: false, error: { code: 'not-found', message: `Unknown method '${method}'` } };
      try {
        return { ok: true, value: await invoke(method, input) };
      } catch (e) {
        return { ok: false, error: toApiError(e) };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await imports.close();
      await applies.idle();
      await exports.close();
      await queries.close();
      workspaces.close();
      listeners.clear();
    },
  };
}

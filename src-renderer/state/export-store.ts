// The running (or last) export: started from the Export dialog, it goes on when the dialog closes, and says how it
// ended in a toast then. Holds the job's state only, never exported data.
import { create } from 'zustand';
import type { ApiError, ExportInput, ExportOutput } from '../../src-shared/api/contract';
import { api } from '../api/client';
import { useApp } from './app-store';

export interface ExportJob {
  exportId: string;
  input: ExportInput;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: { rows: number; totalRows: number; bytes: number } | null;
  result: ExportOutput | null;
  error: ApiError | null;
}

export interface ExportState {
  job: ExportJob | null;
  start(input: Omit<ExportInput, 'exportId'>): void;
  cancel(): void;
  /** Forget a finished job (the dialog then offers a new export). */
  clear(): void;
}

/** Opens the Export dialog when the workspace has rows to export. */
export function openExport(): void {
  const app = useApp.getState();
  if (!app.workspace || app.workspace.rows === 0) {
    app.notify({ kind: 'info', title: 'Nothing to export yet', message: 'Import billing data first.' });
    return;
  }
  // a finished export was reported when it ended: the dialog opens on a new one (a running one shows its progress)
  useExport.getState().clear();
  app.openDialog('export');
}

let listening = false;
function listen(): void {
  if (listening) return;
  listening = true;
  api.on('export.progress', (p) => {
    const job = useExport.getState().job;
    if (job?.exportId === p.exportId && job.status === 'running') {
      useExport.setState({ job: { ...job, progress: { rows: p.rows, totalRows: p.totalRows, bytes: p.bytes } } });
    }
  });
}

let seq = 0;
function newExportId(): string {
  return `export-${Date.now().toString(36)}-${++seq}`;
}

export const useExport = create<ExportState>()((set, get) => ({
  job: null,
  start: (input) => {
    if (get().job?.status === 'running') return;
    listen();
    const exportId = newExportId();
    const full: ExportInput = { ...input, exportId };
    set({ job: { exportId, input: full, status: 'running', progress: null, result: null, error: null } });
    void api.call('explore.export', full).then((r) => {
      const job = get().job;
      if (job?.exportId !== exportId) return;
      const done: ExportJob = r.ok
        ? { ...job, status: 'done', result: r.value, progress: { rows: r.value.rows, totalRows: r.value.rows, bytes: r.value.bytes } }
        : { ...job, status: r.error.code === 'cancelled' ? 'cancelled' : 'failed', error: r.error };
      set({ job: done });
      // the dialog shows the outcome itself; closed, a toast says it
      if (useApp.getState().dialog === 'export') return;
      const app = useApp.getState();
      if (done.status === 'done') app.notify({ kind: 'success', title: 'Export written', message: `${done.result!.path} · ${done.result!.rows.toLocaleString()} rows` });
      else if (done.status === 'failed') app.notifyError('The export failed', done.error!);
    });
  },
  cancel: () => {
    const job = get().job;
    if (job?.status !== 'running') return;
    void api.call('export.cancel', { exportId: job.exportId });
  },
  clear: () => {
    if (get().job?.status !== 'running') set({ job: null });
  },
}));

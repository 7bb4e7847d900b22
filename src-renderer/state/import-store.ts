// The import job the Import screen shows: uploading → running (progress events) → finished (outcome).
// Kept in a store so leaving the screen doesn't lose a running import.
import { create } from 'zustand';
import type {
  ApiError,
  EventPayload,
  FileRef,
  ImportMode,
  ImportOutcome,
  ImportProgress,
} from '../../src-shared/api/contract';
import { api, pickedName, prepareFiles, type PrepareProgress } from '../api/client';
import { useApp } from './app-store';
import { refreshWorkspace } from './use-api';

export type ImportPhase = 'idle' | 'uploading' | 'starting' | 'running' | 'finished' | 'error';

export interface ImportState {
  phase: ImportPhase;
  names: string[];
  refs: FileRef[];
  jobId: string | null;
  upload: PrepareProgress | null;
  progress: ImportProgress | null;
  outcome: ImportOutcome | null;
  /** A failure before the engine took the job (upload, bad input, busy…). */
  error: ApiError | null;
  /** Set when the user dismissed an overlap: nothing was written. */
  overlapDismissed: boolean;
  cancelling: boolean;

  start(files: File[]): Promise<void>;
  /** Import files that are uploaded already (the mapping studio's file, once its template is saved). */
  startPrepared(refs: FileRef[], names: string[]): Promise<void>;
  rerun(mode: Exclude<ImportMode, 'ask'>): Promise<void>;
  cancel(): Promise<void>;
  dismissOverlap(): void;
  reset(): void;
  onProgress(p: EventPayload<'import.progress'>): void;
  onFinished(p: EventPayload<'import.finished'>): void;
}

let uploadAbort: AbortController | null = null;

const idle = {
  phase: 'idle' as ImportPhase,
  names: [] as string[],
  refs: [] as FileRef[],
  jobId: null,
  upload: null,
  progress: null,
  outcome: null,
  error: null,
  overlapDismissed: false,
  cancelling: false,
};

function busy(phase: ImportPhase): boolean {
  return phase === 'uploading' || phase === 'starting' || phase === 'running';
}

export const useImport = create<ImportState>()((set, get) => {
  async function launch(refs: FileRef[], mode: ImportMode): Promise<void> {
    set({ phase: 'starting', refs, jobId: null, progress: null, outcome: null, error: null, overlapDismissed: false });
    const r = await api.call('import.start', { files: refs, mode });
    if (!r.ok) {
      set({ phase: 'error', error: r.error });
      return;
    }
    // A fast job may already have finished (events can beat the reply).
    const s = get();
    if (s.phase === 'finished' && s.jobId === r.value.jobId) return;
    set({ jobId: r.value.jobId, phase: s.phase === 'finished' ? 'finished' : 'running' });
  }

  return {
    ...idle,

    async start(files) {
      if (busy(get().phase)) return;
      uploadAbort = new AbortController();
      set({ ...idle, phase: 'uploading', names: files.map(pickedName) });
      const refs = await prepareFiles(files, {
        signal: uploadAbort.signal,
        onProgress: (upload) => set({ upload }),
      });
      uploadAbort = null;
      if (!refs.ok) {
        if (refs.error.code === 'cancelled') set({ ...idle, phase: 'finished', outcome: { status: 'cancelled' } });
        else set({ phase: 'error', error: refs.error, upload: null });
        return;
      }
      set({ upload: null });
      await launch(refs.value, 'ask');
    },

    async startPrepared(refs, names) {
      if (refs.length === 0 || busy(get().phase)) return;
      set({ ...idle, names });
      await launch(refs, 'ask');
    },

    async rerun(mode) {
      const { refs } = get();
      if (refs.length === 0 || busy(get().phase)) return;
      await launch(refs, mode);
    },

    async cancel() {
      const { phase, jobId } = get();
      if (phase === 'uploading') {
        uploadAbort?.abort();
        return;
      }
      if (!jobId || !busy(phase)) return;
      set({ cancelling: true });
      const r = await api.call('import.cancel', { jobId });
      set({ cancelling: false });
      if (!r.ok) useApp.getState().notifyError('Could not cancel the import', r.error);
    },

    dismissOverlap() {
      set({ overlapDismissed: true });
    },

    reset() {
      if (busy(get().phase)) return;
      set({ ...idle });
    },

    onProgress(p) {
      const s = get();
      if (s.phase !== 'running' && s.phase !== 'starting') return;
      if (s.jobId && s.jobId !== p.jobId) return;
      set({ progress: p, phase: 'running', jobId: p.jobId });
    },

    onFinished(p) {
      const s = get();
      if (s.phase !== 'running' && s.phase !== 'starting') return;
      if (s.jobId && s.jobId !== p.jobId) return;
      set({ phase: 'finished', outcome: p.outcome, jobId: p.jobId, cancelling: false });
      const app = useApp.getState();
      if (p.outcome.status === 'done') {
        // the new workspace info (rows, imports) re-asks the questions on screen once; if it cannot be read, ask anyway
        void refreshWorkspace().then((ok) => {
          if (!ok) useApp.getState().bumpData();
        });
      }
      if (app.view !== 'import') {
        // The user moved on while it ran: say how it ended (the details stay on the Import screen).
        const o = p.outcome;
        if (o.status === 'done') {
          const rows = o.files.reduce((n, f) => n + f.rows, 0);
          app.notify({ kind: 'success', title: 'Import finished', message: `${o.files.length} file(s), ${rows.toLocaleString()} rows.` });
        } else if (o.status === 'overlap') {
          app.notify({ kind: 'info', title: 'Import needs a decision', message: 'The delivery covers periods already in the workspace — see Import.' });
        } else if (o.status === 'failed') {
          app.notifyError('Import failed', o.error);
        }
      }
    },
  };
});

export function isImportBusy(phase: ImportPhase): boolean {
  return busy(phase);
}

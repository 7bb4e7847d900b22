// Application shell state: current screen, workspace facts, dialogs, toasts and a data version that bumps
// whenever the workspace's contents may have changed (every query depends on it).
import { create } from 'zustand';
import type { ApiError, WorkspaceInfo } from '../../src-shared/api/contract';
import { useExplore } from './explore-store';

export type View = 'overview' | 'import' | 'rows' | 'conformance' | 'datasets' | 'quality' | 'compare' | 'allocation';
export type DialogId = 'shortcuts' | 'new-workspace' | 'open-path' | 'palette' | 'save-view' | 'rename-view' | 'export' | null;

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  title: string;
  message?: string;
  /** One action the toast offers (Undo); the toast closes when it runs. */
  action?: { label: string; run: () => void };
}

export interface DemoProgress {
  phase: string;
  fraction: number;
}

export interface AppState {
  view: View;
  workspace: WorkspaceInfo | null;
  dataVersion: number;
  dialog: DialogId;
  toasts: Toast[];
  /** Non-null while the demo workspace is being built/opened. */
  demo: DemoProgress | null;
  /** Bumped to ask the Import screen to open the file chooser (Ctrl/Cmd+O). */
  chooserRequest: number;
  /** The imported file whose conformance report the Conformance screen shows (null: the screen picks one). */
  reportFileId: number | null;

  setView(view: View): void;
  setWorkspace(ws: WorkspaceInfo | null): void;
  bumpData(): void;
  openDialog(d: DialogId): void;
  closeDialog(): void;
  notify(t: Omit<Toast, 'id'>): void;
  notifyError(title: string, error: ApiError): void;
  dismissToast(id: number): void;
  setDemo(p: DemoProgress | null): void;
  requestChooser(): void;
  /** Show one imported file's conformance report on the Conformance screen. */
  openReport(importFileId: number): void;
}

let toastSeq = 0;

export const useApp = create<AppState>()((set, get) => ({
  view: 'overview',
  workspace: null,
  dataVersion: 0,
  dialog: null,
  toasts: [],
  demo: null,
  chooserRequest: 0,
  reportFileId: null,

  setView: (view) => set({ view }),
  setWorkspace: (ws) => {
    const prev = get().workspace;
    if (ws) useExplore.getState().adoptWorkspace(ws);
    set((s) => ({
      workspace: ws,
      dataVersion: s.dataVersion + 1,
      view: prev && ws && prev.path !== ws.path ? 'overview' : s.view,
      reportFileId: prev && ws && prev.path !== ws.path ? null : s.reportFileId,
    }));
  },
  bumpData: () => set((s) => ({ dataVersion: s.dataVersion + 1 })),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  notify: (t) => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { ...t, id }] }));
    // a toast with an action stays long enough to reach it
    if (t.kind !== 'error') setTimeout(() => get().dismissToast(id), t.action ? 10000 : 5000);
  },
  notifyError: (title, error) => get().notify({ kind: 'error', title, message: error.message }),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setDemo: (demo) => set({ demo }),
  requestChooser: () => set((s) => ({ view: 'import', chooserRequest: s.chooserRequest + 1 })),
  openReport: (importFileId) => set({ view: 'conformance', reportFileId: importFileId }),
}));

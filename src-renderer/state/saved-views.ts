// Saved views in the renderer: what is on screen as a definition, applying one, and the calls that change the list
// (save, rename, delete with Undo). The list itself is fetched from the engine (useSavedViews), never kept in a store.
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { Result, SavedView, SavedViewDefinition } from '../../src-shared/api/contract';
import { api } from '../api/client';
import { useApp } from './app-store';
import { useExplore } from './explore-store';
import { useApi, type ApiState } from './use-api';
import { applyView, snapshotView } from './view-state';

interface SavedViewsUi {
  /** Bumped whenever the list changed, so every list on screen asks for it again. */
  version: number;
  /** The view the rename dialog is open for. */
  renaming: SavedView | null;
}

export const useSavedViewsUi = create<SavedViewsUi>()(() => ({ version: 0, renaming: null }));

function listChanged(): void {
  useSavedViewsUi.setState((s) => ({ version: s.version + 1 }));
}

/** The open workspace's saved views, by name; fetched again after every change made here. */
export function useSavedViews(): ApiState<SavedView[]> {
  const version = useSavedViewsUi((s) => s.version);
  const q = useApi('views.list', {});
  const { reload } = q;
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    reload();
  }, [version, reload]);
  return q;
}

/** The screen and explore state on display now. */
export function currentDefinition(): SavedViewDefinition {
  const e = useExplore.getState();
  return snapshotView(useApp.getState().view, {
    from: e.from,
    to: e.to,
    filters: e.filters,
    groupBy: e.groupBy,
    metric: e.metric,
    granularity: e.granularity,
  });
}

/** Show a definition: its explore state, then its screen. */
export function applyDefinition(def: SavedViewDefinition): void {
  const { view, explore } = applyView(def);
  useExplore.setState(explore);
  useApp.getState().setView(view);
}

export function applySavedView(v: SavedView): void {
  if (!v.definition) {
    useApp.getState().notify({ kind: 'error', title: `Cannot open “${v.name}”`, message: `Saved view “${v.name}”: ${v.problem ?? 'unreadable'}.` });
    return;
  }
  applyDefinition(v.definition);
}

/** Ctrl/Cmd+S, the palette and the sidebar's button: ask for a name (only with a workspace open). */
export function openSaveView(): void {
  const app = useApp.getState();
  if (app.workspace) app.openDialog('save-view');
}

export function startRename(v: SavedView): void {
  useSavedViewsUi.setState({ renaming: v });
  useApp.getState().openDialog('rename-view');
}

export async function saveView(name: string, definition: SavedViewDefinition, overwrite: boolean): Promise<Result<SavedView>> {
  const r = await api.call('views.save', { name, definition, overwrite });
  if (r.ok) {
    listChanged();
    useApp.getState().notify({ kind: 'success', title: overwrite ? `Replaced view “${r.value.name}”` : `Saved view “${r.value.name}”` });
  }
  return r;
}

export async function renameView(id: number, name: string): Promise<Result<SavedView>> {
  const r = await api.call('views.rename', { id, name });
  if (r.ok) listChanged();
  return r;
}

async function restore(v: SavedView, definition: SavedViewDefinition): Promise<void> {
  const r = await api.call('views.save', { name: v.name, definition, overwrite: false });
  if (!r.ok) {
    useApp.getState().notifyError(`Could not restore “${v.name}”`, r.error);
    return;
  }
  listChanged();
  useApp.getState().notify({ kind: 'success', title: `Restored view “${r.value.name}”` });
}

/** Resolves true once deleted (the list is being fetched again), false when refused (said in a toast). */
export async function deleteView(v: SavedView): Promise<boolean> {
  const r = await api.call('views.delete', { id: v.id });
  const app = useApp.getState();
  if (!r.ok) {
    app.notifyError(`Could not delete “${v.name}”`, r.error);
    listChanged();
    return false;
  }
  listChanged();
  const gone = r.value;
  const definition = gone.definition;
  app.notify({
    kind: 'info',
    title: `Deleted view “${gone.name}”`,
    ...(definition ? { action: { label: 'Undo', run: () => void restore(gone, definition) } } : {}),
  });
  return true;
}

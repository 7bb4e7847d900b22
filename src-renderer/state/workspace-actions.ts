// Workspace commands shared by the boot flow, the switcher menu and its dialogs.
import type { Result, WorkspaceInfo } from '../../src-shared/api/contract';
import { api } from '../api/client';
import { useApp } from './app-store';

/** Open (building first if needed) the demo workspace; progress arrives as demo.progress events. */
export async function openDemoWorkspace(): Promise<Result<WorkspaceInfo>> {
  const app = useApp.getState();
  app.setDemo({ phase: 'Preparing the demo workspace', fraction: 0 });
  const r = await api.call('workspace.openDemo', {});
  useApp.getState().setDemo(null);
  if (r.ok) useApp.getState().setWorkspace(r.value);
  return r;
}

export async function openWorkspaceAt(path: string): Promise<Result<WorkspaceInfo>> {
  const r = await api.call('workspace.open', { path });
  if (r.ok) useApp.getState().setWorkspace(r.value);
  return r;
}

export async function createWorkspace(name: string, path?: string): Promise<Result<WorkspaceInfo>> {
  const r = await api.call('workspace.create', path ? { name, path } : { name });
  if (r.ok) {
    useApp.getState().setWorkspace(r.value);
    useApp.getState().setView('overview');
  }
  return r;
}

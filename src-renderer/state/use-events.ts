// Subscribe once to the host's events and route them to the stores.
import { useEffect } from 'react';
import { api } from '../api/client';
import { useApp } from './app-store';
import { useImport } from './import-store';

export function useEventBridge(): void {
  useEffect(() => {
    const offs = [
      api.on('import.progress', (p) => useImport.getState().onProgress(p)),
      api.on('import.finished', (p) => useImport.getState().onFinished(p)),
      api.on('demo.progress', (p) => {
        if (useApp.getState().demo) useApp.getState().setDemo({ phase: p.phase, fraction: p.fraction });
      }),
      api.on('workspace.changed', (p) => {
        const cur = useApp.getState().workspace;
        if (p.workspace === null || JSON.stringify(p.workspace) !== JSON.stringify(cur)) {
          useApp.getState().setWorkspace(p.workspace);
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }, []);
}

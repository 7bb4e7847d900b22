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
      // after an import the applied allocation runs again over all rows: its columns and showback changed
      api.on('allocation.refreshed', (p) => {
        if (p.ok) useApp.getState().bumpData();
        else
          useApp.getState().notify({
            kind: 'error',
            title: 'The allocation was not updated for the new rows',
            message: `${p.message ?? 'Unknown error'} — apply the rules again on the Allocation screen.`,
          });
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

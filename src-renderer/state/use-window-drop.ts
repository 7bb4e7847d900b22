// Files dropped anywhere on the window start an import (and never make the window navigate to the file).
import { useEffect } from 'react';
import { useApp } from './app-store';
import { isImportBusy, useImport } from './import-store';

export function useWindowDrop(): void {
  useEffect(() => {
    const onDragOver = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      const handled = e.defaultPrevented; // the Import screen's drop zone already took it
      e.preventDefault();
      if (handled || !useApp.getState().workspace) return;
      const files = [...e.dataTransfer.files];
      if (files.length === 0 || isImportBusy(useImport.getState().phase)) return;
      useApp.getState().setView('import');
      void useImport.getState().start(files);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}

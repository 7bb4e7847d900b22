// Where an export goes: the engine's default destination for the format (and a name), kept until the user types or
// picks their own, and the desktop's native save dialog when the host has one. Shared by the Export dialog and the
// showback's CSV export.
import { useEffect, useState } from 'react';
import type { ApiError, ExportTarget } from '../../src-shared/api/contract';
import { api } from '../api/client';

export interface ExportDestination {
  target: ExportTarget | null;
  path: string;
  /** the user typed or picked the path (a new default no longer replaces it) */
  edited: boolean;
  setPath(path: string): void;
  pick(): Promise<void>;
  error: ApiError | null;
  setError(e: ApiError | null): void;
}

export function useExportDestination(format: 'csv' | 'parquet', name: string | undefined, initial?: { path: string }): ExportDestination {
  const [target, setTarget] = useState<ExportTarget | null>(null);
  const [path, setPathState] = useState(initial?.path ?? '');
  const [edited, setEdited] = useState(initial !== undefined);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    void api.call('export.target', { format, ...(name ? { name } : {}) }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setTarget(r.value);
        if (!edited) setPathState(r.value.path);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
    // only the format or the name asks for a new default; `edited` is read, not watched
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [format, name]);

  return {
    target,
    path,
    edited,
    setPath(p: string) {
      setPathState(p);
      setEdited(true);
    },
    async pick() {
      const r = await api.call('export.pickPath', { format, ...(path ? { defaultPath: path } : {}) });
      if (!r.ok) setError(r.error);
      else if (r.value.path) {
        setPathState(r.value.path);
        setEdited(true);
      }
    },
    error,
    setError,
  };
}

// Data fetching for screens: one call per distinct input, stale results dropped, previous data kept while the
// next answer loads (so charts don't flash), errors surfaced as values.
import { startTransition, useCallback, useEffect, useState } from 'react';
import type { ApiError, Input, Method, Output } from '../../src-shared/api/contract';
import { api } from '../api/client';
import { useApp } from './app-store';

export interface ApiState<T, I = unknown> {
  data: T | undefined;
  /** The input `data` answers (differs from the current input while the next answer loads). */
  dataInput: I | undefined;
  error: ApiError | undefined;
  /** True while the answer for the current input is pending (data may be the previous answer). */
  loading: boolean;
  reload(): void;
}

interface Slot<T, I> {
  key: string;
  data: T | undefined;
  dataInput: I | undefined;
  error: ApiError | undefined;
}

/** Call `method` with `input` (skipped when input is null); re-runs when the input or the workspace data change. */
export function useApi<M extends Method>(method: M, input: Input<M> | null): ApiState<Output<M>, Input<M>> {
  const dataVersion = useApp((s) => s.dataVersion);
  const [nonce, setNonce] = useState(0);
  const key = input === null ? '' : `${method}|${dataVersion}|${nonce}|${JSON.stringify(input)}`;
  const [slot, setSlot] = useState<Slot<Output<M>, Input<M>>>({
    key: '',
    data: undefined,
    dataInput: undefined,
    error: undefined,
  });

  useEffect(() => {
    if (!key || input === null) return;
    let live = true;
    api.call(method, input).then(
      (r) => {
        if (!live) return;
        // a transition: rendering an answer (a chart, a pivot) yields to input every few ms instead of holding the
        // main thread for one long task
        startTransition(() =>
          setSlot((prev) =>
            r.ok
              ? { key, data: r.value, dataInput: input, error: undefined }
              : { key, data: prev.data, dataInput: prev.dataInput, error: r.error },
          ),
        );
      },
      (e: unknown) => {
        if (!live) return;
        setSlot((prev) => ({
          key,
          data: prev.data,
          dataInput: prev.dataInput,
          error: { code: 'internal', message: e instanceof Error ? e.message : String(e) },
        }));
      },
    );
    return () => {
      live = false;
    };
    // `key` captures method, input and versions.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = slot.key === key;
  return {
    data: slot.data,
    dataInput: slot.dataInput,
    error: current ? slot.error : undefined,
    loading: input !== null && !current,
    reload,
  };
}

/**
 * Ask the engine for the open workspace again (after an import) and publish it when it changed: each publication
 * re-asks every question on screen, so the `workspace.changed` event and this answer must not both do it.
 * `false`: the engine could not say (the error is shown).
 */
export async function refreshWorkspace(): Promise<boolean> {
  const r = await api.call('workspace.current', {});
  if (!r.ok) {
    useApp.getState().notifyError('Could not refresh the workspace', r.error);
    return false;
  }
  if (JSON.stringify(r.value) !== JSON.stringify(useApp.getState().workspace)) useApp.getState().setWorkspace(r.value);
  return true;
}

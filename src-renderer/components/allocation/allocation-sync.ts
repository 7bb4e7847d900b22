// The Allocation screen's traffic with the engine: load the workspace's saved draft once, save edits (debounced, only
// when nothing is unfinished), run the live preview (debounced, newest answer only), apply with progress, and import
// driver files through the same upload path the Import screen uses.
import { startTransition, useEffect, useMemo, useState } from 'react';
import type { AllocationPreview } from '../../../src-shared/api/allocation';
import type { ApiError, Result } from '../../../src-shared/api/contract';
import type { RuleSet } from '../../../src-shared/allocate/ruleset';
import { api, prepareFiles } from '../../api/client';
import { latestOnly, useAllocation } from '../../state/allocation-store';
import { useApp } from '../../state/app-store';
import { useApi } from '../../state/use-api';
import { cleanDraft, draftIssues, previewable, type DraftIssue } from './draft-check';

export const SAVE_DEBOUNCE_MS = 500;
export const PREVIEW_DEBOUNCE_MS = 150;

/** The workspace's allocation state (versions, drivers); adopts its saved draft when the workspace is new to us. */
export function useAllocationState() {
  const path = useApp((s) => s.workspace?.path ?? null);
  const q = useApi('allocation.state', path ? {} : null);
  const loadedFor = useAllocation((s) => s.workspacePath);
  useEffect(() => {
    // the draft is taken once per workspace: later answers (after an apply) must not throw away the edit history
    if (q.data && path && loadedFor !== path && !q.loading) useAllocation.getState().load(path, q.data.draft);
  }, [q.data, q.loading, path, loadedFor]);
  return q;
}

// ---------- saving ----------

let saveTimer: ReturnType<typeof setTimeout> | null = null;
let saving: Promise<void> = Promise.resolve();

async function saveNow(set: RuleSet, workspacePath: string): Promise<void> {
  const st = useAllocation.getState();
  // a draft of another workspace (the user switched meanwhile) is not written into this one
  if (useApp.getState().workspace?.path !== workspacePath) return;
  st.setSave({ kind: 'saving' });
  const r = await api.call('allocation.saveDraft', { ruleSet: set });
  // an edit made while saving stays pending: its own save follows
  const now = useAllocation.getState();
  const current = now.history ? cleanDraft(now.history.present) : null;
  const same = current !== null && JSON.stringify(current) === JSON.stringify(set);
  if (!r.ok) now.setSave({ kind: 'error', error: r.error });
  else if (same) now.setSave({ kind: 'saved' }, r.value.problems);
  else now.setSave(now.save.kind === 'saving' ? { kind: 'pending' } : now.save, r.value.problems);
}

function scheduleSave(delay: number): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    void runSave();
  }, delay);
}

function runSave(): Promise<void> {
  const st = useAllocation.getState();
  const h = st.history;
  const path = st.workspacePath;
  if (!h || !path) return saving;
  const issues = draftIssues(h.present);
  if (issues.length) {
    st.setSave({ kind: 'unfinished', message: issueText(issues[0]!) });
    return saving;
  }
  const set = cleanDraft(h.present);
  saving = saving.then(() => saveNow(set, path));
  return saving;
}

export function issueText(i: DraftIssue): string {
  return i.id ? `${i.id.startsWith('alias:') ? 'Tag alias' : i.id} ${i.message}` : i.message;
}

/** Save a pending edit at once (before a diff against the draft, an apply, or leaving the screen). */
export function flushSave(): Promise<void> {
  if (saveTimer) {
    clearTimeout(saveTimer);
    saveTimer = null;
    return runSave();
  }
  return saving;
}

/** Saves the draft SAVE_DEBOUNCE_MS after the last edit; leaving the screen saves a pending edit at once. */
export function useDraftAutosave(): void {
  const present = useAllocation((s) => s.history?.present);
  const status = useAllocation((s) => s.save.kind);
  useEffect(() => {
    if (present && status === 'pending') scheduleSave(SAVE_DEBOUNCE_MS);
  }, [present, status]);
  useEffect(
    () => () => {
      void flushSave();
    },
    [],
  );
}

// ---------- the live preview ----------

export interface PreviewState {
  data: AllocationPreview | undefined;
  error: ApiError | undefined;
  /** true while the answer for the latest edit is pending (data is the previous answer) */
  pending: boolean;
  /** unfinished rules, pools and mappings left out of the preview */
  skipped: DraftIssue[];
  /** why nothing can be previewed at all (the set's own shape is wrong) */
  blocking: string | null;
}

interface Answer {
  for: unknown;
  data: AllocationPreview | undefined;
  error: ApiError | undefined;
}

/**
 * The preview of the draft's finished part. The request waits PREVIEW_DEBOUNCE_MS after the last edit; an answer
 * for anything but the newest edit is dropped, so a slow answer never overwrites a newer one. Typing never waits on
 * it: edits go to the store at once, and the answer is rendered in a transition.
 */
export function useAllocationPreview(): PreviewState {
  const draft = useAllocation((s) => s.history?.present);
  const metric = useAllocation((s) => s.metric);
  const fromMonth = useAllocation((s) => s.fromMonth);
  const toMonth = useAllocation((s) => s.toMonth);
  const dataVersion = useApp((s) => s.dataVersion);
  const prepared = useMemo(() => (draft ? previewable(draft) : null), [draft]);
  const request = useMemo(
    () =>
      prepared?.set
        ? { ruleSet: prepared.set, metric, ...(fromMonth ? { fromMonth } : {}), ...(toMonth ? { toMonth } : {}), dataVersion }
        : null,
    [prepared, metric, fromMonth, toMonth, dataVersion],
  );
  const latest = useMemo(() => latestOnly(), []);
  const [answer, setAnswer] = useState<Answer>({ for: null, data: undefined, error: undefined });

  useEffect(() => {
    if (!request) return;
    const ticket = latest.ticket();
    const { dataVersion: _v, ...input } = request;
    const t = setTimeout(() => {
      void api.call('allocation.preview', input).then(
        (r) => {
          if (!latest.isLatest(ticket)) return;
          startTransition(() =>
            setAnswer((prev) => (r.ok ? { for: request, data: r.value, error: undefined } : { for: request, data: prev.data, error: r.error })),
          );
        },
        (e: unknown) => {
          if (!latest.isLatest(ticket)) return;
          setAnswer((prev) => ({ for: request, data: prev.data, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }));
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [request, latest]);

  return {
    data: answer.data,
    error: answer.for === request ? answer.error : undefined,
    pending: request !== null && answer.for !== request,
    skipped: prepared?.skipped ?? [],
    blocking: prepared?.blocking ?? null,
  };
}

// ---------- apply ----------

/** Apply the draft over all history (after saving it), with progress from allocation.progress events. */
export async function applyDraft(note: string): Promise<Result<{ version: number }>> {
  const st = useAllocation.getState();
  const h = st.history;
  if (!h) return { ok: false, error: { code: 'not-ready', message: 'The rules are still loading.' } };
  const issues = draftIssues(h.present);
  if (issues.length) return { ok: false, error: { code: 'unfinished', message: `Finish the rules first: ${issueText(issues[0]!)}.` } };
  await flushSave();
  st.setApply({ status: 'running', phase: null, rows: 0, totalRows: 0, version: null, rowsPerSec: null, seconds: null, error: null });
  const off = api.on('allocation.progress', (p) => {
    const cur = useAllocation.getState().apply;
    if (cur?.status === 'running') useAllocation.getState().setApply({ ...cur, phase: p.phase, rows: p.rows, totalRows: p.totalRows });
  });
  try {
    const r = await api.call('allocation.apply', { ruleSet: cleanDraft(h.present), ...(note.trim() ? { note: note.trim() } : {}) });
    const cur = useAllocation.getState().apply;
    if (!r.ok) {
      useAllocation.getState().setApply({ ...(cur ?? emptyJob()), status: 'failed', error: r.error });
      return r;
    }
    useAllocation.getState().setApply({
      ...(cur ?? emptyJob()),
      status: 'done',
      phase: 'done',
      rows: r.value.rows,
      totalRows: r.value.rows,
      version: r.value.version,
      rowsPerSec: r.value.rowsPerSec,
      seconds: r.value.seconds,
    });
    // versions, "before" figures and explore's new dimension columns all change
    useApp.getState().bumpData();
    return { ok: true, value: { version: r.value.version } };
  } finally {
    off();
  }
}

function emptyJob() {
  return { status: 'running' as const, phase: null, rows: 0, totalRows: 0, version: null, rowsPerSec: null, seconds: null, error: null };
}

// ---------- drivers ----------

/** Upload a picked driver CSV and import it under `driver` (replacing that driver's data). */
export async function importDriverFile(driver: string, file: File): Promise<Result<{ rows: number }>> {
  const refs = await prepareFiles([file]);
  if (!refs.ok) return refs;
  const r = await api.call('allocation.importDrivers', { driver, file: refs.value[0]! });
  if (!r.ok) return r;
  return { ok: true, value: { rows: r.value.rows } };
}

// Allocation screen state: the rule set being drafted with its undo/redo history, and what the screen shows (the
// dimension being edited, tab, metric and months, save and apply status). The history reducers are pure (tested in
// test/unit/allocation-store.test.ts); nothing here talks to the engine (allocation-sync.ts does), and preview or
// showback answers are never copied in.
import { create } from 'zustand';
import type { ApiError, Metric } from '../../src-shared/api/contract';
import type { RuleSet } from '../../src-shared/allocate/ruleset';
import type { RuleProblem } from '../../src-shared/allocate/rules';

// ---------- history (pure) ----------

export interface DraftHistory {
  past: readonly RuleSet[];
  present: RuleSet;
  future: readonly RuleSet[];
  /** what the last edit changed ("r3.value"): typing into one field in a burst is one undo step */
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 200;
/** Edits of one field closer together than this are one step (a word typed is undone at once, not per letter). */
export const COALESCE_MS = 1000;

export function startHistory(present: RuleSet): DraftHistory {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

/**
 * The history after an edit. An edit that changes nothing adds no step; an edit of the same field (`key`) as the
 * one just before, within COALESCE_MS, replaces that step's result instead of adding one. Redo is gone after an edit.
 */
export function recordEdit(h: DraftHistory, next: RuleSet, key: string | null, now: number): DraftHistory {
  if (next === h.present) return h;
  if (key !== null && key === h.lastKey && now - h.lastAt < COALESCE_MS) {
    return { ...h, present: next, future: [], lastAt: now };
  }
  const past = h.past.length >= HISTORY_LIMIT ? [...h.past.slice(h.past.length - HISTORY_LIMIT + 1), h.present] : [...h.past, h.present];
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

export function undoHistory(h: DraftHistory): DraftHistory {
  const prev = h.past[h.past.length - 1];
  if (!prev) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redoHistory(h: DraftHistory): DraftHistory {
  const next = h.future[0];
  if (!next) return h;
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1), lastKey: null, lastAt: 0 };
}

// ---------- latest answer only (pure) ----------

/**
 * Drops stale answers: each request takes a ticket, and only the newest ticket's answer is taken. An answer that
 * arrives after a newer request was made is ignored, whatever order the answers come back in.
 */
export function latestOnly(): { ticket(): number; isLatest(t: number): boolean } {
  let last = 0;
  return {
    ticket: () => ++last,
    isLatest: (t) => t === last,
  };
}

// ---------- the store ----------

export type AllocationTab = 'rules' | 'versions' | 'showback';

export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  /** not saved because something is unfinished (the message names it) */
  | { kind: 'unfinished'; message: string }
  | { kind: 'error'; error: ApiError };

export interface ApplyJob {
  status: 'running' | 'done' | 'failed';
  phase: 'grouping' | 'allocating' | 'writing' | 'done' | null;
  rows: number;
  totalRows: number;
  version: number | null;
  rowsPerSec: number | null;
  seconds: number | null;
  error: ApiError | null;
}

export interface AllocationState {
  /** the workspace the draft belongs to (a workspace switch loads that workspace's draft) */
  workspacePath: string | null;
  /** null until the workspace's saved draft has been loaded */
  history: DraftHistory | null;
  dimension: string | null;
  tab: AllocationTab;
  metric: Metric;
  fromMonth: string | null;
  toMonth: string | null;
  save: SaveStatus;
  /** what the engine said when the draft was last saved (problems it would refuse to run) */
  saveProblems: RuleProblem[];
  apply: ApplyJob | null;
  /** the rule or pool just added, to focus its first field */
  focusId: string | null;

  load(workspacePath: string, draft: RuleSet): void;
  /** Replace the draft by `fn(draft)`; `key` names the field edited (see recordEdit). */
  edit(fn: (s: RuleSet) => RuleSet, key?: string | null): void;
  undo(): void;
  redo(): void;
  setDimension(key: string | null): void;
  setTab(tab: AllocationTab): void;
  setMetric(m: Metric): void;
  setMonths(from: string | null, to: string | null): void;
  setSave(s: SaveStatus, problems?: RuleProblem[]): void;
  setApply(job: ApplyJob | null): void;
  setFocus(id: string | null): void;
}

/** The dimension to show: the one picked if it still exists, else the first. */
export function shownDimension(set: RuleSet, picked: string | null): string | null {
  if (picked && set.dimensions.some((d) => d.key === picked)) return picked;
  return set.dimensions[0]?.key ?? null;
}

export const useAllocation = create<AllocationState>()((set, get) => ({
  workspacePath: null,
  history: null,
  dimension: null,
  tab: 'rules',
  metric: 'BilledCost',
  fromMonth: null,
  toMonth: null,
  save: { kind: 'saved' },
  saveProblems: [],
  apply: null,
  focusId: null,

  load: (workspacePath, draft) =>
    set({
      workspacePath,
      history: startHistory(draft),
      dimension: draft.dimensions[0]?.key ?? null,
      fromMonth: null,
      toMonth: null,
      save: { kind: 'saved' },
      saveProblems: [],
      apply: null,
      focusId: null,
    }),
  edit: (fn, key = null) => {
    const h = get().history;
    if (!h) return;
    const next = recordEdit(h, fn(h.present), key, Date.now());
    if (next !== h) set({ history: next, save: { kind: 'pending' } });
  },
  undo: () => {
    const h = get().history;
    if (h && h.past.length) set({ history: undoHistory(h), save: { kind: 'pending' } });
  },
  redo: () => {
    const h = get().history;
    if (h && h.future.length) set({ history: redoHistory(h), save: { kind: 'pending' } });
  },
  setDimension: (dimension) => set({ dimension }),
  setTab: (tab) => set({ tab }),
  setMetric: (metric) => set({ metric }),
  setMonths: (fromMonth, toMonth) => set({ fromMonth, toMonth }),
  setSave: (save, problems) => set(problems ? { save, saveProblems: problems } : { save }),
  setApply: (apply) => set({ apply }),
  setFocus: (focusId) => set({ focusId }),
}));

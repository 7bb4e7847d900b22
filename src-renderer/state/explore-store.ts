// Explore UI state: the scope (date range + filters) and how to slice it. Never holds query results.
import { useMemo } from 'react';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Filter, Granularity, Metric, QueryScope, WorkspaceInfo } from '../../src-shared/api/contract';
import { suggestGranularity } from '../format/dates';
import { addFilterValue, removeFilterAt, removeFilterValue, toggleExcludeAt } from './filters';

export const DEFAULT_GROUP_BY: readonly string[] = ['ServiceName'];
/** The pivot nests at most this many levels: deeper trees stop being readable and multiply the query cost. */
export const MAX_GROUP_LEVELS = 3;

export interface ExploreState {
  from: string | undefined;
  to: string | undefined;
  filters: Filter[];
  /** Pivot levels, outermost first (1 to MAX_GROUP_LEVELS); the chart groups by the first. */
  groupBy: string[];
  metric: Metric;
  granularity: Granularity;
  /** Path of the workspace this state belongs to; filters from another workspace are meaningless. */
  workspacePath: string | null;

  setRange(from: string | undefined, to: string | undefined): void;
  addFilter(column: string, value: string | null, exclude?: boolean): void;
  removeFilter(index: number): void;
  removeFilterValue(index: number, value: string | null): void;
  toggleExclude(index: number): void;
  clearFilters(): void;
  /** Replaces all levels (empty input or duplicates are normalised away; at least one level remains). */
  setGroupBy(levels: readonly string[]): void;
  /** Sets the column of one level; a column already used at another level swaps places with it. */
  setGroupLevel(index: number, column: string): void;
  addGroupLevel(column: string): void;
  removeGroupLevel(index: number): void;
  setMetric(metric: Metric): void;
  setGranularity(g: Granularity): void;
  /** Called when a workspace is opened: keeps the state for the same workspace, resets it for another. */
  adoptWorkspace(ws: WorkspaceInfo): void;
}

export const useExplore = create<ExploreState>()((set, get) => ({
  from: undefined,
  to: undefined,
  filters: [],
  groupBy: [...DEFAULT_GROUP_BY],
  metric: 'BilledCost',
  granularity: 'month',
  workspacePath: null,

  setRange: (from, to) => set({ from: from || undefined, to: to || undefined }),
  addFilter: (column, value, exclude = false) => set((s) => ({ filters: addFilterValue(s.filters, column, value, exclude) })),
  removeFilter: (index) => set((s) => ({ filters: removeFilterAt(s.filters, index) })),
  removeFilterValue: (index, value) => set((s) => ({ filters: removeFilterValue(s.filters, index, value) })),
  toggleExclude: (index) => set((s) => ({ filters: toggleExcludeAt(s.filters, index) })),
  clearFilters: () => set({ filters: [] }),
  setGroupBy: (levels) => set({ groupBy: normaliseLevels(levels) }),
  setGroupLevel: (index, column) => set((s) => ({ groupBy: withLevel(s.groupBy, index, column) })),
  addGroupLevel: (column) =>
    set((s) => ({ groupBy: s.groupBy.length >= MAX_GROUP_LEVELS ? s.groupBy : normaliseLevels([...s.groupBy, column]) })),
  removeGroupLevel: (index) =>
    set((s) => ({ groupBy: s.groupBy.length <= 1 ? s.groupBy : s.groupBy.filter((_, i) => i !== index) })),
  setMetric: (metric) => set({ metric }),
  setGranularity: (granularity) => set({ granularity }),
  adoptWorkspace: (ws) => {
    if (get().workspacePath === ws.path) return;
    set({
      workspacePath: ws.path,
      from: undefined,
      to: undefined,
      filters: [],
      groupBy: [...DEFAULT_GROUP_BY],
      metric: 'BilledCost',
      granularity: suggestGranularity({}, ws),
    });
  },
}));

/** Distinct, non-empty, at most MAX_GROUP_LEVELS; falls back to the default so the pivot always has a level. */
export function normaliseLevels(levels: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of levels) if (c && !out.includes(c) && out.length < MAX_GROUP_LEVELS) out.push(c);
  return out.length > 0 ? out : [...DEFAULT_GROUP_BY];
}

function withLevel(levels: readonly string[], index: number, column: string): string[] {
  if (index < 0 || index >= levels.length) return [...levels];
  const next = [...levels];
  const other = next.indexOf(column);
  if (other >= 0 && other !== index) next[other] = next[index]!;
  next[index] = column;
  return next;
}

/** The query scope (date range + filters), stable across renders while unchanged. */
export function useScope(): QueryScope {
  const { from, to, filters } = useExplore(useShallow((s) => ({ from: s.from, to: s.to, filters: s.filters })));
  return useMemo(() => {
    const scope: QueryScope = { filters };
    if (from) scope.from = from;
    if (to) scope.to = to;
    return scope;
  }, [from, to, filters]);
}

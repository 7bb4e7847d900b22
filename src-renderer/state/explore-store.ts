// Explore UI state: the scope (date range + filters) and how to slice it. Never holds query results.
import { useMemo } from 'react';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Filter, Granularity, Metric, QueryScope, WorkspaceInfo } from '../../src-shared/api/contract';
import { suggestGranularity } from '../format/dates';
import { addFilterValue, removeFilterAt, removeFilterValue, toggleExcludeAt } from './filters';

export const DEFAULT_GROUP_BY = 'ServiceName';

export interface ExploreState {
  from: string | undefined;
  to: string | undefined;
  filters: Filter[];
  groupBy: string;
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
  setGroupBy(column: string): void;
  setMetric(metric: Metric): void;
  setGranularity(g: Granularity): void;
  /** Called when a workspace is opened: keeps the state for the same workspace, resets it for another. */
  adoptWorkspace(ws: WorkspaceInfo): void;
}

export const useExplore = create<ExploreState>()((set, get) => ({
  from: undefined,
  to: undefined,
  filters: [],
  groupBy: DEFAULT_GROUP_BY,
  metric: 'BilledCost',
  granularity: 'month',
  workspacePath: null,

  setRange: (from, to) => set({ from: from || undefined, to: to || undefined }),
  addFilter: (column, value, exclude = false) => set((s) => ({ filters: addFilterValue(s.filters, column, value, exclude) })),
  removeFilter: (index) => set((s) => ({ filters: removeFilterAt(s.filters, index) })),
  removeFilterValue: (index, value) => set((s) => ({ filters: removeFilterValue(s.filters, index, value) })),
  toggleExclude: (index) => set((s) => ({ filters: toggleExcludeAt(s.filters, index) })),
  clearFilters: () => set({ filters: [] }),
  setGroupBy: (groupBy) => set({ groupBy }),
  setMetric: (metric) => set({ metric }),
  setGranularity: (granularity) => set({ granularity }),
  adoptWorkspace: (ws) => {
    if (get().workspacePath === ws.path) return;
    set({
      workspacePath: ws.path,
      from: undefined,
      to: undefined,
      filters: [],
      groupBy: DEFAULT_GROUP_BY,
      metric: 'BilledCost',
      granularity: suggestGranularity({}, ws),
    });
  },
}));

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

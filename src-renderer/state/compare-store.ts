// Compare screen state: which two periods and which dimension. The filters and the metric are the explore ones
// (explore-store), so a comparison is always of the scope the other screens show. Never holds results.
import { create } from 'zustand';
import { comparePeriods, type CompareChoice, type ComparePresetId, type PeriodPair } from '../format/compare-periods';
import type { DataSpan } from '../format/dates';

export const COMPARE_DEFAULT_GROUP_BY = 'ServiceName';

export interface CompareState {
  choice: CompareChoice;
  /** The periods when `choice` is 'custom' (a preset's periods are derived from the workspace's data). */
  custom: PeriodPair | null;
  groupBy: string;
  /** The workspace this state belongs to: another workspace starts from the defaults. */
  workspacePath: string | null;

  setPreset(id: ComparePresetId): void;
  /** Switch to custom periods, starting from the ones on screen. */
  setCustom(periods: PeriodPair): void;
  setGroupBy(column: string): void;
  adoptWorkspace(path: string): void;
}

export const useCompare = create<CompareState>()((set, get) => ({
  choice: 'month',
  custom: null,
  groupBy: COMPARE_DEFAULT_GROUP_BY,
  workspacePath: null,

  setPreset: (choice) => set({ choice }),
  setCustom: (custom) => set({ choice: 'custom', custom }),
  setGroupBy: (groupBy) => set({ groupBy }),
  adoptWorkspace: (path) => {
    if (get().workspacePath === path) return;
    set({ workspacePath: path, choice: 'month', custom: null, groupBy: COMPARE_DEFAULT_GROUP_BY });
  },
}));

/** The periods on screen. */
export function currentPeriods(s: Pick<CompareState, 'choice' | 'custom'>, span: DataSpan): PeriodPair {
  if (s.choice === 'custom' && s.custom) return s.custom;
  return comparePeriods(s.choice === 'custom' ? 'month' : s.choice, span);
}

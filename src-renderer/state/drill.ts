// Drill-down: from a pivot row or a chart segment to the Rows screen scoped to exactly the rows behind it, and back.
// The explore state from before the drill is kept here so Back (or removing the "drilled from" chip) restores it.
import { create } from 'zustand';
import type { Filter } from '../../src-shared/api/contract';
import { intersectRanges, periodRange, type PeriodGranularity } from '../format/dates';
import { pathFilters, type PathStep } from '../format/pivot-tree';
import { useApp, type View } from './app-store';
import { useExplore, type ExploreState } from './explore-store';

type ExploreFields = Pick<ExploreState, 'from' | 'to' | 'filters' | 'groupBy' | 'metric' | 'granularity'>;

export interface DrillOrigin {
  /** The explore state before the drill. */
  saved: ExploreFields;
  /** The screen drilled from. */
  view: View;
  /** What was drilled into, as the chip reads: "Service Name: EC2 › Region: (not set) · Mar 2025". */
  label: string;
  /** The filters the drill added (after the scope's own) and its date range. */
  added: Filter[];
  from: string | undefined;
  to: string | undefined;
}

export interface DrillTarget {
  path: PathStep[];
  /** A chart period, with the granularity it is in. */
  period?: { period: string; granularity: PeriodGranularity };
  label: string;
}

export const useDrill = create<{ origin: DrillOrigin | null }>()(() => ({ origin: null }));

/** The scope of a drill: the current one narrowed by the path's filters and the period's days. */
export function drillScope(
  base: { from: string | undefined; to: string | undefined; filters: readonly Filter[] },
  target: Pick<DrillTarget, 'path' | 'period'>,
): { from: string | undefined; to: string | undefined; filters: Filter[]; added: Filter[]; empty: boolean } {
  const added = pathFilters(target.path);
  let range = { from: base.from, to: base.to };
  let empty = false;
  if (target.period) {
    const r = intersectRanges({ ...(base.from ? { from: base.from } : {}), ...(base.to ? { to: base.to } : {}) }, periodRange(target.period.period, target.period.granularity));
    if (r) range = { from: r.from, to: r.to };
    else empty = true;
  }
  return { from: range.from, to: range.to, filters: [...base.filters, ...added], added, empty };
}

export function drillDown(target: DrillTarget): void {
  const e = useExplore.getState();
  const app = useApp.getState();
  // drilling again from a drilled view keeps the first origin: Back returns to where the user started
  const prev = useDrill.getState().origin;
  const saved: ExploreFields = prev?.saved ?? { from: e.from, to: e.to, filters: e.filters, groupBy: e.groupBy, metric: e.metric, granularity: e.granularity };
  const s = drillScope(e, target);
  if (s.empty) {
    app.notify({ kind: 'info', title: 'Nothing to show', message: 'That period lies outside the date range in view.' });
    return;
  }
  useExplore.setState({ from: s.from, to: s.to, filters: s.filters });
  useDrill.setState({
    origin: { saved, view: prev?.view ?? (app.view === 'rows' ? 'overview' : app.view), label: target.label, added: s.added, from: s.from, to: s.to },
  });
  app.setView('rows');
}

/** Undo the drill: the explore state from before it; `back` also returns to the screen drilled from. */
export function leaveDrill(back: boolean): void {
  const origin = useDrill.getState().origin;
  if (!origin) return;
  useExplore.setState({ ...origin.saved });
  useDrill.setState({ origin: null });
  if (back) useApp.getState().setView(origin.view);
}

/** Forget the drill without touching the scope (another workspace was opened, or a saved view applied). */
export function forgetDrill(): void {
  useDrill.setState({ origin: null });
}

// a drill belongs to the workspace it was made in
useApp.subscribe((s, prev) => {
  if (s.workspace?.path !== prev.workspace?.path) forgetDrill();
});

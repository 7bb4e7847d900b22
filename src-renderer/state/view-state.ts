// Pure: a screen with its explore state as one plain value (what a saved view stores and the URL hash carries), and
// back. Knows nothing of the stores, so it is the same for saving, bookmarking and the command palette.
import { AppViewSchema, GranularitySchema, MetricSchema, type AppView, type Filter, type Metric, type SavedViewDefinition } from '../../src-shared/api/contract';
import { normaliseLevels } from './explore-store';

export type ViewGranularity = SavedViewDefinition['granularity'];

/** The explore fields a view carries (explore-store's shape). */
export interface ExploreFields {
  from: string | undefined;
  to: string | undefined;
  filters: Filter[];
  /** Pivot levels, outermost first (1–3). */
  groupBy: string[];
  metric: Metric;
  granularity: ViewGranularity;
}

export function isAppView(v: unknown): v is AppView {
  return (AppViewSchema.options as readonly unknown[]).includes(v);
}

export function isMetric(v: unknown): v is Metric {
  return (MetricSchema.options as readonly unknown[]).includes(v);
}

export function isViewGranularity(v: unknown): v is ViewGranularity {
  return (GranularitySchema.options as readonly unknown[]).includes(v);
}

function copyFilter(f: Filter): Filter {
  return f.exclude ? { column: f.column, values: [...f.values], exclude: true } : { column: f.column, values: [...f.values] };
}

/**
 * The definition of what is on screen. A screen the saved-view format does not know (added after it) is kept as the
 * Overview: the explore state is what a view is about.
 */
export function snapshotView(view: string, e: ExploreFields): SavedViewDefinition {
  const def: SavedViewDefinition = {
    view: isAppView(view) ? view : 'overview',
    filters: e.filters.map(copyFilter),
    groupBy: normaliseLevels(e.groupBy),
    metric: e.metric,
    granularity: e.granularity,
  };
  if (e.from) def.from = e.from;
  if (e.to) def.to = e.to;
  return def;
}

/** The screen and explore state a definition restores (copies: the store never shares arrays with a saved view). */
export function applyView(def: SavedViewDefinition): { view: AppView; explore: ExploreFields } {
  return {
    view: def.view,
    explore: {
      from: def.from,
      to: def.to,
      filters: def.filters.map(copyFilter),
      groupBy: normaliseLevels(def.groupBy),
      metric: def.metric,
      granularity: def.granularity,
    },
  };
}

/** One canonical text per definition: filter order and value order do not change what a view shows. */
function canonical(def: SavedViewDefinition): string {
  const filters = def.filters
    .map((f) => ({ c: f.column, x: Boolean(f.exclude), v: [...f.values].sort((a, b) => String(a).localeCompare(String(b))) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return JSON.stringify([def.view, def.from ?? '', def.to ?? '', filters, normaliseLevels(def.groupBy), def.metric, def.granularity]);
}

/** Both show the same thing (used to mark the saved view on screen). */
export function sameView(a: SavedViewDefinition, b: SavedViewDefinition): boolean {
  return canonical(a) === canonical(b);
}

/** "Effective cost by Service Name › Region" — a name to start from when saving. */
export function suggestName(def: SavedViewDefinition, label: (column: string) => string, metricLabel: (m: Metric) => string): string {
  const by = normaliseLevels(def.groupBy).map(label).join(' › ');
  const filters = def.filters.length === 1 ? ', 1 filter' : def.filters.length > 1 ? `, ${def.filters.length} filters` : '';
  return `${metricLabel(def.metric)} by ${by}${filters}`.slice(0, 120);
}

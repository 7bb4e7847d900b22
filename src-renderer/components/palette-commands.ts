// What the command palette offers: every action of the app as one flat list, built from the dimensions and saved
// views of the open workspace. Running a command only calls the stores' own actions.
import type { Dimension, Granularity, Metric, SavedView } from '../../src-shared/api/contract';
import { useApp, type View } from '../state/app-store';
import { useExplore } from '../state/explore-store';
import { applySavedView, openSaveView } from '../state/saved-views';
import { SHORTCUTS, shortcutById, shortcutKeys } from '../state/shortcuts';
import { openDemoWorkspace } from '../state/workspace-actions';
import { METRICS } from './ControlsBar';
import { NAV } from './Sidebar';

export interface Command {
  id: string;
  /** What kind of command it is, shown beside it ("Group by", "Saved view"). */
  group: string;
  label: string;
  /** Other words it is found by (not shown). */
  keywords?: string;
  /** A short note: "current", the number of filters. */
  hint?: string;
  /** The keyboard shortcut that does the same. */
  keys?: string;
  run(): void;
}

export interface CommandContext {
  view: View;
  hasWorkspace: boolean;
  dimensions: readonly Dimension[];
  savedViews: readonly SavedView[];
  groupBy: readonly string[];
  metric: Metric;
  granularity: string;
  filterCount: number;
}

const GRANULARITIES: Array<{ id: Granularity; label: string }> = [
  { id: 'day', label: 'Daily' },
  { id: 'week', label: 'Weekly' },
  { id: 'month', label: 'Monthly' },
];

/** Shortcuts the list above already offers as commands of their own (or that make no sense inside the palette). */
const COVERED = new Set(['palette', 'import.choose', 'shortcuts']);

function keysOf(id: string): { keys?: string } {
  const s = shortcutById(id);
  return s ? { keys: shortcutKeys(s) } : {};
}

/** Slicing changes show on the Overview: go there when another screen is open. */
function onOverview(change: () => void): () => void {
  return () => {
    change();
    const app = useApp.getState();
    if (app.view !== 'overview') app.setView('overview');
  };
}

export function buildCommands(ctx: CommandContext): Command[] {
  const app = () => useApp.getState();
  const explore = () => useExplore.getState();
  const out: Command[] = [
    { id: 'workspace.open', group: 'Workspace', label: 'Open workspace…', run: () => app().openDialog('open-path') },
    { id: 'workspace.new', group: 'Workspace', label: 'New workspace…', run: () => app().openDialog('new-workspace') },
    {
      id: 'workspace.demo',
      group: 'Workspace',
      label: 'Open the demo workspace',
      run: () =>
        void openDemoWorkspace().then((r) => {
          if (!r.ok) app().notifyError('Could not open the demo workspace', r.error);
        }),
    },
    { id: 'import.files', group: 'Import', label: 'Import files…', ...keysOf('import.choose'), run: () => app().requestChooser() },
  ];
  for (const s of NAV) {
    out.push({
      id: `go.${s.view}`,
      group: 'Go to',
      label: `Go to ${s.label}`,
      ...(ctx.view === s.view ? { hint: 'current' } : {}),
      ...keysOf(`view.${s.view}`),
      run: () => app().setView(s.view),
    });
  }
  if (ctx.hasWorkspace) {
    out.push({ id: 'view.save', group: 'Saved view', label: 'Save view…', ...keysOf('view.save'), run: openSaveView });
    for (const v of ctx.savedViews) {
      out.push({
        id: `view.apply.${v.id}`,
        group: 'Saved view',
        label: `Apply saved view ${v.name}`,
        keywords: 'open show',
        ...(v.definition ? {} : { hint: 'unreadable' }),
        run: () => applySavedView(v),
      });
    }
    for (const d of ctx.dimensions) {
      const current = ctx.groupBy.length === 1 && ctx.groupBy[0] === d.column;
      out.push({
        id: `group.${d.column}`,
        group: d.kind === 'tag' ? 'Group by tag' : d.kind === 'allocation' ? 'Group by allocation' : 'Group by',
        label: `Group by ${d.label}`,
        ...(current ? { hint: 'current' } : {}),
        run: onOverview(() => explore().setGroupBy([d.column])),
      });
    }
    for (const m of METRICS) {
      out.push({
        id: `metric.${m.id}`,
        group: 'Cost basis',
        label: `Cost basis: ${m.label}`,
        keywords: 'metric',
        hint: ctx.metric === m.id ? 'current' : m.hint,
        run: onOverview(() => explore().setMetric(m.id)),
      });
    }
    for (const g of GRANULARITIES) {
      out.push({
        id: `granularity.${g.id}`,
        group: 'Granularity',
        label: `Granularity: ${g.label}`,
        keywords: 'period time',
        ...(ctx.granularity === g.id ? { hint: 'current' } : {}),
        run: onOverview(() => explore().setGranularity(g.id)),
      });
    }
    out.push({
      id: 'filters.clear',
      group: 'Filters',
      label: 'Clear filters',
      keywords: 'remove reset',
      hint: ctx.filterCount === 0 ? 'none set' : ctx.filterCount === 1 ? '1 filter' : `${ctx.filterCount} filters`,
      run: () => explore().clearFilters(),
    });
  }
  // Every other shortcut is a command too (Export, …): one list, so a new shortcut is never missing here.
  for (const sc of SHORTCUTS) {
    if (!sc.run || COVERED.has(sc.id) || sc.id.startsWith('view.')) continue;
    if (!ctx.hasWorkspace) continue;
    out.push({ id: `shortcut.${sc.id}`, group: 'Action', label: `${sc.does}…`, keys: shortcutKeys(sc), run: sc.run });
  }
  out.push({ id: 'help.shortcuts', group: 'Help', label: 'Show keyboard shortcuts', keywords: 'keys help', ...keysOf('shortcuts'), run: () => app().openDialog('shortcuts') });
  return out;
}

// Rows: every Cost and Usage row in scope, in a virtual grid with server-side sorting.
import { useState } from 'react';
import { DateRangeControl } from '../components/DateRangeControl';
import { DrillChip } from '../components/DrillChip';
import { EmptyState } from '../components/EmptyState';
import { FilterChips } from '../components/FilterChips';
import { RowsGrid } from '../components/RowsGrid';
import { ScreenHeader } from '../components/ScreenHeader';
import { ExportButton } from '../components/ExportDialog';
import { rangeLabel } from '../format/dates';
import { useApp } from '../state/app-store';
import { useScope } from '../state/explore-store';
import { nextSort, type RowsSort } from '../state/rows-sort';
import { useDimensions } from '../state/use-dimensions';

export function RowsScreen() {
  const ws = useApp((s) => s.workspace);
  const dataVersion = useApp((s) => s.dataVersion);
  const scope = useScope();
  const dims = useDimensions();
  const [sort, setSort] = useState<RowsSort | null>(null);
  if (!ws) return null;
  if (ws.rows === 0) {
    return (
      <div className="screen">
        <ScreenHeader title="Rows" subtitle={ws.name} />
        <EmptyState />
      </div>
    );
  }
  const queryKey = `${dataVersion}|${JSON.stringify(scope)}|${JSON.stringify(sort)}`;
  return (
    <div className="screen screen-fill">
      <ScreenHeader title="Rows" subtitle={`${ws.name} · ${rangeLabel(scope, ws)}`} actions={<ExportButton />} />
      <div className="controls" role="group" aria-label="Scope">
        <DateRangeControl workspace={ws} adjustGranularity={false} />
      </div>
      <DrillChip />
      <FilterChips labels={dims.labels} emptyHint="No filters — add one to narrow the rows." />
      <RowsGrid queryKey={queryKey} scope={scope} sort={sort} onSort={(c) => setSort((s) => nextSort(s, c))} />
    </div>
  );
}

// Overview (Explore v1): totals, spend over time and a breakdown for the current scope.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { WorkspaceInfo } from '../../src-shared/api/contract';
import { BreakdownTable } from '../components/BreakdownTable';
import { ControlsBar, metricLabel } from '../components/ControlsBar';
import { CurrencyBanner } from '../components/CurrencyBanner';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox } from '../components/Feedback';
import { FilterChips } from '../components/FilterChips';
import { KpiCards } from '../components/KpiCards';
import { SpendChart } from '../components/SpendChart';
import { assignColors } from '../format/colors';
import { rangeLabel } from '../format/dates';
import { columnLabel } from '../format/labels';
import { pivotTimeSeries } from '../format/pivot';
import { useApp } from '../state/app-store';
import { useExplore, useScope } from '../state/explore-store';
import { useApi } from '../state/use-api';
import { useDimensions } from '../state/use-dimensions';
import { ScreenHeader } from '../components/ScreenHeader';
import { ExportButton } from '../components/ExportDialog';
import { SaveViewButton } from '../components/SavedViewsNav';

export const BREAKDOWN_TOP = 500;
export const CHART_TOP = 8;

export function OverviewScreen() {
  const ws = useApp((s) => s.workspace);
  if (!ws) return null;
  if (ws.rows === 0) {
    return (
      <div className="screen">
        <ScreenHeader title="Overview" subtitle={ws.name} />
        <EmptyState />
      </div>
    );
  }
  return <OverviewContent workspace={ws} />;
}

function OverviewContent({ workspace }: { workspace: WorkspaceInfo }) {
  const scope = useScope();
  const { groupBy, metric, granularity, from, to } = useExplore(
    useShallow((s) => ({ groupBy: s.groupBy[0] ?? 'ServiceName', metric: s.metric, granularity: s.granularity, from: s.from, to: s.to })),
  );
  const dims = useDimensions();
  const kpis = useApi('explore.kpis', scope);
  const series = useApi('explore.query', { ...scope, groupBy: [groupBy], metric, granularity, top: CHART_TOP });
  const breakdown = useApi('explore.query', { ...scope, groupBy: [groupBy], metric, top: BREAKDOWN_TOP });

  // Stale answers (shown dimmed while the next loads) are read with the parameters they were asked with.
  const seriesGroup = series.dataInput?.groupBy?.[0] ?? groupBy;
  const seriesGranularity = series.dataInput?.granularity ?? granularity;
  const pivoted = useMemo(
    () => (series.data ? pivotTimeSeries(series.data.rows, seriesGroup, seriesGranularity) : undefined),
    [series.data, seriesGroup, seriesGranularity],
  );
  const breakdownGroup = breakdown.dataInput?.groupBy?.[0] ?? groupBy;
  const colors = useMemo(() => assignColors((pivoted?.series ?? []).map((s) => s.name)), [pivoted]);
  const dimTitle = columnLabel(groupBy, dims.labels);

  return (
    <div className="screen">
      <ScreenHeader
        title="Overview"
        subtitle={`${workspace.name} · ${rangeLabel({ from, to }, workspace)}`}
        actions={
          <>
            <ExportButton />
            <SaveViewButton />
          </>
        }
      />
      <ControlsBar workspace={workspace} dimensions={dims.list} />
      {dims.error ? <ErrorBox error={dims.error} title="Could not load the dimensions" onRetry={dims.reload} compact /> : null}
      <FilterChips labels={dims.labels} />
      <CurrencyBanner kpis={kpis.data} />
      <KpiCards kpis={kpis.data} loading={kpis.loading} error={kpis.error} onRetry={kpis.reload} />

      <section className="panel" aria-labelledby="chart-title">
        <header className="panel-header">
          <h2 id="chart-title">
            {metricLabel(metric)} over time <span className="muted">by {dimTitle}</span>
          </h2>
          <span className="panel-meta">
            {granularity === 'day' ? 'Daily' : 'Monthly'} · top {CHART_TOP} + other
          </span>
        </header>
        <SpendChart
          pivoted={pivoted}
          colors={colors}
          currency={series.data?.currency ?? null}
          granularity={seriesGranularity}
          loading={series.loading}
          error={series.error}
          onRetry={series.reload}
        />
      </section>

      <section className="panel" aria-labelledby="breakdown-title">
        <header className="panel-header">
          <h2 id="breakdown-title">
            Breakdown <span className="muted">by {dimTitle}</span>
          </h2>
          <span className="panel-meta">Click a row to filter · {metricLabel(metric)}</span>
        </header>
        <BreakdownTable
          column={breakdownGroup}
          columnTitle={columnLabel(breakdownGroup, dims.labels)}
          output={breakdown.data}
          loading={breakdown.loading}
          error={breakdown.error}
          onRetry={breakdown.reload}
          colors={colors}
        />
      </section>
    </div>
  );
}

// Overview (Explore v1): totals, spend over time and a breakdown for the current scope.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { WorkspaceInfo } from '../../src-shared/api/contract';
import { ControlsBar, metricLabel } from '../components/ControlsBar';
import { CurrencyBanner } from '../components/CurrencyBanner';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox } from '../components/Feedback';
import { FilterChips } from '../components/FilterChips';
import { KpiCards } from '../components/KpiCards';
import { PivotTable } from '../components/PivotTable';
import { SpendChart } from '../components/SpendChart';
import { assignColors } from '../format/colors';
import { periodLabel, rangeLabel } from '../format/dates';
import { columnLabel, OTHER, valueLabel } from '../format/labels';
import { pivotTimeSeries } from '../format/pivot';
import { useApp } from '../state/app-store';
import { drillDown } from '../state/drill';
import { useExplore, useScope } from '../state/explore-store';
import { useApi } from '../state/use-api';
import { useDimensions } from '../state/use-dimensions';
import { ScreenHeader } from '../components/ScreenHeader';
import { ExportButton } from '../components/ExportDialog';
import { SaveViewButton } from '../components/SavedViewsNav';

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
  const { levels, metric, granularity, from, to } = useExplore(
    useShallow((s) => ({ levels: s.groupBy, metric: s.metric, granularity: s.granularity, from: s.from, to: s.to })),
  );
  const groupBy = levels[0] ?? 'ServiceName';
  const dims = useDimensions();
  const kpis = useApi('explore.kpis', scope);
  const series = useApi('explore.query', { ...scope, groupBy: [groupBy], metric, granularity, top: CHART_TOP });

  // Stale answers (shown dimmed while the next loads) are read with the parameters they were asked with.
  const seriesGroup = series.dataInput?.groupBy?.[0] ?? groupBy;
  const seriesGranularity = series.dataInput?.granularity ?? granularity;
  const pivoted = useMemo(
    () => (series.data ? pivotTimeSeries(series.data.rows, seriesGroup, seriesGranularity) : undefined),
    [series.data, seriesGroup, seriesGranularity],
  );
  const colors = useMemo(() => assignColors((pivoted?.series ?? []).map((s) => s.name)), [pivoted]);
  const dimTitle = columnLabel(groupBy, dims.labels);
  // savings (list − effective) say something only where the bills carry list prices
  // …and until the first KPIs arrive, assume they do: the pivot then asks for list and effective cost with its first
  // question instead of a round trip later (most FOCUS bills carry list prices)
  const withSavings = kpis.data ? kpis.data.list !== 0 : !kpis.error;
  const drillChart = (period: string, name: string | null) => {
    const others = (pivoted?.series ?? []).map((x) => x.name).filter((n) => n !== OTHER);
    const when = seriesGranularity === 'month' ? periodLabel(period) : seriesGranularity === 'week' ? `week of ${periodLabel(period, true)}` : periodLabel(period, true);
    drillDown({
      path: [name === OTHER ? { column: seriesGroup, excluded: others } : { column: seriesGroup, value: name }],
      period: { period, granularity: seriesGranularity },
      label: `${columnLabel(seriesGroup, dims.labels)}: ${valueLabel(name)} · ${when}`,
    });
  };

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
            {granularity === 'day' ? 'Daily' : granularity === 'week' ? 'Weekly' : 'Monthly'} · top {CHART_TOP} + other · click a bar for its rows
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
          onDrill={drillChart}
          currencyPerSeries={seriesGroup === 'BillingCurrency' && series.data?.currency === null && (pivoted?.series.length ?? 0) > 1}
        />
      </section>

      <section className="panel" aria-labelledby="breakdown-title">
        <header className="panel-header">
          <h2 id="breakdown-title">
            Breakdown <span className="muted">by {levels.map((l) => columnLabel(l, dims.labels)).join(' › ')}</span>
          </h2>
          <span className="panel-meta">{metricLabel(metric)}{withSavings ? ' · savings = list − effective' : ''}</span>
        </header>
        <PivotTable scope={scope} levels={levels} metric={metric} withSavings={withSavings} labels={dims.labels} colors={colors} />
      </section>
    </div>
  );
}

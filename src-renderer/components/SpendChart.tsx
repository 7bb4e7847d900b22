// Spend over time: stacked bars of the top groups (+ the engine's "(other)" bucket) per period.
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { ApiError, Granularity } from '../../src-shared/api/contract';
import { periodLabel } from '../format/dates';
import { valueLabel } from '../format/labels';
import { formatMoney, formatMoneyCompact } from '../format/money';
import type { Pivoted, PivotedPoint } from '../format/pivot';
import { ErrorBox, Spinner } from './Feedback';

export interface SpendChartProps {
  pivoted: Pivoted | undefined;
  colors: Map<string | null, string>;
  currency: string | null;
  granularity: Granularity;
  loading: boolean;
  error: ApiError | undefined;
  onRetry: () => void;
  height?: number;
  /** Each series is a billing currency (grouped by BillingCurrency with several in scope): bars side by side, each
   * in its own currency, never stacked into one sum. */
  currencyPerSeries?: boolean;
  /** A click on a bar segment: the period and the series (first-level value) it shows. */
  onDrill?: (period: string, series: string | null) => void;
}

export function SpendChart({ pivoted, colors, currency, granularity, loading, error, onRetry, height = 300, onDrill, currencyPerSeries = false }: SpendChartProps) {
  // The bars are drawn by ChartCanvas, memoized on the answer: a new question starting (loading) or a parent
  // re-rendering only dims the wrapper instead of re-rendering every bar (a long task at the end of each import).
  const drillRef = useRef(onDrill);
  useEffect(() => {
    drillRef.current = onDrill;
  });
  const hasDrill = onDrill !== undefined;
  const drill = useCallback((period: string, series: string | null) => drillRef.current?.(period, series), []);

  let body;
  if (error) {
    body = <ErrorBox error={error} title="Could not load spend over time" onRetry={onRetry} />;
  } else if (!pivoted) {
    body = (
      <div className="chart-placeholder" style={{ height }}>
        <Spinner label="Loading chart" />
      </div>
    );
  } else if (pivoted.data.length === 0) {
    body = (
      <div className="chart-placeholder" style={{ height }}>
        No spend in this range and filter.
      </div>
    );
  } else {
    body = (
      <ChartCanvas
        pivoted={pivoted}
        colors={colors}
        currency={currency}
        granularity={granularity}
        height={height}
        currencyPerSeries={currencyPerSeries}
        onDrill={hasDrill ? drill : undefined}
      />
    );
  }

  return (
    <div className={`spend-chart${loading && pivoted ? ' refreshing' : ''}`} data-testid="spend-chart" aria-busy={loading}>
      {body}
    </div>
  );
}

interface ChartCanvasProps {
  pivoted: Pivoted;
  colors: Map<string | null, string>;
  currency: string | null;
  granularity: Granularity;
  height: number;
  currencyPerSeries: boolean;
  onDrill: ((period: string, series: string | null) => void) | undefined;
}

const ChartCanvas = memo(function ChartCanvas({ pivoted, colors, currency, granularity, height, currencyPerSeries, onDrill }: ChartCanvasProps) {
  const byPeriod = useMemo(() => new Map(pivoted.data.map((p) => [p.period, p])), [pivoted]);
  const multiYear = useMemo(() => {
    const d = pivoted.data;
    return d.length > 0 && d[0]!.period.slice(0, 4) !== d[d.length - 1]!.period.slice(0, 4);
  }, [pivoted]);
  const tick = (p: string) => (granularity === 'month' ? periodLabel(p) : periodLabel(p, false) + (multiYear ? ` ’${p.slice(2, 4)}` : ''));
  return (
    <>
    <ul className="legend" aria-label="Series">
      {pivoted.series.map((s) => (
        <li key={s.key} className="legend-item">
          <span className="swatch" style={{ background: colors.get(s.name) }} aria-hidden="true" />
          <span className="legend-name" title={valueLabel(s.name)}>
            {valueLabel(s.name)}
          </span>
          <span className="legend-value num">{formatMoneyCompact(s.total, currencyPerSeries ? s.name : currency)}</span>
        </li>
      ))}
    </ul>
    <div className="chart-canvas" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={pivoted.data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} stackOffset="sign" barCategoryGap="18%">
          <CartesianGrid vertical={false} className="chart-grid" />
          <XAxis dataKey="period" tickFormatter={tick} tickLine={false} axisLine={false} minTickGap={18} tickMargin={6} />
          <YAxis
            tickFormatter={(v: number) => formatMoneyCompact(v, currency)}
            width={68}
            tickLine={false}
            axisLine={false}
            tickCount={5}
          />
          <Tooltip
            cursor={{ className: 'chart-cursor' }}
            isAnimationActive={false}
            content={(props: TooltipContentProps) => (
              <ChartTooltip
                point={props.active && props.label !== undefined ? byPeriod.get(String(props.label)) : undefined}
                pivoted={pivoted}
                colors={colors}
                currency={currency}
                currencyPerSeries={currencyPerSeries}
                granularity={granularity}
              />
            )}
          />
          {pivoted.series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={valueLabel(s.name)}
              stackId={currencyPerSeries ? undefined : 'spend'}
              fill={colors.get(s.name)}
              isAnimationActive={false}
              maxBarSize={48}
              className={onDrill ? 'bar-drill' : undefined}
              onClick={onDrill ? (d: { payload?: { period?: unknown } }) => {
                if (typeof d.payload?.period === 'string') onDrill(d.payload.period, s.name);
              } : undefined}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
    </>
  );
});

function ChartTooltip({
  point,
  pivoted,
  colors,
  currency,
  granularity,
  currencyPerSeries,
}: {
  point: PivotedPoint | undefined;
  pivoted: Pivoted;
  colors: Map<string | null, string>;
  currency: string | null;
  granularity: Granularity;
  currencyPerSeries: boolean;
}) {
  if (!point) return null;
  const items = pivoted.series
    .map((s) => ({ s, v: Number(point[s.key] ?? 0) }))
    .filter((x) => x.v !== 0)
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">
        {granularity === 'month' ? periodLabel(point.period) : granularity === 'week' ? `Week of ${periodLabel(point.period, true)}` : periodLabel(point.period, true)}
      </div>
      <table>
        <tbody>
          {items.map(({ s, v }) => (
            <tr key={s.key}>
              <td>
                <span className="swatch" style={{ background: colors.get(s.name) }} aria-hidden="true" />
                {valueLabel(s.name)}
              </td>
              <td className="num">{formatMoney(v, currencyPerSeries ? s.name : currency)}</td>
            </tr>
          ))}
        </tbody>
        {currencyPerSeries ? null : (
          <tfoot>
            <tr>
              <td>Total</td>
              <td className="num">{formatMoney(point.total, currency)}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

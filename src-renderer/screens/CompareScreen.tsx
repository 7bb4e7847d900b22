// Compare: the change of the explore scope between two periods, explained as price, usage, mix, new, removed and
// credits — for the whole scope (waterfall) and per value of one dimension (table; a value drills in).
import { useEffect, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, CompareOutput, Dimension, Metric, WorkspaceInfo } from '../../src-shared/api/contract';
import { CompareTable } from '../components/CompareTable';
import { CompareWaterfall } from '../components/CompareWaterfall';
import { METRICS, metricLabel } from '../components/ControlsBar';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox, Notice, Spinner } from '../components/Feedback';
import { FilterChips } from '../components/FilterChips';
import { Icon } from '../components/Icon';
import { ScreenHeader } from '../components/ScreenHeader';
import { COMPARE_PRESETS, periodShort, periodText, type CompareChoice, type Period, type PeriodPair } from '../format/compare-periods';
import { changeRatio, direction, PARTS, signedMoney } from '../format/compare-parts';
import { DimensionOptions } from '../components/DimensionOptions';
import { columnLabel, valueLabel } from '../format/labels';
import { formatInteger, formatMoney, formatPercent } from '../format/money';
import { useApp } from '../state/app-store';
import { currentPeriods, useCompare } from '../state/compare-store';
import { useExplore } from '../state/explore-store';
import { useApi } from '../state/use-api';
import { useDimensions } from '../state/use-dimensions';

const RESOURCE = 'ResourceId';

export function CompareScreen() {
  const ws = useApp((s) => s.workspace);
  if (!ws) return null;
  if (ws.rows === 0) {
    return (
      <div className="screen">
        <ScreenHeader title="Compare" subtitle={ws.name} />
        <EmptyState />
      </div>
    );
  }
  return <CompareContent workspace={ws} />;
}

function CompareContent({ workspace }: { workspace: WorkspaceInfo }) {
  const c = useCompare(useShallow((s) => ({ choice: s.choice, custom: s.custom, groupBy: s.groupBy, workspacePath: s.workspacePath })));
  const adopt = useCompare((s) => s.adoptWorkspace);
  useEffect(() => adopt(workspace.path), [adopt, workspace.path]);
  const { filters, metric, addFilter } = useExplore(useShallow((s) => ({ filters: s.filters, metric: s.metric, addFilter: s.addFilter })));
  const dims = useDimensions();
  const periods = currentPeriods(c, workspace);
  /** A resource picked at resource level: there is nothing deeper to compare, its rows are one click away. */
  const [resource, setResource] = useState<{ value: string | null } | null>(null);

  const q = useApi('explore.compare', { a: periods.a, b: periods.b, groupBy: c.groupBy, filters, metric });
  const out = q.data;
  const groupTitle = columnLabel(c.groupBy, dims.labels);

  // a value drills in: it becomes a filter and the table regroups by resource; at resource level there is no deeper
  const pick = (value: string | null) => {
    if (c.groupBy === RESOURCE) {
      setResource({ value });
      return;
    }
    addFilter(c.groupBy, value);
    useCompare.getState().setGroupBy(RESOURCE);
    setResource(null);
  };

  const note = resource ? (
    <div className="cmp-note" data-testid="compare-resource-note">
      <Notice
        action={
          <span className="notice-actions">
            <button type="button" className="button small" onClick={() => showRows(resource.value, periods)}>
              Show its rows
            </button>
            <button type="button" className="button small" onClick={() => setResource(null)}>
              Dismiss
            </button>
          </span>
        }
      >
        <strong>{valueLabel(resource.value)}</strong> is a single resource: there is nothing finer to compare it by. The Rows screen
        lists its charges in both periods.
      </Notice>
    </div>
  ) : null;

  return (
    <div className="screen" data-testid="compare-screen">
      <ScreenHeader title="Compare" subtitle={`${workspace.name} · ${periodText(periods.a)} → ${periodText(periods.b)}`} />
      <CompareControls periods={periods} choice={c.choice} metric={metric} />
      {dims.error ? <ErrorBox error={dims.error} title="Could not load the dimensions" onRetry={dims.reload} compact /> : null}
      <FilterChips labels={dims.labels} emptyHint="No filters — click a value in the table to compare inside it." />
      <CompareBody
        out={q.dataInput?.groupBy === c.groupBy ? out : undefined}
        stale={q.loading}
        error={q.error}
        onRetry={q.reload}
        groupTitle={groupTitle}
        picker={<GroupByPicker groupBy={c.groupBy} dimensions={dims.list.filter((d) => d.kind !== 'allocation')} />}
        note={note}
        onPick={pick}
        drillHint={c.groupBy === RESOURCE ? 'one resource' : `compare its ${columnLabel(RESOURCE, dims.labels)} values`}
      />
    </div>
  );
}

/** "Show its rows": the resource as a filter, both periods as the range, on the Rows screen. */
function showRows(value: string | null, periods: PeriodPair): void {
  const explore = useExplore.getState();
  explore.addFilter(RESOURCE, value);
  const from = periods.a.from < periods.b.from ? periods.a.from : periods.b.from;
  const to = periods.a.to > periods.b.to ? periods.a.to : periods.b.to;
  explore.setRange(from, to);
  useApp.getState().setView('rows');
}

function CompareControls({ periods, choice, metric }: { periods: PeriodPair; choice: CompareChoice; metric: Metric }) {
  const setPreset = useCompare((s) => s.setPreset);
  const setCustom = useCompare((s) => s.setCustom);
  const setMetric = useExplore((s) => s.setMetric);

  const setDay = (which: 'a' | 'b', end: 'from' | 'to', value: string) => {
    if (!value) return;
    const next: Period = { ...periods[which], [end]: value };
    if (next.from > next.to) [next.from, next.to] = [next.to, next.from];
    setCustom({ ...periods, [which]: next });
  };

  const periodInputs = (which: 'a' | 'b') => (
    <div className="control">
      <span className="control-label" id={`cmp-${which}-label`}>
        Period {which.toUpperCase()}
      </span>
      <div className="control-row" role="group" aria-labelledby={`cmp-${which}-label`}>
        <input
          type="date"
          className="input date"
          aria-label={`Period ${which.toUpperCase()} from`}
          data-testid={`cmp-${which}-from`}
          value={periods[which].from}
          onChange={(e) => setDay(which, 'from', e.target.value)}
        />
        <span className="range-dash" aria-hidden="true">
          –
        </span>
        <input
          type="date"
          className="input date"
          aria-label={`Period ${which.toUpperCase()} to`}
          data-testid={`cmp-${which}-to`}
          value={periods[which].to}
          onChange={(e) => setDay(which, 'to', e.target.value)}
        />
      </div>
    </div>
  );

  return (
    <div className="controls" role="group" aria-label="Compare controls">
      <div className="control">
        <label className="control-label" htmlFor="cmp-preset">
          Periods
        </label>
        <select
          id="cmp-preset"
          className="select"
          data-testid="cmp-preset"
          value={choice}
          onChange={(e) => {
            if (e.target.value === 'custom') setCustom(periods);
            else setPreset(e.target.value as Exclude<CompareChoice, 'custom'>);
          }}
        >
          {COMPARE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom periods</option>
        </select>
      </div>
      {periodInputs('a')}
      {periodInputs('b')}
      <div className="control">
        <label className="control-label" htmlFor="cmp-metric">
          Metric
        </label>
        <select id="cmp-metric" className="select" value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
          {METRICS.map((m) => (
            <option key={m.id} value={m.id} title={m.hint}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** The dimension the table explains the change by (the waterfall is the whole scope, whatever it is). */
function GroupByPicker({ groupBy, dimensions }: { groupBy: string; dimensions: Dimension[] }) {
  const setGroupBy = useCompare((s) => s.setGroupBy);
  return (
    <select
      id="cmp-group-by"
      className="select cmp-group-select"
      data-testid="cmp-group-by"
      aria-label="Explain by"
      value={groupBy}
      onChange={(e) => setGroupBy(e.target.value)}
    >
      <DimensionOptions dimensions={dimensions} current={groupBy} />
    </select>
  );
}

function CompareBody({
  out,
  stale,
  error,
  onRetry,
  groupTitle,
  picker,
  note,
  onPick,
  drillHint,
}: {
  out: CompareOutput | undefined;
  stale: boolean;
  error: ApiError | undefined;
  onRetry: () => void;
  groupTitle: string;
  picker: ReactNode;
  note: ReactNode;
  onPick: (value: string | null) => void;
  drillHint: string;
}) {
  const addFilter = useExplore((s) => s.addFilter);
  const clearFilters = useExplore((s) => s.clearFilters);
  const hasFilters = useExplore((s) => s.filters.length > 0);
  const setGroupBy = useCompare((s) => s.setGroupBy);
  const setPreset = useCompare((s) => s.setPreset);

  if (error?.code === 'mixed-currency') {
    const currencies = ((error.detail as { currencies?: string[] } | undefined)?.currencies ?? []).filter((x) => x !== '(none)');
    return (
      <div data-testid="currency-warning">
        <Notice
          kind="warning"
          action={
            <span className="notice-actions">
              {currencies.map((cur) => (
                <button key={cur} type="button" className="button small" onClick={() => addFilter('BillingCurrency', cur)}>
                  Only {cur}
                </button>
              ))}
              <button type="button" className="button small" onClick={() => setGroupBy('BillingCurrency')}>
                By currency
              </button>
            </span>
          }
        >
          <strong>Several billing currencies in scope</strong> — a change is only explained within one currency.{' '}
          <span className="muted">In scope: {currencies.join(', ')}. Amounts in different currencies are never added together.</span>
        </Notice>
      </div>
    );
  }
  if (error) return <ErrorBox error={error} title="Could not compare the periods" onRetry={onRetry} />;
  if (!out) {
    return (
      <section className="panel cmp-loading" aria-busy="true">
        <Spinner label="Comparing" /> <span className="muted">Comparing the two periods — every charge of both is read…</span>
      </section>
    );
  }

  const labelA = periodShort(out.a);
  const labelB = periodShort(out.b);
  if (out.a.rows === 0 || out.b.rows === 0) {
    const empty = out.a.rows === 0 && out.b.rows === 0 ? 'either period' : out.a.rows === 0 ? `period A (${periodText(out.a)})` : `period B (${periodText(out.b)})`;
    return (
      <section className={`panel cmp-empty${stale ? ' refreshing' : ''}`} data-testid="compare-empty" aria-labelledby="cmp-empty-title">
        <div className="empty-illustration" aria-hidden="true">
          <Icon name="compare" size={32} />
        </div>
        <h2 id="cmp-empty-title">No charges in {empty}</h2>
        <p>
          A change can only be explained between two periods that both have charges in this scope
          {hasFilters ? ' and filter' : ''}. Pick other periods{hasFilters ? ' or clear the filters' : ''}.
        </p>
        <div className="empty-actions">
          <button type="button" className="button" onClick={() => setPreset('days30')}>
            Last 30 days vs previous 30
          </button>
          {hasFilters ? (
            <button type="button" className="button" onClick={clearFilters}>
              Clear filters
            </button>
          ) : null}
        </div>
      </section>
    );
  }

  const total = out.total;
  const ratio = total ? changeRatio(total.a, total.b) : null;
  return (
    <div className={`stack cmp-results${stale ? ' refreshing' : ''}`} aria-busy={stale}>
      {total ? (
        <>
          <section className="kpis cmp-kpis" aria-label="Change">
            <div className="kpi">
              <div className="kpi-label">A · {periodText(out.a)}</div>
              <div className="kpi-value num" data-testid="compare-a" data-value={String(total.a)}>
                {formatMoney(total.a, out.currency)}
              </div>
              <div className="kpi-sub">{formatInteger(out.a.rows)} charges</div>
            </div>
            <div className="kpi">
              <div className="kpi-label">B · {periodText(out.b)}</div>
              <div className="kpi-value num" data-testid="compare-b" data-value={String(total.b)}>
                {formatMoney(total.b, out.currency)}
              </div>
              <div className="kpi-sub">{formatInteger(out.b.rows)} charges</div>
            </div>
            <div className={`kpi cmp-kpi-change ${direction(total.change)}`}>
              <div className="kpi-label">Change · {metricLabel(out.metric)}</div>
              <div className="kpi-value num" data-testid="compare-change" data-value={String(total.change)}>
                {signedMoney(total.change, out.currency)}
              </div>
              <div className="kpi-sub">{ratio === null ? 'A was zero' : `${ratio > 0 ? '+' : ''}${formatPercent(ratio)} from A to B`}</div>
            </div>
          </section>
          <section className="panel" aria-labelledby="cmp-chart-title">
            <header className="panel-header">
              <h2 id="cmp-chart-title">
                From A to B <span className="muted">· what the change is made of</span>
              </h2>
              <ul className="cmp-parts" aria-label="Parts of the change">
                {PARTS.map((p) => (
                  <li key={p.id} title={p.hint}>
                    <span className="cmp-part-name">{p.label}</span>{' '}
                    <span className={`num cmp-change ${direction(total.parts[p.id])}`} data-testid={`part-${p.id}`} data-value={String(total.parts[p.id])}>
                      {signedMoney(total.parts[p.id], out.currency)}
                    </span>
                  </li>
                ))}
              </ul>
            </header>
            <CompareWaterfall total={total} currency={out.currency} labelA={`A · ${labelA}`} labelB={`B · ${labelB}`} />
          </section>
        </>
      ) : (
        <Notice>
          The values are in several billing currencies: each row is explained in its own currency, and there is no total.
        </Notice>
      )}
      <section className="panel" aria-labelledby="cmp-table-title">
        <header className="panel-header">
          <h2 id="cmp-table-title">
            <label htmlFor="cmp-group-by">By</label> {picker} <span className="muted">· largest change first</span>
          </h2>
          <span className="panel-meta">Click a value to compare inside it</span>
        </header>
        {note}
        {out.rows.length === 0 ? (
          <div className="panel-empty">No values in this scope.</div>
        ) : (
          <CompareTable output={out} columnTitle={groupTitle} onPick={onPick} drillHint={drillHint} />
        )}
        <details className="cmp-method">
          <summary>How each part is measured</summary>
          <dl>
            {PARTS.map((p) => (
              <div key={p.id}>
                <dt>{p.label}</dt>
                <dd>{p.hint}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">
            An item is a resource (else its SKU, else the charge description) in one pricing unit. Usage and mix are measured
            within each value of the table, so choosing another “By” can move amounts between them (the finer the values, the more
            of it is usage); the whole scope’s parts are the sums of the rows’. The parts add up to the change exactly;
            amounts are rounded to the cent only on screen.
          </p>
        </details>
      </section>
    </div>
  );
}

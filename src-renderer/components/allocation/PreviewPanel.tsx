// The live preview of one dimension: coverage and the cent check per billing currency, the targets before and after
// (direct + shared = total), and what stays unallocated with the reason. Amounts in different currencies are never
// added up: each currency has its own check and its rows say their currency.
import { memo } from 'react';
import type { AllocationCheck, DimensionPreview } from '../../../src-shared/api/allocation';
import type { Metric } from '../../../src-shared/api/contract';
import { formatInteger, formatMoney, formatPercent } from '../../format/money';
import { periodLabel } from '../../format/dates';
import { useAllocation } from '../../state/allocation-store';
import { METRICS } from '../ControlsBar';
import { ErrorBox, Notice, Spinner } from '../Feedback';
import { Icon } from '../Icon';
import type { PreviewState } from './allocation-sync';
import { UNALLOCATED_REASONS } from './describe';

/** The exact difference: cents normally, every nano when it is below a cent (and so not zero to the eye). */
export function differenceText(d: number, currency: string): string {
  if (d !== 0 && Math.abs(d) < 0.005) return `${d > 0 ? '' : '−'}${Math.abs(d).toFixed(9)} ${currency}`;
  return formatMoney(d, currency);
}

export function CentCheck({ check, testId = 'cent-check' }: { check: AllocationCheck; testId?: string }) {
  const ok = check.difference === 0;
  return (
    <div className={`alloc-check ${ok ? 'ok' : 'bad'}`} data-testid={testId} data-difference={check.difference} data-currency={check.currency}>
      <Icon name={ok ? 'check' : 'alert'} size={14} />
      <span>
        Allocated + unallocated = original: difference <strong className="num">{differenceText(check.difference, check.currency)}</strong>
      </span>
    </div>
  );
}

export function MonthRange({ months, from, to, onChange, idPrefix }: { months: readonly string[]; from: string | null; to: string | null; onChange(from: string | null, to: string | null): void; idPrefix: string }) {
  const set = (which: 'from' | 'to', v: string) => {
    let f = which === 'from' ? v || null : from;
    let t = which === 'to' ? v || null : to;
    if (f && t && f > t) [f, t] = [t, f];
    onChange(f, t);
  };
  return (
    <span className="alloc-months" role="group" aria-label="Months">
      <select className="select" id={`${idPrefix}-from`} aria-label="From month" data-testid={`${idPrefix}-from`} value={from ?? ''} onChange={(e) => set('from', e.target.value)}>
        <option value="">{months.length ? periodLabel(months[0]!) : 'First month'}</option>
        {months.map((m) => (
          <option key={m} value={m}>
            {periodLabel(m)}
          </option>
        ))}
      </select>
      <span className="range-dash" aria-hidden="true">
        –
      </span>
      <select className="select" aria-label="To month" data-testid={`${idPrefix}-to`} value={to ?? ''} onChange={(e) => set('to', e.target.value)}>
        <option value="">{months.length ? periodLabel(months[months.length - 1]!) : 'Last month'}</option>
        {months.map((m) => (
          <option key={m} value={m}>
            {periodLabel(m)}
          </option>
        ))}
      </select>
    </span>
  );
}

export function MetricSelect({ value, onChange, id }: { value: Metric; onChange(m: Metric): void; id: string }) {
  return (
    <select className="select" id={id} aria-label="Cost basis" data-testid={id} value={value} onChange={(e) => onChange(e.target.value as Metric)}>
      {METRICS.map((m) => (
        <option key={m.id} value={m.id} title={m.hint}>
          {m.label}
        </option>
      ))}
    </select>
  );
}

function monthsText(months: readonly string[]): string {
  if (months.length === 0) return '';
  if (months.length === 1) return periodLabel(months[0]!);
  return `${periodLabel(months[0]!)} – ${periodLabel(months[months.length - 1]!)}`;
}

export function PreviewPanel({ preview, dimension, dimensionLabel, months }: { preview: PreviewState; dimension: string; dimensionLabel: string; months: readonly string[] }) {
  const metric = useAllocation((s) => s.metric);
  const setMetric = useAllocation((s) => s.setMetric);
  const fromMonth = useAllocation((s) => s.fromMonth);
  const toMonth = useAllocation((s) => s.toMonth);
  const setMonths = useAllocation((s) => s.setMonths);
  const data = preview.data;
  const dp = data?.dimensions.find((d) => d.dimension === dimension);

  return (
    <section className={`panel alloc-preview${preview.pending ? ' refreshing' : ''}`} aria-labelledby="alloc-preview-title" aria-busy={preview.pending} data-testid="preview-panel">
      <header className="panel-header">
        <h2 id="alloc-preview-title">
          Preview <span className="muted">· {dimensionLabel}</span>
        </h2>
        {preview.pending ? <Spinner size={13} label="Updating the preview" /> : null}
        {data ? (
          <span className="alloc-timing" data-testid="preview-timing" title={`${formatInteger(data.rows)} rows in ${formatInteger(data.groups)} groups, read from ${data.source}`}>
            {Math.round(data.ms)} ms · {data.source}
          </span>
        ) : null}
      </header>
      <div className="alloc-preview-controls">
        <MetricSelect id="preview-metric" value={metric} onChange={setMetric} />
        <MonthRange idPrefix="preview" months={months} from={fromMonth} to={toMonth} onChange={setMonths} />
      </div>
      <PreviewBody preview={preview} dp={dp} />
    </section>
  );
}

function PreviewBody({ preview, dp }: { preview: PreviewState; dp: DimensionPreview | undefined }) {
  const data = preview.data;
  if (preview.blocking) {
    return (
      <div className="alloc-pad">
        <Notice kind="warning">The rules cannot be previewed: {preview.blocking}</Notice>
      </div>
    );
  }
  if (preview.error && !data) {
    return (
      <div className="alloc-pad">
        <ErrorBox error={preview.error} title="Could not preview the rules" compact />
      </div>
    );
  }
  if (!data) {
    return (
      <div className="alloc-pad alloc-loading">
        <Spinner label="Computing the preview" /> <span className="muted">Running the rules over the workspace…</span>
      </div>
    );
  }
  return (
    <div className="alloc-preview-body">
      {preview.error ? <ErrorBox error={preview.error} title="The latest edit could not be previewed" compact /> : null}
      {data.problems.length ? (
        <Notice kind="warning">
          <strong>Nothing computed: fix these first.</strong>
          <ul className="alloc-problem-list" data-testid="preview-problems">
            {data.problems.map((p) => (
              <li key={`${p.ruleId}:${p.message}`}>{p.message}</li>
            ))}
          </ul>
        </Notice>
      ) : !dp ? (
        <div className="panel-empty">No preview for this dimension.</div>
      ) : (
        <>
          <div className="alloc-checks">
            {dp.checks.length === 0 ? <div className="muted">No spend in these months.</div> : null}
            {dp.checks.map((c) => (
              <div key={c.currency} className="alloc-check-group">
                <CheckSummary check={c} multi={dp.checks.length > 1} />
                <CentCheck check={c} />
              </div>
            ))}
          </div>
          <TargetsTable dp={dp} />
          <UnallocatedList dp={dp} />
        </>
      )}
      <div className="alloc-preview-foot muted small" data-testid="preview-foot">
        {formatInteger(data.rows)} rows · {formatInteger(data.groups)} groups · {monthsText(data.months)}
        {data.appliedVersion !== null ? ` · before = version ${data.appliedVersion}` : ' · nothing applied yet'}
      </div>
    </div>
  );
}

function CheckSummary({ check, multi }: { check: AllocationCheck; multi: boolean }) {
  const pct = Math.max(0, Math.min(100, check.coverage));
  return (
    <div className="alloc-check-card" data-testid="check-card" data-currency={check.currency}>
      <div className="alloc-coverage">
        <div className="alloc-coverage-figure">
          <span className="alloc-coverage-pct num" data-testid="coverage" data-value={check.coverage}>
            {formatPercent(check.coverage / 100)}
          </span>
          <span className="muted"> allocated{multi ? ` · ${check.currency}` : ''}</span>
        </div>
        <div className="alloc-coverage-bar" role="img" aria-label={`${formatPercent(check.coverage / 100)} of the spend allocated`}>
          <div style={{ width: `${pct}%` }} />
        </div>
        <dl className="alloc-check-figures">
          {(
            [
              ['Original', 'original'],
              ['Allocated', 'allocated'],
              ['Unallocated', 'unallocated'],
            ] as const
          ).map(([label, key]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd className="num" data-testid={`check-${key}`} data-value={check[key]}>
                {formatMoney(check[key], check.currency)}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}

function change(total: number, before: number | null): { text: string; cls: string } {
  if (before === null) return { text: 'new', cls: 'muted' };
  const d = Math.round((total - before) * 100) / 100;
  if (d === 0) return { text: '—', cls: 'muted' };
  return { text: `${d > 0 ? '+' : '−'}${Math.abs(d).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`, cls: d > 0 ? 'up' : 'down' };
}

// memoized on the answer: an edit re-renders the editor, not a table of every target
const TargetsTable = memo(function TargetsTable({ dp }: { dp: DimensionPreview }) {
  const rows = [...dp.targets].sort((a, b) => a.currency.localeCompare(b.currency) || b.total - a.total);
  const anyBefore = rows.some((r) => r.before !== null);
  if (rows.length === 0) {
    return <div className="alloc-hint">No target gets any spend yet: add rules that match rows.</div>;
  }
  return (
    <div className="alloc-table-wrap">
      <table className="table alloc-table" data-testid="preview-targets">
        <thead>
          <tr>
            <th>{dp.label}</th>
            <th className="right">Direct</th>
            <th className="right">Shared</th>
            <th className="right" title={anyBefore ? 'Total, and the applied version’s total before it' : undefined}>
              Total{anyBefore ? ' / before' : ''}
            </th>
            {anyBefore ? <th className="right">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const ch = change(r.total, r.before);
            return (
              <tr key={`${r.currency}|${r.target}`} data-testid="preview-target" data-target={r.target}>
                <td className="alloc-target" title={r.target}>
                  {r.target}
                </td>
                <td className="right num" data-testid="t-direct" data-value={r.direct}>
                  {formatMoney(r.direct, r.currency)}
                </td>
                <td className="right num" data-testid="t-shared" data-value={r.shared}>
                  {r.shared === 0 ? <span className="muted">—</span> : formatMoney(r.shared, r.currency)}
                </td>
                <td className="right num" data-testid="t-total" data-value={r.total}>
                  <span className="strong">{formatMoney(r.total, r.currency)}</span>
                  {anyBefore ? (
                    <span className="alloc-before" data-testid="t-before" data-value={r.before ?? ''}>
                      {r.before === null ? 'new' : formatMoney(r.before, r.currency)}
                    </span>
                  ) : null}
                </td>
                {anyBefore ? (
                  <td className={`right num alloc-change ${ch.cls}`} data-testid="t-change">
                    {ch.text}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});

const UnallocatedList = memo(function UnallocatedList({ dp }: { dp: DimensionPreview }) {
  if (dp.unallocated.length === 0) {
    return (
      <div className="alloc-all-allocated" data-testid="unallocated-none">
        <Icon name="check" size={14} /> Every row reaches a target.
      </div>
    );
  }
  const rows = [...dp.unallocated].sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount));
  return (
    <div className="alloc-unallocated" data-testid="unallocated">
      <h3>
        Unallocated <span className="muted">· {formatInteger(dp.rowsUnmatched)} rows no rule matched</span>
      </h3>
      <ul>
        {rows.map((u, i) => (
          <li key={i} data-testid="unallocated-row" data-reason={u.reason}>
            <div className="alloc-unalloc-main">
              <span className="alloc-unalloc-reason">
                {UNALLOCATED_REASONS[u.reason] ?? u.reason}
                {u.poolId ? <span className="mono muted"> · {u.poolId}</span> : null}
              </span>
              <span className="num alloc-unalloc-amount">{formatMoney(u.amount, u.currency)}</span>
            </div>
            <div className="alloc-unalloc-sub muted small">
              {u.detail ? `${u.detail} · ` : ''}
              {u.months.length === 1 ? periodLabel(u.months[0]!) : `${u.months.length} months (${monthsText(u.months)})`}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
});

// Data quality of the current scope (explore.dataQuality): untagged spend by tag key, spend without a sub account,
// null rates of columns that should be filled, and conformance failures by provider. Each figure that a filter can
// show opens it: untagged spend for key K filters Tags.K = (none) on the Overview, and so on.
import { useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DataQuality, WorkspaceInfo } from '../../src-shared/api/contract';
import { DateRangeControl } from '../components/DateRangeControl';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox, Notice, Skeleton } from '../components/Feedback';
import { FilterChips } from '../components/FilterChips';
import { Icon } from '../components/Icon';
import { ScreenHeader } from '../components/ScreenHeader';
import { metricLabel } from '../components/ControlsBar';
import { rangeLabel } from '../format/dates';
import { formatInteger, formatMoney, formatPercent, share } from '../format/money';
import { useApp, type View } from '../state/app-store';
import { useExplore, useScope } from '../state/explore-store';
import { useApi } from '../state/use-api';
import { useDimensions } from '../state/use-dimensions';

/** Columns a filter can select null rows of (numbers cannot be filtered by value). */
const FILTERABLE_NULLS = new Set(['ResourceId', 'ChargeDescription', 'SkuId', 'CommitmentDiscountId']);
/** Failing rules listed per provider before "and N more". */
const RULES_SHOWN = 6;
/** Tag keys listed before "Show all". */
const KEYS_SHOWN = 10;

export function QualityScreen() {
  const ws = useApp((s) => s.workspace);
  if (!ws) return null;
  if (ws.rows === 0) {
    return (
      <div className="screen">
        <ScreenHeader title="Data quality" subtitle={ws.name} />
        <EmptyState />
      </div>
    );
  }
  return <QualityContent workspace={ws} />;
}

/** Adds a "(none)" filter for the column and opens the screen that shows those rows. */
function useShowMissing(): (column: string, view: View) => void {
  const addFilter = useExplore((s) => s.addFilter);
  const setView = useApp((s) => s.setView);
  return (column, view) => {
    addFilter(column, null);
    setView(view);
  };
}

function QualityContent({ workspace }: { workspace: WorkspaceInfo }) {
  const scope = useScope();
  const { metric, from, to } = useExplore(useShallow((s) => ({ metric: s.metric, from: s.from, to: s.to })));
  const dims = useDimensions();
  const q = useApi('explore.dataQuality', { ...scope, metric });
  const d = q.data;
  return (
    <div className="screen quality-screen" data-testid="quality-screen">
      <ScreenHeader title="Data quality" subtitle={`${workspace.name} · ${rangeLabel({ from, to }, workspace)} · ${metricLabel(metric)}`} />
      <div className="controls" role="group" aria-label="Scope">
        <DateRangeControl workspace={workspace} adjustGranularity={false} />
      </div>
      <FilterChips labels={dims.labels} emptyHint="No filters — the whole date range is checked." />
      {q.error ? (
        <ErrorBox error={q.error} title="Could not check the data quality" onRetry={q.reload} />
      ) : !d ? (
        <div className="quality-cards" aria-busy="true">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="kpi">
              <Skeleton width="50%" height={12} />
              <Skeleton width="70%" height={24} />
              <Skeleton width="60%" height={10} />
            </div>
          ))}
        </div>
      ) : (
        <div className={q.loading ? 'refreshing stack' : 'stack'}>
          <Summary q={d} />
          <UntaggedPanel q={d} />
          <NoSubAccountPanel q={d} />
          <NullRatesPanel q={d} />
          <ConformancePanel q={d} />
        </div>
      )}
    </div>
  );
}

const SOURCE_NOTE: Record<DataQuality['source'], string> = {
  rollup_dim: 'Exact for the dates (from the daily totals)',
  cube_month: 'Exact for the filtered rows (from the monthly totals)',
  'cube_month+rows': 'Exact for the filtered rows (monthly totals and rows)',
  rows: 'Exact for the filtered rows (read from the rows)',
};

function SourceNote({ q }: { q: DataQuality }) {
  return SOURCE_NOTE[q.source];
}

/** Why untagged spend can be more than all spend: credits (negative) on tagged rows lower the total but not it. */
const CREDITS_NOTE = 'More than all spend: credits on tagged rows lower the total, not the untagged part.';

function exceedsTotal(u: { amount: number; total: number }): boolean {
  return u.amount > u.total;
}

/** A card whose figure opens the rows behind it, when there are any. */
function Card({ label, children, sub, onOpen, openLabel, testId }: { label: string; children: ReactNode; sub: ReactNode; onOpen?: () => void; openLabel?: string; testId: string }) {
  const body = (
    <>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value num">{children}</span>
      <span className="kpi-sub">{sub}</span>
    </>
  );
  return onOpen ? (
    <button type="button" className="kpi quality-card clickable" data-testid={testId} onClick={onOpen} aria-label={openLabel}>
      {body}
    </button>
  ) : (
    <div className="kpi quality-card" data-testid={testId}>
      {body}
    </div>
  );
}

function Summary({ q }: { q: DataQuality }) {
  const show = useShowMissing();
  const openConformance = useApp((s) => s.setView);
  const main = q.totals[0];
  const noSub = q.noSubAccount.find((n) => n.currency === main?.currency) ?? q.noSubAccount[0];
  const worstKey = q.untagged[0];
  const nullCols = q.nullRates.columns.filter((c) => c.nulls > 0);
  const worstNull = [...q.nullRates.columns].sort((a, b) => (share(b.nulls, b.applicable) ?? 0) - (share(a.nulls, a.applicable) ?? 0))[0];
  const failingRules = q.conformance.providers.reduce((n, p) => n + p.rules.length, 0);
  const failingFiles = q.conformance.providers.reduce((n, p) => n + p.failingFiles, 0);
  return (
    <section className="quality-cards" aria-label="Summary" data-testid="quality-cards">
      <Card
        label="Spend without a sub account"
        testId="quality-card-nosub"
        sub={!noSub ? 'No spend in scope' : noSub.rows === 0 ? 'Every row names its sub account' : `${formatInteger(noSub.rows)} of ${formatInteger(noSub.totalRows)} rows`}
        {...(noSub && noSub.rows > 0 ? { onOpen: () => show('SubAccountId', 'overview'), openLabel: 'Show the spend without a sub account on the Overview' } : {})}
      >
        {noSub ? <span data-value={String(noSub.amount)}>{formatMoney(noSub.amount, noSub.currency)}</span> : '—'}
      </Card>
      <Card
        label={worstKey ? `Untagged: ${worstKey.key}` : 'Untagged spend'}
        testId="quality-card-untagged"
        sub={
          worstKey ? (
            <>
              {formatInteger(worstKey.rows)} of {formatInteger(worstKey.totalRows)} rows have no “{worstKey.key}” tag
              {exceedsTotal(worstKey) ? (
                <span className="quality-card-note" data-testid="untagged-exceeds-note">
                  <Icon name="info" size={12} /> {CREDITS_NOTE}
                </span>
              ) : null}
            </>
          ) : (
            'No row in the workspace carries tags'
          )
        }
        {...(worstKey && worstKey.rows > 0 ? { onOpen: () => show(`Tags.${worstKey.key}`, 'overview'), openLabel: `Show the spend without the tag ${worstKey.key} on the Overview` } : {})}
      >
        {worstKey ? formatMoney(worstKey.amount, worstKey.currency) : '—'}
      </Card>
      <Card
        label="Columns with nulls"
        testId="quality-card-nulls"
        sub={worstNull && worstNull.nulls > 0 ? `Most: ${worstNull.column}, ${formatPercent(share(worstNull.nulls, worstNull.applicable))} of ${worstNull.appliesTo}` : 'Every counted column is filled'}
      >
        {nullCols.length} of {q.nullRates.columns.length}
      </Card>
      <Card
        label="Conformance"
        testId="quality-card-conformance"
        sub={`${formatInteger(failingFiles)} of ${formatInteger(q.conformance.files)} files fail a FOCUS rule`}
        {...(q.conformance.files > 0 ? { onOpen: () => openConformance('conformance'), openLabel: 'Open the Conformance page' } : {})}
      >
        {formatInteger(failingRules)} failing {failingRules === 1 ? 'rule' : 'rules'}
      </Card>
    </section>
  );
}

/** A share of rows (always 0–100 %), with the counts beside it. */
function ShareBar({ ratio, tone, detail }: { ratio: number | null; tone?: 'warn'; detail?: string }) {
  const pct = ratio === null ? 0 : Math.max(0, Math.min(1, ratio)) * 100;
  return (
    <span className="share" title={detail ? `${detail} rows` : formatPercent(ratio)}>
      {pct > 0 ? <span className={`share-bar${tone ? ` ${tone}` : ''}`} style={{ width: `${pct}%` }} /> : null}
      <span className="share-label">
        {formatPercent(ratio)}
        {detail ? <span className="muted"> · {detail}</span> : null}
      </span>
    </span>
  );
}

function UntaggedPanel({ q }: { q: DataQuality }) {
  const show = useShowMissing();
  const [all, setAll] = useState(false);
  const multi = q.totals.length > 1;
  const keys = new Set(q.untagged.map((u) => u.key)).size;
  const shown = all ? q.untagged : q.untagged.slice(0, KEYS_SHOWN * q.totals.length);
  const exceeding = shown.some(exceedsTotal);
  return (
    <section className="panel" aria-labelledby="untagged-title" data-testid="quality-untagged">
      <header className="panel-header">
        <h2 id="untagged-title">Untagged spend by tag key</h2>
        <span className="panel-meta">
          <SourceNote q={q} /> · click a key to see its untagged spend
        </span>
      </header>
      {q.untagged.length === 0 ? (
        <div className="panel-empty">No row in this workspace carries tags, so every charge is unattributed by tag.</div>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Tag key</th>
                {multi ? <th>Currency</th> : null}
                <th className="right">Untagged spend</th>
                <th className="right">Of all spend</th>
                <th className="quality-share-col">Rows without the key</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((u) => (
                <tr key={`${u.key}|${u.currency ?? ''}`}>
                  <td>
                    {u.rows > 0 ? (
                      <button type="button" className="link-button" onClick={() => show(`Tags.${u.key}`, 'overview')} aria-label={`Show the spend without the tag ${u.key}`}>
                        {u.key}
                      </button>
                    ) : (
                      u.key
                    )}
                  </td>
                  {multi ? <td>{u.currency ?? '(none)'}</td> : null}
                  <td className="right num" data-testid={`untagged-${u.key}`} data-value={String(u.amount)}>
                    {formatMoney(u.amount, u.currency)}
                  </td>
                  <td className="right num muted">
                    {exceedsTotal(u) ? (
                      <span className="quality-exceeds" title={CREDITS_NOTE} aria-label={`${formatMoney(u.total, u.currency)}, less than the untagged spend: see the note below the table`}>
                        *
                      </span>
                    ) : null}
                    {formatMoney(u.total, u.currency)}
                  </td>
                  <td>
                    <ShareBar ratio={share(u.rows, u.totalRows)} tone="warn" detail={`${formatInteger(u.rows)} of ${formatInteger(u.totalRows)}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {exceeding ? (
            <p className="panel-pad quality-footnote" data-testid="untagged-exceeds-footnote">
              * {CREDITS_NOTE} Rows count as untagged whatever their amount, so the share of rows is the measure to compare.
            </p>
          ) : null}
          {shown.length < q.untagged.length ? (
            <div className="panel-pad">
              <button type="button" className="link-button" onClick={() => setAll(true)}>
                Show all {formatInteger(keys)} tag keys
              </button>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}

function NoSubAccountPanel({ q }: { q: DataQuality }) {
  const show = useShowMissing();
  return (
    <section className="panel" aria-labelledby="nosub-title" data-testid="quality-nosub">
      <header className="panel-header">
        <h2 id="nosub-title">Spend without a sub account</h2>
        <span className="panel-meta">
          <SourceNote q={q} /> · rows whose SubAccountId is empty
        </span>
      </header>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Currency</th>
              <th className="right">Without a sub account</th>
              <th className="right">Of all spend</th>
              <th className="quality-share-col">Rows without one</th>
              <th className="right">
                <span className="visually-hidden">Show</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {q.noSubAccount.map((n) => (
              <tr key={n.currency ?? ''}>
                <td>{n.currency ?? '(none)'}</td>
                <td className="right num" data-testid={`nosub-${n.currency ?? 'none'}`} data-value={String(n.amount)}>
                  {formatMoney(n.amount, n.currency)}
                </td>
                <td className="right num muted">{formatMoney(n.total, n.currency)}</td>
                <td>
                  <ShareBar ratio={share(n.rows, n.totalRows)} tone="warn" detail={`${formatInteger(n.rows)} of ${formatInteger(n.totalRows)}`} />
                </td>
                <td className="right">
                  {n.rows > 0 ? (
                    <button type="button" className="link-button" onClick={() => show('SubAccountId', 'overview')}>
                      Show on Overview
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function NullRatesPanel({ q }: { q: DataQuality }) {
  const show = useShowMissing();
  const n = q.nullRates;
  const basis =
    n.basis === 'rows'
      ? 'Counted over exactly the rows in scope'
      : n.basis === 'import-counts'
        ? 'Exact for the filtered rows: in these billing periods each column is filled on all of its rows or on none (counted at import)'
        : n.exact
          ? 'Counted at import; the range holds whole billing periods, so exact'
          : 'Counted at import per billing period: the whole periods overlapping the range, without filters';
  return (
    <section className="panel" aria-labelledby="nulls-title" data-testid="quality-nulls">
      <header className="panel-header">
        <h2 id="nulls-title">Null rates of important columns</h2>
        <span className="panel-meta">
          {basis} · {formatInteger(n.rows)} rows
        </span>
      </header>
      {n.uncountedRows > 0 ? (
        <div className="panel-pad">
          <Notice kind="warning">
            {formatInteger(n.uncountedRows)} rows were imported before Meterbook counted nulls and are not included. Import their files again
            (choose Replace) to count them.
          </Notice>
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Column</th>
              <th>Should be filled on</th>
              <th className="right">Null</th>
              <th className="quality-share-col">Null rate</th>
              <th className="right">
                <span className="visually-hidden">Show</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {n.columns.map((c) => (
              <tr key={c.column}>
                <td className="mono">{c.column}</td>
                <td className="muted">{c.appliesTo}</td>
                <td className="right num" data-testid={`nulls-${c.column}`} data-value={String(c.nulls)}>
                  {formatInteger(c.nulls)} <span className="muted small">of {formatInteger(c.applicable)}</span>
                </td>
                <td>{c.applicable > 0 ? <ShareBar ratio={share(c.nulls, c.applicable)} {...(c.nulls > 0 ? { tone: 'warn' as const } : {})} /> : <span className="muted small">no such rows</span>}</td>
                <td className="right">
                  {c.nulls > 0 && FILTERABLE_NULLS.has(c.column) ? (
                    <button type="button" className="link-button" onClick={() => show(c.column, 'rows')} aria-label={`Show the rows without ${c.column}`}>
                      Show rows
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ConformancePanel({ q }: { q: DataQuality }) {
  const openReport = useApp((s) => s.openReport);
  const c = q.conformance;
  return (
    <section className="panel" aria-labelledby="conf-title" data-testid="quality-conformance">
      <header className="panel-header">
        <h2 id="conf-title">Conformance failures by provider</h2>
        <span className="panel-meta">From each imported file&apos;s FOCUS conformance report (per whole file)</span>
      </header>
      {c.providers.length === 0 ? (
        <div className="panel-empty">No imported file holds rows in this date range.</div>
      ) : (
        <div className="quality-providers">
          {c.providers.map((p) => (
            <div key={p.provider} className="quality-provider" data-testid={`conformance-${p.provider}`}>
              <div className="quality-provider-head">
                <strong>{p.provider}</strong>
                <span className="muted small">
                  {formatInteger(p.files)} {p.files === 1 ? 'file' : 'files'} · {formatInteger(p.rows)} rows ·{' '}
                  {p.failingFiles === 0 ? 'all pass' : `${formatInteger(p.failingFiles)} failing`}
                </span>
                {p.rules.length > 0 ? <span className="badge badge-fail">{p.rules.length} failing rules</span> : <span className="badge badge-pass">conformant</span>}
              </div>
              {p.rules.length > 0 ? (
                <ul className="quality-rules">
                  {p.rules.slice(0, RULES_SHOWN).map((r) => (
                    <li key={r.id}>
                      <button type="button" className="link-button mono" onClick={() => openReport(r.fileId)} title={r.description} aria-label={`Open the report of a file failing ${r.id}`}>
                        {r.id}
                      </button>
                      <span className="quality-rule-desc">{r.description}</span>
                      <span className="muted small nowrap">
                        {r.failingRows > 0 ? `${formatInteger(r.failingRows)} rows` : 'whole file'}
                        {r.files > 1 ? ` · ${r.files} files` : ''}
                      </span>
                    </li>
                  ))}
                  {p.rules.length > RULES_SHOWN ? (
                    <li className="muted small">
                      <Icon name="info" size={12} /> and {p.rules.length - RULES_SHOWN} more on the Conformance page
                    </li>
                  ) : null}
                </ul>
              ) : null}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

// Conformance summary badge and the full report of one imported file (import.report).
import { useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { ConformanceStatus, MappingReport } from '../../src-shared/api/contract';
import { formatInteger } from '../format/money';
import { useApi } from '../state/use-api';
import { ErrorBox, Skeleton } from './Feedback';
import { Icon } from './Icon';
import { Segmented } from './Segmented';

export interface ConformanceSummary {
  pass: number;
  fail: number;
  skip: number;
}

export function overallStatus(c: ConformanceSummary): ConformanceStatus {
  if (c.fail > 0) return 'fail';
  if (c.pass > 0) return 'pass';
  return 'skip';
}

const STATUS_LABEL: Record<ConformanceStatus, string> = { pass: 'Pass', fail: 'Fail', skip: 'Skipped' };

export function StatusBadge({ status, children }: { status: ConformanceStatus; children?: ReactNode }) {
  return (
    <span className={`badge badge-${status}`}>
      {status === 'pass' ? <Icon name="check" size={11} /> : status === 'fail' ? <Icon name="alert" size={11} /> : null}
      {children ?? STATUS_LABEL[status]}
    </span>
  );
}

/** Badge + counts + a link that opens the report. */
export function ConformanceCell({
  summary,
  onOpen,
  fileName,
}: {
  summary: ConformanceSummary;
  onOpen?: () => void;
  fileName: string;
}) {
  const status = overallStatus(summary);
  return (
    <span className="conformance-cell" data-status={status}>
      <StatusBadge status={status} />
      <span className="conformance-counts num" title="Rules passed · failed · skipped">
        {summary.pass} pass · {summary.fail} fail · {summary.skip} skip
      </span>
      {onOpen ? (
        <button type="button" className="link-button" onClick={onOpen} aria-label={`View conformance report for ${fileName}`}>
          View report
        </button>
      ) : null}
    </span>
  );
}

type StatusFilter = 'all' | ConformanceStatus;

/** One imported file's full conformance report (import.report): what was read, the rules and their results. */
export function ConformanceReportView({ importFileId, fileName }: { importFileId: number; fileName: string }) {
  const report = useApi('import.report', { importFileId });
  const [choice, setChoice] = useState<StatusFilter | null>(null);
  const [search, setSearch] = useState('');
  const r = report.data;
  // Until the user picks, show failures when there are any.
  const filter: StatusFilter = choice ?? (r && r.summary.fail > 0 ? 'fail' : 'all');

  const rules = useMemo(() => {
    if (!r) return [];
    const q = search.trim().toLowerCase();
    return r.rules.filter(
      (x) =>
        (filter === 'all' || x.status === filter) &&
        (!q || `${x.id} ${x.reference} ${x.description} ${x.reason ?? ''}`.toLowerCase().includes(q)),
    );
  }, [r, filter, search]);

  if (report.error) return <ErrorBox error={report.error} title="Could not load the report" onRetry={report.reload} />;
  if (!r) {
    return (
      <div className="stack" aria-busy="true" aria-label={`Loading the report for ${fileName}`}>
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} width="100%" height={18} />
        ))}
      </div>
    );
  }
  return (
    <div className="report-view" data-testid="conformance-report">
      <header className="report-head">
        <h2 className="report-title">
          <StatusBadge status={overallStatus(r.summary)} /> <span className="mono">{r.file}</span>
        </h2>
        <p className="muted small">
          {r.format ? `Read as ${r.format.label} · ` : ''}
          {r.dataset} · FOCUS {r.focusVersion} · rules model {r.modelVersion} · {formatInteger(r.rows)} rows ·{' '}
          {r.summary.pass} rules pass, {r.summary.fail} fail, {r.summary.skip} skipped
        </p>
      </header>
      {r.mapping && <MappingSummary mapping={r.mapping} />}
      <ApplicabilityPanel provider={r.applicability?.provider ?? null} used={r.applicability?.criteria ?? {}} />
      <div className="report-toolbar">
        <Segmented<StatusFilter>
          options={[
            ['all', `All ${r.rules.length}`],
            ['fail', `Failed ${r.summary.fail}`],
            ['pass', `Passed ${r.summary.pass}`],
            ['skip', `Skipped ${r.summary.skip}`],
          ]}
          value={filter}
          onChange={setChoice}
          label="Show rules"
        />
        <input
          className="input"
          type="search"
          placeholder="Search rules or columns"
          aria-label="Search rules or columns"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <div className="table-scroll report-scroll">
        <table className="table report-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Rule</th>
              <th>Column</th>
              <th>Requirement</th>
              <th className="right">Failing rows</th>
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 ? (
              <tr>
                <td colSpan={5} className="table-empty">
                  {filter === 'fail' ? 'No failing rules. ' : 'No rules match.'}
                </td>
              </tr>
            ) : (
              rules.map((x) => (
                <tr key={x.id} data-status={x.status}>
                  <td>
                    <StatusBadge status={x.status} />
                  </td>
                  <td className="mono rule-id">
                  {/* a dataset prefix (InvoiceDetail:) may wrap onto its own line; the id itself stays whole */}
                  {x.id.includes(':') ? (
                    <>
                      <span className="nowrap">{x.id.slice(0, x.id.indexOf(':') + 1)}</span>
                      <wbr />
                      <span className="nowrap">{x.id.slice(x.id.indexOf(':') + 1)}</span>
                    </>
                  ) : (
                    <span className="nowrap">{x.id}</span>
                  )}
                </td>
                  <td className="rule-column">{x.reference}</td>
                  <td>
                    <div>
                      <span className="keyword">{x.keyword}</span> {x.description}
                    </div>
                    {x.reason ? <div className="muted small">{x.reason}</div> : null}
                  </td>
                  <td
                    className="right num"
                    title={x.status === 'fail' && x.failingRows === 0 ? 'A rule on the file as a whole (its columns), not on rows' : undefined}
                  >
                    {x.status === 'fail' ? (x.failingRows > 0 ? formatInteger(x.failingRows) : 'file') : '—'}
                    {x.samples.length > 0 && !x.sampleValues?.length ? (
                      <div className="muted small" data-testid="rule-samples">
                        rows {x.samples.map((n) => formatInteger(n)).join(', ')}
                        {x.failingRows > x.samples.length ? ', …' : ''}
                      </div>
                    ) : null}
                    {x.sampleValues && x.sampleValues.length > 0 ? (
                      <ul className="sample-values" data-testid="rule-sample-values" aria-label="Values on those rows">
                        {x.sampleValues.map((v, i) => (
                          <li key={i} title={v}>
                            <span className="muted">row {formatInteger(x.samples[i] ?? 0)}:</span> <span className="mono">{v === '' ? '(empty)' : v}</span>
                          </li>
                        ))}
                        {x.failingRows > x.sampleValues.length ? <li className="muted">…</li> : null}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** For a vendor export: how its totals reconcile with the FOCUS rows it became, and what the mapping could not fill. */
function MappingSummary({ mapping }: { mapping: MappingReport }) {
  return (
    <section className="mapping-summary" data-testid="mapping-summary" aria-label="Mapping to FOCUS">
      <p className="muted">
        {formatInteger(mapping.sourceRows)} rows in the file became {formatInteger(mapping.focusRows)} FOCUS rows.
      </p>
      {mapping.totals.length > 0 && (
        <table className="table compact">
          <thead>
            <tr>
              <th>FOCUS column</th>
              <th className="right">FOCUS total</th>
              <th>Vendor column</th>
              <th className="right">Vendor total</th>
              <th>To the cent</th>
            </tr>
          </thead>
          <tbody>
            {mapping.totals.map((t) => (
              <tr key={t.focusColumn + t.vendorColumn} data-testid="mapping-total" data-matches={t.matches}>
                <td className="mono">{t.focusColumn}</td>
                <td className="right num">{t.focusTotal}</td>
                <td className="mono">{t.vendorColumn}</td>
                <td className="right num">{t.vendorTotal}</td>
                <td>{t.matches ? 'Equal' : 'Differs'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mapping.gaps.length > 0 && (
        <details>
          <summary>
            {mapping.gaps.length} {mapping.gaps.length === 1 ? 'note' : 'notes'} on what the mapping could not fill
          </summary>
          <ul className="gap-list">
            {mapping.gaps.map((g, i) => (
              <li key={i}>
                {g.column && <span className="mono">{g.column}: </span>}
                {g.note}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

type Choice = 'infer' | 'yes' | 'no';

/**
 * The FOCUS applicability criteria for the file's provider: inferred from the file's columns unless the user says
 * whether the provider supports a feature. Saved for the provider; used by the next imports and validations.
 */
function ApplicabilityPanel({ provider, used }: { provider: string | null; used: Record<string, boolean> }) {
  const criteria = useApi('conformance.criteria', {});
  const saved = useApi('conformance.applicability', {});
  const [error, setError] = useState<string | null>(null);
  const key = provider ?? '*';
  const mine = saved.data?.[key] ?? {};
  const choice = (id: string): Choice => (mine[id] === undefined ? 'infer' : mine[id] ? 'yes' : 'no');
  const set = async (id: string, c: Choice): Promise<void> => {
    setError(null);
    const r = await api.call('conformance.setApplicability', { provider: key, criteria: { [id]: c === 'infer' ? null : c === 'yes' } });
    if (!r.ok) setError(r.error.message);
    saved.reload();
  };
  const changed = Object.keys(mine).some((k) => mine[k] !== used[k]) || Object.keys(used).some((k) => mine[k] === undefined);
  return (
    <details className="applicability" data-testid="applicability-panel">
      <summary>
        Applicability for {provider ? <strong>{provider}</strong> : 'every provider'} · {Object.keys(mine).length} of{' '}
        {criteria.data?.length ?? '…'} criteria set, the rest inferred from the file&apos;s columns
      </summary>
      <p className="muted">
        Rules that only apply when a provider supports a feature (availability zones, capacity reservations, …) are
        skipped when it does not. Your choices are saved for {provider ?? 'all providers'} and used by the next imports
        and validations{changed ? ' — validate this file again to see them here' : ''}.
      </p>
      {error && <p className="error-text">{error}</p>}
      <div className="applicability-grid">
        {(criteria.data ?? []).map((c) => (
          <label key={c.id} className="applicability-row">
            <span>
              <span className="mono">{c.id}</span>
              <span className="muted"> — {c.description}</span>
            </span>
            <select
              className="select"
              value={choice(c.id)}
              aria-label={`${c.id} for ${provider ?? 'every provider'}`}
              data-testid={`applicability-${c.id}`}
              onChange={(e) => void set(c.id, e.target.value as Choice)}
            >
              <option value="infer">Infer from file</option>
              <option value="yes">Supported</option>
              <option value="no">Not supported</option>
            </select>
          </label>
        ))}
      </div>
    </details>
  );
}

// Showback of the applied allocation: per target and month, direct + shared = total, the unallocated remainder and
// totals per billing currency; export as CSV (to a path, as the Export dialog does) and a printable page.
import { useEffect, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import type { Showback } from '../../../src-shared/api/allocation';
import type { RuleSet } from '../../../src-shared/allocate/ruleset';
import { api, transportKind } from '../../api/client';
import { useExportDestination } from '../../state/use-export-destination';
import { formatDateTime, periodLabel } from '../../format/dates';
import { formatInteger, formatMoney } from '../../format/money';
import { useAllocation } from '../../state/allocation-store';
import { useApp } from '../../state/app-store';
import { useApi } from '../../state/use-api';
import { metricLabel } from '../ControlsBar';
import { ErrorBox, Notice, Spinner } from '../Feedback';
import { Icon } from '../Icon';
import { CentCheck, MetricSelect, MonthRange } from './PreviewPanel';
import { showbackMatrix, type Cell, type CurrencyMatrix } from './showback-matrix';

export function ShowbackView({ set, months, appliedVersion }: { set: RuleSet; months: readonly string[]; appliedVersion: number | null }) {
  const ws = useApp((s) => s.workspace);
  const setTab = useAllocation((s) => s.setTab);
  const metric = useAllocation((s) => s.metric);
  const setMetric = useAllocation((s) => s.setMetric);
  const fromMonth = useAllocation((s) => s.fromMonth);
  const toMonth = useAllocation((s) => s.toMonth);
  const setMonths = useAllocation((s) => s.setMonths);
  const picked = useAllocation((s) => s.dimension);
  const [dimension, setDimension] = useState<string | null>(null);
  const dim = dimension ?? picked ?? set.dimensions[0]?.key ?? null;
  const [exporting, setExporting] = useState(false);
  const [printing, setPrinting] = useState(false);
  const input = dim && appliedVersion !== null ? { dimension: dim, metric, ...(fromMonth ? { fromMonth } : {}), ...(toMonth ? { toMonth } : {}) } : null;
  const q = useApi('allocation.showback', input);

  if (appliedVersion === null) {
    return (
      <section className="panel alloc-empty big" data-testid="showback-empty">
        <div className="empty-illustration" aria-hidden="true">
          <Icon name="report" size={32} />
        </div>
        <h2>Nothing to show back yet</h2>
        <p>Showback reports the applied allocation: apply the rules to all history first, then each target’s direct and shared spend is here by month.</p>
        <div className="empty-actions">
          <button type="button" className="button primary" onClick={() => setTab('rules')}>
            Back to the rules
          </button>
        </div>
      </section>
    );
  }

  const sb = q.data;
  const matrices = sb ? showbackMatrix(sb) : [];
  return (
    <div className="stack">
      <div className="controls alloc-showback-controls" role="group" aria-label="Showback controls">
        <div className="control">
          <label className="control-label" htmlFor="sb-dimension">
            Dimension
          </label>
          <select id="sb-dimension" className="select" data-testid="sb-dimension" value={dim ?? ''} onChange={(e) => setDimension(e.target.value)}>
            {set.dimensions.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="control">
          <label className="control-label" htmlFor="sb-from">
            Months
          </label>
          <MonthRange idPrefix="sb" months={months} from={fromMonth} to={toMonth} onChange={setMonths} />
        </div>
        <div className="control">
          <label className="control-label" htmlFor="sb-metric">
            Cost basis
          </label>
          <MetricSelect id="sb-metric" value={metric} onChange={setMetric} />
        </div>
        <span className="alloc-grow" />
        <button type="button" className="button" data-testid="sb-export" aria-expanded={exporting} disabled={!sb} onClick={() => setExporting((x) => !x)}>
          <Icon name="export" size={14} /> Export CSV…
        </button>
        <button type="button" className="button" data-testid="sb-print" disabled={!sb || matrices.length === 0} onClick={() => setPrinting(true)}>
          <Icon name="printer" size={14} /> Print…
        </button>
      </div>
      {exporting && dim ? <ExportForm dimension={dim} input={input!} onClose={() => setExporting(false)} /> : null}
      {q.error ? <ErrorBox error={q.error} title="Could not load the showback" onRetry={q.reload} /> : null}
      {!sb ? (
        q.error ? null : (
          <section className="panel alloc-pad alloc-loading">
            <Spinner label="Loading the showback" />
          </section>
        )
      ) : (
        <section className={`panel${q.loading ? ' refreshing' : ''}`} aria-labelledby="sb-title" data-testid="showback">
          <header className="panel-header">
            <h2 id="sb-title">
              Showback by {sb.label} <span className="muted">· {metricLabel(sb.metric)}</span>
            </h2>
            <span className="panel-meta">
              Version {sb.version}
              {sb.appliedAt ? ` · applied ${formatDateTime(sb.appliedAt)}` : ''}
            </span>
          </header>
          <ShowbackTables sb={sb} matrices={matrices} />
        </section>
      )}
      {printing && sb ? <PrintSheet sb={sb} matrices={matrices} workspace={ws?.name ?? ''} onClose={() => setPrinting(false)} /> : null}
    </div>
  );
}

function money(c: Cell | undefined, key: keyof Cell, currency: string) {
  return c ? formatMoney(c[key], currency) : '—';
}

function ShowbackTables({ sb, matrices }: { sb: Showback; matrices: CurrencyMatrix[] }) {
  if (matrices.length === 0) return <div className="panel-empty">No spend in these months.</div>;
  return (
    <div className="alloc-sb-tables">
      {matrices.map((m) => {
        const check = sb.checks.find((c) => c.currency === m.currency);
        return (
          <div key={m.currency} className="alloc-sb-currency" data-testid="sb-currency" data-currency={m.currency}>
            {matrices.length > 1 ? <h3 className="alloc-sb-cur-title">{m.currency}</h3> : null}
            <div className="alloc-table-wrap">
              <table className="table alloc-table alloc-sb-table" data-testid="sb-table">
                <thead>
                  <tr>
                    <th>{sb.label}</th>
                    <th className="right">Direct</th>
                    <th className="right">Shared</th>
                    <th className="right alloc-sb-sep">Total</th>
                    {m.months.map((mo) => (
                      <th key={mo} className="right">
                        {periodLabel(mo)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {m.targets.map((l) => (
                    <SbRow key={l.target} line={l} months={m.months} currency={m.currency} />
                  ))}
                  {m.unallocated ? <SbRow line={m.unallocated} months={m.months} currency={m.currency} /> : null}
                </tbody>
                <tfoot>
                  <SbRow line={{ ...m.totals, target: 'Total' }} months={m.months} currency={m.currency} total />
                </tfoot>
              </table>
            </div>
            {check ? <CentCheck check={check} testId="sb-check" /> : null}
          </div>
        );
      })}
    </div>
  );
}

function SbRow({ line, months, currency, total }: { line: CurrencyMatrix['targets'][number]; months: readonly string[]; currency: string; total?: boolean }) {
  const un = line.target === null;
  return (
    <tr className={un ? 'alloc-sb-unallocated' : ''} data-testid={total ? 'sb-total' : un ? 'sb-unallocated' : 'sb-row'} data-target={line.target ?? ''}>
      <td className="alloc-target">{un ? 'Unallocated' : line.target}</td>
      <td className="right num" data-testid="sb-direct" data-value={line.sum.direct}>
        {money(line.sum, 'direct', currency)}
      </td>
      <td className="right num" data-testid="sb-shared" data-value={line.sum.shared}>
        {money(line.sum, 'shared', currency)}
      </td>
      <td className="right num strong alloc-sb-sep" data-testid="sb-total-cell" data-value={line.sum.total}>
        {money(line.sum, 'total', currency)}
      </td>
      {months.map((mo) => {
        const c = line.byMonth.get(mo);
        return (
          <td key={mo} className="right num alloc-sb-months" title={c ? `Direct ${formatMoney(c.direct, currency)} + shared ${formatMoney(c.shared, currency)}` : undefined}>
            {c ? formatMoney(c.total, currency) : <span className="muted">—</span>}
          </td>
        );
      })}
    </tr>
  );
}

function ExportForm({ dimension, input, onClose }: { dimension: string; input: { dimension: string; metric: Showback['metric']; fromMonth?: string; toMonth?: string }; onClose(): void }) {
  const notify = useApp((s) => s.notify);
  const dest = useExportDestination('csv', `showback ${dimension}`);
  const { target, path, error, setError, pick } = dest;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ path: string; rows: number } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = path.trim();
    if (!p) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await api.call('allocation.exportShowback', { ...input, path: p });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else {
      setDone(r.value);
      notify({ kind: 'success', title: 'Showback exported', message: `${formatInteger(r.value.rows)} rows` });
    }
  };

  return (
    <section className="panel alloc-export" aria-label="Export the showback as CSV" data-testid="sb-export-form">
      <form className="alloc-export-form" onSubmit={(e) => void submit(e)}>
        <label className="field alloc-grow">
          <span className="field-label">CSV file</span>
          <span className="export-path">
            <input
              className="input mono"
              data-testid="sb-export-path"
              data-native-undo
              value={path}
              spellCheck={false}
              placeholder="/path/to/showback.csv"
              onChange={(e) => dest.setPath(e.target.value)}
            />
            {target?.canPick ? (
              <button type="button" className="button" onClick={() => void pick()}>
                Choose…
              </button>
            ) : null}
          </span>
          <span className="field-hint">
            {transportKind === 'http' ? 'A path on the computer running Meterbook. ' : ''}One line per target, month and currency: direct, shared and total.
          </span>
        </label>
        <div className="alloc-export-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button primary" data-testid="sb-export-start" disabled={busy || !path.trim()}>
            {busy ? <Spinner size={12} label="Exporting" /> : <Icon name="export" size={14} />} Export
          </button>
        </div>
      </form>
      {error ? (
        <div className="alloc-pad">
          <ErrorBox error={error} title="Could not export the showback" compact />
        </div>
      ) : null}
      {done ? (
        <div className="alloc-pad" data-testid="sb-export-done">
          <Notice kind="success">
            {formatInteger(done.rows)} rows written to <span className="mono">{done.path}</span>
          </Notice>
        </div>
      ) : null}
    </section>
  );
}

/**
 * A page for printing: the showback alone, on white, with a title. It opens the print dialog once shown; the print
 * style sheet hides everything else, so the app's chrome never lands on paper.
 */
function PrintSheet({ sb, matrices, workspace, onClose }: { sb: Showback; matrices: CurrencyMatrix[]; workspace: string; onClose(): void }) {
  useEffect(() => {
    const t = setTimeout(() => window.print(), 50);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(t);
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);
  const range = sb.months.length ? `${periodLabel(sb.months[0]!)} – ${periodLabel(sb.months[sb.months.length - 1]!)}` : '';
  return createPortal(
    <div className="alloc-print-page" data-testid="print-sheet" role="dialog" aria-label="Printable showback">
      <div className="alloc-print-toolbar no-print">
        <span>Print preview</span>
        <span className="alloc-grow" />
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button type="button" className="button primary" autoFocus onClick={() => window.print()}>
          <Icon name="printer" size={14} /> Print
        </button>
      </div>
      <article className="alloc-print-sheet">
        <header className="alloc-print-head">
          <div>
            <h1>Showback by {sb.label}</h1>
            <div className="muted">
              {workspace} · {range} · {metricLabel(sb.metric)}
            </div>
          </div>
          <div className="alloc-print-meta muted">
            Allocation version {sb.version}
            {sb.appliedAt ? <div>applied {formatDateTime(sb.appliedAt)}</div> : null}
          </div>
        </header>
        <ShowbackTables sb={sb} matrices={matrices} />
        <footer className="alloc-print-foot muted">Direct + shared = total per target. Amounts per billing currency, never added across currencies. Printed from Meterbook.</footer>
      </article>
    </div>,
    document.body,
  );
}

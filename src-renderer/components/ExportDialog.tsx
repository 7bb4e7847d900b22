// Export the current view: its rows as one FOCUS CSV file or a Parquet folder partitioned by billing period, or its
// grouped totals as CSV. The export runs in the engine's export worker; this dialog shows its progress, lets it be
// cancelled, and shows where the result went. Closing the dialog leaves a running export running.
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api, transportKind } from '../api/client';
import { useExportDestination } from '../state/use-export-destination';
import { rangeLabel } from '../format/dates';
import { columnLabel } from '../format/labels';
import { formatInteger } from '../format/money';
import { modKey } from '../format/platform';
import { useApp } from '../state/app-store';
import { useExplore } from '../state/explore-store';
import { openExport, useExport, type ExportJob } from '../state/export-store';
import { useApi } from '../state/use-api';
import { useDimensions } from '../state/use-dimensions';
import { ErrorBox, Notice, ProgressBar, Spinner } from './Feedback';
import { Icon } from './Icon';
import { Modal } from './Modal';

type Choice = 'csv-rows' | 'csv-grouped' | 'parquet';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** The dimensions of the applied allocation version (none when nothing is applied). */
function useAppliedDimensions(): { version: number; dimensions: { key: string; label: string }[] } | null {
  const state = useApi('allocation.state', {});
  const latest = state.data?.versions[0];
  const applied = latest?.applied ? latest : null;
  const v = useApi('allocation.version', applied ? { id: applied.id } : null);
  if (!applied || !v.data || v.data.version.id !== applied.id) return null;
  return { version: applied.id, dimensions: v.data.ruleSet.dimensions };
}

export function ExportDialog() {
  const close = useApp((s) => s.closeDialog);
  const job = useExport((s) => s.job);
  return (
    <Modal
      title="Export"
      subtitle={job?.status === 'running' ? 'Closing this dialog keeps the export running' : 'The rows or totals of the current view, written to disk'}
      onClose={close}
      size="medium"
      testId="export-dialog"
    >
      {job && job.status !== 'cancelled' ? <ExportStatus job={job} /> : <ExportForm cancelled={job?.status === 'cancelled'} />}
    </Modal>
  );
}

function ExportForm({ cancelled }: { cancelled: boolean }) {
  const view = useApp((s) => s.view);
  const ws = useApp((s) => s.workspace);
  const close = useApp((s) => s.closeDialog);
  const start = useExport((s) => s.start);
  const clear = useExport((s) => s.clear);
  const scope = useExplore(useShallow((s) => ({ from: s.from, to: s.to, filters: s.filters, groupBy: s.groupBy })));
  const dims = useDimensions();
  // after a failure or a cancel, the settings that were tried (to fix the path, or to replace an existing file)
  const last = useExport((s) => (s.job && s.job.status !== 'running' && s.job.status !== 'done' ? s.job.input : null));
  const [choice, setChoice] = useState<Choice>(
    last ? (last.format === 'parquet' ? 'parquet' : last.groupBy && last.groupBy.length > 0 ? 'csv-grouped' : 'csv-rows') : view === 'overview' ? 'csv-grouped' : 'csv-rows',
  );
  const format = choice === 'parquet' ? 'parquet' : 'csv';
  const dest = useExportDestination(format, undefined, last ? { path: last.path } : undefined);
  const { target, path, error, setError, pick } = dest;
  const applied = useAppliedDimensions();
  const [allocation, setAllocation] = useState(last?.allocation?.dimension ?? '');
  const allocDim = choice !== 'csv-grouped' ? applied?.dimensions.find((d) => d.key === allocation) : undefined;

  const submit = (e: FormEvent, overwrite = false) => {
    e.preventDefault();
    const p = path.trim();
    if (!p) return;
    setError(null);
    clear();
    start({
      format,
      path: p,
      filters: scope.filters,
      ...(scope.from ? { from: scope.from } : {}),
      ...(scope.to ? { to: scope.to } : {}),
      groupBy: choice === 'csv-grouped' ? scope.groupBy : [],
      overwrite,
      ...(allocDim ? { allocation: { dimension: allocDim.key } } : {}),
    });
  };

  const groups = scope.groupBy.map((g) => columnLabel(g, dims.labels)).join(' › ');
  const filterText = scope.filters.length === 0 ? 'no filters' : `${scope.filters.length} ${scope.filters.length === 1 ? 'filter' : 'filters'}`;
  const failed = useExport((s) => (s.job?.status === 'failed' ? s.job.error : null));

  return (
    <form className="form" onSubmit={(e) => submit(e)}>
      {cancelled ? <Notice>The export was cancelled; nothing was written.</Notice> : null}
      <div className="export-scope" data-testid="export-scope">
        <Icon name="filter" size={13} /> {ws ? rangeLabel({ from: scope.from, to: scope.to }, ws) : ''} · {filterText}
      </div>
      <fieldset className="export-choices">
        <legend className="field-label">What to write</legend>
        <Option id="csv-rows" choice={choice} onChoose={setChoice} title="CSV — every row" hint="One FOCUS CSV file with every column; re-imports to the same totals." />
        <Option id="csv-grouped" choice={choice} onChoose={setChoice} title={`CSV — grouped totals by ${groups}`} hint="One line per currency and group: the four cost sums and the row count." />
        <Option id="parquet" choice={choice} onChoose={setChoice} title="Parquet — every row, by billing period" hint="A folder with one BillingPeriod=YYYY-MM subfolder per month, for DuckDB, Spark or Trino." />
      </fieldset>
      {applied && applied.dimensions.length > 0 && choice === 'csv-grouped' ? (
        <span className="field-hint" data-testid="export-allocation-hint">
          Allocation goes with row exports only: for totals per {applied.dimensions[0]!.label.toLowerCase()}, group by{' '}
          {applied.dimensions[0]!.label} on the Overview.
        </span>
      ) : applied && applied.dimensions.length > 0 ? (
        <label className="field">
          <span className="field-label">Allocate by</span>
          <select className="select" data-testid="export-allocation" value={allocation} onChange={(e) => setAllocation(e.target.value)}>
            <option value="">No allocation</option>
            {applied.dimensions.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
          <span className="field-hint" data-testid="export-allocation-hint">
            {allocDim
              ? `Adds x_${allocDim.key} to every row (applied version ${applied.version}). A shared-cost pool's rows are written once per ${allocDim.label.toLowerCase()} of its split, with the FOCUS allocation columns; the totals stay the same.`
              : `Version ${applied.version} is applied: add its ${applied.dimensions.map((d) => d.label).join(', ')} to every row.`}
          </span>
        </label>
      ) : null}
      <label className="field">
        <span className="field-label">{format === 'csv' ? 'File' : 'Folder (created)'}</span>
        <span className="export-path">
          <input
            className="input mono"
            data-testid="export-path"
            value={path}
            spellCheck={false}
            onChange={(e) => dest.setPath(e.target.value)}
            placeholder={format === 'csv' ? '/path/to/export.csv' : '/path/to/export-folder'}
          />
          {target?.canPick ? (
            <button type="button" className="button" onClick={() => void pick()}>
              Choose…
            </button>
          ) : null}
        </span>
        <span className="field-hint">
          {transportKind === 'http' ? 'A path on the computer running Meterbook. ' : ''}
          An existing file or non-empty folder is never replaced without asking.
        </span>
      </label>
      {error || failed ? (
        <ErrorBox
          error={(error ?? failed)!}
          title="Could not export"
          compact
          action={
            (error ?? failed)!.code === 'exists' ? (
              <button type="button" className="button small" data-testid="export-overwrite" onClick={(e) => submit(e, true)}>
                Replace it
              </button>
            ) : undefined
          }
        />
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="submit" className="button primary" data-testid="export-start" disabled={!path.trim()}>
          <Icon name="export" size={14} /> Export
        </button>
      </div>
    </form>
  );
}

function Option({ id, choice, onChoose, title, hint }: { id: Choice; choice: Choice; onChoose: (c: Choice) => void; title: string; hint: string }) {
  return (
    <label className="export-choice" data-testid={`export-${id}`}>
      <input type="radio" name="export-format" value={id} checked={choice === id} onChange={() => onChoose(id)} autoFocus={choice === id} />
      <span className="export-choice-title">{title}</span>
      <span className="export-choice-hint">{hint}</span>
    </label>
  );
}

function ExportStatus({ job }: { job: ExportJob }) {
  const close = useApp((s) => s.closeDialog);
  const notify = useApp((s) => s.notify);
  const cancel = useExport((s) => s.cancel);
  const clear = useExport((s) => s.clear);
  const [canReveal, setCanReveal] = useState(false);
  useEffect(() => {
    void api.call('export.target', { format: 'csv' }).then((r) => r.ok && setCanReveal(r.value.canReveal));
  }, []);

  if (job.status === 'running') {
    const p = job.progress;
    const fraction = p && p.totalRows > 0 ? Math.min(1, p.rows / p.totalRows) : null;
    return (
      <div className="export-progress" data-testid="export-running">
        <div>
          Writing <span className="mono">{job.input.path}</span>
        </div>
        <ProgressBar fraction={fraction} label="Export progress" />
        <div className="export-progress-figures">
          <span>{p ? `${formatInteger(p.rows)} of ${formatInteger(p.totalRows)} rows` : 'Starting…'}</span>
          <span>{p ? formatBytes(p.bytes) : ''}</span>
        </div>
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Hide
          </button>
          <button type="button" className="button danger" data-testid="export-cancel" onClick={cancel} autoFocus>
            Cancel export
          </button>
        </div>
      </div>
    );
  }
  if (job.status === 'failed') {
    // the form shows the error beside the settings that caused it
    return <ExportForm cancelled={false} />;
  }
  const r = job.result!;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(r.path);
      notify({ kind: 'success', title: 'Path copied' });
    } catch {
      notify({ kind: 'error', title: 'Could not copy the path', message: r.path });
    }
  };
  const reveal = async () => {
    const res = await api.call('export.reveal', { path: r.files[0] ?? r.path });
    if (!res.ok) notify({ kind: 'error', title: 'Could not show the file', message: res.error.message });
  };
  return (
    <div className="export-result" data-testid="export-result">
      <Notice kind="success">
        {formatInteger(r.rows)} {job.input.groupBy && job.input.groupBy.length > 0 ? 'groups' : 'rows'} in {r.files.length}{' '}
        {r.files.length === 1 ? 'file' : 'files'} · {formatBytes(r.bytes)} · {r.seconds.toFixed(1)} s
        {r.originRows !== undefined && job.input.allocation ? (
          <div className="export-result-note" data-testid="export-result-allocation">
            {formatInteger(r.originRows)} workspace rows, with shared costs split by {job.input.allocation.dimension}
          </div>
        ) : null}
      </Notice>
      <div className="export-result-path" data-testid="export-result-path">
        {r.path}
      </div>
      <div className="export-result-actions">
        {canReveal ? (
          <button type="button" className="button" onClick={() => void reveal()}>
            <Icon name="folder" size={14} /> Show in folder
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => void copy()}>
          Copy path
        </button>
      </div>
      <div className="form-actions">
        <button type="button" className="button" onClick={clear}>
          Export something else
        </button>
        <button type="button" className="button primary" onClick={close} autoFocus>
          Done
        </button>
      </div>
    </div>
  );
}

export function ExportButton() {
  const running = useExport((s) => s.job?.status === 'running');
  return (
    <button type="button" className="button" data-testid="export-button" onClick={openExport} aria-keyshortcuts="Control+E Meta+E" title={`Export the current view (${modKey('E')})`}>
      {running ? <Spinner size={12} label="Exporting" /> : <Icon name="export" size={14} />} Export…
    </button>
  );
}

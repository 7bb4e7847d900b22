// What an import ended with: the per-file results, a cancellation notice or the engine's error verbatim.
import type { ImportFileResult, ImportOutcome } from '../../src-shared/api/contract';
import { formatInteger } from '../format/money';
import { ConformanceCell } from './Conformance';
import { ErrorBox, Notice } from './Feedback';
import { Icon } from './Icon';

export const ACTION_LABEL: Record<string, string> = {
  imported: 'Imported',
  unchanged: 'Unchanged — already imported',
  'replaced-periods': 'Replaced periods',
  appended: 'Added as another part',
  'superseded-snapshot': 'Older snapshot — not counted',
};

const DATASET_LABEL: Record<string, string> = {
  CostAndUsage: 'Cost and Usage',
  ContractCommitment: 'Contract Commitment',
  InvoiceDetail: 'Invoice Detail',
  BillingPeriod: 'Billing Period',
};

export function ImportOutcomeView({
  outcome,
  onOpenReport,
  onDismiss,
  onMapColumns,
}: {
  outcome: Exclude<ImportOutcome, { status: 'overlap' }>;
  onOpenReport: (f: { importFileId: number; file: string }) => void;
  onDismiss: () => void;
  /** Offered when no format knows the file: open the mapping studio for it. */
  onMapColumns?: () => void;
}) {
  const dismiss = (
    <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
      <Icon name="x" />
    </button>
  );
  if (outcome.status === 'cancelled') {
    return (
      <div data-testid="import-result" data-status="cancelled">
        <Notice kind="info" action={dismiss}>
          Import cancelled — nothing was changed.
        </Notice>
      </div>
    );
  }
  if (outcome.status === 'failed') {
    return (
      <div data-testid="import-result" data-status="failed" className="import-failed">
        <ErrorBox
          error={outcome.error}
          title="Import failed"
          action={
            outcome.error.code === 'unknown-format' && onMapColumns ? (
              <span className="notice-actions">
                <button type="button" className="button small primary" onClick={onMapColumns} data-testid="map-columns">
                  Map columns…
                </button>
                {dismiss}
              </span>
            ) : (
              dismiss
            )
          }
        />
      </div>
    );
  }
  const rows = outcome.files.reduce((n, f) => n + f.rows, 0);
  return (
    <section className="panel" data-testid="import-result" data-status="done" aria-labelledby="import-result-title">
      <header className="panel-header">
        <h2 id="import-result-title">
          <span className="success-icon" aria-hidden="true">
            <Icon name="check" size={14} />
          </span>
          Import finished
        </h2>
        <span className="panel-meta">
          {outcome.files.length} {outcome.files.length === 1 ? 'file' : 'files'} · {formatInteger(rows)} rows ·{' '}
          {outcome.seconds.toFixed(1)} s
        </span>
        {dismiss}
      </header>
      {(outcome.snapshots ?? []).map((s, i) => (
        <Notice key={i} kind="info">
          <span data-testid="snapshot-notice">
            The same billing period{s.periods.length === 1 ? '' : 's'} ({describePeriods(s.periods)}) came{' '}
            {s.copies} times, once per snapshot {s.unit === 'file' ? 'file' : 'folder'} — adding them all would have counted{' '}
            {s.periods.length === 1 ? 'it' : 'them'} {s.copies}×. Kept the latest,{' '}
            <span className="mono">{s.unit === 'file' ? s.keptFiles.join(', ') : s.keptFolder}</span>; {s.droppedFiles.length} older{' '}
            {s.droppedFiles.length === 1 ? 'file was' : 'files were'} not counted.
          </span>
        </Notice>
      ))}
      {outcome.skipped && outcome.skipped.length > 0 && (
        <Notice kind="info">
          <span data-testid="skipped-notice">
            Set aside as export metadata, not bills: {outcome.skipped.join(', ')}
          </span>
        </Notice>
      )}
      <FileResultTable files={outcome.files} onOpenReport={onOpenReport} />
    </section>
  );
}

function FileResultTable({
  files,
  onOpenReport,
}: {
  files: ImportFileResult[];
  onOpenReport: (f: { importFileId: number; file: string }) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th>File</th>
            <th>Read as</th>
            <th>Dataset</th>
            <th>FOCUS</th>
            <th className="right">Rows</th>
            <th>Action</th>
            <th>Conformance</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f, i) => (
            <tr key={`${f.file}-${i}`} data-testid="import-file-result">
              <td className="file-cell" title={f.file}>
                <Icon name="file" size={14} /> {f.file}
              </td>
              <td data-testid="import-file-format" data-format={f.format}>
                {f.formatLabel ?? f.format}
              </td>
              <td>{DATASET_LABEL[f.dataset] ?? f.dataset}</td>
              <td>{f.focusVersion}</td>
              <td className="right num">{formatInteger(f.rows)}</td>
              <td>
                {ACTION_LABEL[f.action] ?? f.action}
                {f.replacedRows ? ` (replaced ${formatInteger(f.replacedRows)} earlier rows)` : ''}
              </td>
              <td>
                <ConformanceCell
                  summary={f.conformance}
                  fileName={f.file}
                  onOpen={f.importFileId !== null ? () => onOpenReport({ importFileId: f.importFileId!, file: f.file }) : undefined}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "2024-09, 2024-10 · 3 billing accounts": months once each, accounts counted. */
function describePeriods(periods: { billingPeriodStart: string; billingAccountId: string }[]): string {
  const months = [...new Set(periods.map((p) => p.billingPeriodStart.slice(0, 7)))].sort();
  const accounts = new Set(periods.map((p) => p.billingAccountId));
  return `${months.join(', ')} · ${accounts.size} billing account${accounts.size === 1 ? '' : 's'}`;
}

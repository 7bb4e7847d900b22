// Live progress of the running import (or of the upload that precedes it) with a Cancel button.
import type { ImportProgress } from '../../src-shared/api/contract';
import type { PrepareProgress } from '../api/client';
import { formatInteger } from '../format/money';
import { formatBytes, formatDuration, formatRate, progressFraction } from '../format/units';
import type { ImportPhase } from '../state/import-store';
import { ProgressBar, Spinner } from './Feedback';

const PHASES: Record<ImportProgress['phase'], string> = {
  reading: 'Reading rows',
  indexing: 'Building summaries',
  finishing: 'Finishing',
};

export function ImportProgressPanel({
  phase,
  names,
  upload,
  progress,
  canCancel,
  cancelling,
  onCancel,
}: {
  phase: ImportPhase;
  names: string[];
  upload: PrepareProgress | null;
  progress: ImportProgress | null;
  canCancel: boolean;
  cancelling: boolean;
  onCancel: () => void;
}) {
  let title: string;
  let fileLine: string;
  let fraction: number | null = null;
  let stats: Array<[string, string]> = [];

  if (phase === 'uploading') {
    title = 'Uploading';
    fileLine = upload ? `${upload.name} (${upload.fileIndex + 1} of ${upload.fileCount})` : names.join(', ');
    fraction = upload ? progressFraction(upload.loaded, upload.total) : null;
    if (upload) stats = [['Sent', `${formatBytes(upload.loaded)} of ${formatBytes(upload.total)}`]];
  } else if (progress) {
    title = PHASES[progress.phase];
    fileLine = `${progress.file}${progress.fileCount > 1 ? ` (${progress.fileIndex + 1} of ${progress.fileCount})` : ''}`;
    fraction = progress.phase === 'reading' ? progressFraction(progress.bytes, progress.totalBytes) : null;
    stats = [
      ['Read', `${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}`],
      ['Rows', formatInteger(progress.rows)],
      ['Speed', formatRate(progress.rowsPerSec)],
      ['Time left', progress.etaSec === null ? 'estimating…' : formatDuration(progress.etaSec)],
    ];
  } else {
    title = 'Starting import';
    fileLine = names.join(', ');
  }

  return (
    <section className="panel import-progress" data-testid="import-progress" aria-live="polite" aria-label="Import progress">
      <div className="import-progress-head">
        <Spinner size={16} label="Import running" />
        <div className="import-progress-title">
          <div className="import-phase">{title}…</div>
          <div className="import-file" title={fileLine}>
            {fileLine}
          </div>
        </div>
        <div className="import-percent num">{fraction === null ? '' : `${Math.floor(fraction * 100)}%`}</div>
        <button
          type="button"
          className="button"
          data-testid="import-cancel"
          onClick={onCancel}
          disabled={!canCancel || cancelling}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <ProgressBar fraction={fraction} label={`${title} ${fileLine}`} />
      {stats.length > 0 ? (
        <dl className="import-stats">
          {stats.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="num">{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}

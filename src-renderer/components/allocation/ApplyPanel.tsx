// Apply: run the draft over all history as a new version (all or nothing), with an optional note and progress.
import { useState, type FormEvent } from 'react';
import type { AllocationState } from '../../../src-shared/api/allocation';
import { formatDateTime } from '../../format/dates';
import { formatInteger } from '../../format/money';
import { useAllocation } from '../../state/allocation-store';
import { useApp } from '../../state/app-store';
import { ErrorBox, Notice, ProgressBar, Spinner } from '../Feedback';
import { Icon } from '../Icon';
import { applyDraft } from './allocation-sync';

const PHASES: Record<string, string> = {
  grouping: 'Reading rows',
  allocating: 'Allocating',
  writing: 'Writing the result',
  done: 'Done',
};

export function ApplyPanel({ state, blockedBy, onApplied }: { state: AllocationState | undefined; blockedBy: string | null; onApplied(): void }) {
  const job = useAllocation((s) => s.apply);
  const saveKind = useAllocation((s) => s.save.kind);
  const notify = useApp((s) => s.notify);
  const [note, setNote] = useState('');
  const running = job?.status === 'running';
  const applied = state?.versions.find((v) => v.applied) ?? null;
  const dirty = state ? state.dirty || saveKind !== 'saved' : false;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (running || blockedBy) return;
    const r = await applyDraft(note);
    if (r.ok) {
      setNote('');
      notify({ kind: 'success', title: `Version ${r.value.version} applied`, message: 'Overview and Rows can group by the new columns.' });
      onApplied();
    }
  };

  const fraction = job && job.totalRows > 0 ? Math.min(1, job.rows / job.totalRows) : null;
  return (
    <section className="panel alloc-apply" aria-labelledby="alloc-apply-title" data-testid="apply-panel">
      <header className="panel-header">
        <h2 id="alloc-apply-title">
          Apply
          {applied && dirty ? (
            <span className="badge alloc-dirty-badge" title={`The draft differs from version ${applied.id}`}>
              draft changed
            </span>
          ) : null}
        </h2>
        <span className="panel-meta" data-testid="applied-version" title={applied ? `Applied ${formatDateTime(applied.created)}` : undefined}>
          {applied ? `Version ${applied.id} · ${formatDateTime(applied.created)}` : 'Nothing applied yet'}
        </span>
      </header>
      <form className="alloc-apply-form" onSubmit={(e) => void submit(e)}>
        <input
          className="input"
          aria-label="Note for this version (optional)"
          data-testid="apply-note"
          data-native-undo
          placeholder="Note (optional)"
          maxLength={500}
          value={note}
          disabled={running}
          onChange={(e) => setNote(e.target.value)}
        />
        <button type="submit" className="button primary" data-testid="apply" disabled={running || blockedBy !== null} title={blockedBy ?? 'Write the allocation for all history as a new version'}>
          {running ? <Spinner size={12} label="Applying" /> : <Icon name="check" size={14} />} Apply to all history
        </button>
      </form>
      {blockedBy && !running ? <div className="alloc-apply-blocked muted small">{blockedBy}</div> : null}
      {running ? (
        <div className="alloc-apply-progress" data-testid="apply-progress">
          <ProgressBar fraction={fraction} label="Apply progress" />
          <div className="muted small">
            {job.phase ? PHASES[job.phase] : 'Starting'}
            {job.totalRows > 0 ? ` · ${formatInteger(job.rows)} of ${formatInteger(job.totalRows)} rows` : ''}
          </div>
        </div>
      ) : job?.status === 'done' ? (
        <div className="alloc-pad" data-testid="apply-done">
          <Notice kind="success">
            Version {job.version} applied: {formatInteger(job.rows)} rows in {(job.seconds ?? 0).toFixed(1)} s
            {job.rowsPerSec ? ` (${formatInteger(Math.round(job.rowsPerSec))} rows/s)` : ''}.
          </Notice>
        </div>
      ) : job?.status === 'failed' && job.error ? (
        <div className="alloc-pad">
          <ErrorBox error={job.error} title="Nothing was applied" compact />
        </div>
      ) : null}
    </section>
  );
}

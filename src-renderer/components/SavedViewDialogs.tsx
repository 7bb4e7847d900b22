// "Save view" (Ctrl/Cmd+S) and "Rename view" dialogs. A name already in use is answered in the dialog, with the
// choice to replace that view (save) or to pick another name (both).
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { ApiError, SavedViewDefinition } from '../../src-shared/api/contract';
import { rangeLabel } from '../format/dates';
import { columnLabel } from '../format/labels';
import { useApp } from '../state/app-store';
import { currentDefinition, renameView, saveView, useSavedViewsUi } from '../state/saved-views';
import { useDimensions } from '../state/use-dimensions';
import { suggestName } from '../state/view-state';
import { metricLabel } from './ControlsBar';
import { ErrorBox, Notice, Spinner } from './Feedback';
import { Modal } from './Modal';

// Screens added later read as their id until named here.
const SCREEN_LABELS: Partial<Record<SavedViewDefinition['view'], string>> = {
  overview: 'Overview',
  import: 'Import',
  rows: 'Rows',
  conformance: 'Conformance',
  datasets: 'Invoices',
};

const GRANULARITY_LABELS: Record<SavedViewDefinition['granularity'], string> = { day: 'Daily', week: 'Weekly', month: 'Monthly' };

/**
 * The name field takes focus once the dialog is open: showModal() (run by Modal, a child, whose effects run first)
 * moves focus to the dialog's first control, so React's autoFocus on mount would be undone.
 */
function useFocusOnOpen(): RefObject<HTMLInputElement | null> {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

export function SaveViewDialog() {
  const close = useApp((s) => s.closeDialog);
  const workspace = useApp((s) => s.workspace);
  const dims = useDimensions();
  // what was on screen when the dialog opened: the page behind is inert while it is open
  const [definition] = useState(currentDefinition);
  const label = (c: string) => columnLabel(c, dims.labels);
  // the suggestion follows the dimension labels as they arrive, until the user types
  const [typed, setTyped] = useState<string | null>(null);
  const name = typed ?? suggestName(definition, label, metricLabel);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const trimmed = name.trim();
  const conflict = error?.code === 'exists';
  const input = useFocusOnOpen();
  // An untouched suggestion that changes (labels arriving) stays selected, so the next key replaces it rather than
  // being appended to it.
  useLayoutEffect(() => {
    const el = input.current;
    if (typed === null && el && document.activeElement === el) el.select();
  }, [name, typed, input]);

  const save = async (overwrite: boolean) => {
    if (!trimmed || busy) return;
    setBusy(true);
    setError(null);
    const r = await saveView(trimmed, definition, overwrite);
    setBusy(false);
    if (r.ok) close();
    else setError(r.error);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };

  return (
    <Modal title="Save view" subtitle={workspace ? `In ${workspace.name}` : undefined} onClose={close} size="small" testId="save-view-dialog">
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input"
            data-testid="save-view-name"
            ref={input}
            required
            maxLength={120}
            value={name}
            onFocus={(e) => e.currentTarget.select()}
            onChange={(e) => {
              setTyped(e.target.value);
              if (conflict) setError(null);
            }}
          />
        </label>
        <dl className="view-summary" aria-label="What the view keeps">
          <div>
            <dt>Screen</dt>
            <dd>{SCREEN_LABELS[definition.view] ?? definition.view}</dd>
          </div>
          <div>
            <dt>Dates</dt>
            <dd>
              {definition.from || definition.to
                ? rangeLabel({ from: definition.from, to: definition.to }, workspace ?? undefined)
                : 'All dates (follows new imports)'}
            </dd>
          </div>
          <div>
            <dt>Group by</dt>
            <dd>{definition.groupBy.map(label).join(' › ')}</dd>
          </div>
          <div>
            <dt>Cost basis</dt>
            <dd>
              {metricLabel(definition.metric)} · {GRANULARITY_LABELS[definition.granularity]}
            </dd>
          </div>
          <div>
            <dt>Filters</dt>
            <dd>
              {definition.filters.length === 0
                ? 'None'
                : definition.filters.map((f) => `${f.exclude ? 'not ' : ''}${label(f.column)} (${f.values.length})`).join(', ')}
            </dd>
          </div>
        </dl>
        {conflict ? (
          <Notice
            kind="warning"
            action={
              <button type="button" className="button small" data-testid="save-view-replace" onClick={() => void save(true)} disabled={busy}>
                Replace it
              </button>
            }
          >
            {error.message.replace(/: replace it or choose another name$/, '.')} Replace it, or type another name.
          </Notice>
        ) : error ? (
          <ErrorBox error={error} title="Could not save the view" compact />
        ) : null}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!trimmed || busy || conflict} data-testid="save-view-submit">
            {busy ? <Spinner size={12} label="Saving" /> : null} Save view
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RenameViewDialog() {
  const close = useApp((s) => s.closeDialog);
  const target = useSavedViewsUi((s) => s.renaming);
  const [name, setName] = useState(target?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const trimmed = name.trim();
  const input = useFocusOnOpen();
  if (!target) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!trimmed || busy) return;
    setBusy(true);
    setError(null);
    const r = await renameView(target.id, trimmed);
    setBusy(false);
    if (r.ok) close();
    else setError(r.error);
  };

  return (
    <Modal title="Rename view" subtitle={`“${target.name}”`} onClose={close} size="small" testId="rename-view-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">New name</span>
          <input
            className="input"
            data-testid="rename-view-name"
            ref={input}
            required
            maxLength={120}
            value={name}
            onFocus={(e) => e.currentTarget.select()}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error ? <ErrorBox error={error} title="Could not rename the view" compact /> : null}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!trimmed || busy || trimmed === target.name} data-testid="rename-view-submit">
            {busy ? <Spinner size={12} label="Renaming" /> : null} Rename
          </button>
        </div>
      </form>
    </Modal>
  );
}

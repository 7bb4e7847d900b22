// "New workspace…" and "Open by path…" dialogs.
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../src-shared/api/contract';
import { useApp } from '../state/app-store';
import { createWorkspace, openWorkspaceAt } from '../state/workspace-actions';
import { ErrorBox, Spinner } from './Feedback';
import { Modal } from './Modal';

export function NewWorkspaceDialog() {
  const close = useApp((s) => s.closeDialog);
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const trimmed = name.trim();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!trimmed || busy) return;
    setBusy(true);
    setError(null);
    const r = await createWorkspace(trimmed, path.trim() || undefined);
    setBusy(false);
    if (r.ok) close();
    else setError(r.error);
  };

  return (
    <Modal title="New workspace" onClose={close} size="small" testId="new-workspace-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input"
            data-testid="new-workspace-name"
            autoFocus
            required
            maxLength={120}
            value={name}
            placeholder="e.g. Production accounts 2025"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">
            Location <span className="muted">(optional)</span>
          </span>
          <input
            className="input mono"
            value={path}
            placeholder="Default: Meterbook's data folder"
            onChange={(e) => setPath(e.target.value)}
          />
          <span className="field-hint">A folder or file path on this computer. Leave empty to use the default location.</span>
        </label>
        {error ? <ErrorBox error={error} title="Could not create the workspace" compact /> : null}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!trimmed || busy} data-testid="new-workspace-create">
            {busy ? <Spinner size={12} label="Creating" /> : null} Create workspace
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function OpenPathDialog() {
  const close = useApp((s) => s.closeDialog);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim() || busy) return;
    setBusy(true);
    setError(null);
    const r = await openWorkspaceAt(path.trim());
    setBusy(false);
    if (r.ok) close();
    else setError(r.error);
  };

  return (
    <Modal title="Open workspace" onClose={close} size="small" testId="open-path-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Workspace file path</span>
          <input
            className="input mono"
            autoFocus
            required
            value={path}
            placeholder="/home/me/finops/acme.meterbook"
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        {error ? <ErrorBox error={error} title="Could not open the workspace" compact /> : null}
        <div className="form-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!path.trim() || busy}>
            {busy ? <Spinner size={12} label="Opening" /> : null} Open
          </button>
        </div>
      </form>
    </Modal>
  );
}

// Driver data for pools split "by driver": a CSV of period (YYYY-MM), target and quantity (requests, tokens, seats,
// headcount), imported under a name; importing the same name again replaces it.
import { useRef, useState, type FormEvent } from 'react';
import type { DriverSummary } from '../../../src-shared/api/allocation';
import type { ApiError } from '../../../src-shared/api/contract';
import { api } from '../../api/client';
import { formatInteger } from '../../format/money';
import { useApp } from '../../state/app-store';
import { ErrorBox, Spinner } from '../Feedback';
import { Icon } from '../Icon';
import { importDriverFile } from './allocation-sync';

export function DriversPanel({ drivers, onChanged }: { drivers: readonly DriverSummary[]; onChanged(): void }) {
  const notify = useApp((s) => s.notify);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !name.trim()) return;
    setBusy(true);
    setError(null);
    const r = await importDriverFile(name.trim(), file);
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    notify({ kind: 'success', title: `Driver ${name.trim()} imported`, message: `${formatInteger(r.value.rows)} rows` });
    setName('');
    setFile(null);
    if (fileRef.current) fileRef.current.value = '';
    onChanged();
  };

  const remove = async (driver: string) => {
    const r = await api.call('allocation.deleteDriver', { driver });
    if (!r.ok) notify({ kind: 'error', title: `Could not remove driver ${driver}`, message: r.error.message });
    else onChanged();
  };

  return (
    <section className="panel alloc-section" aria-labelledby="alloc-drivers-title" data-testid="drivers-panel">
      <header className="panel-header">
        <h2 id="alloc-drivers-title">
          Driver data <span className="muted">· quantities per target and month, for “By driver” splits</span>
        </h2>
      </header>
      {drivers.length > 0 ? (
        <table className="table alloc-table">
          <thead>
            <tr>
              <th>Driver</th>
              <th>File</th>
              <th className="right">Rows</th>
              <th>Months</th>
              <th className="right">Targets</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {drivers.map((d) => (
              <tr key={d.driver} data-testid="driver-row">
                <td className="mono">{d.driver}</td>
                <td className="muted">{d.file}</td>
                <td className="right num">{formatInteger(d.rows)}</td>
                <td>{d.periods.length ? `${d.periods[0]}${d.periods.length > 1 ? ` – ${d.periods[d.periods.length - 1]}` : ''}` : '—'}</td>
                <td className="right num">{formatInteger(d.targets)}</td>
                <td className="right">
                  <button type="button" className="icon-button danger" aria-label={`Remove driver ${d.driver}`} onClick={() => void remove(d.driver)}>
                    <Icon name="trash" size={14} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="alloc-driver-form" onSubmit={(e) => void submit(e)}>
        <input
          className="input"
          aria-label="Driver name"
          data-testid="driver-name"
          data-native-undo
          placeholder="name, e.g. seats"
          value={name}
          maxLength={60}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          ref={fileRef}
          type="file"
          accept=".csv,text/csv"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="driver-file"
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            // a name from the file until one is typed: "seats.csv" → seats
            if (f && !name.trim()) setName(f.name.replace(/\.[^.]+$/, '').slice(0, 60));
          }}
        />
        <button type="button" className="button small" onClick={() => fileRef.current?.click()}>
          <Icon name="file" size={13} /> {file ? 'Other file…' : 'Choose CSV…'}
        </button>
        <span className={`alloc-file-name${file ? '' : ' muted'}`} data-testid="driver-file-name">
          {file ? file.name : 'no file chosen'}
        </span>
        <button type="submit" className="button small primary" data-testid="driver-import" disabled={busy || !file || !name.trim()}>
          {busy ? <Spinner size={12} label="Importing" /> : <Icon name="upload" size={13} />} Import
        </button>
      </form>
      <div className="alloc-hint alloc-driver-hint">
        CSV columns <code>period</code> (YYYY-MM), <code>target</code>, <code>quantity</code>. Importing a name again replaces its data.
      </div>
      {error ? (
        <div className="alloc-pad">
          <ErrorBox error={error} title="Could not import the driver data" compact />
        </div>
      ) : null}
    </section>
  );
}

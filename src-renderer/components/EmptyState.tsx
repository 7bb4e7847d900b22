// Welcome screen for a workspace without rows.
import { useApp } from '../state/app-store';
import { Icon } from './Icon';

export function EmptyState() {
  const setView = useApp((s) => s.setView);
  const requestChooser = useApp((s) => s.requestChooser);
  const ws = useApp((s) => s.workspace);
  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-title">
      <div className="empty-illustration" aria-hidden="true">
        <Icon name="overview" size={36} />
      </div>
      <h2 id="empty-title">{ws ? `“${ws.name}” is ready for data` : 'Your workspace is ready'}</h2>
      <p>
        Import a billing export to see spend by service, account, region and tag. Everything stays on this computer.
      </p>
      <div className="empty-actions">
        <button type="button" className="button primary large" data-testid="empty-import" onClick={() => setView('import')}>
          <Icon name="import" /> Import billing data
        </button>
        <button type="button" className="button large" onClick={requestChooser}>
          Choose files…
        </button>
      </div>
      <ul className="empty-hints">
        <li>
          <Icon name="check" size={14} /> FOCUS 1.0–1.4 Cost and Usage exports
        </li>
        <li>
          <Icon name="check" size={14} /> CSV or gzip-compressed CSV (.csv, .csv.gz)
        </li>
        <li>
          <Icon name="check" size={14} /> Several files at once form one delivery
        </li>
      </ul>
    </section>
  );
}

// Left sidebar: workspace switcher, navigation, workspace facts and the shortcuts entry.
import { rangeLabel } from '../format/dates';
import { formatInteger } from '../format/money';
import { modKey } from '../format/platform';
import { useApp, type View } from '../state/app-store';
import { useImport, isImportBusy } from '../state/import-store';
import { useApi } from '../state/use-api';
import { Icon, type IconName } from './Icon';
import { SavedViewsNav } from './SavedViewsNav';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';

/** The screens, in order (the command palette offers the same). */
export const NAV: Array<{ view: View; label: string; icon: IconName; key: string }> = [
  { view: 'overview', label: 'Overview', icon: 'overview', key: '1' },
  { view: 'import', label: 'Import', icon: 'import', key: '2' },
  { view: 'rows', label: 'Rows', icon: 'rows', key: '3' },
  { view: 'conformance', label: 'Conformance', icon: 'check', key: '4' },
  { view: 'datasets', label: 'Invoices', icon: 'report', key: '5' },
  { view: 'quality', label: 'Data quality', icon: 'quality', key: '6' },
  { view: 'compare', label: 'Compare', icon: 'compare', key: '7' },
  { view: 'allocation', label: 'Allocation', icon: 'split', key: '8' },
];

export function Sidebar() {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const ws = useApp((s) => s.workspace);
  const openDialog = useApp((s) => s.openDialog);
  const importing = useImport((s) => isImportBusy(s.phase));
  const info = useApi('app.info', {});

  return (
    <aside className="sidebar" aria-label="Sidebar">
      <WorkspaceSwitcher />
      <nav className="nav" aria-label="Main">
        {NAV.map((n) => (
          <button
            key={n.view}
            type="button"
            className={`nav-item${view === n.view ? ' active' : ''}`}
            data-testid={`nav-${n.view}`}
            aria-current={view === n.view ? 'page' : undefined}
            aria-keyshortcuts={modKey(n.key).replace('⌘', 'Meta+')}
            onClick={() => setView(n.view)}
          >
            <Icon name={n.icon} />
            <span className="nav-label">{n.label}</span>
            {n.view === 'import' && importing ? <span className="nav-dot" title="Import running" aria-label="Import running" /> : null}
            <kbd className="nav-kbd" aria-hidden="true">
              {modKey(n.key)}
            </kbd>
          </button>
        ))}
      </nav>
      {ws ? <SavedViewsNav /> : null}
      <div className="sidebar-spacer" />
      {ws ? (
        <dl className="ws-facts">
          <div>
            <dt>Rows</dt>
            <dd className="num">{formatInteger(ws.rows)}</dd>
          </div>
          <div>
            <dt>Data</dt>
            <dd>{ws.firstDay && ws.lastDay ? rangeLabel({ from: ws.firstDay, to: ws.lastDay }) : '—'}</dd>
          </div>
          <div>
            <dt>Files</dt>
            <dd className="num">{formatInteger(ws.imports)}</dd>
          </div>
          {ws.currencies.length > 0 ? (
            <div>
              <dt>Currency</dt>
              <dd>{ws.currencies.join(', ')}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      <div className="sidebar-footer">
        <button
          type="button"
          className="link-button"
          data-testid="open-palette"
          onClick={() => openDialog('palette')}
          aria-keyshortcuts={modKey('K').replace('⌘', 'Meta+').replace('Ctrl+', 'Control+')}
        >
          <Icon name="search" size={14} /> Commands <kbd>{modKey('K')}</kbd>
        </button>
        <button type="button" className="link-button" onClick={() => openDialog('shortcuts')} aria-keyshortcuts="?">
          <Icon name="keyboard" size={14} /> Keyboard shortcuts <kbd>?</kbd>
        </button>
        <div className="version">Meterbook {info.data ? `v${info.data.version}` : ''}</div>
      </div>
    </aside>
  );
}

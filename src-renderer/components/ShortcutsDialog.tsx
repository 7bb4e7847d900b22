import { modKey } from '../format/platform';
import { useApp } from '../state/app-store';
import { Modal } from './Modal';

const SHORTCUTS: Array<[string, string]> = [
  [modKey('1'), 'Overview'],
  [modKey('2'), 'Import'],
  [modKey('3'), 'Rows'],
  [modKey('4'), 'Conformance'],
  [modKey('5'), 'Invoices and commitments'],
  [modKey('O'), 'Choose files to import'],
  ['?', 'Show this list'],
  ['Esc', 'Close a dialog or menu'],
  ['Tab / Shift+Tab', 'Move between controls'],
];

export function ShortcutsDialog() {
  const close = useApp((s) => s.closeDialog);
  return (
    <Modal title="Keyboard shortcuts" onClose={close} size="small" testId="shortcuts-dialog">
      <dl className="shortcut-list">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut-row">
            <dt>
              {keys.split(' / ').map((k, i) => (
                <span key={k}>
                  {i > 0 ? ' / ' : null}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}

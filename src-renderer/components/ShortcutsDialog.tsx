import { useApp } from '../state/app-store';
import { SHORTCUTS, shortcutKeys } from '../state/shortcuts';
import { Modal } from './Modal';

export function ShortcutsDialog() {
  const close = useApp((s) => s.closeDialog);
  return (
    <Modal title="Keyboard shortcuts" onClose={close} size="small" testId="shortcuts-dialog">
      <dl className="shortcut-list">
        {SHORTCUTS.map((s) => [shortcutKeys(s), s.does] as const).map(([keys, what]) => (
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

// Global keyboard shortcuts: the key handler for the list in shortcuts.ts (which the shortcuts dialog shows).
import { useEffect } from 'react';
import { heldByDialog, matchShortcut } from './shortcuts';

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'file', 'submit', 'reset'].includes(type);
  }
  return false;
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const where = { modalOpen: document.querySelector('dialog[open]') !== null, editable: isEditable(e.target) };
      const shortcut = matchShortcut(e, where);
      if (!shortcut?.run) {
        if (heldByDialog(e, where)) e.preventDefault();
        return;
      }
      e.preventDefault();
      shortcut.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

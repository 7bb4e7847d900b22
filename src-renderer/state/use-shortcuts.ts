// Global keyboard shortcuts: Ctrl/Cmd+1…5 switch screens, Ctrl/Cmd+O opens the import file chooser, ? lists them.
import { useEffect } from 'react';
import { useApp, type View } from './app-store';

const VIEWS: Record<string, View> = { '1': 'overview', '2': 'import', '3': 'rows', '4': 'conformance', '5': 'datasets' };

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
      const modalOpen = document.querySelector('dialog[open]') !== null;
      const mod = e.ctrlKey || e.metaKey;
      const app = useApp.getState();
      if (mod && !e.altKey && !e.shiftKey) {
        const view = VIEWS[e.key];
        if (view && !modalOpen) {
          e.preventDefault();
          app.setView(view);
          return;
        }
        if (e.key.toLowerCase() === 'o' && !modalOpen) {
          e.preventDefault();
          app.requestChooser();
          return;
        }
      }
      if (e.key === '?' && !mod && !e.altKey && !isEditable(e.target) && !modalOpen) {
        e.preventDefault();
        app.openDialog('shortcuts');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

// Every keyboard shortcut, once: the global key handler (use-shortcuts.ts) runs them, the shortcuts dialog lists
// them and the command palette shows their keys beside the commands they share.
import { isMac, modKey } from '../format/platform';
import { useApp, type View } from './app-store';
import { openSaveView } from './saved-views';
import { openExport } from './export-store';

export interface Shortcut {
  id: string;
  /** KeyboardEvent.key (lower case for letters). */
  key: string;
  /** Ctrl (Cmd on macOS) is held. */
  mod: boolean;
  /** What it does, as the shortcuts list says it. */
  does: string;
  /** Absent for keys handled where they apply (Esc, Tab, arrows): listed only. */
  run?: () => void;
  /** How the keys read, when not the key itself. */
  label?: string;
}

const go = (view: View) => () => useApp.getState().setView(view);

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'palette', key: 'k', mod: true, does: 'Command palette', run: () => useApp.getState().openDialog('palette') },
  { id: 'view.overview', key: '1', mod: true, does: 'Overview', run: go('overview') },
  { id: 'view.import', key: '2', mod: true, does: 'Import', run: go('import') },
  { id: 'view.rows', key: '3', mod: true, does: 'Rows', run: go('rows') },
  { id: 'view.conformance', key: '4', mod: true, does: 'Conformance', run: go('conformance') },
  { id: 'view.datasets', key: '5', mod: true, does: 'Invoices and commitments', run: go('datasets') },
  { id: 'view.quality', key: '6', mod: true, does: 'Data quality', run: go('quality') },
  { id: 'view.compare', key: '7', mod: true, does: 'Compare two periods', run: go('compare') },
  { id: 'view.allocation', key: '8', mod: true, does: 'Allocation rules, preview and showback', run: go('allocation') },
  { id: 'export', key: 'e', mod: true, does: 'Export the current view', run: openExport },
  { id: 'import.choose', key: 'o', mod: true, does: 'Choose files to import', run: () => useApp.getState().requestChooser() },
  { id: 'view.save', key: 's', mod: true, does: 'Save the current view', run: openSaveView },
  { id: 'shortcuts', key: '?', mod: false, does: 'Show this list', run: () => useApp.getState().openDialog('shortcuts') },
  { id: 'pick', key: 'ArrowDown', mod: false, does: 'Move through a list or the palette; Enter picks', label: '↑ / ↓' },
  { id: 'close', key: 'Escape', mod: false, does: 'Close a dialog or menu', label: 'Esc' },
  { id: 'allocation.undo', key: 'z', mod: true, does: 'Undo / redo a rule edit (Allocation)', label: `${modKey('Z')} / ${modKey('Shift+Z')}` },
  { id: 'allocation.move', key: 'ArrowUp', mod: false, does: 'Move the rule under the cursor up or down (Allocation)', label: 'Alt+↑ / Alt+↓' },
  { id: 'move', key: 'Tab', mod: false, does: 'Move between controls', label: 'Tab / Shift+Tab' },
];

/** "Ctrl+K", "⌘K", "?" */
export function shortcutKeys(s: Shortcut): string {
  if (s.label) return s.label;
  return s.mod ? modKey(s.key.length === 1 ? s.key.toUpperCase() : s.key) : s.key;
}

export function shortcutById(id: string): Shortcut | undefined {
  return SHORTCUTS.find((s) => s.id === id);
}

/** aria-keyshortcuts syntax: "Control+K", "Meta+K". */
export function ariaKeys(s: Shortcut): string {
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key;
  return s.mod ? `${isMac() ? 'Meta' : 'Control'}+${key}` : key;
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The shortcut a key press runs, if any. Nothing runs behind an open dialog. While typing in a field only Ctrl/Cmd
 * ones run: a plain key is text there, and the browser's own meaning of ours (save page, …) is never wanted.
 */
export function matchShortcut(e: KeyLike, where: { modalOpen: boolean; editable: boolean }): Shortcut | undefined {
  if (where.modalOpen || e.altKey) return undefined;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find(
    (s) =>
      s.run !== undefined &&
      s.key === key &&
      s.mod === mod &&
      // '?' needs Shift on most layouts; a modified shortcut with Shift is another one (Ctrl+Shift+K is the browser's)
      (s.mod ? !e.shiftKey : true) &&
      (s.mod || !where.editable),
  );
}

/**
 * A Ctrl/Cmd shortcut of ours pressed while a dialog is open: it does not run there (matchShortcut), but the
 * browser's own meaning of the keys (Ctrl+S saves the page, Ctrl+O opens a file, Ctrl+K and Ctrl+E search) must not
 * run in its place either, so the key handler swallows it.
 */
export function heldByDialog(e: KeyLike, where: { modalOpen: boolean; editable: boolean }): boolean {
  if (!where.modalOpen || !(e.ctrlKey || e.metaKey)) return false;
  return matchShortcut(e, { modalOpen: false, editable: where.editable }) !== undefined;
}

// Sidebar-top workspace switcher: the current workspace and a menu of recent ones and workspace actions.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { RecentWorkspace } from '../../src-shared/api/contract';
import { useApp } from '../state/app-store';
import { useApi } from '../state/use-api';
import { openDemoWorkspace, openWorkspaceAt } from '../state/workspace-actions';
import { Spinner } from './Feedback';
import { Icon } from './Icon';

export function WorkspaceSwitcher() {
  const ws = useApp((s) => s.workspace);
  const [open, setOpen] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const name = ws?.name ?? 'No workspace';

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) triggerRef.current?.focus();
  }, []);

  return (
    <div className="ws-switcher">
      <button
        ref={triggerRef}
        type="button"
        className="ws-trigger"
        data-testid="workspace-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Workspace: ${name}. Switch workspace`}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="ws-avatar" aria-hidden="true">
          {(ws?.name ?? '?').trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="ws-text">
          <span className="ws-name" data-testid="workspace-name" title={ws?.path}>
            {name}
          </span>
          <span className="ws-kind">{ws ? (ws.isDemo ? 'Demo workspace' : 'Workspace') : 'Open or create one'}</span>
        </span>
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? <WorkspaceMenu onClose={close} triggerRef={triggerRef} /> : null}
    </div>
  );
}

function WorkspaceMenu({
  onClose,
  triggerRef,
}: {
  onClose: (refocus: boolean) => void;
  triggerRef: RefObject<HTMLButtonElement | null>;
}) {
  const recent = useApi('workspace.recent', {});
  const current = useApp((s) => s.workspace);
  const openDialog = useApp((s) => s.openDialog);
  const notifyError = useApp((s) => s.notifyError);
  const menuRef = useRef<HTMLDivElement>(null);
  const [busyPath, setBusyPath] = useState<string | null>(null);

  useEffect(() => {
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
  }, []);

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !triggerRef.current?.contains(t)) onClose(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose, triggerRef]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    } else if (e.key === 'Home') {
      e.preventDefault();
      items[0]?.focus();
    } else if (e.key === 'End') {
      e.preventDefault();
      items[items.length - 1]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
    } else if (e.key === 'Tab') {
      onClose(false);
    }
  };

  const openRecent = async (r: RecentWorkspace) => {
    setBusyPath(r.path);
    const res = await openWorkspaceAt(r.path);
    setBusyPath(null);
    if (!res.ok) notifyError(`Could not open “${r.name}”`, res.error);
    onClose(false);
  };

  const others = (recent.data ?? []).filter((r) => r.path !== current?.path);

  return (
    <div className="menu ws-menu" role="menu" aria-label="Workspaces" ref={menuRef} onKeyDown={onKeyDown}>
      <div className="menu-section-label">Recent</div>
      {recent.loading && !recent.data ? (
        <div className="menu-note">
          <Spinner size={12} /> Loading…
        </div>
      ) : recent.error ? (
        <div className="menu-note error-text">{recent.error.message}</div>
      ) : others.length === 0 ? (
        <div className="menu-note">No other recent workspaces</div>
      ) : (
        others.slice(0, 8).map((r) => (
          <button
            key={r.path}
            type="button"
            role="menuitem"
            className="menu-item menu-item-2line"
            disabled={!r.exists || busyPath !== null}
            title={r.exists ? r.path : `${r.path} (missing)`}
            onClick={() => void openRecent(r)}
          >
            <span className="menu-item-main">
              {r.name}
              {busyPath === r.path ? <Spinner size={11} /> : null}
            </span>
            <span className="menu-item-sub">{r.exists ? r.path : 'File not found'}</span>
          </button>
        ))
      )}
      <div className="menu-separator" role="separator" />
      <button
        type="button"
        role="menuitem"
        className="menu-item"
        data-testid="new-workspace"
        onClick={() => {
          onClose(false);
          openDialog('new-workspace');
        }}
      >
        <Icon name="plus" size={14} /> New workspace…
      </button>
      <button
        type="button"
        role="menuitem"
        className="menu-item"
        data-testid="open-demo"
        onClick={() => {
          onClose(false);
          void openDemoWorkspace().then((r) => {
            if (!r.ok) notifyError('Could not open the demo workspace', r.error);
          });
        }}
      >
        <Icon name="sparkle" size={14} /> Open demo
      </button>
      <button
        type="button"
        role="menuitem"
        className="menu-item"
        data-testid="open-workspace-path"
        onClick={() => {
          onClose(false);
          openDialog('open-path');
        }}
      >
        <Icon name="folder" size={14} /> Open by path…
      </button>
    </div>
  );
}

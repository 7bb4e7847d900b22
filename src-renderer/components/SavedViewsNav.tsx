// The sidebar's "Saved views": click one to show it; rename and delete beside each; the one on screen is marked.
// Deleting removes the focused button with its row, so focus moves on to the next view (or the Save button when none
// is left) instead of dropping to the page.
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../state/app-store';
import { useExplore } from '../state/explore-store';
import type { SavedView } from '../../src-shared/api/contract';
import { applySavedView, deleteView, openSaveView, startRename, useSavedViews } from '../state/saved-views';
import { ariaKeys, shortcutById, shortcutKeys } from '../state/shortcuts';
import { sameView, snapshotView } from '../state/view-state';
import { Icon } from './Icon';

export function SavedViewsNav() {
  const views = useSavedViews();
  const screen = useApp((s) => s.view);
  const explore = useExplore(
    useShallow((s) => ({ from: s.from, to: s.to, filters: s.filters, groupBy: s.groupBy, metric: s.metric, granularity: s.granularity })),
  );
  const onScreen = useMemo(() => snapshotView(screen, explore), [screen, explore]);
  const save = shortcutById('view.save');
  const saveKeys = save ? shortcutKeys(save) : '';
  const list = views.data ?? [];
  const listRef = useRef<HTMLUListElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  /** The view being deleted and its place in the list, until the list comes back without it. */
  const refocus = useRef<{ id: number; index: number } | null>(null);

  useEffect(() => {
    const pending = refocus.current;
    if (!pending || !views.data || views.data.some((v) => v.id === pending.id)) return;
    refocus.current = null;
    // only if focus was lost with the row (not when the user has moved on meanwhile)
    const active = document.activeElement;
    if (active && active !== document.body && !listRef.current?.contains(active)) return;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('[data-testid="saved-view"]') ?? [];
    const next = buttons.length > 0 ? buttons[Math.min(pending.index, buttons.length - 1)] : saveRef.current;
    next?.focus();
  }, [views.data]);

  const remove = (v: SavedView, index: number) => {
    refocus.current = { id: v.id, index };
    void deleteView(v).then((deleted) => {
      if (!deleted) refocus.current = null;
    });
  };

  return (
    <section className="saved-views" aria-labelledby="saved-views-title" data-testid="saved-views">
      <div className="saved-views-head">
        <h2 id="saved-views-title" className="saved-views-title">
          Saved views
        </h2>
        <button
          ref={saveRef}
          type="button"
          className="icon-button small"
          data-testid="sidebar-save-view"
          aria-label="Save the current view"
          aria-keyshortcuts={save ? ariaKeys(save) : undefined}
          title={`Save the current view (${saveKeys})`}
          onClick={openSaveView}
        >
          <Icon name="plus" size={14} />
        </button>
      </div>
      {views.error ? (
        <p className="saved-views-note error-text" role="alert">
          {views.error.message}{' '}
          <button type="button" className="link-button small" onClick={views.reload}>
            Retry
          </button>
        </p>
      ) : list.length === 0 ? (
        views.data ? (
          <p className="saved-views-note">
            Press <kbd>{saveKeys}</kbd> to keep what you see.
          </p>
        ) : null
      ) : (
        <ul className="saved-views-list" ref={listRef}>
          {list.map((v, index) => {
            const current = v.definition !== null && sameView(v.definition, onScreen);
            return (
              <li key={v.id} className={`saved-view${current ? ' current' : ''}${v.definition ? '' : ' unreadable'}`}>
                <button
                  type="button"
                  className="saved-view-apply"
                  data-testid="saved-view"
                  aria-current={current ? 'true' : undefined}
                  title={v.definition ? `Show “${v.name}”` : `“${v.name}”: ${v.problem ?? 'unreadable'}`}
                  onClick={() => applySavedView(v)}
                >
                  <Icon name="bookmark" size={13} />
                  <span className="saved-view-name">{v.name}</span>
                </button>
                <button
                  type="button"
                  className="saved-view-action"
                  data-testid="saved-view-rename"
                  aria-label={`Rename “${v.name}”`}
                  title="Rename"
                  onClick={() => startRename(v)}
                >
                  <Icon name="pencil" size={13} />
                </button>
                <button
                  type="button"
                  className="saved-view-action"
                  data-testid="saved-view-delete"
                  aria-label={`Delete “${v.name}”`}
                  title="Delete (can be undone)"
                  onClick={() => remove(v, index)}
                >
                  <Icon name="trash" size={13} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** The Overview header's "Save view" button. */
export function SaveViewButton() {
  const save = shortcutById('view.save');
  return (
    <button
      type="button"
      className="button"
      data-testid="save-view-button"
      aria-keyshortcuts={save ? ariaKeys(save) : undefined}
      title={save ? `Save the current view (${shortcutKeys(save)})` : 'Save the current view'}
      onClick={openSaveView}
    >
      <Icon name="bookmark" size={14} /> Save view
    </button>
  );
}

// Ctrl/Cmd+K: every action of the app behind one text field. A combobox over a listbox (the options are never
// focused: aria-activedescendant follows the arrows), on a modal <dialog> so the page behind is inert.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { fuzzyFilter } from '../format/fuzzy';
import { useApp } from '../state/app-store';
import { useExplore } from '../state/explore-store';
import { useSavedViews } from '../state/saved-views';
import { useDimensions } from '../state/use-dimensions';
import { Icon } from './Icon';
import { buildCommands, type Command } from './palette-commands';

const PAGE = 8;

export function CommandPalette() {
  const close = useApp((s) => s.closeDialog);
  const view = useApp((s) => s.view);
  const hasWorkspace = useApp((s) => s.workspace !== null);
  const explore = useExplore(
    useShallow((s) => ({ groupBy: s.groupBy, metric: s.metric, granularity: s.granularity, filterCount: s.filters.length })),
  );
  const dims = useDimensions();
  const saved = useSavedViews();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const baseId = useId();
  const listId = `${baseId}-list`;

  const commands = useMemo(
    () =>
      buildCommands({
        view,
        hasWorkspace,
        dimensions: hasWorkspace ? dims.list : [],
        savedViews: hasWorkspace ? (saved.data ?? []) : [],
        ...explore,
      }),
    [view, hasWorkspace, dims.list, saved.data, explore],
  );
  const results = useMemo(() => fuzzyFilter(commands, query, (c) => (c.keywords ? `${c.label} ${c.keywords}` : c.label)), [commands, query]);
  const current = Math.min(active, Math.max(0, results.length - 1));
  const optionId = (i: number) => `${baseId}-opt-${i}`;

  useEffect(() => {
    const d = dialogRef.current;
    if (!d) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      previous?.focus?.();
    };
  }, []);

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const run = (c: Command | undefined) => {
    if (!c) return;
    // close first: the command may open a dialog of its own in the palette's place
    close();
    c.run();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    const n = results.length;
    const move = (to: number) => {
      e.preventDefault();
      if (n > 0) setActive(((to % n) + n) % n);
    };
    if (e.key === 'ArrowDown') move(current + 1);
    else if (e.key === 'ArrowUp') move(current - 1);
    else if (e.key === 'PageDown') move(Math.min(n - 1, current + PAGE));
    else if (e.key === 'PageUp') move(Math.max(0, current - PAGE));
    else if (e.key === 'Enter') {
      e.preventDefault();
      run(results[current]?.item);
    } else if (e.key === 'Tab') {
      // the field is the palette's only stop: focus stays in it
      e.preventDefault();
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      close();
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="modal palette"
      aria-label="Command palette"
      data-testid="command-palette"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onKeyDown={onKeyDown}
      onClick={(e) => {
        // a click on the backdrop (the dialog element itself, outside its box) closes
        if (e.target === e.currentTarget) close();
      }}
    >
      <div className="palette-field">
        <Icon name="search" size={16} />
        <input
          className="palette-input"
          data-testid="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={results.length > 0 ? optionId(current) : undefined}
          aria-label="Type a command"
          placeholder="Type a command: group by region, metric, save view…"
          autoFocus
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <kbd>Esc</kbd>
      </div>
      <ul className="palette-list" id={listId} role="listbox" aria-label="Commands" ref={listRef}>
        {results.map(({ item, match }, i) => (
          <li
            key={item.id}
            id={optionId(i)}
            data-index={i}
            role="option"
            aria-selected={i === current}
            className={`palette-option${i === current ? ' active' : ''}`}
            data-testid="palette-option"
            onMouseMove={() => {
              if (i !== current) setActive(i);
            }}
            onClick={() => run(item)}
          >
            <span className="palette-label">{highlight(item.label, match.indices)}</span>
            {item.hint ? <span className="palette-hint">{item.hint}</span> : null}
            <span className="palette-group">{item.group}</span>
            {item.keys ? <kbd className="palette-keys">{item.keys}</kbd> : null}
          </li>
        ))}
      </ul>
      {results.length === 0 ? (
        <div className="palette-empty" role="status">
          No command matches “{query}”.
        </div>
      ) : null}
      <div className="palette-footer" aria-hidden="true">
        <span>
          <kbd>↑</kbd> <kbd>↓</kbd> to move
        </span>
        <span>
          <kbd>Enter</kbd> to run
        </span>
        <span>
          <kbd>Esc</kbd> to close
        </span>
      </div>
    </dialog>
  );
}

/** The label with the matched letters marked (matches in the keywords after it are not shown). */
function highlight(text: string, indices: readonly number[]): ReactNode {
  if (indices.length === 0) return text;
  const marked = new Set(indices);
  const parts: ReactNode[] = [];
  let run = '';
  let inMark = false;
  const flush = (key: number) => {
    if (run) parts.push(inMark ? <mark key={key}>{run}</mark> : run);
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const m = marked.has(i);
    if (m !== inMark) {
      flush(i);
      inMark = m;
    }
    run += text[i];
  }
  flush(text.length);
  return parts;
}

// The detail grid: a virtual scroller over `total` rows that fetches only the visible pages (200 rows each, asked
// by position: the engine answers any depth in constant time) and keeps recent pages in a small LRU.
//
// Browsers cap an element's height (~33M px), so the scroller spans a window of at most MAX_SCROLL_ROWS rows; "Go to
// row" and Ctrl+Home/End move the window anywhere in the scope.
//
// Sorting a big scope takes the engine seconds (the first pages ~2 s at 10M rows, a deep page the whole order ~5 s):
// while a sorted page is late the grid says what it is sorting instead of showing blank rows. Answers for an earlier
// sort or scope are kept in the cache but never shown: the latest choice wins even when an older answer arrives last.
import { memo, startTransition, useCallback, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApiError, QueryScope, RowsOutput } from '../../src-shared/api/contract';
import { gridSortKind, TEXT_SORT_MAX_ROWS, textSortRefusal } from '../../src-shared/explore/grid-sort';
import { costColumn } from '../../src-shared/focus/catalog';
import { api } from '../api/client';
import { cellText, columnLayout, type ColumnLayout } from '../format/columns';
import { columnLabel } from '../format/labels';
import { formatInteger } from '../format/money';
import { LruCache, pagesFor } from '../state/lru';
import type { RowsSort } from '../state/rows-sort';
import { ErrorBox, Skeleton, Spinner } from './Feedback';
import { Icon } from './Icon';

export const PAGE_SIZE = 200;
const ROW_HEIGHT = 28;
const INDEX_WIDTH = 72;
/** Rows one scroll window spans (browsers cap element heights). */
export const MAX_SCROLL_ROWS = 1_000_000;
/** A sorted page slower than this shows what is being sorted (quicker ones would only flash). */
const SORTING_NOTICE_MS = 300;

type Row = RowsOutput['rows'][number];
interface ShownColumn {
  c: ColumnLayout;
  /** index in the answer's columns */
  ci: number;
}
/** A page's rows with the answer's total and columns, so a query shown again (a sort undone) needs no new call. */
interface CachedPage {
  rows: Row[];
  total: number;
  columns: string[];
}

export function sortKindOf(column: string) {
  return gridSortKind(column, costColumn(column)?.type);
}

/** "Sorting 10.2M rows by Billed Cost…" (the count when known). */
export function sortingText(column: string, rows: number | null): string {
  const label = costColumn(column)?.displayName ?? columnLabel(column);
  if (rows === null) return `Sorting the rows by ${label}…`;
  const count = rows >= 1_000_000 ? compactCount.format(rows) : formatInteger(rows);
  return `Sorting ${count} ${rows === 1 ? 'row' : 'rows'} by ${label}…`;
}
const compactCount = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function RowsGrid({
  scope,
  sort,
  onSort,
  queryKey,
}: {
  scope: QueryScope;
  sort: RowsSort | null;
  onSort: (column: string) => void;
  /** Identity of scope + sort + data version: pages cached under another key are never shown. */
  queryKey: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [cache] = useState(() => new LruCache<string, CachedPage>(40));
  const [inflight] = useState(() => new Set<string>());
  const [meta, setMeta] = useState<{ key: string; scope: string; columns: string[]; total: number } | null>(null);
  /** The query whose sorted page is late (see SORTING_NOTICE_MS). */
  const [sortingKey, setSortingKey] = useState<string | null>(null);
  // answers are checked against the latest query, not the one they were asked for
  const latestKey = useRef(queryKey);
  latestKey.current = queryKey;
  const scopeKey = JSON.stringify(scope);
  const [error, setError] = useState<{ key: string; error: ApiError } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  /** First row of the scroll window; `goto` is a row to scroll to once the window has moved. */
  const [windowAt, setWindowAt] = useState<{ key: string; base: number; goto: number | null }>({ key: queryKey, base: 0, goto: null });
  const [, pageArrived] = useReducer((n: number) => n + 1, 0);
  const currentError = error?.key === queryKey ? error.error : null;
  const metaCurrent = meta?.key === queryKey;
  const base = windowAt.key === queryKey ? windowAt.base : 0;

  const total = meta?.total ?? 0;
  const count = meta ? Math.max(0, Math.min(total - base, MAX_SCROLL_ROWS)) : 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // every rendered row costs layout on each scroll step: a few beyond the viewport are enough for PageDown
    overscan: 6,
    // let React batch scroll updates instead of rendering synchronously inside each scroll event
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = base + (items[0]?.index ?? 0);
  const lastIndex = base + (items[items.length - 1]?.index ?? 0);
  const firstPage = Math.floor(firstIndex / PAGE_SIZE);
  const lastPage = Math.floor(lastIndex / PAGE_SIZE);

  // A new scope or sort starts at the top (horizontal position is kept).
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [queryKey]);

  // after the window moved: scroll to the row asked for
  useEffect(() => {
    if (windowAt.goto === null || windowAt.key !== queryKey) return;
    virtualizer.scrollToIndex(windowAt.goto - windowAt.base, { align: 'center' });
  }, [windowAt, queryKey, virtualizer]);

  const fetchPage = useCallback(
    async (page: number) => {
      const id = `${queryKey}#${page}`;
      const adopt = (p: CachedPage) =>
        setMeta((m) =>
          m && m.key === queryKey && m.total === p.total && m.columns.length === p.columns.length
            ? m
            : { key: queryKey, scope: scopeKey, columns: p.columns, total: p.total },
        );
      const hit = cache.peek(id);
      if (hit) {
        // already answered (e.g. the sort was undone): its total is this query's
        if (latestKey.current === queryKey) startTransition(() => adopt(hit));
        return;
      }
      if (inflight.has(id)) return;
      inflight.add(id);
      const late = sort
        ? setTimeout(() => {
            if (inflight.has(id) && latestKey.current === queryKey) setSortingKey(queryKey);
          }, SORTING_NOTICE_MS)
        : undefined;
      const r = await api.call('explore.rows', {
        ...scope,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(sort ? { sort } : {}),
      });
      clearTimeout(late);
      inflight.delete(id);
      const stillWanted = latestKey.current === queryKey;
      const othersPending = [...inflight].some((k) => k.startsWith(`${queryKey}#`));
      if (!r.ok) {
        if (!stillWanted) return;
        if (!othersPending) setSortingKey(null);
        setError({ key: queryKey, error: r.error });
        return;
      }
      const answered: CachedPage = { rows: r.value.rows, total: r.value.total, columns: r.value.columns };
      cache.set(id, answered);
      if (!stillWanted) return; // superseded by another sort or scope: kept for going back, not shown
      // a transition: filling a page's rows in yields to scrolling and typing
      startTransition(() => {
        adopt(answered);
        if (!othersPending) setSortingKey(null);
        pageArrived();
      });
    },
    [cache, inflight, scope, scopeKey, sort, queryKey],
  );

  useEffect(() => {
    if (currentError) return;
    // Until the first page of this query answers, only ask for the window's first page (it tells the total).
    const last = metaCurrent ? lastPage : Math.floor(base / PAGE_SIZE);
    const first = metaCurrent ? firstPage : Math.floor(base / PAGE_SIZE);
    for (const p of pagesFor(first * PAGE_SIZE, last * PAGE_SIZE, PAGE_SIZE)) void fetchPage(p);
  }, [firstPage, lastPage, fetchPage, currentError, metaCurrent, base]);

  const layouts = useMemo<ColumnLayout[]>(() => (meta ? meta.columns.map(columnLayout) : []), [meta]);
  const totalWidth = INDEX_WIDTH + layouts.reduce((w, c) => w + c.width, 0);
  // Columns are windowed too: about a third of the 34 columns fit the viewport, and rendering the others made every
  // scroll step lay out three times the cells (bench: 140 ms main-thread tasks while paging 10M rows).
  const columns = useVirtualizer({
    horizontal: true,
    count: layouts.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => layouts[i]?.width ?? 160,
    paddingStart: INDEX_WIDTH,
    overscan: 2,
    useFlushSync: false,
  });
  const colItems = columns.getVirtualItems();
  const firstCol = colItems[0]?.index ?? 0;
  const lastCol = colItems[colItems.length - 1]?.index ?? -1;
  // stable between scroll steps, so the memoized rows that stay in view are not rendered again
  const { shownCols, template } = useMemo(() => {
    const shown = layouts.slice(firstCol, lastCol + 1).map((c, i) => ({ c, ci: firstCol + i }));
    const before = layouts.slice(0, firstCol).reduce((w, c) => w + c.width, 0);
    const after = layouts.slice(lastCol + 1).reduce((w, c) => w + c.width, 0);
    return { shownCols: shown, template: `${INDEX_WIDTH}px ${before}px ${shown.map(({ c }) => `${c.width}px`).join(' ')} ${after}px` };
  }, [layouts, firstCol, lastCol]);

  const retry = () => {
    inflight.clear();
    setError(null);
  };

  /** Show row `row` (0-based), moving the scroll window when it lies outside. */
  const goTo = (row: number) => {
    if (!meta) return;
    const target = Math.max(0, Math.min(meta.total - 1, row));
    if (target >= base && target < base + count) {
      virtualizer.scrollToIndex(target - base, { align: 'center' });
      return;
    }
    const nextBase = Math.max(0, Math.min(target - Math.floor(MAX_SCROLL_ROWS / 2), meta.total - MAX_SCROLL_ROWS));
    setWindowAt({ key: queryKey, base: nextBase, goto: target });
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!(e.ctrlKey || e.metaKey) || (e.key !== 'Home' && e.key !== 'End')) return;
    e.preventDefault();
    goTo(e.key === 'Home' ? 0 : total - 1);
  };

  const clickSort = (column: string) => {
    const kind = sortKindOf(column);
    if (kind === 'none') return;
    if (kind === 'text' && total > TEXT_SORT_MAX_ROWS && sort?.column !== column) {
      setNote(textSortRefusal(columnLabel(column), total));
      return;
    }
    setNote(null);
    onSort(column);
  };

  if (currentError && !metaCurrent) {
    return (
      <ErrorBox
        error={currentError}
        title={currentError.code === 'too-many-rows' ? 'Too many rows to sort by text' : 'Could not load rows'}
        onRetry={retry}
      />
    );
  }
  if (!meta) {
    return (
      <div className="grid-loading" data-testid="rows-grid" aria-busy="true">
        {Array.from({ length: 10 }, (_, i) => (
          <Skeleton key={i} width="100%" height={18} />
        ))}
      </div>
    );
  }
  if (metaCurrent && meta.total === 0) {
    return (
      <div className="grid-empty" data-testid="rows-grid">
        No rows match this range and filter.
      </div>
    );
  }

  // the rows in view (the rendered ones include the overscan above and below)
  const inView = virtualizer.range;
  const viewMissing = !metaCurrent || items.some((vi) => !cache.peek(`${queryKey}#${Math.floor((base + vi.index) / PAGE_SIZE)}`));
  const sorting = sort && sortingKey === queryKey && viewMissing ? sortingText(sort.column, meta.scope === scopeKey ? meta.total : null) : null;
  const shownFrom = formatInteger(Math.min(base + (inView?.startIndex ?? 0) + 1, meta.total));
  const shownTo = formatInteger(Math.min(base + (inView?.endIndex ?? 0) + 1, meta.total));

  return (
    <div className="grid-wrap">
      {currentError ? <ErrorBox error={currentError} title="Could not load some rows" onRetry={retry} compact /> : null}
      {sorting ? (
        <div className="grid-sorting" data-testid="rows-sorting" role="status">
          <Spinner size={16} label="Sorting" />
          <div>
            <div className="grid-sorting-title">{sorting}</div>
            {meta.scope !== scopeKey || meta.total >= 1_000_000 ? (
              <div className="muted">Big scopes take a few seconds. A shorter date range or a filter sorts faster.</div>
            ) : null}
          </div>
        </div>
      ) : null}
      <div
        className="grid-scroll"
        ref={scrollRef}
        data-testid="rows-grid"
        role="grid"
        aria-rowcount={meta.total + 1}
        aria-colcount={layouts.length + 1}
        aria-label="Cost and usage rows (arrow keys and Page Up/Down scroll; Ctrl+Home/End go to the first or last row)"
        tabIndex={0}
        onKeyDown={onGridKey}
      >
        <div className="grid-inner" style={{ width: totalWidth }}>
          <div className="grid-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
            <div className="grid-cell grid-index" role="columnheader">
              #
            </div>
            <div className="grid-spacer" aria-hidden="true" />
            {shownCols.map(({ c, ci }) => {
              const active = sort?.column === c.name;
              const kind = sortKindOf(c.name);
              const textTooBig = kind === 'text' && meta.total > TEXT_SORT_MAX_ROWS && !active;
              return (
                <div
                  key={c.name}
                  className={`grid-cell grid-th${c.align === 'right' ? ' right' : ''}`}
                  role="columnheader"
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                  aria-colindex={ci + 2}
                  data-column={c.name}
                >
                  {kind === 'none' ? (
                    <span className="th-text" title={`${c.name} holds JSON: it does not sort`}>
                      {c.name}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className={`th-button${textTooBig ? ' th-limited' : ''}`}
                      onClick={() => clickSort(c.name)}
                      title={textTooBig ? `Text sorts need ${formatInteger(TEXT_SORT_MAX_ROWS)} rows or fewer: filter first` : `Sort by ${c.name}`}
                    >
                      <span className="th-text">{c.name}</span>
                      {active ? <Icon name={sort.desc ? 'arrowDown' : 'arrowUp'} size={11} /> : null}
                    </button>
                  )}
                </div>
              );
            })}
            <div className="grid-spacer" aria-hidden="true" />
          </div>
          <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((vi) => {
              const index = base + vi.index;
              const page = metaCurrent ? cache.peek(`${queryKey}#${Math.floor(index / PAGE_SIZE)}`) : undefined;
              const row = page?.rows[index % PAGE_SIZE];
              return (
                // keyed by slot, not by row: paging reuses the row elements and only their text changes
                <GridRow key={vi.index % items.length} index={index} start={vi.start} row={row} cols={shownCols} template={template} />
              );
            })}
          </div>
        </div>
      </div>
      <div className="grid-status" aria-live="polite">
        <span data-testid="rows-range">
          Rows {shownFrom}–{shownTo} of{' '}
          {meta.scope === scopeKey ? (
            <strong className="num" data-testid="rows-total" data-value={meta.total}>
              {formatInteger(meta.total)}
            </strong>
          ) : (
            // another scope's count until this one answers
            <span className="muted">…</span>
          )}
        </span>
        <GoToRow total={meta.total} onGo={goTo} />
        {sort ? (
          <span className="muted" data-testid="rows-sort">
            Sorted by {sort.column} {sort.desc ? '(largest first)' : '(smallest first)'}
          </span>
        ) : null}
        {note ? (
          <span className="warning-text" data-testid="rows-sort-note">
            {note}
          </span>
        ) : null}
        {!metaCurrent && !sorting ? (
          <span className="muted">
            <Spinner size={11} label="Loading rows" /> Loading…
          </span>
        ) : null}
        <span className="muted grid-status-right">{meta.columns.length} columns</span>
      </div>
    </div>
  );
}

/**
 * One row of the grid. Memoized: a scroll step brings one or a few rows into view, and rendering only those (not the
 * forty on screen) keeps each step's work well under a frame at 10M rows.
 */
const GridRow = memo(function GridRow({
  index,
  start,
  row,
  cols,
  template,
}: {
  index: number;
  start: number;
  row: Row | undefined;
  cols: ShownColumn[];
  template: string;
}) {
  return (
    <div
      className={`grid-row${index % 2 ? ' odd' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      style={{ transform: `translateY(${start}px)`, gridTemplateColumns: template, height: ROW_HEIGHT }}
    >
      <div className="grid-cell grid-index num" role="rowheader">
        {formatInteger(index + 1)}
      </div>
      <div className="grid-spacer" aria-hidden="true" />
      {row
        ? cols.map(({ c, ci }) => {
            const v = row[ci];
            const text = cellText(v);
            return (
              <div
                key={c.name}
                className={`grid-cell${c.align === 'right' ? ' right num' : ''}${v === null || v === undefined ? ' null' : ''}`}
                role="gridcell"
                aria-colindex={ci + 2}
                title={text.length > 18 ? text : undefined}
              >
                {v === null || v === undefined ? '—' : text}
              </div>
            );
          })
        : cols.map(({ c, ci }) => (
            <div key={c.name} className="grid-cell" role="gridcell" aria-colindex={ci + 2}>
              <span className="cell-skeleton" />
            </div>
          ))}
      <div className="grid-spacer" aria-hidden="true" />
    </div>
  );
});

function GoToRow({ total, onGo }: { total: number; onGo(row: number): void }) {
  const [text, setText] = useState('');
  return (
    <form
      className="goto-row"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(text.replace(/[\s,._]/g, ''));
        if (Number.isInteger(n) && n >= 1) onGo(n - 1);
      }}
    >
      <label className="muted" htmlFor="goto-row">
        Go to row
      </label>
      <input
        id="goto-row"
        className="input goto-input num"
        inputMode="numeric"
        placeholder={`1–${formatInteger(total)}`}
        data-testid="rows-goto"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}

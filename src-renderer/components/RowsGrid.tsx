// The detail grid: a virtual scroller over `total` rows that fetches only the visible pages (200 rows each)
// and keeps recent pages in a small LRU owned by this component.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApiError, QueryScope, RowsOutput } from '../../src-shared/api/contract';
import { api } from '../api/client';
import { cellText, columnLayout, type ColumnLayout } from '../format/columns';
import { formatInteger } from '../format/money';
import { LruCache, pagesFor } from '../state/lru';
import type { RowsSort } from '../state/rows-sort';
import { ErrorBox, Skeleton, Spinner } from './Feedback';
import { Icon } from './Icon';

export const PAGE_SIZE = 200;
const ROW_HEIGHT = 28;
const INDEX_WIDTH = 72;
/** Browsers cap element heights (~33M px); beyond this many rows, narrow the scope. */
// Pages are cached under `${queryKey}#${page}`, so a new scope or sort never shows old rows.
export const MAX_SCROLL_ROWS = 1_000_000;


type Row = RowsOutput['rows'][number];

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
  const [cache] = useState(() => new LruCache<string, Row[]>(40));
  const [inflight] = useState(() => new Set<string>());
  const [meta, setMeta] = useState<{ key: string; columns: string[]; total: number } | null>(null);
  const [error, setError] = useState<{ key: string; error: ApiError } | null>(null);
  const [, pageArrived] = useReducer((n: number) => n + 1, 0);
  const currentError = error?.key === queryKey ? error.error : null;
  const metaCurrent = meta?.key === queryKey;

  const count = meta ? Math.min(meta.total, MAX_SCROLL_ROWS) : 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const firstPage = Math.floor(firstIndex / PAGE_SIZE);
  const lastPage = Math.floor(lastIndex / PAGE_SIZE);

  // A new scope or sort starts at the top (horizontal position is kept).
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [queryKey]);

  const fetchPage = useCallback(
    async (page: number) => {
      const id = `${queryKey}#${page}`;
      if (cache.has(id) || inflight.has(id)) return;
      inflight.add(id);
      const r = await api.call('explore.rows', {
        ...scope,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(sort ? { sort } : {}),
      });
      inflight.delete(id);
      if (!r.ok) {
        setError({ key: queryKey, error: r.error });
        return;
      }
      cache.set(id, r.value.rows);
      setMeta((m) =>
        m && m.key === queryKey && m.total === r.value.total && m.columns.length === r.value.columns.length
          ? m
          : { key: queryKey, columns: r.value.columns, total: r.value.total },
      );
      pageArrived();
    },
    [cache, inflight, scope, sort, queryKey],
  );

  useEffect(() => {
    if (currentError) return;
    // Until the first page of this query answers, only ask for page 0 (it tells the total).
    const last = metaCurrent ? lastPage : 0;
    const first = metaCurrent ? firstPage : 0;
    for (const p of pagesFor(first * PAGE_SIZE, last * PAGE_SIZE, PAGE_SIZE)) void fetchPage(p);
  }, [firstPage, lastPage, fetchPage, currentError, metaCurrent]);

  const layouts = useMemo<ColumnLayout[]>(() => (meta ? meta.columns.map(columnLayout) : []), [meta]);
  const totalWidth = INDEX_WIDTH + layouts.reduce((w, c) => w + c.width, 0);
  const template = `${INDEX_WIDTH}px ${layouts.map((c) => `${c.width}px`).join(' ')}`;

  const retry = () => {
    inflight.clear();
    setError(null);
  };

  if (currentError && !metaCurrent) return <ErrorBox error={currentError} title="Could not load rows" onRetry={retry} />;
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

  const shownFrom = formatInteger(firstIndex + 1);
  const shownTo = formatInteger(Math.min(lastIndex + 1, meta.total));

  return (
    <div className="grid-wrap">
      {currentError ? <ErrorBox error={currentError} title="Could not load some rows" onRetry={retry} compact /> : null}
      <div
        className="grid-scroll"
        ref={scrollRef}
        data-testid="rows-grid"
        role="grid"
        aria-rowcount={meta.total + 1}
        aria-colcount={layouts.length + 1}
        aria-label="Cost and usage rows"
        tabIndex={0}
      >
        <div className="grid-inner" style={{ width: totalWidth }}>
          <div className="grid-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
            <div className="grid-cell grid-index" role="columnheader">
              #
            </div>
            {layouts.map((c) => {
              const active = sort?.column === c.name;
              return (
                <div
                  key={c.name}
                  className={`grid-cell grid-th${c.align === 'right' ? ' right' : ''}`}
                  role="columnheader"
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="th-button" onClick={() => onSort(c.name)} title={`Sort by ${c.name}`}>
                    <span className="th-text">{c.name}</span>
                    {active ? <Icon name={sort.desc ? 'arrowDown' : 'arrowUp'} size={11} /> : null}
                  </button>
                </div>
              );
            })}
          </div>
          <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((vi) => {
              const page = metaCurrent ? cache.peek(`${queryKey}#${Math.floor(vi.index / PAGE_SIZE)}`) : undefined;
              const row = page?.[vi.index % PAGE_SIZE];
              return (
                <div
                  key={vi.key}
                  className={`grid-row${vi.index % 2 ? ' odd' : ''}`}
                  role="row"
                  aria-rowindex={vi.index + 2}
                  style={{ transform: `translateY(${vi.start}px)`, gridTemplateColumns: template, height: ROW_HEIGHT }}
                >
                  <div className="grid-cell grid-index num" role="rowheader">
                    {formatInteger(vi.index + 1)}
                  </div>
                  {row
                    ? layouts.map((c, ci) => {
                        const v = row[ci];
                        const text = cellText(v);
                        return (
                          <div
                            key={c.name}
                            className={`grid-cell${c.align === 'right' ? ' right num' : ''}${v === null || v === undefined ? ' null' : ''}`}
                            role="gridcell"
                            title={text.length > 18 ? text : undefined}
                          >
                            {v === null || v === undefined ? '—' : text}
                          </div>
                        );
                      })
                    : layouts.map((c) => (
                        <div key={c.name} className="grid-cell" role="gridcell">
                          <span className="cell-skeleton" />
                        </div>
                      ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <div className="grid-status" aria-live="polite">
        <span>
          Rows {shownFrom}–{shownTo} of <strong className="num">{formatInteger(meta.total)}</strong>
        </span>
        {meta.total > MAX_SCROLL_ROWS ? (
          <span className="warning-text">
            Scrolling shows the first {formatInteger(MAX_SCROLL_ROWS)} rows — narrow the range or add filters to see the rest.
          </span>
        ) : null}
        {!metaCurrent ? (
          <span className="muted">
            <Spinner size={11} label="Loading rows" /> Loading…
          </span>
        ) : null}
        <span className="muted grid-status-right">{meta.columns.length} columns</span>
      </div>
    </div>
  );
}

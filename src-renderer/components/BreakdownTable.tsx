// Amount per value of the group-by dimension; sortable; a row click keeps only that value (adds a filter).
import { useMemo, useState } from 'react';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import type { ApiError, QueryOutput } from '../../src-shared/api/contract';
import { OTHER, valueLabel } from '../format/labels';
import { formatMoney, formatPercent, share } from '../format/money';
import { isFilteredTo } from '../state/filters';
import { useExplore } from '../state/explore-store';
import { ErrorBox, Skeleton } from './Feedback';
import { Icon } from './Icon';

interface BreakdownRow {
  value: string | null;
  amount: number;
  share: number | null;
}

const helper = createColumnHelper<BreakdownRow>();

export function toBreakdownRows(out: QueryOutput, column: string): BreakdownRow[] {
  return out.rows.map((r) => {
    const raw = r[column];
    const v = typeof r.value === 'number' ? r.value : Number(r.value ?? 0);
    return {
      value: raw === null || raw === undefined ? null : String(raw),
      amount: Number.isFinite(v) ? v : 0,
      share: share(Number.isFinite(v) ? v : 0, out.total),
    };
  });
}

export function BreakdownTable({
  column,
  columnTitle,
  output,
  loading,
  error,
  onRetry,
  colors,
}: {
  column: string;
  columnTitle: string;
  output: QueryOutput | undefined;
  loading: boolean;
  error: ApiError | undefined;
  onRetry: () => void;
  colors: Map<string | null, string>;
}) {
  const addFilter = useExplore((s) => s.addFilter);
  const filters = useExplore((s) => s.filters);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'amount', desc: true }]);
  const data = useMemo(() => (output ? toBreakdownRows(output, column) : []), [output, column]);
  const currency = output?.currency ?? null;
  const maxShare = useMemo(() => Math.max(0, ...data.map((d) => Math.abs(d.share ?? 0))), [data]);

  const columns = useMemo(
    () => [
      helper.accessor((r) => valueLabel(r.value), {
        id: 'name',
        header: columnTitle,
        sortingFn: 'alphanumeric',
        cell: (c) => {
          const r = c.row.original;
          const isOther = r.value === OTHER;
          return (
            <span className="bd-name">
              <span
                className="swatch"
                style={{ background: colors.get(r.value) ?? 'transparent', borderColor: colors.has(r.value) ? 'transparent' : undefined }}
                aria-hidden="true"
              />
              <span className={`bd-label${r.value === null || isOther ? ' muted' : ''}`} title={valueLabel(r.value)}>
                {valueLabel(r.value)}
              </span>
              {!isOther ? (
                <span className="bd-actions">
                  <button
                    type="button"
                    className="mini-button"
                    aria-label={`Filter to ${valueLabel(r.value)}`}
                    title="Keep only this value"
                    onClick={(e) => {
                      e.stopPropagation();
                      addFilter(column, r.value);
                    }}
                  >
                    <Icon name="filter" size={12} />
                  </button>
                  <button
                    type="button"
                    className="mini-button"
                    aria-label={`Exclude ${valueLabel(r.value)}`}
                    title="Exclude this value"
                    onClick={(e) => {
                      e.stopPropagation();
                      addFilter(column, r.value, true);
                    }}
                  >
                    ≠
                  </button>
                </span>
              ) : null}
            </span>
          );
        },
      }),
      helper.accessor('amount', {
        header: 'Amount',
        cell: (c) => <span className="num">{formatMoney(c.getValue(), currency)}</span>,
      }),
      helper.accessor((r) => r.share ?? 0, {
        id: 'share',
        header: 'Share',
        cell: (c) => {
          const s = c.row.original.share;
          const w = maxShare > 0 && s !== null ? (Math.abs(s) / maxShare) * 100 : 0;
          return (
            <span className="bd-share">
              <span className="share-bar" aria-hidden="true">
                <span className={`share-fill${s !== null && s < 0 ? ' negative' : ''}`} style={{ width: `${w}%` }} />
              </span>
              <span className="num share-text">{formatPercent(s)}</span>
            </span>
          );
        },
      }),
    ],
    [columnTitle, colors, currency, maxShare, addFilter, column],
  );

  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  if (error) {
    return (
      <div className="panel-pad">
        <ErrorBox error={error} title="Could not load the breakdown" onRetry={onRetry} />
      </div>
    );
  }

  return (
    <div className={`breakdown${loading && output ? ' refreshing' : ''}`} aria-busy={loading}>
      <div className="table-scroll">
        <table className="table breakdown-table" data-testid="breakdown-table">
          <thead>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  return (
                    <th
                      key={h.id}
                      className={`col-${h.column.id}`}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                    >
                      <button type="button" className="th-button" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span className="sort-indicator" aria-hidden="true">
                          {sorted === 'asc' ? <Icon name="arrowUp" size={11} /> : sorted === 'desc' ? <Icon name="arrowDown" size={11} /> : null}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {!output ? (
              Array.from({ length: 6 }, (_, i) => (
                <tr key={i} className="skeleton-row">
                  <td>
                    <Skeleton width={`${60 - i * 6}%`} />
                  </td>
                  <td>
                    <Skeleton width="70%" />
                  </td>
                  <td>
                    <Skeleton width="80%" />
                  </td>
                </tr>
              ))
            ) : data.length === 0 ? (
              <tr>
                <td colSpan={3} className="table-empty">
                  No rows match this range and filter.
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => {
                const r = row.original;
                const clickable = r.value !== OTHER && !isFilteredTo(filters, column, r.value);
                return (
                  <tr
                    key={row.id}
                    className={clickable ? 'clickable' : undefined}
                    data-value={r.value ?? ''}
                    onClick={clickable ? () => addFilter(column, r.value) : undefined}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id} className={`col-${cell.column.id}`}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
          {output && data.length > 0 ? (
            <tfoot>
              <tr>
                <td>
                  Total <span className="muted">· {data.length.toLocaleString()} {data.length === 1 ? 'value' : 'values'}</span>
                </td>
                <td className="col-amount">
                  <span className="num">{formatMoney(output.total, currency)}</span>
                </td>
                <td className="col-share">
                  <span className="num share-text">100%</span>
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </div>
  );
}

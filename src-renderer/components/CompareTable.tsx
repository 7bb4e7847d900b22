// Values of the compared dimension with A, B, the change and its six parts; sortable. A value (its name is a button,
// so the keyboard reaches it) drills in; the engine's "(other)" row and the total stay below the sorted rows.
import { useMemo, useState } from 'react';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import type { CompareLine, CompareOutput, CompareRow } from '../../src-shared/api/contract';
import { direction, PARTS, signedMoney } from '../format/compare-parts';
import { OTHER, valueLabel } from '../format/labels';
import { formatInteger, formatMoney } from '../format/money';
import { Icon } from './Icon';

const helper = createColumnHelper<CompareRow>();

function Money({ v, currency, signed, testId }: { v: number; currency: string | null; signed?: boolean; testId?: string }) {
  const d = direction(v);
  return (
    <span className={`num${d === 'flat' ? ' cmp-zero' : ''}`} data-testid={testId} data-value={String(v)}>
      {signed ? signedMoney(v, currency) : formatMoney(v, currency)}
    </span>
  );
}

function Change({ line, currency, testId }: { line: CompareLine; currency: string | null; testId?: string }) {
  return (
    <span className={`cmp-change ${direction(line.change)}`}>
      <Money v={line.change} currency={currency} signed testId={testId} />
    </span>
  );
}

/** What a row says about items (resources × pricing unit) that came or went: "new in B", "2 new, 1 removed". */
function churn(r: CompareLine): string | null {
  if (r.a === 0 && r.newItems > 0 && r.removedItems === 0) return 'new in B';
  if (r.b === 0 && r.removedItems > 0 && r.newItems === 0) return 'gone in B';
  const parts = [r.newItems > 0 ? `${formatInteger(r.newItems)} new` : '', r.removedItems > 0 ? `${formatInteger(r.removedItems)} removed` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function CompareTable({
  output,
  columnTitle,
  onPick,
  drillHint,
}: {
  output: CompareOutput;
  columnTitle: string;
  /** A value row was chosen (click, Enter on its name). */
  onPick: (value: string | null) => void;
  drillHint: string;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const rows = useMemo(() => output.rows.filter((r) => r.value !== OTHER || r.values === undefined), [output]);
  const other = output.rows.find((r) => r.value === OTHER && r.values !== undefined);
  const single = output.currency;
  const cur = (r: CompareRow) => single ?? r.currency;

  const columns = useMemo(
    () => [
      helper.accessor((r) => valueLabel(r.value), {
        id: 'value',
        header: columnTitle,
        sortingFn: 'alphanumeric',
        cell: (c) => {
          const r = c.row.original;
          const note = churn(r);
          return (
            <span className="cmp-value">
              <button
                type="button"
                className={`cmp-value-button${r.value === null ? ' muted' : ''}`}
                title={`${valueLabel(r.value)} — ${drillHint}`}
                onClick={(e) => {
                  e.stopPropagation();
                  onPick(r.value);
                }}
              >
                {valueLabel(r.value)}
              </button>
              {note ? <span className="cmp-churn">{note}</span> : null}
            </span>
          );
        },
      }),
      helper.accessor('a', { header: 'A', cell: (c) => <Money v={c.getValue()} currency={cur(c.row.original)} /> }),
      helper.accessor('b', { header: 'B', cell: (c) => <Money v={c.getValue()} currency={cur(c.row.original)} /> }),
      helper.accessor('change', { header: 'Change', cell: (c) => <Change line={c.row.original} currency={cur(c.row.original)} /> }),
      ...PARTS.map((p) =>
        helper.accessor((r) => r.parts[p.id], {
          id: p.id,
          header: () => <span title={p.hint}>{p.label}</span>,
          cell: (c) => <Money v={c.getValue()} currency={cur(c.row.original)} signed />,
        }),
      ),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columnTitle, single, onPick, drillHint],
  );

  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  const lineCells = (l: CompareLine, currency: string | null, testPrefix?: string) => (
    <>
      <td className="col-a">
        <Money v={l.a} currency={currency} testId={testPrefix ? `${testPrefix}-a` : undefined} />
      </td>
      <td className="col-b">
        <Money v={l.b} currency={currency} testId={testPrefix ? `${testPrefix}-b` : undefined} />
      </td>
      <td className="col-change">
        <Change line={l} currency={currency} testId={testPrefix ? `${testPrefix}-change` : undefined} />
      </td>
      {PARTS.map((p) => (
        <td key={p.id} className={`col-${p.id}`}>
          <Money v={l.parts[p.id]} currency={currency} signed testId={testPrefix ? `${testPrefix}-${p.id}` : undefined} />
        </td>
      ))}
    </>
  );

  return (
    <div className="table-scroll cmp-table-scroll">
      <table className="table cmp-table" data-testid="compare-table">
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                return (
                  <th key={h.id} className={`col-${h.column.id}`} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
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
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="clickable" data-value={row.original.value ?? ''} onClick={() => onPick(row.original.value)}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={`col-${cell.column.id}`}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
          {other ? (
            <tr className="cmp-other" data-value={OTHER}>
              <td className="col-value">
                <span className="muted">All others · {formatInteger(other.values ?? 0)} values</span>
              </td>
              {lineCells(other, cur(other))}
            </tr>
          ) : null}
        </tbody>
        {output.total ? (
          <tfoot>
            <tr data-testid="compare-total-row">
              <td className="col-value">
                Total <span className="muted">· {formatInteger(output.rows.reduce((n, r) => n + (r.values ?? 1), 0))} values</span>
              </td>
              {lineCells(output.total, output.currency, 'total')}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

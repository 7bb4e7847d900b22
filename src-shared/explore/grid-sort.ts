// Which detail-grid columns sort, and how. The engine keeps one ordering of the whole scope per sort (see
// src-main/explore/rows.ts): numbers, dates and money sort as stored integers/reals at any size; text sorts by its
// value, which costs a dictionary lookup and a string comparison per row, so only small scopes may sort by text.

/** Largest scope (rows) that may be sorted by a text column. */
export const TEXT_SORT_MAX_ROWS = 200_000;

export type GridSortKind = 'number' | 'text' | 'none';

/** Grid columns that are not FOCUS columns: the file a row came from and its data row number there. */
export const SOURCE_COLUMNS = ['SourceFile', 'SourceRow'] as const;

/**
 * How a grid column sorts. `type` is the FOCUS catalog data type of the column (undefined for unknown columns).
 * SourceFile sorts as a number: files are ranked by name once, so rows compare by (rank, row).
 */
export function gridSortKind(column: string, type: 'String' | 'Date/Time' | 'Decimal' | 'JSON' | undefined): GridSortKind {
  if (column === 'SourceFile' || column === 'SourceRow') return 'number';
  if (type === 'Decimal' || type === 'Date/Time') return 'number';
  if (type === 'String') return 'text';
  return 'none';
}

export function textSortRefusal(columnLabel: string, rows: number): string {
  return `Sorting by ${columnLabel} compares text and is limited to ${TEXT_SORT_MAX_ROWS.toLocaleString('en-US')} rows; this view has ${rows.toLocaleString('en-US')}. Narrow the dates or add filters, or sort by a number or date column.`;
}

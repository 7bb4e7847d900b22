export interface RowsSort {
  column: string;
  desc: boolean;
}

/** Header click cycle: another column → descending; descending → ascending; ascending → unsorted. */
export function nextSort(current: RowsSort | null, column: string): RowsSort | null {
  if (!current || current.column !== column) return { column, desc: true };
  if (current.desc) return { column, desc: false };
  return null;
}

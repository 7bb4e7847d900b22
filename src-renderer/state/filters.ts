// Pure operations on the filter list of the explore scope.
import type { Filter } from '../../src-shared/api/contract';

/** Add `value` to the include (or exclude) filter on `column`, creating it when absent. */
export function addFilterValue(filters: readonly Filter[], column: string, value: string | null, exclude = false): Filter[] {
  const i = filters.findIndex((f) => f.column === column && !!f.exclude === exclude);
  if (i < 0) return [...filters, exclude ? { column, values: [value], exclude: true } : { column, values: [value] }];
  const f = filters[i]!;
  if (f.values.includes(value)) return [...filters];
  const next = [...filters];
  next[i] = { ...f, values: [...f.values, value] };
  return next;
}

export function removeFilterAt(filters: readonly Filter[], index: number): Filter[] {
  return filters.filter((_, i) => i !== index);
}

/** Remove one value of a filter; the filter goes away with its last value. */
export function removeFilterValue(filters: readonly Filter[], index: number, value: string | null): Filter[] {
  const f = filters[index];
  if (!f) return [...filters];
  const values = f.values.filter((v) => v !== value);
  if (values.length === 0) return removeFilterAt(filters, index);
  const next = [...filters];
  next[index] = { ...f, values };
  return next;
}

export function toggleExcludeAt(filters: readonly Filter[], index: number): Filter[] {
  const f = filters[index];
  if (!f) return [...filters];
  const next = [...filters];
  if (f.exclude) {
    const { exclude: _dropped, ...rest } = f;
    next[index] = rest;
  } else {
    next[index] = { ...f, exclude: true };
  }
  return next;
}

/** True when `value` on `column` is already kept by an include filter. */
export function isFilteredTo(filters: readonly Filter[], column: string, value: string | null): boolean {
  return filters.some((f) => f.column === column && !f.exclude && f.values.includes(value));
}

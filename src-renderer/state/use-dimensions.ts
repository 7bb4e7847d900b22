import { useMemo } from 'react';
import type { Dimension } from '../../src-shared/api/contract';
import { useApi } from './use-api';

export interface DimensionsState {
  list: Dimension[];
  labels: ReadonlyMap<string, string>;
  loading: boolean;
  error: ReturnType<typeof useApi<'explore.dimensions'>>['error'];
  reload(): void;
}

/** Columns and tag keys one can group and filter by, plus a column → label map. */
export function useDimensions(): DimensionsState {
  const q = useApi('explore.dimensions', {});
  const list = useMemo(() => q.data ?? [], [q.data]);
  const labels = useMemo(() => new Map(list.map((d) => [d.column, d.label])), [list]);
  return { list, labels, loading: q.loading, error: q.error, reload: q.reload };
}

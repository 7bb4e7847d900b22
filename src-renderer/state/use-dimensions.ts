import { useEffect, useMemo } from 'react';
import type { Dimension } from '../../src-shared/api/contract';
import { useApp } from './app-store';
import { useApi } from './use-api';

export interface DimensionsState {
  list: Dimension[];
  labels: ReadonlyMap<string, string>;
  loading: boolean;
  error: ReturnType<typeof useApi<'explore.dimensions'>>['error'];
  reload(): void;
}

// The latest answer, for the data version it answers. A component mounted later (a dialog, a screen) reads it at
// once instead of asking again and showing raw column ids until its own answer comes: a label arriving under the
// user's cursor once replaced a name being typed.
let known: { dataVersion: number; list: Dimension[] } | null = null;

/** Columns and tag keys one can group and filter by, plus a column → label map. */
export function useDimensions(): DimensionsState {
  const dataVersion = useApp((s) => s.dataVersion);
  const cached = known?.dataVersion === dataVersion ? known.list : undefined;
  const q = useApi('explore.dimensions', cached ? null : {});
  useEffect(() => {
    if (q.data && !q.loading && !q.error) known = { dataVersion, list: q.data };
  }, [q.data, q.loading, q.error, dataVersion]);
  // while a new version loads, the previous answer stands in (labels rarely change)
  const list = useMemo(() => cached ?? q.data ?? known?.list ?? [], [cached, q.data]);
  const labels = useMemo(() => new Map(list.map((d) => [d.column, d.label])), [list]);
  return { list, labels, loading: !cached && q.loading, error: cached ? undefined : q.error, reload: q.reload };
}

// The pivot's data: one explore.query per level (grouped by the first 1, 2, 3 levels) for the metric, plus ListCost
// and EffectiveCost per level when savings are shown. Deeper levels are asked for only once a row above is expanded.
import { useMemo } from 'react';
import type { ApiError, Input, Metric, QueryScope } from '../../src-shared/api/contract';
import { buildPivotTree, type PivotLevelData, type PivotTree } from '../format/pivot-tree';
import { useApi } from './use-api';

/** Children kept per parent at each depth; the rest are summed as "(other)". */
export const PIVOT_TOPS = [50, 15, 10] as const;
/** The engine returns at most this many groups per level (its own "(other)" beyond; the tree shows it as a rest). */
const LEVEL_CAP = 10_000;

export interface PivotData {
  tree: PivotTree | undefined;
  loading: boolean;
  error: ApiError | undefined;
  reload(): void;
}

function levelInput(scope: QueryScope, levels: readonly string[], depth: number, metric: Metric, wanted: boolean): Input<'explore.query'> | null {
  if (!wanted || depth >= levels.length) return null;
  return { ...scope, groupBy: levels.slice(0, depth + 1), metric, top: LEVEL_CAP };
}

/** `open[d]`: some row at depth d-1 is expanded (so level d is needed); level 0 is always needed. */
export function usePivot(scope: QueryScope, levels: readonly string[], metric: Metric, withSavings: boolean, open: readonly boolean[]): PivotData {
  const want = (d: number) => d === 0 || Boolean(open[d]);
  const extra = (d: number, m: Metric) => withSavings && want(d) && m !== metric;
  // a fixed number of hooks: three levels × (metric, list, effective)
  const m0 = useApi('explore.query', levelInput(scope, levels, 0, metric, true));
  const m1 = useApi('explore.query', levelInput(scope, levels, 1, metric, want(1)));
  const m2 = useApi('explore.query', levelInput(scope, levels, 2, metric, want(2)));
  const l0 = useApi('explore.query', levelInput(scope, levels, 0, 'ListCost', extra(0, 'ListCost')));
  const l1 = useApi('explore.query', levelInput(scope, levels, 1, 'ListCost', extra(1, 'ListCost')));
  const l2 = useApi('explore.query', levelInput(scope, levels, 2, 'ListCost', extra(2, 'ListCost')));
  const e0 = useApi('explore.query', levelInput(scope, levels, 0, 'EffectiveCost', extra(0, 'EffectiveCost')));
  const e1 = useApi('explore.query', levelInput(scope, levels, 1, 'EffectiveCost', extra(1, 'EffectiveCost')));
  const e2 = useApi('explore.query', levelInput(scope, levels, 2, 'EffectiveCost', extra(2, 'EffectiveCost')));
  const ms = [m0, m1, m2];
  const ls = [l0, l1, l2];
  const es = [e0, e1, e2];

  // an answer counts only when it was asked with the current levels (stale ones stay out of the tree)
  const levelsKey = levels.join('\u0001');
  // …and with the scope of the first level's answer, so a tree never mixes two scopes while the next one loads
  const scopeOf = (q: typeof m0) => JSON.stringify([q.dataInput?.from, q.dataInput?.to, q.dataInput?.filters]);
  const scope0 = scopeOf(m0);
  const fits = (q: typeof m0, d: number, m: Metric) =>
    q.data !== undefined &&
    q.dataInput?.groupBy?.join('\u0001') === levels.slice(0, d + 1).join('\u0001') &&
    q.dataInput?.metric === m &&
    scopeOf(q) === scope0;
  const datas = [0, 1, 2].map((d): PivotLevelData | undefined => {
    if (d >= levels.length) return undefined;
    const mq = ms[d]!;
    if (!fits(mq, d, metric)) return undefined;
    if (!withSavings) return { metric: mq.data! };
    const list = metric === 'ListCost' ? mq : ls[d]!;
    const eff = metric === 'EffectiveCost' ? mq : es[d]!;
    if (!fits(list, d, 'ListCost') || !fits(eff, d, 'EffectiveCost')) return undefined;
    return { metric: mq.data!, list: list.data!, effective: eff.data! };
  });
  const tree = useMemo(
    () => (datas[0] ? buildPivotTree(levels, datas, PIVOT_TOPS, withSavings) : undefined),
    // the answers (each new one is a new object) and what they are read with
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [levelsKey, withSavings, metric, scope0, m0.data, m1.data, m2.data, l0.data, l1.data, l2.data, e0.data, e1.data, e2.data],
  );
  const all = [...ms, ...ls, ...es];
  const error = all.find((q) => q.error)?.error;
  return {
    tree,
    loading: all.some((q) => q.loading),
    error,
    reload: () => all.forEach((q) => q.error && q.reload()),
  };
}

// Date range, metric, granularity and group-by controls for the explore scope.
import { useShallow } from 'zustand/react/shallow';
import type { Dimension, Granularity, Metric, WorkspaceInfo } from '../../src-shared/api/contract';
import { columnLabel } from '../format/labels';
import { useExplore } from '../state/explore-store';
import { DateRangeControl } from './DateRangeControl';
import { Segmented } from './Segmented';

export const METRICS: Array<{ id: Metric; label: string; hint: string }> = [
  { id: 'BilledCost', label: 'Billed cost', hint: 'What the invoice charges' },
  { id: 'EffectiveCost', label: 'Effective cost', hint: 'Amortized cost after discounts and commitments' },
  { id: 'ListCost', label: 'List cost', hint: 'At public list prices' },
  { id: 'ContractedCost', label: 'Contracted cost', hint: 'At negotiated prices' },
];

export function metricLabel(m: Metric): string {
  return METRICS.find((x) => x.id === m)?.label ?? m;
}

export function ControlsBar({ workspace, dimensions }: { workspace: WorkspaceInfo; dimensions: Dimension[] }) {
  const s = useExplore(
    useShallow((st) => ({
      metric: st.metric,
      granularity: st.granularity,
      groupBy: st.groupBy,
      setMetric: st.setMetric,
      setGranularity: st.setGranularity,
      setGroupLevel: st.setGroupLevel,
    })),
  );
  const focusDims = dimensions.filter((d) => d.kind === 'focus');
  const tagDims = dimensions.filter((d) => d.kind === 'tag');
  const groupKnown = dimensions.some((d) => d.column === s.groupBy[0]);

  return (
    <div className="controls" aria-label="Explore controls" role="group">
      <DateRangeControl workspace={workspace} />

      <div className="control">
        <label className="control-label" htmlFor="metric-select">
          Metric
        </label>
        <select
          id="metric-select"
          className="select"
          data-testid="metric-select"
          value={s.metric}
          onChange={(e) => s.setMetric(e.target.value as Metric)}
        >
          {METRICS.map((m) => (
            <option key={m.id} value={m.id} title={m.hint}>
              {m.label}
            </option>
          ))}
        </select>
      </div>

      <div className="control">
        <span className="control-label" id="granularity-label">
          Granularity
        </span>
        <Segmented<Granularity>
          options={[
            ['day', 'Daily'],
            ['month', 'Monthly'],
          ]}
          value={s.granularity}
          onChange={s.setGranularity}
          labelledBy="granularity-label"
          testId="granularity"
        />
      </div>

      <div className="control">
        <label className="control-label" htmlFor="group-by-select">
          Group by
        </label>
        <select
          id="group-by-select"
          className="select"
          data-testid="group-by-select"
          value={s.groupBy[0]}
          onChange={(e) => s.setGroupLevel(0, e.target.value)}
        >
          {!groupKnown ? <option value={s.groupBy[0]}>{columnLabel(s.groupBy[0] ?? '')}</option> : null}
          <optgroup label="FOCUS columns">
            {focusDims.map((d) => (
              <option key={d.column} value={d.column}>
                {d.label}
              </option>
            ))}
          </optgroup>
          {tagDims.length > 0 ? (
            <optgroup label="Tags">
              {tagDims.map((d) => (
                <option key={d.column} value={d.column}>
                  {d.label}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
    </div>
  );
}

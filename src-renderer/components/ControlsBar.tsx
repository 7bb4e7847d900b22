// Date range, metric, granularity and group-by controls for the explore scope.
import { useShallow } from 'zustand/react/shallow';
import type { Dimension, Granularity, Metric, WorkspaceInfo } from '../../src-shared/api/contract';
import { useExplore } from '../state/explore-store';
import { DateRangeControl } from './DateRangeControl';
import { GroupByPicker } from './GroupByPicker';
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
      setMetric: st.setMetric,
      setGranularity: st.setGranularity,
    })),
  );

  return (
    <div className="controls" aria-label="Explore controls" role="group">
      <DateRangeControl workspace={workspace} />

      <div className="control">
        <label className="control-label" htmlFor="metric-select">
          Cost basis
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
            ['week', 'Weekly'],
            ['month', 'Monthly'],
          ]}
          value={s.granularity}
          onChange={s.setGranularity}
          labelledBy="granularity-label"
          testId="granularity"
        />
      </div>

      <GroupByPicker dimensions={dimensions} />
    </div>
  );
}

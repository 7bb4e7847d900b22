// Date range: presets relative to the workspace's data plus from/to day inputs.
import { useShallow } from 'zustand/react/shallow';
import type { WorkspaceInfo } from '../../src-shared/api/contract';
import { matchPreset, PRESETS, presetRange, suggestGranularity, type PresetId } from '../format/dates';
import { useExplore } from '../state/explore-store';

export function DateRangeControl({ workspace, adjustGranularity = true }: { workspace: WorkspaceInfo; adjustGranularity?: boolean }) {
  const s = useExplore(
    useShallow((st) => ({ from: st.from, to: st.to, setRange: st.setRange, setGranularity: st.setGranularity })),
  );
  const span = { firstDay: workspace.firstDay, lastDay: workspace.lastDay };
  const choice = matchPreset({ from: s.from, to: s.to }, span);

  const applyPreset = (id: PresetId) => {
    const r = presetRange(id, span);
    s.setRange(r.from, r.to);
    if (adjustGranularity) s.setGranularity(suggestGranularity(r, span));
  };

  const setDay = (which: 'from' | 'to', value: string) => {
    let from = which === 'from' ? value || undefined : s.from;
    let to = which === 'to' ? value || undefined : s.to;
    if (from && to && from > to) [from, to] = [to, from];
    s.setRange(from, to);
  };

  return (
    <div className="control">
      <label className="control-label" htmlFor="range-preset">
        Range
      </label>
      <div className="control-row">
        <select
          id="range-preset"
          className="select"
          data-testid="range-preset"
          value={choice}
          onChange={(e) => {
            if (e.target.value !== 'custom') applyPreset(e.target.value as PresetId);
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom" disabled={choice !== 'custom'}>
            Custom
          </option>
        </select>
        <input
          type="date"
          className="input date"
          aria-label="From date"
          data-testid="range-from"
          value={s.from ?? workspace.firstDay ?? ''}
          min={workspace.firstDay ?? undefined}
          max={s.to ?? workspace.lastDay ?? undefined}
          onChange={(e) => setDay('from', e.target.value)}
        />
        <span className="range-dash" aria-hidden="true">
          –
        </span>
        <input
          type="date"
          className="input date"
          aria-label="To date"
          data-testid="range-to"
          value={s.to ?? workspace.lastDay ?? ''}
          min={s.from ?? workspace.firstDay ?? undefined}
          max={workspace.lastDay ?? undefined}
          onChange={(e) => setDay('to', e.target.value)}
        />
      </div>
    </div>
  );
}

// The active filters as removable chips; "=" / "≠" toggles include/exclude.
import { useShallow } from 'zustand/react/shallow';
import { columnLabel, valueLabel } from '../format/labels';
import { useExplore } from '../state/explore-store';
import { FilterPicker } from './FilterPicker';
import { Icon } from './Icon';

export function FilterChips({
  labels,
  emptyHint = 'No filters — add one, or use a breakdown row’s filter buttons.',
}: {
  labels: ReadonlyMap<string, string>;
  emptyHint?: string;
}) {
  const { filters, removeFilter, removeFilterValue, toggleExclude, clearFilters } = useExplore(
    useShallow((s) => ({
      filters: s.filters,
      removeFilter: s.removeFilter,
      removeFilterValue: s.removeFilterValue,
      toggleExclude: s.toggleExclude,
      clearFilters: s.clearFilters,
    })),
  );
  if (filters.length === 0) {
    return (
      <div className="chips chips-empty" data-testid="filter-chips">
        <Icon name="filter" size={13} />
        <span>{emptyHint}</span>
        <FilterPicker />
      </div>
    );
  }
  return (
    <div className="chips" data-testid="filter-chips" role="list" aria-label="Active filters">
      <Icon name="filter" size={13} />
      {filters.map((f, i) => {
        const col = columnLabel(f.column, labels);
        return (
          <span key={`${f.column}-${i}`} className={`chip${f.exclude ? ' exclude' : ''}`} role="listitem" data-testid="filter-chip">
            <span className="chip-column">{col}</span>
            <button
              type="button"
              className="chip-op"
              title={f.exclude ? 'Excluding these values — click to keep only them' : 'Keeping only these values — click to exclude them'}
              aria-label={`${col}: ${f.exclude ? 'excluding' : 'including'}. Switch to ${f.exclude ? 'including' : 'excluding'}`}
              onClick={() => toggleExclude(i)}
            >
              {f.exclude ? '≠' : '='}
            </button>
            {f.values.map((v, j) => (
              <span key={`${String(v)}-${j}`} className="chip-value">
                {valueLabel(v)}
                {f.values.length > 1 ? (
                  <button
                    type="button"
                    className="chip-value-x"
                    aria-label={`Remove ${valueLabel(v)} from ${col} filter`}
                    onClick={() => removeFilterValue(i, v)}
                  >
                    <Icon name="x" size={10} />
                  </button>
                ) : null}
              </span>
            ))}
            <button type="button" className="chip-x" aria-label={`Remove ${col} filter`} onClick={() => removeFilter(i)}>
              <Icon name="x" size={12} />
            </button>
          </span>
        );
      })}
      <FilterPicker />
      {filters.length > 1 ? (
        <button type="button" className="link-button small" onClick={clearFilters}>
          Clear all
        </button>
      ) : null}
    </div>
  );
}

// The pivot's levels: one picker per level (1–3), outermost first; add a level, remove one.
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Dimension } from '../../src-shared/api/contract';
import { DimensionOptions } from './DimensionOptions';
import { columnLabel } from '../format/labels';
import { MAX_GROUP_LEVELS, useExplore } from '../state/explore-store';
import { Icon } from './Icon';

/** A new level: the first of these not used yet, else the first dimension not used. */
const NEXT_LEVEL = ['RegionId', 'SubAccountName', 'ChargeCategory', 'ServiceCategory', 'ServiceName', 'ServiceProviderName', 'ResourceId'];

export function nextLevel(used: readonly string[], dimensions: readonly Dimension[]): string | undefined {
  const known = new Set(dimensions.map((d) => d.column));
  return NEXT_LEVEL.find((c) => !used.includes(c) && (known.size === 0 || known.has(c))) ?? dimensions.find((d) => !used.includes(d.column))?.column;
}

export function GroupByPicker({ dimensions }: { dimensions: Dimension[] }) {
  const s = useExplore(
    useShallow((st) => ({ groupBy: st.groupBy, setGroupLevel: st.setGroupLevel, addGroupLevel: st.addGroupLevel, removeGroupLevel: st.removeGroupLevel })),
  );
  const rowRef = useRef<HTMLDivElement>(null);
  const focusLevel = (i: number) => requestAnimationFrame(() => rowRef.current?.querySelector<HTMLElement>(`[data-level="${i}"]`)?.focus());
  const next = nextLevel(s.groupBy, dimensions);

  return (
    <div className="control">
      <span className="control-label" id="group-by-label">
        Group by
      </span>
      <div className="control-row group-levels" ref={rowRef} role="group" aria-labelledby="group-by-label">
        {s.groupBy.map((column, i) => (
          <span key={i} className="group-level">
            {i > 0 ? (
              <span className="group-sep" aria-hidden="true">
                ›
              </span>
            ) : null}
            <select
              className="select"
              data-level={i}
              data-testid={i === 0 ? 'group-by-select' : `group-by-select-${i}`}
              aria-label={`Group by, level ${i + 1}`}
              value={column}
              onChange={(e) => s.setGroupLevel(i, e.target.value)}
            >
              <DimensionOptions dimensions={dimensions} current={column} />
            </select>
            {s.groupBy.length > 1 ? (
              <button
                type="button"
                className="mini-button level-remove"
                data-testid={`group-by-remove-${i}`}
                aria-label={`Remove level ${i + 1} (${columnLabel(column)})`}
                title="Remove this level"
                onClick={() => {
                  s.removeGroupLevel(i);
                  focusLevel(Math.max(0, i - 1));
                }}
              >
                <Icon name="x" size={11} />
              </button>
            ) : null}
          </span>
        ))}
        {s.groupBy.length < MAX_GROUP_LEVELS && next ? (
          <button
            type="button"
            className="button small ghost level-add"
            data-testid="group-by-add"
            title={`Nest another level under ${columnLabel(s.groupBy[s.groupBy.length - 1] ?? '')}`}
            onClick={() => {
              s.addGroupLevel(next);
              focusLevel(s.groupBy.length);
            }}
          >
            <Icon name="plus" size={12} /> Level
          </button>
        ) : null}
      </div>
    </div>
  );
}

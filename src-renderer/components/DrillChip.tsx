// Says where the rows on screen were drilled from; × restores the scope from before the drill, Back also returns to
// the screen drilled from.
import { leaveDrill, useDrill } from '../state/drill';
import { Icon } from './Icon';

const VIEW_NAMES: Record<string, string> = { overview: 'Overview', datasets: 'Invoices', conformance: 'Conformance', import: 'Import' };

export function DrillChip() {
  const origin = useDrill((s) => s.origin);
  if (!origin) return null;
  const from = VIEW_NAMES[origin.view] ?? 'Overview';
  return (
    <div className="drill-bar" data-testid="drill-chip" role="status">
      <button type="button" className="button small" data-testid="drill-back" onClick={() => leaveDrill(true)}>
        <span aria-hidden="true">←</span> Back to {from}
      </button>
      <span className="chip drill-chip">
        <span className="chip-column">Drilled from {from}:</span>
        <span className="chip-value drill-label" title={origin.label}>
          {origin.label}
        </span>
        <button
          type="button"
          className="chip-x"
          aria-label="Remove the drill-down (show the rows of the scope before it)"
          title="Remove the drill-down"
          data-testid="drill-remove"
          onClick={() => leaveDrill(false)}
        >
          <Icon name="x" size={12} />
        </button>
      </span>
    </div>
  );
}

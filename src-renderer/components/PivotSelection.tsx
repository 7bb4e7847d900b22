// The pivot's selected line: its path, how many rows are behind it (explore.kpis on exactly the drill-down scope, so
// the number is the one the Rows screen will show) and the way there.
import type { QueryScope } from '../../src-shared/api/contract';
import { columnLabel } from '../format/labels';
import { formatInteger } from '../format/money';
import { nodeLabel, type PivotNode } from '../format/pivot-tree';
import { drillScope } from '../state/drill';
import { useApi } from '../state/use-api';
import { Spinner } from './Feedback';
import { Icon } from './Icon';

export function PivotSelection({
  node,
  path,
  scope,
  labels,
  onDrill,
}: {
  node: PivotNode;
  path: PivotNode[];
  scope: QueryScope;
  labels: ReadonlyMap<string, string>;
  onDrill(): void;
}) {
  const s = drillScope({ from: scope.from, to: scope.to, filters: scope.filters ?? [] }, { path: node.path });
  const kpis = useApi('explore.kpis', { ...(s.from ? { from: s.from } : {}), ...(s.to ? { to: s.to } : {}), filters: s.filters });
  const rows = kpis.data && !kpis.loading ? kpis.data.rows : null;
  return (
    <div className="pivot-selection" data-testid="pivot-selection" aria-live="polite">
      <span className="pivot-path">
        {path.map((p, i) => (
          <span key={p.id} className="pivot-step">
            {i > 0 ? <span className="muted"> › </span> : null}
            <span className="muted">{columnLabel(p.column, labels)}</span> <strong>{nodeLabel(p)}</strong>
          </span>
        ))}
      </span>
      <span className="pivot-rows muted">
        {kpis.error ? (
          <span className="warning-text">rows could not be counted: {kpis.error.message}</span>
        ) : rows === null ? (
          <Spinner size={11} label="Counting rows" />
        ) : (
          <>
            <strong className="num" data-testid="pivot-selection-rows" data-value={rows}>
              {formatInteger(rows)}
            </strong>{' '}
            {rows === 1 ? 'row' : 'rows'}
          </>
        )}
      </span>
      <button type="button" className="button small" data-testid="pivot-drill" onClick={onDrill}>
        Show rows <Icon name="rows" size={13} />
      </button>
    </div>
  );
}

// The Overview pivot: the metric by 1–3 nested levels (a tree grid), with share of total and of parent, savings when
// list prices are known, a totals row, and the rows behind any line one click (or R) away.
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Metric, QueryScope } from '../../src-shared/api/contract';
import { columnLabel, OTHER, valueLabel } from '../format/labels';
import { formatMoney, formatPercent } from '../format/money';
import { nodeLabel, pathLabel, visibleNodes, type PivotNode, type PivotTree } from '../format/pivot-tree';
import { drillDown } from '../state/drill';
import { useExplore } from '../state/explore-store';
import { usePivot, PIVOT_TOPS } from '../state/use-pivot';
import { ErrorBox, Notice, Skeleton } from './Feedback';
import { Icon } from './Icon';
import { PivotSelection } from './PivotSelection';

export interface PivotTableProps {
  scope: QueryScope;
  levels: string[];
  metric: Metric;
  /** ListCost − EffectiveCost columns (when the scope has list prices at all). */
  withSavings: boolean;
  labels: ReadonlyMap<string, string>;
  /** Swatch colours of the first level's values (the chart's series). */
  colors: Map<string | null, string>;
}

export function PivotTable({ scope, levels, metric, withSavings, labels, colors }: PivotTableProps) {
  const levelsKey = levels.join('\u0001');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  // other levels make other rows: start collapsed
  const [prevLevels, setPrevLevels] = useState(levelsKey);
  if (prevLevels !== levelsKey) {
    setPrevLevels(levelsKey);
    setExpanded(new Set());
    setSelected(null);
  }
  const open = useMemo(() => {
    const o = [true, false, false];
    for (const id of expanded) {
      const depth = id.split('\u0001').length - 1; // ids are path keys: one part per level
      if (depth + 1 < o.length) o[depth + 1] = true;
    }
    return o;
  }, [expanded]);
  const pivot = usePivot(scope, levels, metric, withSavings, open);
  const tree = pivot.tree;
  const rows = useMemo(() => (tree ? visibleNodes(tree.roots, expanded) : []), [tree, expanded]);
  const parents = useMemo(() => parentMap(tree), [tree]);
  const current = rows.find((r) => r.id === selected) ?? null;
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  const canExpand = (n: PivotNode) => n.depth < levels.length - 1 && n.value !== OTHER;
  const toggle = (n: PivotNode, to?: boolean) => {
    if (!canExpand(n)) return;
    setExpanded((s) => {
      const next = new Set(s);
      const want = to ?? !next.has(n.id);
      if (want) next.add(n.id);
      else next.delete(n.id);
      return next;
    });
  };
  const focusRow = (id: string) => {
    setSelected(id);
    requestAnimationFrame(() => bodyRef.current?.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`)?.focus());
  };
  const drill = (n: PivotNode) => drillDown({ path: n.path, label: pathLabel(n, labels, ancestors(n, parents)) });

  const onKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    if (rows.length === 0 || (e.target as HTMLElement).closest('button') && e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const i = Math.max(0, rows.findIndex((r) => r.id === selected));
    const n = rows[i]!;
    let handled = true;
    if (e.key === 'ArrowDown') focusRow(rows[Math.min(rows.length - 1, i + 1)]!.id);
    else if (e.key === 'ArrowUp') focusRow(rows[Math.max(0, i - 1)]!.id);
    else if (e.key === 'Home') focusRow(rows[0]!.id);
    else if (e.key === 'End') focusRow(rows[rows.length - 1]!.id);
    else if (e.key === 'ArrowRight') {
      if (canExpand(n) && !expanded.has(n.id)) toggle(n, true);
      else if (expanded.has(n.id) && n.children[0]) focusRow(n.children[0].id);
    } else if (e.key === 'ArrowLeft') {
      if (expanded.has(n.id)) toggle(n, false);
      else {
        const p = parents.get(n.id);
        if (p) focusRow(p.id);
      }
    } else if (e.key === 'Enter' || e.key === ' ') toggle(n);
    else if (e.key === 'r' || e.key === 'R') drill(n);
    else handled = false;
    if (handled) e.preventDefault();
  };

  if (pivot.error && !tree) return <PivotError error={pivot.error} levels={levels} onRetry={pivot.reload} />;

  const cols = withSavings ? 6 : 4;
  const tabStop = current?.id ?? rows[0]?.id;
  return (
    <div className={`breakdown pivot${pivot.loading && tree ? ' refreshing' : ''}`} aria-busy={pivot.loading}>
      {pivot.error ? <PivotError error={pivot.error} levels={levels} onRetry={pivot.reload} compact /> : null}
      <div className="table-scroll">
        <table
          className="table breakdown-table pivot-table"
          data-testid="breakdown-table"
          role="treegrid"
          aria-label={`${levels.map((l) => columnLabel(l, labels)).join(' › ')} breakdown`}
          aria-describedby="pivot-keys"
        >
          <thead>
            <tr>
              <th className="col-name">{levels.map((l) => columnLabel(l, labels)).join(' › ')}</th>
              <th className="col-amount right">Amount</th>
              <th className="col-share right" title="Share of the total in scope">
                Of total
              </th>
              <th className="col-pct right" title="Share of the row it is nested in">
                Of parent
              </th>
              {withSavings ? (
                <>
                  <th className="col-amount right" title="List cost − effective cost">
                    Savings
                  </th>
                  <th className="col-pct right" title="Effective savings rate: savings ÷ list cost">
                    Rate
                  </th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody ref={bodyRef} onKeyDown={onKey}>
            {!tree ? (
              Array.from({ length: 6 }, (_, i) => (
                <tr key={i} className="skeleton-row">
                  <td>
                    <Skeleton width={`${60 - i * 6}%`} />
                  </td>
                  {Array.from({ length: cols - 1 }, (_, j) => (
                    <td key={j}>
                      <Skeleton width="70%" />
                    </td>
                  ))}
                </tr>
              ))
            ) : rows.length === 0 ? (
              <tr>
                <td colSpan={cols} className="table-empty">
                  No rows match this range and filter.
                </td>
              </tr>
            ) : (
              rows.flatMap((n) => {
                const isOpen = expanded.has(n.id);
                const out = [
                  <PivotRow
                    key={n.id}
                    node={n}
                    open={isOpen}
                    expandable={canExpand(n)}
                    selected={n.id === current?.id}
                    tabStop={n.id === tabStop}
                    withSavings={withSavings}
                    color={n.depth === 0 ? colors.get(n.value) : undefined}
                    currency={n.currency}
                    labels={labels}
                    onSelect={() => setSelected(n.id)}
                    onToggle={() => toggle(n)}
                    onDrill={() => drill(n)}
                  />,
                ];
                if (isOpen && n.children.length === 0 && tree.loadedDepth <= n.depth) {
                  out.push(
                    <tr key={`${n.id}-loading`} className="pivot-loading" aria-hidden="true">
                      <td colSpan={cols} style={{ paddingLeft: 34 + (n.depth + 1) * 18 }}>
                        <Skeleton width="30%" />
                      </td>
                    </tr>,
                  );
                }
                return out;
              })
            )}
          </tbody>
          {tree && rows.length > 0 ? <PivotTotals tree={tree} withSavings={withSavings} /> : null}
        </table>
      </div>
      <p id="pivot-keys" className="pivot-keys">
        <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>→</kbd>
        <kbd>←</kbd> or <kbd>Enter</kbd> expand and collapse · <kbd>R</kbd> or a click on an amount shows its rows · top {PIVOT_TOPS.slice(0, levels.length).join(' / ')} per level, the rest as All others
      </p>
      {current ? <PivotSelection node={current} path={[...ancestors(current, parents), current]} scope={scope} labels={labels} onDrill={() => drill(current)} /> : null}
    </div>
  );
}

function PivotRow({
  node: n,
  open,
  expandable,
  selected,
  tabStop,
  withSavings,
  color,
  currency,
  labels,
  onSelect,
  onToggle,
  onDrill,
}: {
  node: PivotNode;
  open: boolean;
  expandable: boolean;
  selected: boolean;
  tabStop: boolean;
  withSavings: boolean;
  color: string | undefined;
  currency: string | null;
  labels: ReadonlyMap<string, string>;
  onSelect(): void;
  onToggle(): void;
  onDrill(): void;
}) {
  const addFilter = useExplore((s) => s.addFilter);
  const isOther = n.value === OTHER;
  const col = columnLabel(n.column, labels);
  return (
    <tr
      data-id={n.id}
      data-testid="pivot-row"
      data-depth={n.depth}
      data-value={n.value ?? ''}
      className={`pivot-row depth-${n.depth}${selected ? ' selected' : ''}`}
      role="row"
      aria-level={n.depth + 1}
      aria-expanded={expandable ? open : undefined}
      aria-selected={selected}
      tabIndex={tabStop ? 0 : -1}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onSelect();
      }}
      onClick={() => {
        onSelect();
        onToggle();
      }}
    >
      <td className="col-name" role="gridcell">
        <span className="bd-name" style={{ paddingLeft: n.depth * 18 }}>
          <span className={`pivot-chevron${open ? ' open' : ''}`} aria-hidden="true">
            {expandable ? <Icon name="chevronDown" size={12} /> : null}
          </span>
          {n.depth === 0 ? (
            <span className="swatch" style={{ background: color ?? 'transparent', borderColor: color ? 'transparent' : undefined }} aria-hidden="true" />
          ) : null}
          <span className={`bd-label${n.value === null || isOther ? ' muted' : ''}`} title={`${col}: ${nodeLabel(n)}`}>
            {nodeLabel(n)}
          </span>
          {!isOther ? (
            <span className="bd-actions">
              <button
                type="button"
                className="mini-button"
                tabIndex={-1}
                aria-label={`Keep only ${col} ${valueLabel(n.value)}`}
                title={`Keep only ${col} = ${valueLabel(n.value)}`}
                onClick={(e) => {
                  e.stopPropagation();
                  addFilter(n.column, n.value);
                }}
              >
                <Icon name="filter" size={12} />
              </button>
              <button
                type="button"
                className="mini-button"
                tabIndex={-1}
                aria-label={`Exclude ${col} ${valueLabel(n.value)}`}
                title={`Exclude ${col} = ${valueLabel(n.value)}`}
                onClick={(e) => {
                  e.stopPropagation();
                  addFilter(n.column, n.value, true);
                }}
              >
                ≠
              </button>
            </span>
          ) : null}
        </span>
      </td>
      <td className="col-amount right" role="gridcell">
        <button
          type="button"
          className="cell-link num"
          tabIndex={-1}
          data-testid="pivot-amount"
          data-value={n.amount}
          title="Show the rows behind this amount"
          onClick={(e) => {
            e.stopPropagation();
            onDrill();
          }}
        >
          {formatMoney(n.amount, currency)}
        </button>
      </td>
      <td className="col-share right" role="gridcell">
        <span className="bd-share">
          <span className="share-bar" aria-hidden="true">
            <span className={`share-fill${(n.shareOfTotal ?? 0) < 0 ? ' negative' : ''}`} style={{ width: `${Math.min(100, Math.abs(n.shareOfTotal ?? 0) * 100)}%` }} />
          </span>
          <span className="num share-text">{formatPercent(n.shareOfTotal)}</span>
        </span>
      </td>
      <td className="col-pct right num muted" role="gridcell">
        {n.depth === 0 ? '' : formatPercent(n.shareOfParent)}
      </td>
      {withSavings ? (
        <>
          <td className={`col-amount right num${(n.savings ?? 0) < 0 ? ' negative-savings' : ''}`} role="gridcell">
            {n.savings === null ? '—' : formatMoney(n.savings, currency)}
          </td>
          <td className="col-pct right num" role="gridcell">
            {formatPercent(n.savingsRate)}
          </td>
        </>
      ) : null}
    </tr>
  );
}

function PivotTotals({ tree, withSavings }: { tree: PivotTree; withSavings: boolean }) {
  const values = tree.roots.filter((r) => r.value !== OTHER).length + tree.roots.filter((r) => r.value === OTHER).reduce((a, r) => a + (r.otherCount ?? 0), 0);
  if (tree.multiCurrency) {
    return (
      <tfoot>
        <tr data-testid="pivot-total">
          <td colSpan={withSavings ? 6 : 4} className="muted">
            Several currencies — each currency&apos;s row is its total; amounts in different currencies are never added together.
          </td>
        </tr>
      </tfoot>
    );
  }
  return (
    <tfoot>
      <tr data-testid="pivot-total" data-value={tree.total}>
        <td>
          Total <span className="muted">· {values.toLocaleString()} {values === 1 ? 'value' : 'values'}</span>
        </td>
        <td className="col-amount right">
          <span className="num" data-testid="pivot-total-amount">
            {formatMoney(tree.total, tree.currency)}
          </span>
        </td>
        <td className="col-share right">
          <span className="num share-text">100%</span>
        </td>
        <td />
        {withSavings ? (
          <>
            <td className="col-amount right num" data-testid="pivot-total-savings">
              {tree.savings === null ? '—' : formatMoney(tree.savings, tree.currency)}
            </td>
            <td className="col-pct right num">{formatPercent(tree.savingsRate)}</td>
          </>
        ) : null}
      </tr>
    </tfoot>
  );
}

function PivotError({ error, levels, onRetry, compact }: { error: { code: string; message: string; detail?: unknown }; levels: string[]; onRetry(): void; compact?: boolean }) {
  const setGroupBy = useExplore((s) => s.setGroupBy);
  if (error.code === 'mixed-currency') {
    return (
      <div className="panel-pad" data-testid="pivot-mixed-currency">
        <Notice
          kind="warning"
          action={
            <button type="button" className="button small" onClick={() => setGroupBy(['BillingCurrency', ...levels.filter((l) => l !== 'BillingCurrency')])}>
              Group by currency first
            </button>
          }
        >
          <strong>Several billing currencies in scope.</strong> Keep one currency (above), or make Billing Currency the first level so each
          currency keeps its own totals.
        </Notice>
      </div>
    );
  }
  return (
    <div className={compact ? undefined : 'panel-pad'}>
      <ErrorBox error={error} title="Could not load the breakdown" onRetry={onRetry} compact={compact} />
    </div>
  );
}

function parentMap(tree: PivotTree | undefined): Map<string, PivotNode> {
  const m = new Map<string, PivotNode>();
  const walk = (nodes: readonly PivotNode[]) => {
    for (const n of nodes) {
      for (const c of n.children) m.set(c.id, n);
      walk(n.children);
    }
  };
  if (tree) walk(tree.roots);
  return m;
}

function ancestors(n: PivotNode, parents: ReadonlyMap<string, PivotNode>): PivotNode[] {
  const out: PivotNode[] = [];
  for (let p = parents.get(n.id); p; p = parents.get(p.id)) out.unshift(p);
  return out;
}

// The four cost totals in scope plus savings and row count. Amount elements carry the engine's raw number in
// data-value; they render only for the current scope (a skeleton shows while it loads), never stale numbers.
import type { ApiError, Kpis } from '../../src-shared/api/contract';
import { formatInteger, formatMoney, formatPercent, savingsRate } from '../format/money';
import { ErrorBox, Skeleton } from './Feedback';

interface KpiDef {
  id: 'billed' | 'effective' | 'list' | 'savings';
  label: string;
  hint: string;
}

const DEFS: KpiDef[] = [
  { id: 'billed', label: 'Billed cost', hint: 'What the invoices charge' },
  { id: 'effective', label: 'Effective cost', hint: 'Amortized, after discounts' },
  { id: 'list', label: 'List cost', hint: 'At public list prices' },
  { id: 'savings', label: 'Savings', hint: 'List cost − effective cost' },
];

export function KpiCards({
  kpis,
  loading,
  error,
  onRetry,
}: {
  kpis: Kpis | undefined;
  loading: boolean;
  error: ApiError | undefined;
  onRetry: () => void;
}) {
  if (error) return <ErrorBox error={error} title="Could not load the totals" onRetry={onRetry} />;
  const ready = kpis && !loading ? kpis : null;
  const rate = ready ? savingsRate(ready.savings, ready.list) : null;

  return (
    <section className="kpis" aria-label="Totals" aria-busy={loading}>
      {DEFS.map((d) => (
        <div key={d.id} className={`kpi kpi-${d.id}`}>
          <div className="kpi-label" title={d.hint}>
            {d.label}
          </div>
          {ready ? (
            <div className="kpi-value num" data-testid={`kpi-${d.id}`} data-value={String(ready[d.id])}>
              {formatMoney(ready[d.id], ready.currency)}
            </div>
          ) : (
            <Skeleton className="kpi-value-skeleton" width="70%" height={24} />
          )}
          <div className="kpi-sub">
            {d.id === 'savings' ? (
              ready ? (
                <span className={rate !== null && rate > 0 ? 'positive' : undefined}>
                  {formatPercent(rate)} effective savings rate
                </span>
              ) : (
                <Skeleton width="60%" height={10} />
              )
            ) : (
              d.hint
            )}
          </div>
        </div>
      ))}
      <div className="kpi kpi-rows">
        <div className="kpi-label">Rows</div>
        {ready ? (
          <div className="kpi-value num" data-testid="kpi-rows" data-value={String(ready.rows)}>
            {formatInteger(ready.rows)}
          </div>
        ) : (
          <Skeleton className="kpi-value-skeleton" width="60%" height={24} />
        )}
        <div className="kpi-sub">Rows in scope</div>
      </div>
    </section>
  );
}

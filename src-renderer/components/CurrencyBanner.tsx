// Warns when the scope spans several billing currencies: amounts are never added across currencies.
import type { Kpis } from '../../src-shared/api/contract';
import { useExplore } from '../state/explore-store';
import { Notice } from './Feedback';

export function CurrencyBanner({ kpis }: { kpis: Kpis | undefined }) {
  const addFilter = useExplore((s) => s.addFilter);
  if (!kpis || kpis.currencies.length <= 1) return null;
  const shown = kpis.currency ?? kpis.currencies[0] ?? '?';
  return (
    <div data-testid="currency-warning">
      <Notice
        kind="warning"
        action={
          <span className="notice-actions">
            {kpis.currencies.map((c) => (
              <button key={c} type="button" className="button small" onClick={() => addFilter('BillingCurrency', c)}>
                Only {c}
              </button>
            ))}
          </span>
        }
      >
        <strong>Several billing currencies in scope</strong> — amounts shown for {shown}; filter by BillingCurrency.{' '}
        <span className="muted">In scope: {kpis.currencies.join(', ')}. Amounts in different currencies are never added together.</span>
      </Notice>
    </div>
  );
}

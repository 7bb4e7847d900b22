// Invoices and commitments: the FOCUS 1.4 supporting datasets linked to Cost and Usage by their keys
// (explore.datasetLinks). Each invoice's Invoice Detail total next to the Cost and Usage rows that carry its InvoiceId,
// and each contract commitment's cost next to what Cost and Usage says was applied to it.
import { useMemo, useState } from 'react';
import type { CommitmentLink, DatasetLinks, InvoiceLink } from '../../src-shared/api/contract';
import { ErrorBox, Notice, Skeleton } from '../components/Feedback';
import { ScreenHeader } from '../components/ScreenHeader';
import { Segmented } from '../components/Segmented';
import { formatInteger, formatMoney } from '../format/money';
import { useApp } from '../state/app-store';
import { useExplore } from '../state/explore-store';
import { useApi } from '../state/use-api';

type InvoiceFilter = 'all' | InvoiceLink['status'];

const STATUS_LABEL: Record<InvoiceLink['status'], string> = {
  matches: 'Matches',
  differs: 'Differs',
  'invoice-only': 'Only on the invoice',
  'cost-only': 'Only in cost data',
};

const STATUS_BADGE: Record<InvoiceLink['status'], 'pass' | 'fail' | 'skip'> = {
  matches: 'pass',
  differs: 'fail',
  'invoice-only': 'skip',
  'cost-only': 'skip',
};

const day = (t: string | null): string => (t ? t.slice(0, 10) : '—');

export function DatasetsScreen() {
  const ws = useApp((s) => s.workspace);
  const links = useApi('explore.datasetLinks', {});
  const d = links.data;
  return (
    <div className="screen datasets-screen">
      <ScreenHeader
        title="Invoices and commitments"
        subtitle={
          d ? (
            <>
              {ws?.name} · {formatInteger(d.counts.invoiceDetailRows)} invoice lines · {formatInteger(d.counts.contractCommitmentRows)}{' '}
              commitments · {formatInteger(d.counts.billingPeriodRows)} billing periods · linked to{' '}
              {formatInteger(d.counts.costAndUsageRows)} cost rows
            </>
          ) : (
            ws?.name
          )
        }
      />
      {links.error ? (
        <ErrorBox error={links.error} title="Could not link the datasets" onRetry={links.reload} />
      ) : !d ? (
        <div className="stack" aria-busy="true">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} width="100%" height={20} />
          ))}
        </div>
      ) : (
        <LinkedDatasets links={d} />
      )}
    </div>
  );
}

function LinkedDatasets({ links }: { links: DatasetLinks }) {
  const setView = useApp((s) => s.setView);
  const nothing = links.invoices.length === 0 && links.commitments.length === 0 && links.unknownCommitments.length === 0;
  if (nothing) {
    return (
      <div className="panel panel-empty" data-testid="datasets-empty">
        <p>
          No invoices or commitments yet. Import FOCUS <strong>Invoice Detail</strong>, <strong>Contract Commitment</strong> and{' '}
          <strong>Billing Period</strong> files, or Cost and Usage rows that carry an InvoiceId, to see each invoice reconciled
          with the charges behind it and each commitment&apos;s burn-down.
        </p>
        <button type="button" className="button primary" onClick={() => setView('import')}>
          Import files
        </button>
      </div>
    );
  }
  return (
    <>
      {links.notes.length > 0 && (
        <Notice kind="info">
          <span data-testid="links-notes">{links.notes.join(' ')}</span>
        </Notice>
      )}
      <InvoicesPanel invoices={links.invoices} haveInvoiceDetail={links.counts.invoiceDetailRows > 0} />
      <CommitmentsPanel commitments={links.commitments} unknown={links.unknownCommitments} />
    </>
  );
}

function InvoicesPanel({ invoices, haveInvoiceDetail }: { invoices: InvoiceLink[]; haveInvoiceDetail: boolean }) {
  const [choice, setChoice] = useState<InvoiceFilter | null>(null);
  const counts = useMemo(() => {
    const c: Record<InvoiceLink['status'], number> = { matches: 0, differs: 0, 'invoice-only': 0, 'cost-only': 0 };
    for (const i of invoices) c[i.status]++;
    return c;
  }, [invoices]);
  // open on the mismatches when there are any: they are what a reconciliation is for
  const filter: InvoiceFilter = choice ?? (counts.differs > 0 ? 'differs' : 'all');
  const shown = filter === 'all' ? invoices : invoices.filter((i) => i.status === filter);
  const setView = useApp((s) => s.setView);
  const explore = useExplore();
  const drill = (inv: InvoiceLink) => {
    explore.clearFilters();
    explore.setRange(undefined, undefined);
    explore.addFilter('InvoiceId', inv.invoiceId);
    setView('rows');
  };
  return (
    <section className="panel" aria-labelledby="invoices-title" data-testid="invoice-links">
      <header className="panel-header">
        <h2 id="invoices-title">Invoices</h2>
        <span className="panel-meta">
          {formatInteger(invoices.length)} {invoices.length === 1 ? 'invoice' : 'invoices'} · Invoice Detail BilledCost against the Cost and Usage rows
          with the same issuer and InvoiceId
        </span>
      </header>
      {invoices.length === 0 ? (
        <div className="panel-empty">No InvoiceId in the imported data.</div>
      ) : (
        <>
          {!haveInvoiceDetail && (
            <div className="panel-pad">
              <p className="muted small">
                No Invoice Detail file imported: these are the invoices the cost rows name. Import the provider&apos;s FOCUS Invoice Detail file to
                reconcile them.
              </p>
            </div>
          )}
          <div className="report-toolbar panel-pad">
            <Segmented<InvoiceFilter>
              options={[
                ['all', `All ${invoices.length}`],
                ['differs', `Differ ${counts.differs}`],
                ['matches', `Match ${counts.matches}`],
                ['invoice-only', `Only on invoice ${counts['invoice-only']}`],
                ['cost-only', `Only in cost data ${counts['cost-only']}`],
              ]}
              value={filter}
              onChange={setChoice}
              label="Show invoices"
            />
          </div>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Invoice</th>
                  <th>Billing period</th>
                  <th className="right">Invoice Detail</th>
                  <th className="right">Cost and Usage</th>
                  <th className="right">Difference</th>
                  <th>Invoice status</th>
                  <th>Period status</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {shown.length === 0 ? (
                  <tr>
                    <td colSpan={9} className="table-empty">
                      {filter === 'differs' ? 'Every invoice matches its cost rows to the cent.' : 'No invoices here.'}
                    </td>
                  </tr>
                ) : (
                  shown.map((inv) => (
                    <tr key={`${inv.invoiceIssuerName ?? ''}|${inv.invoiceId}|${inv.currency ?? ''}`} data-status={inv.status} data-testid="invoice-link">
                      <td>
                        <span className={`badge badge-${STATUS_BADGE[inv.status]}`}>{STATUS_LABEL[inv.status]}</span>
                      </td>
                      <td>
                        <div className="mono">{inv.invoiceId}</div>
                        <div className="muted small">{inv.invoiceIssuerName ?? 'unknown issuer'}</div>
                      </td>
                      <td className="nowrap">{day(inv.billingPeriodStart)}</td>
                      <td className="right num">
                        {inv.invoiceBilledCost === null ? '—' : formatMoney(inv.invoiceBilledCost, inv.currency)}
                        {inv.invoiceRows > 0 && <div className="muted small">{formatInteger(inv.invoiceRows)} {inv.invoiceRows === 1 ? 'line' : 'lines'}</div>}
                      </td>
                      <td className="right num">
                        {inv.costAndUsageBilledCost === null ? '—' : formatMoney(inv.costAndUsageBilledCost, inv.currency)}
                        {inv.costRows > 0 && <div className="muted small">{formatInteger(inv.costRows)} {inv.costRows === 1 ? 'row' : 'rows'}</div>}
                      </td>
                      <td className={`right num${inv.status === 'differs' ? ' negative-text' : ''}`}>{formatMoney(inv.difference, inv.currency)}</td>
                      <td>{inv.invoiceIssueStatus ?? '—'}</td>
                      <td>{inv.billingPeriodStatus ?? '—'}</td>
                      <td>
                        {inv.costRows > 0 ? (
                          <button type="button" className="link-button" onClick={() => drill(inv)} aria-label={`Show the cost rows of invoice ${inv.invoiceId}`}>
                            Rows
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function CommitmentsPanel({ commitments, unknown }: { commitments: CommitmentLink[]; unknown: DatasetLinks['unknownCommitments'] }) {
  return (
    <section className="panel" aria-labelledby="commitments-title" data-testid="commitment-links">
      <header className="panel-header">
        <h2 id="commitments-title">Contract commitments</h2>
        <span className="panel-meta">Contract Commitment cost against what Cost and Usage rows applied to it (ContractApplied)</span>
      </header>
      {commitments.length === 0 && unknown.length === 0 ? (
        <div className="panel-empty">No Contract Commitment file imported, and no cost row applies a commitment.</div>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Commitment</th>
                <th>Category</th>
                <th>Period</th>
                <th className="right">Committed</th>
                <th className="right">Applied</th>
                <th className="right">Remaining</th>
                <th>Burn-down</th>
              </tr>
            </thead>
            <tbody>
              {commitments.map((c) => {
                const used = c.commitmentCost && c.commitmentCost !== 0 ? Math.min(1, Math.max(0, c.appliedCost / c.commitmentCost)) : null;
                return (
                  <tr key={c.contractCommitmentId} data-testid="commitment-link">
                    <td>
                      <div className="mono">{c.contractCommitmentId}</div>
                      {c.contractId && <div className="muted small">contract {c.contractId}</div>}
                    </td>
                    <td>{c.category ?? '—'}</td>
                    <td className="nowrap">
                      {day(c.periodStart)} – {day(c.periodEnd)}
                    </td>
                    <td className="right num">
                      {c.commitmentCost !== null ? formatMoney(c.commitmentCost, c.currency) : c.commitmentQuantity !== null ? `${formatInteger(c.commitmentQuantity)} ${c.unit ?? ''}` : '—'}
                    </td>
                    <td className="right num">
                      {c.commitmentCost !== null || c.appliedQuantity === 0 ? formatMoney(c.appliedCost, c.currency) : `${formatInteger(c.appliedQuantity)} ${c.unit ?? ''}`}
                      <div className="muted small">{formatInteger(c.costRows)} {c.costRows === 1 ? 'row' : 'rows'}</div>
                    </td>
                    <td className="right num">{c.remainingCost === null ? '—' : formatMoney(c.remainingCost, c.currency)}</td>
                    <td>
                      {used === null ? (
                        '—'
                      ) : (
                        <span className="burn" title={`${Math.round(used * 100)} % used`}>
                          <span className="burn-bar" style={{ width: `${Math.round(used * 100)}%` }} />
                          <span className="burn-label small">{Math.round(used * 100)} %</span>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
              {unknown.map((u) => (
                <tr key={`unknown-${u.contractCommitmentId}-${u.currency ?? ''}`} data-testid="unknown-commitment">
                  <td>
                    <div className="mono">{u.contractCommitmentId}</div>
                    <div className="muted small">not in any Contract Commitment file</div>
                  </td>
                  <td>—</td>
                  <td>—</td>
                  <td className="right num">—</td>
                  <td className="right num">
                    {formatMoney(u.appliedCost, u.currency)}
                    <div className="muted small">{formatInteger(u.costRows)} {u.costRows === 1 ? 'row' : 'rows'}</div>
                  </td>
                  <td className="right num">—</td>
                  <td>—</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

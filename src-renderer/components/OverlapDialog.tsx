// The delivery covers billing periods already in the workspace: replace them, add as another part, or cancel.
import type { PeriodOverlap } from '../../src-shared/api/contract';
import { periodLabel } from '../format/dates';
import { formatInteger } from '../format/money';
import { Modal } from './Modal';

export function OverlapDialog({
  overlaps,
  onReplace,
  onAppend,
  onCancel,
}: {
  overlaps: PeriodOverlap[];
  onReplace: () => void;
  onAppend: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal
      title="These billing periods are already in the workspace"
      onClose={onCancel}
      size="large"
      testId="overlap-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} data-testid="overlap-cancel">
            Cancel
          </button>
          <span className="footer-spacer" />
          <button type="button" className="button" onClick={onAppend} data-testid="overlap-append">
            Add as another part
          </button>
          <button type="button" className="button primary" onClick={onReplace} data-testid="overlap-replace" autoFocus>
            Replace those periods
          </button>
        </>
      }
    >
      <p className="dialog-text">
        This delivery covers billing periods already in the workspace. Nothing has been imported yet. Choose{' '}
        <strong>Replace those periods</strong> when this is a corrected or re-issued export (the existing rows of those
        periods are removed first), or <strong>Add as another part</strong> when the files are additional parts of the same
        bill.
      </p>
      <div className="table-scroll overlap-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Invoice issuer</th>
              <th>Billing account</th>
              <th>Billing period</th>
              <th className="right">Existing rows</th>
              <th className="right">New rows</th>
            </tr>
          </thead>
          <tbody>
            {overlaps.map((o, i) => (
              <tr key={`${o.invoiceIssuer}|${o.billingAccountId}|${o.billingPeriodStart}|${i}`}>
                <td>{o.invoiceIssuer}</td>
                <td className="mono overlap-account" title={o.billingAccountId}>
                  {o.billingAccountId}
                </td>
                <td title={o.billingPeriodStart}>{periodLabel(o.billingPeriodStart.slice(0, 7))}</td>
                <td className="right num">{formatInteger(o.existingRows)}</td>
                <td className="right num">{formatInteger(o.newRows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}

// Inheritance: rows no rule matched take the value mapped to their sub account or billing account, before they count
// as unallocated. A blank row at the end of each mapping is where a new account is typed (it is not part of the
// draft until something is typed into it).
import type { RuleStatView } from '../../../src-shared/api/allocation';
import type { Inherit } from '../../../src-shared/allocate/evaluate';
import { useAllocation } from '../../state/allocation-store';
import { Icon } from '../Icon';
import { SuggestInput } from './inputs';
import { IssueNotes, StatBadge, type IssuesById, type StatsById } from './RuleList';
import { addInherit, removeInherit, updateInherit } from './ruleset-edits';

const FROM_LABEL: Record<Inherit['from'], string> = { SubAccountId: 'sub account', BillingAccountId: 'billing account' };

export function InheritList({
  dimension,
  dimensionLabel,
  entries,
  stats,
  issues,
  skipped,
  pending,
}: {
  dimension: string;
  dimensionLabel: string;
  entries: readonly Inherit[];
  stats: StatsById;
  issues: IssuesById;
  skipped: ReadonlySet<string>;
  pending: boolean;
}) {
  const edit = useAllocation((s) => s.edit);
  const add = (from: Inherit['from']) => {
    const h = useAllocation.getState().history;
    if (!h) return;
    const r = addInherit(h.present, dimension, from);
    edit(() => updateInherit(r.set, r.id, { values: [] }));
  };
  return (
    <section className="panel alloc-section" aria-labelledby="alloc-inherit-title" data-testid="inherit-panel">
      <header className="panel-header">
        <h2 id="alloc-inherit-title">
          Inheritance <span className="muted">· for rows no rule matched</span>
        </h2>
        <button type="button" className="button small" data-testid="add-inherit-sub" onClick={() => add('SubAccountId')}>
          <Icon name="plus" size={13} /> From sub account
        </button>
        <button type="button" className="button small" onClick={() => add('BillingAccountId')}>
          <Icon name="plus" size={13} /> From billing account
        </button>
      </header>
      {entries.length === 0 ? (
        <div className="alloc-hint">
          Give untagged rows the {dimensionLabel} of the account they belong to: map sub accounts (or billing accounts) to values.
        </div>
      ) : (
        <ol className="alloc-rules">
          {entries.map((i) => (
            <li key={i.id} className={`alloc-rule${issues.get(i.id)?.length ? ' has-problem' : ''}`} data-testid={`inherit-${i.id}`}>
              <div className="alloc-rule-head">
                <span className="alloc-pos pool" aria-hidden="true">
                  <Icon name="folder" size={13} />
                </span>
                <span className="alloc-rule-dim">
                  {dimensionLabel} from the {FROM_LABEL[i.from]}
                </span>
                <span className="alloc-grow" />
                <StatBadge stat={stats.get(i.id) as RuleStatView | undefined} skipped={skipped.has(i.id)} pending={pending} />
                <span className="alloc-id mono">{i.id}</span>
                <span className="alloc-tools">
                  <button type="button" className="icon-button danger" aria-label={`Remove inheritance ${i.id}`} onClick={() => edit((s) => removeInherit(s, i.id))}>
                    <Icon name="trash" size={14} />
                  </button>
                </span>
              </div>
              <MappingRows entry={i} />
              <IssueNotes messages={issues.get(i.id)} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function MappingRows({ entry }: { entry: Inherit }) {
  const edit = useAllocation((s) => s.edit);
  const rows = [...entry.values, { account: '', value: '' }];
  const set = (index: number, patch: Partial<{ account: string; value: string }>, field: string) =>
    edit(
      (s) => {
        const cur = s.inherit.find((x) => x.id === entry.id);
        if (!cur) return s;
        const values = [...cur.values];
        if (index >= values.length) values.push({ account: '', value: '', ...patch });
        else values[index] = { ...values[index]!, ...patch };
        return updateInherit(s, entry.id, { values });
      },
      `${entry.id}.${index}.${field}`,
    );
  return (
    <div className="alloc-mapping" role="table" aria-label={`Account mapping of ${entry.id}`}>
      {rows.map((v, n) => (
        <div key={n} className="alloc-mapping-row" role="row">
          <SuggestInput
            column={entry.from}
            className="mono"
            aria-label={`Account ${n + 1}`}
            placeholder={n === entry.values.length ? 'add an account…' : 'account id'}
            value={v.account}
            onChange={(account) => set(n, { account }, 'account')}
          />
          <span className="alloc-arrow" aria-hidden="true">
            →
          </span>
          <input className="input" aria-label={`Value for account ${n + 1}`} placeholder="value" value={v.value} onChange={(e) => set(n, { value: e.target.value }, 'value')} />
          {n < entry.values.length ? (
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove account ${n + 1}`}
              onClick={() => edit((s) => updateInherit(s, entry.id, { values: entry.values.filter((_, j) => j !== n) }))}
            >
              <Icon name="x" size={13} />
            </button>
          ) : (
            <span className="alloc-icon-spacer" />
          )}
        </div>
      ))}
    </div>
  );
}

// Applied versions, newest first, and the diff between two of them (or a version and the draft): which rules, pools,
// mappings and dimensions were added, removed, changed or moved, each before and after as one line.
import { useEffect, useState } from 'react';
import type { AllocationState, AllocationVersion } from '../../../src-shared/api/allocation';
import type { ApiError, Output } from '../../../src-shared/api/contract';
import { api } from '../../api/client';
import { formatDateTime } from '../../format/dates';
import { formatInteger, formatPercent } from '../../format/money';
import { useAllocation } from '../../state/allocation-store';
import { ErrorBox, Notice, Spinner } from '../Feedback';
import { Icon } from '../Icon';
import { flushSave } from './allocation-sync';
import { describeItem } from './describe';

type Change = Output<'allocation.diff'>['changes'][number];
type Side = number | 'draft';

const KIND_LABEL: Record<string, string> = {
  dimension: 'Dimension',
  rule: 'Rule',
  pool: 'Pool',
  inherit: 'Inheritance',
  alias: 'Tag alias',
  normalize: 'Normalization',
};

export function VersionsView({ state }: { state: AllocationState | undefined }) {
  const setTab = useAllocation((s) => s.setTab);
  const versions = state?.versions ?? [];
  const [pickedFrom, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<Side>('draft');
  const from = pickedFrom ?? versions[0]?.id ?? null;

  if (!state) {
    return (
      <section className="panel alloc-pad alloc-loading">
        <Spinner label="Loading versions" />
      </section>
    );
  }
  if (versions.length === 0) {
    return (
      <section className="panel alloc-empty big" data-testid="versions-empty">
        <div className="empty-illustration" aria-hidden="true">
          <Icon name="bookmark" size={32} />
        </div>
        <h2>Nothing applied yet</h2>
        <p>Each time the rules are applied to all history they become a version: a record of the rules, the rows written and the checks, to compare with later ones.</p>
        <div className="empty-actions">
          <button type="button" className="button primary" onClick={() => setTab('rules')}>
            Back to the rules
          </button>
        </div>
      </section>
    );
  }
  return (
    <div className="alloc-versions">
      <section className="panel" aria-labelledby="alloc-versions-title">
        <header className="panel-header">
          <h2 id="alloc-versions-title">
            Versions <span className="muted">· newest first</span>
          </h2>
        </header>
        <table className="table alloc-table" data-testid="versions-table">
          <thead>
            <tr>
              <th>Version</th>
              <th>Applied</th>
              <th>Note</th>
              <th className="right">Rules</th>
              <th className="right">Pools</th>
              <th className="right">Rows</th>
              <th>Coverage</th>
              <th aria-label="Compare" />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <VersionRow
                key={v.id}
                v={v}
                selected={v.id === from}
                onCompare={() => {
                  setFrom(v.id);
                  setTo('draft');
                }}
              />
            ))}
          </tbody>
        </table>
      </section>
      {from !== null ? <DiffPanel versions={versions} from={from} to={to} setFrom={setFrom} setTo={setTo} /> : null}
    </div>
  );
}

function VersionRow({ v, selected, onCompare }: { v: AllocationVersion; selected: boolean; onCompare(): void }) {
  return (
    <tr className={selected ? 'selected' : ''} data-testid="version-row" data-version={v.id}>
      <td>
        <strong>v{v.id}</strong> {v.applied ? <span className="badge badge-pass">applied</span> : null}
      </td>
      <td className="nowrap">{formatDateTime(v.created)}</td>
      <td className={v.note ? '' : 'muted'}>{v.note ?? '—'}</td>
      <td className="right num">{formatInteger(v.rules)}</td>
      <td className="right num">{formatInteger(v.pools)}</td>
      <td className="right num">{formatInteger(v.rows)}</td>
      <td>
        <div className="alloc-version-cov">
          {v.checks.map((c) => (
            <span key={`${c.dimension}|${c.currency}`} className="alloc-cov-chip" title={`${c.dimension} · ${c.currency}: difference ${c.difference}`}>
              {c.dimension} {formatPercent(c.coverage / 100)}
            </span>
          ))}
        </div>
      </td>
      <td className="right">
        <button type="button" className="button small" data-testid="version-compare" onClick={onCompare}>
          Compare with draft
        </button>
      </td>
    </tr>
  );
}

interface DiffAnswer {
  for: string;
  changes: Change[] | null;
  error: ApiError | null;
}

function DiffPanel({
  versions,
  from,
  to,
  setFrom,
  setTo,
}: {
  versions: readonly AllocationVersion[];
  from: number;
  to: Side;
  setFrom(v: number): void;
  setTo(v: Side): void;
}) {
  const present = useAllocation((s) => s.history?.present);
  const save = useAllocation((s) => s.save);
  const [answer, setAnswer] = useState<DiffAnswer>({ for: '', changes: null, error: null });
  // the diff against the draft reads the saved draft: ask once the latest edit is saved
  const settled = save.kind !== 'pending' && save.kind !== 'saving';
  const key = `${from}|${to}`;

  useEffect(() => {
    void flushSave();
  }, [present]);

  useEffect(() => {
    if (!settled) return;
    let live = true;
    void api.call('allocation.diff', { from, to }).then((r) => {
      if (!live) return;
      setAnswer(r.ok ? { for: key, changes: r.value.changes, error: null } : { for: key, changes: null, error: r.error });
    });
    return () => {
      live = false;
    };
    // `present`: an undo on this tab changes the draft the diff is against
  }, [from, to, key, settled, present]);

  const stale = answer.for !== key || !settled;
  const options = (allowDraft: boolean) => (
    <>
      {allowDraft ? <option value="draft">Draft (being edited)</option> : null}
      {versions.map((v) => (
        <option key={v.id} value={v.id}>
          Version {v.id}
          {v.note ? ` — ${v.note}` : ''}
        </option>
      ))}
    </>
  );
  const counts = answer.changes ? countBy(answer.changes) : null;
  return (
    <section className={`panel alloc-diff${stale ? ' refreshing' : ''}`} aria-labelledby="alloc-diff-title" data-testid="diff-panel">
      <header className="panel-header">
        <h2 id="alloc-diff-title">
          Compare
          <select className="select" aria-label="From version" data-testid="diff-from" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {options(false)}
          </select>
          <span className="muted">with</span>
          <select className="select" aria-label="To version or the draft" data-testid="diff-to" value={String(to)} onChange={(e) => setTo(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
            {options(true)}
          </select>
        </h2>
        {stale ? <Spinner size={13} label="Comparing" /> : null}
        {counts ? (
          <span className="alloc-diff-counts" data-testid="diff-counts">
            {(['added', 'removed', 'changed', 'moved'] as const).map((c) =>
              counts[c] ? (
                <span key={c} className={`alloc-change-badge ${c}`}>
                  {counts[c]} {c}
                </span>
              ) : null,
            )}
          </span>
        ) : null}
      </header>
      {save.kind === 'unfinished' && to === 'draft' ? (
        <div className="alloc-pad">
          <Notice kind="warning">The draft has unfinished items ({save.message}); this compares the last saved draft.</Notice>
        </div>
      ) : null}
      {answer.error ? (
        <div className="alloc-pad">
          <ErrorBox error={answer.error} title="Could not compare" compact />
        </div>
      ) : answer.changes === null ? (
        <div className="alloc-pad alloc-loading">
          <Spinner label="Comparing" />
        </div>
      ) : answer.changes.length === 0 ? (
        <div className="panel-empty" data-testid="diff-empty">
          No differences: {to === 'draft' ? 'the draft' : `version ${to}`} has the same rules as version {from}.
        </div>
      ) : (
        <table className="table alloc-table alloc-diff-table" data-testid="diff-table">
          <thead>
            <tr>
              <th>Change</th>
              <th>What</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {answer.changes.map((c, i) => (
              <tr key={i} data-testid="diff-row" data-change={c.change} data-id={c.id}>
                <td>
                  <span className={`alloc-change-badge ${c.change}`}>{c.change}</span>
                </td>
                <td className="nowrap">
                  {KIND_LABEL[c.kind] ?? c.kind} <span className="mono muted">{c.id}</span>
                  {c.detail ? <div className="muted small">{c.detail}</div> : null}
                </td>
                <td className="alloc-diff-side before">{c.change === 'added' ? <span className="muted">—</span> : describeItem(c.kind, c.before)}</td>
                <td className="alloc-diff-side after">{c.change === 'removed' ? <span className="muted">—</span> : describeItem(c.kind, c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function countBy(changes: readonly Change[]): Record<Change['change'], number> {
  const out = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const c of changes) out[c.change]++;
  return out;
}

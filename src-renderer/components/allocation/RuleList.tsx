// One dimension's ordered rules (first match wins): value, conditions, what the preview says each rule takes, which
// earlier rule shadows it, and the problems that name it. Alt+↑ / Alt+↓ move the rule under the cursor.
import { memo, useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import type { RuleStatView } from '../../../src-shared/api/allocation';
import type { Dimension } from '../../../src-shared/api/contract';
import type { Rule } from '../../../src-shared/allocate/rules';
import { formatInteger, formatMoney } from '../../format/money';
import { useAllocation } from '../../state/allocation-store';
import { useApp } from '../../state/app-store';
import { useApi } from '../../state/use-api';
import { Spinner } from '../Feedback';
import { Icon } from '../Icon';
import { ConditionList } from './ConditionList';
import { FieldSelect } from './inputs';
import { addRule, addRulesFromValues, columnField, defaultField, fieldColumn, moveRule, preferredTag, removeRule, updateRule } from './ruleset-edits';

export type StatsById = ReadonlyMap<string, RuleStatView>;
export type IssuesById = ReadonlyMap<string, readonly string[]>;

export function amountsText(amounts: RuleStatView['amounts']): string {
  return amounts.map((a) => formatMoney(a.amount, a.currency)).join(' · ');
}

/** What the preview says of a rule or pool, as one badge. */
export function StatBadge({ stat, skipped, pending }: { stat: RuleStatView | undefined; skipped: boolean; pending: boolean }) {
  if (skipped) return <span className="alloc-stat muted-stat" data-testid="rule-stat">not in the preview</span>;
  if (!stat) return <span className="alloc-stat muted-stat" data-testid="rule-stat">{pending ? '…' : '—'}</span>;
  const rows = `${formatInteger(stat.rows)} ${stat.rows === 1 ? 'row' : 'rows'}`;
  switch (stat.status) {
    case 'no-rows':
      return (
        <span className="alloc-stat none" data-testid="rule-stat" data-status={stat.status} title="No row in the months previewed matches every condition">
          matches nothing
        </span>
      );
    case 'shadowed':
      return (
        <span className="alloc-stat shadowed" data-testid="rule-stat" data-status={stat.status} title="Every row it matches is taken by an earlier rule or pool">
          <Icon name="alert" size={12} /> takes nothing
        </span>
      );
    default:
      return (
        <span
          className={`alloc-stat ${stat.status === 'partly-shadowed' ? 'partly' : 'takes'}`}
          data-testid="rule-stat"
          data-status={stat.status}
          data-rows={stat.rows}
          title={`Takes ${rows} (${amountsText(stat.amounts)}); matches ${formatInteger(stat.matches)}`}
        >
          {rows} · {amountsText(stat.amounts)}
        </span>
      );
  }
}

/** "#2 platform (1,234 rows), p1 (3 rows)": the earlier rules or pools that take rows this one matches. */
export function shadowText(stat: RuleStatView | undefined, labels: ReadonlyMap<string, string>): string | null {
  if (!stat || stat.shadowedBy.length === 0) return null;
  return stat.shadowedBy.map((s) => `${labels.get(s.id) ?? s.id} (${formatInteger(s.rows)} ${s.rows === 1 ? 'row' : 'rows'})`).join(', ');
}

/** "Shadowed by #2 platform (1,234 rows)": first match wins, so the earlier one takes those rows. */
export function ShadowNote({ stat, by }: { stat: RuleStatView | undefined; by: string | null }) {
  if (!stat || !by) return null;
  return (
    <div className={`alloc-note ${stat.status === 'shadowed' ? 'warn' : 'info'}`} data-testid="shadow-note">
      <Icon name="alert" size={13} />
      <span>
        {stat.status === 'shadowed' ? 'Shadowed by ' : 'Partly shadowed by '}
        {by}
        {stat.status === 'shadowed' ? ': every row it matches is taken first. Move it up or narrow the earlier rule.' : ' (first match wins).'}
      </span>
    </div>
  );
}

/**
 * memo() comparison for cards: every prop by identity, except the preview's stat, by content. Each preview answer
 * brings new stat objects for every rule; a card re-renders only when its own figures change.
 */
export function sameCardProps<P extends { stat: RuleStatView | undefined }>(a: Readonly<P>, b: Readonly<P>): boolean {
  for (const k of Object.keys(b) as Array<keyof P>) if (k !== 'stat' && a[k] !== b[k]) return false;
  return a.stat === b.stat || JSON.stringify(a.stat) === JSON.stringify(b.stat);
}

export function IssueNotes({ messages }: { messages: readonly string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <>
      {messages.map((m) => (
        <div key={m} className="alloc-note error" role="alert" data-testid="rule-problem">
          <Icon name="alert" size={13} />
          <span>{m}</span>
        </div>
      ))}
    </>
  );
}

export function RuleList({
  dimension,
  dimensionLabel,
  rules,
  stats,
  issues,
  skipped,
  pending,
  dimensions,
}: {
  dimension: string;
  dimensionLabel: string;
  rules: readonly Rule[];
  stats: StatsById;
  issues: IssuesById;
  skipped: ReadonlySet<string>;
  pending: boolean;
  dimensions: Dimension[];
}) {
  const edit = useAllocation((s) => s.edit);
  const setFocus = useAllocation((s) => s.setFocus);
  const [fromValues, setFromValues] = useState(false);
  // "#2 platform" for shadow notes: which rule, by position and value
  const labels = useMemo(() => new Map(rules.map((r, i) => [r.id, `#${i + 1} ${r.value || r.id}`])), [rules]);
  const tag = preferredTag(dimensions, dimensionLabel);
  const add = () => {
    const h = useAllocation.getState().history;
    if (!h) return;
    const r = addRule(h.present, dimension, { when: [{ field: defaultField([], dimensions, dimensionLabel), op: 'equals', value: '', caseSensitive: false }] });
    edit(() => r.set);
    setFocus(r.id);
  };

  return (
    <section className="panel alloc-section" aria-labelledby="alloc-rules-title" data-testid="rules-panel">
      <header className="panel-header">
        <h2 id="alloc-rules-title">
          Rules <span className="muted">· first match wins, top to bottom</span>
        </h2>
        <button type="button" className="button small" data-testid="rules-from-values" aria-expanded={fromValues} onClick={() => setFromValues((o) => !o)}>
          <Icon name="sparkle" size={13} /> From values…
        </button>
        <button type="button" className="button small primary" data-testid="add-rule" onClick={add}>
          <Icon name="plus" size={13} /> Rule
        </button>
      </header>
      {fromValues ? (
        <RulesFromValues dimension={dimension} dimensionLabel={dimensionLabel} dimensions={dimensions} onDone={() => setFromValues(false)} />
      ) : null}
      {rules.length === 0 ? (
        <div className="alloc-empty" data-testid="rules-empty">
          <div className="alloc-empty-title">Add a first rule</div>
          <p>
            A rule gives rows a {dimensionLabel} value, e.g. <code>{dimensionLabel} = platform</code> when{' '}
            <code>{tag ? tag.column : 'Tags.team'} equals platform</code>. Rules are tried top to bottom; the first that
            matches a row decides it.
          </p>
          <div className="alloc-empty-actions">
            <button type="button" className="button primary" onClick={add}>
              <Icon name="plus" size={14} /> Add a rule
            </button>
            {tag ? (
              <button type="button" className="button" onClick={() => setFromValues(true)}>
                <Icon name="sparkle" size={14} /> One rule per {tag.column} value…
              </button>
            ) : null}
          </div>
        </div>
      ) : (
        <ol className="alloc-rules" aria-label={`${dimensionLabel} rules`}>
          {rules.map((r, i) => (
            <RuleCard
              key={r.id}
              rule={r}
              position={i + 1}
              first={i === 0}
              last={i === rules.length - 1}
              dimensionLabel={dimensionLabel}
              stat={stats.get(r.id)}
              issues={issues.get(r.id)}
              skipped={skipped.has(r.id)}
              pending={pending && !stats.has(r.id)}
              dimensions={dimensions}
              shadowedBy={shadowText(stats.get(r.id), labels)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

const RuleCard = memo(function RuleCard({
  rule,
  position,
  first,
  last,
  dimensionLabel,
  stat,
  issues,
  skipped,
  pending,
  dimensions,
  shadowedBy,
}: {
  rule: Rule;
  position: number;
  first: boolean;
  last: boolean;
  dimensionLabel: string;
  stat: RuleStatView | undefined;
  issues: readonly string[] | undefined;
  skipped: boolean;
  pending: boolean;
  dimensions: Dimension[];
  /** shadowText(stat): a string, so a card re-renders only when its own text changes */
  shadowedBy: string | null;
}) {
  const edit = useAllocation((s) => s.edit);
  const focusMe = useAllocation((s) => s.focusId === rule.id);
  const setFocus = useAllocation((s) => s.setFocus);
  const valueRef = useCallback(
    (el: HTMLInputElement | null) => {
      if (el && focusMe) {
        el.focus();
        setFocus(null);
      }
    },
    [focusMe, setFocus],
  );
  const move = (delta: -1 | 1) => {
    const active = document.activeElement as HTMLElement | null;
    edit((s) => moveRule(s, rule.id, delta));
    // the card moves in the DOM; the control that had the cursor keeps it
    requestAnimationFrame(() => active?.focus());
  };
  const onKey = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(e.key === 'ArrowUp' ? -1 : 1);
  };
  const problem = (issues?.length ?? 0) > 0;
  return (
    <li
      className={`alloc-rule${problem ? ' has-problem' : ''}${stat?.status === 'shadowed' ? ' is-shadowed' : ''}`}
      data-testid={`rule-${rule.id}`}
      data-rule-id={rule.id}
      onKeyDown={onKey}
      aria-label={`Rule ${position}: ${dimensionLabel} = ${rule.value || '(no value)'}`}
    >
      <div className="alloc-rule-head">
        <span className="alloc-pos" title={`Tried ${position === 1 ? 'first' : `after ${position - 1} other ${position === 2 ? 'rule' : 'rules'}`}`}>
          {position}
        </span>
        <span className="alloc-rule-dim">{dimensionLabel} =</span>
        <input
          ref={valueRef}
          className="input alloc-rule-value"
          aria-label={`Rule ${position}: value`}
          data-testid="rule-value"
          placeholder="value, e.g. platform"
          value={rule.value}
          onChange={(e) => edit((s) => updateRule(s, rule.id, { value: e.target.value }), `${rule.id}.value`)}
        />
        <StatBadge stat={stat} skipped={skipped} pending={pending} />
        <span className="alloc-id mono" title="Rule id (used in versions and diffs)">
          {rule.id}
        </span>
        <span className="alloc-tools">
          <button type="button" className="icon-button" aria-label={`Move rule ${position} up`} title="Move up (Alt+↑)" disabled={first} onClick={() => move(-1)}>
            <Icon name="chevronUp" size={14} />
          </button>
          <button type="button" className="icon-button" aria-label={`Move rule ${position} down`} title="Move down (Alt+↓)" disabled={last} onClick={() => move(1)}>
            <Icon name="chevronDown" size={14} />
          </button>
          <button type="button" className="icon-button danger" aria-label={`Remove rule ${position}`} title="Remove rule" onClick={() => edit((s) => removeRule(s, rule.id))}>
            <Icon name="trash" size={14} />
          </button>
        </span>
      </div>
      <ConditionList owner={{ kind: 'rule', id: rule.id }} when={rule.when} dimensions={dimensions} emptyText="every row (a catch-all: keep it last)" />
      <IssueNotes messages={issues} />
      <ShadowNote stat={stat} by={shadowedBy} />
    </li>
  );
}, sameCardProps);

/** One rule per value of a column or tag, values picked from the workspace (largest spend first). */
function RulesFromValues({ dimension, dimensionLabel, dimensions, onDone }: { dimension: string; dimensionLabel: string; dimensions: Dimension[]; onDone(): void }) {
  const edit = useAllocation((s) => s.edit);
  const notify = useApp((s) => s.notify);
  const [column, setColumn] = useState(() => preferredTag(dimensions, dimensionLabel)?.column ?? 'ServiceName');
  const q = useApi('explore.values', { column, limit: 40 });
  const values = (q.data?.values ?? []).filter((v): v is { value: string; amount: number } => v.value !== null && v.value !== '');
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const picked = values.filter((v) => !unticked.has(v.value)).map((v) => v.value);
  const add = () => {
    const h = useAllocation.getState().history;
    if (!h) return;
    const r = addRulesFromValues(h.present, dimension, columnField(column), picked);
    edit(() => r.set);
    const n = r.added.length;
    notify({ kind: n === 0 ? 'info' : 'success', title: n === 0 ? 'Every value already has a rule' : `Added ${n} ${n === 1 ? 'rule' : 'rules'}` });
    onDone();
  };
  return (
    <div className="alloc-from-values" data-testid="from-values">
      <div className="alloc-from-values-head">
        <span>
          One rule per value of
        </span>
        <FieldSelect dimensions={dimensions} column={fieldColumn(columnField(column))} label="Column or tag to read values from" testId="from-values-field" onChange={(c) => {
          setColumn(c);
          setUnticked(new Set());
        }} />
        <span className="muted">
          → {dimensionLabel} = the value
        </span>
      </div>
      {q.loading && !q.data ? (
        <Spinner label="Loading values" />
      ) : values.length === 0 ? (
        <div className="muted">No values in this workspace.</div>
      ) : (
        <ul className="alloc-value-picks">
          {values.map((v) => (
            <li key={v.value}>
              <label>
                <input
                  type="checkbox"
                  checked={!unticked.has(v.value)}
                  onChange={(e) =>
                    setUnticked((prev) => {
                      const next = new Set(prev);
                      if (e.target.checked) next.delete(v.value);
                      else next.add(v.value);
                      return next;
                    })
                  }
                />
                <span className="alloc-value-name">{v.value}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="alloc-from-values-actions">
        <button type="button" className="button small" onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="button small primary" data-testid="from-values-add" disabled={picked.length === 0} onClick={add}>
          Add {picked.length} {picked.length === 1 ? 'rule' : 'rules'}
        </button>
      </div>
    </div>
  );
}

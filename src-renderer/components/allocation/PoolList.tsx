// Shared-cost pools of one dimension: the rows that form a pool (a support plan, a shared cluster, an untagged AI
// gateway key) and how it is split over targets: evenly, by fixed percentages, in proportion to each target's direct
// cost, or by imported driver data. Pools are tried before the rules, first pool wins.
import { memo } from 'react';
import type { DriverSummary, RuleStatView } from '../../../src-shared/api/allocation';
import type { Dimension } from '../../../src-shared/api/contract';
import { BASES, type Basis, type Pool, type SplitMethod } from '../../../src-shared/allocate/evaluate';
import { useAllocation } from '../../state/allocation-store';
import { Icon } from '../Icon';
import { Segmented } from '../Segmented';
import { ConditionList } from './ConditionList';
import { ListInput, NumberInput } from './inputs';
import { IssueNotes, sameCardProps, ShadowNote, shadowText, StatBadge, type IssuesById, type StatsById } from './RuleList';
import { addPool, changeMethod, defaultField, movePool, removePool, updatePool } from './ruleset-edits';

const METHODS: ReadonlyArray<readonly [SplitMethod['kind'], string]> = [
  ['proportional', 'Proportional'],
  ['even', 'Evenly'],
  ['fixed', 'Fixed %'],
  ['driver', 'By driver'],
];

export const BASIS_LABEL: Record<Basis, string> = { billed: 'billed cost', effective: 'effective cost', list: 'list cost', contracted: 'contracted cost' };

const METHOD_HINT: Record<SplitMethod['kind'], string> = {
  proportional: 'Each target gets a share in proportion to its direct cost in the same month (one set of shares for every cost column).',
  even: 'Each target gets the same share.',
  fixed: 'Each target gets the percentage you set; they must add up to 100%.',
  driver: 'Each target gets a share in proportion to its quantity in the driver data for the month.',
};

export function PoolList({
  dimension,
  pools,
  stats,
  issues,
  skipped,
  pending,
  dimensions,
  drivers,
  targetSuggestions,
}: {
  dimension: string;
  pools: readonly Pool[];
  stats: StatsById;
  issues: IssuesById;
  skipped: ReadonlySet<string>;
  pending: boolean;
  dimensions: Dimension[];
  drivers: readonly DriverSummary[];
  targetSuggestions: readonly string[];
}) {
  const edit = useAllocation((s) => s.edit);
  const add = () => {
    const h = useAllocation.getState().history;
    if (!h) return;
    const r = addPool(h.present, dimension, defaultField([], dimensions.filter((d) => d.kind === 'focus')));
    edit(() => updatePool(r.set, r.id, { name: `Shared costs ${r.id.slice(1)}` }));
  };
  return (
    <section className="panel alloc-section" aria-labelledby="alloc-pools-title" data-testid="pools-panel">
      <header className="panel-header">
        <h2 id="alloc-pools-title">
          Shared-cost pools <span className="muted">· taken before the rules, then split</span>
        </h2>
        <button type="button" className="button small" data-testid="add-pool" onClick={add}>
          <Icon name="plus" size={13} /> Pool
        </button>
      </header>
      {pools.length === 0 ? (
        <div className="alloc-hint">
          A pool collects shared spend — a support plan, a shared cluster, an untagged AI gateway key — and splits it over the
          targets the rules produce.
        </div>
      ) : (
        <ol className="alloc-rules">
          {pools.map((p, i) => (
            <PoolCard
              key={p.id}
              pool={p}
              first={i === 0}
              last={i === pools.length - 1}
              stat={stats.get(p.id)}
              issues={issues.get(p.id)}
              skipped={skipped.has(p.id)}
              pending={pending}
              dimensions={dimensions}
              drivers={drivers}
              targetSuggestions={targetSuggestions}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

const PoolCard = memo(function PoolCard({
  pool: p,
  first,
  last,
  stat,
  issues,
  skipped,
  pending,
  dimensions,
  drivers,
  targetSuggestions,
}: {
  pool: Pool;
  first: boolean;
  last: boolean;
  stat: RuleStatView | undefined;
  issues: readonly string[] | undefined;
  skipped: boolean;
  pending: boolean;
  dimensions: Dimension[];
  drivers: readonly DriverSummary[];
  targetSuggestions: readonly string[];
}) {
  const edit = useAllocation((s) => s.edit);
  const put = (patch: Partial<Pool>, key?: string) => edit((s) => updatePool(s, p.id, patch), key ? `${p.id}.${key}` : null);
  const m = p.method;
  const total = m.kind === 'fixed' ? Math.round(m.percents.reduce((s, x) => s + x.percent, 0) * 1e6) / 1e6 : 100;
  return (
    <li className={`alloc-rule alloc-pool${issues?.length ? ' has-problem' : ''}`} data-testid={`pool-${p.id}`} aria-label={`Pool ${p.name}`}>
      <div className="alloc-rule-head">
        <span className="alloc-pos pool" aria-hidden="true">
          <Icon name="split" size={13} />
        </span>
        <input
          className="input alloc-pool-name"
          aria-label="Pool name"
          data-testid="pool-name"
          placeholder="Pool name, e.g. Support plan"
          value={p.name}
          onChange={(e) => put({ name: e.target.value }, 'name')}
        />
        <StatBadge stat={stat} skipped={skipped} pending={pending} />
        <span className="alloc-id mono">{p.id}</span>
        <span className="alloc-tools">
          <button type="button" className="icon-button" aria-label={`Move pool ${p.name} up`} disabled={first} onClick={() => edit((s) => movePool(s, p.id, -1))}>
            <Icon name="chevronUp" size={14} />
          </button>
          <button type="button" className="icon-button" aria-label={`Move pool ${p.name} down`} disabled={last} onClick={() => edit((s) => movePool(s, p.id, 1))}>
            <Icon name="chevronDown" size={14} />
          </button>
          <button type="button" className="icon-button danger" aria-label={`Remove pool ${p.name}`} onClick={() => edit((s) => removePool(s, p.id))}>
            <Icon name="trash" size={14} />
          </button>
        </span>
      </div>
      <ConditionList owner={{ kind: 'pool', id: p.id }} when={p.when} dimensions={dimensions} emptyText="no rows yet: add a condition" canRemoveLast={false} />
      <div className="alloc-split">
        <span className="alloc-cond-join">split</span>
        <Segmented
          options={METHODS}
          value={m.kind}
          label={`How pool ${p.name} is split`}
          testId="pool-method"
          onChange={(kind) => put({ method: changeMethod(p, kind, drivers.map((d) => d.driver)) })}
        />
        {m.kind === 'proportional' ? (
          <select
            className="select"
            aria-label="Direct cost the shares follow"
            data-testid="pool-basis"
            title="Whose direct cost sets the shares: one set of shares serves every cost column"
            value={m.basis}
            onChange={(e) => put({ method: { kind: 'proportional', basis: e.target.value as Basis } })}
          >
            {BASES.map((b) => (
              <option key={b} value={b}>
                by {BASIS_LABEL[b]}
              </option>
            ))}
          </select>
        ) : null}
        {m.kind === 'driver' ? (
          drivers.length ? (
            <select
              className="select"
              aria-label="Driver data"
              value={m.driver}
              onChange={(e) => put({ method: { kind: 'driver', driver: e.target.value } })}
            >
              {!drivers.some((d) => d.driver === m.driver) ? <option value={m.driver}>{m.driver || 'Pick a driver'}</option> : null}
              {drivers.map((d) => (
                <option key={d.driver} value={d.driver}>
                  {d.driver}
                </option>
              ))}
            </select>
          ) : (
            <span className="alloc-cond-note warning-text">Import driver data below first</span>
          )
        ) : null}
      </div>
      <div className="alloc-split-hint muted small">{METHOD_HINT[m.kind]}</div>
      {m.kind === 'fixed' ? (
        <div className="alloc-percents" data-testid="pool-percents">
          {m.percents.map((x, i) => (
            <div key={i} className="alloc-percent-row">
              <input
                className="input"
                aria-label={`Target ${i + 1}`}
                placeholder="target"
                list={`alloc-targets-${p.id}`}
                value={x.target}
                onChange={(e) =>
                  put({ method: { kind: 'fixed', percents: m.percents.map((y, j) => (j === i ? { ...y, target: e.target.value } : y)) } }, `pct.${i}.target`)
                }
              />
              <NumberInput
                className="alloc-num"
                aria-label={`Percent for target ${i + 1}`}
                value={x.percent}
                onChange={(v) =>
                  put({ method: { kind: 'fixed', percents: m.percents.map((y, j) => (j === i ? { ...y, percent: Math.max(0, Math.min(100, v ?? 0)) } : y)) } }, `pct.${i}.percent`)
                }
              />
              <span className="muted">%</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove target ${i + 1}`}
                disabled={m.percents.length === 1}
                onClick={() => put({ method: { kind: 'fixed', percents: m.percents.filter((_, j) => j !== i) } })}
              >
                <Icon name="x" size={13} />
              </button>
            </div>
          ))}
          <div className="alloc-percent-foot">
            <button type="button" className="link-button small" onClick={() => put({ method: { kind: 'fixed', percents: [...m.percents, { target: '', percent: 0 }] } })}>
              <Icon name="plus" size={12} /> Target
            </button>
            <span className={`alloc-percent-total ${total === 100 ? 'ok' : 'bad'}`} data-testid="pool-percent-total">
              {total === 100 ? 'Adds up to 100%' : `Adds up to ${total}% — must be 100%`}
            </span>
          </div>
        </div>
      ) : (
        <div className="alloc-targets">
          <span className="alloc-cond-join">over</span>
          <ListInput
            className="alloc-targets-input"
            aria-label={`Targets of pool ${p.name}, separated by commas`}
            data-testid="pool-targets"
            placeholder="every target with direct cost (or list some: web, data)"
            list={`alloc-targets-${p.id}`}
            values={p.targets}
            onChange={(targets) => put({ targets }, 'targets')}
          />
        </div>
      )}
      <datalist id={`alloc-targets-${p.id}`}>
        {targetSuggestions.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <IssueNotes messages={issues} />
      <ShadowNote stat={stat} by={shadowText(stat, new Map())} />
    </li>
  );
}, sameCardProps);

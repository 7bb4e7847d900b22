// The user's own dimensions (team, product, environment, AI use case): one tab each, adding, renaming, case
// normalization and removal. A dimension's values land in the x_<Key> column when applied.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Normalize } from '../../../src-shared/allocate/rules';
import type { RuleSet } from '../../../src-shared/allocate/ruleset';
import { useAllocation } from '../../state/allocation-store';
import { useApp } from '../../state/app-store';
import { Icon } from '../Icon';
import { addDimension, removeDimension, renameDimension, setNormalize } from './ruleset-edits';

const SUGGESTED = ['Team', 'Product', 'Environment', 'AI use case', 'Cost center'];
const MAX_DIMENSIONS = 8;

function useAddDimension(): (label: string) => void {
  const edit = useAllocation((s) => s.edit);
  const setDimension = useAllocation((s) => s.setDimension);
  return (label) => {
    const h = useAllocation.getState().history;
    if (!h || !label.trim()) return;
    const r = addDimension(h.present, label);
    edit(() => r.set);
    setDimension(r.key);
  };
}

export function DimensionTabs({ set, current }: { set: RuleSet; current: string }) {
  const setDimension = useAllocation((s) => s.setDimension);
  const add = useAddDimension();
  const [adding, setAdding] = useState(false);
  const [label, setLabel] = useState('');
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = set.dimensions.findIndex((d) => d.key === current);
    const next = set.dimensions[(i + (e.key === 'ArrowRight' ? 1 : set.dimensions.length - 1)) % set.dimensions.length];
    if (!next) return;
    e.preventDefault();
    setDimension(next.key);
    (e.currentTarget.querySelector(`[data-key="${CSS.escape(next.key)}"]`) as HTMLElement | null)?.focus();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add(label);
    setLabel('');
    setAdding(false);
  };
  return (
    <div className="alloc-dims">
      <div className="alloc-dim-tabs" role="tablist" aria-label="Dimensions" onKeyDown={onKey}>
        {set.dimensions.map((d) => {
          const rules = set.rules.filter((r) => r.dimension === d.key).length;
          return (
            <button
              key={d.key}
              type="button"
              role="tab"
              data-key={d.key}
              data-testid={`dimension-tab-${d.key}`}
              aria-selected={d.key === current}
              tabIndex={d.key === current ? 0 : -1}
              className={`alloc-dim-tab${d.key === current ? ' selected' : ''}`}
              onClick={() => setDimension(d.key)}
            >
              {d.label}
              <span className="alloc-dim-count">{rules}</span>
            </button>
          );
        })}
      </div>
      {adding ? (
        <form className="alloc-dim-add" onSubmit={submit}>
          <input
            className="input"
            autoFocus
            aria-label="New dimension name"
            data-testid="dimension-new-label"
            data-native-undo
            placeholder="e.g. Product"
            value={label}
            maxLength={60}
            onChange={(e) => setLabel(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.stopPropagation();
                setAdding(false);
              }
            }}
          />
          <button type="submit" className="button small primary" disabled={!label.trim()}>
            Add
          </button>
          <button type="button" className="button small" onClick={() => setAdding(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="button small ghost"
          data-testid="add-dimension"
          disabled={set.dimensions.length >= MAX_DIMENSIONS}
          title={set.dimensions.length >= MAX_DIMENSIONS ? `At most ${MAX_DIMENSIONS} dimensions` : 'Add a dimension'}
          onClick={() => setAdding(true)}
        >
          <Icon name="plus" size={12} /> Dimension
        </button>
      )}
    </div>
  );
}

export function DimensionSettings({ set, dimension }: { set: RuleSet; dimension: string }) {
  const edit = useAllocation((s) => s.edit);
  const undo = useAllocation((s) => s.undo);
  const notify = useApp((s) => s.notify);
  const d = set.dimensions.find((x) => x.key === dimension);
  if (!d) return null;
  const how = set.normalize[dimension] ?? 'none';
  const assigned = set.rules.filter((r) => r.dimension === dimension).length + set.pools.filter((p) => p.dimension === dimension).length;
  const remove = () => {
    edit((s) => removeDimension(s, dimension));
    notify({
      kind: 'info',
      title: `Dimension ${d.label} removed`,
      ...(assigned ? { message: `with its ${assigned} ${assigned === 1 ? 'rule or pool' : 'rules and pools'}` } : {}),
      action: { label: 'Undo', run: undo },
    });
  };
  return (
    <div className="alloc-dim-settings" data-testid="dimension-settings">
      <label className="alloc-inline-field">
        <span className="control-label">Name</span>
        <input
          className="input"
          data-testid="dimension-label"
          value={d.label}
          maxLength={60}
          onChange={(e) => edit((s) => renameDimension(s, dimension, e.target.value), `dim.${dimension}.label`)}
        />
      </label>
      <span className="alloc-inline-field">
        <span className="control-label">Column</span>
        <code className="alloc-key" title="Applied values land in this column; Overview and Rows can group by it">
          x_{d.key}
        </code>
      </span>
      <label className="alloc-inline-field">
        <span className="control-label">Values written</span>
        <select
          className="select"
          data-testid="dimension-normalize"
          value={how}
          onChange={(e) => edit((s) => setNormalize(s, dimension, e.target.value as Normalize))}
        >
          <option value="none">as the rules give them</option>
          <option value="lower">in lower case (ML → ml)</option>
          <option value="upper">in upper case (ml → ML)</option>
        </select>
      </label>
      <span className="alloc-grow" />
      <button type="button" className="button small ghost danger-text" data-testid="dimension-remove" title={`Remove the dimension ${d.label} with its rules and pools`} onClick={remove}>
        <Icon name="trash" size={13} /> Remove
      </button>
    </div>
  );
}

export function NoDimensions() {
  const add = useAddDimension();
  const [label, setLabel] = useState('Team');
  return (
    <section className="panel alloc-empty big" data-testid="no-dimensions" aria-labelledby="alloc-nodim-title">
      <div className="empty-illustration" aria-hidden="true">
        <Icon name="split" size={32} />
      </div>
      <h2 id="alloc-nodim-title">Define a first dimension</h2>
      <p>
        A dimension is what spend is allocated to: a team, a product, an environment, an AI use case. Rules then give each row a
        value of it, and shared costs are split over those values.
      </p>
      <form
        className="alloc-dim-add"
        onSubmit={(e) => {
          e.preventDefault();
          add(label);
        }}
      >
        <input className="input" aria-label="Dimension name" value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" className="button primary" disabled={!label.trim()}>
          <Icon name="plus" size={14} /> Add dimension
        </button>
      </form>
      <div className="alloc-suggest">
        {SUGGESTED.map((s) => (
          <button key={s} type="button" className="chip" onClick={() => add(s)}>
            {s}
          </button>
        ))}
      </div>
    </section>
  );
}

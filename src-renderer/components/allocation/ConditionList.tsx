// The conditions of a rule or a pool ("when Tags.team equals platform and ServiceName contains GPU"): every one must
// hold. Each edit goes through the store, so it can be undone.
import type { ReactNode } from 'react';
import type { Dimension } from '../../../src-shared/api/contract';
import type { Condition } from '../../../src-shared/allocate/rules';
import { useAllocation } from '../../state/allocation-store';
import { Icon } from '../Icon';
import { FieldSelect, ListInput, NumberInput, SuggestInput } from './inputs';
import { addCondition, changeOp, columnField, defaultField, fieldColumn, newCondition, OPS, removeCondition, setCondition, type Op } from './ruleset-edits';

type Owner = { kind: 'rule' | 'pool'; id: string };

export function ConditionList({
  owner,
  when,
  dimensions,
  emptyText,
  canRemoveLast = true,
}: {
  owner: Owner;
  when: readonly Condition[];
  dimensions: Dimension[];
  emptyText: string;
  canRemoveLast?: boolean;
}) {
  const edit = useAllocation((s) => s.edit);
  // the add button sits at the end of the last line, so a one-condition rule is one line tall
  const addButton = (
    <button
      type="button"
      className="link-button small alloc-add-cond"
      data-testid="add-condition"
      title="Add a condition (every condition must hold)"
      onClick={() => edit((s) => addCondition(s, owner, newCondition(defaultField(when, dimensions))))}
    >
      <Icon name="plus" size={12} /> {when.length === 0 ? 'Condition' : 'And'}
    </button>
  );
  return (
    <div className="alloc-conds">
      {when.length === 0 ? (
        <div className="alloc-cond">
          <span className="alloc-cond-join">when</span>
          <span className="alloc-cond-empty">{emptyText}</span>
          {addButton}
        </div>
      ) : null}
      {when.map((c, i) => (
        <ConditionRow
          key={i}
          owner={owner}
          index={i}
          condition={c}
          dimensions={dimensions}
          canRemove={canRemoveLast || when.length > 1}
          after={i === when.length - 1 ? addButton : null}
        />
      ))}
    </div>
  );
}

function ConditionRow({
  owner,
  index,
  condition: c,
  dimensions,
  canRemove,
  after,
}: {
  owner: Owner;
  index: number;
  condition: Condition;
  dimensions: Dimension[];
  canRemove: boolean;
  after: ReactNode;
}) {
  const edit = useAllocation((s) => s.edit);
  const key = `${owner.id}.when.${index}`;
  const put = (next: Condition, field?: string) => edit((s) => setCondition(s, owner, index, next), field ? `${key}.${field}` : null);
  const column = fieldColumn(c.field);
  const n = index + 1;
  return (
    <div className="alloc-cond" data-testid="condition">
      <span className="alloc-cond-join" aria-hidden="true">
        {index === 0 ? 'when' : 'and'}
      </span>
      <FieldSelect
        dimensions={dimensions}
        column={column}
        label={`Condition ${n}: column or tag`}
        testId="condition-field"
        onChange={(col) => put({ ...c, field: columnField(col) })}
      />
      <select
        className="select alloc-op"
        aria-label={`Condition ${n}: operator`}
        data-testid="condition-op"
        value={c.op}
        onChange={(e) => put(changeOp(c, e.target.value as Op))}
      >
        {OPS.map(([op, label]) => (
          <option key={op} value={op}>
            {label}
          </option>
        ))}
      </select>
      <ConditionValue c={c} column={column} n={n} put={put} />
      {'caseSensitive' in c ? (
        <button
          type="button"
          className={`alloc-case${c.caseSensitive ? ' on' : ''}`}
          aria-pressed={c.caseSensitive}
          aria-label={`Condition ${n}: match case`}
          title={c.caseSensitive ? 'Case-sensitive: "ML" and "ml" differ' : 'Case-insensitive: "ML" and "ml" are the same'}
          onClick={() => put({ ...c, caseSensitive: !c.caseSensitive })}
        >
          Aa
        </button>
      ) : null}
      {canRemove ? (
        <button
          type="button"
          className="icon-button alloc-cond-remove"
          aria-label={`Remove condition ${n}`}
          title="Remove this condition"
          onClick={() => edit((s) => removeCondition(s, owner, index))}
        >
          <Icon name="x" size={13} />
        </button>
      ) : null}
      {after}
    </div>
  );
}

function ConditionValue({ c, column, n, put }: { c: Condition; column: string; n: number; put: (c: Condition, field?: string) => void }) {
  switch (c.op) {
    case 'equals':
    case 'contains':
      return (
        <SuggestInput
          column={column}
          className="alloc-cond-value"
          aria-label={`Condition ${n}: value`}
          data-testid="condition-value"
          placeholder={c.op === 'equals' ? 'value' : 'text'}
          value={c.value}
          onChange={(v) => put({ ...c, value: v }, 'value')}
        />
      );
    case 'regex':
      return (
        <input
          className="input mono alloc-cond-value"
          aria-label={`Condition ${n}: regular expression`}
          data-testid="condition-value"
          placeholder="^ml-.*"
          spellCheck={false}
          value={c.pattern}
          onChange={(e) => put({ ...c, pattern: e.target.value }, 'pattern')}
        />
      );
    case 'in':
      return (
        <ListInput
          className="alloc-cond-value"
          aria-label={`Condition ${n}: values, separated by commas`}
          data-testid="condition-value"
          placeholder="a, b, c"
          values={c.values}
          onChange={(values) => put({ ...c, values }, 'values')}
        />
      );
    case 'range':
      return (
        <span className="alloc-range">
          <NumberInput
            className="alloc-num"
            aria-label={`Condition ${n}: at least`}
            placeholder="min"
            value={c.min}
            onChange={(min) => put({ ...c, min }, 'min')}
          />
          <span className="muted">to below</span>
          <NumberInput
            className="alloc-num"
            aria-label={`Condition ${n}: below`}
            placeholder="max"
            value={c.max}
            onChange={(max) => put({ ...c, max }, 'max')}
          />
        </span>
      );
    case 'missing':
      return <span className="alloc-cond-note muted">empty or absent</span>;
  }
}

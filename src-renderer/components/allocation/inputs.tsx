// Inputs of the rule editor: a text field that is one undo step per typing burst, a list typed as "a, b, c" and a
// number, both keeping what is being typed while focused (so "1." or a trailing comma are not rewritten under the
// cursor), value suggestions from the workspace, and the column picker.
import { useEffect, useId, useState, type InputHTMLAttributes } from 'react';
import type { Dimension } from '../../../src-shared/api/contract';
import { DimensionOptions } from '../DimensionOptions';
import { useApi } from '../../state/use-api';
import { splitList } from './ruleset-edits';

type Base = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** Text kept locally while focused and committed on every change as `parse(text)`; shows `format(value)` otherwise. */
function useLocalText<T>(value: T, format: (v: T) => string): [string, (t: string) => void, { onFocus(): void; onBlur(): void }] {
  const [focused, setFocused] = useState(false);
  const [text, setText] = useState(() => format(value));
  const shown = focused ? text : format(value);
  return [
    shown,
    setText,
    {
      onFocus: () => {
        setText(format(value));
        setFocused(true);
      },
      onBlur: () => setFocused(false),
    },
  ];
}

export function ListInput({ values, onChange, ...rest }: Base & { values: readonly string[]; onChange(values: string[]): void }) {
  const [text, setText, focus] = useLocalText(values, (v) => v.join(', '));
  return (
    <input
      {...rest}
      className={`input ${rest.className ?? ''}`}
      value={text}
      onFocus={focus.onFocus}
      onBlur={focus.onBlur}
      onChange={(e) => {
        setText(e.target.value);
        onChange(splitList(e.target.value));
      }}
    />
  );
}

export function NumberInput({ value, onChange, ...rest }: Base & { value: number | null; onChange(v: number | null): void }) {
  const [text, setText, focus] = useLocalText(value, (v) => (v === null ? '' : String(v)));
  const bad = text.trim() !== '' && !Number.isFinite(Number(text));
  return (
    <input
      {...rest}
      inputMode="decimal"
      aria-invalid={bad || undefined}
      className={`input ${bad ? 'invalid' : ''} ${rest.className ?? ''}`}
      value={text}
      onFocus={focus.onFocus}
      onBlur={focus.onBlur}
      onChange={(e) => {
        setText(e.target.value);
        const t = e.target.value.trim();
        if (t === '') onChange(null);
        else if (Number.isFinite(Number(t))) onChange(Number(t));
      }}
    />
  );
}

/**
 * A text input offering the column's values (largest spend first) as a native datalist: asked for only while the
 * input has focus, so a list of fifty rules does not ask fifty questions.
 */
export function SuggestInput({ column, value, onChange, ...rest }: Base & { column: string | null; value: string; onChange(v: string): void }) {
  const [active, setActive] = useState(false);
  const listId = useId();
  const q = useApi('explore.values', active && column ? { column, limit: 60 } : null);
  const values = (q.data?.values ?? []).map((v) => v.value).filter((v): v is string => v !== null && v !== '');
  return (
    <>
      <input
        {...rest}
        className={`input ${rest.className ?? ''}`}
        list={column ? listId : undefined}
        value={value}
        onFocus={(e) => {
          setActive(true);
          rest.onFocus?.(e);
        }}
        onChange={(e) => onChange(e.target.value)}
      />
      {column ? (
        <datalist id={listId}>
          {values.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ) : null}
    </>
  );
}

/** Columns and tags a condition can read (cost columns are what is allocated, never what a rule reads). */
export function FieldSelect({ dimensions, column, onChange, label, testId }: { dimensions: Dimension[]; column: string; onChange(column: string): void; label: string; testId?: string }) {
  return (
    <select className="select alloc-field" aria-label={label} data-testid={testId} value={column} onChange={(e) => onChange(e.target.value)}>
      {/* a rule reads what a row is; an allocation dimension is what rules make (it would read itself) */}
      <DimensionOptions dimensions={dimensions.filter((d) => d.kind !== 'allocation')} current={column} />
    </select>
  );
}

/** Focus `ref`'s element once when `when` turns true (a rule just added gets the cursor in its value). */
export function useFocusWhen(when: boolean, el: HTMLElement | null, done: () => void): void {
  useEffect(() => {
    if (when && el) {
      el.focus();
      done();
    }
  }, [when, el, done]);
}

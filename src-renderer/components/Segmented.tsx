// A row of mutually exclusive choices (radio semantics): granularity, which rules or invoices to show.
import type { KeyboardEvent } from 'react';

export function Segmented<T extends string>({
  options,
  value,
  onChange,
  label,
  labelledBy,
  testId,
}: {
  options: ReadonlyArray<readonly [T, string]>;
  value: T;
  onChange: (v: T) => void;
  /** aria-label, or the id of a visible label (labelledBy). */
  label?: string;
  labelledBy?: string;
  testId?: string;
}) {
  // arrow keys move the choice, as in a native radio group
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = options.findIndex(([id]) => id === value);
    const next = options[(i + (e.key === 'ArrowRight' ? 1 : options.length - 1)) % options.length];
    if (!next) return;
    e.preventDefault();
    onChange(next[0]);
    (e.currentTarget.querySelector(`[data-value="${CSS.escape(next[0])}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div className="segmented" role="radiogroup" aria-label={label} aria-labelledby={labelledBy} data-testid={testId} onKeyDown={onKey}>
      {options.map(([id, text]) => (
        <button
          key={id}
          type="button"
          role="radio"
          data-value={id}
          aria-checked={value === id}
          tabIndex={value === id ? 0 : -1}
          className={value === id ? 'selected' : ''}
          onClick={() => onChange(id)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

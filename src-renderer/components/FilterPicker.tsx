// "+ Filter": pick a dimension, search its values (largest first, in the current scope), tick several, keep or
// exclude them. Keyboard: type to search, ↓ into the list, Space ticks, Enter applies, Esc closes.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { valueLabel } from '../format/labels';
import { formatMoney } from '../format/money';
import { useExplore } from '../state/explore-store';
import { useApi } from '../state/use-api';
import { useDimensions } from '../state/use-dimensions';
import { Spinner } from './Feedback';
import { DimensionOptions } from './DimensionOptions';
import { Icon } from './Icon';
import { Segmented } from './Segmented';

const VALUES_LIMIT = 100;

export function FilterPicker() {
  const [open, setOpen] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  return (
    <div className="filter-picker-wrap" ref={wrapRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button small ghost"
        data-testid="filter-add"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="plus" size={12} /> Filter
      </button>
      {open ? <FilterPanel onClose={close} /> : null}
    </div>
  );
}

function FilterPanel({ onClose }: { onClose(): void }) {
  const dims = useDimensions();
  const e = useExplore(useShallow((s) => ({ from: s.from, to: s.to, filters: s.filters, metric: s.metric, addFilter: s.addFilter })));
  const [column, setColumn] = useState('ServiceName');
  const [mode, setMode] = useState<'include' | 'exclude'>('include');
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [picked, setPicked] = useState<ReadonlyArray<string | null>>([]);
  const [active, setActive] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 180);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => searchRef.current?.focus(), []);

  // values in the scope without this column's own filters (they would hide the values one may want to add)
  const input = useMemo(
    () => ({
      column,
      limit: VALUES_LIMIT,
      metric: e.metric,
      filters: e.filters.filter((f) => f.column !== column),
      ...(e.from ? { from: e.from } : {}),
      ...(e.to ? { to: e.to } : {}),
      ...(debounced ? { search: debounced } : {}),
    }),
    [column, e.metric, e.filters, e.from, e.to, debounced],
  );
  const values = useApi('explore.values', input);
  const list = values.data?.values ?? [];
  const currency = null; // amounts are a ranking aid here: several currencies may be in scope

  const toggle = (v: string | null) => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p, v]));
  const apply = () => {
    for (const v of picked) e.addFilter(column, v, mode === 'exclude');
    onClose();
  };
  const focusOption = (i: number) => {
    setActive(i);
    listRef.current?.querySelector<HTMLElement>(`[data-index="${i}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  const onListKey = (ev: KeyboardEvent<HTMLUListElement>) => {
    if (ev.key === 'ArrowDown') focusOption(Math.min(list.length - 1, active + 1));
    else if (ev.key === 'ArrowUp') {
      if (active === 0) searchRef.current?.focus();
      else focusOption(active - 1);
    } else if (ev.key === ' ') {
      const v = list[active];
      if (v) toggle(v.value);
    } else if (ev.key === 'Enter') apply();
    else return;
    ev.preventDefault();
  };

  return (
    <div
      className="menu filter-panel"
      role="dialog"
      aria-label="Add a filter"
      data-testid="filter-panel"
      onKeyDown={(ev) => {
        if (ev.key === 'Escape') {
          ev.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="filter-panel-row">
        <select
          className="select"
          aria-label="Dimension"
          data-testid="filter-column"
          value={column}
          onChange={(ev) => {
            setColumn(ev.target.value);
            setPicked([]);
            setActive(0);
          }}
        >
          <DimensionOptions dimensions={dims.list} current={column} />
        </select>
        <Segmented<'include' | 'exclude'>
          options={[
            ['include', 'Keep'],
            ['exclude', 'Exclude'],
          ]}
          value={mode}
          onChange={setMode}
          label="Keep or exclude the values"
          testId="filter-mode"
        />
      </div>
      <div className="filter-search">
        <Icon name="search" size={13} />
        <input
          ref={searchRef}
          className="input"
          type="search"
          placeholder="Search values…"
          aria-label="Search values"
          data-testid="filter-search"
          value={search}
          onChange={(ev) => {
            setSearch(ev.target.value);
            setActive(0);
          }}
          onKeyDown={(ev) => {
            if (ev.key === 'ArrowDown' && list.length > 0) {
              ev.preventDefault();
              listRef.current?.focus();
              focusOption(0);
            } else if (ev.key === 'Enter' && picked.length > 0) {
              ev.preventDefault();
              apply();
            }
          }}
        />
        {values.loading ? <Spinner size={12} label="Loading values" /> : null}
      </div>
      <ul
        ref={listRef}
        className="filter-values"
        role="listbox"
        aria-multiselectable="true"
        aria-label="Values"
        aria-activedescendant={list[active] ? `filter-value-${active}` : undefined}
        tabIndex={0}
        data-testid="filter-values"
        onKeyDown={onListKey}
      >
        {values.error ? (
          <li className="filter-note warning-text">
            {values.error.code === 'mixed-currency' ? 'Several billing currencies are in scope: keep one first (pick Billing Currency here).' : values.error.message}
          </li>
        ) : list.length === 0 && !values.loading ? (
          <li className="filter-note">{debounced ? `No value contains “${debounced}”.` : 'No values in this scope.'}</li>
        ) : (
          list.map((v, i) => {
            const on = picked.includes(v.value);
            return (
              <li
                key={`${String(v.value)}-${i}`}
                id={`filter-value-${i}`}
                data-index={i}
                data-value={v.value ?? ''}
                role="option"
                aria-selected={on}
                className={`filter-value${i === active ? ' active' : ''}${on ? ' on' : ''}`}
                onMouseDown={(ev) => ev.preventDefault()}
                onClick={() => {
                  setActive(i);
                  toggle(v.value);
                }}
              >
                <span className="filter-check" aria-hidden="true">
                  {on ? <Icon name="check" size={11} /> : null}
                </span>
                <span className={`filter-value-name${v.value === null ? ' muted' : ''}`}>{valueLabel(v.value)}</span>
                <span className="num muted">{formatMoney(v.amount, currency)}</span>
              </li>
            );
          })
        )}
      </ul>
      {list.length === VALUES_LIMIT ? <p className="filter-note">The {VALUES_LIMIT} largest values; search to find others.</p> : null}
      <div className="filter-panel-footer">
        <span className="muted">{picked.length === 0 ? 'Tick one or more values' : `${picked.length} selected`}</span>
        <button type="button" className="button small" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button small primary" data-testid="filter-apply" disabled={picked.length === 0} onClick={apply}>
          {mode === 'exclude' ? 'Exclude' : 'Keep only'}
        </button>
      </div>
    </div>
  );
}

// explore.compare: the change of a scope's cost between two periods, per value of one dimension, explained as price,
// usage, mix, new, removed and credits (the method is at the top of explain-change.ts). Runs in the query worker.
import type { CompareLine, CompareOutput, CompareRow, ParsedInput } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { nanosToNumber } from '../ingest/decimal';
import type { Db } from '../store/workspace';
import { periodRows, type PeriodRow } from './compare-sql';
import { addExplained, emptyExplained, explainChange, PART_NAMES, type Explained, type ItemPeriods } from './explain-change';
import { DictLookup, resolveColumn } from './scope';

export const OTHER_VALUE = '(other)';

interface ValueAcc {
  currency: number;
  value: number | string | null;
  items: Map<string, ItemPeriods>;
  credits: { a: bigint; b: bigint };
}

function collect(into: Map<string, ValueAcc>, rows: PeriodRow[], period: 'a' | 'b'): number {
  let count = 0;
  for (const r of rows) {
    count += r.rows;
    const key = `${r.currency}\u0001${r.value === null ? '\u0000' : String(r.value)}`;
    let v = into.get(key);
    if (!v) into.set(key, (v = { currency: r.currency, value: r.value, items: new Map(), credits: { a: 0n, b: 0n } }));
    if (r.credit) {
      v.credits[period] += r.cost;
      continue;
    }
    const itemKey = `${r.item}:${r.unit}`;
    let it = v.items.get(itemKey);
    if (!it) v.items.set(itemKey, (it = { unit: r.unit, a: null, b: null }));
    it[period] = { cost: r.cost, quantity: r.quantity };
  }
  return count;
}

function line(e: Explained): CompareLine {
  const parts = {} as CompareLine['parts'];
  for (const p of PART_NAMES) parts[p] = nanosToNumber(e.parts[p]);
  return {
    a: nanosToNumber(e.a),
    b: nanosToNumber(e.b),
    change: nanosToNumber(e.change),
    parts,
    newItems: e.newItems,
    removedItems: e.removedItems,
  };
}

const abs = (x: bigint) => (x < 0n ? -x : x);

export function compareView(db: Db, input: ParsedInput<'explore.compare'>): CompareOutput {
  const group = resolveColumn(input.groupBy);
  if (group.kind === 'column' && group.storage !== 'text') {
    throw new EngineError('bad-input', `cannot compare by ${group.name}: group by a dimension (a text column, Tags.<key> or an x_ column)`);
  }
  const dict = new DictLookup(db);
  const scope = { filters: input.filters, metric: input.metric, group };
  const values = new Map<string, ValueAcc>();
  const rowsA = collect(values, periodRows(db, dict, { ...scope, ...input.a }), 'a');
  const rowsB = collect(values, periodRows(db, dict, { ...scope, ...input.b }), 'b');

  const accs = [...values.values()];
  const names = dict.values([...accs.map((v) => v.currency), ...(group.kind === 'json' ? [] : accs.map((v) => Number(v.value ?? 0)))]);
  const currencyName = (id: number) => names.get(id) ?? '(none)';
  const currencies = [...new Set(accs.map((v) => currencyName(v.currency)))].sort();
  const byCurrency = group.kind === 'column' && group.name === 'BillingCurrency';
  if (currencies.length > 1 && !byCurrency) {
    throw new EngineError(
      'mixed-currency',
      `Several billing currencies are in scope (${currencies.join(', ')}); amounts in different currencies are never added together. Filter by BillingCurrency (e.g. --filter BillingCurrency=${currencies[0]}) or group by BillingCurrency.`,
      { currencies },
    );
  }

  const explained = accs.map((v) => ({
    value: group.kind === 'json' ? (v.value as string | null) : v.value === 0 ? null : (names.get(Number(v.value)) ?? null),
    currency: currencyName(v.currency),
    e: explainChange(v.items.values(), v.credits),
  }));
  explained.sort((x, y) => {
    const d = abs(y.e.change) - abs(x.e.change);
    if (d !== 0n) return d > 0n ? 1 : -1;
    return (x.value ?? '').localeCompare(y.value ?? '');
  });

  // several currencies (grouped by BillingCurrency) are never folded into one "(other)" row
  const keep = currencies.length > 1 ? explained.length : input.top;
  const rows: CompareRow[] = explained.slice(0, keep).map((x) => ({ value: x.value, currency: x.currency, ...line(x.e) }));
  const rest = explained.slice(keep);
  if (rest.length > 0) {
    // the values beyond the top N, summed part by part so the table still adds up to the total
    const other = rest.reduce((acc, x) => addExplained(acc, x.e), emptyExplained());
    rows.push({ value: OTHER_VALUE, currency: currencies[0] ?? null, ...line(other), values: rest.length });
  }
  const total = currencies.length <= 1 ? line(explained.reduce((acc, x) => addExplained(acc, x.e), emptyExplained())) : null;
  return {
    metric: input.metric,
    groupBy: group.label,
    currency: currencies.length === 1 ? currencies[0]! : null,
    currencies,
    a: { ...input.a, rows: rowsA },
    b: { ...input.b, rows: rowsB },
    rows,
    total,
  };
}

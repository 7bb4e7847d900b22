// The showback answer (one row per target, month and currency) as a table per billing currency: targets by month,
// their direct, shared and total over the months, the unallocated remainder and the totals. Sums are taken in
// integer nanos, so a column's total is the exact sum of its cells, and currencies are never added together.
import type { Showback } from '../../../src-shared/api/allocation';

export interface Cell {
  direct: number;
  shared: number;
  total: number;
}

export interface MatrixLine {
  /** null: the unallocated remainder */
  target: string | null;
  byMonth: ReadonlyMap<string, Cell>;
  sum: Cell;
}

export interface CurrencyMatrix {
  currency: string;
  months: string[];
  /** largest total first */
  targets: MatrixLine[];
  unallocated: MatrixLine | null;
  totals: MatrixLine;
}

const toNanos = (x: number): bigint => BigInt(Math.round(x * 1e9));
const fromNanos = (n: bigint): number => Number(n) / 1e9;

interface Acc {
  direct: bigint;
  shared: bigint;
  total: bigint;
}
const zero = (): Acc => ({ direct: 0n, shared: 0n, total: 0n });
const cell = (a: Acc): Cell => ({ direct: fromNanos(a.direct), shared: fromNanos(a.shared), total: fromNanos(a.total) });

function line(target: string | null, byMonth: Map<string, Acc>): MatrixLine & { nanos: Acc } {
  const sum = zero();
  for (const a of byMonth.values()) {
    sum.direct += a.direct;
    sum.shared += a.shared;
    sum.total += a.total;
  }
  return { target, byMonth: new Map([...byMonth].map(([m, a]) => [m, cell(a)])), sum: cell(sum), nanos: sum };
}

export function showbackMatrix(sb: Pick<Showback, 'rows' | 'months'>): CurrencyMatrix[] {
  const byCurrency = new Map<string, Map<string | null, Map<string, Acc>>>();
  for (const r of sb.rows) {
    let targets = byCurrency.get(r.currency);
    if (!targets) byCurrency.set(r.currency, (targets = new Map()));
    let months = targets.get(r.target);
    if (!months) targets.set(r.target, (months = new Map()));
    let a = months.get(r.month);
    if (!a) months.set(r.month, (a = zero()));
    a.direct += toNanos(r.direct);
    a.shared += toNanos(r.shared);
    a.total += toNanos(r.total);
  }
  const out: CurrencyMatrix[] = [];
  for (const [currency, targets] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    const months = sb.months.length ? [...sb.months] : [...new Set([...targets.values()].flatMap((m) => [...m.keys()]))].sort();
    const totals = new Map<string, Acc>();
    for (const byMonth of targets.values())
      for (const [m, a] of byMonth) {
        let t = totals.get(m);
        if (!t) totals.set(m, (t = zero()));
        t.direct += a.direct;
        t.shared += a.shared;
        t.total += a.total;
      }
    const lines = [...targets].filter(([t]) => t !== null).map(([t, m]) => line(t, m));
    lines.sort((a, b) => (b.nanos.total > a.nanos.total ? 1 : b.nanos.total < a.nanos.total ? -1 : (a.target ?? '').localeCompare(b.target ?? '')));
    const un = targets.get(null);
    out.push({
      currency,
      months,
      targets: lines.map(({ nanos: _n, ...l }) => l),
      unallocated: un ? (({ nanos: _n, ...l }) => l)(line(null, un)) : null,
      totals: (({ nanos: _n, ...l }) => l)(line(null, totals)),
    });
  }
  return out;
}

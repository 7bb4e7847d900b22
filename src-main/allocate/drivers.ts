// Driver data (requests, tokens, seats, headcount per target and month) from a CSV a user exports from elsewhere:
// columns period (YYYY-MM or a date in that month), target, quantity; header names are matched without case and
// a few common synonyms are accepted. Every bad row is named, nothing is stored unless the whole file is good.
import { CsvReader, CsvSyntaxError } from '../ingest/csv-reader';
import type { DriverRow } from '../../src-shared/allocate/evaluate';

const NAMES = {
  period: ['period', 'month', 'date', 'billingperiod'],
  target: ['target', 'team', 'value', 'name', 'owner'],
  quantity: ['quantity', 'qty', 'amount', 'value_quantity', 'count', 'units', 'weight'],
} as const;

export type DriverParse = { ok: true; rows: DriverRow[] } | { ok: false; errors: string[] };

export function parseDriverCsv(driver: string, text: string): DriverParse {
  const rows: string[][] = [];
  const reader = new CsvReader((f) => rows.push(f));
  try {
    reader.push(text);
    reader.end();
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false, errors: [e.message] };
    throw e;
  }
  const nonEmpty = rows.filter((r) => r.some((c) => c.trim() !== ''));
  const header = nonEmpty[0]?.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  if (!header) return { ok: false, errors: ['the file is empty: expected a header period,target,quantity'] };
  const at = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  const iPeriod = at(NAMES.period);
  const iTarget = at(NAMES.target);
  let iQty = at(NAMES.quantity);
  // three columns, two of them known: the third is the quantity, whatever its name ("Seats", "Requests")
  if (iQty < 0 && iPeriod >= 0 && iTarget >= 0 && header.length === 3) iQty = 3 - iPeriod - iTarget;
  const missing = [iPeriod < 0 && 'period', iTarget < 0 && 'target', iQty < 0 && 'quantity'].filter(Boolean);
  if (missing.length) return { ok: false, errors: [`the header has no ${missing.join(', ')} column (found: ${nonEmpty[0]!.join(', ')})`] };
  const errors: string[] = [];
  const sums = new Map<string, DriverRow>();
  nonEmpty.slice(1).forEach((r, i) => {
    const line = i + 2;
    const p = (r[iPeriod] ?? '').trim();
    const m = /^(\d{4})-(\d{2})(?:-\d{2}.*)?$/.exec(p);
    const target = (r[iTarget] ?? '').trim();
    const qText = (r[iQty] ?? '').trim().replace(/,/g, '');
    const quantity = Number(qText);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) errors.push(`row ${line}: period '${p}' is not a month (YYYY-MM)`);
    else if (!target) errors.push(`row ${line}: target is empty`);
    else if (qText === '' || !Number.isFinite(quantity)) errors.push(`row ${line}: quantity '${r[iQty] ?? ''}' is not a number`);
    else if (quantity < 0) errors.push(`row ${line}: quantity ${quantity} is negative; drivers count usage`);
    else {
      const period = `${m[1]}-${m[2]}`;
      const k = `${period}\u0000${target}`;
      const had = sums.get(k);
      // the same target twice in a month adds up (a file listing requests per day)
      if (had) had.quantity += quantity;
      else sums.set(k, { driver, period, target, quantity });
    }
  });
  if (errors.length) return { ok: false, errors: errors.slice(0, 20).concat(errors.length > 20 ? [`… and ${errors.length - 20} more`] : []) };
  if (sums.size === 0) return { ok: false, errors: ['the file has a header but no rows'] };
  return { ok: true, rows: [...sums.values()] };
}

// Showback of the applied allocation: per target and month, direct + shared = total, and the unallocated remainder;
// as the contract's table and as CSV. Read from alloc_cell (a few rows per target and month).
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput } from '../../src-shared/api/contract';
import type { Showback } from '../../src-shared/api/allocation';
import { EngineError } from '../engine/errors';
import type { Db } from '../store/workspace';
import { daysFromCivil } from '../ingest/datetime';
import { BASIS_OF, units } from './results';
import { appliedVersionId, getVersion } from './store';

export function showback(db: Db, input: ParsedInput<'allocation.showback'>): Showback {
  const version = appliedVersionId(db);
  const base = { dimension: input.dimension, label: input.dimension, metric: input.metric, version, appliedAt: null, months: [], rows: [], checks: [] };
  if (version === null) return base;
  const { version: v, ruleSet } = getVersion(db, version);
  const dim = ruleSet.dimensions.find((d) => d.key === input.dimension);
  if (!dim) throw new EngineError('not-found', `The applied allocation (version ${version}) has no dimension '${input.dimension}'; it has ${ruleSet.dimensions.map((d) => d.key).join(', ')}`);
  const col = BASIS_OF[input.metric];
  const where = ['dim = ?'];
  const params: unknown[] = [input.dimension];
  if (input.fromMonth) {
    where.push('month >= ?');
    params.push(input.fromMonth);
  }
  if (input.toMonth) {
    where.push('month <= ?');
    params.push(input.toMonth);
  }
  const cells = db
    .prepare(
      `SELECT target, month, currency, sum(CASE WHEN kind = 'direct' THEN ${col} ELSE 0 END), sum(CASE WHEN kind = 'shared' THEN ${col} ELSE 0 END),
         sum(CASE WHEN kind = 'unallocated' THEN ${col} ELSE 0 END)
       FROM alloc_cell WHERE ${where.join(' AND ')} GROUP BY target, month, currency
       ORDER BY month, currency, target IS NULL, target`,
    )
    .raw()
    .safeIntegers(true)
    .all(...params) as [string | null, string, string, bigint, bigint, bigint][];
  const totals = new Map<string, { allocated: bigint; unallocated: bigint }>();
  const rows = cells.map(([target, month, currency, direct, shared, unallocated]) => {
    const t = totals.get(currency) ?? { allocated: 0n, unallocated: 0n };
    t.allocated += direct + shared;
    t.unallocated += unallocated;
    totals.set(currency, t);
    return target === null
      ? { target, month, currency, direct: units(unallocated), shared: 0, total: units(unallocated) }
      : { target, month, currency, direct: units(direct), shared: units(shared), total: units(direct + shared) };
  });
  // the original from the cost rows' own daily totals (rollup_dim), not from what apply stored: a result that no
  // longer covers the data (rows imported and not yet allocated) shows as a difference
  const original = originalByCurrency(db, col, input.fromMonth, input.toMonth);
  const checks = [...new Set([...totals.keys(), ...original.keys()])].sort().map((currency) => {
    const t = totals.get(currency) ?? { allocated: 0n, unallocated: 0n };
    const o = original.get(currency) ?? 0n;
    return {
      currency,
      original: units(o),
      allocated: units(t.allocated),
      unallocated: units(t.unallocated),
      difference: units(o - t.allocated - t.unallocated),
      coverage: o === 0n ? 100 : Number((t.allocated * 1_000_000n) / o) / 10_000,
    };
  });
  return { ...base, label: dim.label, appliedAt: v.created, months: [...new Set(rows.map((r) => r.month))].sort(), rows, checks };
}

/** Spend per billing currency over whole months (YYYY-MM, either end open), from the daily rollup. */
function originalByCurrency(db: Db, col: string, fromMonth?: string, toMonth?: string): Map<string, bigint> {
  const where = ['dim = 0'];
  const params: number[] = [];
  if (fromMonth) {
    where.push('day >= ?');
    params.push(daysFromCivil(Number(fromMonth.slice(0, 4)), Number(fromMonth.slice(5, 7)), 1));
  }
  if (toMonth) {
    const [y, m] = [Number(toMonth.slice(0, 4)), Number(toMonth.slice(5, 7))];
    where.push('day < ?');
    params.push(m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1));
  }
  const rows = db
    .prepare(`SELECT d.value, sum(r.${col}) FROM rollup_dim r LEFT JOIN dict d ON d.id = r.currency WHERE ${where.join(' AND ')} GROUP BY r.currency`)
    .raw()
    .safeIntegers(true)
    .all(...params) as [string | null, bigint][];
  return new Map(rows.map(([c, v]) => [c ?? '', v]));
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Exact amounts (up to 9 decimals, at least 2): rows re-summed in a spreadsheet give the totals to the cent. */
const money = (n: number) => n.toFixed(9).replace(/0{1,7}$/, '');

export function showbackCsv(s: Showback): string {
  const lines = [[s.label, 'Month', 'Currency', 'Direct', 'Shared', 'Total'].map(csvCell).join(',')];
  for (const r of s.rows) lines.push([r.target ?? '(unallocated)', r.month, r.currency, money(r.direct), money(r.shared), money(r.total)].map(csvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function writeShowbackCsv(db: Db, input: ParsedInput<'allocation.exportShowback'>): { path: string; rows: number } {
  const s = showback(db, input);
  if (s.version === null) throw new EngineError('not-found', 'Nothing is applied yet: apply a rule set first, then export its showback');
  const file = path.resolve(input.path);
  const tmp = `${file}.partial`;
  fs.writeFileSync(tmp, showbackCsv(s));
  fs.renameSync(tmp, file);
  return { path: file, rows: s.rows.length };
}

// The `meterbook allocate` answer: the JSON scripts read (per-target totals, unallocated, coverage and the check) and
// the text people read. Pure: the command in main.ts runs the engine and prints one of these.
import type { AllocationPreview, AllocationCheck } from '../../src-shared/api/allocation';
import type { Output } from '../../src-shared/api/contract';

export interface AllocateReport {
  metric: string;
  months: string[];
  rows: number;
  source: string;
  applied: { version: number; seconds: number; rowsPerSec: number } | null;
  dimensions: {
    dimension: string;
    targets: { target: string; currency: string; direct: number; shared: number; total: number }[];
    unallocated: { currency: string; reason: string; poolId: string | null; detail: string | null; amount: number }[];
    coverage: Record<string, number>;
    checks: AllocationCheck[];
  }[];
  /** the check of the dimension and currency furthest from balancing (all balance: the largest currency's) */
  check: { currency: string; original: number; allocated: number; unallocated: number; difference: number } | null;
}

export function allocateReport(p: AllocationPreview, applied: Output<'allocation.apply'> | null): AllocateReport {
  const dimensions = p.dimensions.map((d) => ({
    dimension: d.dimension,
    targets: d.targets.map(({ target, currency, direct, shared, total }) => ({ target, currency, direct, shared, total })),
    unallocated: d.unallocated.map(({ currency, reason, poolId, detail, amount }) => ({ currency, reason, poolId, detail, amount })),
    coverage: Object.fromEntries(d.checks.map((c) => [c.currency, c.coverage])),
    checks: d.checks,
  }));
  const all = dimensions.flatMap((d) => d.checks);
  const worst = all.reduce<AllocationCheck | null>(
    (w, c) => (!w || Math.abs(c.difference) > Math.abs(w.difference) || (c.difference === w.difference && Math.abs(c.original) > Math.abs(w.original)) ? c : w),
    null,
  );
  return {
    metric: p.metric,
    months: p.months,
    rows: p.rows,
    source: p.source,
    applied: applied ? { version: applied.version, seconds: applied.seconds, rowsPerSec: applied.rowsPerSec } : null,
    dimensions,
    check: worst ? { currency: worst.currency, original: worst.original, allocated: worst.allocated, unallocated: worst.unallocated, difference: worst.difference } : null,
  };
}

const REASON: Record<string, string> = {
  'no-rule': 'no rule matched',
  'pool-zero-weights': 'pool weights all zero',
  'pool-no-targets': 'pool has no targets',
  'pool-invalid': 'pool cannot be split',
};

export function allocateText(r: AllocateReport, money: (v: number) => string, table: (h: string[], rows: string[][]) => string[]): string {
  const lines: string[] = [];
  lines.push(`${r.metric} over ${r.months.length ? `${r.months[0]}..${r.months[r.months.length - 1]}` : 'no months'} (${r.rows.toLocaleString('en-US')} rows)`);
  for (const d of r.dimensions) {
    lines.push('', d.dimension);
    const rows = d.targets.map((t) => [t.target, t.currency, money(t.direct), money(t.shared), money(t.total)]);
    for (const u of d.unallocated) rows.push([`(unallocated: ${u.detail ?? `${u.poolId ? `pool ${u.poolId}, ` : ''}${REASON[u.reason] ?? u.reason}`})`, u.currency, money(u.amount), '', money(u.amount)]);
    lines.push(...table(['target', 'currency', 'direct', 'shared', 'total'], rows).map((l) => `  ${l}`));
    for (const c of d.checks)
      lines.push(`  ${c.currency}: coverage ${c.coverage.toFixed(1)} %, original ${money(c.original)} = allocated ${money(c.allocated)} + unallocated ${money(c.unallocated)}, difference ${money(c.difference)}`);
  }
  lines.push('', r.applied ? `Applied as version ${r.applied.version} in ${r.applied.seconds.toFixed(2)} s.` : 'Preview only: nothing was written (add --apply to apply).');
  return lines.join('\n');
}

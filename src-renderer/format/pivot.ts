// Pivot the engine's long time series (one row per period × group) into one object per period for a stacked chart.
import type { QueryRow } from '../../src-shared/api/contract';
import { periodsBetween, type PeriodGranularity } from './dates';
import { OTHER } from './labels';

export interface Series {
  /** Safe key used in the chart data objects (names may contain dots, which chart libraries read as paths). */
  key: string;
  /** The group value as the engine returned it (null = not set). */
  name: string | null;
  total: number;
}

export interface PivotedPoint {
  period: string;
  total: number;
  [seriesKey: string]: number | string;
}

export interface Pivoted {
  series: Series[];
  data: PivotedPoint[];
}

function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

function keyOf(v: QueryRow[string] | undefined): string | null {
  if (v === null || v === undefined) return null;
  return String(v);
}

/**
 * rows: `{ period, [groupColumn], value }`. Series are ordered largest first (by absolute total) with the
 * "(other)" bucket last. Missing period × series cells are 0, and gaps between the first and last period
 * are filled so the time axis is continuous.
 */
export function pivotTimeSeries(
  rows: ReadonlyArray<QueryRow>,
  groupColumn: string | null,
  granularity: PeriodGranularity,
  opts: { periodKey?: string; valueKey?: string; fillGaps?: boolean } = {},
): Pivoted {
  const periodKey = opts.periodKey ?? 'period';
  const valueKey = opts.valueKey ?? 'value';
  const totals = new Map<string | null, number>();
  const cells = new Map<string, Map<string | null, number>>();

  for (const r of rows) {
    const rawPeriod = r[periodKey];
    if (rawPeriod === null || rawPeriod === undefined) continue;
    const period = normalizePeriod(String(rawPeriod), granularity);
    const name = groupColumn ? keyOf(r[groupColumn]) : 'Total';
    const v = numberOf(r[valueKey]);
    totals.set(name, (totals.get(name) ?? 0) + v);
    let byName = cells.get(period);
    if (!byName) {
      byName = new Map();
      cells.set(period, byName);
    }
    byName.set(name, (byName.get(name) ?? 0) + v);
  }

  const names = [...totals.keys()].sort((a, b) => {
    if (a === OTHER) return 1;
    if (b === OTHER) return -1;
    return Math.abs(totals.get(b) ?? 0) - Math.abs(totals.get(a) ?? 0);
  });
  const series: Series[] = names.map((name, i) => ({ key: `s${i}`, name, total: totals.get(name) ?? 0 }));

  let periods = [...cells.keys()].sort();
  if (opts.fillGaps !== false && periods.length > 1) {
    const filled = periodsBetween(periods[0]!, periods[periods.length - 1]!, granularity);
    if (filled.length >= periods.length) periods = filled;
  }

  const data = periods.map((period) => {
    const byName = cells.get(period);
    const point: PivotedPoint = { period, total: 0 };
    for (const s of series) {
      const v = byName?.get(s.name) ?? 0;
      point[s.key] = v;
      point.total += v;
    }
    return point;
  });
  return { series, data };
}

/** "2025-03-01T00:00:00Z" → "2025-03-01" (day, or a week's Monday) or "2025-03" (month). */
export function normalizePeriod(p: string, granularity: PeriodGranularity): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(p);
  if (!m) return p;
  if (granularity === 'month') return `${m[1]}-${m[2]}`;
  return m[3] ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}-01`;
}

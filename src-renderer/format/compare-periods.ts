// The two periods of a comparison, from a preset relative to the workspace's last day of data (bills arrive late, so
// "this month" is the month of the latest charges). Pure.
import { addDays, anchorDay, firstOfMonth, isDay, lastOfMonth, periodLabel, prevMonthStart, spanDays, type DataSpan } from './dates';

export type ComparePresetId = 'month' | 'days30' | 'quarter';
export type CompareChoice = ComparePresetId | 'custom';

export interface Period {
  from: string;
  to: string;
}

export interface PeriodPair {
  a: Period;
  b: Period;
}

export const COMPARE_PRESETS: ReadonlyArray<{ id: ComparePresetId; label: string }> = [
  { id: 'month', label: 'This month vs last month' },
  { id: 'days30', label: 'Last 30 days vs previous 30' },
  { id: 'quarter', label: 'This quarter vs last quarter' },
];

function quarterStart(day: string): string {
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  return `${day.slice(0, 4)}-${String(q * 3 + 1).padStart(2, '0')}-01`;
}

function prevQuarterStart(day: string): string {
  return prevMonthStart(prevMonthStart(prevMonthStart(quarterStart(day))));
}

/**
 * A period to date against the same number of days at the start of the previous one (capped at its end): while the
 * latest month is still partial, Oct 1–15 is compared with Sep 1–15, not with the whole of September.
 */
function toDateVsPrevious(start: string, end: string, prevStart: string, prevEnd: string): PeriodPair {
  const days = spanDays(start, end);
  const aEnd = addDays(prevStart, days - 1);
  return { a: { from: prevStart, to: aEnd < prevEnd ? aEnd : prevEnd }, b: { from: start, to: end } };
}

export function comparePeriods(id: ComparePresetId, span: DataSpan, today?: string): PeriodPair {
  const end = anchorDay(span, today);
  switch (id) {
    case 'month': {
      const prev = prevMonthStart(end);
      return toDateVsPrevious(firstOfMonth(end), end, prev, lastOfMonth(prev));
    }
    case 'days30':
      return { a: { from: addDays(end, -59), to: addDays(end, -30) }, b: { from: addDays(end, -29), to: end } };
    case 'quarter': {
      const prev = prevQuarterStart(end);
      return toDateVsPrevious(quarterStart(end), end, prev, addDays(quarterStart(end), -1));
    }
  }
}

/** "Sep 1 – 30, 2026", "Sep 28 – Oct 27, 2026", "Dec 1, 2025 – Jan 31, 2026", "Oct 5, 2026". */
export function periodText(p: Period): string {
  if (!isDay(p.from) || !isDay(p.to)) return `${p.from} – ${p.to}`;
  if (p.from === p.to) return periodLabel(p.from, true);
  if (p.from.slice(0, 4) !== p.to.slice(0, 4)) return `${periodLabel(p.from, true)} – ${periodLabel(p.to, true)}`;
  if (p.from.slice(0, 7) === p.to.slice(0, 7)) return `${periodLabel(p.from)} – ${Number(p.to.slice(8))}, ${p.to.slice(0, 4)}`;
  return `${periodLabel(p.from)} – ${periodLabel(p.to, true)}`;
}

/** A short name for a chart axis: "Sep 2026" for a whole month, else the period's first day ("Sep 28"). */
export function periodShort(p: Period): string {
  if (p.from === firstOfMonth(p.from) && p.to === lastOfMonth(p.from)) return periodLabel(p.from.slice(0, 7));
  return periodLabel(p.from);
}

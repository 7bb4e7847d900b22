// Date ranges and period labels. All dates are UTC calendar days as "YYYY-MM-DD" strings. Pure.

export type PresetId = 'all' | 'last30' | 'last90' | 'thisMonth' | 'lastMonth' | 'thisQuarter' | 'ytd';
export type PeriodGranularity = 'day' | 'week' | 'month';
export type RangeChoice = PresetId | 'custom';

export interface DateRange {
  from?: string;
  to?: string;
}

export interface DataSpan {
  firstDay: string | null;
  lastDay: string | null;
}

export const PRESETS: ReadonlyArray<{ id: PresetId; label: string }> = [
  { id: 'thisMonth', label: 'This month' },
  { id: 'lastMonth', label: 'Last month' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'last90', label: 'Last 90 days' },
  { id: 'thisQuarter', label: 'This quarter' },
  { id: 'ytd', label: 'Year to date' },
  { id: 'all', label: 'All time' },
];

const DAY_MS = 86_400_000;

export function isDay(s: string | null | undefined): s is string {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

export function toDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, n: number): string {
  return toDay(dayMs(day) + n * DAY_MS);
}

export function firstOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function lastOfMonth(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return toDay(Date.UTC(y, m, 0)); // day 0 of next month = last day of this month
}

export function prevMonthStart(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return toDay(Date.UTC(y, m - 2, 1));
}

/** Days between two days, inclusive of both ends (1 for the same day). */
export function spanDays(from: string, to: string): number {
  return Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1;
}

/** The day presets are relative to: the last day with data, else today (UTC). */
export function anchorDay(span: DataSpan, today: string = toDay(Date.now())): string {
  return isDay(span.lastDay) ? span.lastDay : today;
}

/**
 * The range of a preset. Presets are relative to the workspace's last day of data (bills arrive late, so
 * "last 30 days" means the last 30 days we have). "All time" is unbounded so fresh imports always show.
 */
export function presetRange(id: PresetId, span: DataSpan, today?: string): DateRange {
  const end = anchorDay(span, today);
  switch (id) {
    case 'all':
      return {};
    case 'last30':
      return { from: addDays(end, -29), to: end };
    case 'last90':
      return { from: addDays(end, -89), to: end };
    case 'thisMonth':
      return { from: firstOfMonth(end), to: end };
    case 'lastMonth': {
      const start = prevMonthStart(end);
      return { from: start, to: lastOfMonth(start) };
    }
    case 'thisQuarter': {
      const q = Math.floor((Number(end.slice(5, 7)) - 1) / 3);
      return { from: `${end.slice(0, 4)}-${String(q * 3 + 1).padStart(2, '0')}-01`, to: end };
    }
    case 'ytd':
      return { from: `${end.slice(0, 4)}-01-01`, to: end };
  }
}

/** The Monday starting the ISO week of a day. */
export function mondayOf(day: string): string {
  const dow = new Date(dayMs(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** The days a chart period covers: a day, an ISO week (labelled by its Monday) or a month ("YYYY-MM"). */
export function periodRange(period: string, granularity: PeriodGranularity): { from: string; to: string } {
  if (granularity === 'month') {
    const first = `${period.slice(0, 7)}-01`;
    return { from: first, to: lastOfMonth(first) };
  }
  if (granularity === 'week') return { from: period, to: addDays(period, 6) };
  return { from: period, to: period };
}

/** The overlap of two ranges (open ends are unbounded); null when they do not meet. */
export function intersectRanges(a: DateRange, b: DateRange): DateRange | null {
  const from = a.from && b.from ? (a.from > b.from ? a.from : b.from) : (a.from ?? b.from);
  const to = a.to && b.to ? (a.to < b.to ? a.to : b.to) : (a.to ?? b.to);
  if (from && to && from > to) return null;
  const out: DateRange = {};
  if (from) out.from = from;
  if (to) out.to = to;
  return out;
}

/** Which preset a range corresponds to, or "custom". */
export function matchPreset(range: DateRange, span: DataSpan, today?: string): RangeChoice {
  if (!range.from && !range.to) return 'all';
  for (const p of PRESETS) {
    const r = presetRange(p.id, span, today);
    if (r.from === range.from && r.to === range.to) return p.id;
  }
  return 'custom';
}

/** A sensible granularity for a span: daily bars up to ~2 months, monthly beyond. */
export function suggestGranularity(range: DateRange, span: DataSpan): 'day' | 'month' {
  const from = range.from ?? span.firstDay;
  const to = range.to ?? span.lastDay;
  if (!isDay(from) || !isDay(to)) return 'month';
  return spanDays(from, to) <= 62 ? 'day' : 'month';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-03-07" → "Mar 7"; "2025-03" → "Mar 2025"; with year for days when asked. */
export function periodLabel(period: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(period);
  if (!m) return period;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  if (!m[3]) return `${month} ${m[1]}`;
  return withYear ? `${month} ${Number(m[3])}, ${m[1]}` : `${month} ${Number(m[3])}`;
}

/** "Jan 1 – Mar 31, 2025", "Dec 1, 2024 – Jan 31, 2025", or "All time". */
export function rangeLabel(range: DateRange, span?: DataSpan): string {
  const from = range.from ?? span?.firstDay ?? undefined;
  const to = range.to ?? span?.lastDay ?? undefined;
  if (!isDay(from) || !isDay(to)) return 'All time';
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${sameYear ? periodLabel(from) : periodLabel(from, true)} – ${periodLabel(to, true)}`;
}

/** All periods from `first` to `last` inclusive: days or weeks' Mondays ("YYYY-MM-DD") or months ("YYYY-MM"). */
export function periodsBetween(first: string, last: string, granularity: PeriodGranularity, max = 5000): string[] {
  const out: string[] = [];
  if (granularity === 'day' || granularity === 'week') {
    if (!isDay(first) || !isDay(last)) return out;
    const step = granularity === 'week' ? 7 : 1;
    for (let d = granularity === 'week' ? mondayOf(first) : first; d <= last && out.length < max; d = addDays(d, step)) out.push(d);
    return out;
  }
  const mf = /^(\d{4})-(\d{2})/.exec(first);
  const ml = /^(\d{4})-(\d{2})/.exec(last);
  if (!mf || !ml) return out;
  let y = Number(mf[1]);
  let m = Number(mf[2]);
  const end = `${ml[1]}-${ml[2]}`;
  for (;;) {
    const p = `${y}-${String(m).padStart(2, '0')}`;
    if (p > end || out.length >= max) break;
    out.push(p);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** An ISO timestamp in the user's locale: "Mar 7, 2025, 14:05". Unparseable input is returned as is. */
export function formatDateTime(iso: string, locale?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

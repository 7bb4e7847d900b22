import { describe, expect, it } from 'vitest';
import { comparePeriods, periodShort, periodText } from '../../src-renderer/format/compare-periods';

const span = (lastDay: string) => ({ firstDay: '2025-01-01', lastDay });

describe('comparison periods', () => {
  it('this month vs last month: whole months once a month is complete, the same days while it is partial', () => {
    expect(comparePeriods('month', span('2026-10-31'))).toEqual({ a: { from: '2026-09-01', to: '2026-09-30' }, b: { from: '2026-10-01', to: '2026-10-31' } });
    expect(comparePeriods('month', span('2026-10-15'))).toEqual({ a: { from: '2026-09-01', to: '2026-09-15' }, b: { from: '2026-10-01', to: '2026-10-15' } });
    // March 31 days vs February's 28: A stops at February's end
    expect(comparePeriods('month', span('2026-03-31'))).toEqual({ a: { from: '2026-02-01', to: '2026-02-28' }, b: { from: '2026-03-01', to: '2026-03-31' } });
    expect(comparePeriods('month', span('2026-01-20')).a).toEqual({ from: '2025-12-01', to: '2025-12-20' });
  });

  it('last 30 days vs the 30 before, ending on the last day of data', () => {
    expect(comparePeriods('days30', span('2026-10-31'))).toEqual({ a: { from: '2026-09-02', to: '2026-10-01' }, b: { from: '2026-10-02', to: '2026-10-31' } });
  });

  it('this quarter vs last quarter, to date', () => {
    expect(comparePeriods('quarter', span('2026-12-31'))).toEqual({ a: { from: '2026-07-01', to: '2026-09-30' }, b: { from: '2026-10-01', to: '2026-12-31' } });
    expect(comparePeriods('quarter', span('2026-11-10'))).toEqual({ a: { from: '2026-07-01', to: '2026-08-10' }, b: { from: '2026-10-01', to: '2026-11-10' } });
    expect(comparePeriods('quarter', span('2026-02-14')).a).toEqual({ from: '2025-10-01', to: '2025-11-14' });
  });

  it('reads periods shortly', () => {
    expect(periodText({ from: '2026-09-01', to: '2026-09-30' })).toBe('Sep 1 – 30, 2026');
    expect(periodText({ from: '2026-09-28', to: '2026-10-27' })).toBe('Sep 28 – Oct 27, 2026');
    expect(periodText({ from: '2025-12-01', to: '2026-01-31' })).toBe('Dec 1, 2025 – Jan 31, 2026');
    expect(periodShort({ from: '2026-09-01', to: '2026-09-30' })).toBe('Sep 2026');
    expect(periodShort({ from: '2026-09-02', to: '2026-10-01' })).toBe('Sep 2');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { intersectRanges, mondayOf, periodRange, periodsBetween, presetRange, matchPreset } from '../../src-renderer/format/dates';
import { useApp } from '../../src-renderer/state/app-store';
import { drillDown, drillScope, leaveDrill, useDrill } from '../../src-renderer/state/drill';
import { useExplore } from '../../src-renderer/state/explore-store';

describe('date presets and periods', () => {
  const span = { firstDay: '2024-11-03', lastDay: '2025-05-15' };
  it('this quarter and year to date end on the last day with data', () => {
    expect(presetRange('thisQuarter', span)).toEqual({ from: '2025-04-01', to: '2025-05-15' });
    expect(presetRange('ytd', span)).toEqual({ from: '2025-01-01', to: '2025-05-15' });
    expect(matchPreset({ from: '2025-04-01', to: '2025-05-15' }, span)).toBe('thisQuarter');
    expect(presetRange('thisQuarter', { firstDay: null, lastDay: '2025-12-31' })).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  });

  it('weeks start on Monday; a period covers its days', () => {
    expect(mondayOf('2025-03-09')).toBe('2025-03-03'); // a Sunday
    expect(mondayOf('2025-03-03')).toBe('2025-03-03');
    expect(periodsBetween('2025-03-05', '2025-03-20', 'week')).toEqual(['2025-03-03', '2025-03-10', '2025-03-17']);
    expect(periodRange('2025-03-03', 'week')).toEqual({ from: '2025-03-03', to: '2025-03-09' });
    expect(periodRange('2024-02', 'month')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange('2025-03-07', 'day')).toEqual({ from: '2025-03-07', to: '2025-03-07' });
  });

  it('intersects ranges (open ends unbounded, disjoint → null)', () => {
    expect(intersectRanges({}, { from: '2025-03-01', to: '2025-03-31' })).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(intersectRanges({ from: '2025-03-10' }, { from: '2025-03-01', to: '2025-03-31' })).toEqual({ from: '2025-03-10', to: '2025-03-31' });
    expect(intersectRanges({ to: '2025-02-10' }, { from: '2025-03-01', to: '2025-03-31' })).toBeNull();
  });
});

describe('drill-down', () => {
  beforeEach(() => {
    useDrill.setState({ origin: null });
    useApp.setState({ view: 'overview' });
    useExplore.setState({ from: '2025-03-10', to: undefined, filters: [{ column: 'ServiceName', values: ['EC2', 'S3'] }], groupBy: ['ServiceName', 'RegionId'], metric: 'BilledCost', granularity: 'month' });
  });

  it('narrows the scope by each level (null included) and the period, adding filters rather than merging them', () => {
    const s = drillScope(useExplore.getState(), {
      path: [
        { column: 'ServiceName', value: 'EC2' },
        { column: 'RegionId', value: null },
      ],
      period: { period: '2025-03', granularity: 'month' },
    });
    expect(s.filters).toEqual([
      { column: 'ServiceName', values: ['EC2', 'S3'] },
      { column: 'ServiceName', values: ['EC2'] },
      { column: 'RegionId', values: [null] },
    ]);
    expect([s.from, s.to]).toEqual(['2025-03-10', '2025-03-31']);
    expect(s.empty).toBe(false);
  });

  it('opens Rows drilled, and Back restores the overview state exactly', () => {
    const before = useExplore.getState();
    drillDown({ path: [{ column: 'ServiceName', excluded: ['EC2', 'S3'] }], period: { period: '2025-03-10', granularity: 'week' }, label: 'Service Name: All others · week of Mar 10, 2025' });
    expect(useApp.getState().view).toBe('rows');
    expect(useExplore.getState().filters.at(-1)).toEqual({ column: 'ServiceName', values: ['EC2', 'S3'], exclude: true });
    expect([useExplore.getState().from, useExplore.getState().to]).toEqual(['2025-03-10', '2025-03-16']);
    expect(useDrill.getState().origin?.label).toContain('All others');
    leaveDrill(true);
    expect(useApp.getState().view).toBe('overview');
    const after = useExplore.getState();
    expect([after.from, after.to, after.filters, after.groupBy]).toEqual([before.from, before.to, before.filters, before.groupBy]);
    expect(useDrill.getState().origin).toBeNull();
  });

  it('refuses a period outside the range in view instead of widening the scope', () => {
    drillDown({ path: [], period: { period: '2025-03-03', granularity: 'week' }, label: 'week of Mar 3' });
    expect(useApp.getState().view).toBe('overview');
    expect(useExplore.getState().from).toBe('2025-03-10');
    expect(useDrill.getState().origin).toBeNull();
  });
});

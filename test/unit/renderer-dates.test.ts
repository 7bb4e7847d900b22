import { describe, expect, it } from 'vitest';
import {
  addDays,
  lastOfMonth,
  matchPreset,
  periodLabel,
  periodsBetween,
  presetRange,
  rangeLabel,
  spanDays,
  suggestGranularity,
} from '../../src-renderer/format/dates';

const span = { firstDay: '2024-11-03', lastDay: '2025-03-15' };

describe('date arithmetic', () => {
  it('adds days across months and years', () => {
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(lastOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(spanDays('2025-01-01', '2025-01-31')).toBe(31);
  });
});

describe('presets', () => {
  it('are relative to the last day with data', () => {
    expect(presetRange('last30', span)).toEqual({ from: '2025-02-14', to: '2025-03-15' });
    expect(presetRange('last90', span)).toEqual({ from: '2024-12-16', to: '2025-03-15' });
    expect(presetRange('thisMonth', span)).toEqual({ from: '2025-03-01', to: '2025-03-15' });
    expect(presetRange('lastMonth', span)).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(presetRange('all', span)).toEqual({});
  });

  it('handles January for "last month"', () => {
    expect(presetRange('lastMonth', { firstDay: null, lastDay: '2025-01-20' })).toEqual({
      from: '2024-12-01',
      to: '2024-12-31',
    });
  });

  it('falls back to today when the workspace has no data', () => {
    expect(presetRange('last30', { firstDay: null, lastDay: null }, '2025-06-30')).toEqual({
      from: '2025-06-01',
      to: '2025-06-30',
    });
  });

  it('recognises which preset a range is', () => {
    expect(matchPreset({}, span)).toBe('all');
    expect(matchPreset({ from: '2025-02-14', to: '2025-03-15' }, span)).toBe('last30');
    expect(matchPreset({ from: '2025-02-01', to: '2025-02-28' }, span)).toBe('lastMonth');
    expect(matchPreset({ from: '2025-02-02', to: '2025-02-28' }, span)).toBe('custom');
  });

  it('suggests daily bars for short spans and monthly for long ones', () => {
    expect(suggestGranularity({ from: '2025-02-14', to: '2025-03-15' }, span)).toBe('day');
    expect(suggestGranularity({}, span)).toBe('month');
    expect(suggestGranularity({}, { firstDay: null, lastDay: null })).toBe('month');
  });
});

describe('labels', () => {
  it('labels periods', () => {
    expect(periodLabel('2025-03-07')).toBe('Mar 7');
    expect(periodLabel('2025-03-07', true)).toBe('Mar 7, 2025');
    expect(periodLabel('2025-03')).toBe('Mar 2025');
  });

  it('labels ranges, falling back to the data span', () => {
    expect(rangeLabel({ from: '2025-01-01', to: '2025-03-31' })).toBe('Jan 1 – Mar 31, 2025');
    expect(rangeLabel({ from: '2024-12-01', to: '2025-01-31' })).toBe('Dec 1, 2024 – Jan 31, 2025');
    expect(rangeLabel({}, span)).toBe('Nov 3, 2024 – Mar 15, 2025');
    expect(rangeLabel({})).toBe('All time');
  });

  it('lists the periods between two ends', () => {
    expect(periodsBetween('2025-01-30', '2025-02-02', 'day')).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    expect(periodsBetween('2024-11', '2025-02', 'month')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(periodsBetween('2025-02', '2025-01', 'month')).toEqual([]);
  });
});

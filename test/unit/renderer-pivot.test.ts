import { describe, expect, it } from 'vitest';
import { normalizePeriod, pivotTimeSeries } from '../../src-renderer/format/pivot';

describe('pivotTimeSeries', () => {
  const rows = [
    { period: '2025-01', ServiceName: 'S3', value: 10 },
    { period: '2025-01', ServiceName: 'EC2', value: 100 },
    { period: '2025-01', ServiceName: '(other)', value: 500 },
    { period: '2025-03', ServiceName: 'EC2', value: 50 },
    { period: '2025-03', ServiceName: null, value: 5 },
    { period: '2025-03', ServiceName: 'S3', value: '2.5' },
  ];

  it('makes one object per period with a key per series', () => {
    const p = pivotTimeSeries(rows, 'ServiceName', 'month');
    expect(p.series.map((s) => s.name)).toEqual(['EC2', 'S3', null, '(other)']);
    expect(p.series.map((s) => s.total)).toEqual([150, 12.5, 5, 500]);
    expect(p.data.map((d) => d.period)).toEqual(['2025-01', '2025-02', '2025-03']);
    const [jan, feb, mar] = p.data;
    expect(jan).toMatchObject({ s0: 100, s1: 10, s2: 0, s3: 500, total: 610 });
    expect(feb).toMatchObject({ s0: 0, s1: 0, s2: 0, s3: 0, total: 0 });
    expect(mar).toMatchObject({ s0: 50, s1: 2.5, s2: 5, s3: 0, total: 57.5 });
  });

  it('uses safe keys so names with dots are not read as paths', () => {
    const p = pivotTimeSeries([{ period: '2025-01-01', 'Tags.team': 'a.b', value: 1 }], 'Tags.team', 'day');
    expect(p.series).toEqual([{ key: 's0', name: 'a.b', total: 1 }]);
    expect(p.data).toEqual([{ period: '2025-01-01', total: 1, s0: 1 }]);
  });

  it('fills missing days and can be told not to', () => {
    const r = [
      { period: '2025-01-30', g: 'x', value: 1 },
      { period: '2025-02-02', g: 'x', value: 2 },
    ];
    expect(pivotTimeSeries(r, 'g', 'day').data.map((d) => d.period)).toEqual([
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
      '2025-02-02',
    ]);
    expect(pivotTimeSeries(r, 'g', 'day', { fillGaps: false }).data).toHaveLength(2);
  });

  it('returns nothing for no rows and a single "Total" series without a group', () => {
    expect(pivotTimeSeries([], 'g', 'day')).toEqual({ series: [], data: [] });
    const p = pivotTimeSeries([{ period: '2025-01', value: 3 }], null, 'month');
    expect(p.series[0]?.name).toBe('Total');
  });

  it('normalises timestamps to the granularity', () => {
    expect(normalizePeriod('2025-03-01T00:00:00Z', 'day')).toBe('2025-03-01');
    expect(normalizePeriod('2025-03-01T00:00:00Z', 'month')).toBe('2025-03');
    expect(normalizePeriod('2025-03', 'day')).toBe('2025-03-01');
  });
});

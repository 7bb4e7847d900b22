import { describe, expect, it } from 'vitest';
import {
  addFilterValue,
  isFilteredTo,
  removeFilterAt,
  removeFilterValue,
  toggleExcludeAt,
} from '../../src-renderer/state/filters';
import { LruCache, pagesFor } from '../../src-renderer/state/lru';
import { nextSort } from '../../src-renderer/state/rows-sort';

describe('filters', () => {
  it('adds values to an existing include filter on the same column', () => {
    let f = addFilterValue([], 'ServiceName', 'EC2');
    f = addFilterValue(f, 'ServiceName', 'S3');
    f = addFilterValue(f, 'ServiceName', 'S3');
    expect(f).toEqual([{ column: 'ServiceName', values: ['EC2', 'S3'] }]);
  });

  it('keeps include and exclude filters apart', () => {
    const f = addFilterValue(addFilterValue([], 'RegionId', 'us-east-1'), 'RegionId', null, true);
    expect(f).toEqual([
      { column: 'RegionId', values: ['us-east-1'] },
      { column: 'RegionId', values: [null], exclude: true },
    ]);
    expect(isFilteredTo(f, 'RegionId', 'us-east-1')).toBe(true);
    expect(isFilteredTo(f, 'RegionId', null)).toBe(false);
  });

  it('removes filters and values, and toggles exclude', () => {
    const f = [
      { column: 'A', values: ['x', 'y'] },
      { column: 'B', values: ['z'] },
    ];
    expect(removeFilterAt(f, 0)).toEqual([{ column: 'B', values: ['z'] }]);
    expect(removeFilterValue(f, 0, 'x')).toEqual([{ column: 'A', values: ['y'] }, f[1]]);
    expect(removeFilterValue(f, 1, 'z')).toEqual([f[0]]);
    const t = toggleExcludeAt(f, 1);
    expect(t[1]).toEqual({ column: 'B', values: ['z'], exclude: true });
    expect(toggleExcludeAt(t, 1)[1]).toEqual({ column: 'B', values: ['z'] });
    expect(f[1]).toEqual({ column: 'B', values: ['z'] }); // inputs are not mutated
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const c = new LruCache<number, string>(2);
    c.set(1, 'a');
    c.set(2, 'b');
    expect(c.get(1)).toBe('a'); // 1 is now most recent
    c.set(3, 'c');
    expect(c.has(2)).toBe(false);
    expect(c.keys()).toEqual([1, 3]);
    expect(c.peek(1)).toBe('a');
    expect(c.size).toBe(2);
  });

  it('rejects a zero capacity', () => {
    expect(() => new LruCache(0)).toThrow();
  });
});

describe('paging and sorting helpers', () => {
  it('lists the pages covering a row range', () => {
    expect(pagesFor(0, 0, 200)).toEqual([0]);
    expect(pagesFor(150, 450, 200)).toEqual([0, 1, 2]);
    expect(pagesFor(5, 1, 200)).toEqual([]);
  });

  it('cycles sort: desc → asc → none', () => {
    const a = nextSort(null, 'BilledCost');
    expect(a).toEqual({ column: 'BilledCost', desc: true });
    const b = nextSort(a, 'BilledCost');
    expect(b).toEqual({ column: 'BilledCost', desc: false });
    expect(nextSort(b, 'BilledCost')).toBeNull();
    expect(nextSort(b, 'ServiceName')).toEqual({ column: 'ServiceName', desc: true });
  });
});

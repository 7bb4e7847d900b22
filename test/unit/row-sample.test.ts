// Row fingerprints: rows are picked by content alike in every file, so copies overlap and parts do not.
import { describe, expect, it } from 'vitest';
import { coverage, RowSampler, rowHash } from '../../src-main/ingest/row-sample';

function row(i: number): string[] {
  return [`2024-09-${String(1 + (i % 30)).padStart(2, '0')}T00:00:00Z`, `res-${i}`, (i * 0.37).toFixed(6), 'AmazonEC2', `sku-${i % 97}`];
}

function sample(rows: Iterable<number>, change?: (i: number, cells: string[]) => string[]) {
  const s = new RowSampler();
  for (const i of rows) s.add(change ? change(i, row(i)) : row(i));
  return s.result();
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);

describe('row sample', () => {
  it('hashes cell boundaries, not just the joined text', () => {
    expect(rowHash(['a', 'bc'])).not.toBe(rowHash(['ab', 'c']));
    expect(rowHash(['a', 'bc'])).toBe(rowHash(['a', 'bc']));
    expect(Number.isSafeInteger(rowHash(['x']))).toBe(true);
  });

  it('keeps every row of a small file and about one in 32 of a large one', () => {
    const small = sample(range(0, 1000));
    expect(small.all).toHaveLength(1000);
    const large = sample(range(0, 100_000));
    expect(large.all).toBeNull();
    expect(large.picked.length).toBeGreaterThan(100_000 / 32 / 1.5);
    expect(large.picked.length).toBeLessThan((100_000 / 32) * 1.5);
  });

  it('finds an older snapshot inside a later one, large or small, and no overlap between parts', () => {
    expect(coverage(sample(range(0, 1000)), [sample(range(0, 3000))])).toBe(1);
    expect(coverage(sample(range(0, 60_000)), [sample(range(0, 90_000))])).toBe(1);
    // parts of one export share no rows
    expect(coverage(sample(range(0, 60_000)), [sample(range(60_000, 120_000))])).toBe(0);
    expect(coverage(sample(range(0, 500)), [sample(range(500, 1000))])).toBe(0);
    // an older copy covered by two parts of the later snapshot together
    expect(coverage(sample(range(0, 50_000)), [sample(range(0, 40_000)), sample(range(40_000, 80_000))])).toBe(1);
  });

  it('measures a restated copy by the share of rows left unchanged', () => {
    const older = sample(range(0, 50_000));
    const restated = sample(range(0, 50_000), (i, cells) => (i % 4 === 0 ? [...cells.slice(0, 2), '9.99', ...cells.slice(3)] : cells));
    const c = coverage(older, [restated])!;
    expect(c).toBeGreaterThan(0.65);
    expect(c).toBeLessThan(0.85);
  });

  it('does not decide on too few picked rows', () => {
    const big = sample(range(0, 10_000));
    const tiny = new RowSampler().result();
    expect(coverage(tiny, [big])).toBeNull();
  });
});

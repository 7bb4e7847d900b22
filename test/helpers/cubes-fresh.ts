// Asserts a workspace's cubes equal a fresh aggregation of its raw rows (rebuilt inside a rolled-back transaction).
import { expect } from 'vitest';
import { CUBES, rebuildCube } from '../../src-main/store/cubes';
import type { Db } from '../../src-main/store/workspace';

export function expectCubesFresh(db: Db): void {
  const snap = (table: string) =>
    db.prepare(`SELECT * FROM ${table} ORDER BY ${Array.from({ length: 14 }, (_, i) => i + 1).join(', ')}`).raw().safeIntegers(true).all();
  const before = CUBES.map((c) => snap(c.table));
  db.exec('BEGIN');
  try {
    for (const c of CUBES) rebuildCube(db, c, -1e6, 1e6);
    const after = CUBES.map((c) => snap(c.table));
    expect(after).toEqual(before);
  } finally {
    db.exec('ROLLBACK');
  }
  expect(before[0]!.length).toBeGreaterThan(0);
}

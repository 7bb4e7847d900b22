import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { RollupAccumulator } from '../../src-main/ingest/rollup-accumulator';
import { openWorkspace } from '../../src-main/store/workspace';
import { tempDir } from '../helpers/temp';

it('keeps rollup sums exact past 2^53 nano-units (9 million currency units) and with bigint amounts', () => {
  const dir = tempDir();
  const db = openWorkspace(path.join(dir, 'w.meterbook'), { create: true });
  try {
    const acc = new RollupAccumulator();
    const dims = new Int32Array(10);
    dims[0] = 1; // currency
    let expected = 0n;
    // 1,000 rows of ~$7,000,000.000000001 each: far past 2^53 nanos in total
    for (let i = 0; i < 1000; i++) {
      const v = 7_000_000_000_000_001 + i; // not a safe integer sum after two rows
      const nanos = i % 2 === 0 ? BigInt(v) : v <= Number.MAX_SAFE_INTEGER ? v : BigInt(v);
      expected += BigInt(nanos);
      acc.add(20000, dims, [], 5, 657, nanos, 1, -1, 0);
    }
    db.exec('BEGIN');
    acc.apply(db);
    db.exec('COMMIT');
    const total = db.prepare('SELECT billed, effective, list, rows FROM rollup_dim WHERE dim = 0').safeIntegers(true).get() as Record<string, bigint>;
    expect(total.billed).toBe(expected);
    expect(total.effective).toBe(1000n);
    expect(total.list).toBe(-1000n);
    expect(total.rows).toBe(1000n);
    const res = db.prepare('SELECT billed FROM rollup_resource_month').pluck().safeIntegers(true).get();
    expect(res).toBe(expected);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

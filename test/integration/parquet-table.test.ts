// The Parquet table reader cell by cell against values computed independently: nullable flat columns spread over
// many pages, with nulls in some pages and none in others (the case resources/patches speeds up in hyparquet).
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTable } from '../../src-main/ingest/tabular/table-source';
import { tempDir } from '../helpers/temp';

const ROWS = 250_000;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = tempDir();
  file = path.join(dir, 'pages.parquet');
  const duck = await DuckDBInstance.create(':memory:');
  const c = await duck.connect();
  // one row group, so every column chunk holds several pages; nulls only appear in the second half of some columns
  await c.run(
    `COPY (SELECT i,
       CASE WHEN i >= ${ROWS / 2} AND i % 7 = 0 THEN NULL ELSE i * 0.25 END AS cost,
       CASE WHEN i < 1000 THEN NULL ELSE 'svc-' || (i % 13) END AS service,
       'same' AS constant,
       CASE WHEN i % 2 = 0 THEN NULL ELSE 'r-' || i END AS resource
     FROM range(${ROWS}) t(i))
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${ROWS})`,
  );
  c.closeSync();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function expected(i: number): string[] {
  return [
    String(i),
    i >= ROWS / 2 && i % 7 === 0 ? '' : String(i * 0.25),
    i < 1000 ? '' : `svc-${i % 13}`,
    'same',
    i % 2 === 0 ? '' : `r-${i}`,
  ];
}

describe('Parquet table reader', () => {
  it('reads every cell of multi-page nullable columns in order', async () => {
    const table = await openTable(file, 'pages.parquet');
    expect(table.header).toEqual(['i', 'cost', 'service', 'constant', 'resource']);
    const rows: string[][] = [...table.sample];
    if (table.stream) {
      for await (const _ of table.stream((cells) => rows.push(cells))) void _;
    } else {
      for await (const batch of table.rest) rows.push(...batch);
    }
    expect(rows.length).toBe(ROWS);
    let mismatches = 0;
    for (let i = 0; i < ROWS; i++) {
      const want = expected(i);
      const got = rows[i]!;
      if (got.length !== want.length || got.some((v, k) => v !== want[k])) {
        if (mismatches++ < 3) expect(got, `row ${i}`).toEqual(want);
      }
    }
    expect(mismatches).toBe(0);
  });
});

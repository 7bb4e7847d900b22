// The query workers' two lanes: a quick question asked while a long comparison runs is answered first, from its own
// worker, with the same answer it gets on its own.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QueryClient } from '../../src-main/explore/query-client';
import { runImport } from '../../src-main/ingest/import-runner';
import { generateBenchCsv } from '../bench/generate-focus';
import { tempDir } from '../helpers/temp';

let dir: string;
let ws: string;
const client = new QueryClient();

beforeAll(async () => {
  dir = tempDir();
  const csv = path.join(dir, 'bench.csv');
  await generateBenchCsv({ outPath: csv, rows: 60_000, seed: 3, days: 62 });
  ws = path.join(dir, 'w.meterbook');
  const outcome = await runImport({ workspacePath: ws, files: [{ path: csv, name: 'bench.csv' }], mode: 'ask' });
  expect(outcome.status).toBe('done');
}, 120_000);

afterAll(async () => {
  await client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const kpis = { filters: [] };
const compare = {
  a: { from: '2025-01-01', to: '2025-01-31' },
  b: { from: '2025-02-01', to: '2025-02-28' },
  filters: [{ column: 'BillingCurrency', values: ['USD'] }],
  metric: 'BilledCost',
  groupBy: 'ServiceName',
  top: 500,
};

it('answers quick questions while a comparison of every row runs in the other lane', async () => {
  // both workers started and connected first, so the race below is between the questions, not worker start-up
  const alone = await client.run<{ billed: number }>(ws, 'kpis', kpis);
  const compared = await client.run<{ rows: unknown[] }>(ws, 'compare', compare);
  expect(compared.rows.length).toBeGreaterThan(0);

  const order: string[] = [];
  const long = client.run(ws, 'compare', compare).then(() => order.push('compare'));
  const quick = [1, 2, 3].map(() => client.run<{ billed: number }>(ws, 'kpis', kpis).then((k) => (order.push('kpis'), k)));
  const answers = await Promise.all(quick);
  await long;
  expect(order).toEqual(['kpis', 'kpis', 'kpis', 'compare']);
  for (const a of answers) expect(a).toEqual(alone);
}, 60_000);

it('closes both lanes and reopens on the next question', async () => {
  await client.close();
  const k = await client.run<{ billed: number }>(ws, 'kpis', kpis);
  expect(k.billed).toBeGreaterThan(0);
});

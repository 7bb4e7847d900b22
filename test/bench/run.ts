// `npm run bench [-- --rows N]`: import speed, memory and query latency on a generated FOCUS file, each figure next to
// DuckDB measured on the same file and queries in the same run.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { QueryInput } from '../../src-shared/api/contract';
import { createEngine } from '../../src-main/engine/engine';
import { runImport } from '../../src-main/ingest/import-runner';
import { generateBenchCsv } from './generate-focus';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '25' },
    'no-duckdb': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results.json' },
  },
});
const ROWS = Number(values.rows);
const REPEAT = Number(values.repeat);
const DATA = path.resolve('test/bench/.data');
fs.mkdirSync(DATA, { recursive: true });

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  t.sort((a, b) => a - b);
  return { p50: round(pct(t, 50)), p95: round(pct(t, 95)) };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  console.log(`Meterbook benchmark: ${ROWS.toLocaleString('en-US')} rows`);
  const csv = path.join(DATA, `focus-${ROWS}.csv`);
  const meta = `${csv}.json`;
  const t0 = Date.now();
  // the generator is deterministic: reuse the file of an earlier run with the same row count
  let gen: Awaited<ReturnType<typeof generateBenchCsv>>;
  if (fs.existsSync(meta) && fs.existsSync(csv)) {
    gen = JSON.parse(fs.readFileSync(meta, 'utf8'), (k, v: unknown) => (k === 'billedNanos' ? BigInt(v as string) : v)) as typeof gen;
    console.log(`reusing ${csv}`);
  } else {
    gen = await generateBenchCsv({ outPath: csv, rows: ROWS, seed: 1 });
    // flushed before timing, so the import does not compete with the generator's write-back
    const fd = fs.openSync(csv, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.writeFileSync(meta, JSON.stringify(gen, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    console.log(`generated ${csv} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const mb = gen.bytes / 1e6;

  // ---- Meterbook import ----
  const ws = path.join(DATA, `bench-${ROWS}.meterbook`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(ws + suffix, { force: true });
  // rss() alone: the full process.memoryUsage() walks the V8 heap, and forty of those a second slowed the import
  // it was measuring by about a sixth
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 25);
  const i0 = Date.now();
  const outcome = await runImport({ workspacePath: ws, files: [{ path: csv, name: path.basename(csv) }], mode: 'ask' });
  const importSec = (Date.now() - i0) / 1000;
  clearInterval(sampler);
  if (outcome.status !== 'done') throw new Error(`import did not finish: ${JSON.stringify(outcome)}`);
  const imported = outcome.files[0]!.rows;
  if (imported !== ROWS) throw new Error(`imported ${imported} rows, expected ${ROWS}`);

  // ---- queries through the engine (query worker included) ----
  const engine = await createEngine({ host: 'test', dataDir: path.join(DATA, 'data'), workspacePath: ws });
  const info = (await engine.invoke('workspace.current', {}))!;
  const last = info.lastDay!;
  const from90 = new Date(Date.parse(`${last}T00:00:00Z`) - 89 * 86400000).toISOString().slice(0, 10);
  const sub = gen.subAccountIds[0]!;
  // the last full calendar month in the data
  const lastDate = new Date(`${last}T00:00:00Z`);
  const nextDay = new Date(lastDate.getTime() + 86400000);
  const monthEnd = nextDay.getUTCDate() === 1 ? lastDate : new Date(Date.UTC(lastDate.getUTCFullYear(), lastDate.getUTCMonth(), 0));
  const monthStart = new Date(Date.UTC(monthEnd.getUTCFullYear(), monthEnd.getUTCMonth(), 1));
  const mFrom = monthStart.toISOString().slice(0, 10);
  const mTo = monthEnd.toISOString().slice(0, 10);
  const { key, value } = gen.tagValue;
  const queries: { name: string; input: QueryInput; sql: string }[] = [
    {
      name: 'total by ServiceName',
      input: { groupBy: ['ServiceName'], metric: 'BilledCost' },
      sql: 'SELECT ServiceName, sum(BilledCost) FROM t GROUP BY 1',
    },
    {
      name: 'daily x ServiceName, 90 days',
      input: { groupBy: ['ServiceName'], granularity: 'day', from: from90, to: last, metric: 'BilledCost' },
      sql: `SELECT CAST(ChargePeriodStart AS DATE) d, ServiceName, sum(BilledCost) FROM t WHERE ChargePeriodStart >= TIMESTAMP '${from90}' AND ChargePeriodStart < TIMESTAMP '${last}' + INTERVAL 1 DAY GROUP BY 1, 2`,
    },
    {
      name: `SubAccountId + tag ${key}`,
      input: { groupBy: ['ServiceName'], filters: [{ column: 'SubAccountId', values: [sub] }, { column: `Tags.${key}`, values: [value] }] },
      sql: `SELECT ServiceName, sum(BilledCost) FROM t WHERE SubAccountId = '${sub}' AND json_extract_string(Tags, '$.${key}') = '${value}' GROUP BY 1`,
    },
    {
      name: 'top 50 ResourceId, 1 month',
      input: { groupBy: ['ResourceId'], top: 50, metric: 'BilledCost', from: mFrom, to: mTo },
      sql: `SELECT ResourceId, sum(BilledCost) s FROM t WHERE ChargePeriodStart >= TIMESTAMP '${mFrom}' AND ChargePeriodStart < TIMESTAMP '${mTo}' + INTERVAL 1 DAY GROUP BY 1 ORDER BY abs(s) DESC LIMIT 50`,
    },
  ];
  const ours: Record<string, { p50: number; p95: number; source: string }> = {};
  for (const q of queries) {
    const res = await engine.invoke('explore.query', q.input);
    const t = await timed(REPEAT, () => engine.invoke('explore.query', q.input));
    ours[q.name] = { ...t, source: res.source };
  }
  const total = (await engine.invoke('explore.kpis', {})).billed;
  // the generator knows the exact total it wrote: the import must match it to the cent
  const expected = Number(gen.billedNanos) / 1e9;
  if (Math.abs(total - expected) > 0.005) throw new Error(`imported BilledCost total ${total} differs from the file's ${expected}`);
  await engine.close();

  // ---- DuckDB, same file, same questions ----
  let duck: { importSec: number; rowsPerSec: number; queries: Record<string, { p50: number; p95: number }> } | null = null;
  if (!values['no-duckdb']) {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const d0 = Date.now();
    await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header = true, sample_size = 20000)`);
    const dSec = (Date.now() - d0) / 1000;
    const dq: Record<string, { p50: number; p95: number }> = {};
    for (const q of queries) dq[q.name] = await timed(REPEAT, () => c.runAndReadAll(q.sql));
    duck = { importSec: dSec, rowsPerSec: Math.round(ROWS / dSec), queries: dq };
    c.closeSync();
  }

  // ---- report ----
  const rowsPerSec = Math.round(ROWS / importSec);
  const result = {
    date: new Date().toISOString(),
    rows: ROWS,
    csvMB: round(mb, 1),
    import: { seconds: round(importSec), rowsPerSec, mbPerSec: round(mb / importSec, 1), peakRssMB: Math.round(peakRss / 2 ** 20) },
    totalBilled: total,
    queries: ours,
    duckdb: duck,
  };
  const line = (cols: (string | number)[]) => console.log(cols.map((c, i) => String(c).padEnd(i === 0 ? 34 : 14)).join(''));
  console.log('');
  line(['measure', 'Meterbook', 'DuckDB', 'ours/theirs']);
  line(['import rows/s', rowsPerSec, duck?.rowsPerSec ?? '-', duck ? round(rowsPerSec / duck.rowsPerSec) : '-']);
  line(['import MB/s', result.import.mbPerSec, duck ? round(mb / duck.importSec, 1) : '-', '']);
  line(['peak RSS MB', result.import.peakRssMB, '', '']);
  for (const q of queries) {
    const o = ours[q.name]!;
    const d = duck?.queries[q.name];
    line([`${q.name} p50 ms`, o.p50, d?.p50 ?? '-', d ? round(o.p50 / d.p50) : '-']);
    line([`${q.name} p95 ms`, o.p95, d?.p95 ?? '-', d ? round(o.p95 / d.p95) : '-']);
  }
  fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nBilledCost total ${total} equals the generated file's total to the cent`);
  console.log(`wrote ${values.out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

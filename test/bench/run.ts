// `npm run bench [-- --rows N]`: import speed, memory and query latency on a generated FOCUS file, each figure next to
// DuckDB measured on the same file and queries in the same run.
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { QueryInput } from '../../src-shared/api/contract';
import { createEngine } from '../../src-main/engine/engine';
import { runImport } from '../../src-main/ingest/import-runner';
import { generateBenchCsv } from './generate-focus';
import { benchAllocation, printAllocation } from './allocate';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '25' },
    'no-duckdb': { type: 'boolean', default: false },
    'no-formats': { type: 'boolean', default: false },
    // imports with and without rollup and cube maintenance (MB_BENCH_NO_ROLLUPS), interleaved, in child processes
    'no-rollup-cost': { type: 'boolean', default: false },
    // the renderer in Chromium (test/bench/ui.ts): overview first paint, long tasks while scrolling and importing
    'no-ui': { type: 'boolean', default: false },
    // allocation preview after an edit and apply rows/s on the bench workspace (test/bench/allocate.ts)
    'no-allocation': { type: 'boolean', default: false },
    'rollup-rounds': { type: 'string' },
    // imports of each format, interleaved: this machine's speed drifts by ±20 %, so ratios come from the same round
    rounds: { type: 'string', default: '3' },
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

interface BenchQuery {
  name: string;
  call: 'explore.query' | 'explore.kpis';
  input: QueryInput | { filters: QueryInput['filters'] };
  sql: string;
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
  const tagSql = `json_extract_string(Tags, '$.${key}') = '${value}'`;
  const monthSql = `ChargePeriodStart >= TIMESTAMP '${mFrom}' AND ChargePeriodStart < TIMESTAMP '${mTo}' + INTERVAL 1 DAY`;
  const daysSql = `ChargePeriodStart >= TIMESTAMP '${from90}' AND ChargePeriodStart < TIMESTAMP '${last}' + INTERVAL 1 DAY`;
  const q = (name: string, input: QueryInput, sql: string): BenchQuery => ({ name, call: 'explore.query', input, sql });
  const queries: BenchQuery[] = [
    q('total by ServiceName', { groupBy: ['ServiceName'], metric: 'BilledCost' }, 'SELECT ServiceName, sum(BilledCost) FROM t GROUP BY 1'),
    q(
      'daily x ServiceName, 90 days',
      { groupBy: ['ServiceName'], granularity: 'day', from: from90, to: last, metric: 'BilledCost' },
      `SELECT CAST(ChargePeriodStart AS DATE) d, ServiceName, sum(BilledCost) FROM t WHERE ${daysSql} GROUP BY 1, 2`,
    ),
    q(
      `SubAccountId + tag ${key}`,
      { groupBy: ['ServiceName'], filters: [{ column: 'SubAccountId', values: [sub] }, { column: `Tags.${key}`, values: [value] }] },
      `SELECT ServiceName, sum(BilledCost) FROM t WHERE SubAccountId = '${sub}' AND ${tagSql} GROUP BY 1`,
    ),
    q(
      'top 50 ResourceId, 1 month',
      { groupBy: ['ResourceId'], top: 50, metric: 'BilledCost', from: mFrom, to: mTo },
      `SELECT ResourceId, sum(BilledCost) s FROM t WHERE ${monthSql} GROUP BY 1 ORDER BY abs(s) DESC LIMIT 50`,
    ),
    q(
      'pivot ServiceName x RegionId',
      { groupBy: ['ServiceName', 'RegionId'], metric: 'EffectiveCost' },
      'SELECT ServiceName, RegionId, sum(EffectiveCost) FROM t GROUP BY 1, 2',
    ),
    q(
      'pivot ServiceName x SubAccountId, 1 month',
      { groupBy: ['ServiceName', 'SubAccountId'], metric: 'BilledCost', from: mFrom, to: mTo },
      `SELECT ServiceName, SubAccountId, sum(BilledCost) FROM t WHERE ${monthSql} GROUP BY 1, 2`,
    ),
    q(
      `monthly x ServiceName, tag ${key} filter`,
      { groupBy: ['ServiceName'], granularity: 'month', metric: 'BilledCost', filters: [{ column: `Tags.${key}`, values: [value] }] },
      `SELECT date_trunc('month', ChargePeriodStart), ServiceName, sum(BilledCost) FROM t WHERE ${tagSql} GROUP BY 1, 2`,
    ),
    q(
      'daily x RegionId, 90 days, Compute only',
      { groupBy: ['RegionId'], granularity: 'day', from: from90, to: last, metric: 'BilledCost', filters: [{ column: 'ServiceCategory', values: ['Compute'] }] },
      `SELECT CAST(ChargePeriodStart AS DATE) d, RegionId, sum(BilledCost) FROM t WHERE ${daysSql} AND ServiceCategory = 'Compute' GROUP BY 1, 2`,
    ),
    {
      name: 'KPIs, 3 sub accounts',
      call: 'explore.kpis',
      input: { filters: [{ column: 'SubAccountId', values: gen.subAccountIds.slice(0, 3) }] },
      sql: `SELECT BillingCurrency, sum(BilledCost), sum(EffectiveCost), sum(ListCost), sum(ContractedCost), count(*) FROM t WHERE SubAccountId IN (${gen.subAccountIds
        .slice(0, 3)
        .map((x) => `'${x}'`)
        .join(', ')}) GROUP BY 1`,
    },
  ];
  const ask = (b: BenchQuery) => (b.call === 'explore.query' ? engine.invoke('explore.query', b.input as QueryInput) : engine.invoke('explore.kpis', b.input));
  const sourceOf = async (b: BenchQuery) => (b.call === 'explore.query' ? ((await ask(b)) as { source: string }).source : 'kpis');
  // What the overview asks for when a workspace opens (KPIs, the chart's series, the breakdown), all at once as the
  // UI does, on a cold engine: its first paint.
  const overviewSec = await (async () => {
    const t = Date.now();
    await Promise.all([
      engine.invoke('explore.kpis', { filters: [] }),
      engine.invoke('explore.query', { groupBy: ['ServiceName'], metric: 'BilledCost', granularity: 'month', top: 8, filters: [] }),
      engine.invoke('explore.query', { groupBy: ['ServiceName'], metric: 'BilledCost', top: 500, filters: [] }),
    ]);
    return (Date.now() - t) / 1000;
  })();
  // The cubes load into the query worker in the background after the first question needing them; until then SQL
  // over the cube tables answers. Timed: how long until they are in memory.
  const coldSources: Record<string, string> = {};
  for (const b of queries) coldSources[b.name] = await sourceOf(b);
  const l0 = Date.now();
  const cubeProbe = queries.find((b) => b.name.startsWith('SubAccountId'))!;
  while ((await sourceOf(cubeProbe)).endsWith('(sql)') && Date.now() - l0 < 300_000) await new Promise((r) => setTimeout(r, 100));
  const cubeLoadSec = (Date.now() - l0) / 1000;
  // Twice: right after the import, while the import worker folds the WAL into the database in the background (every
  // read then goes through the WAL index), and settled, once that checkpoint is done.
  const ours: Record<string, { p50: number; p95: number; source: string }> = {};
  for (const b of queries) {
    const source = await sourceOf(b);
    const t = await timed(REPEAT, () => ask(b));
    ours[b.name] = { ...t, source };
  }
  const c0 = Date.now();
  const direct = new Database(ws);
  direct.pragma('busy_timeout = 600000');
  direct.pragma('wal_checkpoint(TRUNCATE)');
  direct.close();
  const checkpointWaitSec = (Date.now() - c0) / 1000;
  const settled: Record<string, { p50: number; p95: number }> = {};
  for (const b of queries) settled[b.name] = await timed(REPEAT, () => ask(b));
  // ---- long work (the second query lane): a comparison, data quality, the detail grid's sort and a drill-down ----
  // Each timed on its first call (what a user waits for; grid plans are then cached) and, for the comparison, again.
  const once = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return round(performance.now() - t, 0);
  };
  const prevMonthEnd = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth(), 0));
  const pFrom = new Date(Date.UTC(prevMonthEnd.getUTCFullYear(), prevMonthEnd.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const pTo = prevMonthEnd.toISOString().slice(0, 10);
  const service = ((await engine.invoke('explore.query', { groupBy: ['ServiceName'], metric: 'BilledCost', top: 1 })).rows[0]!['ServiceName'] as string);
  const compareInput = { a: { from: pFrom, to: pTo }, b: { from: mFrom, to: mTo }, groupBy: 'ServiceName', metric: 'BilledCost' as const };
  const drillScope = { from: mFrom, to: mTo, filters: [{ column: 'ServiceName', values: [service] }] };
  await engine.invoke('explore.rows', { offset: 0, limit: 1 }); // the second lane's worker started and connected
  const wsRows = info.rows;
  const longWork: Record<string, number> = {
    [`compare ${pFrom.slice(0, 7)} with ${mFrom.slice(0, 7)} by ServiceName`]: await once(() => engine.invoke('explore.compare', compareInput)),
    'compare, again': await once(() => engine.invoke('explore.compare', compareInput)),
    'data quality, 1 service filter': await once(() => engine.invoke('explore.dataQuality', { filters: drillScope.filters })),
    'drill-down first page (1 service, 1 month)': await once(() => engine.invoke('explore.rows', { ...drillScope, offset: 0, limit: 100 })),
    'grid sorted by BilledCost desc, first page': await once(() => engine.invoke('explore.rows', { offset: 0, limit: 100, sort: { column: 'BilledCost', desc: true } })),
    'grid sorted, a page in the middle': await once(() => engine.invoke('explore.rows', { offset: Math.floor(wsRows / 2), limit: 100, sort: { column: 'BilledCost', desc: true } })),
    'grid sorted, the last page': await once(() => engine.invoke('explore.rows', { offset: Math.max(0, wsRows - 100), limit: 100, sort: { column: 'BilledCost', desc: true } })),
    'drill-down sorted by BilledCost, first page': await once(() => engine.invoke('explore.rows', { ...drillScope, offset: 0, limit: 100, sort: { column: 'BilledCost', desc: true } })),
  };
  const total = (await engine.invoke('explore.kpis', {})).billed;
  // the generator knows the exact total it wrote: the import must match it to the cent
  const expected = Number(gen.billedNanos) / 1e9;
  if (Math.abs(total - expected) > 0.005) throw new Error(`imported BilledCost total ${total} differs from the file's ${expected}`);
  await engine.close();

  // ---- what maintaining rollups and cubes costs an import: the same file with and without, round by round ----
  let rollupCost: { withSec: number; withoutSec: number; ratio: number; ratioRange: [number, number] } | null = null;
  if (!values['no-rollup-cost']) {
    const rounds = Math.max(1, Number(values['rollup-rounds'] ?? (ROWS >= 5_000_000 ? 1 : values.rounds)));
    const wsR = path.join(DATA, `bench-${ROWS}-rollup-cost.meterbook`);
    const pairs: { with: number; without: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const without = importInChild(csv, wsR, { ...process.env, MB_BENCH_NO_ROLLUPS: '1' });
      const withR = importInChild(csv, wsR);
      if (without.rows !== ROWS || withR.rows !== ROWS) throw new Error('rollup-cost imports did not import every row');
      pairs.push({ with: withR.seconds, without: without.seconds });
    }
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(wsR + suffix, { force: true });
    const ratios = pairs.map((p) => p.without / p.with).sort((a, b) => a - b);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    rollupCost = {
      withSec: round(median(pairs.map((p) => p.with))),
      withoutSec: round(median(pairs.map((p) => p.without))),
      ratio: round(median(ratios)),
      ratioRange: [round(ratios[0]!), round(ratios[ratios.length - 1]!)],
    };
  }

  // ---- other shapes of the same rows: FOCUS Parquet, and an AWS CUR 2.0 CSV (vendor mapping) ----
  // Each round imports the FOCUS CSV again next to the other shapes, and each ratio compares imports of one round;
  // the report gives the median round (and the spread), so a slow minute on a shared machine does not decide it.
  type FormatFigures = { seconds: number; rowsPerSec: number; mbPerSec: number; peakRssMB: number; vsFocusCsv: number; vsFocusCsvRange: [number, number]; bytesMB: number };
  const formats: Record<string, FormatFigures> = {};
  // each import runs in a process of its own (import-once.ts), so its peak RSS is its own
  if (!values['no-duckdb'] && !values['no-formats']) {
    const variants = [{ id: 'FOCUS CSV', format: 'focus-csv', path: csv }, ...(await deriveVariants(csv))];
    const runs = new Map<string, { sec: number; rss: number }[]>(variants.map((v) => [v.id, []]));
    const rounds = Math.max(1, Number(values.rounds));
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        const wsV = path.join(DATA, `bench-${ROWS}-${v.format}.meterbook`);
        const o = importInChild(v.path, wsV);
        if (o.status !== 'done') throw new Error(`${v.id} import did not finish: ${JSON.stringify(o.outcome)}`);
        if (o.format !== v.format || o.rows !== ROWS) throw new Error(`${v.id}: read as ${o.format} with ${o.rows} rows`);
        const sec = o.seconds;
        const rss = o.peakRss;
        const e = await createEngine({ host: 'test', dataDir: path.join(DATA, 'data'), workspacePath: wsV });
        const billed = (await e.invoke('explore.kpis', {})).billed;
        await e.close();
        if (Math.abs(billed - Number(gen.billedNanos) / 1e9) > 0.005) throw new Error(`${v.id}: BilledCost ${billed} differs from the generated total`);
        runs.get(v.id)!.push({ sec, rss });
      }
    }
    const csvRuns = runs.get('FOCUS CSV')!;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const v of variants.slice(1)) {
      const mine = runs.get(v.id)!;
      const ratios = mine.map((m, i) => csvRuns[i]!.sec / m.sec);
      const sec = median(mine.map((m) => m.sec));
      const bytesMB = fs.statSync(v.path).size / 1e6;
      formats[v.id] = {
        seconds: round(sec),
        rowsPerSec: Math.round(ROWS / sec),
        mbPerSec: round(bytesMB / sec, 1),
        peakRssMB: Math.round(Math.max(...mine.map((m) => m.rss)) / 2 ** 20),
        vsFocusCsv: round(median(ratios)),
        vsFocusCsvRange: [round(Math.min(...ratios)), round(Math.max(...ratios))],
        bytesMB: round(bytesMB, 1),
      };
    }
    formats['FOCUS CSV (same rounds)'] = {
      seconds: round(median(csvRuns.map((m) => m.sec))),
      rowsPerSec: Math.round(ROWS / median(csvRuns.map((m) => m.sec))),
      mbPerSec: round(mb / median(csvRuns.map((m) => m.sec)), 1),
      peakRssMB: Math.round(Math.max(...csvRuns.map((m) => m.rss)) / 2 ** 20),
      vsFocusCsv: 1,
      vsFocusCsvRange: [1, 1],
      bytesMB: round(mb, 1),
    };
  }

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

  // ---- allocation: preview after an edit, apply (test/bench/allocate.ts) ----
  const allocation = values['no-allocation'] ? null : await benchAllocation(ws);

  // ---- the renderer: first paint and main-thread blocks, in Chromium against serve on this workspace ----
  let ui: Record<string, unknown> | null = null;
  if (!values['no-ui']) {
    const uiRows = Math.min(ROWS, 200_000);
    const importFile = path.join(DATA, `focus-ui-import-${uiRows}.csv`);
    if (!fs.existsSync(importFile)) await generateBenchCsv({ outPath: importFile, rows: uiRows, seed: 2 });
    const build = spawnSync('npm', ['run', 'build:web'], { encoding: 'utf8', shell: process.platform === 'win32' });
    if (build.status !== 0) throw new Error(`build:web failed: ${build.stderr}`);
    const uiOut = path.join(DATA, 'bench-ui.json');
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/bench/ui.ts'), '--workspace', ws, '--import-file', importFile, '--out', uiOut], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`ui bench failed: ${child.stdout}`);
    ui = JSON.parse(fs.readFileSync(uiOut, 'utf8')) as Record<string, unknown>;
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
    queriesSettled: settled,
    longWorkMs: longWork,
    overviewFirstPaintSec: round(overviewSec, 3),
    cubeLoadSec: round(cubeLoadSec, 1),
    coldSources,
    checkpointWaitSec: round(checkpointWaitSec),
    duckdb: duck,
    rollupCost,
    ui,
    allocation,
    formats,
  };
  const line = (cols: (string | number)[]) => console.log(cols.map((c, i) => String(c).padEnd(i === 0 ? 50 : 14)).join(''));
  console.log('');
  line(['measure', 'Meterbook', 'DuckDB', 'ours/theirs', 'settled', 'answered from']);
  line(['import rows/s', rowsPerSec, duck?.rowsPerSec ?? '-', duck ? round(rowsPerSec / duck.rowsPerSec) : '-']);
  line(['import MB/s', result.import.mbPerSec, duck ? round(mb / duck.importSec, 1) : '-', '']);
  line(['peak RSS MB', result.import.peakRssMB, '', '']);
  for (const q of queries) {
    const o = ours[q.name]!;
    const d = duck?.queries[q.name];
    const st = settled[q.name]!;
    line([`${q.name} p50 ms`, o.p50, d?.p50 ?? '-', d ? round(o.p50 / d.p50) : '-', st.p50, o.source]);
    line([`${q.name} p95 ms`, o.p95, d?.p95 ?? '-', d ? round(o.p95 / d.p95) : '-', st.p95]);
  }
  for (const [name, ms] of Object.entries(longWork)) line([`${name} ms`, ms, '', '', '', 'first call']);
  console.log(`overview first paint (KPIs + chart + breakdown, cold engine): ${round(overviewSec * 1000, 0)} ms; cubes in memory ${round(cubeLoadSec, 1)} s after the first question (SQL over the cube tables meanwhile)`);
  console.log(`(settled: the same queries once the import's background WAL checkpoint is done; waited ${round(checkpointWaitSec, 1)} s for it after the first measurements)`);
  for (const [id, f] of Object.entries(formats)) {
    const spread = f.vsFocusCsvRange[0] === f.vsFocusCsvRange[1] ? '' : ` (${f.vsFocusCsvRange[0]}–${f.vsFocusCsvRange[1]})`;
    line([`import ${id} rows/s`, f.rowsPerSec, `${f.peakRssMB} MB`, `${f.vsFocusCsv}${spread} × FOCUS CSV`]);
  }
  if (ui) {
    const u = ui as { overviewFirstPaintMs: number; gridScroll: { count: number; maxMs: number }; importWhileWatching: { count: number; maxMs: number; seconds: number } | null };
    line(['UI overview first paint ms (browser)', u.overviewFirstPaintMs, '', '']);
    line(['UI grid scroll: longest main-thread task ms', u.gridScroll.maxMs, `${u.gridScroll.count} over 50 ms`, '']);
    if (u.importWhileWatching) line(['UI during an import: longest task ms', u.importWhileWatching.maxMs, `${u.importWhileWatching.count} over 50 ms`, '']);
  }
  if (allocation) printAllocation(allocation, line);
  if (rollupCost) {
    const spread = rollupCost.ratioRange[0] === rollupCost.ratioRange[1] ? '' : ` (${rollupCost.ratioRange[0]}–${rollupCost.ratioRange[1]})`;
    line(['import with rollups + cubes vs raw rows only', `${rollupCost.withSec} s`, `${rollupCost.withoutSec} s`, `${rollupCost.ratio}${spread} of the speed`]);
  }
  fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nBilledCost total ${total} equals the generated file's total to the cent`);
  console.log(`wrote ${values.out}`);
}

/** One import in a child process (the time is measured inside it, around the import alone). */
function importInChild(file: string, ws: string, env: NodeJS.ProcessEnv = process.env): { status: string; seconds: number; rows: number; format: string | null; peakRss: number; outcome?: unknown } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/bench/import-once.ts'), file, ws], { encoding: 'utf8', maxBuffer: 1 << 24, env });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`import of ${file} failed: ${child.stderr || child.stdout}`);
  return JSON.parse(line) as ReturnType<typeof importInChild>;
}

/**
 * The bench rows in two more shapes, written by DuckDB (cached beside the CSV): FOCUS Parquet with typed money
 * (DOUBLE) and times (TIMESTAMP) in row groups of 122,880 as DuckDB writes by default, and an AWS CUR 2.0 CSV with
 * the same charges as line items (resource tags and product as JSON map text).
 */
async function deriveVariants(csv: string): Promise<{ id: string; format: string; path: string }[]> {
  const parquet = csv.replace(/\.csv$/, '.parquet');
  const cur2 = csv.replace(/\.csv$/, '-cur2.csv');
  const need = [parquet, cur2].some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < fs.statSync(csv).mtimeMs);
  if (need) {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`CREATE TABLE f AS SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)`);
    const money = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingCurrencyEffectiveCost'];
    const times = ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'];
    const numbers = ['ConsumedQuantity', 'PricingQuantity', 'ListUnitPrice', 'ContractedUnitPrice', 'CommitmentDiscountQuantity'];
    const replace = [
      ...money.map((m) => `CAST("${m}" AS DOUBLE) AS "${m}"`),
      ...numbers.map((m) => `CAST("${m}" AS DOUBLE) AS "${m}"`),
      ...times.map((t) => `CAST("${t}" AS TIMESTAMP) AS "${t}"`),
    ];
    await c.run(`COPY (SELECT * REPLACE (${replace.join(', ')}) FROM f) TO '${parquet}' (FORMAT parquet, COMPRESSION snappy)`);
    const ts = (col: string) => `strftime(CAST("${col}" AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.000Z')`;
    await c.run(`COPY (SELECT
        'Anniversary' AS bill_bill_type, 'AWS' AS bill_billing_entity,
        ${ts('BillingPeriodEnd')} AS bill_billing_period_end_date, ${ts('BillingPeriodStart')} AS bill_billing_period_start_date,
        InvoiceId AS bill_invoice_id, InvoiceIssuerName AS bill_invoicing_entity, BillingAccountId AS bill_payer_account_id,
        BillingAccountName AS bill_payer_account_name,
        md5(concat_ws('|', ChargePeriodStart, ResourceId, SkuPriceId, BilledCost)) AS identity_line_item_id,
        concat(ChargePeriodStart, '/', ChargePeriodEnd) AS identity_time_interval,
        AvailabilityZone AS line_item_availability_zone, BillingCurrency AS line_item_currency_code,
        ChargeDescription AS line_item_line_item_description, 'Usage' AS line_item_line_item_type,
        'RunInstances' AS line_item_operation, ServiceName AS line_item_product_code, ResourceId AS line_item_resource_id,
        ContractedUnitPrice AS line_item_unblended_rate, BilledCost AS line_item_unblended_cost,
        SubAccountId AS line_item_usage_account_id, SubAccountName AS line_item_usage_account_name,
        ConsumedQuantity AS line_item_usage_amount, ${ts('ChargePeriodEnd')} AS line_item_usage_end_date,
        ${ts('ChargePeriodStart')} AS line_item_usage_start_date, SkuMeter AS line_item_usage_type,
        BillingCurrency AS pricing_currency, ListCost AS pricing_public_on_demand_cost, ListUnitPrice AS pricing_public_on_demand_rate,
        SkuPriceId AS pricing_rate_code, 'OnDemand' AS pricing_term, PricingUnit AS pricing_unit,
        json_object('product_name', ServiceName, 'region', RegionId)::VARCHAR AS product,
        RegionId AS product_region_code, ServiceName AS product_servicecode, SkuId AS product_sku,
        coalesce(Tags, '{}') AS resource_tags
      FROM f) TO '${cur2}' (FORMAT csv, HEADER true)`);
    c.closeSync();
  }
  return [
    { id: 'FOCUS Parquet', format: 'focus-parquet', path: parquet },
    { id: 'AWS CUR 2.0 CSV', format: 'aws-cur-2', path: cur2 },
  ];
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

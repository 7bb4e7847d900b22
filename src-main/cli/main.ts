// The `meterbook` command line: the engine headless. Its flags and JSON output are a contract scripts depend on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DatasetLinks, ImportOutcome, Metric, QueryOutput } from '../../src-shared/api/contract';
import { defaultDataDir } from '../engine/data-dir';
import { createEngine, type Engine } from '../engine/engine';
import { EngineError, toApiError } from '../engine/errors';
import { buildDemoWorkspace } from '../engine/import-service';
import { startHttpHost } from '../hosts/http-host';
import { compareText, parsePeriod } from './compare-text';
import { allocateReport, allocateText } from './allocate-text';
import { parseRuleSetJson } from '../../src-shared/allocate/ruleset';

const USAGE = `Usage: meterbook <command> [options]

Commands:
  import FILE|FOLDER|ZIP... --workspace WS [--replace|--append] [--json]
        import bills: FOCUS (any dataset; CSV, gzip, JSON, Parquet) and vendor exports (AWS, Azure, Google Cloud,
        OCI, OpenAI, Anthropic, GitHub Copilot, per-seat SaaS), detected by content
  query --workspace WS [--dataset CostAndUsage|ContractCommitment|InvoiceDetail|BillingPeriod]
        [--group-by COL[,COL…]] [--metric M] [--granularity day|week|month]
        [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--filter COL=VALUE]… [--top N] [--repeat N] [--json]
  export --workspace WS --format csv|parquet --out PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--filter COL=VALUE]…
        [--group-by COL[,COL…]] [--allocation DIMENSION] [--overwrite] [--json]
        the rows in scope as one FOCUS CSV file, or a Parquet folder partitioned by billing period
        (BillingPeriod=YYYY-MM/part-00000.parquet; DECIMAL(38,9) money, UTC timestamps); --group-by writes the grouped
        totals per currency as CSV; --allocation Team adds the applied allocation (x_Team on every row, a shared-cost
        pool's rows once per target with the FOCUS Allocated* columns)
  compare [WS] --workspace WS --a FROM..TO --b FROM..TO --group-by COL [--filter COL=VALUE]… [--metric M] [--top N]
        [--json]
        explain the change from period A to period B per value of COL: price, usage, mix, new, removed, credits
        (days are YYYY-MM-DD, both ends included; e.g. --a 2026-09-01..2026-09-30 --b 2026-10-01..2026-10-31)
  links --workspace WS [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
        invoices (Invoice Detail vs Cost and Usage BilledCost per issuer, invoice and currency, with the billing
        period's status) and commitment burn-down (Contract Commitment vs Cost and Usage ContractApplied)
  allocate --workspace WS --rules FILE.json [--apply] [--note TEXT] [--metric M] [--from YYYY-MM] [--to YYYY-MM]
        [--json]
        run an allocation rule set (exported from the Allocation screen): per-target direct, shared and total spend,
        the unallocated remainder, coverage, and a check that allocated + unallocated = original; --apply stores it
        as a new version
  validate FILE [--applicability CRITERION=true|false,…] [--json]  conformance report, nothing imported
  serve [--workspace WS] [--port N]                               open the UI in a browser on this machine
  demo --workspace WS                                             build the demo workspace

Exit codes: 0 ok, 1 refused or failed, 2 usage, 3 billing periods overlap (use --replace or --append).`;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

class UsageError extends Error {}

function out(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
}

function fail(message: string, code = 1): never {
  process.stderr.write(`meterbook: ${message}\n`);
  process.exit(code);
}

async function withEngine<T>(workspace: string | undefined, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({
    host: 'cli',
    dataDir: defaultDataDir(),
    ...(workspace ? { workspacePath: workspace } : {}),
  });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

function requireWorkspace(ws: string | undefined): string {
  if (!ws) throw new UsageError('--workspace WS is required');
  return path.resolve(ws);
}

async function cmdImport(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      replace: { type: 'boolean', default: false },
      append: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const ws = requireWorkspace(values.workspace);
  if (positionals.length === 0) throw new UsageError('import needs at least one FILE');
  if (values.replace && values.append) throw new UsageError('choose one of --replace and --append');
  const mode = values.replace ? 'replace' : values.append ? 'append' : 'ask';
  const outcome = await withEngine(ws, async (engine) => {
    const { jobId } = await engine.invoke('import.start', { files: positionals.map((p) => ({ path: p })), mode });
    return new Promise<ImportOutcome>((resolve) => {
      const stop = engine.subscribe((event, payload) => {
        const p = payload as { jobId: string; outcome?: ImportOutcome; rows?: number; rowsPerSec?: number; bytes?: number; totalBytes?: number };
        if (event === 'import.finished' && p.jobId === jobId) {
          stop();
          resolve(p.outcome!);
        } else if (event === 'import.progress' && !values.json && process.stderr.isTTY) {
          const pct = p.totalBytes ? Math.floor((100 * (p.bytes ?? 0)) / p.totalBytes) : 0;
          process.stderr.write(`\r${pct}%  ${p.rows} rows  ${Math.round(p.rowsPerSec ?? 0)} rows/s   `);
        }
      });
      process.once('SIGINT', () => void engine.invoke('import.cancel', { jobId }));
    });
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  switch (outcome.status) {
    case 'done': {
      const files = outcome.files.map(({ importFileId: _id, ...f }) => f);
      const body: Record<string, unknown> = { files };
      if (outcome.snapshots) body.snapshots = outcome.snapshots;
      if (outcome.skipped) body.skipped = outcome.skipped;
      out(values.json, body, () =>
        [
          ...files.map(
            (f) =>
              `${f.file} (${f.format}): ${f.action}, ${f.rows} rows, FOCUS ${f.focusVersion}, conformance ${f.conformance.pass} pass / ${f.conformance.fail} fail / ${f.conformance.skip} skip`,
          ),
          ...(outcome.snapshots ?? []).map(
            (s) =>
              `snapshots: ${s.copies} copies of the same billing periods; kept ${s.unit === 'file' ? s.keptFiles.join(', ') : s.keptFolder}, not counted: ${s.droppedFiles.join(', ')}`,
          ),
          ...(outcome.skipped?.length ? [`set aside (export metadata): ${outcome.skipped.join(', ')}`] : []),
        ].join('\n'),
      );
      return;
    }
    case 'overlap': {
      const lines = outcome.overlaps.map(
        (o) => `  ${o.billingPeriodStart.slice(0, 7)}  ${o.invoiceIssuer || '(no issuer)'}  account ${o.billingAccountId || '(none)'}: ${o.existingRows} rows already, ${o.newRows} in this delivery`,
      );
      if (values.json) process.stdout.write(`${JSON.stringify({ overlap: outcome.overlaps })}\n`);
      fail(`these billing periods are already in the workspace; nothing was imported. Re-run with --replace to replace them or --append to add this delivery as another part:\n${lines.join('\n')}`, 3);
      break;
    }
    case 'cancelled':
      fail('import cancelled; nothing was changed', 1);
      break;
    case 'failed':
      fail(outcome.error.message, 1);
  }
}

function parseFilters(list: string[] | undefined): { column: string; values: (string | null)[] }[] {
  const byCol = new Map<string, (string | null)[]>();
  for (const f of list ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`--filter '${f}': expected COL=VALUE`);
    const col = f.slice(0, eq);
    const val = f.slice(eq + 1);
    const vals = byCol.get(col) ?? [];
    vals.push(val === 'null' ? null : val);
    byCol.set(col, vals);
  }
  return [...byCol].map(([column, values]) => ({ column, values }));
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 1000) / 1000;
}

const DEFAULT_DATASET_METRIC = { ContractCommitment: 'ContractCommitmentCost', InvoiceDetail: 'BilledCost', BillingPeriod: 'rows' } as const;

async function queryDatasetCmd(
  ws: string,
  dataset: keyof typeof DEFAULT_DATASET_METRIC,
  values: { 'group-by'?: string; metric?: string; from?: string; to?: string; filter?: string[]; json?: boolean },
): Promise<void> {
  const input = {
    dataset,
    groupBy: values['group-by'] ? values['group-by'].split(',').map((s) => s.trim()).filter(Boolean) : [],
    metric: values.metric ?? DEFAULT_DATASET_METRIC[dataset],
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    filters: parseFilters(values.filter),
  };
  const res = await withEngine(ws, (engine) => engine.invoke('explore.datasetQuery', input));
  const body: Record<string, unknown> = { dataset: res.dataset, metric: res.metric, rows: res.rows, total: res.total };
  if (res.currency) body.currency = res.currency;
  out(values.json ?? false, body, () => {
    const cols = res.rows.length > 0 ? Object.keys(res.rows[0]!) : ['value'];
    const lines = [cols.join('\t'), ...res.rows.map((r) => cols.map((c) => String(r[c] ?? 'null')).join('\t'))];
    lines.push(`total\t${res.total}${res.currency ? ` ${res.currency}` : ''}`);
    return lines.join('\n');
  });
}

async function cmdQuery(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      'group-by': { type: 'string' },
      dataset: { type: 'string', default: 'CostAndUsage' },
      metric: { type: 'string' },
      granularity: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      filter: { type: 'string', multiple: true },
      top: { type: 'string' },
      repeat: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const ws = requireWorkspace(values.workspace);
  if (!fs.existsSync(ws)) throw new EngineError('not-found', `Workspace ${ws} does not exist`);
  const dataset = values.dataset ?? 'CostAndUsage';
  if (dataset !== 'CostAndUsage') {
    if (dataset !== 'ContractCommitment' && dataset !== 'InvoiceDetail' && dataset !== 'BillingPeriod') {
      throw new UsageError('--dataset is one of CostAndUsage, ContractCommitment, InvoiceDetail, BillingPeriod');
    }
    return queryDatasetCmd(ws, dataset, values);
  }
  const input = {
    groupBy: values['group-by'] ? values['group-by'].split(',').map((s) => s.trim()).filter(Boolean) : [],
    metric: (values.metric ?? 'BilledCost') as Metric,
    ...(values.granularity ? { granularity: values.granularity as 'day' | 'week' | 'month' } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    filters: parseFilters(values.filter),
    ...(values.top ? { top: Number(values.top) } : {}),
  };
  const repeat = values.repeat ? Number(values.repeat) : 0;
  if (values.repeat && (!Number.isInteger(repeat) || repeat < 1)) throw new UsageError('--repeat N needs a positive integer');
  const result = await withEngine(ws, async (engine) => {
    let res = (await engine.invoke('explore.query', input)) as QueryOutput;
    if (repeat === 0) return { res };
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = process.hrtime.bigint();
      res = (await engine.invoke('explore.query', input)) as QueryOutput;
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { res, timings: { p50: percentile(times, 50), p95: percentile(times, 95) } };
  });
  const body: Record<string, unknown> = { metric: result.res.metric, rows: result.res.rows, total: result.res.total };
  if (result.res.currency) body.currency = result.res.currency;
  if (result.timings) body.timings_ms = result.timings;
  out(values.json, body, () => {
    const cols = result.res.rows.length > 0 ? Object.keys(result.res.rows[0]!) : ['value'];
    const lines = [cols.join('\t'), ...result.res.rows.map((r) => cols.map((c) => String(r[c] ?? 'null')).join('\t'))];
    lines.push(`total\t${result.res.total}${result.res.currency ? ` ${result.res.currency}` : ''}`);
    if (result.timings) lines.push(`p50 ${result.timings.p50} ms, p95 ${result.timings.p95} ms`);
    return lines.join('\n');
  });
}

/** Columns padded to their widest cell: the links tables are read by people, not scripts (those use --json). */
function table(header: string[], rows: string[][]): string[] {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * An amount to the cent, rounded half away from zero on its decimal text: the engine's numbers are exact decimals
 * (up to 9 places), and toFixed would round 1.005 (binary 1.00499…) down.
 */
function money(v: number | null): string {
  if (v === null) return '-';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(v));
  if (!m) return v.toFixed(2);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = BigInt(m[2]!) * 100n + BigInt(frac.slice(0, 2));
  if (frac.charCodeAt(2) >= 53) cents += 1n;
  if (cents === 0n) return '0.00';
  return `${m[1]}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

function linksText(res: DatasetLinks): string {
  const c = res.counts;
  const lines = [
    `rows: Cost and Usage ${c.costAndUsageRows}, Invoice Detail ${c.invoiceDetailRows}, Contract Commitment ${c.contractCommitmentRows}, Billing Period ${c.billingPeriodRows}`,
    '',
  ];
  if (res.invoices.length === 0) lines.push('invoices: none (no Cost and Usage row or Invoice Detail line has an InvoiceId)');
  else {
    lines.push('invoices:');
    lines.push(
      ...table(
        ['period', 'issuer', 'invoice', 'currency', 'invoice detail', 'cost and usage', 'difference', 'status', 'issue status', 'period status'],
        res.invoices.map((i) => [
          i.billingPeriodStart ?? '-',
          i.invoiceIssuerName ?? '-',
          i.invoiceId,
          i.currency ?? '-',
          money(i.invoiceBilledCost),
          money(i.costAndUsageBilledCost),
          money(i.difference),
          i.status,
          i.invoiceIssueStatus ?? '-',
          i.billingPeriodStatus ?? '-',
        ]),
      ).map((l) => `  ${l}`),
    );
  }
  lines.push('');
  if (res.commitments.length === 0) lines.push('commitments: none in Contract Commitment');
  else {
    lines.push('commitments:');
    lines.push(
      ...table(
        ['commitment', 'contract', 'category', 'currency', 'period', 'cost', 'applied', 'remaining', 'rows'],
        res.commitments.map((m) => [
          m.contractCommitmentId,
          m.contractId ?? '-',
          m.category ?? '-',
          m.currency ?? '-',
          `${m.periodStart?.slice(0, 10) ?? '?'}..${m.periodEnd?.slice(0, 10) ?? '?'}`,
          money(m.commitmentCost),
          money(m.appliedCost),
          money(m.remainingCost),
          String(m.costRows),
        ]),
      ).map((l) => `  ${l}`),
    );
  }
  if (res.unknownCommitments.length > 0) {
    lines.push('', 'applied in Cost and Usage but not in Contract Commitment:');
    lines.push(
      ...table(
        ['commitment', 'currency', 'applied', 'rows'],
        res.unknownCommitments.map((u) => [u.contractCommitmentId, u.currency ?? '-', money(u.appliedCost), String(u.costRows)]),
      ).map((l) => `  ${l}`),
    );
  }
  if (res.notes.length > 0) lines.push('', ...res.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}

async function cmdExport(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      filter: { type: 'string', multiple: true },
      'group-by': { type: 'string' },
      allocation: { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const ws = requireWorkspace(values.workspace);
  if (values.format !== 'csv' && values.format !== 'parquet') throw new UsageError('--format is csv or parquet');
  if (values.allocation !== undefined && !values.allocation.trim()) throw new UsageError('--allocation names an applied allocation dimension, e.g. --allocation Team');
  if (!values.out) throw new UsageError('--out PATH is required (a file for csv, a folder for parquet)');
  if (!fs.existsSync(ws)) throw new EngineError('not-found', `Workspace ${ws} does not exist`);
  const input = {
    format: values.format,
    path: path.resolve(values.out),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    filters: parseFilters(values.filter),
    groupBy: values['group-by'] ? values['group-by'].split(',').map((s) => s.trim()).filter(Boolean) : [],
    overwrite: values.overwrite,
    ...(values.allocation ? { allocation: { dimension: values.allocation.trim() } } : {}),
  };
  const res = await withEngine(ws, (engine) => engine.invoke('explore.export', input));
  out(values.json, res, () =>
    `${res.path}: ${res.rows} rows${res.originRows !== undefined ? ` (from ${res.originRows} with shared costs split)` : ''}, ${res.files.length} file${res.files.length === 1 ? '' : 's'}, ${res.bytes} bytes in ${res.seconds} s`,
  );
}

async function cmdCompare(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      a: { type: 'string' },
      b: { type: 'string' },
      'group-by': { type: 'string' },
      metric: { type: 'string' },
      filter: { type: 'string', multiple: true },
      top: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1 || (positionals.length === 1 && values.workspace)) throw new UsageError('compare takes one workspace (WS or --workspace WS)');
  const ws = requireWorkspace(values.workspace ?? positionals[0]);
  if (!fs.existsSync(ws)) throw new EngineError('not-found', `Workspace ${ws} does not exist`);
  const period = (name: 'a' | 'b') => {
    const text = values[name];
    if (!text) throw new UsageError(`--${name} FROM..TO is required (e.g. --${name} 2026-09-01..2026-09-30)`);
    const p = parsePeriod(text);
    if (!p) throw new UsageError(`--${name} '${text}': expected YYYY-MM-DD..YYYY-MM-DD`);
    return p;
  };
  if (!values['group-by']) throw new UsageError('--group-by COL is required (e.g. --group-by ServiceName)');
  const top = values.top ? Number(values.top) : undefined;
  if (values.top && (!Number.isInteger(top) || top! < 1)) throw new UsageError('--top N needs a positive integer');
  const input = {
    a: period('a'),
    b: period('b'),
    groupBy: values['group-by'],
    metric: (values.metric ?? 'BilledCost') as Metric,
    filters: parseFilters(values.filter),
    ...(top ? { top } : {}),
  };
  const res = await withEngine(ws, (engine) => engine.invoke('explore.compare', input));
  out(values.json, res, () => compareText(res));
}

async function cmdLinks(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { workspace: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const ws = requireWorkspace(values.workspace);
  if (!fs.existsSync(ws)) throw new EngineError('not-found', `Workspace ${ws} does not exist`);
  const input = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) };
  const res = await withEngine(ws, (engine) => engine.invoke('explore.datasetLinks', input));
  out(values.json, res, () => linksText(res));
}

async function cmdAllocate(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      rules: { type: 'string' },
      apply: { type: 'boolean', default: false },
      note: { type: 'string' },
      metric: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const ws = requireWorkspace(values.workspace);
  if (!fs.existsSync(ws)) throw new EngineError('not-found', `Workspace ${ws} does not exist`);
  if (!values.rules) throw new UsageError('--rules FILE.json is required');
  const rulesFile = path.resolve(values.rules);
  if (!fs.existsSync(rulesFile)) throw new EngineError('not-found', `${rulesFile} does not exist`);
  const parsed = parseRuleSetJson(fs.readFileSync(rulesFile, 'utf8'));
  if (!parsed.ok) throw new EngineError('bad-file', `${path.basename(rulesFile)}: ${parsed.message}`);
  const report = await withEngine(ws, async (engine) => {
    const preview = await engine.invoke('allocation.preview', {
      ruleSet: parsed.set,
      metric: values.metric ?? 'BilledCost',
      ...(values.from ? { fromMonth: values.from } : {}),
      ...(values.to ? { toMonth: values.to } : {}),
    });
    if (preview.problems.length) throw new EngineError('bad-input', `${path.basename(rulesFile)}: ${preview.problems.map((p) => p.message).join('; ')}`, preview.problems);
    const applied = values.apply ? await engine.invoke('allocation.apply', { ruleSet: parsed.set, ...(values.note ? { note: values.note } : {}) }) : null;
    return allocateReport(preview, applied);
  });
  out(values.json, report, () => allocateText(report, (v) => money(v), table));
  if (report.check && report.check.difference !== 0) process.exitCode = 1;
}

async function cmdValidate(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, applicability: { type: 'string', multiple: true } },
  });
  if (positionals.length !== 1) throw new UsageError('validate takes exactly one FILE');
  const applicability: Record<string, boolean> = {};
  for (const item of (values.applicability ?? []).flatMap((a) => a.split(','))) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(true|false|yes|no)\s*$/i.exec(item);
    if (!m) throw new UsageError(`--applicability '${item}': expected CRITERION=true|false, e.g. AVAILABILITY_ZONE_SUPPORTED=false`);
    applicability[m[1]!.toUpperCase()] = /^(true|yes)$/i.test(m[2]!);
  }
  const report = await withEngine(undefined, (engine) =>
    engine.invoke('validate.file', { file: { path: positionals[0]! }, ...(Object.keys(applicability).length > 0 ? { applicability } : {}) }),
  );
  out(values.json, report, () => {
    const failing = report.rules.filter((r) => r.status === 'fail');
    return [
      `${report.file}${report.format ? ` (${report.format.label})` : ''}: FOCUS ${report.focusVersion} ${report.dataset}, ${report.rows} rows — ${report.summary.pass} pass, ${report.summary.fail} fail, ${report.summary.skip} skip`,
      ...(report.mapping?.totals ?? []).map(
        (t) => `  ${t.matches ? 'OK  ' : 'DIFF'} ${t.focusColumn} ${t.focusTotal} vs ${t.vendorColumn} ${t.vendorTotal}`,
      ),
      ...(report.mapping?.gaps ?? []).map((g) => `  NOTE ${g.column ? `${g.column}: ` : ''}${g.note}`),
      ...failing.map((r) => `  FAIL ${r.id} (${r.keyword}) ${r.failingRows > 0 ? `${r.failingRows} rows, e.g. ${r.samples.join(', ')}` : (r.reason ?? '')}`),
    ].join('\n');
  });
}

async function ensureWebBuild(): Promise<string> {
  const dir = path.join(ROOT, 'out', 'web');
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  process.stderr.write('Building the user interface (first run only)…\n');
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(path.join(dir, 'index.html'))) throw new EngineError('internal', 'Building the user interface failed');
  return dir;
}

async function cmdServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { workspace: { type: 'string' }, port: { type: 'string' } } });
  const staticDir = await ensureWebBuild();
  const engine = await createEngine({
    host: 'http',
    dataDir: defaultDataDir(),
    ...(values.workspace ? { workspacePath: path.resolve(values.workspace) } : {}),
  });
  const host = await startHttpHost({ engine, staticDir, ...(values.port ? { port: Number(values.port) } : {}) });
  process.stdout.write(`${host.url}\n`);
  const stop = async () => {
    await host.close();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function cmdDemo(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { workspace: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const ws = requireWorkspace(values.workspace);
  const info = await withEngine(undefined, async (engine) => {
    const { Workspaces } = await import('../engine/workspaces');
    const wss = new Workspaces(engine.dataDir, undefined, () => undefined);
    try {
      return await buildDemoWorkspace(ws, undefined, (phase, f) => {
        if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${phase} ${Math.round(f * 100)}%   `);
      }, () => wss.open(ws, { create: true, name: 'Demo company' }));
    } finally {
      wss.close();
    }
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  out(values.json, info, () => `${info.path}: ${info.rows} rows, ${info.firstDay} to ${info.lastDay}`);
}

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'import':
        return await cmdImport(rest);
      case 'query':
        return await cmdQuery(rest);
      case 'export':
        return await cmdExport(rest);
      case 'compare':
        return await cmdCompare(rest);
      case 'links':
        return await cmdLinks(rest);
      case 'allocate':
        return await cmdAllocate(rest);
      case 'validate':
        return await cmdValidate(rest);
      case 'serve':
        return await cmdServe(rest);
      case 'demo':
        return await cmdDemo(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      fail(`${(e as Error).message}\n\n${USAGE}`, 2);
    }
    fail(toApiError(e).message, 1);
  }
}

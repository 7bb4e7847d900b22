// Allocation speed on a bench workspace, through the engine as the UI calls it:
//   - preview after an edit: a realistic rule set (tag team → Team, two service rules, an account inheritance, a
//     proportional support pool, a Product dimension by app tag), one rule's value changed before every call; p50/p95
//     of the answer time seen by the caller (worker round trip included), with the month cube in memory;
//   - the first preview of a rule set reading ResourceId (raw rows grouped once, with progress), then edits of it;
//   - apply: rows per second, for the cube-answered rule set and for the ResourceId one.
// `node --import tsx test/bench/allocate.ts --workspace WS [--repeat N] [--out FILE]`; run.ts calls benchAllocation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../../src-main/engine/engine';
import { RuleSetSchema, type RuleSet } from '../../src-shared/allocate/ruleset';

export interface AllocationBench {
  rows: number;
  previewAfterEdit: { p50: number; p95: number; workerP50: number; groups: number; source: string; n: number };
  previewRawFirstSec: number;
  previewRawAfterEdit: { p50: number; p95: number; groups: number; source: string };
  previewRawConditionEdit: { p50: number; p95: number };
  apply: { seconds: number; rowsPerSec: number; source: string };
  applyRaw: { seconds: number; rowsPerSec: number; source: string };
  check: { original: number; allocated: number; unallocated: number; difference: number };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function ruleSet(edit: number): RuleSet {
  return RuleSetSchema.parse({
    dimensions: [
      { key: 'Team', label: 'Team' },
      { key: 'Product', label: 'Product' },
    ],
    tagAliases: [{ key: 'team', aliases: ['owner-team'] }],
    normalize: { Team: 'lower' },
    rules: [
      { id: 'ai', dimension: 'Team', value: `ml-${edit}`, when: [{ field: { kind: 'column', name: 'ServiceCategory' }, op: 'equals', value: 'AI and Machine Learning' }] },
      ...['platform', 'data', 'ml', 'web', 'mobile', 'sre', 'security', 'finance'].map((t) => ({
        id: `team-${t}`,
        dimension: 'Team',
        value: t,
        when: [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: t }],
      })),
      { id: 'net', dimension: 'Team', value: 'network', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'regex', pattern: 'network|load balanc|cdn' }] },
      { id: 'app', dimension: 'Product', value: 'checkout', when: [{ field: { kind: 'tag', key: 'app' }, op: 'in', values: ['checkout', 'billing'] }] },
      { id: 'search', dimension: 'Product', value: 'search', when: [{ field: { kind: 'tag', key: 'app' }, op: 'contains', value: 'search' }] },
    ],
    pools: [
      {
        id: 'support',
        name: 'Support and tax',
        dimension: 'Team',
        when: [{ field: { kind: 'column', name: 'ChargeCategory' }, op: 'in', values: ['Tax', 'Purchase'] }],
        targets: [],
        method: { kind: 'proportional' },
      },
    ],
  });
}

function rawRuleSet(edit: number, pattern = 'prod'): RuleSet {
  return RuleSetSchema.parse({
    dimensions: [{ key: 'Env', label: 'Environment' }],
    rules: [
      { id: 'prod', dimension: 'Env', value: `prod-${edit}`, when: [{ field: { kind: 'column', name: 'ResourceId' }, op: 'contains', value: pattern }] },
      { id: 'i', dimension: 'Env', value: 'instances', when: [{ field: { kind: 'column', name: 'ResourceId' }, op: 'contains', value: 'i-' }] },
    ],
  });
}

export async function benchAllocation(workspace: string, repeat = 25): Promise<AllocationBench> {
  // in place (a 10M-row workspace is 2.5 GB): apply adds versions and small result tables, nothing else changes
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-bench-alloc-'));
  const ws = workspace;
  const engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
  try {
    const rows = (await engine.invoke('workspace.current', {}))!.rows;
    // the cube loads in the background after the first question; previews meanwhile read the cube table
    await engine.invoke('explore.query', { groupBy: ['ServiceName', 'Tags.team'], granularity: 'month' });
    for (let i = 0; i < 120; i++) {
      const p = await engine.invoke('allocation.preview', { ruleSet: ruleSet(-1) });
      if (p.ms < 1500) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const times: number[] = [];
    const inWorker: number[] = [];
    let last = await engine.invoke('allocation.preview', { ruleSet: ruleSet(0) });
    for (let i = 1; i <= repeat; i++) {
      const t0 = performance.now();
      last = await engine.invoke('allocation.preview', { ruleSet: ruleSet(i) });
      times.push(performance.now() - t0);
      inWorker.push(last.ms);
    }
    times.sort((a, b) => a - b);
    inWorker.sort((a, b) => a - b);
    const team = last.dimensions[0]!;
    const usd = team.checks[0]!;

    let t0 = performance.now();
    await engine.invoke('allocation.preview', { ruleSet: rawRuleSet(0) });
    const previewRawFirstSec = (performance.now() - t0) / 1000;
    const rawTimes: number[] = [];
    let raw = last;
    for (let i = 1; i <= Math.min(repeat, 10); i++) {
      t0 = performance.now();
      raw = await engine.invoke('allocation.preview', { ruleSet: rawRuleSet(i) });
      rawTimes.push(performance.now() - t0);
    }
    rawTimes.sort((a, b) => a - b);
    // an edit of the condition itself (typing in the ResourceId pattern): that rule is tested again on every signature
    const condTimes: number[] = [];
    for (let i = 1; i <= Math.min(repeat, 10); i++) {
      t0 = performance.now();
      await engine.invoke('allocation.preview', { ruleSet: rawRuleSet(0, `pro${'d'.repeat(i)}`) });
      condTimes.push(performance.now() - t0);
    }
    condTimes.sort((a, b) => a - b);

    t0 = performance.now();
    const a = await engine.invoke('allocation.apply', { ruleSet: ruleSet(0) });
    const applySec = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const b = await engine.invoke('allocation.apply', { ruleSet: rawRuleSet(0) });
    const applyRawSec = (performance.now() - t0) / 1000;
    return {
      rows,
      previewAfterEdit: { p50: round(pct(times, 50)), p95: round(pct(times, 95)), workerP50: round(pct(inWorker, 50)), groups: last.groups, source: last.source, n: times.length },
      previewRawFirstSec: round(previewRawFirstSec, 2),
      previewRawAfterEdit: { p50: round(pct(rawTimes, 50)), p95: round(pct(rawTimes, 95)), groups: raw.groups, source: raw.source },
      previewRawConditionEdit: { p50: round(pct(condTimes, 50)), p95: round(pct(condTimes, 95)) },
      apply: { seconds: round(applySec, 2), rowsPerSec: Math.round(a.rows / applySec), source: a.source },
      applyRaw: { seconds: round(applyRawSec, 2), rowsPerSec: Math.round(b.rows / applyRawSec), source: b.source },
      check: { original: usd.original, allocated: usd.allocated, unallocated: usd.unallocated, difference: usd.difference },
    };
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function printAllocation(r: AllocationBench, line: (cols: (string | number)[]) => void): void {
  line(['allocation preview after an edit p50 ms', r.previewAfterEdit.p50, `p95 ${r.previewAfterEdit.p95}`, `in worker ${r.previewAfterEdit.workerP50}`, `${r.previewAfterEdit.groups} groups`, r.previewAfterEdit.source]);
  line(['allocation preview, ResourceId rules: first s', r.previewRawFirstSec, `then p50 ${r.previewRawAfterEdit.p50} ms`, ` ${r.previewRawAfterEdit.groups} groups`, '', r.previewRawAfterEdit.source]);
  line(['  … after an edit of the ResourceId condition p50 ms', r.previewRawConditionEdit.p50, `p95 ${r.previewRawConditionEdit.p95}`, '', '', r.previewRawAfterEdit.source]);
  line(['allocation apply rows/s', r.apply.rowsPerSec, `${r.apply.seconds} s`, '', '', r.apply.source]);
  line(['allocation apply (ResourceId rules) rows/s', r.applyRaw.rowsPerSec, `${r.applyRaw.seconds} s`, '', '', r.applyRaw.source]);
  line(['allocation check difference (USD)', r.check.difference, `of ${r.check.original}`, '', '']);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  const { values } = parseArgs({ options: { workspace: { type: 'string' }, repeat: { type: 'string', default: '25' }, out: { type: 'string' } } });
  if (!values.workspace) throw new Error('--workspace WS is required');
  const r = await benchAllocation(path.resolve(values.workspace), Number(values.repeat));
  printAllocation(r, (cols) => console.log(cols.map((c, i) => String(c).padEnd(i === 0 ? 50 : 14)).join('')));
  if (values.out) fs.writeFileSync(values.out, `${JSON.stringify(r, null, 2)}\n`);
}

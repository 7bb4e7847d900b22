// Allocation through the engine on a real FOCUS sample (1,000 rows): preview, apply in the worker, versions and diff,
// driver data, showback — with expected amounts computed independently from the CSV (big.js, not the importer).
import Big from 'big.js';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import type { RuleSetInput } from '../../src-shared/allocate/ruleset';
import { RuleSetSchema } from '../../src-shared/allocate/ruleset';
import { readCsvRecords } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';
import { SAMPLE_TEAM_RULES } from '../helpers/sample-rules';
import { importFiles } from '../helpers/engine-import';

let dir: string;
let engine: Engine;
const records = readCsvRecords(SAMPLE_1000);
// the store keeps 9 decimals, rounding half away from zero (ROUND_HALF_UP on magnitudes in big.js)
const billed = (rows: Record<string, string>[]) => rows.reduce((s, r) => s.plus(r.BilledCost === 'NULL' ? 0 : new Big(r.BilledCost!).round(9, Big.roundHalfUp)), new Big(0));
const tagOf = (r: Record<string, string>, key: string): string | undefined => {
  if (r.Tags === 'NULL' || !r.Tags) return undefined;
  const v = (JSON.parse(r.Tags) as Record<string, unknown>)[key];
  return v === undefined || v === null ? undefined : String(v);
};


const base: RuleSetInput = {
  dimensions: [{ key: 'Team', label: 'Team' }],
  normalize: { Team: 'lower' },
  // the last one matches part of what 'bu' already took: shown as partly shadowed
  rules: SAMPLE_TEAM_RULES,
  pools: [
    {
      id: 'watch',
      name: 'Monitoring',
      dimension: 'Team',
      when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'AmazonCloudWatch' }],
      targets: [],
      method: { kind: 'proportional' },
    },
  ],
};

beforeAll(async () => {
  dir = tempDir();
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: path.join(dir, 'alloc.meterbook') });
  const outcome = await importFiles(engine, [SAMPLE_1000]);
  expect(outcome.status).toBe('done');
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('allocation through the engine', () => {
  it('previews a rule set: targets, pool split, unallocated, per-rule counts and a zero difference', async () => {
    const p = await engine.invoke('allocation.preview', { ruleSet: base });
    expect(p.problems).toEqual([]);
    expect(p.rows).toBe(records.length);
    const team = p.dimensions[0]!;
    const check = team.checks.find((c) => c.currency === 'USD')!;
    const usd = records.filter((r) => r.BillingCurrency === 'USD');
    expect(check.original).toBeCloseTo(billed(usd).toNumber(), 9);
    expect(check.difference).toBe(0);
    expect(check.allocated + check.unallocated).toBeCloseTo(check.original, 9);

    // direct spend of 'peoria' = rows tagged business_unit containing 'peor' (case-insensitive), not CloudWatch
    const peoria = usd.filter((r) => r.ServiceName !== 'AmazonCloudWatch' && (tagOf(r, 'business_unit') ?? '').toLowerCase().includes('peor'));
    expect(peoria.length).toBeGreaterThan(0);
    const t = team.targets.find((x) => x.target === 'peoria')!;
    expect(t.direct).toBeCloseTo(billed(peoria).toNumber(), 9);
    expect(t.before).toBeNull();
    // the pool is split over targets with direct cost, so shared amounts add up to the pool
    const pool = usd.filter((r) => r.ServiceName === 'AmazonCloudWatch');
    const shared = team.targets.reduce((s, x) => s + x.shared, 0);
    expect(shared).toBeCloseTo(billed(pool).toNumber(), 9);

    const stat = (id: string) => team.rules.find((r) => r.id === id)!;
    expect(stat('watch')).toMatchObject({ kind: 'pool', rows: pool.length, status: 'takes' });
    expect(stat('bu').rows).toBe(records.filter((r) => r.ServiceName !== 'AmazonCloudWatch' && (tagOf(r, 'business_unit') ?? '').toLowerCase().includes('peor')).length);
    const ec2 = stat('ec2');
    expect(ec2.status).toBe('partly-shadowed');
    const ec2Tagged = records.filter((r) => r.ServiceName === 'Amazon Elastic Compute Cloud' && (tagOf(r, 'business_unit') ?? '').toLowerCase().includes('peor')).length;
    expect(ec2.shadowedBy).toEqual([{ id: 'bu', rows: ec2Tagged }]);
    expect(ec2.matches - ec2.rows).toBe(ec2Tagged);
    expect(p.source).toBe('cube_month');
  });

  it('names what stops a rule set from running and computes nothing', async () => {
    const bad = RuleSetSchema.parse({ ...base, rules: [...base.rules!, { id: 'bu', dimension: 'Product', value: 'x', when: [{ field: { kind: 'column', name: 'BilledCost' }, op: 'missing' }] }] });
    const p = await engine.invoke('allocation.preview', { ruleSet: bad });
    expect(p.dimensions).toEqual([]);
    expect(p.problems.map((x) => x.message)).toEqual(
      expect.arrayContaining([
        'rule bu: the id is already used by a rule',
        "rule bu: dimension 'Product' is not defined",
        'rule bu: BilledCost is a cost; rules read what a row is, not what it costs',
      ]),
    );
  });

  it('applies in the worker as a version; showback adds up to the original; the preview then shows before', async () => {
    const events: string[] = [];
    const stop = engine.subscribe((e, p) => {
      if (e === 'allocation.progress') events.push((p as { phase: string }).phase);
    });
    const out = await engine.invoke('allocation.apply', { ruleSet: base, note: 'first cut' });
    stop();
    expect(out).toMatchObject({ version: 1, rows: records.length, source: 'cube_month' });
    expect(events).toContain('writing');
    expect(events[events.length - 1]).toBe('done');
    expect(out.checks.every((c) => c.difference === 0)).toBe(true);

    const sb = await engine.invoke('allocation.showback', { dimension: 'Team' });
    expect(sb.version).toBe(1);
    for (const r of sb.rows) expect(r.direct + r.shared).toBeCloseTo(r.total, 9);
    const usdTotal = sb.rows.filter((r) => r.currency === 'USD').reduce((s, r) => s + r.total, 0);
    expect(usdTotal).toBeCloseTo(billed(records.filter((r) => r.BillingCurrency === 'USD')).toNumber(), 9);
    expect(sb.rows.some((r) => r.target === null)).toBe(true);

    const state = await engine.invoke('allocation.state', {});
    expect(state.appliedVersion).toBe(1);
    expect(state.versions[0]).toMatchObject({ id: 1, note: 'first cut', rules: 3, pools: 1, applied: true });
    expect(state.dirty).toBe(false);

    const p = await engine.invoke('allocation.preview', { ruleSet: base });
    for (const t of p.dimensions[0]!.targets) expect(t.before).toBeCloseTo(t.total, 9);

    const csv = path.join(dir, 'showback.csv');
    const written = await engine.invoke('allocation.exportShowback', { dimension: 'Team', path: csv });
    expect(written.rows).toBe(sb.rows.length);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Team,Month,Currency,Direct,Shared,Total');
    expect(lines).toHaveLength(sb.rows.length + 1);
  });

  it('keeps the draft, diffs it against the applied version, and applies a second version', async () => {
    const edited = RuleSetSchema.parse({
      ...base,
      rules: [base.rules![1], { ...base.rules![0]!, value: 'Peoria BU' }, base.rules![2]],
      inherit: [{ id: 'acct', dimension: 'Team', from: 'SubAccountId', values: [{ account: '11353890204', value: 'Platform' }] }],
    });
    expect((await engine.invoke('allocation.saveDraft', { ruleSet: edited })).problems).toEqual([]);
    const state = await engine.invoke('allocation.state', {});
    expect(state.dirty).toBe(true);
    expect(state.draft.rules[1]!.value).toBe('Peoria BU');
    const { changes } = await engine.invoke('allocation.diff', { from: 1, to: 'draft' });
    expect(changes.map((c) => `${c.kind} ${c.id} ${c.change} ${c.detail}`).sort()).toEqual([
      'inherit acct added position 1',
      'rule bu changed value',
      'rule bu moved position 1 → 2',
      'rule lb moved position 2 → 1',
    ]);

    const p = await engine.invoke('allocation.preview', { ruleSet: edited });
    const team = p.dimensions[0]!;
    // inheritance takes unmatched rows of that sub account
    const inherited = records.filter(
      (r) =>
        r.SubAccountId === '11353890204' &&
        r.ServiceName !== 'AmazonCloudWatch' &&
        r.ServiceName !== 'Elastic Load Balancing' &&
        r.ServiceName !== 'Amazon Elastic Compute Cloud' &&
        !(tagOf(r, 'business_unit') ?? '').toLowerCase().includes('peor'),
    );
    expect(team.rules.find((r) => r.id === 'acct')!.rows).toBe(inherited.length);
    expect(team.targets.find((t) => t.target === 'platform')!.direct).toBeCloseTo(billed(inherited).toNumber(), 9);
    expect(team.targets.find((t) => t.target === 'peoria')).toMatchObject({ total: 0 });

    const v2 = await engine.invoke('allocation.apply', { ruleSet: edited });
    expect(v2.version).toBe(2);
    const d = await engine.invoke('allocation.diff', { from: 1, to: 2 });
    expect(d.changes.length).toBe(4);
    const v1 = await engine.invoke('allocation.version', { id: 1 });
    expect(v1.ruleSet.rules[0]!.value).toBe('Peoria');
    expect(v1.version.applied).toBe(false);
  });

  it('splits a pool by imported driver data, and refuses a driver file with bad rows', async () => {
    const good = path.join(dir, 'seats.csv');
    fs.writeFileSync(good, 'Month,Team,Seats\n2024-09,network,30\n2024-09,compute,10\n2024-09-15,compute,0\n');
    const summary = await engine.invoke('allocation.importDrivers', { driver: 'seats', file: { path: good } });
    expect(summary).toMatchObject({ driver: 'seats', rows: 2, periods: ['2024-09'], targets: 2 });

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'period,target,quantity\n2024-13,a,1\n2024-09,,2\n2024-09,b,abc\n');
    const r = await engine.call('allocation.importDrivers', { driver: 'seats', file: { path: bad } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe("bad.csv: row 2: period '2024-13' is not a month (YYYY-MM); row 3: target is empty; row 4: quantity 'abc' is not a number");

    const set = RuleSetSchema.parse({
      ...base,
      pools: [{ ...base.pools![0]!, targets: ['network', 'compute'], method: { kind: 'driver', driver: 'seats' } }],
    });
    const p = await engine.invoke('allocation.preview', { ruleSet: set });
    const team = p.dimensions[0]!;
    const sep = team.targets.filter((t) => t.currency === 'USD');
    const pool = billed(records.filter((r) => r.BillingCurrency === 'USD' && r.ServiceName === 'AmazonCloudWatch' && r.ChargePeriodStart!.startsWith('2024-09')));
    const net = sep.find((t) => t.target === 'network')!.shared;
    const comp = sep.find((t) => t.target === 'compute')!.shared;
    expect(net + comp).toBeCloseTo(pool.toNumber(), 9);
    expect(net).toBeCloseTo(pool.times(0.75).toNumber(), 8);

    const missing = await engine.invoke('allocation.preview', { ruleSet: { ...set, pools: [{ ...set.pools[0]!, method: { kind: 'driver', driver: 'tokens' } }] } });
    expect(missing.problems).toEqual([{ ruleId: 'watch', message: "pool watch: no driver data named 'tokens' has been imported" }]);
  });

  it('explore groups by the applied dimension at once: whole months from the stored cells, days and filters from rows', async () => {
    const dims = await engine.invoke('explore.dimensions', {});
    expect(dims[0]).toEqual({ column: 'x_Team', label: 'Team', kind: 'allocation' });
    const usd = [{ column: 'BillingCurrency', values: ['USD'] }];
    const byTeam = await engine.invoke('explore.query', { groupBy: ['x_Team'], filters: usd });
    expect(byTeam.source).toBe('alloc_cell');
    const sb = await engine.invoke('allocation.showback', { dimension: 'Team' });
    const showbackTotal = (t: string | null) => sb.rows.filter((r) => r.target === t && r.currency === 'USD').reduce((s, r) => s + r.total, 0);
    for (const row of byTeam.rows) expect(row.value).toBeCloseTo(showbackTotal(row.x_Team as string | null), 9);
    const all = await engine.invoke('explore.query', { filters: usd });
    expect(byTeam.total).toBeCloseTo(all.total, 9);

    // by day: raw rows, pooled spend split per day by the month's shares; totals stay exact
    const daily = await engine.invoke('explore.query', { groupBy: ['x_Team'], filters: usd, granularity: 'day' });
    expect(daily.source).toBe('rows+allocation');
    expect(daily.total).toBeCloseTo(all.total, 9);
    const perTeam = new Map<string | null, number>();
    for (const r of daily.rows) perTeam.set(r.x_Team as string | null, (perTeam.get(r.x_Team as string | null) ?? 0) + (r.value as number));
    for (const row of byTeam.rows) expect(perTeam.get(row.x_Team as string | null)!).toBeCloseTo(row.value as number, 6);

    // another filter: only that service's rows, each signature to its stored outcome
    const lb = await engine.invoke('explore.query', { groupBy: ['x_Team'], filters: [...usd, { column: 'ServiceName', values: ['Elastic Load Balancing'] }] });
    expect(lb.rows).toEqual([{ x_Team: 'network', value: expect.closeTo(billed(records.filter((r) => r.ServiceName === 'Elastic Load Balancing')).toNumber(), 9) }]);
    // a filter on the allocation dimension itself, with another grouping
    const platform = await engine.invoke('explore.query', { groupBy: ['ServiceName'], filters: [...usd, { column: 'x_Team', values: ['platform'] }] });
    const platformTotal = sb.rows.filter((r) => r.target === 'platform').reduce((s, r) => s + r.total, 0);
    expect(platform.total).toBeCloseTo(platformTotal, 6);
    expect(platform.rows.length).toBeGreaterThan(1);

    // KPIs of a drill into one team: every cost column and the rows that reach it
    for (const t of ['platform', 'network']) {
      const k = await engine.invoke('explore.kpis', { filters: [...usd, { column: 'x_Team', values: [t] }] });
      for (const [metric, key] of [['BilledCost', 'billed'], ['EffectiveCost', 'effective'], ['ListCost', 'list'], ['ContractedCost', 'contracted']] as const) {
        const s = await engine.invoke('allocation.showback', { dimension: 'Team', metric });
        expect(k[key]).toBeCloseTo(s.rows.filter((r) => r.target === t && r.currency === 'USD').reduce((a, r) => a + r.total, 0), 6);
      }
      expect(k.rows).toBeGreaterThan(0);
    }
    // rows reaching a team: its direct rows, plus the pool's rows when it gets a share of them
    const state = await engine.invoke('allocation.state', {});
    const v = await engine.invoke('allocation.version', { id: state.appliedVersion! });
    const evenPool = RuleSetSchema.parse({ ...v.ruleSet, pools: [{ ...v.ruleSet.pools[0]!, targets: ['network', 'compute'], method: { kind: 'even' } }] });
    await engine.invoke('allocation.apply', { ruleSet: evenPool, note: 'pool shared evenly' });
    const poolRows = records.filter((r) => r.ServiceName === 'AmazonCloudWatch' && r.BillingCurrency === 'USD').length;
    const lbRows = records.filter((r) => r.ServiceName === 'Elastic Load Balancing' && r.BillingCurrency === 'USD').length;
    const net = await engine.invoke('explore.kpis', { filters: [...usd, { column: 'x_Team', values: ['network'] }] });
    expect(net.rows).toBe(lbRows + poolRows);
    const sbNet = await engine.invoke('allocation.showback', { dimension: 'Team' });
    expect(net.billed).toBeCloseTo(sbNet.rows.filter((r) => r.target === 'network' && r.currency === 'USD').reduce((a, r) => a + r.total, 0), 6);
    expect(sbNet.rows.find((r) => r.target === 'network')!.shared).not.toBe(0);

    // the rows grid lists the rows that reach a team: its own and, whole, the rows of a pool it shares in
    const grid = await engine.invoke('explore.rows', { filters: [...usd, { column: 'x_Team', values: ['network'] }], limit: 1000 });
    expect(grid.total).toBe(lbRows + poolRows);
    const svc = grid.columns.indexOf('ServiceName');
    expect(new Set(grid.rows.map((r) => r[svc]))).toEqual(new Set(['Elastic Load Balancing', 'AmazonCloudWatch']));
    const unallocatedRows = await engine.invoke('explore.rows', { filters: [{ column: 'x_Team', values: [null] }], limit: 1 });
    const preview = await engine.invoke('allocation.preview', { ruleSet: evenPool });
    expect(unallocatedRows.total).toBe(preview.dimensions[0]!.rowsUnmatched);
    const notNull = await engine.invoke('explore.rows', { filters: [{ column: 'x_Team', values: [null], exclude: true }], limit: 1 });
    expect(notNull.total + unallocatedRows.total).toBe(records.length);
    // views that sum spend refuse the filter, saying why and what to do
    const cmp = await engine.call('explore.compare', { a: { from: '2024-09-01', to: '2024-09-15' }, b: { from: '2024-09-16', to: '2024-09-30' }, groupBy: 'ServiceName', filters: [{ column: 'x_Team', values: ['network'] }] });
    expect(cmp).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    if (!cmp.ok) expect(cmp.error.message).toContain('Compare cannot filter by the allocation dimension x_Team');
    const byTeam2 = await engine.call('explore.compare', { a: { from: '2024-09-01', to: '2024-09-15' }, b: { from: '2024-09-16', to: '2024-09-30' }, groupBy: 'x_Team', filters: [] });
    expect(byTeam2).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('runs the applied version again after an import, so new rows are allocated at once (same version)', async () => {
    const before = await engine.invoke('allocation.state', {});
    const refreshed = new Promise<{ version: number | null; ok: boolean }>((resolve) => {
      const stop = engine.subscribe((event, payload) => {
        if (event === 'allocation.refreshed') {
          stop();
          resolve(payload as { version: number | null; ok: boolean });
        }
      });
    });
    const file = path.join(__dirname, '../fixtures/focus/spec-v1.4/seat_based_saas_annual_a.csv');
    expect((await importFiles(engine, [file])).status).toBe('done');
    expect(await refreshed).toEqual({ version: before.appliedVersion, ok: true, message: null });
    const after = await engine.invoke('allocation.state', {});
    expect(after.versions.map((v) => v.id)).toEqual(before.versions.map((v) => v.id));
    expect(after.versions[0]!.rows).toBe(records.length + 2);
    const sb = await engine.invoke('allocation.showback', { dimension: 'Team' });
    expect(sb.months).toContain('2025-04');
    const usd = [{ column: 'BillingCurrency', values: ['USD'] }];
    const all = await engine.invoke('explore.query', { filters: usd });
    const byTeam = await engine.invoke('explore.query', { groupBy: ['x_Team'], filters: usd });
    expect(byTeam.total).toBeCloseTo(all.total, 9);
    expect(sb.rows.filter((r) => r.currency === 'USD').reduce((s, r) => s + r.total, 0)).toBeCloseTo(all.total, 9);
    expect(sb.checks.map((c) => c.difference)).toEqual(sb.checks.map(() => 0));

    // the showback's original comes from the cost rows, not from the stored result: a result missing a month shows
    const april = sb.rows.filter((r) => r.month === '2025-04').reduce((s, r) => s + r.total, 0);
    expect(april).toBeGreaterThan(0);
    const raw = new Database(path.join(dir, 'alloc.meterbook'));
    raw.prepare("DELETE FROM alloc_cell WHERE month = '2025-04'").run();
    raw.close();
    const stale = await engine.invoke('allocation.showback', { dimension: 'Team' });
    expect(stale.checks.find((c) => c.currency === 'USD')!.difference).toBeCloseTo(april, 9);
  });

  it('reads ResourceId rules from the resource rollup, and groups raw rows for other columns the cube lacks', async () => {
    const set = RuleSetSchema.parse({
      dimensions: [{ key: 'Product', label: 'Product' }],
      rules: [{ id: 'sqs', dimension: 'Product', value: 'queues', when: [{ field: { kind: 'column', name: 'ResourceId' }, op: 'regex', pattern: ':sqs:' }] }],
    });
    const p = await engine.invoke('allocation.preview', { ruleSet: set });
    expect(p.source).toBe('rollup_resource_month');
    const sqs = records.filter((r) => /:sqs:/i.test(r.ResourceId ?? ''));
    expect(p.dimensions[0]!.rules[0]!.rows).toBe(sqs.length);
    expect(p.dimensions[0]!.targets.find((t) => t.target === 'queues')!.direct).toBeCloseTo(billed(sqs).toNumber(), 9);

    const byDescription = RuleSetSchema.parse({
      dimensions: [{ key: 'Product', label: 'Product' }],
      rules: [{ id: 'req', dimension: 'Product', value: 'requests', when: [{ field: { kind: 'column', name: 'ChargeDescription' }, op: 'contains', value: 'requests' }] }],
    });
    const q = await engine.invoke('allocation.preview', { ruleSet: byDescription });
    expect(q.source).toBe('rows');
    const req = records.filter((r) => (r.ChargeDescription ?? '').toLowerCase().includes('requests'));
    expect(req.length).toBeGreaterThan(0);
    expect(q.dimensions[0]!.rules[0]!.rows).toBe(req.length);
    expect(q.dimensions[0]!.targets.find((t) => t.target === 'requests')!.direct).toBeCloseTo(billed(req).toNumber(), 9);
    // applied from the same groups: the version says where they came from
    expect((await engine.invoke('allocation.apply', { ruleSet: set })).source).toBe('rollup_resource_month');
    expect((await engine.invoke('allocation.apply', { ruleSet: byDescription })).source).toBe('rows');
  });
});

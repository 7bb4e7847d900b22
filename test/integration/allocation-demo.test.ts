// Allocation on the demo workspace (seven months of cloud, AI and SaaS bills, generated at test time): every month and
// cost basis balances, showback equals explore by the new dimension, and direct spend per team equals what explore's
// own filters (rollups and cubes, another code path) give for the same rows.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { RuleSetSchema } from '../../src-shared/allocate/ruleset';
import type { Metric } from '../../src-shared/api/contract';
import { tempDir } from '../helpers/temp';

let dir: string;
let engine: Engine;

const TEAMS = ['platform', 'data', 'ml', 'web', 'mobile', 'sre'];
const set = RuleSetSchema.parse({
  dimensions: [{ key: 'Team', label: 'Team' }],
  rules: [
    ...TEAMS.map((t) => ({ id: `t-${t}`, dimension: 'Team', value: t, when: [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: t }] })),
    { id: 'ai', dimension: 'Team', value: 'ai-products', when: [{ field: { kind: 'column', name: 'ServiceCategory' }, op: 'equals', value: 'AI and Machine Learning' }] },
  ],
  pools: [
    { id: 'tax', name: 'Tax', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ChargeCategory' }, op: 'equals', value: 'Tax' }], targets: [], method: { kind: 'proportional' } },
  ],
});

beforeAll(async () => {
  dir = tempDir();
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data') });
  await engine.invoke('workspace.openDemo', {});
}, 180_000);
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('allocation on the demo workspace', () => {
  it('balances every month and cost basis, and showback equals explore by the new dimension', async () => {
    const applied = await engine.invoke('allocation.apply', { ruleSet: set });
    expect(applied.checks.map((c) => c.difference)).toEqual([0]);
    for (const metric of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'] as Metric[]) {
      const sb = await engine.invoke('allocation.showback', { dimension: 'Team', metric });
      const monthly = await engine.invoke('explore.query', { metric, granularity: 'month' });
      expect(sb.months).toEqual(monthly.rows.map((r) => r.period));
      for (const m of monthly.rows) {
        const inMonth = sb.rows.filter((r) => r.month === m.period);
        // the showback's rows of a month (targets + unallocated) add up to the month's spend
        expect(inMonth.reduce((s, r) => s + r.total, 0)).toBeCloseTo(m.value as number, 6);
        for (const r of inMonth) expect(r.direct + r.shared).toBeCloseTo(r.total, 9);
      }
      const byTeam = await engine.invoke('explore.query', { metric, groupBy: ['x_Team'], granularity: 'month' });
      expect(byTeam.source).toBe('alloc_cell');
      for (const r of byTeam.rows) {
        const s = sb.rows.find((x) => x.month === r.period && x.target === r.x_Team)!;
        expect(r.value).toBeCloseTo(s.total, 9);
      }
    }
  }, 120_000);

  it('gives each team the direct spend explore finds for its tag, and shares tax in proportion', async () => {
    const p = await engine.invoke('allocation.preview', { ruleSet: set });
    const team = p.dimensions[0]!;
    const notTax = { column: 'ChargeCategory', values: ['Tax'], exclude: true };
    const notAi = { column: 'ServiceCategory', values: ['AI and Machine Learning'], exclude: true };
    for (const t of TEAMS) {
      const q = await engine.invoke('explore.query', { filters: [{ column: 'Tags.team', values: [t] }, notTax] });
      const target = team.targets.find((x) => x.target === t);
      expect(target?.direct ?? 0).toBeCloseTo(q.total, 6);
    }
    const ai = await engine.invoke('explore.query', { filters: [{ column: 'ServiceCategory', values: ['AI and Machine Learning'] }, { column: 'Tags.team', values: [null, 'finance', 'security'] }, notTax] });
    expect(team.targets.find((x) => x.target === 'ai-products')!.direct).toBeCloseTo(ai.total, 6);
    const untagged = await engine.invoke('explore.query', { filters: [{ column: 'Tags.team', values: [...TEAMS] , exclude: true }, notTax, notAi] });
    const noRule = team.unallocated.filter((u) => u.reason === 'no-rule').reduce((s, u) => s + u.amount, 0);
    expect(noRule).toBeCloseTo(untagged.total, 6);
    const tax = await engine.invoke('explore.query', { filters: [{ column: 'ChargeCategory', values: ['Tax'] }] });
    expect(team.rules.find((r) => r.id === 'tax')!.amounts[0]!.amount).toBeCloseTo(tax.total, 6);
    expect(team.targets.reduce((s, x) => s + x.shared, 0)).toBeCloseTo(tax.total, 6);
    expect(team.checks[0]!.difference).toBe(0);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import type { QueryOutput, QueryRow } from '../../src-shared/api/contract';
import { buildPivotTree, pathFilters, visibleNodes } from '../../src-renderer/format/pivot-tree';

const out = (rows: QueryRow[], currency: string | null = 'USD', metric: QueryOutput['metric'] = 'BilledCost'): QueryOutput => ({
  metric,
  currency,
  rows,
  total: rows.reduce((a, r) => a + Number(r.value), 0),
  source: 'test',
});

const L1 = out([
  { ServiceName: 'EC2', value: 100 },
  { ServiceName: 'S3', value: 50.25 },
  { ServiceName: null, value: 10 },
  { ServiceName: 'Lambda', value: 5 },
]);
const L2 = out([
  { ServiceName: 'EC2', RegionId: 'us-east-1', value: 60 },
  { ServiceName: 'EC2', RegionId: 'eu-west-1', value: 30 },
  { ServiceName: 'EC2', RegionId: null, value: 10 },
  { ServiceName: 'S3', RegionId: 'us-east-1', value: 50.25 },
  { ServiceName: null, RegionId: null, value: 10 },
  { ServiceName: 'Lambda', RegionId: 'us-east-1', value: 5 },
]);

describe('buildPivotTree', () => {
  it('nests levels, keeps the top N per parent and puts the rest in "(other)" that adds up', () => {
    const t = buildPivotTree(['ServiceName', 'RegionId'], [{ metric: L1 }, { metric: L2 }], [2, 2], false);
    expect(t.total).toBe(165.25);
    expect(t.roots.map((n) => [n.value, n.amount])).toEqual([
      ['EC2', 100],
      ['S3', 50.25],
      ['(other)', 15],
    ]);
    const other = t.roots[2]!;
    expect(other.otherCount).toBe(2);
    expect(other.children).toEqual([]);
    const ec2 = t.roots[0]!;
    expect(ec2.children.map((n) => [n.value, n.amount])).toEqual([
      ['us-east-1', 60],
      ['eu-west-1', 30],
      ['(other)', 10],
    ]);
    expect(ec2.children.reduce((a, n) => a + n.amount, 0)).toBe(ec2.amount);
    expect(ec2.shareOfTotal).toBeCloseTo(100 / 165.25, 12);
    expect(ec2.children[0]!.shareOfParent).toBeCloseTo(0.6, 12);
    expect(ec2.children[0]!.shareOfTotal).toBeCloseTo(60 / 165.25, 12);
    expect(t.loadedDepth).toBe(1);
  });

  it('drill paths: a value (null included) is an include filter, "(other)" excludes the kept values', () => {
    const t = buildPivotTree(['ServiceName', 'RegionId'], [{ metric: L1 }, { metric: L2 }], [4, 2], false);
    const none = t.roots.find((n) => n.value === null)!;
    expect(pathFilters(none.children[0]!.path)).toEqual([
      { column: 'ServiceName', values: [null] },
      { column: 'RegionId', values: [null] },
    ]);
    const ec2Other = t.roots[0]!.children[2]!;
    expect(pathFilters(ec2Other.path)).toEqual([
      { column: 'ServiceName', values: ['EC2'] },
      { column: 'RegionId', values: ['us-east-1', 'eu-west-1'], exclude: true },
    ]);
  });

  it('builds only the levels whose answer is in; expanded nodes show their children', () => {
    const t = buildPivotTree(['ServiceName', 'RegionId'], [{ metric: L1 }, undefined], [10, 10], false);
    expect(t.loadedDepth).toBe(0);
    expect(t.roots.every((n) => n.children.length === 0)).toBe(true);
    const full = buildPivotTree(['ServiceName', 'RegionId'], [{ metric: L1 }, { metric: L2 }], [10, 10], false);
    expect(visibleNodes(full.roots, new Set()).length).toBe(4);
    expect(visibleNodes(full.roots, new Set([full.roots[0]!.id])).map((n) => n.value)).toEqual(['EC2', 'us-east-1', 'eu-west-1', null, 'S3', null, 'Lambda']);
  });

  it('savings are list − effective with their rate, also for "(other)" and the total', () => {
    const list = out([
      { ServiceName: 'EC2', value: 120 },
      { ServiceName: 'S3', value: 50.25 },
      { ServiceName: null, value: 0 },
      { ServiceName: 'Lambda', value: 6 },
    ], 'USD', 'ListCost');
    const eff = out([
      { ServiceName: 'EC2', value: 90 },
      { ServiceName: 'S3', value: 50.25 },
      { ServiceName: null, value: 10 },
      { ServiceName: 'Lambda', value: 5 },
    ], 'USD', 'EffectiveCost');
    const t = buildPivotTree(['ServiceName'], [{ metric: L1, list, effective: eff }], [2], true);
    expect(t.roots[0]).toMatchObject({ savings: 30, savingsRate: 0.25 });
    expect(t.roots[1]).toMatchObject({ savings: 0, savingsRate: 0 });
    expect(t.roots[2]).toMatchObject({ value: '(other)', savings: -9, savingsRate: -1.5 });
    expect(t.savings).toBeCloseTo(21, 9);
    expect(t.savingsRate).toBeCloseTo(21 / 176.25, 12);
  });

  it('never adds currencies: grouped by BillingCurrency first, no grand total, shares within each currency', () => {
    const cur = out([
      { BillingCurrency: 'USD', value: 100 },
      { BillingCurrency: 'EUR', value: 40 },
    ], null);
    const cur2 = out([
      { BillingCurrency: 'USD', ServiceName: 'EC2', value: 75 },
      { BillingCurrency: 'USD', ServiceName: 'S3', value: 25 },
      { BillingCurrency: 'EUR', ServiceName: 'VM', value: 40 },
    ], null);
    const t = buildPivotTree(['BillingCurrency', 'ServiceName'], [{ metric: cur }, { metric: cur2 }], [10, 10], false);
    expect(t.multiCurrency).toBe(true);
    expect(t.currency).toBeNull();
    expect(t.roots.map((n) => [n.value, n.currency, n.shareOfTotal])).toEqual([
      ['USD', 'USD', null],
      ['EUR', 'EUR', null],
    ]);
    expect(t.roots[0]!.children.map((n) => [n.currency, n.shareOfTotal])).toEqual([
      ['USD', 0.75],
      ['USD', 0.25],
    ]);
  });

  it('a level the engine cut short shows the missing groups as the rest of their parent', () => {
    const cut = out([
      { ServiceName: 'EC2', RegionId: 'us-east-1', value: 60 },
      { ServiceName: '(other)', RegionId: '(other)', value: 105.25 },
    ]);
    const t = buildPivotTree(['ServiceName', 'RegionId'], [{ metric: L1 }, { metric: cut }], [10, 10], false);
    const ec2 = t.roots[0]!;
    expect(ec2.children.map((n) => [n.value, n.amount, n.otherCount])).toEqual([
      ['us-east-1', 60, null],
      ['(other)', 40, null],
    ]);
  });
});

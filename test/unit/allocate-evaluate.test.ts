import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateDimension, BASES, zero, type Amounts, type DriverRow, type Pool, type SpendGroup } from '../../src-shared/allocate/evaluate';
import { compileRules, type Rule, type RuleSetCore } from '../../src-shared/allocate/rules';

const SERVICES = ['Compute', 'Storage', 'Bedrock', 'Support', 'Gateway'];
const TEAMS = ['a', 'b', 'c'];
const PERIODS = ['2026-01', '2026-02'];

const money = fc.bigInt({ min: -(10n ** 13n), max: 10n ** 14n });
const groupArb = fc.record({
  period: fc.constantFrom(...PERIODS),
  currency: fc.constantFrom('USD', 'EUR'),
  service: fc.constantFrom(...SERVICES),
  team: fc.option(fc.constantFrom('A', 'b', 'C', 'd'), { nil: undefined }),
  billed: money,
  effective: money,
  list: money,
  contracted: money,
  rows: fc.integer({ min: 1, max: 50 }),
});
const ruleArb = fc.record({
  kind: fc.constantFrom('service', 'tag', 'all'),
  service: fc.constantFrom(...SERVICES),
  team: fc.constantFrom(...TEAMS),
  value: fc.constantFrom(...TEAMS, 'd'),
});
const poolArb = fc.record({
  service: fc.constantFrom(...SERVICES),
  method: fc.constantFrom('even', 'fixed', 'proportional', 'driver'),
  targets: fc.subarray(TEAMS),
});
const driverArb = fc.array(
  fc.record({ period: fc.constantFrom(...PERIODS), target: fc.constantFrom(...TEAMS), quantity: fc.integer({ min: 0, max: 1000 }) }),
  { maxLength: 6 },
);

type RawGroup = typeof groupArb extends fc.Arbitrary<infer T> ? T : never;

function groupsOf(raw: RawGroup[]): SpendGroup[] {
  return raw.map((g) => ({
    period: g.period,
    currency: g.currency,
    rows: g.rows,
    amounts: { billed: g.billed, effective: g.effective, list: g.list, contracted: g.contracted },
    reader: { column: (n) => (n === 'ServiceName' ? g.service : undefined), tag: (k) => (k === 'team' ? g.team : undefined) },
  }));
}

describe('allocating one dimension', () => {
  it('allocated + unallocated = original for every period, currency and basis; every row is taken once', () => {
    fc.assert(
      fc.property(fc.array(groupArb, { maxLength: 40 }), fc.array(ruleArb, { maxLength: 6 }), fc.array(poolArb, { maxLength: 2 }), driverArb, (rawGroups, rawRules, rawPools, rawDrivers) => {
        const rules: Rule[] = rawRules.map((r, i) => ({
          id: `r${i}`,
          dimension: 'Team',
          value: r.value,
          when:
            r.kind === 'all'
              ? []
              : r.kind === 'service'
                ? [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: r.service, caseSensitive: false }]
                : [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: r.team, caseSensitive: false }],
        }));
        const pools: Pool[] = rawPools.map((p, i) => ({
          id: `p${i}`,
          name: `pool ${i}`,
          dimension: 'Team',
          when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: p.service, caseSensitive: false }],
          targets: p.targets,
          method:
            p.method === 'fixed'
              ? { kind: 'fixed', percents: [{ target: 'a', percent: 70 }, { target: 'b', percent: 30 }] }
              : p.method === 'driver'
                ? { kind: 'driver', driver: 'seats' }
                : p.method === 'proportional'
                  ? { kind: 'proportional', basis: 'billed' }
                  : { kind: 'even' },
        }));
        const set: RuleSetCore & { pools: Pool[] } = { dimensions: [{ key: 'Team', label: 'Team' }], tagAliases: [], normalize: { Team: 'lower' }, rules, pools };
        const compiled = compileRules(set);
        if (!compiled.ok) throw new Error('compile');
        const drivers: DriverRow[] = rawDrivers.map((d) => ({ driver: 'seats', ...d }));
        const groups = groupsOf(rawGroups);
        const r = allocateDimension(set, compiled.rules, 'Team', groups, drivers);

        const sums = new Map<string, Amounts>();
        const add = (k: string, a: Amounts) => {
          const s = sums.get(k) ?? zero();
          for (const b of BASES) s[b] += a[b];
          sums.set(k, s);
        };
        for (const t of r.targets) {
          add(`${t.period}\u0000${t.currency}`, t.direct);
          add(`${t.period}\u0000${t.currency}`, t.shared);
        }
        for (const u of r.unallocated) add(`${u.period}\u0000${u.currency}`, u.amounts);
        const expected = new Map<string, Amounts>();
        for (const g of groups) {
          const k = `${g.period}\u0000${g.currency}`;
          const s = expected.get(k) ?? zero();
          for (const b of BASES) s[b] += g.amounts[b];
          expected.set(k, s);
        }
        expect(r.original).toEqual(expected);
        for (const [k, want] of expected) expect(sums.get(k) ?? zero()).toEqual(want);
        // rows: each taken by exactly one rule or pool, or by none
        const taken = [...r.rowsByRule.values()].reduce((s, n) => s + n, 0);
        expect(taken + r.rowsUnmatched).toBe(groups.reduce((s, g) => s + g.rows, 0));
        // targets are normalized
        for (const t of r.targets) expect(t.target).toBe(t.target.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  it('a support pool split proportionally to direct cost, with a team that has credits only', () => {
    const set: RuleSetCore & { pools: Pool[] } = {
      dimensions: [{ key: 'Team', label: 'Team' }],
      tagAliases: [],
      normalize: {},
      rules: [{ id: 'r', dimension: 'Team', value: 'x', when: [{ field: { kind: 'tag', key: 'team' }, op: 'missing' }] }],
      pools: [
        { id: 'support', name: 'Support plan', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Support', caseSensitive: false }], targets: ['a', 'b', 'c'], method: { kind: 'proportional', basis: 'effective' } },
      ],
    };
    set.rules.unshift({ id: 'tagged', dimension: 'Team', value: 'a', when: [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: 'a', caseSensitive: false }] });
    set.rules.unshift({ id: 'taggedb', dimension: 'Team', value: 'b', when: [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: 'b', caseSensitive: false }] });
    set.rules.unshift({ id: 'taggedc', dimension: 'Team', value: 'c', when: [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: 'c', caseSensitive: false }] });
    const c = compileRules(set);
    if (!c.ok) throw new Error('compile');
    const g = (service: string, team: string | undefined, billed: bigint): SpendGroup => ({
      period: '2026-01',
      currency: 'USD',
      rows: 1,
      amounts: { billed, effective: billed, list: billed, contracted: billed },
      reader: { column: (n) => (n === 'ServiceName' ? service : undefined), tag: (k) => (k === 'team' ? team : undefined) },
    });
    const r = allocateDimension(set, c.rules, 'Team', [g('Compute', 'a', 300n), g('Compute', 'b', 100n), g('Compute', 'c', -50n), g('Support', undefined, 41n)], []);
    const byTarget = Object.fromEntries(r.targets.map((t) => [t.target, [t.direct.billed, t.shared.billed]]));
    // 41 nanos over weights 300 : 100 : 0 → 30.75 and 10.25 → 31 and 10 (largest remainder)
    expect(byTarget).toEqual({ a: [300n, 31n], b: [100n, 10n], c: [-50n, 0n] });
    expect(r.unallocated).toEqual([]);
    expect(r.rowsByRule.get('support')).toBe(1);
  });

  it('fixed percentages that do not add up to 100 leave the pool unallocated and say what to fix', () => {
    const set: RuleSetCore & { pools: Pool[] } = {
      dimensions: [{ key: 'Team', label: 'Team' }],
      tagAliases: [],
      normalize: {},
      rules: [],
      pools: [
        {
          id: 'gw',
          name: 'AI gateway key',
          dimension: 'Team',
          when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Gateway', caseSensitive: false }],
          targets: [],
          method: { kind: 'fixed', percents: [{ target: 'a', percent: 60 }, { target: 'b', percent: 30 }] },
        },
      ],
    };
    const c = compileRules(set);
    if (!c.ok) throw new Error('compile');
    const amounts = { billed: 100n, effective: 90n, list: 120n, contracted: 100n };
    const r = allocateDimension(set, c.rules, 'Team', [{ period: '2026-01', currency: 'USD', rows: 3, amounts, reader: { column: () => 'Gateway', tag: () => undefined } }], []);
    expect(r.targets).toEqual([]);
    expect(r.unallocated).toEqual([
      { period: '2026-01', currency: 'USD', reason: 'pool-invalid', poolId: 'gw', detail: 'pool gw: the percentages add up to 90%, not 100%', amounts },
    ]);
  });
});

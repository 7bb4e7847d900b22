// The live preview, answered in a query worker: spend groups come from the month cube in memory (or the raw-row
// groups cached for the rule set's columns), readers are kept per groups object, so an edit re-runs only the rules.
import { fieldsRead } from '../../src-shared/allocate/rules';
import type { RuleSet } from '../../src-shared/allocate/ruleset';
import type { ParsedInput } from '../../src-shared/api/contract';
import type { AllocationPreview, DimensionPreview, RuleStatView } from '../../src-shared/api/allocation';
import { isoMonth } from '../ingest/datetime';
import type { CubeCache } from '../explore/cube-cache';
import type { DictLookup } from '../explore/scope';
import { CUBE_MONTH } from '../store/cubes';
import type { Db } from '../store/workspace';
import { buildReaders, runAllocation, type Readers } from './compute';
import { cubeAnswers, GroupCache, groupsFromCube, groupsFromCubeTable, groupsFromResourceRollup, groupsFromRows, resourceRollupAnswers, signatureColumns, type SigGroups } from './groups';
import { BASIS_OF, checksOf, units } from './results';
import { dbResolver } from './resolver';
import { appliedVersionId, readDrivers } from './store';

const monthNumber = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;

export class AllocationPreviews {
  private readonly groups;
  private readonly readers = new WeakMap<SigGroups, Readers>();

  constructor(
    private readonly db: Db,
    private readonly dict: DictLookup,
    private readonly cubes: CubeCache,
  ) {
    this.groups = new GroupCache(db);
  }

  /** Spend groups for a rule set's columns, from the fastest structure that has them. */
  groupsFor(set: RuleSet): SigGroups {
    const cols = signatureColumns(fieldsRead(set));
    const key = cols.join(',');
    if (resourceRollupAnswers(cols)) return this.groups.get('resources', () => groupsFromResourceRollup(this.db));
    if (!cubeAnswers(cols)) return this.groups.get(`rows:${key}`, () => groupsFromRows(this.db, cols));
    // the month cube from memory when loaded (milliseconds), else from its table; kept until the data changes
    return this.groups.get(`cube:${key}`, () => {
      const cube = this.cubes.get(CUBE_MONTH);
      return cube ? groupsFromCube(cube, cols) : groupsFromCubeTable(this.db, cols);
    });
  }

  private readersFor(groups: SigGroups): Readers {
    let r = this.readers.get(groups);
    if (!r) this.readers.set(groups, (r = buildReaders(groups, dbResolver(this.db, this.dict))));
    return r;
  }

  preview(input: ParsedInput<'allocation.preview'>): AllocationPreview {
    const t0 = performance.now();
    const set = input.ruleSet;
    const groups = this.groupsFor(set);
    const readers = this.readersFor(groups);
    const opts = {
      ...(input.fromMonth ? { fromMonth: monthNumber(input.fromMonth) } : {}),
      ...(input.toMonth ? { toMonth: monthNumber(input.toMonth) } : {}),
    };
    const run = runAllocation(set, groups, readers, readDrivers(this.db), opts);
    const basis = BASIS_OF[input.metric];
    const { months: monthList, rows } = run.problems.length ? this.scope(groups, opts) : run;
    const applied = appliedVersionId(this.db);
    const before = applied === null ? null : this.appliedTotals(monthList, input.metric);
    const dimensions: DimensionPreview[] = run.dimensions.map((d) => {
      const label = set.dimensions.find((x) => x.key === d.dimension)?.label ?? d.dimension;
      const byTarget = new Map<string, { target: string; currency: string; direct: bigint; shared: bigint }>();
      for (const t of d.targets) {
        const k = `${t.target}\u0000${t.currency}`;
        const e = byTarget.get(k) ?? { target: t.target, currency: t.currency, direct: 0n, shared: 0n };
        e.direct += t.direct[basis];
        e.shared += t.shared[basis];
        byTarget.set(k, e);
      }
      const prior = before?.get(d.dimension);
      // targets the applied version had and this draft no longer reaches still show, at 0, with their old total
      for (const k of prior?.keys() ?? []) {
        if (byTarget.has(k)) continue;
        const [target, currency] = k.split('\u0000') as [string, string];
        byTarget.set(k, { target, currency, direct: 0n, shared: 0n });
      }
      const targets = [...byTarget.entries()]
        .map(([k, e]) => ({
          target: e.target,
          currency: e.currency,
          direct: units(e.direct),
          shared: units(e.shared),
          total: units(e.direct + e.shared),
          before: before === null ? null : units(prior?.get(k) ?? 0n),
        }))
        .sort((a, b) => a.currency.localeCompare(b.currency) || b.total - a.total || a.target.localeCompare(b.target));
      const un = new Map<string, { currency: string; reason: DimensionPreview['unallocated'][number]['reason']; poolId: string | null; detail: string | null; amount: bigint; months: Set<string> }>();
      for (const u of d.unallocated) {
        const k = `${u.currency}\u0000${u.reason}\u0000${u.poolId ?? ''}\u0000${u.detail ?? ''}`;
        const e = un.get(k) ?? { currency: u.currency, reason: u.reason, poolId: u.poolId, detail: u.detail ?? null, amount: 0n, months: new Set<string>() };
        e.amount += u.amounts[basis];
        e.months.add(u.period);
        un.set(k, e);
      }
      const rules: RuleStatView[] = run.stats
        .filter((s) => s.dimension === d.dimension)
        .map((s) => ({
          id: s.id,
          kind: s.kind,
          rows: s.rows,
          matches: s.matches,
          shadowedBy: s.shadowedBy,
          status: s.matches === 0 ? 'no-rows' : s.rows === 0 ? 'shadowed' : s.rows < s.matches ? 'partly-shadowed' : 'takes',
          amounts: [...s.amounts].map(([currency, a]) => ({ currency, amount: units(a[basis]) })),
        }));
      return {
        dimension: d.dimension,
        label,
        targets,
        unallocated: [...un.values()].map((e) => ({ ...e, amount: units(e.amount), months: [...e.months].sort() })),
        checks: checksOf(d, basis),
        rules,
        rowsUnmatched: d.rowsUnmatched,
      };
    });
    return {
      metric: input.metric,
      problems: run.problems,
      months: monthList,
      rows,
      groups: groups.n,
      source: groups.source,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      appliedVersion: applied,
      dimensions,
    };
  }

  /** Months and rows in scope when the rules cannot run (the preview still says what it would cover). */
  private scope(groups: SigGroups, opts: { fromMonth?: number; toMonth?: number }): { months: string[]; rows: number } {
    const months = new Set<number>();
    let rows = 0;
    for (let i = 0; i < groups.n; i++) {
      const m = groups.monthNo[i]!;
      if ((opts.fromMonth !== undefined && m < opts.fromMonth) || (opts.toMonth !== undefined && m > opts.toMonth)) continue;
      months.add(m);
      rows += groups.rows[i]!;
    }
    return { months: [...months].sort((a, b) => a - b).map(isoMonth), rows };
  }

  /** The applied version's total per dimension, target and currency over the months (nanos). */
  private appliedTotals(months: string[], metric: ParsedInput<'allocation.preview'>['metric']): Map<string, Map<string, bigint>> {
    const col = BASIS_OF[metric];
    const out = new Map<string, Map<string, bigint>>();
    if (months.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT dim, target, currency, sum(${col}) FROM alloc_cell WHERE target IS NOT NULL AND month BETWEEN ? AND ?
         GROUP BY dim, target, currency`,
      )
      .raw()
      .safeIntegers(true)
      .all(months[0], months[months.length - 1]) as [string, string, string, bigint][];
    for (const [dim, target, currency, sum] of rows) {
      let m = out.get(dim);
      if (!m) out.set(dim, (m = new Map()));
      m.set(`${target}\u0000${currency}`, sum);
    }
    return out;
  }
}

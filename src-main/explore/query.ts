// Explore queries: group, filter and sum a cost metric, planned onto the smallest structure that answers them.
import { AllocationPreviews } from '../allocate/preview';
import { allocationDimOf, allocationKpiRows, allocationRows, appliedOf, refuseAllocationFilters, type AppliedAllocation } from '../allocate/explore';
import type { AllocationPreview } from '../../src-shared/api/allocation';
import type {
  CompareOutput,
  DataQuality,
  DatasetLinks,
  DatasetQueryOutput,
  Dimension,
  Kpis,
  Metric,
  ParsedInput,
  QueryOutput,
  QueryRow,
  RowsOutput,
} from '../../src-shared/api/contract';
import { CUBES } from '../store/cubes';
import { CubePlanner, type CubeQuestion } from './cube-plan';
import { datasetLinks } from './dataset-links';
import { rowsPage } from './rows';
import { compareView } from './compare';
import { dataQuality } from './data-quality';
import { queryDataset } from './dataset-query';
import { costColumn } from '../../src-shared/focus/catalog';
import { EngineError } from '../engine/errors';
import { formatNanos, nanosToNumber } from '../ingest/decimal';
import { isoDateTime, isoDay, isoMonth, monthOfDay, dayFromIso, firstDayOfMonth } from '../ingest/datetime';
import { COST_COLUMN_KINDS, ROLLUP_DIMENSIONS } from '../store/cost-columns';
import type { Db } from '../store/workspace';
import {
  addDateRange,
  addFilters,
  addRowDateRange,
  addRowZones,
  DictLookup,
  keyExpr,
  resolveColumn,
  whereSql,
  type ColumnRef,
  type Source,
  type SqlParts,
} from './scope';

const ROLLUP_MEASURE: Record<Metric, string> = {
  BilledCost: 'billed',
  EffectiveCost: 'effective',
  ListCost: 'list',
  ContractedCost: 'contracted',
};

type Scope = Pick<ParsedInput<'explore.query'>, 'from' | 'to' | 'filters'>;

function measureSql(metric: Metric, source: Source | 'rollup_resource_month', alias: string): string {
  return source === 'cost_usage' ? `coalesce(${alias}."${metric}", 0)` : `${alias}.${ROLLUP_MEASURE[metric]}`;
}

/** Raw result rows: [day?, currency, key…, sum]. */
type RawRows = unknown[][];

const DIM_CODE = new Map<string, number>(ROLLUP_DIMENSIONS.map((d, i) => [d, i + 1]));

export class ExploreQueries {
  private readonly dict: DictLookup;
  readonly cubes: CubePlanner;
  constructor(private readonly db: Db) {
    this.dict = new DictLookup(db);
    this.cubes = new CubePlanner(db, this.dict);
  }

  datasetQuery(input: ParsedInput<'explore.datasetQuery'>): DatasetQueryOutput {
    return queryDataset(this.db, input);
  }

  datasetLinks(input: ParsedInput<'explore.datasetLinks'>): DatasetLinks {
    return datasetLinks(this.db, input);
  }

  compare(input: ParsedInput<'explore.compare'>): CompareOutput {
    refuseAllocationFilters(this.db, input.filters, 'Compare');
    if (allocationDimOf(input.groupBy, this.appliedAllocation())) throw new EngineError('unsupported', `Compare cannot group by the allocation dimension ${input.groupBy}: its price, usage and mix are per item, and a shared item is split; group by a FOCUS column or tag`);
    return compareView(this.db, input);
  }

  dataQuality(input: ParsedInput<'explore.dataQuality'>): DataQuality {
    refuseAllocationFilters(this.db, input.filters, 'Data quality');
    return dataQuality(this.db, input);
  }

  private allocations: AllocationPreviews | null = null;

  /** The allocation preview lives beside the cubes it reads (allocate/preview.ts). */
  allocationPreview(input: ParsedInput<'allocation.preview'>): AllocationPreview {
    this.allocations ??= new AllocationPreviews(this.db, this.dict, this.cubes.cache);
    return this.allocations.preview(input);
  }

  /**
   * Load the cubes in the background once a workspace has opened. Not at once: the overview's first questions,
   * answered from rollup_dim, come first; a question needing a cube before then starts its load itself.
   */
  /** Nothing but the connection (the worker opened the file to get here): a lane ready before its first question. */
  open(): null {
    return null;
  }

  warm(): null {
    setTimeout(() => {
      try {
        for (const c of CUBES) this.cubes.cache.get(c);
      } catch {
        // closed meanwhile
      }
    }, 1500).unref();
    return null;
  }

  private appliedAllocation(): AppliedAllocation | null {
    return appliedOf(this.db);
  }

  query(input: ParsedInput<'explore.query'>): QueryOutput {
    const applied = this.appliedAllocation();
    if (applied && [...input.groupBy, ...input.filters.map((f) => f.column)].some((c) => allocationDimOf(c, applied))) {
      const groups = input.groupBy.map(resolveColumn);
      const r = allocationRows(this.db, this.dict, input, applied);
      return this.shape(input, groups, r.raw, r.source);
    }
    const groupRefs = input.groupBy.map(resolveColumn);
    for (const g of groupRefs) {
      if (g.kind === 'column' && g.storage !== 'text' && g.storage !== 'time') {
        throw new EngineError('bad-input', `cannot group by ${g.name}: it is a number, not a dimension`);
      }
    }
    const filterRefs = input.filters.map((f) => resolveColumn(f.column));
    if (this.resourceRollupAnswers(input, groupRefs, filterRefs)) {
      if (input.top !== undefined && filterRefs.every((f) => f.kind === 'column' && f.name === 'BillingCurrency')) {
        return this.topResources(input, groupRefs[0]!, input.top);
      }
      return this.shape(input, groupRefs, this.resourceRollupRows(input), 'rollup_resource_month');
    }
    if (this.dimRollupAnswers(groupRefs, filterRefs)) {
      return this.shape(input, groupRefs, this.dimRollupRows(input, groupRefs[0]), 'rollup_dim');
    }
    const question: CubeQuestion = { from: input.from, to: input.to, filters: input.filters, groups: groupRefs, granularity: input.granularity, measure: input.metric };
    const cube = this.cubes.pick(question);
    if (cube) {
      const r = this.cubes.rows(cube, question);
      return this.shape(input, groupRefs, r.rows, r.source);
    }
    const source: Source = 'cost_usage';
    const parts: SqlParts = { joins: [], where: [], params: [] };
    const keys = groupRefs.map((g) => groupExpr(g, source, parts, this.dict));
    addRowDateRange(this.db, parts, 'r', input.from, input.to);
    addFilters(parts, input.filters, source, 'r', this.dict);
    const select = ['coalesce(r."BillingCurrency", 0)', ...keys];
    if (input.granularity) select.unshift('r.day');
    const measure = `sum(${measureSql(input.metric, source, 'r')})`;
    const sql = `SELECT ${[...select, measure].join(', ')} FROM ${source} r ${parts.joins.join(' ')} ${whereSql(parts)} GROUP BY ${select.map((_, i) => i + 1).join(', ')}`;
    const raw = this.db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as RawRows;
    return this.shape(input, groupRefs, raw, source);
  }

  /** The narrow per-dimension rollup answers one grouping (or none) with filters on that same column or the currency. */
  private dimRollupAnswers(groups: ColumnRef[], filters: ColumnRef[]): boolean {
    if (groups.length > 1) return false;
    const g = groups[0];
    if (g && g.kind === 'json') return false;
    if (filters.some((f) => f.kind === 'json')) return false;
    if (g && g.kind === 'column' && !DIM_CODE.has(g.name)) return false;
    return filters.every(
      (f) => (f.kind === 'column' && f.name === 'BillingCurrency') || (g !== undefined && f.label === g.label),
    );
  }

  private dimCode(g: ColumnRef | undefined): number {
    if (!g) return 0;
    if (g.kind === 'tag') return -(this.dict.id(g.key) ?? 0x7fffffff);
    if (g.kind === 'json') throw new Error('JSON keys have no rollup');
    return DIM_CODE.get(g.name)!;
  }

  private dimRollupRows(input: ParsedInput<'explore.query'>, group: ColumnRef | undefined): RawRows {
    const hasDay = Boolean(input.granularity);
    const where = ['dim = ?'];
    const params: unknown[] = [this.dimCode(group)];
    if (input.from) {
      where.push('day >= ?');
      params.push(dayFromIso(input.from));
    }
    if (input.to) {
      where.push('day <= ?');
      params.push(dayFromIso(input.to));
    }
    const m = ROLLUP_MEASURE[input.metric];
    const sel = hasDay ? 'day, currency' : 'currency';
    const run = (dimParam: number, withValue: boolean) =>
      this.db
        .prepare(`SELECT ${sel}${withValue ? ', value' : ''}, sum(${m}) FROM rollup_dim WHERE ${where.join(' AND ')} GROUP BY ${sel}${withValue ? ', value' : ''}`)
        .raw()
        .safeIntegers(true)
        .all(dimParam, ...params.slice(1)) as RawRows;
    let rows: RawRows;
    if (!group) rows = run(0, false);
    else if (group.kind === 'column') rows = run(this.dimCode(group), true);
    else {
      // rows without the tag key: the total less what carries the key
      const tagged = run(this.dimCode(group), true);
      const totals = run(0, false);
      const rest = new Map<string, unknown[]>();
      for (const t of totals) rest.set(String(t.slice(0, -1)), [...t.slice(0, -1), 0n, t[t.length - 1]]);
      for (const t of tagged) {
        const r = rest.get(String(t.slice(0, -2)));
        if (r) r[r.length - 1] = (r[r.length - 1] as bigint) - (t[t.length - 1] as bigint);
      }
      rows = [...tagged, ...[...rest.values()].filter((r) => r[r.length - 1] !== 0n)];
    }
    return this.applyFiltersInMemory(rows, input, group, hasDay);
  }

  /** Filters the dim plan allows (the grouped column, the currency) applied to its small result in memory. */
  private applyFiltersInMemory(rows: RawRows, input: ParsedInput<'explore.query'>, group: ColumnRef | undefined, hasDay: boolean): RawRows {
    if (input.filters.length === 0) return rows;
    const off = hasDay ? 1 : 0;
    const idsOf = (values: (string | null)[]) => new Set(values.map((v) => (v === null ? 0 : (this.dict.id(v) ?? -1))));
    return rows.filter((r) =>
      input.filters.every((f) => {
        const ref = resolveColumn(f.column);
        const ids = idsOf(f.values);
        const v = ref.kind === 'column' && ref.name === 'BillingCurrency' ? Number(r[off]) : group ? Number(r[off + 1]) : 0;
        return ids.has(v) !== Boolean(f.exclude);
      }),
    );
  }

  /** Top ResourceId over whole months: the per-month resource rollup answers it without touching raw rows. */
  private resourceRollupAnswers(input: ParsedInput<'explore.query'>, groups: ColumnRef[], filters: ColumnRef[]): boolean {
    if (input.granularity) return false;
    if (groups.length !== 1 || groups[0]!.kind !== 'column' || groups[0]!.name !== 'ResourceId') return false;
    if (!filters.every((f) => f.kind === 'column' && (f.name === 'BillingCurrency' || f.name === 'ResourceId'))) return false;
    if (input.from && dayFromIso(input.from) !== firstDayOfMonth(monthOfDay(dayFromIso(input.from)))) return false;
    if (input.to) {
      const to = dayFromIso(input.to);
      if (firstDayOfMonth(monthOfDay(to + 1)) !== to + 1) return false;
    }
    return true;
  }

  /** Top-N resources ranked in SQL; total and currencies from the per-dimension rollup, "(other)" as the rest. */
  private topResources(input: ParsedInput<'explore.query'>, group: ColumnRef, top: number): QueryOutput {
    const dimRows = this.dimRollupRows({ ...input, granularity: undefined, groupBy: [] }, undefined);
    const totals = this.shape({ ...input, granularity: undefined, top: undefined, groupBy: [] }, [], dimRows, 'rollup_dim'); // also refuses mixed currencies
    const totalNanos = dimRows.reduce((acc, r) => acc + BigInt((r[r.length - 1] as bigint | null) ?? 0n), 0n);
    const parts = this.resourceScope(input);
    const m = ROLLUP_MEASURE[input.metric];
    const raw = this.db
      .prepare(`SELECT r."ResourceId", sum(r.${m}) AS s FROM rollup_resource_month r ${whereSql(parts)} GROUP BY 1 ORDER BY abs(s) DESC, 1 LIMIT ?`)
      .raw()
      .safeIntegers(true)
      .all(...parts.params, top + 1) as [bigint, bigint][];
    const kept = raw.slice(0, top);
    const names = this.dict.values(kept.map((r) => Number(r[0])));
    const rows: QueryRow[] = kept.map(([id, nanos]) => ({ [group.label]: Number(id) === 0 ? null : (names.get(Number(id)) ?? null), value: nanosToNumber(nanos) }));
    rows.sort((a, b) => (b.value as number) - (a.value as number));
    if (raw.length > top) {
      const keptNanos = kept.reduce((acc, r) => acc + r[1], 0n);
      rows.push({ [group.label]: '(other)', value: nanosToNumber(totalNanos - keptNanos) });
    }
    return { metric: input.metric, currency: totals.currency, rows, total: totals.total, source: 'rollup_resource_month' };
  }

  /** Month range and filters over rollup_resource_month (its dimension columns are non-null: 0 = null). */
  private resourceScope(input: ParsedInput<'explore.query'>): SqlParts {
    const parts: SqlParts = { joins: [], where: [], params: [] };
    if (input.from) {
      parts.where.push('r.month >= ?');
      parts.params.push(monthOfDay(dayFromIso(input.from)));
    }
    if (input.to) {
      parts.where.push('r.month <= ?');
      parts.params.push(monthOfDay(dayFromIso(input.to)));
    }
    addFilters(parts, input.filters, 'rollup', 'r', this.dict);
    return parts;
  }

  private resourceRollupRows(input: ParsedInput<'explore.query'>): RawRows {
    const parts = this.resourceScope(input);
    const m = ROLLUP_MEASURE[input.metric];
    const sql = `SELECT r."BillingCurrency", r."ResourceId", sum(r.${m}) FROM rollup_resource_month r ${whereSql(parts)} GROUP BY 1, 2`;
    return this.db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as RawRows;
  }

  /** Raw rows [day?, currency, key…, sum] → contract rows, with names, periods, top-N and "(other)". */
  private shape(input: ParsedInput<'explore.query'>, groups: ColumnRef[], raw: RawRows, source: string): QueryOutput {
    const hasPeriod = Boolean(input.granularity);
    const off = hasPeriod ? 2 : 1; // first key column
    const cOff = off - 1;
    const currencyIds = new Set<number>();
    const ids: number[] = [];
    for (const r of raw) {
      currencyIds.add(Number(r[cOff] ?? 0));
      groups.forEach((g, i) => {
        if (g.kind === 'tag' || (g.kind === 'column' && g.storage === 'text')) ids.push(Number(r[i + off] ?? 0));
      });
    }
    const names = this.dict.values([...ids, ...currencyIds]);
    const currencies = [...currencyIds].map((id) => names.get(id) ?? '(none)').sort();
    const currencyGrouped = groups.some((g) => g.kind === 'column' && g.name === 'BillingCurrency');
    if (currencies.length > 1 && !currencyGrouped) {
      throw new EngineError(
        'mixed-currency',
        `Several billing currencies are in scope (${currencies.join(', ')}); amounts in different currencies are never added together. Filter by BillingCurrency (e.g. --filter BillingCurrency=${currencies[0]}) or group by BillingCurrency.`,
        { currencies },
      );
    }
    const keyText = (g: ColumnRef, v: unknown): string | null => {
      if (v === null || v === undefined) return null;
      if (g.kind === 'column' && g.storage === 'time') return isoDateTime(Number(v));
      if (g.kind === 'json') return String(v);
      const id = Number(v);
      return id === 0 ? null : (names.get(id) ?? null);
    };

    interface Acc { period: string | null; keys: (string | null)[]; group: string; nanos: bigint }
    const acc = new Map<string, Acc>();
    let total = 0n;
    const monthCache = new Map<number, string>();
    for (const r of raw) {
      let period: string | null = null;
      if (hasPeriod) {
        const day = Number(r[0]);
        period = monthCache.get(day) ?? null;
        if (period === null) {
          // ISO weeks start on Monday; day 0 (1970-01-01) was a Thursday, hence the +3
          period =
            input.granularity === 'month' ? isoMonth(monthOfDay(day)) : input.granularity === 'week' ? isoDay(day - (((day + 3) % 7) + 7) % 7) : isoDay(day);
          monthCache.set(day, period);
        }
      }
      const keys = groups.map((g, i) => keyText(g, r[i + off]));
      const nanos = BigInt((r[r.length - 1] as bigint | null) ?? 0n);
      total += nanos;
      const group = keys.join('\u0001');
      const k = `${period ?? ''}\u0002${group}`;
      const a = acc.get(k);
      if (a) a.nanos += nanos;
      else acc.set(k, { period, keys, group, nanos });
    }

    let entries = [...acc.values()];
    if (input.top !== undefined) {
      const byGroup = new Map<string, bigint>();
      for (const e of entries) byGroup.set(e.group, (byGroup.get(e.group) ?? 0n) + e.nanos);
      if (byGroup.size > input.top) {
        const abs = (x: bigint) => (x < 0n ? -x : x);
        const ranked = [...byGroup.entries()].sort((a, b) => (abs(b[1]) > abs(a[1]) ? 1 : abs(b[1]) < abs(a[1]) ? -1 : a[0] < b[0] ? -1 : 1));
        const keep = new Set(ranked.slice(0, input.top).map(([g]) => g));
        const other = new Map<string, Acc>();
        const kept: Acc[] = [];
        for (const e of entries) {
          if (keep.has(e.group)) kept.push(e);
          else {
            const o = other.get(e.period ?? '');
            if (o) o.nanos += e.nanos;
            else other.set(e.period ?? '', { period: e.period, keys: groups.map(() => '(other)'), group: '(other)', nanos: e.nanos });
          }
        }
        entries = [...kept, ...other.values()];
      }
    }
    entries.sort((a, b) => {
      if (a.period !== b.period) return (a.period ?? '') < (b.period ?? '') ? -1 : 1;
      const ao = a.group === '(other)' ? 1 : 0;
      const bo = b.group === '(other)' ? 1 : 0;
      if (ao !== bo) return ao - bo;
      return b.nanos > a.nanos ? 1 : b.nanos < a.nanos ? -1 : 0;
    });
    const rows: QueryRow[] = entries.map((e) => {
      const row: QueryRow = {};
      if (hasPeriod) row.period = e.period;
      groups.forEach((g, i) => (row[g.label] = e.keys[i] ?? null));
      row.value = nanosToNumber(e.nanos);
      return row;
    });
    const currency = currencies.length === 1 ? currencies[0]! : null;
    return { metric: input.metric, currency, rows, total: nanosToNumber(total), source };
  }

  kpis(scope: Scope): Kpis {
    const applied = this.appliedAllocation();
    if (applied && scope.filters.some((f) => allocationDimOf(f.column, applied))) return this.kpisOf(allocationKpiRows(this.db, this.dict, scope, applied));
    const refs = scope.filters.map((f) => resolveColumn(f.column));
    const onlyCurrency = refs.every((r) => r.kind === 'column' && r.name === 'BillingCurrency');
    const source = onlyCurrency ? 'rollup_dim' : 'cost_usage';
    const parts: SqlParts = { joins: [], where: [], params: [] };
    addDateRange(parts, 'r', scope.from, scope.to);
    let raw: (bigint | null)[][];
    const question: CubeQuestion = { from: scope.from, to: scope.to, filters: scope.filters, groups: [], measure: 'all' };
    const cube = source === 'rollup_dim' ? null : this.cubes.pick(question);
    if (cube) {
      raw = this.cubes.rows(cube, question).rows as bigint[][];
    } else if (source === 'rollup_dim') {
      parts.where.unshift('r.dim = 0');
      raw = this.db
        .prepare(`SELECT r.currency, sum(r.billed), sum(r.effective), sum(r.list), sum(r.contracted), sum(r.rows) FROM rollup_dim r ${whereSql(parts)} GROUP BY 1`)
        .raw()
        .safeIntegers(true)
        .all(...parts.params) as (bigint | null)[][];
      raw = this.applyFiltersInMemory(raw, { ...scope, groupBy: [], metric: 'BilledCost' } as ParsedInput<'explore.query'>, undefined, false) as (bigint | null)[][];
    } else {
      addRowZones(this.db, parts, 'r', scope.from, scope.to);
      addFilters(parts, scope.filters, source, 'r', this.dict);
      const m = (metric: Metric) => `sum(${measureSql(metric, source, 'r')})`;
      const rowsExpr = 'count(*)';
      raw = this.db
        .prepare(
          `SELECT coalesce(r."BillingCurrency", 0), ${m('BilledCost')}, ${m('EffectiveCost')}, ${m('ListCost')}, ${m('ContractedCost')}, ${rowsExpr}
           FROM ${source} r ${parts.joins.join(' ')} ${whereSql(parts)} GROUP BY 1`,
        )
        .raw()
        .safeIntegers(true)
        .all(...parts.params) as (bigint | null)[][];
    }
    return this.kpisOf(raw);
  }

  /** KPIs from rows [currency id, billed, effective, list, contracted, rows] (one or more per currency). */
  private kpisOf(raw: (bigint | null)[][]): Kpis {
    const names = this.dict.values(raw.map((r) => Number(r[0])));
    const named = raw.map((r) => ({ currency: names.get(Number(r[0])) ?? '(none)', v: r.slice(1).map((x) => x ?? 0n) as bigint[] }));
    // several currencies: show the one with most rows, and list them all so the UI can warn; never add them up
    named.sort((a, b) => (b.v[4]! > a.v[4]! ? 1 : b.v[4]! < a.v[4]! ? -1 : a.currency.localeCompare(b.currency)));
    const main = named[0];
    const [b, e, l, c, n] = main ? main.v : [0n, 0n, 0n, 0n, 0n];
    return {
      currency: main?.currency ?? null,
      currencies: named.map((x) => x.currency).sort(),
      billed: nanosToNumber(b!),
      effective: nanosToNumber(e!),
      list: nanosToNumber(l!),
      contracted: nanosToNumber(c!),
      savings: Number(formatNanos(l! - e!)),
      rows: Number(n),
    };
  }

  values(input: ParsedInput<'explore.values'>): { values: { value: string | null; amount: number }[] } {
    const out = this.query({
      groupBy: [input.column],
      metric: input.metric,
      filters: input.filters,
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
    });
    const label = resolveColumn(input.column).label;
    const needle = input.search?.toLowerCase();
    return {
      values: out.rows
        .map((r) => ({ value: (r[label] as string | null) ?? null, amount: r.value as number }))
        .filter((v) => !needle || (v.value ?? '').toLowerCase().includes(needle))
        .slice(0, input.limit),
    };
  }

  dimensions(): Dimension[] {
    const dims: Dimension[] = [];
    for (const name of ROLLUP_DIMENSIONS) dims.push({ column: name, label: costColumn(name)?.displayName ?? name, kind: 'focus' });
    for (const [name, kind] of COST_COLUMN_KINDS) {
      if (kind === 'text' && !dims.some((d) => d.column === name) && !['Tags', 'SkuPriceDetails', 'ContractApplied', 'AllocatedTags', 'AllocatedMethodDetails', 'CommitmentProgramEligibilityDetails'].includes(name)) {
        dims.push({ column: name, label: costColumn(name)?.displayName ?? name, kind: 'focus' });
      }
    }
    const applied = this.appliedAllocation();
    // allocation dimensions first, in their rule set's order
    [...(applied?.labels ?? [])].reverse().forEach(([key, label]) => dims.unshift({ column: `x_${key}`, label, kind: 'allocation' }));
    const keys = this.db.prepare('SELECT DISTINCT key FROM tag').pluck().all() as number[];
    const names = [...this.dict.values(keys).values()].sort();
    for (const k of names) dims.push({ column: `Tags.${k}`, label: `Tag: ${k}`, kind: 'tag' });
    return dims;
  }

  rows(input: ParsedInput<'explore.rows'>): RowsOutput {
    return rowsPage(this.db, input);
  }
}

function groupExpr(g: ColumnRef, source: Source, parts: SqlParts, dict: DictLookup): string {
  if (g.kind === 'column' && g.storage === 'time') return `r."${g.name}"`;
  return keyExpr(g, source, 'r', dict, parts);
}

export { ROW_COLUMNS } from './rows';

// Explore queries: group, filter and sum a cost metric, planned onto the smallest structure that answers them.
import type {
  Dimension,
  Kpis,
  Metric,
  ParsedInput,
  QueryOutput,
  QueryRow,
  RowsOutput,
} from '../../src-shared/api/contract';
import { costColumn } from '../../src-shared/focus/catalog';
import { EngineError } from '../engine/errors';
import { formatNanos, nanosToNumber } from '../ingest/decimal';
import { isoDateTime, isoDay, isoMonth, monthOfDay, dayFromIso, firstDayOfMonth } from '../ingest/datetime';
import { COST_COLUMN_KINDS, ROLLUP_DIMENSIONS } from '../store/cost-columns';
import type { Db } from '../store/workspace';
import {
  addDateRange,
  addFilters,
  DictLookup,
  keyExpr,
  resolveColumn,
  rollupCovers,
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

/** Billing currencies present in scope (never summed together silently). */
function currenciesInScope(db: Db, dict: DictLookup, scope: Scope): string[] {
  const parts: SqlParts = { joins: [], where: [], params: [] };
  const refs = scope.filters.map((f) => resolveColumn(f.column));
  const source: Source = rollupCovers(refs) ? 'rollup_daily' : 'cost_usage';
  addDateRange(parts, 'r', scope.from, scope.to);
  addFilters(parts, scope.filters, source, 'r', dict);
  const ids = db
    .prepare(`SELECT DISTINCT r."BillingCurrency" FROM ${source} r ${parts.joins.join(' ')} ${whereSql(parts)}`)
    .pluck()
    .all(...parts.params) as (number | null)[];
  const names = dict.values(ids.filter((i): i is number => i !== null));
  return [...names.values()].sort();
}

export class ExploreQueries {
  private readonly dict: DictLookup;
  constructor(private readonly db: Db) {
    this.dict = new DictLookup(db);
  }

  query(input: ParsedInput<'explore.query'>): QueryOutput {
    const groupRefs = input.groupBy.map(resolveColumn);
    for (const g of groupRefs) {
      if (g.kind === 'column' && g.storage !== 'text' && g.storage !== 'time') {
        throw new EngineError('bad-input', `cannot group by ${g.name}: it is a number, not a dimension`);
      }
    }
    const filterRefs = input.filters.map((f) => resolveColumn(f.column));
    const currencies = currenciesInScope(this.db, this.dict, input);
    const currencyGrouped = groupRefs.some((g) => g.kind === 'column' && g.name === 'BillingCurrency');
    if (currencies.length > 1 && !currencyGrouped) {
      throw new EngineError(
        'mixed-currency',
        `Several billing currencies are in scope (${currencies.join(', ')}); amounts in different currencies are never added together. Filter by BillingCurrency (e.g. --filter BillingCurrency=${currencies[0]}) or group by BillingCurrency.`,
        { currencies },
      );
    }
    const currency = currencies.length === 1 ? currencies[0]! : null;

    if (this.resourceRollupAnswers(input, groupRefs, filterRefs)) {
      return this.queryResourceRollup(input, groupRefs, currency);
    }
    const source: Source =
      rollupCovers([...groupRefs, ...filterRefs]) && groupRefs.every((g) => g.kind === 'tag' || g.storage === 'text')
        ? 'rollup_daily'
        : 'cost_usage';
    const parts: SqlParts = { joins: [], where: [], params: [] };
    const keys = groupRefs.map((g) => groupExpr(g, source, parts, this.dict));
    addDateRange(parts, 'r', input.from, input.to);
    addFilters(parts, input.filters, source, 'r', this.dict);
    const select = [...keys];
    if (input.granularity) select.unshift('r.day');
    const measure = `sum(${measureSql(input.metric, source, 'r')})`;
    const groupList = select.map((_, i) => i + 1).join(', ');
    const sql =
      `SELECT ${[...select, measure].join(', ')} FROM ${source} r ${parts.joins.join(' ')} ${whereSql(parts)}` +
      (select.length > 0 ? ` GROUP BY ${groupList}` : '');
    const raw = this.db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as unknown[][];
    return this.shape(input, groupRefs, raw, currency, source);
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

  private queryResourceRollup(input: ParsedInput<'explore.query'>, groups: ColumnRef[], currency: string | null): QueryOutput {
    const parts: SqlParts = { joins: [], where: [], params: [] };
    if (input.from) {
      parts.where.push('r.month >= ?');
      parts.params.push(monthOfDay(dayFromIso(input.from)));
    }
    if (input.to) {
      parts.where.push('r.month <= ?');
      parts.params.push(monthOfDay(dayFromIso(input.to)));
    }
    addFilters(parts, input.filters, 'rollup_daily', 'r', this.dict);
    const sql = `SELECT r."ResourceId", sum(r.${ROLLUP_MEASURE[input.metric]}) FROM rollup_resource_month r ${whereSql(parts)} GROUP BY 1`;
    const raw = this.db.prepare(sql).raw().safeIntegers(true).all(...parts.params) as unknown[][];
    return this.shape(input, groups, raw, currency, 'rollup_resource_month');
  }

  /** Raw SQL rows [day?, key..., sum] → contract rows, with names, periods, top-N and "(other)". */
  private shape(
    input: ParsedInput<'explore.query'>,
    groups: ColumnRef[],
    raw: unknown[][],
    currency: string | null,
    source: string,
  ): QueryOutput {
    const hasPeriod = Boolean(input.granularity);
    const ids: number[] = [];
    for (const r of raw) {
      groups.forEach((g, i) => {
        if (g.kind === 'tag' || g.storage === 'text') ids.push(Number(r[i + (hasPeriod ? 1 : 0)] ?? 0));
      });
    }
    const names = this.dict.values(ids);
    const keyText = (g: ColumnRef, v: unknown): string | null => {
      if (v === null || v === undefined) return null;
      if (g.kind === 'column' && g.storage === 'time') return isoDateTime(Number(v));
      const id = Number(v);
      return id === 0 ? null : (names.get(id) ?? null);
    };

    // fold into (period, keys) → nanos
    interface Acc { period: string | null; keys: (string | null)[]; nanos: bigint }
    const acc = new Map<string, Acc>();
    let total = 0n;
    for (const r of raw) {
      const off = hasPeriod ? 1 : 0;
      const period = hasPeriod
        ? input.granularity === 'month'
          ? isoMonth(monthOfDay(Number(r[0])))
          : isoDay(Number(r[0]))
        : null;
      const keys = groups.map((g, i) => keyText(g, r[i + off]));
      const nanos = BigInt((r[r.length - 1] as bigint | null) ?? 0n);
      total += nanos;
      const k = JSON.stringify([period, keys]);
      const a = acc.get(k);
      if (a) a.nanos += nanos;
      else acc.set(k, { period, keys, nanos });
    }

    let entries = [...acc.values()];
    if (input.top !== undefined) {
      const byGroup = new Map<string, bigint>();
      for (const e of entries) {
        const g = JSON.stringify(e.keys);
        byGroup.set(g, (byGroup.get(g) ?? 0n) + e.nanos);
      }
      const abs = (x: bigint) => (x < 0n ? -x : x);
      const ranked = [...byGroup.entries()].sort((a, b) => (abs(b[1]) > abs(a[1]) ? 1 : abs(b[1]) < abs(a[1]) ? -1 : a[0].localeCompare(b[0])));
      if (ranked.length > input.top) {
        const keep = new Set(ranked.slice(0, input.top).map(([g]) => g));
        const other = new Map<string, Acc>();
        const kept: Acc[] = [];
        for (const e of entries) {
          if (keep.has(JSON.stringify(e.keys))) kept.push(e);
          else {
            const o = other.get(e.period ?? '');
            if (o) o.nanos += e.nanos;
            else other.set(e.period ?? '', { period: e.period, keys: groups.map(() => '(other)'), nanos: e.nanos });
          }
        }
        entries = [...kept, ...other.values()];
      }
    }
    entries.sort((a, b) => {
      if (a.period !== b.period) return (a.period ?? '') < (b.period ?? '') ? -1 : 1;
      const ao = a.keys[0] === '(other)' ? 1 : 0;
      const bo = b.keys[0] === '(other)' ? 1 : 0;
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
    return { metric: input.metric, currency, rows, total: nanosToNumber(total), source };
  }

  kpis(scope: Scope): Kpis {
    const currencies = currenciesInScope(this.db, this.dict, scope);
    const currency = currencies.length === 0 ? null : this.mainCurrency(scope, currencies);
    const refs = scope.filters.map((f) => resolveColumn(f.column));
    const source: Source = rollupCovers(refs) ? 'rollup_daily' : 'cost_usage';
    const parts: SqlParts = { joins: [], where: [], params: [] };
    addDateRange(parts, 'r', scope.from, scope.to);
    addFilters(parts, scope.filters, source, 'r', this.dict);
    if (currency !== null) {
      parts.where.push(`r."BillingCurrency" = ?`);
      parts.params.push(this.dict.id(currency) ?? -1);
    }
    const m = (metric: Metric) => `sum(${measureSql(metric, source, 'r')})`;
    const rowsExpr = source === 'cost_usage' ? 'count(*)' : 'sum(r.rows)';
    const row = this.db
      .prepare(
        `SELECT ${m('BilledCost')}, ${m('EffectiveCost')}, ${m('ListCost')}, ${m('ContractedCost')}, ${rowsExpr}
         FROM ${source} r ${parts.joins.join(' ')} ${whereSql(parts)}`,
      )
      .raw()
      .safeIntegers(true)
      .get(...parts.params) as (bigint | null)[];
    const [b, e, l, c, n] = row.map((v) => v ?? 0n) as [bigint, bigint, bigint, bigint, bigint];
    return {
      currency,
      currencies,
      billed: nanosToNumber(b),
      effective: nanosToNumber(e),
      list: nanosToNumber(l),
      contracted: nanosToNumber(c),
      savings: Number(formatNanos(l - e)),
      rows: Number(n),
    };
  }

  private mainCurrency(scope: Scope, currencies: string[]): string {
    if (currencies.length === 1) return currencies[0]!;
    const sel = scope.filters.find((f) => f.column.toLowerCase() === 'billingcurrency' && !f.exclude);
    if (sel && sel.values.length === 1 && sel.values[0]) return sel.values[0];
    const counts = this.db
      .prepare('SELECT "BillingCurrency" AS c, sum(rows) AS n FROM rollup_daily GROUP BY 1 ORDER BY 2 DESC')
      .all() as { c: number; n: number }[];
    const names = this.dict.values(counts.map((x) => x.c));
    for (const x of counts) {
      const name = names.get(x.c);
      if (name && currencies.includes(name)) return name;
    }
    return currencies[0]!;
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
    const keys = this.db.prepare('SELECT DISTINCT key FROM tag').pluck().all() as number[];
    const names = [...this.dict.values(keys).values()].sort();
    for (const k of names) dims.push({ column: `Tags.${k}`, label: `Tag: ${k}`, kind: 'tag' });
    return dims;
  }

  rows(input: ParsedInput<'explore.rows'>): RowsOutput {
    const parts: SqlParts = { joins: [], where: [], params: [] };
    addDateRange(parts, 'r', input.from, input.to);
    addFilters(parts, input.filters, 'cost_usage', 'r', this.dict);
    const columns = ROW_COLUMNS;
    let order = 'r.rowid';
    if (input.sort) {
      const ref = resolveColumn(input.sort.column);
      if (ref.kind === 'tag') throw new EngineError('bad-input', 'sorting by a tag is not supported');
      const dir = input.sort.desc ? 'DESC' : 'ASC';
      order =
        ref.storage === 'text'
          ? `(SELECT value FROM dict WHERE id = r."${ref.name}") ${dir}, r.rowid`
          : `r."${ref.name}" ${dir}, r.rowid`;
    }
    const select = [
      'f.file_name',
      'r.row_no',
      ...columns.map((c) => `r."${c}"`),
    ];
    const sql = `SELECT ${select.join(', ')} FROM cost_usage r JOIN import_file f ON f.id = r.file_id ${parts.joins.join(' ')} ${whereSql(parts)} ORDER BY ${order} LIMIT ? OFFSET ?`;
    const raw = this.db.prepare(sql).raw().safeIntegers(true).all(...parts.params, input.limit, input.offset) as unknown[][];
    const kinds = columns.map((c) => COST_COLUMN_KINDS.find(([n]) => n === c)![1]);
    const ids: number[] = [];
    for (const r of raw) kinds.forEach((k, i) => k === 'text' && r[i + 2] !== null && ids.push(Number(r[i + 2])));
    const names = this.dict.values(ids);
    const rows = raw.map((r) => [
      r[0] as string,
      Number(r[1]),
      ...kinds.map((k, i) => {
        const v = r[i + 2];
        if (v === null || v === undefined) return null;
        if (k === 'text') return names.get(Number(v)) ?? null;
        if (k === 'money') return nanosToNumber(v as bigint);
        if (k === 'time') return isoDateTime(Number(v));
        return Number(v);
      }),
    ]);
    const total = this.count(input);
    return { columns: ['SourceFile', 'SourceRow', ...columns], rows, total };
  }

  private count(scope: Scope): number {
    const refs = scope.filters.map((f) => resolveColumn(f.column));
    const source: Source = rollupCovers(refs) ? 'rollup_daily' : 'cost_usage';
    const parts: SqlParts = { joins: [], where: [], params: [] };
    addDateRange(parts, 'r', scope.from, scope.to);
    addFilters(parts, scope.filters, source, 'r', this.dict);
    const expr = source === 'rollup_daily' ? 'coalesce(sum(r.rows), 0)' : 'count(*)';
    return Number(this.db.prepare(`SELECT ${expr} FROM ${source} r ${whereSql(parts)}`).pluck().get(...parts.params));
  }
}

function groupExpr(g: ColumnRef, source: Source, parts: SqlParts, dict: DictLookup): string {
  if (g.kind === 'column' && g.storage === 'time') return `r."${g.name}"`;
  return keyExpr(g, source, 'r', dict, parts);
}

/** Columns of the detail grid, in reading order. */
export const ROW_COLUMNS = [
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BillingPeriodStart',
  'ServiceProviderName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'SubAccountId',
  'SubAccountName',
  'ServiceCategory',
  'ServiceName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'PricingCategory',
  'SkuId',
  'SkuMeter',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'ListUnitPrice',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'CommitmentDiscountId',
  'CommitmentDiscountStatus',
  'Tags',
] as const;

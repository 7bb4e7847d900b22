// Runs a rule set over signature groups: one reader per distinct signature (rules are tested once per signature,
// however many months and currencies share it), then each dimension's allocation (src-shared/allocate/evaluate.ts)
// and per-rule statistics: rows each rule takes, rows it would match, and which earlier rule or pool shadows it.
import { allocateDimension, type Amounts, type DimensionAllocation, type DriverRow, type SpendGroup } from '../../src-shared/allocate/evaluate';
import { aliasMap, compileCondition, compileRules, type CompiledRule, type FieldValue, type RowReader, type RuleProblem } from '../../src-shared/allocate/rules';
import { ruleSetProblems, type RuleSet } from '../../src-shared/allocate/ruleset';
import { COST_COLUMN_KIND } from '../store/cost-columns';
import { isoDateTime, isoMonth, monthOfDay } from '../ingest/datetime';
import type { SigGroups } from './groups';

/** Turns stored ids into the text rules compare against. */
export interface ValueResolver {
  /** dict text of many ids at once (0 = null) */
  texts(ids: Iterable<number>): Map<number, string>;
  /** tag key → value of each tag set */
  tagsets(ids: Iterable<number>): Map<number, Map<string, string>>;
}

export interface RuleStat {
  id: string;
  kind: 'rule' | 'pool' | 'inherit';
  dimension: string;
  /** rows it took */
  rows: number;
  /** rows it matches, whatever comes before it */
  matches: number;
  /** earlier rules or pools that took rows it matches, with how many */
  shadowedBy: { id: string; rows: number }[];
  amounts: Map<string, Amounts>;
}

export interface AllocationRun {
  problems: RuleProblem[];
  dimensions: DimensionAllocation[];
  stats: RuleStat[];
  /** one reader per group (shared by groups with one signature) */
  readers: RowReader[];
  /** reader index per group */
  readerOf: Int32Array;
  currencies: Map<number, string>;
}

/** Readers for every distinct signature of the groups (ids resolved in batches). */
export function buildReaders(groups: SigGroups, resolve: ValueResolver): { readers: RowReader[]; readerOf: Int32Array; currencies: Map<number, string> } {
  const { cols, n, keys } = groups;
  const sigIndex = new Map<string, number>();
  const readerOf = new Int32Array(n);
  const sigs: number[][] = [];
  for (let i = 0; i < n; i++) {
    let k = '';
    for (let c = 0; c < cols.length; c++) k += `${keys[c]![i]},`;
    let s = sigIndex.get(k);
    if (s === undefined) {
      s = sigs.length;
      sigIndex.set(k, s);
      sigs.push(cols.map((_, c) => keys[c]![i]!));
    }
    readerOf[i] = s;
  }
  const textCols = new Set(cols.filter((c) => COST_COLUMN_KIND.get(c) === 'text'));
  const idsNeeded = new Set<number>();
  const tagsetIds = new Set<number>();
  cols.forEach((c, ci) => {
    for (const s of sigs) {
      const v = s[ci]!;
      if (v === 0) continue;
      if (textCols.has(c) || c === 'extras') idsNeeded.add(v);
      else if (c === 'tagset') tagsetIds.add(v);
    }
  });
  const texts = resolve.texts(idsNeeded);
  const tagsets = resolve.tagsets(tagsetIds);
  const currencies = resolve.texts(groups.currency);
  const extrasCache = new Map<number, Record<string, unknown>>();
  const colIndex = new Map(cols.map((c, i) => [c, i]));
  const extrasAt = colIndex.get('extras');
  const tagsetAt = colIndex.get('tagset');
  const readers = sigs.map((s): RowReader => {
    let lowerTags: Map<string, string> | null = null;
    return {
      column(name: string): FieldValue {
        if (/^x_/i.test(name)) {
          if (extrasAt === undefined) return null;
          const id = s[extrasAt]!;
          if (!id) return null;
          let obj = extrasCache.get(id);
          if (!obj) {
            try {
              obj = JSON.parse(texts.get(id) ?? '{}') as Record<string, unknown>;
            } catch {
              obj = {};
            }
            extrasCache.set(id, obj);
          }
          const v = obj[name] ?? Object.entries(obj).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
          return v === null || v === undefined ? null : typeof v === 'number' ? v : String(v);
        }
        const i = colIndex.get(name);
        if (i === undefined) return null;
        const v = s[i]!;
        const kind = COST_COLUMN_KIND.get(name);
        if (kind === 'text') return v ? (texts.get(v) ?? null) : null;
        if (kind === 'time') return v ? isoDateTime(v) : null;
        return v;
      },
      tag(key: string): FieldValue {
        if (tagsetAt === undefined) return null;
        const t = tagsets.get(s[tagsetAt]!);
        if (!t) return null;
        const exact = t.get(key);
        if (exact !== undefined) return exact;
        // tag keys compare without case: "Team" and "team" are one key to a person writing rules
        lowerTags ??= new Map([...t].map(([k, v]) => [k.toLowerCase(), v]));
        return lowerTags.get(key.toLowerCase()) ?? null;
      },
    };
  });
  return { readers, readerOf, currencies };
}

/** Compiled rules whose test is remembered per reader (readers are per signature, so each is tested once). */
function memoized(rules: CompiledRule[]): CompiledRule[] {
  return rules.map((r) => {
    const memo = new Map<RowReader, boolean>();
    return {
      ...r,
      test(row: RowReader) {
        let v = memo.get(row);
        if (v === undefined) memo.set(row, (v = r.test(row)));
        return v;
      },
    };
  });
}

export interface RunOptions {
  /** inclusive month numbers (year*12 + month-1) to keep; all when absent */
  fromMonth?: number;
  toMonth?: number;
}

export type Readers = ReturnType<typeof buildReaders>;

/** Run `set` over `groups` (readers from buildReaders: they depend on the data only, so callers keep them across edits). */
export function runAllocation(set: RuleSet, groups: SigGroups, built: Readers, drivers: readonly DriverRow[], opts: RunOptions = {}): AllocationRun {
  const problems = ruleSetProblems(set);
  const compiled = compileRules(set);
  if (!compiled.ok) problems.push(...compiled.problems);
  for (const p of set.pools)
    if (p.method.kind === 'driver' && !drivers.some((d) => p.method.kind === 'driver' && d.driver === p.method.driver))
      problems.push({ ruleId: p.id, message: `pool ${p.id}: no driver data named '${p.method.driver}' has been imported` });
  const { readers, readerOf, currencies } = built;
  // compileRules and ruleSetProblems both see an undefined dimension: say it once
  const seen = new Set<string>();
  problems.splice(0, problems.length, ...problems.filter((p) => !seen.has(p.message) && seen.add(p.message)));
  if (problems.length || !compiled.ok) return { problems, dimensions: [], stats: [], readers, readerOf, currencies };

  const rules = memoized(compiled.rules);
  const keep: number[] = [];
  for (let i = 0; i < groups.n; i++) {
    const m = monthOfDay(groups.month[i]!);
    if (opts.fromMonth !== undefined && m < opts.fromMonth) continue;
    if (opts.toMonth !== undefined && m > opts.toMonth) continue;
    keep.push(i);
  }
  const monthText = new Map<number, string>();
  const period = (day: number) => {
    let t = monthText.get(day);
    if (!t) monthText.set(day, (t = isoMonth(monthOfDay(day))));
    return t;
  };
  const spend = (): Iterable<SpendGroup> =>
    keep.map((i) => ({
      period: period(groups.month[i]!),
      currency: currencies.get(groups.currency[i]!) ?? '',
      reader: readers[readerOf[i]!]!,
      amounts: { billed: groups.amounts[0][i]!, effective: groups.amounts[1][i]!, list: groups.amounts[2][i]!, contracted: groups.amounts[3][i]! },
      rows: groups.rows[i]!,
    }));
  const dimensions = set.dimensions.map((d) => allocateDimension(set, rules, d.key, spend(), drivers));
  const stats = ruleStats(set, rules, dimensions, keep, groups, readers, readerOf);
  return { problems, dimensions, stats, readers, readerOf, currencies };
}

/** Per rule and pool: rows taken, rows matched regardless of order, and who took the difference. */
function ruleStats(
  set: RuleSet,
  rules: CompiledRule[],
  dims: DimensionAllocation[],
  keep: number[],
  groups: SigGroups,
  readers: RowReader[],
  readerOf: Int32Array,
): RuleStat[] {
  // rows per signature, over the kept groups
  const rowsBySig = new Float64Array(readers.length);
  for (const i of keep) rowsBySig[readerOf[i]!] = rowsBySig[readerOf[i]!]! + groups.rows[i]!;
  const aliases = aliasMap(set.tagAliases);
  const out: RuleStat[] = [];
  for (const d of set.dimensions) {
    const alloc = dims.find((x) => x.dimension === d.key)!;
    const pools = set.pools
      .filter((p) => p.dimension === d.key)
      .map((p) => {
        const tests = p.when.map((c) => compileCondition(c, aliases));
        return { id: p.id, kind: 'pool' as const, test: (r: RowReader) => tests.every((t) => t(r)) };
      });
    const ordered = [...pools, ...rules.filter((r) => r.rule.dimension === d.key).map((r) => ({ id: r.rule.id, kind: 'rule' as const, test: r.test }))];
    const matches = new Map<string, number>(ordered.map((o) => [o.id, 0]));
    const shadow = new Map<string, Map<string, number>>(ordered.map((o) => [o.id, new Map()]));
    readers.forEach((reader, s) => {
      const rows = rowsBySig[s]!;
      if (rows === 0) return;
      // pools are listed first: the first entry that matches takes the rows, every later match is shadowed by it
      let taker: string | null = null;
      for (const o of ordered) {
        if (!o.test(reader)) continue;
        matches.set(o.id, matches.get(o.id)! + rows);
        if (taker === null) taker = o.id;
        else {
          const m = shadow.get(o.id)!;
          m.set(taker, (m.get(taker) ?? 0) + rows);
        }
      }
    });
    for (const o of ordered)
      out.push({
        id: o.id,
        kind: o.kind,
        dimension: d.key,
        rows: alloc.rowsByRule.get(o.id) ?? 0,
        matches: matches.get(o.id)!,
        shadowedBy: [...shadow.get(o.id)!].map(([id, rows]) => ({ id, rows })),
        amounts: alloc.amountsByRule.get(o.id) ?? new Map(),
      });
    for (const i of set.inherit.filter((x) => x.dimension === d.key))
      out.push({ id: i.id, kind: 'inherit', dimension: d.key, rows: alloc.rowsByRule.get(i.id) ?? 0, matches: alloc.rowsByRule.get(i.id) ?? 0, shadowedBy: [], amounts: alloc.amountsByRule.get(i.id) ?? new Map() });
  }
  return out;
}

// Runs a rule set over signature groups: one reader per distinct signature (rules are tested once per signature,
// however many months and currencies share it), then each dimension's allocation (src-shared/allocate/evaluate.ts)
// and per-rule statistics: rows each rule takes, rows it would match, and which earlier rule or pool shadows it.
import { allocateDimension, dimensionClassifier, type Amounts, type DimensionAllocation, type DriverRow, type Outcome, type SpendGroup } from '../../src-shared/allocate/evaluate';
import { aliasMap, compileCondition, compileRules, type CompiledRule, type FieldValue, type RowReader, type RuleProblem } from '../../src-shared/allocate/rules';
import { ruleSetProblems, type RuleSet } from '../../src-shared/allocate/ruleset';
import { COST_COLUMN_KIND } from '../store/cost-columns';
import { isoDateTime, isoMonth } from '../ingest/datetime';
import { amountOf, type SigGroups } from './groups';

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
  /** one reader per distinct signature */
  readers: RowReader[];
  /** reader index per group */
  readerOf: Int32Array;
  currencies: Map<number, string>;
  /** per dimension (in set order): each signature's outcome, as an index into `list` */
  outcomes: { list: Outcome[]; of: Int32Array }[];
  /** months (YYYY-MM) and rows in scope (empty when problems stopped the run) */
  months: string[];
  rows: number;
}

/** Readers for every distinct signature of the groups (ids resolved in batches). */
export function buildReaders(
  groups: SigGroups,
  resolve: ValueResolver,
): { readers: RowReader[]; readerOf: Int32Array; currencies: Map<number, string>; tests: Map<string, Int8Array> } {
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
  const readers = sigs.map((s, sig): SigReader => {
    let lowerTags: Map<string, string> | null = null;
    return {
      sig,
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
  return { readers, readerOf, currencies, tests: new Map() };
}

/** A reader of one signature, numbered: tests are remembered per number. */
interface SigReader extends RowReader {
  readonly sig: number;
}

/**
 * Compiled rules whose test is remembered per signature (0 untested, 1 true, 2 false): each runs once per signature.
 * The memory is kept with the readers under the rule's conditions (and the tag aliases they read through), so after
 * an edit only new or changed conditions are tested again: at 10M rows a ResourceId rule meets a million signatures.
 */
function memoized(rules: CompiledRule[], signatures: number, kept: Map<string, Int8Array>, aliases: unknown): CompiledRule[] {
  if (kept.size > 500) kept.clear();
  return rules.map((r) => {
    const key = JSON.stringify([r.rule.when, aliases]);
    let memo = kept.get(key);
    if (!memo) kept.set(key, (memo = new Int8Array(signatures)));
    const m = memo;
    return {
      ...r,
      test(row: RowReader) {
        const s = (row as SigReader).sig;
        const v = m[s];
        if (v) return v === 1;
        const t = r.test(row);
        m[s] = t ? 1 : 2;
        return t;
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
  if (problems.length || !compiled.ok) return { problems, dimensions: [], stats: [], readers, readerOf, currencies, outcomes: [], months: [], rows: 0 };

  const rules = memoized(compiled.rules, readers.length, built.tests, set.tagAliases);
  const scope = scopeOf(groups, readerOf, readers.length, opts);
  const { months, rows } = scope;
  const outcomes = set.dimensions.map((d) => classifySignatures(dimensionClassifier(set, rules, d.key), readers));
  const dimensions = set.dimensions.map((d, di) => allocateDimension(set, rules, d.key, collapse(groups, scope, readers, readerOf, currencies, outcomes[di]!), drivers));
  const stats = ruleStats(set, rules, dimensions, scope.rowsBySig, readers);
  return { problems, dimensions, stats, readers, readerOf, currencies, outcomes, months, rows };
}

interface Scope {
  /** the groups in the months asked for */
  keep: Int32Array;
  months: string[];
  rows: number;
  /** rows per signature within them */
  rowsBySig: Float64Array;
  /** month and currency index ranges of the kept groups (collapse's dense slots) */
  minMonth: number;
  nMonths: number;
  curIndex: Map<number, number>;
  /** per kept group: (month offset × currencies + currency index) */
  cell: Int32Array;
}

const scopes = new WeakMap<SigGroups, Map<string, Scope>>();

/** Which groups a month range keeps, and what collapse needs of them: the same for every edit, so computed once. */
function scopeOf(groups: SigGroups, readerOf: Int32Array, signatures: number, opts: RunOptions): Scope {
  const key = `${opts.fromMonth ?? ''}..${opts.toMonth ?? ''}`;
  let byRange = scopes.get(groups);
  if (!byRange) scopes.set(groups, (byRange = new Map()));
  const hit = byRange.get(key);
  if (hit) return hit;
  const kept: number[] = [];
  const monthNos = new Set<number>();
  const curIndex = new Map<number, number>();
  const rowsBySig = new Float64Array(signatures);
  let rows = 0;
  for (let i = 0; i < groups.n; i++) {
    const m = groups.monthNo[i]!;
    if (opts.fromMonth !== undefined && m < opts.fromMonth) continue;
    if (opts.toMonth !== undefined && m > opts.toMonth) continue;
    kept.push(i);
    monthNos.add(m);
    if (!curIndex.has(groups.currency[i]!)) curIndex.set(groups.currency[i]!, curIndex.size);
    rows += groups.rows[i]!;
    rowsBySig[readerOf[i]!] = rowsBySig[readerOf[i]!]! + groups.rows[i]!;
  }
  const sorted = [...monthNos].sort((a, b) => a - b);
  const minMonth = sorted[0] ?? 0;
  const keep = Int32Array.from(kept);
  const cell = Int32Array.from(kept, (i) => (groups.monthNo[i]! - minMonth) * curIndex.size + curIndex.get(groups.currency[i]!)!);
  const scope: Scope = { keep, months: sorted.map(isoMonth), rows, rowsBySig, minMonth, nMonths: sorted.length ? sorted[sorted.length - 1]! - minMonth + 1 : 0, curIndex, cell };
  if (byRange.size > 8) byRange.clear();
  byRange.set(key, scope);
  return scope;
}

/** Each signature's outcome in one dimension, interned (a few pools, rule values and 'unallocated'). */
function classifySignatures(classify: (r: RowReader) => Outcome, readers: RowReader[]): { list: Outcome[]; of: Int32Array } {
  const index = new Map<string, number>();
  const list: Outcome[] = [];
  const of = new Int32Array(readers.length);
  readers.forEach((r, s) => {
    const o = classify(r);
    const k = `${o.kind}\u0000${o.source ?? ''}\u0000${o.value ?? ''}`;
    let at = index.get(k);
    if (at === undefined) {
      at = list.length;
      index.set(k, at);
      list.push(o);
    }
    of[s] = at;
  });
  return { list, of };
}

/**
 * Groups summed per month, currency and outcome: what allocateDimension needs, in a few hundred groups instead of
 * hundreds of thousands. Each carries the reader of one signature with that outcome, which classifies the same way.
 */
function collapse(
  groups: SigGroups,
  scope: Scope,
  readers: RowReader[],
  readerOf: Int32Array,
  currencies: Map<number, string>,
  outcomes: { list: Outcome[]; of: Int32Array },
): SpendGroup[] {
  const nOut = outcomes.list.length;
  // dense slots: (month offset × currency) cell × outcome (a few thousand at most)
  const nSlots = scope.nMonths * scope.curIndex.size * nOut;
  const acc = new Float64Array(nSlots * 9);
  const rep = new Int32Array(nSlots).fill(-1);
  // hoisted: this loop runs over every group (hundreds of thousands at 10M rows) on each edit
  const [h0, h1, h2, h3] = groups.amounts.map((a) => a.hi) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [l0, l1, l2, l3] = groups.amounts.map((a) => a.lo) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const { keep, cell } = scope;
  const rows = groups.rows;
  const of = outcomes.of;
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    const slot = cell[k]! * nOut + of[readerOf[i]!]!;
    if (rep[slot] === -1) rep[slot] = i;
    const at = slot * 9;
    acc[at] = acc[at]! + h0[i]!;
    acc[at + 1] = acc[at + 1]! + l0[i]!;
    acc[at + 2] = acc[at + 2]! + h1[i]!;
    acc[at + 3] = acc[at + 3]! + l1[i]!;
    acc[at + 4] = acc[at + 4]! + h2[i]!;
    acc[at + 5] = acc[at + 5]! + l2[i]!;
    acc[at + 6] = acc[at + 6]! + h3[i]!;
    acc[at + 7] = acc[at + 7]! + l3[i]!;
    acc[at + 8] = acc[at + 8]! + rows[i]!;
  }
  const period = new Map<number, string>();
  const out: SpendGroup[] = [];
  rep.forEach((i, slot) => {
    if (i < 0) return;
    const at = slot * 9;
    const a = (k: number) => amountOf(acc[at + k]!, acc[at + k + 1]!);
    const day = groups.month[i]!;
    let p = period.get(day);
    if (!p) period.set(day, (p = isoMonth(groups.monthNo[i]!)));
    out.push({
      period: p,
      currency: currencies.get(groups.currency[i]!) ?? '',
      reader: readers[readerOf[i]!]!,
      amounts: { billed: a(0), effective: a(2), list: a(4), contracted: a(6) },
      rows: acc[at + 8]!,
    });
  });
  return out;
}

/** Per rule and pool: rows taken, rows matched regardless of order, and who took the difference. */
function ruleStats(set: RuleSet, rules: CompiledRule[], dims: DimensionAllocation[], rowsBySig: Float64Array, readers: RowReader[]): RuleStat[] {
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

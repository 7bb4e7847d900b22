// Compiles the FOCUS Requirements Model against one file header into a plan: a status for every rule that can be
// decided from the header alone, and one generated JavaScript function that evaluates every row-level rule of a
// row in straight-line code (no per-rule closure calls, no allocation on the passing path).
//
// Rule semantics (see README.md for the reasoning):
// - A rule is violated on a row when its effective Condition holds and its Requirement does not. The effective
//   Condition is the rule's own Condition AND the effective Condition of the composite rule(s) that reference it.
// - Requirement trees are evaluated with SQL-like null handling: a comparison with a null cell is "unknown" and
//   does not fail a requirement (the rule's own Nullability sibling reports the null); in a Condition, unknown
//   does not select the row. Exception: CheckNotValue(col, v) holds for a null cell (null is "not v"), so
//   `ChargeClass is not "Correction"` selects the ordinary rows whose ChargeClass is null.
// - Composite rules (CheckModelRule items) derive from their children, per row (AND: a row fails when any child
//   fails it; OR: when every child fails it) and per dataset. A child only counts toward a parent when its keyword
//   is at least as strong as the parent's (a failed SHOULD does not fail a MUST composite).
import { ownString } from '../ingest/own-string';
import { canonicalCostColumn } from '../../src-shared/focus/catalog';
import type { CheckNode, ModelRule, RequirementsModel } from './model';
import { loadCurrencyCodes, loadModel } from './model';
import * as V from './values';
import { HEADER_EXTENSIONS, ROW_EXTENSIONS, type HeaderInfo } from './extensions';

export type Status = 'pass' | 'fail' | 'skip';

export interface PlanRule {
  id: string;
  rule: ModelRule;
  keyword: string;
  strength: number;
  /** Decided at compile time (skips, presence, header-level checks); undefined = decided at finish. */
  status?: Status;
  reason?: string;
  kind: 'static' | 'row' | 'distinct' | 'composite';
  /** Composite only. */
  op?: 'AND' | 'OR';
  children: number[];
  /** True when the generated row function maintains a per-row failure flag (and counts) for this rule. */
  rowFlag: boolean;
  /** Composite skipped at finish: the skip categories of its children. */
  skipKinds?: string[];
}

/** Short category of a skip reason ("not applicable", "column absent", "dynamic rule", "MAY", …). */
export function skipKind(reason: string | undefined): string {
  return (reason ?? 'skipped').split(/[:;(]/)[0]!.trim();
}

interface DistinctGroup {
  b: string | null;
  conflict: boolean;
  rows: number;
  first: number;
  second: number;
}

export interface DistinctState {
  expected: number;
  groups: Map<string, DistinctGroup>;
  capped: boolean;
}

export interface CompiledPlan {
  rules: PlanRule[];
  /** Post-order (children before parents), for finishing composites. */
  order: number[];
  fails: Int32Array;
  samples: number[][];
  /** The rule's column value on each sampled row (aligned with samples; empty when the rule has no single column). */
  sampleValues: string[][];
  distinct: Map<number, DistinctState>;
  row: (values: readonly string[], rowNo: number) => void;
  /** Generated source of the row function (for debugging and tests). */
  source: string;
}

const DISTINCT_GROUP_CAP = 250_000;

/**
 * Memoizes a predicate over cell texts (values such as units, currencies and tag sets repeat a lot): the previous
 * value, then a bounded map.
 */
function cached(fn: (s: string) => boolean): (s: string) => boolean {
  const map = new Map<string, boolean>();
  let last = '';
  let lastResult = fn('');
  return function cachedPredicate(s) {
    if (s === last) return lastResult;
    let r = map.get(s);
    if (r === undefined) {
      r = fn(s);
      if (map.size >= 10_000) map.clear();
      map.set(ownString(s), r);
    }
    last = s;
    lastResult = r;
    return r;
  };
}

type RowFactory = (h: unknown, constants: unknown[]) => CompiledPlan['row'];
const factoryCache = new Map<string, RowFactory>();

interface CodeParts {
  ncols: number;
  nrules: number;
  nconst: number;
  cols: number[];
  decCols: Set<number>;
  valCols: Set<number>;
  dtCols: Set<number>;
  leafCode: { k: number; cond: string | null; req: string }[];
  rowExt: { k: number; req: string }[];
  distinctCode: { k: number; cond: string | null; a: number; b: number; fn: number }[];
  composites: { k: number; expr: string }[];
  needFlag: Set<number>;
}

const CHUNK = 24;

/**
 * Source of the row-function factory. Expressions use C<i> (cell text), T<i> (nullKind), N<i> (null), D<i>/X<i>/E<i>
 * (decimal flags, value, written scale), G<i> (date/time flags), Q<j> (shared subexpressions), F[k] (per-row flag
 * of rule k) and K<j> (constants). The row function is split into chunks of CHUNK statements, each its own
 * function reading cells from the row and the rest from typed arrays: one huge function costs TurboFan about half
 * a second of CPU to optimise, and chunks keep each compilation small.
 */
function generateSource(p: CodeParts): string {
  const prelude: string[] = [];
  for (const i of p.cols) {
    // nullKind only matters for texts of length 0, 3, 4 or 14 (see values.ts); skip the call for the rest.
    let st =
      `{ const c = v[${i}] ?? ""; const l = c.length; ` +
      `const t = (l > 4 && l !== 14) ? 0 : nullKind(c); TT[${i}] = t; const n = t === 1 || t === 2; NN[${i}] = n ? 1 : 0;`;
    // X and E are only read when D has DEC_TYPE (every generated use is guarded).
    if (p.valCols.has(i)) st += ` const d = n ? 0 : scanDecimal(c); DD[${i}] = d; if (d !== 0) { XX[${i}] = OUT[0]; EE[${i}] = OUT[1]; }`;
    else if (p.decCols.has(i)) st += ` DD[${i}] = n ? 0 : decimalFlags(c);`;
    if (p.dtCols.has(i)) st += ` GG[${i}] = n ? 0 : scanDateTime(c);`;
    prelude.push(st + ' }');
  }
  // Hoist expressions used more than once (shared conditions such as "Usage or Purchase, not a Correction").
  const uses = new Map<string, number>();
  const count = (e: string | null): void => {
    if (e !== null) uses.set(e, (uses.get(e) ?? 0) + 1);
  };
  for (const l of p.leafCode) {
    count(l.cond);
    count(l.req);
  }
  for (const d of p.distinctCode) count(d.cond);
  const hoisted = new Map<string, string>();
  const shared: string[] = [];
  for (const [e, n] of uses) {
    if (n < 2) continue;
    const j = hoisted.size;
    hoisted.set(e, `Q${j}`);
    shared.push(`QQ[${j}] = (${e}) ? 1 : 0;`);
  }
  const h = (e: string): string => hoisted.get(e) ?? e;
  /** `failing` is a JS boolean expression that is true when the row fails rule k. */
  // Failures are counted inline; the first NS of each rule also record their row number.
  const onFail = (k: number): string => `if (++FC[${k}] <= NS) sample(${k}, rowNo);`;
  const emit = (k: number, failing: string): string =>
    p.needFlag.has(k)
      ? `if ((F[${k}] = (${failing}) ? 1 : 0) !== 0) { ${onFail(k)} }`
      : `if (${failing}) { ${onFail(k)} }`;
  const body: string[] = [];
  for (const l of p.leafCode) body.push(emit(l.k, l.cond === null ? `!(${h(l.req)})` : `(${h(l.cond)}) && !(${h(l.req)})`));
  for (const x of p.rowExt) body.push(emit(x.k, `!(${x.req})`));
  for (const d of p.distinctCode) {
    const call = `K${d.fn}(C${d.a}, N${d.a}, C${d.b}, N${d.b}, rowNo);`;
    body.push(d.cond === null ? call : `if (${h(d.cond)}) ${call}`);
  }
  for (const c of p.composites) body.push(emit(c.k, `(${c.expr.replace(/\bf(\d+)\b/g, 'F[$1]')}) !== 0`));

  const ARRAYS: Record<string, string> = { C: 'v', N: 'NN', T: 'TT', D: 'DD', X: 'XX', E: 'EE', G: 'GG', Q: 'QQ' };
  const declare = (code: string): string => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const m of code.matchAll(/\b([CNTDXEGQ])(\d+)\b/g)) {
      const id = m[0];
      if (seen.has(id)) continue;
      seen.add(id);
      const arr = ARRAYS[m[1]!]!;
      const boolish = m[1] === 'N' || m[1] === 'Q';
      // Cells are read from the row itself: storing strings into long-lived arrays would cost a write barrier each.
      if (m[1] === 'C') out.push(`const ${id} = v[${m[2]}] ?? "";`);
      else out.push(`const ${id} = ${arr}[${m[2]}]${boolish ? ' === 1' : ''};`);
    }
    return out.join(' ');
  };
  const fns: string[] = [];
  const calls: string[] = [];
  const chunked = (stmts: string[], name: string, args: string): void => {
    for (let at = 0; at < stmts.length; at += CHUNK) {
      const part = stmts.slice(at, at + CHUNK).join('\n');
      const fn = `${name}${fns.length}`;
      const decls = name === 'pre' ? '' : declare(part);
      fns.push(`function ${fn}(${args}) {\n${decls}\n${part}\n}`);
      calls.push(`${fn}(${args});`);
    }
  };
  chunked(prelude, 'pre', 'v');
  chunked(shared, 'shared', 'v');
  chunked(body, 'rules', 'v, rowNo');

  return [
    '"use strict";',
    'const { nullKind, scanDecimal, decimalFlags, scanDateTime, OUT, hasNoReplacementChar, isUnitFormat, productWithin, isBlankText, FC, NS, sample } = H;',
    ...Array.from({ length: p.nconst }, (_, i) => `const K${i} = CONST[${i}];`),
    `const NN = new Uint8Array(${p.ncols}), TT = new Uint8Array(${p.ncols}), GG = new Uint8Array(${p.ncols}), DD = new Int32Array(${p.ncols});`,
    `const XX = new Float64Array(${p.ncols}), EE = new Float64Array(${p.ncols});`,
    `const QQ = new Uint8Array(${Math.max(1, hoisted.size)}), F = new Uint8Array(${p.nrules});`,
    ...fns,
    `return function conformanceRow(v, rowNo) {\n${calls.join('\n')}\n};`,
  ].join('\n');
}

export function strengthOf(keyword: string): number {
  const k = keyword.toUpperCase();
  if (k.startsWith('MUST')) return 2;
  if (k.startsWith('SHOULD') || k.startsWith('RECOMMENDED')) return 1;
  return 0; // MAY, OPTIONAL
}

// ---------------------------------------------------------------------------------------------------------------
// Model-derived facts that do not depend on the file (computed once per process).

interface ModelFacts {
  ids: string[];
  parents: Map<string, string[]>;
  refs: Map<string, string[]>;
  /** Applicability criterion → the columns it concerns (presence rules and column rules carrying it). */
  criterionColumns: Map<string, string[]>;
  /** Attribute id prefix (e.g. DateTimeFormat) → check functions that apply it to columns. */
  attributeUsers: Map<string, string[]>;
  /** Every column name the model mentions. */
  modelColumns: Map<string, string>;
}

let factsCache: ModelFacts | null = null;

/** {"AND": x} / {"OR": x} → a proper AND/OR node; CheckCondition → ColumnName; {} → null. */
export function normalize(node: CheckNode | undefined | null): CheckNode | null {
  if (!node || typeof node !== 'object') return null;
  if (!node.CheckFunction) {
    for (const op of ['AND', 'OR'] as const) {
      const inner = node[op];
      if (inner) {
        const items = (Array.isArray(inner) ? inner : [inner]).map(normalize).filter((x): x is CheckNode => !!x);
        return items.length === 1 ? items[0]! : { CheckFunction: op, Items: items };
      }
    }
    return null;
  }
  if (node.CheckFunction === 'AND' || node.CheckFunction === 'OR') {
    return {
      CheckFunction: node.CheckFunction,
      Items: (node.Items ?? []).map(normalize).filter((x): x is CheckNode => !!x),
    };
  }
  if (node.ColumnName === undefined && node.CheckCondition !== undefined) {
    return { ...node, ColumnName: node.CheckCondition };
  }
  return node;
}

function walk(node: CheckNode | null, visit: (n: CheckNode) => void): void {
  if (!node) return;
  visit(node);
  for (const it of node.Items ?? []) walk(it, visit);
}

function columnsOfTree(node: CheckNode | null, out: Set<string>): void {
  walk(node, (n) => {
    for (const c of [n.ColumnName, n.ColumnAName, n.ColumnBName, n.ResultColumnName]) if (c) out.add(c);
  });
}

function modelFacts(model: RequirementsModel): ModelFacts {
  if (factsCache) return factsCache;
  // Rules reachable from the Cost and Usage dataset (via references, dependencies and format attributes).
  const reach = new Set<string>();
  const stack = [...(model.ModelDatasets['CostAndUsage']?.ModelRules ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (reach.has(id) || !model.ModelRules[id]) continue;
    reach.add(id);
    const vc = model.ModelRules[id]!.ValidationCriteria;
    stack.push(...(vc.Dependencies ?? []));
    for (const tree of [vc.Requirement, vc.Condition]) {
      walk(normalize(tree), (n) => {
        if (n.CheckFunction === 'CheckModelRule' && n.ModelRuleId) stack.push(n.ModelRuleId);
        for (const a of model.CheckFunctions[n.CheckFunction ?? '']?.FormatAttributes ?? []) stack.push(a);
      });
    }
  }
  const ids = Object.keys(model.ModelRules).filter((id) => reach.has(id));
  const parents = new Map<string, string[]>();
  const refs = new Map<string, string[]>();
  const criterionColumns = new Map<string, string[]>();
  const attributeUsers = new Map<string, string[]>();
  const modelColumns = new Map<string, string>();
  for (const id of ids) {
    const r = model.ModelRules[id]!;
    const req = normalize(r.ValidationCriteria.Requirement);
    const own: string[] = [];
    walk(req, (n) => {
      if (n.CheckFunction === 'CheckModelRule' && n.ModelRuleId) own.push(n.ModelRuleId);
      // ColumnPresent names ColumnHandling as its attribute, but ColumnHandling is about names, not presence.
      if (n.CheckFunction === 'ColumnPresent') return;
      for (const a of model.CheckFunctions[n.CheckFunction ?? '']?.FormatAttributes ?? []) {
        const prefix = a.split('-')[0]!;
        const users = attributeUsers.get(prefix) ?? [];
        if (!users.includes(n.CheckFunction!)) users.push(n.CheckFunction!);
        attributeUsers.set(prefix, users);
      }
    });
    refs.set(id, own);
    for (const c of own) parents.set(c, [...(parents.get(c) ?? []), id]);
    const cols = new Set<string>();
    columnsOfTree(req, cols);
    columnsOfTree(normalize(r.ValidationCriteria.Condition), cols);
    if (r.EntityType === 'Column') cols.add(r.Reference);
    for (const c of cols) modelColumns.set(c.toLowerCase(), c);
    // Presence rules name their column; column rules their Reference. Attribute and dataset composites concern
    // no column of their own.
    const concerned: string[] = [];
    if (req?.CheckFunction === 'ColumnPresent' && req.ColumnName) concerned.push(req.ColumnName);
    else if (r.EntityType === 'Column') concerned.push(r.Reference);
    for (const crit of r.ApplicabilityCriteria ?? []) {
      const list = criterionColumns.get(crit) ?? [];
      for (const c of concerned) if (!list.includes(c)) list.push(c);
      criterionColumns.set(crit, list);
    }
  }
  for (const crit of Object.keys(model.ApplicabilityCriteria)) {
    if (!criterionColumns.has(crit)) criterionColumns.set(crit, []);
  }
  factsCache = { ids, parents, refs, criterionColumns, attributeUsers, modelColumns };
  return factsCache;
}

/** Every Cost and Usage column the model's rules mention. */
export function modelColumns(): string[] {
  return [...modelFacts(loadModel()).modelColumns.values()];
}

/** Applicability criterion → the columns whose presence makes it count as applicable when not set by the user. */
export function criterionColumns(): ReadonlyMap<string, readonly string[]> {
  return modelFacts(loadModel()).criterionColumns;
}

// ---------------------------------------------------------------------------------------------------------------
// Header resolution

export function resolveHeader(header: readonly string[]): HeaderInfo {
  const model = loadModel();
  const facts = modelFacts(model);
  const index = new Map<string, number>();
  const cells = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const canon: (string | null)[] = cells.map((h) => {
    const c = canonicalCostColumn(h);
    if (c) return c;
    return facts.modelColumns.get(h.toLowerCase()) ?? null;
  });
  // Exact (case-insensitive) names first, then legacy aliases (AmortizedCost → EffectiveCost) for what is left.
  for (let pass = 0; pass < 2; pass++) {
    canon.forEach((c, i) => {
      if (!c || index.has(c)) return;
      const direct = c.toLowerCase() === cells[i]!.toLowerCase();
      if ((pass === 0) === direct) index.set(c, i);
    });
  }
  return { cells, canonical: canon, index };
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

export interface CompileOptions {
  applicability?: Record<string, boolean>;
  samples?: number;
}

type Expr = { c: boolean } | { e: string };
type Ctx = 'req' | 'cond';

class Unsupported extends Error {}

export function compilePlan(header: readonly string[], options: CompileOptions = {}): CompiledPlan {
  const model = loadModel();
  const facts = modelFacts(model);
  const currencies = loadCurrencyCodes();
  const info = resolveHeader(header);
  const present = (col: string): boolean => info.index.has(col);
  const maxSamples = Math.max(0, Math.floor(options.samples ?? 3));

  // Applicability: explicit option, else inferred from the columns the criterion concerns.
  const applicability = new Map<string, { ok: boolean; why: string }>();
  for (const [crit, cols] of facts.criterionColumns) {
    const set = options.applicability?.[crit];
    if (set !== undefined) applicability.set(crit, { ok: set, why: 'set by the user' });
    else {
      const have = cols.filter(present);
      applicability.set(crit, {
        ok: have.length > 0,
        why: have.length > 0 ? `inferred from column ${have[0]}` : `inferred: the file has none of ${cols.join(', ') || 'its columns'}`,
      });
    }
  }
  const virtualCurrency = applicability.get('VIRTUAL_CURRENCY_SUPPORTED')?.ok ?? false;
  const isNationalCurrency = (s: string): boolean => currencies.has(s);
  // CurrencyFormat: an ISO 4217 code, or (when virtual currencies apply) a virtual currency name such as "Token".
  const isCurrencyOrVirtual = (s: string): boolean => currencies.has(s) || (V.isValidString(s) && !V.isBlankText(s));

  const rules: PlanRule[] = facts.ids.map((id) => {
    const rule = model.ModelRules[id]!;
    const keyword = rule.ValidationCriteria.Keyword;
    return { id, rule, keyword, strength: strengthOf(keyword), kind: 'static', children: [], rowFlag: false };
  });
  const idx = new Map(facts.ids.map((id, i) => [id, i]));

  // Parents before children.
  const topo: number[] = [];
  {
    const state = new Uint8Array(rules.length);
    const visit = (i: number): void => {
      if (state[i]) return;
      state[i] = 1;
      for (const p of facts.parents.get(rules[i]!.id) ?? []) {
        const pi = idx.get(p);
        if (pi !== undefined) visit(pi);
      }
      topo.push(i);
    };
    rules.forEach((_, i) => visit(i));
  }

  // --- expression compiler ------------------------------------------------------------------------------------
  const usedCols = new Set<number>();
  /** Columns scanned as decimals (D<i> flags) and those whose value/scale is also needed (X<i>, E<i>). */
  const decCols = new Set<number>();
  const valCols = new Set<number>();
  /** Columns scanned as date/times (G<i> flags). */
  const dtCols = new Set<number>();
  const constants: unknown[] = [];
  const constName = (v: unknown): string => {
    constants.push(v);
    return `K${constants.length - 1}`;
  };
  const col = (name: string | undefined): number => {
    if (!name) throw new Unsupported('check without a column');
    const i = info.index.get(name);
    if (i === undefined) throw new Unsupported(`column absent: ${name}`);
    usedCols.add(i);
    return i;
  };
  const lit = (v: unknown): string => JSON.stringify(v);
  const and = (xs: Expr[]): Expr => {
    const es: string[] = [];
    for (const x of xs) {
      if ('c' in x) {
        if (!x.c) return { c: false };
      } else es.push(x.e);
    }
    if (es.length === 0) return { c: true };
    return { e: es.length === 1 ? es[0]! : `(${es.join(' && ')})` };
  };
  const or = (xs: Expr[]): Expr => {
    const es: string[] = [];
    for (const x of xs) {
      if ('c' in x) {
        if (x.c) return { c: true };
      } else es.push(x.e);
    }
    if (es.length === 0) return { c: false };
    return { e: es.length === 1 ? es[0]! : `(${es.join(' || ')})` };
  };

  /** OR of CheckValue(sameColumn, string) → one membership test. */
  const orOfValues = (items: CheckNode[], ctx: Ctx): Expr | null => {
    if (items.length < 3) return null;
    const colName = items[0]!.ColumnName;
    if (!items.every((n) => n.CheckFunction === 'CheckValue' && n.ColumnName === colName && typeof n.Value === 'string')) return null;
    const i = col(colName);
    const set = constName(new Set(items.map((n) => n.Value as string)));
    return { e: ctx === 'req' ? `(N${i} || ${set}.has(C${i}))` : `(${set}.has(C${i}))` };
  };

  /** OR of AND(CheckValue(A, a), CheckValue(B, b)) pairs (ServiceSubcategory → ServiceCategory) → map lookups. */
  const orOfPairs = (items: CheckNode[], ctx: Ctx): Expr | null => {
    if (items.length < 3) return null;
    const first = items[0]!;
    if (first.CheckFunction !== 'AND' || first.Items?.length !== 2) return null;
    const an = first.Items[0]!.ColumnName;
    const bn = first.Items[1]!.ColumnName;
    const pairs: [string, string][] = [];
    for (const it of items) {
      const [x, y] = it.Items ?? [];
      if (
        it.CheckFunction !== 'AND' || it.Items?.length !== 2 || !x || !y ||
        x.CheckFunction !== 'CheckValue' || y.CheckFunction !== 'CheckValue' ||
        x.ColumnName !== an || y.ColumnName !== bn || typeof x.Value !== 'string' || typeof y.Value !== 'string'
      ) return null;
      pairs.push([x.Value, y.Value]);
    }
    const a = col(an);
    const b = col(bn);
    const map = new Map<string, Set<string>>();
    for (const [x, y] of pairs) map.set(x, (map.get(x) ?? new Set()).add(y));
    const m = constName(map);
    const allA = constName(new Set(pairs.map((p) => p[0])));
    const allB = constName(new Set(pairs.map((p) => p[1])));
    const exact = `(${m}.get(C${a})?.has(C${b}) === true)`;
    if (ctx === 'cond') return { e: `(!N${a} && !N${b} && ${exact})` };
    // Unknown (null) operands count as satisfied: the exact value of the OR with nulls substituted by true.
    return { e: `(N${a} ? (N${b} || ${allB}.has(C${b})) : N${b} ? ${allA}.has(C${a}) : ${exact})` };
  };

  const nullTolerant = (name: string | undefined, fn: string): Expr => {
    const i = col(name);
    return { e: `(N${i} || ${fn}(C${i}))` };
  };

  const compileExpr = (node: CheckNode, ctx: Ctx): Expr => {
    switch (node.CheckFunction) {
      case 'AND':
        return and((node.Items ?? []).map((n) => compileExpr(n, ctx)));
      case 'OR': {
        const items = node.Items ?? [];
        return orOfValues(items, ctx) ?? orOfPairs(items, ctx) ?? or(items.map((n) => compileExpr(n, ctx)));
      }
      case 'ColumnPresent':
        return { c: present(node.ColumnName ?? '') };
      case 'CheckValue':
      case 'CheckNotValue': {
        const i = col(node.ColumnName);
        const v = node.Value;
        const not = node.CheckFunction === 'CheckNotValue';
        if (v === null || v === undefined) return { e: not ? `!N${i}` : `N${i}` };
        if (typeof v === 'number') {
          // Numeric literal: compare numbers, not text (`0.00` is 0). A cell that is null or not a number is
          // "unknown": it satisfies a requirement and does not select a row in a condition; except that, as for
          // text, CheckNotValue holds for it.
          decCols.add(i);
          let eq: string;
          if (v === 0) eq = `(D${i} & ${V.DEC_ZERO}) !== 0`;
          else {
            valCols.add(i);
            eq = `(X${i} === ${lit(v)})`;
          }
          if (not) return { e: v === 0 ? `((D${i} & ${V.DEC_ZERO}) === 0)` : `((D${i} & ${V.DEC_TYPE}) === 0 || X${i} !== ${lit(v)})` };
          return { e: ctx === 'req' ? `((D${i} & ${V.DEC_TYPE}) === 0 || ${eq})` : `((D${i} & ${V.DEC_TYPE}) !== 0 && ${eq})` };
        }
        const text = lit(String(v));
        if (not) return { e: `(C${i} !== ${text})` };
        return { e: ctx === 'req' ? `(N${i} || C${i} === ${text})` : `(C${i} === ${text})` };
      }
      case 'CheckSameValue':
      case 'CheckNotSameValue': {
        const a = col(node.ColumnAName);
        const b = col(node.ColumnBName);
        const cmp = node.CheckFunction === 'CheckSameValue' ? '===' : '!==';
        return { e: ctx === 'req' ? `(N${a} || N${b} || C${a} ${cmp} C${b})` : `(!N${a} && !N${b} && C${a} ${cmp} C${b})` };
      }
      case 'CheckGreaterOrEqualThanValue': {
        const i = col(node.ColumnName);
        decCols.add(i);
        const v = Number(node.Value);
        let ge: string;
        if (v === 0) ge = `(D${i} & ${V.DEC_NEGATIVE}) === 0`;
        else {
          valCols.add(i);
          ge = `(X${i} >= ${lit(v)})`;
        }
        return { e: ctx === 'req' ? `((D${i} & ${V.DEC_TYPE}) === 0 || ${ge})` : `((D${i} & ${V.DEC_TYPE}) !== 0 && ${ge})` };
      }
      case 'TypeString':
        // Every cell of a CSV file is text: a present column is always of type String.
        col(node.ColumnName);
        return { c: true };
      case 'FormatString':
        return nullTolerant(node.ColumnName, 'hasNoReplacementChar');
      case 'TypeDecimal':
      case 'CheckDecimalValue':
      case 'FormatNumeric': {
        const i = col(node.ColumnName);
        decCols.add(i);
        const flag = node.CheckFunction === 'FormatNumeric' ? V.DEC_FORMAT : V.DEC_TYPE;
        return { e: `(N${i} || (D${i} & ${flag}) !== 0)` };
      }
      case 'TypeDateTime':
      case 'FormatDateTime': {
        const i = col(node.ColumnName);
        dtCols.add(i);
        const flag = node.CheckFunction === 'FormatDateTime' ? V.DT_FORMAT : V.DT_TYPE;
        return { e: `(N${i} || (G${i} & ${flag}) !== 0)` };
      }
      case 'FormatKeyValue':
        return nullTolerant(node.ColumnName, constName(cached(V.isKeyValueObject)));
      case 'FormatUnit':
        return nullTolerant(node.ColumnName, 'isUnitFormat');
      case 'FormatCurrency':
        return nullTolerant(node.ColumnName, constName(cached(virtualCurrency ? isCurrencyOrVirtual : isNationalCurrency)));
      case 'CheckNationalCurrency':
        return nullTolerant(node.ColumnName, constName(cached(isNationalCurrency)));
      case 'ColumnByColumnEqualsColumnValue': {
        const a = col(node.ColumnAName);
        const b = col(node.ColumnBName);
        const r = col(node.ResultColumnName);
        for (const i of [a, b, r]) {
          decCols.add(i);
          valCols.add(i);
        }
        return {
          e: `((D${a} & D${b} & D${r} & ${V.DEC_TYPE}) === 0 || productWithin(X${a}, X${b}, X${r}, E${r}))`,
        };
      }
      default:
        throw new Unsupported(`check function ${node.CheckFunction ?? '(none)'} cannot be evaluated per row`);
    }
  };

  // --- per-rule decisions, parents before children --------------------------------------------------------------
  const effCond = new Map<number, string | null>(); // null = every row
  const leafCode: { k: number; cond: string | null; req: string }[] = [];
  const distinctCode: { k: number; cond: string | null; a: number; b: number; fn: number }[] = [];
  const distinct = new Map<number, DistinctState>();
  const rowExt: { k: number; req: string }[] = [];

  for (const k of topo) {
    const r = rules[k]!;
    const rule = r.rule;
    const vc = rule.ValidationCriteria;
    const req = normalize(vc.Requirement);
    const ownCond = normalize(vc.Condition);
    const skip = (reason: string): void => {
      r.status = 'skip';
      r.reason = reason;
    };

    // 1. Own applicability criteria.
    const notApplicable = (rule.ApplicabilityCriteria ?? []).find((c) => !(applicability.get(c)?.ok ?? false));
    if (notApplicable) {
      skip(`not applicable: ${notApplicable} (${applicability.get(notApplicable)?.why ?? 'unknown criterion'})`);
      continue;
    }
    // 2. Inherited: a rule referenced only by skipped composites is skipped with them.
    const parentIdx = (facts.parents.get(r.id) ?? []).map((p) => idx.get(p)).filter((p): p is number => p !== undefined);
    const liveParents = parentIdx.filter((p) => rules[p]!.status !== 'skip');
    if (parentIdx.length > 0 && liveParents.length === 0) {
      const p = rules[parentIdx[0]!]!;
      skip(p.reason?.startsWith('not applicable') || p.reason?.startsWith('column absent') ? p.reason : `parent ${p.id} skipped`);
      continue;
    }
    // 3. Columns.
    const isPresence = req?.CheckFunction === 'ColumnPresent';
    if (isPresence) {
      const name = req.ColumnName ?? '';
      if (r.strength === 0) skip('MAY: permits, requires nothing');
      else if (present(name)) r.status = 'pass';
      else if (r.strength === 2) {
        r.status = 'fail';
        r.reason = 'column absent';
      } else skip(`column absent (${r.keyword.toLowerCase()}, not required)`);
      continue;
    }
    if (rule.EntityType === 'Column' && !present(rule.Reference)) {
      skip(`column absent: ${rule.Reference}`);
      continue;
    }
    {
      const cols = new Set<string>();
      columnsOfTree(req, cols);
      columnsOfTree(ownCond, cols);
      const missing = [...cols].find((c) => !present(c));
      if (missing) {
        skip(`column absent: ${missing}`);
        continue;
      }
    }
    // 4. MAY rules permit something; there is nothing that could fail.
    if (r.strength === 0) {
      skip('MAY: permits, requires nothing');
      continue;
    }

    // Effective condition.
    let inherited: string | null | undefined;
    for (const p of liveParents) {
      const pc = effCond.get(p);
      if (pc === undefined || pc === null) {
        inherited = null;
        break;
      }
      inherited = inherited === undefined ? pc : `(${inherited} || ${pc})`;
    }
    let cond: string | null = inherited ?? null;
    if (ownCond) {
      let own: Expr;
      try {
        own = compileExpr(ownCond, 'cond');
      } catch (e) {
        if (e instanceof Unsupported) {
          skip(e.message);
          continue;
        }
        throw e;
      }
      if ('c' in own) {
        if (!own.c) {
          skip('condition never holds for this file');
          continue;
        }
      } else cond = cond === null ? own.e : `(${cond} && ${own.e})`;
    }
    effCond.set(k, cond);

    // 5. Requirement.
    const refs = facts.refs.get(r.id) ?? [];
    if (refs.length > 0) {
      if (!req || (req.CheckFunction !== 'AND' && req.CheckFunction !== 'OR') || req.Items?.some((n) => n.CheckFunction !== 'CheckModelRule')) {
        skip('unsupported composite shape');
        continue;
      }
      r.kind = 'composite';
      r.op = req.CheckFunction;
      r.children = refs.map((c) => idx.get(c)).filter((c): c is number => c !== undefined);
      continue;
    }
    if (!req) {
      const hdr = HEADER_EXTENSIONS[r.id];
      if (hdr) {
        const res = hdr(info);
        r.status = res.fail ? 'fail' : 'pass';
        if (res.reason) r.reason = res.reason;
        continue;
      }
      const ext = ROW_EXTENSIONS[r.id];
      const extReq = ext?.(info);
      if (extReq) {
        for (const i of extReq.columns) usedCols.add(i);
        r.kind = 'row';
        r.rowFlag = true;
        rowExt.push({ k, req: extReq.expr });
        continue;
      }
      const prefix = r.id.split('-')[0]!;
      const users = facts.attributeUsers.get(prefix);
      skip(
        'dynamic rule: the model gives no machine-checkable requirement' +
          (users ? `; checked through the column rules that use ${users.join(', ')}` : ''),
      );
      continue;
    }
    if (req.CheckFunction === 'CheckDistinctCount') {
      const a = col(req.ColumnAName);
      const b = col(req.ColumnBName);
      r.kind = 'distinct';
      distinct.set(k, { expected: Number(req.ExpectedCount ?? 1), groups: new Map(), capped: false });
      constants.push(null); // the counting closure, created below with the checker's state
      distinctCode.push({ k, cond, a, b, fn: constants.length - 1 });
      continue;
    }
    let q: Expr;
    try {
      q = compileExpr(req, 'req');
    } catch (e) {
      if (e instanceof Unsupported) {
        skip(e.message);
        continue;
      }
      throw e;
    }
    if ('c' in q) {
      r.status = q.c ? 'pass' : 'fail';
      if (!q.c) r.reason = 'requirement cannot hold for this file';
      continue;
    }
    r.kind = 'row';
    r.rowFlag = true;
    leafCode.push({ k, cond, req: q.e });
  }

  // Composites that have row-level children get a per-row flag (children before parents).
  const order: number[] = [];
  {
    const seen = new Uint8Array(rules.length);
    const visit = (i: number): void => {
      if (seen[i]) return;
      seen[i] = 1;
      for (const c of rules[i]!.children) visit(c);
      order.push(i);
    };
    rules.forEach((_, i) => visit(i));
  }
  const composites: { k: number; expr: string }[] = [];
  /** Rules whose per-row flag a composite reads (the others only count failures). */
  const needFlag = new Set<number>();
  for (const k of order) {
    const r = rules[k]!;
    if (r.kind !== 'composite' || r.status === 'skip') continue;
    const live = r.children.filter((c) => rules[c]!.status !== 'skip' && rules[c]!.strength >= r.strength);
    const flagged = live.filter((c) => rules[c]!.rowFlag);
    if (flagged.length === 0) continue;
    let expr: string;
    if (r.op === 'AND') expr = flagged.map((c) => `f${c}`).join(' | ');
    else {
      // A child without row flags decided at dataset level: if it passes, the OR holds on every row.
      const staticPass = live.some((c) => !rules[c]!.rowFlag && rules[c]!.kind === 'static' && rules[c]!.status === 'pass');
      if (staticPass) continue;
      expr = flagged.map((c) => `f${c}`).join(' & ');
    }
    // A child with several parents may fail on rows outside this parent's condition.
    const cond = effCond.get(k) ?? null;
    const multi = flagged.some((c) => (facts.parents.get(rules[c]!.id)?.length ?? 0) > 1);
    if (cond !== null && multi) expr = `(${cond}) ? (${expr}) : 0`;
    for (const c of flagged) needFlag.add(c);
    r.rowFlag = true;
    composites.push({ k, expr });
  }
  const source = generateSource({
    ncols: info.cells.length,
    nrules: rules.length,
    nconst: constants.length,
    cols: [...usedCols].sort((a, b) => a - b),
    decCols,
    valCols,
    dtCols,
    leafCode,
    rowExt,
    distinctCode,
    composites,
    needFlag,
  });

  const fails = new Int32Array(rules.length);
  const samples: number[][] = rules.map(() => []);
  const sampleValues: string[][] = rules.map(() => []);
  // the column each rule is about, to show the failing value next to the row number ("row 7: 'abc'")
  const refCol = rules.map((r) => info.index.get(r.rule.Reference) ?? -1);
  let current: readonly string[] | null = null;
  const sample = (k: number, rowNo: number): void => {
    samples[k]!.push(rowNo);
    const c = refCol[k]!;
    if (c >= 0 && current !== null) sampleValues[k]!.push(ownString((current[c] ?? '').slice(0, 120)));
  };
  // One closure per distinct-count rule (called from the generated code as a constant).
  for (const d of distinctCode) {
    const st = distinct.get(d.k)!;
    constants[d.fn] = function distinctCount(a: string, na: boolean, b: string, nb: boolean, rowNo: number): void {
      if (na) return;
      const e = st.groups.get(a);
      if (e === undefined) {
        if (st.groups.size >= DISTINCT_GROUP_CAP) {
          st.capped = true;
          return;
        }
        st.groups.set(ownString(a), { b: nb ? null : ownString(b), conflict: false, rows: 1, first: rowNo, second: 0 });
        return;
      }
      e.rows++;
      if (nb) return;
      if (e.b === null) e.b = ownString(b);
      else if (!e.conflict && e.b !== b) {
        e.conflict = true;
        e.second = rowNo;
      }
    };
  }
  const H = {
    nullKind: V.nullKind,
    scanDecimal: V.scanDecimal,
    decimalFlags: V.decimalFlags,
    scanDateTime: V.scanDateTime,
    OUT: V.DEC_OUT,
    hasNoReplacementChar: V.hasNoReplacementChar,
    isUnitFormat: V.isUnitFormat,
    productWithin: V.productWithin,
    isBlankText: V.isBlankText,
    FC: fails,
    NS: maxSamples,
    sample,
  };
  // The generated code embeds only column indexes, rule indexes and JSON literals from the bundled model: no header
  // text or cell value ever becomes code. Factories are cached by source so that files with the same header share
  // the JIT's optimised code instead of compiling it again.
  let factory = factoryCache.get(source);
  if (!factory) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the bundled model, see above
    factory = new Function('H', 'CONST', source) as RowFactory;
    if (factoryCache.size >= 32) factoryCache.delete(factoryCache.keys().next().value!);
    factoryCache.set(source, factory);
  }
  const evaluate = factory(H, constants);
  const row = (values: readonly string[], rowNo: number): void => {
    current = values;
    evaluate(values, rowNo);
  };

  return { rules, order, fails, samples, sampleValues, distinct, row, source };
}

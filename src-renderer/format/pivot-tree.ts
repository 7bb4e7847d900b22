// The Overview pivot: nested rows from one engine answer per level (grouped by the first 1, 2, 3 levels), each level
// cut to its top N per parent with the rest as "(other)". Pure.
//
// Every node's amount is the engine's exact sum for its path. "(other)" is the parent less the children kept, summed
// in integer micro-units, so children always add up to their parent (also when the engine itself cut a level short).
import type { Filter, QueryOutput, QueryRow } from '../../src-shared/api/contract';
import { columnLabel, OTHER, valueLabel } from './labels';

/** One step of a node's path: a value of the level's column, or (for "(other)") every value but the kept ones. */
export type PathStep = { column: string; value: string | null } | { column: string; excluded: (string | null)[] };

export interface PivotNode {
  /** Unique in the tree: the path as text. */
  id: string;
  depth: number;
  column: string;
  /** The level's value; OTHER for the bucket of the values not kept. */
  value: string | null;
  path: PathStep[];
  amount: number;
  /** ListCost − EffectiveCost and its rate (÷ ListCost), when the savings columns are shown. */
  savings: number | null;
  savingsRate: number | null;
  shareOfTotal: number | null;
  shareOfParent: number | null;
  /** The currency the node's amounts are in (several only when the first level is BillingCurrency). */
  currency: string | null;
  /** How many values "(other)" stands for, when known (null: the engine cut the level short too). */
  otherCount: number | null;
  children: PivotNode[];
}

export interface PivotLevelData {
  /** Answer for the chosen metric, grouped by levels[0..depth]. */
  metric: QueryOutput;
  /** ListCost and EffectiveCost answers for the same grouping (savings), when shown. */
  list?: QueryOutput;
  effective?: QueryOutput;
}

export interface PivotTree {
  roots: PivotNode[];
  total: number;
  savings: number | null;
  savingsRate: number | null;
  /** Null when the first level splits several currencies: a grand total would add them up. */
  currency: string | null;
  multiCurrency: boolean;
  /** Deepest level whose answer is in (levels below it are still loading or not asked for). */
  loadedDepth: number;
}

const SEP = '\u0001';
const MICRO = 1_000_000;

function micros(v: number): bigint {
  return BigInt(Math.round(v * MICRO));
}

function fromMicros(m: bigint): number {
  return Number(m) / MICRO;
}

function keyOf(v: QueryRow[string] | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}

function pathKey(values: (string | null)[]): string {
  return values.map((v) => (v === null ? '\u0000' : v)).join(SEP);
}

interface LevelIndex {
  /** path key → value for one level's answer (rows the engine itself bucketed as "(other)" left out). */
  values: Map<string, number>;
  /** The engine kept only its top groups: some of the level's groups are missing. */
  cut: boolean;
}

function index(out: QueryOutput | undefined, levels: readonly string[]): LevelIndex {
  const values = new Map<string, number>();
  let cut = false;
  if (!out) return { values, cut };
  for (const r of out.rows) {
    const keys = levels.map((c) => keyOf(r[c]));
    if (keys.every((k) => k === OTHER)) {
      cut = true;
      continue;
    }
    const v = typeof r.value === 'number' ? r.value : Number(r.value ?? 0);
    const k = pathKey(keys);
    values.set(k, (values.get(k) ?? 0) + (Number.isFinite(v) ? v : 0));
  }
  return { values, cut };
}

/** The metric's groups of one level by their parent's path key. */
function byParent(metric: Map<string, number>, depth: number): Map<string, Array<{ value: string | null; amount: number }>> {
  const out = new Map<string, Array<{ value: string | null; amount: number }>>();
  for (const [k, amount] of metric) {
    const parts = k.split(SEP);
    const raw = parts[depth]!;
    const parent = parts.slice(0, depth).join(SEP);
    let list = out.get(parent);
    if (!list) out.set(parent, (list = []));
    list.push({ value: raw === '\u0000' ? null : raw, amount });
  }
  return out;
}

function rate(savings: number | null, list: number | null): number | null {
  if (savings === null || list === null || list === 0) return null;
  return savings / list;
}

/**
 * Build the tree. `data[d]` answers levels[0..d]; levels whose data is missing are not built (their parents show as
 * leaves until it arrives). `tops[d]` is how many children a parent keeps at depth d.
 */
export function buildPivotTree(levels: readonly string[], data: ReadonlyArray<PivotLevelData | undefined>, tops: readonly number[], withSavings: boolean): PivotTree {
  const first = data[0];
  const multiCurrency = levels[0] === 'BillingCurrency' && (first?.metric.rows.length ?? 0) > 1 && first?.metric.currency === null;
  const currency = multiCurrency ? null : (first?.metric.currency ?? null);
  const total = first?.metric.total ?? 0;
  const totalList = first?.list?.total ?? null;
  const totalEffective = first?.effective?.total ?? null;
  const totalSavings = withSavings && totalList !== null && totalEffective !== null ? fromMicros(micros(totalList) - micros(totalEffective)) : null;
  let loadedDepth = -1;
  const indexes: Array<{ children: ReturnType<typeof byParent>; cut: boolean; list: Map<string, number>; effective: Map<string, number> } | null> = [];
  for (let d = 0; d < levels.length; d++) {
    const ld = data[d];
    if (!ld || loadedDepth !== d - 1) {
      indexes.push(null);
      continue;
    }
    const cols = levels.slice(0, d + 1);
    const metric = index(ld.metric, cols);
    indexes.push({ children: byParent(metric.values, d), cut: metric.cut, list: index(ld.list, cols).values, effective: index(ld.effective, cols).values });
    loadedDepth = d;
  }

  interface Parent {
    values: (string | null)[];
    path: PathStep[];
    amount: number;
    list: number | null;
    effective: number | null;
    currency: string | null;
    /** The currency root's amount, for share of total when currencies are split. */
    rootAmount: number;
  }

  const build = (depth: number, parent: Parent): PivotNode[] => {
    const idx = indexes[depth];
    if (!idx) return [];
    const parentKey = pathKey(parent.values);
    const found = [...(idx.children.get(parentKey) ?? [])];
    found.sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount) || String(a.value).localeCompare(String(b.value)));
    const top = tops[depth] ?? 20;
    const kept = found.slice(0, top);
    const nodes: PivotNode[] = [];
    let keptAmount = 0n;
    let keptList = 0n;
    let keptEffective = 0n;
    for (const f of kept) {
      const values = [...parent.values, f.value];
      const k = pathKey(values);
      const list = withSavings ? (idx.list.get(k) ?? 0) : null;
      const effective = withSavings ? (idx.effective.get(k) ?? 0) : null;
      keptAmount += micros(f.amount);
      if (list !== null) keptList += micros(list);
      if (effective !== null) keptEffective += micros(effective);
      const nodeCurrency = depth === 0 && multiCurrency ? f.value : parent.currency;
      const rootAmount = depth === 0 && multiCurrency ? f.amount : parent.rootAmount;
      const path: PathStep[] = [...parent.path, { column: levels[depth]!, value: f.value }];
      const node = makeNode(k, depth, levels[depth]!, f.value, path, f.amount, list, effective, parent, nodeCurrency, rootAmount, null);
      node.children = build(depth + 1, { values, path, amount: f.amount, list, effective, currency: nodeCurrency, rootAmount });
      nodes.push(node);
    }
    // the rest of the parent: what the values not kept (or cut short by the engine) add up to
    const restAmount = micros(parent.amount) - keptAmount;
    const restList = parent.list !== null ? micros(parent.list) - keptList : null;
    const restEffective = parent.effective !== null ? micros(parent.effective) - keptEffective : null;
    // a cut level's missing groups show as the rest (beyond rounding of the numbers the engine sent)
    const cutByEngine = idx.cut && found.length <= top && (restAmount > 1000n || restAmount < -1000n);
    if (found.length > top || cutByEngine) {
      const excluded = kept.map((f) => f.value);
      const path: PathStep[] = [...parent.path, { column: levels[depth]!, excluded }];
      const id = `${parentKey}${SEP}${OTHER}${SEP}other`;
      nodes.push(
        makeNode(
          id,
          depth,
          levels[depth]!,
          OTHER,
          path,
          fromMicros(restAmount),
          restList === null ? null : fromMicros(restList),
          restEffective === null ? null : fromMicros(restEffective),
          parent,
          parent.currency,
          parent.rootAmount,
          cutByEngine ? null : found.length - kept.length,
        ),
      );
    }
    return nodes;
  };

  const makeNode = (
    id: string,
    depth: number,
    column: string,
    value: string | null,
    path: PathStep[],
    amount: number,
    list: number | null,
    effective: number | null,
    parent: Parent,
    nodeCurrency: string | null,
    rootAmount: number,
    otherCount: number | null,
  ): PivotNode => {
    const savings = list !== null && effective !== null ? fromMicros(micros(list) - micros(effective)) : null;
    const shareOfTotal = multiCurrency ? (depth === 0 ? null : share(amount, rootAmount)) : share(amount, total);
    return {
      id,
      depth,
      column,
      value,
      path,
      amount,
      savings,
      savingsRate: rate(savings, list),
      shareOfTotal,
      shareOfParent: depth === 0 ? shareOfTotal : share(amount, parent.amount),
      currency: nodeCurrency,
      otherCount,
      children: [],
    };
  };

  const roots = first
    ? build(0, { values: [], path: [], amount: total, list: withSavings ? totalList : null, effective: withSavings ? totalEffective : null, currency, rootAmount: total })
    : [];
  return {
    roots,
    total,
    savings: multiCurrency ? null : totalSavings,
    savingsRate: multiCurrency ? null : rate(totalSavings, totalList),
    currency,
    multiCurrency,
    loadedDepth,
  };
}

function share(part: number, whole: number): number | null {
  return whole ? part / whole : null;
}

/** The nodes on screen, in order: roots and the children of expanded nodes. */
export function visibleNodes(roots: readonly PivotNode[], expanded: ReadonlySet<string>): PivotNode[] {
  const out: PivotNode[] = [];
  const walk = (nodes: readonly PivotNode[]) => {
    for (const n of nodes) {
      out.push(n);
      if (expanded.has(n.id) && n.children.length > 0) walk(n.children);
    }
  };
  walk(roots);
  return out;
}

/** The filters selecting exactly a path's rows: one per step, added to (never merged into) the scope's own. */
export function pathFilters(path: readonly PathStep[]): Filter[] {
  const out: Filter[] = [];
  for (const s of path) {
    if ('value' in s) out.push({ column: s.column, values: [s.value] });
    else if (s.excluded.length > 0) out.push({ column: s.column, values: [...s.excluded], exclude: true });
  }
  return out;
}

export function nodeLabel(n: PivotNode): string {
  if (n.value === OTHER) return n.otherCount ? `All others (${n.otherCount.toLocaleString()})` : 'All others';
  return valueLabel(n.value);
}

/** "Service Name: EC2 › Region: (not set)" */
export function pathLabel(n: PivotNode, labels: ReadonlyMap<string, string>, parents: readonly PivotNode[]): string {
  return [...parents, n].map((p) => `${columnLabel(p.column, labels)}: ${nodeLabel(p)}`).join(' › ');
}

// explore.dataQuality: how complete the spend in a scope is. Untagged spend per tag key, spend without a sub account,
// null rates of columns that should be filled, and conformance failures per provider.
//
// With a date range (and at most a BillingCurrency filter) everything comes from small structures, so the answer
// does not grow with the rows: the daily rollup (untagged = total − tagged for the key; no sub account = SubAccountId
// value 0), the null counts each import kept per file and billing period, and the conformance report stored with each
// file. Filters on the other columns cube_month is keyed by (the main dimensions, the sub account, tags) are answered
// from its cells for whole months and from the rows only for the days of months the range cuts; null counts under
// such a filter follow from the import-time counts wherever a column is null on none or on all of its rows in the
// periods concerned, and are read from the rows otherwise. Any other filter reads the rows in scope (exact, a scan).
import type { DataQuality, Metric, ParsedInput } from '../../src-shared/api/contract';
import { nanosToNumber } from '../ingest/decimal';
import { dayFromIso } from '../ingest/datetime';
import { ROLLUP_DIMENSIONS } from '../store/cost-columns';
import { APPLIES_TO_LABEL, NULL_COUNTED, type NullCounts } from '../store/null-counts';
import type { Db } from '../store/workspace';
import {
  addSums as add,
  cubeMonthCounts,
  emptyCounts,
  mergeCounts,
  monthCubeFits,
  rowCounts,
  splitWholeMonths,
  type Counts,
  type DayRange,
  type Sums,
} from './data-quality-counts';
import { addDateRange, DictLookup, resolveColumn, whereSql, type SqlParts } from './scope';

type Input = ParsedInput<'explore.dataQuality'>;

const ROLLUP_MEASURE: Record<Metric, string> = { BilledCost: 'billed', EffectiveCost: 'effective', ListCost: 'list', ContractedCost: 'contracted' };
const SUB_ACCOUNT_DIM = ROLLUP_DIMENSIONS.indexOf('SubAccountId') + 1;

interface Gathered {
  totals: Map<number, Sums>;
  /** tag key id → currency id → tagged sums */
  tagged: Map<number, Map<number, Sums>>;
  noSub: Map<number, Sums>;
  nulls: DataQuality['nullRates'];
  /** what answered the spend figures */
  source: DataQuality['source'];
}

/** `plan: 'rows'` reads every figure from the rows in scope, whatever could answer it (tests compare the plans). */
export function dataQuality(db: Db, input: Input, opts: { plan?: 'auto' | 'rows' } = {}): DataQuality {
  const dict = new DictLookup(db);
  const onlyCurrency = input.filters.every((f) => {
    const ref = resolveColumn(f.column);
    return ref.kind === 'column' && ref.name === 'BillingCurrency';
  });
  const g =
    opts.plan === 'rows'
      ? gathered(rowCounts(db, dict, dayBounds(input), input.filters, input.metric, { main: true, tags: true }), 'rows')
      : onlyCurrency
        ? fromRollups(db, input, dict)
        : planned(db, input, dict);

  const keyIds = db.prepare('SELECT DISTINCT key FROM tag').pluck().all() as number[];
  const names = dict.values([...g.totals.keys(), ...keyIds]);
  const currency = (id: number) => (id === 0 ? null : (names.get(id) ?? null));
  const amounts = (id: number, part: Sums | undefined) => {
    const t = g.totals.get(id)!;
    return { currency: currency(id), amount: nanosToNumber(part?.nanos ?? 0n), total: nanosToNumber(t.nanos), rows: part?.rows ?? 0, totalRows: t.rows };
  };
  const currencies = [...g.totals.keys()].sort((a, b) => (currency(a) ?? '').localeCompare(currency(b) ?? ''));

  const untagged: DataQuality['untagged'] = [];
  for (const key of keyIds) {
    const perCurrency = g.tagged.get(key);
    for (const c of currencies) {
      const t = g.totals.get(c)!;
      const tagged = perCurrency?.get(c) ?? { nanos: 0n, rows: 0 };
      untagged.push({ key: names.get(key) ?? String(key), ...amounts(c, { nanos: t.nanos - tagged.nanos, rows: t.rows - tagged.rows }) });
    }
  }
  // per currency, the keys leaving most spend unattributed first (a share of spend can pass 100 % when credits sit
  // on tagged rows, so amounts rank, not shares)
  const order = new Map(currencies.map((c, i) => [currency(c), i]));
  untagged.sort((a, b) => order.get(a.currency)! - order.get(b.currency)! || b.amount - a.amount || a.key.localeCompare(b.key));

  return {
    metric: input.metric,
    source: g.source,
    totals: currencies.map((c) => ({ currency: currency(c), total: nanosToNumber(g.totals.get(c)!.nanos), totalRows: g.totals.get(c)!.rows })),
    untagged,
    noSubAccount: currencies.map((c) => amounts(c, g.noSub.get(c))),
    nullRates: g.nulls,
    conformance: conformanceByProvider(db, input),
  };
}

/** Day bounds of the scope (inclusive), open ends as ±infinity. */
function dayBounds(input: Input): DayRange {
  return { from: input.from ? dayFromIso(input.from) : -Infinity, to: input.to ? dayFromIso(input.to) : Infinity };
}

/** The currency ids a BillingCurrency filter keeps (null = every currency). */
function currencyFilter(input: Input, dict: DictLookup): ((id: number) => boolean) | null {
  if (input.filters.length === 0) return null;
  return (id) =>
    input.filters.every((f) => {
      const ids = new Set(f.values.map((v) => (v === null ? 0 : (dict.id(v) ?? -1))));
      return ids.has(id) !== Boolean(f.exclude);
    });
}

function fromRollups(db: Db, input: Input, dict: DictLookup): Gathered {
  const m = ROLLUP_MEASURE[input.metric];
  const range: SqlParts = { joins: [], where: [], params: [] };
  addDateRange(range, 'r', input.from, input.to);
  const where = (cond: string) => whereSql({ ...range, where: [cond, ...range.where] });
  const keep = currencyFilter(input, dict);
  const rowsOf = (sql: string) =>
    (db.prepare(sql).raw().safeIntegers(true).all(...range.params) as bigint[][]).filter((r) => !keep || keep(Number(r[r.length - 3])));

  const totals = new Map<number, Sums>();
  for (const [c, s, n] of rowsOf(`SELECT r.currency, sum(r.${m}), sum(r.rows) FROM rollup_dim r ${where('r.dim = 0')} GROUP BY 1`)) {
    add(totals, Number(c), s!, Number(n));
  }
  const tagged = new Map<number, Map<number, Sums>>();
  for (const [k, c, s, n] of rowsOf(`SELECT -r.dim, r.currency, sum(r.${m}), sum(r.rows) FROM rollup_dim r ${where('r.dim < 0')} GROUP BY r.dim, r.currency`)) {
    const key = Number(k);
    if (!tagged.has(key)) tagged.set(key, new Map());
    add(tagged.get(key)!, Number(c), s!, Number(n));
  }
  const noSub = new Map<number, Sums>();
  for (const [c, s, n] of rowsOf(`SELECT r.currency, sum(r.${m}), sum(r.rows) FROM rollup_dim r ${where(`r.dim = ${SUB_ACCOUNT_DIM} AND r.value = 0`)} GROUP BY 1`)) {
    add(noSub, Number(c), s!, Number(n));
  }
  return { totals, tagged, noSub, nulls: nullsFromImports(db, input).rates, source: 'rollup_dim' };
}

/**
 * Null counts kept at import, summed over the billing periods (per file) that overlap the date range. Exact for the
 * scope when those periods lie inside the range and no filter narrows it; otherwise they describe whole periods.
 * `verdicts`: per column, whether it is null on none or on all of the rows it applies to in those periods — then also
 * on any subset of them, such as the filtered rows in the range (null: partly null, or not counted everywhere).
 */
function nullsFromImports(db: Db, input: Input): { rates: DataQuality['nullRates']; verdicts: ('none' | 'all' | null)[] } {
  const { from, to } = dayBounds(input);
  const periods = db
    .prepare(
      `SELECT fp.rows, fp.min_day AS lo, fp.max_day AS hi, fp.null_counts AS counts FROM file_period fp JOIN import_file f ON f.id = fp.file_id
       WHERE f.active = 1 AND fp.max_day >= ? AND fp.min_day <= ?`,
    )
    .all(Number.isFinite(from) ? from : -1e9, Number.isFinite(to) ? to : 1e9) as { rows: number; lo: number; hi: number; counts: string | null }[];
  const applicable = new Array<number>(NULL_COUNTED.length).fill(0);
  const nulls = new Array<number>(NULL_COUNTED.length).fill(0);
  let rows = 0;
  let uncountedRows = 0;
  let exact = input.filters.length === 0;
  const counted = new Array<boolean>(NULL_COUNTED.length).fill(true);
  for (const p of periods) {
    if (p.lo < from || p.hi > to) exact = false;
    if (p.counts === null) {
      uncountedRows += p.rows;
      continue;
    }
    rows += p.rows;
    const counts = JSON.parse(p.counts) as NullCounts;
    NULL_COUNTED.forEach((c, j) => {
      // counts from before a column was counted lack it
      if (!counts[c.column]) counted[j] = false;
      const [a, n] = counts[c.column] ?? [0, 0];
      applicable[j]! += a;
      nulls[j]! += n;
    });
  }
  return {
    rates: {
      basis: 'billing-periods',
      exact,
      rows,
      uncountedRows,
      columns: NULL_COUNTED.map((c, j) => ({ column: c.column, appliesTo: APPLIES_TO_LABEL[c.appliesTo], applicable: applicable[j]!, nulls: nulls[j]! })),
    },
    verdicts: NULL_COUNTED.map((_, j) =>
      uncountedRows > 0 || !counted[j] ? null : nulls[j] === 0 ? 'none' : nulls[j] === applicable[j] ? 'all' : null,
    ),
  };
}

/**
 * Filters other than the currency. On cube_month's columns: whole months from its cells, the days of months the range
 * cuts from the rows; null counts from the import-time verdicts (and the rows each column applies to in scope) when
 * every column has one, else one grouped pass over the rows in scope. Other filters: every figure from the rows.
 */
function planned(db: Db, input: Input, dict: DictLookup): Gathered {
  const range = dayBounds(input);
  const scan = (r: DayRange, want: { main: boolean; tags: boolean }) => rowCounts(db, dict, r, input.filters, input.metric, want);
  if (!monthCubeFits(input.filters)) return gathered(scan(range, { main: true, tags: true }), 'rows');
  const split = splitWholeMonths(db, range);
  if (!split) return gathered(emptyCounts(), 'cube_month');
  const cube = split.months ? cubeMonthCounts(db, dict, split.months, input.filters, input.metric) : null;
  if (!cube) return gathered(scan(range, { main: true, tags: true }), 'rows');
  const { verdicts } = nullsFromImports(db, input);
  if (verdicts.every((v) => v !== null)) {
    const c = split.partial.reduce((acc, p) => mergeCounts(acc, scan(p, { main: true, tags: true })), cube);
    c.nulls = c.applicable.map((a, j) => (verdicts[j] === 'all' ? a : 0));
    return gathered(c, split.partial.length > 0 ? 'cube_month+rows' : 'cube_month', 'import-counts');
  }
  // some column is partly null: its count in scope needs the rows, and that pass gives the totals too; spend per tag
  // key stays with the cube (joining every row to its tags is the costliest part of a scan)
  const rows = scan(range, { main: true, tags: false });
  const tags: Counts = { ...emptyCounts(), tagged: cube.tagged };
  for (const p of split.partial) mergeCounts(tags, scan(p, { main: false, tags: true }));
  rows.tagged = tags.tagged;
  return gathered(rows, 'cube_month+rows');
}

/** Counts with every null count known, as the figures' shape. */
function gathered(c: Counts, source: DataQuality['source'], basis: 'rows' | 'import-counts' = 'rows'): Gathered {
  const nulls = c.nulls;
  if (!nulls) throw new Error('data quality: null counts missing from the plan');
  return {
    totals: c.totals,
    tagged: c.tagged,
    noSub: c.noSub,
    source,
    nulls: {
      basis,
      exact: true,
      rows: [...c.totals.values()].reduce((n, s) => n + s.rows, 0),
      uncountedRows: 0,
      columns: NULL_COUNTED.map((col, j) => ({ column: col.column, appliesTo: APPLIES_TO_LABEL[col.appliesTo], applicable: c.applicable[j]!, nulls: nulls[j]! })),
    },
  };
}

/**
 * Failing rules of the conformance reports stored with the active files that hold rows in the date range (supporting
 * datasets, which have no charge days, always count), grouped by the provider each report names. Per whole file.
 */
function conformanceByProvider(db: Db, input: Input): DataQuality['conformance'] {
  const { from, to } = dayBounds(input);
  const files = db
    .prepare(
      `SELECT f.id, f.rows, f.fail,
         coalesce(json_extract(f.conformance, '$.applicability.provider'), json_extract(f.conformance, '$.format.label'), '(unknown provider)') AS provider
       FROM import_file f
       WHERE f.active = 1 AND f.action NOT IN ('superseded-snapshot', 'importing')
         AND (f.dataset <> 'CostAndUsage' OR EXISTS (SELECT 1 FROM file_period fp WHERE fp.file_id = f.id AND fp.max_day >= ? AND fp.min_day <= ?))
       ORDER BY f.id`,
    )
    .all(Number.isFinite(from) ? from : -1e9, Number.isFinite(to) ? to : 1e9) as { id: number; rows: number; fail: number; provider: string }[];
  const failing = db.prepare(
    `SELECT json_extract(j.value, '$.id') AS id, json_extract(j.value, '$.description') AS description, json_extract(j.value, '$.failingRows') AS failingRows
     FROM import_file f, json_each(f.conformance, '$.rules') j
     WHERE f.id = ? AND json_extract(j.value, '$.status') = 'fail'`,
  );
  type Rule = DataQuality['conformance']['providers'][number]['rules'][number];
  const providers = new Map<string, { files: number; failingFiles: number; rows: number; rules: Map<string, Rule> }>();
  for (const f of files) {
    let p = providers.get(f.provider);
    if (!p) providers.set(f.provider, (p = { files: 0, failingFiles: 0, rows: 0, rules: new Map() }));
    p.files++;
    p.rows += f.rows;
    if (f.fail === 0) continue;
    p.failingFiles++;
    for (const r of failing.all(f.id) as { id: string; description: string | null; failingRows: number | null }[]) {
      const rule = p.rules.get(r.id);
      if (rule) {
        rule.files++;
        rule.failingRows += r.failingRows ?? 0;
      } else p.rules.set(r.id, { id: r.id, description: r.description ?? '', files: 1, failingRows: r.failingRows ?? 0, fileId: f.id });
    }
  }
  return {
    files: files.length,
    providers: [...providers.entries()]
      .map(([provider, p]) => ({
        provider,
        files: p.files,
        failingFiles: p.failingFiles,
        rows: p.rows,
        rules: [...p.rules.values()].sort((a, b) => b.failingRows - a.failingRows || b.files - a.files || a.id.localeCompare(b.id)),
      }))
      .sort((a, b) => b.rules.length - a.rules.length || a.provider.localeCompare(b.provider)),
  };
}

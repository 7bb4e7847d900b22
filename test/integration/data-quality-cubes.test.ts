// explore.dataQuality planned onto cube_month: for filters on the cube's columns and tags, over whole months, months
// cut by the range, and ranges past the data, the planned answer equals the answer read from the rows and the figures
// summed from the files' own records (big.js). Two FOCUS files written here and imported for real: a USD one over
// three months with no partly-null column (so null counts follow from the import-time counts), and a EUR one in
// March with partly-null columns (so null counts under a filter must be read from the rows).
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src-main/engine/engine';
import { dataQuality } from '../../src-main/explore/data-quality';
import { runImport } from '../../src-main/ingest/import-runner';
import { CUBE_MONTH } from '../../src-main/store/cubes';
import { NULL_COUNTED } from '../../src-main/store/null-counts';
import { openWorkspace, type Db } from '../../src-main/store/workspace';
import type { DataQuality, Filter, Metric } from '../../src-shared/api/contract';
import { decimalSum, expectMoneyMatches } from '../helpers/independent-csv';
import { tempDir } from '../helpers/temp';

type Rec = Record<string, string>;

const COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ConsumedQuantity',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingCategory',
  'PricingQuantity',
  'RegionId',
  'ResourceId',
  'ServiceName',
  'ServiceProviderName',
  'SkuId',
  'SubAccountId',
  'Tags',
  'x_Team',
];
// neither file has CommitmentDiscountId: null on every row priced Committed, in every period

const MONTHS: [string, number][] = [
  ['2025-01', 31],
  ['2025-02', 28],
  ['2025-03', 31],
];
const TAG_SETS = ['{"team":"core","env":"prod"}', '{"team":"data"}', '', '{"env":"dev"}', '{"team":"core"}', ''];
const CATEGORIES = ['Usage', 'Usage', 'Usage', 'Usage', 'Purchase', 'Tax', 'Credit'];
const SERVICES = ['Compute', 'Storage', 'Database'];
const REGIONS = ['eu-west-1', 'us-east-1', ''];

function period(month: string): Rec {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { BillingPeriodStart: `${month}-01T00:00:00Z`, BillingPeriodEnd: `${next}-01T00:00:00Z` };
}

/**
 * n rows a month for the days firstDay..lastDay of each month given; `dirty`: some ChargeDescription and SkuId empty.
 * Credits are negative and sit on tagged rows too, so untagged spend can pass the total.
 */
function rows(provider: string, currency: string, months: [string, number][], n: number, seed: number, days: (month: string, len: number) => [number, number], dirty: boolean): Rec[] {
  const out: Rec[] = [];
  for (const [month, len] of months) {
    const [lo, hi] = days(month, len);
    for (let i = 0; i < n; i++) {
      const k = i + seed;
      const day = String(lo + (k % (hi - lo + 1))).padStart(2, '0');
      const category = CATEGORIES[k % CATEGORIES.length]!;
      const usage = category === 'Usage';
      const committed = usage && k % 3 === 0;
      const amount = new Big(`${(k * 7) % 97}.${String((k * 131) % 1000).padStart(3, '0')}`);
      const billed = category === 'Credit' ? amount.times(-2).toFixed() : amount.toFixed();
      out.push({
        ...period(month),
        BilledCost: billed,
        EffectiveCost: new Big(billed).times('0.9').toFixed(),
        ListCost: new Big(billed).times('1.25').toFixed(),
        ContractedCost: billed,
        BillingAccountId: `${provider}-billing`,
        BillingCurrency: currency,
        ChargeCategory: category,
        ChargeDescription: dirty && k % 6 === 0 ? '' : `charge ${k}`,
        ChargePeriodStart: `${month}-${day}T00:00:00Z`,
        ChargePeriodEnd: `${month}-${day}T01:00:00Z`,
        ConsumedQuantity: usage ? String(1 + (k % 9)) : '',
        InvoiceIssuerName: provider,
        PricingCategory: committed ? 'Committed' : 'Standard',
        PricingQuantity: usage || category === 'Purchase' ? String(1 + (k % 5)) : '',
        RegionId: REGIONS[k % REGIONS.length]!,
        ResourceId: usage ? `res-${k % 17}` : '',
        ServiceName: SERVICES[k % SERVICES.length]!,
        ServiceProviderName: provider,
        SkuId: (usage || category === 'Purchase') && !(dirty && k % 7 === 0) ? `sku-${k % 4}` : '',
        SubAccountId: k % 5 === 1 ? '' : `sub-${k % 4}`,
        Tags: TAG_SETS[k % TAG_SETS.length]!,
        x_Team: k % 2 === 0 ? 'alpha' : 'beta',
      });
    }
  }
  return out;
}

// USD from Jan 3 to Mar 29: a range starting before Jan 3 or ending after Mar 29 covers those months as far as there
// is data
const aura = rows('Aura Web', 'USD', MONTHS, 140, 0, (m, len) => (m === '2025-01' ? [3, len] : m === '2025-03' ? [1, 29] : [1, len]), false);
const nimbus = rows('Nimbus', 'EUR', [MONTHS[2]!], 90, 5000, (_, len) => [1, len], true);
const ALL = [...aura, ...nimbus];

let dir: string;
let ws: string;
let db: Db;

function writeCsv(name: string, recs: Rec[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const file = path.join(dir, name);
  fs.writeFileSync(file, [COLUMNS.join(','), ...recs.map((r) => COLUMNS.map((c) => cell(r[c] ?? '')).join(','))].join('\n') + '\n');
  return file;
}

async function importFile(file: string): Promise<void> {
  const outcome = await runImport({ workspacePath: ws, files: [{ path: file, name: path.basename(file) }], mode: 'ask' });
  if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
}

beforeAll(async () => {
  dir = tempDir();
  ws = path.join(dir, 'cubes.meterbook');
  await importFile(writeCsv('aura.csv', aura));
  await importFile(writeCsv('nimbus-2025-03.csv', nimbus));
  db = openWorkspace(ws);
}, 60_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// ---------- the figures from the records ----------

const tagsOf = (r: Rec): Record<string, string> => (r.Tags ? (JSON.parse(r.Tags) as Record<string, string>) : {});

function valueOf(r: Rec, column: string): string | null {
  const v = column.startsWith('Tags.') ? tagsOf(r)[column.slice(5)] : r[column];
  return v === undefined || v === '' ? null : v;
}

function inScope(r: Rec, s: Scope): boolean {
  const day = r.ChargePeriodStart!.slice(0, 10);
  if (s.from && day < s.from) return false;
  if (s.to && day > s.to) return false;
  return s.filters.every((f) => f.values.includes(valueOf(r, f.column)) !== Boolean(f.exclude));
}

function applies(r: Rec, appliesTo: string): boolean {
  if (appliesTo === 'usage') return r.ChargeCategory === 'Usage';
  if (appliesTo === 'usage-purchase') return r.ChargeCategory === 'Usage' || r.ChargeCategory === 'Purchase';
  if (appliesTo === 'committed') return r.PricingCategory === 'Committed';
  return true;
}

function expectFromRecords(q: DataQuality, s: Scope): void {
  const recs = ALL.filter((r) => inScope(r, s));
  const metric = s.metric ?? 'BilledCost';
  const currencies = [...new Set(recs.map((r) => r.BillingCurrency!))].sort();
  expect(q.totals.map((t) => t.currency)).toEqual(currencies);
  for (const cur of currencies) {
    const inCur = recs.filter((r) => r.BillingCurrency === cur);
    const total = q.totals.find((t) => t.currency === cur)!;
    expect(total.totalRows).toBe(inCur.length);
    expectMoneyMatches(total.total, decimalSum(inCur, metric), inCur.length);
    const noSub = inCur.filter((r) => !r.SubAccountId);
    const ns = q.noSubAccount.find((t) => t.currency === cur)!;
    expect(ns.rows).toBe(noSub.length);
    expectMoneyMatches(ns.amount, decimalSum(noSub, metric), noSub.length);
    for (const key of ['team', 'env']) {
      const untagged = inCur.filter((r) => !(key in tagsOf(r)));
      const u = q.untagged.find((x) => x.key === key && x.currency === cur)!;
      expect(u.rows, `${key} ${cur}`).toBe(untagged.length);
      expectMoneyMatches(u.amount, decimalSum(untagged, metric), untagged.length);
    }
  }
  for (const c of NULL_COUNTED) {
    const applicable = recs.filter((r) => applies(r, c.appliesTo));
    const nulls = applicable.filter((r) => valueOf(r, c.column) === null);
    const got = q.nullRates.columns.find((x) => x.column === c.column)!;
    expect({ column: c.column, applicable: got.applicable, nulls: got.nulls }).toEqual({ column: c.column, applicable: applicable.length, nulls: nulls.length });
  }
  expect(q.nullRates.rows).toBe(recs.length);
  expect(q.nullRates.exact).toBe(true);
}

// ---------- the cases ----------

interface Scope {
  from?: string;
  to?: string;
  filters: Filter[];
  metric?: Metric;
}

const f = (column: string, values: (string | null)[], exclude = false): Filter => ({ column, values, ...(exclude ? { exclude } : {}) });

const FILTERS: [string, Filter[]][] = [
  ['service', [f('ServiceName', ['Compute'])]],
  ['sub account', [f('SubAccountId', ['sub-2'])]],
  ['no sub account', [f('SubAccountId', [null])]],
  ['tag value', [f('Tags.team', ['core'])]],
  ['tag absent', [f('Tags.env', [null])]],
  ['region, excluded with null', [f('RegionId', ['eu-west-1', null], true)]],
  ['service and tag', [f('ServiceName', ['Storage', 'Database']), f('Tags.team', ['core', 'data'])]],
  ['currency and sub account', [f('BillingCurrency', ['USD']), f('SubAccountId', ['sub-0', 'sub-3'])]],
];

// the USD file's periods (Jan, Feb) have no partly-null column; March's EUR file has
const RANGES: { label: string; from?: string; to?: string; cube: boolean; cut: boolean; decided: boolean }[] = [
  { label: 'all time', cube: true, cut: false, decided: false },
  { label: 'January', from: '2025-01-01', to: '2025-01-31', cube: true, cut: false, decided: true },
  { label: 'Jan–Feb, from before the first charge day', from: '2024-12-15', to: '2025-02-28', cube: true, cut: false, decided: true },
  { label: 'Feb–Mar, to after the last charge day', from: '2025-02-01', to: '2025-04-10', cube: true, cut: false, decided: false },
  { label: 'Jan 10 – Feb 28', from: '2025-01-10', to: '2025-02-28', cube: true, cut: true, decided: true },
  { label: 'Jan 20 – Mar 5', from: '2025-01-20', to: '2025-03-05', cube: true, cut: true, decided: false },
  { label: 'Feb 1 – Mar 15', from: '2025-02-01', to: '2025-03-15', cube: true, cut: true, decided: false },
  { label: 'Feb 5 – Feb 20', from: '2025-02-05', to: '2025-02-20', cube: false, cut: true, decided: true },
  { label: 'Mar 10 – Mar 20', from: '2025-03-10', to: '2025-03-20', cube: false, cut: true, decided: false },
];

function scope(r: (typeof RANGES)[number], filters: Filter[], metric?: Metric): Scope {
  return { ...(r.from ? { from: r.from } : {}), ...(r.to ? { to: r.to } : {}), filters, ...(metric ? { metric } : {}) };
}

const ask = (s: Scope, plan?: 'rows') => dataQuality(db, { metric: 'BilledCost', ...s }, plan ? { plan } : {});

/** The planned answer, less what says how it was found, must be the raw one. */
function withoutSource(q: DataQuality) {
  return { ...q, source: null, nullRates: { ...q.nullRates, basis: null } };
}

describe('explore.dataQuality from cube_month', () => {
  for (const r of RANGES) {
    it(`${r.label}: every filter answers as the rows and the records do`, () => {
      for (const [label, filters] of FILTERS) {
        const s = scope(r, filters);
        const planned = ask(s);
        const raw = ask(s, 'rows');
        expect(raw.source).toBe('rows');
        expect(withoutSource(planned), label).toEqual(withoutSource(raw));
        expectFromRecords(planned, s);
        // whole months come from the cube alone when null counts follow from the import; rows answer the rest
        const expected = !r.cube ? 'rows' : r.cut || !r.decided ? 'cube_month+rows' : 'cube_month';
        expect(planned.source, label).toBe(expected);
        expect(planned.nullRates.basis, label).toBe(r.decided && r.cube ? 'import-counts' : 'rows');
      }
    });
  }

  it('another cost basis and a column outside the cube', () => {
    const s = scope(RANGES[4]!, [f('ServiceName', ['Compute'])], 'EffectiveCost');
    const q = ask(s);
    expect(withoutSource(q)).toEqual(withoutSource(ask(s, 'rows')));
    expectFromRecords(q, s);
    // an x_ column is not in any cube: the rows answer
    const x = scope(RANGES[1]!, [f('x_Team', ['alpha'])]);
    expect(ask(x).source).toBe('rows');
    expectFromRecords(ask(x), x);
  });

  it('a range without data answers empty', () => {
    const q = ask({ from: '2024-06-01', to: '2024-06-30', filters: [f('ServiceName', ['Compute'])] });
    expect(q.totals).toEqual([]);
    expect(q.nullRates.rows).toBe(0);
  });

  it('through the engine (query worker) the answer is the same', async () => {
    const engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
    try {
      const s = scope(RANGES[4]!, [f('Tags.team', ['core'])]);
      expect(await engine.invoke('explore.dataQuality', s)).toEqual(ask(s));
    } finally {
      await engine.close();
    }
  });

  it('whole months are read from cube_month and cut months from the rows (a changed cell shows where)', () => {
    const compute = db.prepare('SELECT id FROM dict WHERE value = ?').pluck().get('Compute') as number;
    const febStart = Date.UTC(2025, 1, 1) / 86_400_000;
    const filters = [f('ServiceName', ['Compute'])];
    const feb = { from: '2025-02-01', to: '2025-02-28', filters };
    const janToFeb = { from: '2025-01-10', to: '2025-02-28', filters };
    const febDays = { from: '2025-02-05', to: '2025-02-20', filters };
    const before = [feb, janToFeb, febDays].map((s) => ask(s));
    db.exec('BEGIN');
    try {
      // one more unit and one more row on one February Compute cell of the cube only
      // (cube_month has no rowid: the cell is named by its whole key)
      const key = ['day', ...CUBE_MONTH.dims.map((d) => `"${d}"`)];
      const cell = db.prepare(`SELECT ${key.join(', ')} FROM cube_month WHERE day = ? AND "ServiceName" = ? LIMIT 1`).raw().get(febStart, compute) as number[];
      const changed = db
        .prepare(`UPDATE cube_month SET billed = billed + 1000000000, rows = rows + 1 WHERE ${key.map((k) => `${k} = ?`).join(' AND ')}`)
        .run(...cell).changes;
      expect(changed).toBe(1);
      const [q1, q2, q3] = [feb, janToFeb, febDays].map((s) => ask(s));
      const usd = (q: DataQuality) => q.totals.find((t) => t.currency === 'USD')!;
      // whole February: the cube's cell, so one unit and one row more (null counts' rows follow the cube too)
      expect(usd(q1!).total).toBeCloseTo(usd(before[0]!).total + 1, 6);
      expect(usd(q1!).totalRows).toBe(usd(before[0]!).totalRows + 1);
      expect(q1!.nullRates.rows).toBe(before[0]!.nullRates.rows + 1);
      // January 10–31 from the rows, February from the cube
      expect(usd(q2!).total).toBeCloseTo(usd(before[1]!).total + 1, 6);
      // days inside February: the rows only, untouched
      expect(q3).toEqual(before[2]);
    } finally {
      db.exec('ROLLBACK');
    }
    expect(ask(feb)).toEqual(before[0]);
  });
});

// explore.dataQuality on real imports: FOCUS files written here (two providers, two currencies, tagged and untagged
// rows, rows without a sub account, nulls in the counted columns), imported for real, and every figure compared with
// what the files themselves say, summed exactly with big.js.
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { runImport } from '../../src-main/ingest/import-runner';
import { NULL_COUNTED } from '../../src-main/store/null-counts';
import type { DataQuality, ImportMode, QueryScope } from '../../src-shared/api/contract';
import { decimalSum, expectMoneyMatches } from '../helpers/independent-csv';
import { tempDir } from '../helpers/temp';

type Rec = Record<string, string>;

let dir: string;
let ws: string;
let engine: Engine;

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function writeCsv(name: string, columns: string[], rows: Rec[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n');
  return file;
}

const ALL_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'CommitmentDiscountId',
  'ConsumedQuantity',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingCategory',
  'PricingQuantity',
  'ResourceId',
  'ServiceName',
  'ServiceProviderName',
  'SkuId',
  'SubAccountId',
  'Tags',
];
// the second provider's export has no ListCost, ContractedCost or ResourceId column at all (conformance failures, and
// every applicable row counts as null)
const NIMBUS_COLUMNS = ALL_COLUMNS.filter((c) => !['ListCost', 'ContractedCost', 'ResourceId'].includes(c));

function period(month: string): Rec {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { BillingPeriodStart: `${month}-01T00:00:00Z`, BillingPeriodEnd: `${next}-01T00:00:00Z` };
}

const TAG_SETS = ['{"team":"core","env":"prod"}', '{"team":"data"}', '', '{"env":"dev"}', ''];
const CATEGORIES = ['Usage', 'Usage', 'Usage', 'Purchase', 'Tax'];

/** n rows of one provider and month; every value varies with i so each figure has its own expected number. */
function rows(provider: string, currency: string, month: string, n: number, seed: number): Rec[] {
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const k = i + seed;
    const day = String(1 + (k % 28)).padStart(2, '0');
    const category = CATEGORIES[k % CATEGORIES.length]!;
    const committed = category === 'Usage' && k % 3 === 0;
    const billed = `${(k * 7) % 97}.${String((k * 131) % 1000).padStart(3, '0')}`;
    out.push({
      ...period(month),
      BilledCost: billed,
      EffectiveCost: billed,
      ListCost: new Big(billed).times('1.25').toFixed(),
      ContractedCost: k % 11 === 0 ? '' : billed,
      BillingAccountId: `${provider}-billing`,
      BillingCurrency: currency,
      ChargeCategory: category,
      ChargeDescription: k % 6 === 0 ? '' : `charge ${k}`,
      ChargePeriodStart: `${month}-${day}T00:00:00Z`,
      ChargePeriodEnd: `${month}-${day}T01:00:00Z`,
      CommitmentDiscountId: committed && k % 2 === 0 ? `cd-${k % 4}` : '',
      ConsumedQuantity: category === 'Usage' && k % 8 !== 0 ? String(k) : '',
      InvoiceIssuerName: provider,
      PricingCategory: committed ? 'Committed' : 'Standard',
      PricingQuantity: category === 'Tax' || k % 9 === 0 ? '' : String(k % 5),
      ResourceId: category === 'Usage' && k % 4 !== 0 ? `res-${k % 13}` : '',
      ServiceName: k % 2 === 0 ? 'Compute' : 'Storage',
      ServiceProviderName: provider,
      SkuId: k % 7 === 0 ? '' : `sku-${k % 3}`,
      SubAccountId: k % 5 === 1 ? '' : `sub-${k % 3}`,
      Tags: TAG_SETS[k % TAG_SETS.length]!,
    });
  }
  return out;
}

const aura = rows('Aura Web', 'USD', '2025-01', 60, 0);
const nimbusJan = rows('Nimbus', 'EUR', '2025-01', 45, 1000);
const nimbusFeb = rows('Nimbus', 'EUR', '2025-02', 35, 2000);
const nimbusFebRestated = rows('Nimbus', 'EUR', '2025-02', 20, 3000);

async function importFile(file: string, mode: ImportMode = 'ask'): Promise<void> {
  const outcome = await runImport({ workspacePath: ws, files: [{ path: file, name: path.basename(file) }], mode });
  if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
}

// ---------- the expected figures, from the records ----------

const isNull = (v: string | undefined) => v === undefined || v === '';
const tagsOf = (r: Rec): Record<string, string> => (r.Tags ? (JSON.parse(r.Tags) as Record<string, string>) : {});

interface Scoped {
  recs: Rec[];
  /** records of the file each came from, by column presence */
  columns: Map<Rec, string[]>;
}

function applies(r: Rec, appliesTo: string): boolean {
  if (appliesTo === 'usage') return r.ChargeCategory === 'Usage';
  if (appliesTo === 'usage-purchase') return r.ChargeCategory === 'Usage' || r.ChargeCategory === 'Purchase';
  if (appliesTo === 'committed') return r.PricingCategory === 'Committed';
  return true;
}

function expectFigures(q: DataQuality, s: Scoped): void {
  const currencies = [...new Set(s.recs.map((r) => r.BillingCurrency!))].sort();
  expect(q.totals.map((t) => t.currency)).toEqual(currencies);
  for (const cur of currencies) {
    const inCur = s.recs.filter((r) => r.BillingCurrency === cur);
    const total = q.totals.find((t) => t.currency === cur)!;
    expect(total.totalRows).toBe(inCur.length);
    expectMoneyMatches(total.total, decimalSum(inCur, 'BilledCost'), inCur.length);

    const noSub = q.noSubAccount.find((t) => t.currency === cur)!;
    const without = inCur.filter((r) => isNull(r.SubAccountId));
    expect(without.length).toBeGreaterThan(0);
    expect(noSub.rows).toBe(without.length);
    expectMoneyMatches(noSub.amount, decimalSum(without, 'BilledCost'), without.length);

    for (const key of ['team', 'env']) {
      const u = q.untagged.find((x) => x.key === key && x.currency === cur)!;
      const untagged = inCur.filter((r) => !(key in tagsOf(r)));
      expect(u.rows, `${key} ${cur}`).toBe(untagged.length);
      expect(u.totalRows).toBe(inCur.length);
      expectMoneyMatches(u.amount, decimalSum(untagged, 'BilledCost'), untagged.length);
    }
  }
  expect(q.untagged.map((u) => `${u.key} ${u.currency}`).sort()).toEqual(currencies.flatMap((c) => [`env ${c}`, `team ${c}`]).sort());
}

function expectNulls(q: DataQuality, s: Scoped): void {
  for (const c of NULL_COUNTED) {
    const got = q.nullRates.columns.find((x) => x.column === c.column)!;
    const applicable = s.recs.filter((r) => applies(r, c.appliesTo));
    const nulls = applicable.filter((r) => !s.columns.get(r)!.includes(c.column) || isNull(r[c.column]));
    expect({ column: c.column, applicable: got.applicable, nulls: got.nulls }).toEqual({ column: c.column, applicable: applicable.length, nulls: nulls.length });
  }
  expect(q.nullRates.rows).toBe(s.recs.length);
}

function scoped(files: [Rec[], string[]][], keep: (r: Rec) => boolean = () => true): Scoped {
  const columns = new Map<Rec, string[]>();
  const recs: Rec[] = [];
  for (const [list, cols] of files) {
    for (const r of list) {
      if (!keep(r)) continue;
      columns.set(r, cols);
      recs.push(r);
    }
  }
  return { recs, columns };
}

const dq = (scope: QueryScope = { filters: [] }) => engine.invoke('explore.dataQuality', scope);

beforeAll(async () => {
  dir = tempDir();
  ws = path.join(dir, 'quality.meterbook');
  await importFile(writeCsv('aura-2025-01.csv', ALL_COLUMNS, aura));
  await importFile(writeCsv('nimbus-2025-01-02.csv', NIMBUS_COLUMNS, [...nimbusJan, ...nimbusFeb]));
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: ws });
}, 60_000);

afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('explore.dataQuality', () => {
  const whole = () =>
    scoped([
      [aura, ALL_COLUMNS],
      [[...nimbusJan, ...nimbusFeb], NIMBUS_COLUMNS],
    ]);

  it('whole workspace: untagged spend per key, spend without a sub account and null rates, per currency, from the rollups', async () => {
    const q = await dq();
    expect(q.source).toBe('rollup_dim');
    expect(q.metric).toBe('BilledCost');
    expectFigures(q, whole());
    expect(q.nullRates).toMatchObject({ basis: 'billing-periods', exact: true, uncountedRows: 0 });
    expectNulls(q, whole());
    // a column the file does not have is null on every row it applies to
    const resource = q.nullRates.columns.find((c) => c.column === 'ResourceId')!;
    expect(resource.nulls).toBeGreaterThanOrEqual([...nimbusJan, ...nimbusFeb].filter((r) => r.ChargeCategory === 'Usage').length);
  });

  it('the other metrics are summed the same way', async () => {
    const q = await dq({ filters: [], metric: 'EffectiveCost' } as QueryScope);
    const usd = aura.filter((r) => isNull(r.SubAccountId));
    expectMoneyMatches(q.noSubAccount.find((t) => t.currency === 'USD')!.amount, decimalSum(usd, 'EffectiveCost'), usd.length);
  });

  it('a date range of whole billing periods is exact for every figure', async () => {
    const q = await dq({ from: '2025-01-01', to: '2025-01-31', filters: [] });
    const jan = scoped([
      [aura, ALL_COLUMNS],
      [nimbusJan, NIMBUS_COLUMNS],
    ]);
    expectFigures(q, jan);
    expect(q.nullRates).toMatchObject({ basis: 'billing-periods', exact: true });
    expectNulls(q, jan);
  });

  it('part of a billing period: spend figures exact for the days, null counts for the whole periods (and said so)', async () => {
    const inDays = (r: Rec) => r.ChargePeriodStart! >= '2025-01-10' && r.ChargePeriodStart! < '2025-01-21';
    const q = await dq({ from: '2025-01-10', to: '2025-01-20', filters: [] });
    expectFigures(
      q,
      scoped(
        [
          [aura, ALL_COLUMNS],
          [nimbusJan, NIMBUS_COLUMNS],
        ],
        inDays,
      ),
    );
    expect(q.nullRates).toMatchObject({ basis: 'billing-periods', exact: false });
    expectNulls(
      q,
      scoped([
        [aura, ALL_COLUMNS],
        [nimbusJan, NIMBUS_COLUMNS],
      ]),
    );
  });

  it('a filter on another column: every figure exact for the scope (monthly cube, partly null columns from the rows)', async () => {
    const q = await dq({ filters: [{ column: 'ServiceName', values: ['Compute'] }] });
    expect(q.source).toBe('cube_month+rows');
    const compute = scoped(
      [
        [aura, ALL_COLUMNS],
        [[...nimbusJan, ...nimbusFeb], NIMBUS_COLUMNS],
      ],
      (r) => r.ServiceName === 'Compute',
    );
    expectFigures(q, compute);
    expect(q.nullRates).toMatchObject({ basis: 'rows', exact: true });
    expectNulls(q, compute);
  });

  it('a BillingCurrency filter stays on the rollups and keeps that currency only', async () => {
    const q = await dq({ filters: [{ column: 'BillingCurrency', values: ['EUR'] }] });
    expect(q.source).toBe('rollup_dim');
    expectFigures(q, scoped([[[...nimbusJan, ...nimbusFeb], NIMBUS_COLUMNS]]));
    expect(q.nullRates.exact).toBe(false); // the import-time counts are not per currency
  });

  it('conformance failures per provider, from the stored reports of the files', async () => {
    const q = await dq();
    expect(q.conformance.files).toBe(2);
    const files = await engine.invoke('import.list', {});
    for (const provider of ['Aura Web', 'Nimbus']) {
      const p = q.conformance.providers.find((x) => x.provider === provider)!;
      expect(p.files).toBe(1);
      const file = files.find((f) => f.file.startsWith(provider === 'Aura Web' ? 'aura' : 'nimbus'))!;
      const report = await engine.invoke('import.report', { importFileId: file.importFileId });
      const failing = report.rules.filter((r) => r.status === 'fail');
      expect(p.rows).toBe(report.rows);
      expect(p.failingFiles).toBe(failing.length > 0 ? 1 : 0);
      expect(p.rules.map((r) => r.id).sort()).toEqual(failing.map((r) => r.id).sort());
      for (const r of p.rules) {
        expect(r.failingRows).toBe(failing.find((f) => f.id === r.id)!.failingRows);
        expect(r.fileId).toBe(file.importFileId);
      }
    }
    // the providers with most failing rules first
    const [first, second] = q.conformance.providers;
    expect(first!.rules.length).toBeGreaterThanOrEqual(second!.rules.length);
    expect(first!.rules.length).toBeGreaterThan(0);
    // both files hold January; February is Nimbus alone
    const feb = await dq({ from: '2025-02-01', to: '2025-02-28', filters: [] });
    expect(feb.conformance.providers.map((p) => p.provider)).toEqual(['Nimbus']);
  });

  it('a replaced billing period takes its null counts with it', async () => {
    await importFile(writeCsv('nimbus-2025-02-restated.csv', ALL_COLUMNS, nimbusFebRestated), 'replace');
    const q = await dq();
    const now = scoped([
      [aura, ALL_COLUMNS],
      [nimbusJan, NIMBUS_COLUMNS],
      [nimbusFebRestated, ALL_COLUMNS],
    ]);
    expectFigures(q, now);
    expectNulls(q, now);
    expect(q.conformance.files).toBe(3);
  }, 30_000);
});

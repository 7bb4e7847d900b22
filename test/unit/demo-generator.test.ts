import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBenchCsv } from '../bench/generate-focus';
import type { BenchResult } from '../bench/generate-focus';
import type { ConformanceReport } from '../../src-shared/api/contract';
import { generateDemoCsv } from '../../src-main/demo/generate-demo';
import type { DemoResult } from '../../src-main/demo/generate-demo';
import { validateFile } from '../../src-main/ingest/validate';

// ---------- a small streaming RFC 4180 reader (independent of the app's importer on purpose) ----------

class CsvStream {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  /** A quote seen inside a quoted field: either an escaped quote or the closing one (decided by the next char). */
  private quotePending = false;

  constructor(private readonly onRow: (fields: string[]) => void) {}

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (ch === '"') this.quotePending = true;
        else this.field += ch;
      } else if (ch === '"' && this.field === '') this.quoted = true;
      else if (ch === ',') this.endField();
      else if (ch === '\n') this.endRow();
      else if (ch !== '\r') this.field += ch;
    }
  }

  end(): void {
    if (this.quotePending) this.quoted = false;
    if (this.quoted) throw new Error('unterminated quoted field');
    if (this.field !== '' || this.row.length > 0) this.endRow();
  }

  private endField(): void {
    this.row.push(this.field);
    this.field = '';
  }

  private endRow(): void {
    this.endField();
    this.onRow(this.row);
    this.row = [];
  }
}

async function readCsv(path: string, onRecord: (get: (column: string) => string) => void): Promise<string[]> {
  let header: string[] | null = null;
  let index = new Map<string, number>();
  let fields: string[] = [];
  const get = (column: string): string => {
    const at = index.get(column);
    if (at === undefined) throw new Error(`no column ${column}`);
    return fields[at] as string;
  };
  const csv = new CsvStream((row) => {
    if (!header) {
      header = row;
      index = new Map(row.map((name, i) => [name, i]));
      return;
    }
    if (row.length !== header.length) throw new Error(`row has ${row.length} fields, header ${header.length}`);
    fields = row;
    onRecord(get);
  });
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) csv.push(chunk as string);
  csv.end();
  return header ?? [];
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const isWeekend = (isoDay: string) => [0, 6].includes(new Date(`${isoDay}T00:00:00Z`).getUTCDay());

// ---------- the demo workspace file ----------

const dir = mkdtempSync(join(tmpdir(), 'meterbook-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const END_DATE = '2025-06-30';
const SEED = 4242;
const CLOUD = new Set(['AWS', 'Microsoft', 'Google Cloud']);

interface DemoStats {
  header: string[];
  rows: number;
  billed: Big;
  effective: Big;
  providers: Set<string>;
  billingPeriods: Set<string>;
  firstChargeDay: string;
  tokenMeters: Map<string, Set<string>>;
  tokenDetailsOk: boolean;
  marketplaceModel: boolean;
  purchases: number;
  purchaseRowsOk: boolean;
  used: number;
  unused: number;
  planDays: Map<string, { purchase: Big; applied: Big }>;
  seatsBySku: Map<string, number[]>;
  /** Seat rows not Usage / Recurring with BilledCost = EffectiveCost and the seats consumed; purchases not the plan's. */
  seatViolations: string[];
  tax: number;
  credits: number;
  productViolations: string[];
  productChecks: number;
  cloudByDay: Map<string, number>;
  billedByMonth: Map<string, number>;
  cloudUsageRows: number;
  cloudTagGaps: number;
}

async function demoStats(path: string): Promise<DemoStats> {
  const s: DemoStats = {
    header: [],
    rows: 0,
    billed: new Big(0),
    effective: new Big(0),
    providers: new Set(),
    billingPeriods: new Set(),
    firstChargeDay: '9999',
    tokenMeters: new Map(),
    tokenDetailsOk: true,
    marketplaceModel: false,
    purchases: 0,
    purchaseRowsOk: true,
    used: 0,
    unused: 0,
    planDays: new Map(),
    seatsBySku: new Map(),
    seatViolations: [],
    tax: 0,
    credits: 0,
    productViolations: [],
    productChecks: 0,
    cloudByDay: new Map(),
    billedByMonth: new Map(),
    cloudUsageRows: 0,
    cloudTagGaps: 0,
  };
  s.header = await readCsv(path, (get) => {
    s.rows++;
    const billed = new Big(get('BilledCost'));
    const effective = new Big(get('EffectiveCost'));
    s.billed = s.billed.plus(billed);
    s.effective = s.effective.plus(effective);
    const provider = get('ServiceProviderName');
    const category = get('ChargeCategory');
    const day = get('ChargePeriodStart').slice(0, 10);
    const month = get('BillingPeriodStart').slice(0, 7);
    s.providers.add(provider);
    s.billingPeriods.add(month);
    if (day < s.firstChargeDay) s.firstChargeDay = day;
    s.billedByMonth.set(month, (s.billedByMonth.get(month) ?? 0) + billed.toNumber());

    // FOCUS product rule: cost = unit price × PricingQuantity, exactly, whenever both are present.
    const qty = get('PricingQuantity');
    for (const [price, cost] of [['ListUnitPrice', 'ListCost'], ['ContractedUnitPrice', 'ContractedCost']] as const) {
      if (!get(price) || !qty) continue;
      s.productChecks++;
      if (!new Big(get(price)).times(qty).eq(get(cost)) && s.productViolations.length < 5) {
        s.productViolations.push(`${get(price)} × ${qty} ≠ ${get(cost)} (${get('SkuId')})`);
      }
    }

    if (get('ConsumedUnit') === 'Tokens') {
      const details = JSON.parse(get('SkuPriceDetails')) as Record<string, string>;
      const model = details.ModelId ?? '';
      if (!s.tokenMeters.has(provider)) s.tokenMeters.set(provider, new Set());
      s.tokenMeters.get(provider)?.add(`${details.TokenDirection}/${details.TokenCacheAction ?? '-'}`);
      if (get('PricingUnit') !== '1000000 Tokens' || !model || !new Big(get('ConsumedQuantity')).div(1_000_000).eq(qty)) s.tokenDetailsOk = false;
      if (CLOUD.has(provider) && details.ModelDeveloper === 'Anthropic') s.marketplaceModel = true;
    }

    const planId = get('CommitmentDiscountId');
    if (planId) {
      const entry = s.planDays.get(day) ?? { purchase: new Big(0), applied: new Big(0) };
      if (category === 'Purchase') {
        s.purchases++;
        entry.purchase = entry.purchase.plus(billed);
        if (!effective.eq(0) || get('ResourceId') !== planId) s.purchaseRowsOk = false;
      } else {
        const status = get('CommitmentDiscountStatus');
        if (status === 'Used' && billed.eq(0) && effective.gt(0)) s.used++;
        if (status === 'Unused' && get('ConsumedQuantity') === '' && get('ResourceId') === planId) s.unused++;
        entry.applied = entry.applied.plus(effective);
      }
      s.planDays.set(day, entry);
    }

    // Seat rows (priced per user) bill the month they cover: Usage / Recurring, the seats consumed, nothing to
    // amortize (FOCUS EffectiveCost-C-005-C allows a Purchase only with EffectiveCost 0). The only purchases are the
    // savings plan's.
    if (get('PricingUnit') === 'Users') {
      const seats = s.seatsBySku.get(get('SkuId')) ?? [];
      seats.push(Number(qty));
      s.seatsBySku.set(get('SkuId'), seats);
      const ok =
        category === 'Usage' &&
        get('ChargeFrequency') === 'Recurring' &&
        billed.eq(effective) &&
        billed.gt(0) &&
        get('ConsumedQuantity') === qty &&
        get('ConsumedUnit') === 'Users';
      if (!ok && s.seatViolations.length < 5) {
        s.seatViolations.push(`${get('SkuId')} ${get('BillingPeriodStart')}: ${category}, ${billed.toString()} / ${effective.toString()}`);
      }
    }
    if (category === 'Purchase' && !planId && s.seatViolations.length < 5) {
      s.seatViolations.push(`a Purchase row outside the savings plan: ${get('SkuId')}`);
    }
    if (category === 'Tax') s.tax++;
    if (category === 'Credit') s.credits++;

    if (CLOUD.has(provider) && category === 'Usage' && get('ConsumedUnit') !== 'Tokens') {
      s.cloudByDay.set(day, (s.cloudByDay.get(day) ?? 0) + effective.toNumber());
      if (get('CommitmentDiscountStatus') !== 'Unused') {
        s.cloudUsageRows++;
        const tags = get('Tags');
        if (!tags || Object.keys(JSON.parse(tags) as object).length < 4) s.cloudTagGaps++;
      }
    }
  });
  return s;
}

describe('demo workspace generator', () => {
  let result: DemoResult;
  let stats: DemoStats;
  const path = join(dir, 'demo.csv');

  beforeAll(async () => {
    result = await generateDemoCsv({ outPath: path, endDate: END_DATE, seed: SEED });
    stats = await demoStats(path);
  }, 120_000);

  it('is big, long and multi-vendor', () => {
    expect(stats.header.length).toBeGreaterThanOrEqual(57);
    expect(result.rows).toBe(stats.rows);
    expect(stats.rows).toBeGreaterThanOrEqual(100_000);
    expect(stats.billingPeriods.size).toBeGreaterThanOrEqual(7); // six full months plus the end date's month
    expect(stats.firstChargeDay <= '2024-12-31').toBe(true);
    expect([...CLOUD].every((p) => stats.providers.has(p))).toBe(true);
    expect(stats.providers.has('OpenAI') && stats.providers.has('Anthropic')).toBe(true);
  });

  it('returns the exact BilledCost and EffectiveCost totals it wrote', () => {
    expect(stats.billed.eq(new Big(result.billedNanos.toString()).div(1e9))).toBe(true);
    expect(stats.effective.eq(new Big(result.effectiveNanos.toString()).div(1e9))).toBe(true);
  });

  it('keeps ListCost = ListUnitPrice × PricingQuantity exactly', () => {
    expect(stats.productChecks).toBeGreaterThan(100_000);
    expect(stats.productViolations).toEqual([]);
  });

  it('has AI token rows for every token class, direct and via a cloud marketplace', () => {
    const all = ['Input/Uncached', 'Input/Read', 'Input/Write', 'Output/-'];
    expect([...(stats.tokenMeters.get('Anthropic') ?? [])].sort()).toEqual([...all].sort());
    expect(stats.tokenMeters.get('OpenAI')).toEqual(new Set(['Input/Uncached', 'Input/Read', 'Output/-']));
    expect(stats.marketplaceModel).toBe(true);
    expect(stats.tokenDetailsOk).toBe(true);
  });

  it('has a savings plan: daily Purchase, covered Used rows, Unused rows, and it balances per day', () => {
    expect(stats.purchases).toBeGreaterThan(150);
    expect(stats.purchaseRowsOk).toBe(true);
    expect(stats.used).toBeGreaterThan(1000);
    expect(stats.unused).toBeGreaterThan(0);
    for (const [day, { purchase, applied }] of stats.planDays) {
      expect(applied.eq(purchase), `plan day ${day}: ${applied.toString()} applied vs ${purchase.toString()} paid`).toBe(true);
    }
  });

  it('has monthly SaaS seat rows (Usage / Recurring, BilledCost = EffectiveCost) with growing seat counts, Tax rows and one Credit', () => {
    expect(stats.seatViolations).toEqual([]);
    expect(stats.seatsBySku.size).toBeGreaterThanOrEqual(2);
    for (const seats of stats.seatsBySku.values()) {
      expect(seats.length).toBe(stats.billingPeriods.size);
      expect(seats.every((n, i) => i === 0 || n >= (seats[i - 1] as number))).toBe(true);
      expect(seats[seats.length - 1]).toBeGreaterThan(seats[0] as number);
    }
    expect(stats.tax).toBeGreaterThanOrEqual(6 * 3);
    expect(stats.credits).toBe(1);
  });

  it('spends more on weekdays than weekends (cloud)', () => {
    const avg = (days: number[]) => days.reduce((a, b) => a + b, 0) / days.length;
    const entries = [...stats.cloudByDay];
    const weekday = avg(entries.filter(([d]) => !isWeekend(d)).map(([, v]) => v));
    const weekend = avg(entries.filter(([d]) => isWeekend(d)).map(([, v]) => v));
    expect(weekday).toBeGreaterThan(weekend * 1.15);
  });

  it('grows month over month', () => {
    const months = [...stats.billedByMonth.keys()].sort();
    const total = (ms: string[]) => ms.reduce((a, m) => a + (stats.billedByMonth.get(m) ?? 0), 0);
    expect(total(months.slice(-3))).toBeGreaterThan(total(months.slice(0, 3)) * 1.2);
    expect(stats.billedByMonth.get(months[months.length - 1] as string)).toBeGreaterThan(stats.billedByMonth.get(months[0] as string) as number);
  });

  it('leaves realistic tag gaps on cloud rows', () => {
    const share = stats.cloudTagGaps / stats.cloudUsageRows;
    expect(share).toBeGreaterThanOrEqual(0.15);
    expect(share).toBeLessThanOrEqual(0.25);
  });

  it('imports conformant to EffectiveCost-C-005-C: the only purchases (the savings plan) have EffectiveCost 0', async () => {
    // the report an import of the demo file stores, from the same parse worker (validate mode stores nothing)
    const report: ConformanceReport = await validateFile(path, 'demo.csv');
    const status = (id: string) => report.rules.find((r) => r.id === id)?.status;
    expect(status('EffectiveCost-C-005-C')).toBe('pass');
    expect(status('EffectiveCost-C-000-M')).toBe('pass');
    expect(report.rules.filter((r) => r.status === 'fail').map((r) => r.id)).not.toContain('EffectiveCost-C-005-C');
  }, 120_000);

  it('is deterministic: same seed, same bytes', async () => {
    const again = join(dir, 'demo-again.csv');
    const second = await generateDemoCsv({ outPath: again, endDate: END_DATE, seed: SEED });
    expect(second.billedNanos).toBe(result.billedNanos);
    expect(sha256(again)).toBe(sha256(path));
  }, 120_000);
});

// ---------- the benchmark file ----------

describe('benchmark file generator', () => {
  const ROWS = 20_000;
  const path = join(dir, 'bench.csv');
  let result: BenchResult;
  let rows = 0;
  let billed = new Big(0);
  let header: string[] = [];
  const subAccounts = new Set<string>();
  let tagHits = 0;

  beforeAll(async () => {
    result = await generateBenchCsv({ outPath: path, rows: ROWS, seed: 3 });
    header = await readCsv(path, (get) => {
      rows++;
      billed = billed.plus(get('BilledCost'));
      subAccounts.add(get('SubAccountId'));
      const tags = get('Tags');
      if (tags && (JSON.parse(tags) as Record<string, string>)[result.tagValue.key] === result.tagValue.value) tagHits++;
    });
  }, 120_000);

  it('writes exactly the requested rows with the full column set', () => {
    expect(result.rows).toBe(ROWS);
    expect(rows).toBe(ROWS);
    expect(header.length).toBeGreaterThanOrEqual(57);
  });

  it('averages a realistic row size', () => {
    const perRow = statSync(path).size / ROWS;
    expect(result.bytes).toBe(statSync(path).size);
    expect(perRow).toBeGreaterThanOrEqual(450);
    expect(perRow).toBeLessThanOrEqual(850);
  });

  it('reports exact totals and values that exist in the file', () => {
    expect(billed.eq(new Big(result.billedNanos.toString()).div(1e9))).toBe(true);
    expect(new Set(result.subAccountIds)).toEqual(subAccounts);
    expect(subAccounts.size).toBeGreaterThan(150);
    expect(tagHits).toBeGreaterThan(ROWS / 20);
  });
});

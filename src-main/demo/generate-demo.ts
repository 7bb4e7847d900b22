// Builds the demo workspace's FOCUS 1.4 Cost and Usage file from the recipe (resources/demo/recipe.json).
//
// The file reads like one company's real bills: daily cloud usage from three providers with growth and a weekday
// rhythm, an AWS Savings Plan (daily Purchase rows, covered Used rows, Unused rows when usage dips), AI tokens by
// model and token class, monthly SaaS seats (Usage / Recurring rows), monthly Tax, and one Credit. Money is integer
// nano-units end to end, so the totals returned here are exactly what an importer must find in the file.
import { hash32, Rng } from './random';
import { costPerStepNanos, FocusCsvWriter, focusRow, formatScaled, NanoSum, parseScaled, UNIT_PRICE_SCALE } from './focus-writer';
import type { FocusRow } from './focus-writer';
import { defaultRecipe, TOKEN_PRICING_DECIMALS } from './recipe';
import type { AiModel, AiVendor, CloudProvider, Meter, Recipe, SaasProduct, SavingsPlan, TagKey, Workload } from './recipe';

// ---------- public types ----------

export interface DemoOptions {
  outPath: string;
  /** Last day with data, YYYY-MM-DD (UTC). Default: yesterday, so the demo looks current. */
  endDate?: string;
  /** Default: the recipe's seed. Same seed, recipe and end date → byte-identical file. */
  seed?: number;
  recipe?: Recipe;
  gzip?: boolean;
  /** Called about once per generated day with the share done (0..1). */
  onProgress?: (fraction: number) => void;
}

export interface DemoResult {
  rows: number;
  /** Exact sums of the BilledCost / EffectiveCost cells written, in nano-units (1e-9 USD). */
  billedNanos: bigint;
  effectiveNanos: bigint;
  path: string;
}

/** A row as the demo builds it: the four cost columns are always integer nano-units. */
type DemoRow = FocusRow & { BilledCost: number; EffectiveCost: number; ListCost: number; ContractedCost: number };

// ---------- calendar ----------

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 30.4375;

interface Month {
  index: number;
  startMs: number;
  /** Exclusive. */
  endMs: number;
  /** Ended on or before the end date: its invoices are issued and its tax is known. */
  closed: boolean;
  label: string;
}

interface Calendar {
  startMs: number;
  days: number;
  months: Month[];
}

export function yesterdayUtc(now: Date = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY_MS).toISOString().slice(0, 10);
}

/** `months` full calendar months before the end date's month, plus that month up to the end date. */
function buildCalendar(endDate: string, months: number): Calendar {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDate);
  if (!m) throw new Error(`endDate must be YYYY-MM-DD, got "${endDate}"`);
  const endDayMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const end = new Date(endDayMs);
  if (end.toISOString().slice(0, 10) !== endDate) throw new Error(`not a calendar date: ${endDate}`);
  const startMs = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - months, 1);
  const list: Month[] = [];
  for (let i = 0; i <= months; i++) {
    const s = new Date(startMs);
    const monthStart = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + i, 1);
    const monthEnd = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + i + 1, 1);
    list.push({
      index: i,
      startMs: monthStart,
      endMs: monthEnd,
      closed: monthEnd <= endDayMs + DAY_MS,
      label: new Date(monthStart).toISOString().slice(0, 7),
    });
  }
  return { startMs, days: Math.round((endDayMs - startMs) / DAY_MS) + 1, months: list };
}

function isWeekend(dayMs: number): boolean {
  const weekday = new Date(dayMs).getUTCDay();
  return weekday === 0 || weekday === 6;
}

function growth(rate: number, dayIndex: number): number {
  return (1 + rate) ** (dayIndex / DAYS_PER_MONTH);
}

// ---------- exact money helpers ----------

const MAX_ROW_NANOS = 2 ** 50;

function times(steps: number, stepNanos: number): number {
  const v = steps * stepNanos;
  if (!Number.isSafeInteger(v) || Math.abs(v) >= MAX_ROW_NANOS) throw new RangeError(`row cost out of range: ${steps} × ${stepNanos}`);
  return v;
}

/** round(value × numerator / denominator), half away from zero, exactly (bigint inside). */
function scaleRounded(value: number | bigint, numerator: bigint, denominator: bigint): bigint {
  const v = BigInt(value) * numerator;
  const half = denominator / 2n;
  return v >= 0n ? (v + half) / denominator : -((-v + half) / denominator);
}

interface StepPrice {
  /** Unit price in 1e-10 units (the writer's unit-price scale). */
  price: number;
  /** Nano-units per PricingQuantity step. */
  step: number;
}

/** An exact price for quantities counted in steps of 10^-decimals; `discount` is rounded to a price that stays exact. */
function stepPrice(listPrice: string, decimals: number, discount = 0n /* parts per million */): StepPrice {
  const list = parseScaled(listPrice, UNIT_PRICE_SCALE);
  let price = list;
  if (discount > 0n) {
    // Round the discounted price to the coarsest unit that still costs whole nano-units per step.
    const grain = decimals + 1 > 0 ? 10n ** BigInt(decimals + 1) : 1n;
    price = scaleRounded(list, 1_000_000n - discount, 1_000_000n * grain) * grain;
  }
  const step = costPerStepNanos(price, decimals);
  if (step === null) throw new Error(`price ${listPrice} is not exact for 1e${-decimals} steps`);
  return { price: Number(price), step: Number(step) };
}

function ppm(decimal: string): bigint {
  return parseScaled(decimal, 6);
}

// ---------- invoices, tax and totals ----------

/** One invoice stream: an issuer billing one account. Tax and InvoiceId are per stream and month. */
interface InvoiceStream {
  issuer: string;
  prefix: string;
  taxPpm: bigint;
  serviceProviderName: string;
  hostProviderName: string;
  billingAccountId: string;
  billingAccountName: string;
  billingAccountType: string;
  month: { billed: NanoSum; list: NanoSum; contracted: NanoSum };
}

class Ledger {
  readonly billed = new NanoSum();
  readonly effective = new NanoSum();
  rows = 0;
  private readonly streams = new Map<string, InvoiceStream>();

  constructor(private readonly recipe: Recipe) {}

  stream(
    issuerName: string,
    account: { id: string; name: string; type: string },
    serviceProviderName: string,
    hostProviderName: string,
  ): InvoiceStream {
    const key = `${issuerName}|${account.id}`;
    let s = this.streams.get(key);
    if (!s) {
      const issuer = this.recipe.issuers.find((i) => i.name === issuerName);
      if (!issuer) throw new Error(`unknown issuer ${issuerName}`);
      s = {
        issuer: issuerName,
        prefix: issuer.invoicePrefix,
        taxPpm: ppm(issuer.taxRate),
        serviceProviderName,
        hostProviderName,
        billingAccountId: account.id,
        billingAccountName: account.name,
        billingAccountType: account.type,
        month: freshMonth(),
      };
      this.streams.set(key, s);
    }
    return s;
  }

  allStreams(): InvoiceStream[] {
    return [...this.streams.values()];
  }
}

function freshMonth(): InvoiceStream['month'] {
  return { billed: new NanoSum(), list: new NanoSum(), contracted: new NanoSum() };
}

/** Invoice ids exist only once a month is closed (FOCUS: ids may appear after the invoice is issued). */
function invoiceId(stream: InvoiceStream, month: Month): string | null {
  if (!month.closed) return null;
  const digits = String(hash32(`${stream.issuer}|${stream.billingAccountId}|${month.label}`) % 10_000_000).padStart(7, '0');
  return `${stream.prefix}${month.label.replace('-', '')}${digits}`;
}

// ---------- the generation context ----------

interface Context {
  recipe: Recipe;
  calendar: Calendar;
  seed: number;
  ledger: Ledger;
  write: (row: FocusRow) => void;
}

interface DayInfo {
  index: number;
  startMs: number;
  weekend: boolean;
  month: Month;
}

/** Columns every row of one invoice stream shares for a given month. */
function billingColumns(stream: InvoiceStream, month: Month): FocusRow {
  return {
    BillingAccountId: stream.billingAccountId,
    BillingAccountName: stream.billingAccountName,
    BillingAccountType: stream.billingAccountType,
    BillingCurrency: 'USD',
    BillingPeriodStart: month.startMs,
    BillingPeriodEnd: month.endMs,
    InvoiceIssuerName: stream.issuer,
    InvoiceId: invoiceId(stream, month),
    ServiceProviderName: stream.serviceProviderName,
    HostProviderName: stream.hostProviderName,
    PricingCurrency: 'USD',
  };
}

function emit(ctx: Context, stream: InvoiceStream, row: DemoRow): void {
  row.PricingCurrencyEffectiveCost = row.EffectiveCost;
  ctx.write(row);
  ctx.ledger.rows++;
  ctx.ledger.billed.add(row.BilledCost);
  ctx.ledger.effective.add(row.EffectiveCost);
  stream.month.billed.add(row.BilledCost);
  stream.month.list.add(row.ListCost);
  stream.month.contracted.add(row.ContractedCost);
}

// ---------- templates and tags ----------

/** Fill `{placeholder}` slots; `{hex:N}`, `{digits:N}`, `{upper:N}` and `{uuid}` draw from rng (stable per seed). */
function fillTemplate(template: string, vars: Record<string, string>, rng: Rng): string {
  return template.replace(/\{([a-zA-Z]+)(?::(\d+))?\}/g, (_, name: string, arg?: string) => {
    const n = Number(arg ?? 8);
    switch (name) {
      case 'hex':
        return rng.hex(n);
      case 'digits':
        return rng.digits(n);
      case 'upper':
        return rng.upper(n);
      case 'uuid':
        return rng.uuid();
      default: {
        const v = vars[name];
        if (v === undefined) throw new Error(`template ${template}: no value for {${name}}`);
        return v;
      }
    }
  });
}

const TAG_ORDER: TagKey[] = ['team', 'env', 'app', 'cost-center'];

/** Tags JSON for one resource, with the recipe's share of untagged and partially tagged resources. */
function tagsFor(recipe: Recipe, values: Record<TagKey, string>, rng: Rng): string | null {
  const r = rng.next();
  if (r < recipe.tags.untaggedShare) return null;
  const keep = new Set<TagKey>(TAG_ORDER);
  if (r < recipe.tags.untaggedShare + recipe.tags.partialShare) {
    const keys = Object.keys(recipe.tags.droppableKeys) as TagKey[];
    const drop = rng.chance(0.7) ? 1 : 2;
    for (let i = 0; i < drop; i++) {
      const candidates = keys.filter((k) => keep.has(k));
      keep.delete(rng.weighted(candidates, candidates.map((k) => recipe.tags.droppableKeys[k])));
    }
  }
  const tags: Record<string, string> = {};
  for (const k of TAG_ORDER) if (keep.has(k)) tags[k] = values[k];
  return JSON.stringify(tags);
}

// ---------- cloud usage ----------

interface MeterState {
  meter: Meter;
  list: StepPrice;
  contracted: StepPrice;
  consumedDecimals: number;
  /** PricingQuantity per day at the start, before growth/weekend/noise. */
  base: number;
  weekendFactor: number;
  /** Constant columns of this resource × meter. */
  fixed: FocusRow;
}

interface Resource {
  startDay: number;
  meters: MeterState[];
}

interface CloudSource {
  provider: CloudProvider;
  stream: InvoiceStream;
  resources: Resource[];
  plan: PlanState | null;
  rng: Rng;
}

function buildCloudSource(ctx: Context, provider: CloudProvider): CloudSource {
  const { recipe, calendar } = ctx;
  const rng = Rng.derive(ctx.seed, `cloud:${provider.id}`);
  const stream = ctx.ledger.stream(provider.invoiceIssuer, provider.billingAccount, provider.serviceProviderName, provider.hostProviderName);
  const discount = ppm(provider.negotiatedDiscount);
  const resources: Resource[] = [];
  const teamWeights = recipe.tags.teams.map((t) => t.weight);
  const eligibleProgram = JSON.stringify({ CommitmentPrograms: [{ ProgramType: 'Savings Plan' }] });
  const hasPlan = recipe.savingsPlans.some((p) => p.provider === provider.id);

  for (const workload of provider.workloads) {
    const wrng = Rng.derive(ctx.seed, `cloud:${provider.id}:${workload.name}`);
    const service = provider.services.find((s) => s.name === workload.service);
    if (!service) throw new Error(`unknown service ${workload.service}`);
    const subs = eligibleSubAccounts(provider, workload);
    const regions = workload.regions.map((id) => provider.regions.find((r) => r.id === id));
    const regionWeights = regions.map((_, i) => 1 / (i + 1));
    for (let n = 1; n <= workload.count; n++) {
      const sub = wrng.pick(subs);
      const region = regions.length ? wrng.weighted(regions, regionWeights) ?? null : null;
      const zone = workload.zonal && region && region.zones.length ? wrng.pick(region.zones) : null;
      const team = wrng.weighted(recipe.tags.teams, teamWeights);
      const app = wrng.pick(team.apps);
      const vars: Record<string, string> = {
        account: sub.id,
        region: region?.id ?? 'global',
        zone: zone ?? '',
        n: String(n).padStart(2, '0'),
        app,
        env: sub.env,
        team: team.name,
      };
      const name = workload.resourceName ? fillTemplate(workload.resourceName, vars, wrng) : null;
      if (name) vars.name = name;
      const id = workload.resourceId ? fillTemplate(workload.resourceId, vars, wrng) : null;
      const tags = workload.tagged
        ? tagsFor(recipe, { team: team.name, env: sub.env, app, 'cost-center': team.costCenter }, wrng)
        : null;
      const late = wrng.chance(workload.lateStartShare);
      const startDay = late ? wrng.int(1, Math.max(1, calendar.days - 7)) : 0;

      const meters = workload.meters.map((meter): MeterState => {
        const list = stepPrice(meter.listUnitPrice, meter.pricingDecimals);
        const contracted = stepPrice(meter.listUnitPrice, meter.pricingDecimals, discount);
        const eligible = hasPlan && meter.commitmentEligible;
        return {
          meter,
          list,
          contracted,
          consumedDecimals: meter.pricingDecimals - Math.round(Math.log10(meter.consumedPerPricingUnit)),
          base: logUniform(wrng, meter.daily.min, meter.daily.max),
          weekendFactor: meter.weekendFactor ?? workload.weekendFactor,
          fixed: {
            ServiceProviderName: provider.serviceProviderName,
            HostProviderName: provider.hostProviderName,
            SubAccountId: sub.id,
            SubAccountName: sub.name,
            SubAccountType: provider.subAccountType,
            RegionId: region?.id ?? null,
            RegionName: region?.name ?? null,
            AvailabilityZone: zone,
            ResourceId: id,
            ResourceName: name,
            ResourceType: workload.resourceType,
            ServiceName: service.name,
            ServiceCategory: service.category,
            ServiceSubcategory: service.subcategory,
            SkuId: meter.skuId,
            SkuPriceId: meter.skuPriceId,
            SkuMeter: meter.skuMeter,
            SkuPriceDetails: meter.skuPriceDetails ? JSON.stringify(meter.skuPriceDetails) : null,
            ChargeDescription: meter.description,
            ChargeCategory: 'Usage',
            ChargeFrequency: 'Usage-Based',
            PricingUnit: meter.pricingUnit,
            ConsumedUnit: meter.consumedUnit,
            ListUnitPrice: list.price,
            ContractedUnitPrice: contracted.price,
            CommitmentProgramEligibilityDetails: eligible ? eligibleProgram : null,
            Tags: tags,
          },
        };
      });
      resources.push({ startDay, meters });
    }
  }
  const planSpec = recipe.savingsPlans.find((p) => p.provider === provider.id) ?? null;
  return { provider, stream, resources, plan: planSpec ? buildPlan(provider, planSpec) : null, rng };
}

function eligibleSubAccounts(provider: CloudProvider, workload: Workload): CloudProvider['subAccounts'] {
  const subs = workload.subAccounts
    ? provider.subAccounts.filter((s) => workload.subAccounts?.includes(s.id))
    : workload.envs
      ? provider.subAccounts.filter((s) => workload.envs?.includes(s.env))
      : provider.subAccounts;
  if (subs.length === 0) throw new Error(`workload ${workload.name} matches no sub account`);
  return subs;
}

function logUniform(rng: Rng, min: number, max: number): number {
  return min === max ? min : Math.exp(rng.range(Math.log(min), Math.log(max)));
}

function cloudDay(ctx: Context, source: CloudSource, day: DayInfo): void {
  const { stream, rng } = source;
  const shared = billingColumns(stream, day.month);
  const period = { ChargePeriodStart: day.startMs, ChargePeriodEnd: day.startMs + DAY_MS };
  const plan = source.plan && day.month.index >= source.plan.spec.startMonth ? source.plan : null;
  let remaining = 0;
  if (plan) remaining = planPurchase(ctx, plan, stream, shared, period);
  const g = growth(ctx.recipe.monthlyGrowth, day.index);

  for (const resource of source.resources) {
    if (day.index < resource.startDay) continue;
    for (const m of resource.meters) {
      const meter = m.meter;
      let q = m.base;
      if (meter.growth) q *= g;
      if (day.weekend) q *= m.weekendFactor;
      if (meter.noise > 0) q *= 1 + meter.noise * (2 * rng.next() - 1);
      if (meter.maxDaily !== undefined && q > meter.maxDaily) q = meter.maxDaily;
      const steps = Math.max(1, Math.round(q * 10 ** meter.pricingDecimals));
      if (!plan || remaining === 0 || !m.fixed.CommitmentProgramEligibilityDetails) {
        emit(ctx, stream, usageRow(shared, period, m, steps));
        continue;
      }
      const row = usageRow(shared, period, m, steps);
      const atPlanRate = scaledByPlan(plan, row.ContractedCost);
      if (atPlanRate <= remaining) {
        remaining -= atPlanRate;
        emit(ctx, stream, coverRow(row, plan, atPlanRate));
        continue;
      }
      // The commitment runs out inside this row: like the providers do, split it into a covered part that uses the
      // rest of the commitment exactly and an on-demand remainder, so a busy day shows 100 % utilization.
      const coveredSteps = Math.min(steps, Math.max(1, Math.ceil((remaining * steps) / atPlanRate)));
      emit(ctx, stream, coverRow(usageRow(shared, period, m, coveredSteps), plan, remaining));
      remaining = 0;
      if (coveredSteps < steps) emit(ctx, stream, usageRow(shared, period, m, steps - coveredSteps));
    }
  }
  if (plan && remaining > 0) planUnused(ctx, plan, stream, shared, period, remaining);
}

function usageRow(shared: FocusRow, period: FocusRow, m: MeterState, steps: number): DemoRow {
  const contracted = times(steps, m.contracted.step);
  return focusRow(shared, period, m.fixed, {
    PricingCategory: 'Standard',
    PricingQuantity: formatScaled(steps, m.meter.pricingDecimals),
    ConsumedQuantity: formatScaled(steps, m.consumedDecimals),
    ListCost: times(steps, m.list.step),
    ContractedCost: contracted,
    BilledCost: contracted,
    EffectiveCost: contracted,
  });
}

// ---------- savings plan (commitment discount) ----------

interface PlanState {
  spec: SavingsPlan;
  sub: CloudProvider['subAccounts'][number];
  subAccountType: string;
  hourly: StepPrice;
  /** Parts per million of the contracted cost that the plan rate charges (1 − discount). */
  keepPpm: bigint;
}

function buildPlan(provider: CloudProvider, spec: SavingsPlan): PlanState {
  const sub = provider.subAccounts.find((s) => s.id === spec.subAccount);
  if (!sub) throw new Error(`unknown sub account ${spec.subAccount}`);
  return { spec, sub, subAccountType: provider.subAccountType, hourly: stepPrice(spec.hourlyCommitment, 0), keepPpm: 1_000_000n - ppm(spec.discount) };
}

function scaledByPlan(plan: PlanState, contracted: number): number {
  return Number(scaleRounded(contracted, plan.keepPpm, 1_000_000n));
}

function planColumns(plan: PlanState): FocusRow {
  const s = plan.spec;
  return {
    SubAccountId: plan.sub.id,
    SubAccountName: plan.sub.name,
    SubAccountType: plan.subAccountType,
    ResourceId: s.id,
    ResourceName: s.name,
    ResourceType: s.type,
    ServiceName: s.serviceName,
    ServiceCategory: s.serviceCategory,
    ServiceSubcategory: s.serviceSubcategory,
    SkuId: s.skuId,
    SkuPriceId: s.skuPriceId,
    CommitmentDiscountId: s.id,
    CommitmentDiscountName: s.name,
    CommitmentDiscountType: s.type,
    CommitmentDiscountCategory: s.category,
    CommitmentDiscountUnit: 'USD',
  };
}

/** The day's recurring fee: BilledCost carries the payment, EffectiveCost is 0 because it covers other rows. */
function planPurchase(ctx: Context, plan: PlanState, stream: InvoiceStream, shared: FocusRow, period: FocusRow): number {
  const fee = times(24, plan.hourly.step);
  emit(ctx, stream, focusRow(shared, period, planColumns(plan), {
    ChargeCategory: 'Purchase',
    ChargeFrequency: 'Recurring',
    ChargeDescription: `${plan.spec.description}, ${formatScaled(plan.hourly.step, 9)} USD/hour`,
    PricingCategory: 'Standard',
    PricingQuantity: '24',
    PricingUnit: 'Hours',
    ListUnitPrice: plan.hourly.price,
    ContractedUnitPrice: plan.hourly.price,
    CommitmentDiscountQuantity: fee,
    ListCost: fee,
    ContractedCost: fee,
    BilledCost: fee,
    EffectiveCost: 0,
  }));
  return fee;
}

/** A usage row the plan paid for: nothing billed, the plan-rate share as EffectiveCost. */
function coverRow(row: DemoRow, plan: PlanState, covered: number): DemoRow {
  const s = plan.spec;
  row.PricingCategory = 'Committed';
  row.BilledCost = 0;
  row.EffectiveCost = covered;
  row.CommitmentDiscountId = s.id;
  row.CommitmentDiscountName = s.name;
  row.CommitmentDiscountType = s.type;
  row.CommitmentDiscountCategory = s.category;
  row.CommitmentDiscountStatus = 'Used';
  row.CommitmentDiscountQuantity = covered;
  row.CommitmentDiscountUnit = 'USD';
  return row;
}

/** The part of the day's commitment nothing used (FOCUS requires such a row whenever a commitment is under-used). */
function planUnused(ctx: Context, plan: PlanState, stream: InvoiceStream, shared: FocusRow, period: FocusRow, unused: number): void {
  emit(ctx, stream, focusRow(shared, period, planColumns(plan), {
    ChargeCategory: 'Usage',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `Unused commitment: ${plan.spec.description}`,
    PricingCategory: 'Committed',
    // The unused amount is priced in the plan's own unit (USD of commitment) at a zero list price: nothing was
    // consumed, so ListCost and ContractedCost are 0 and EffectiveCost carries the waste.
    PricingQuantity: formatScaled(unused, 9),
    PricingUnit: 'USD',
    ListUnitPrice: 0,
    ContractedUnitPrice: 0,
    CommitmentDiscountStatus: 'Unused',
    CommitmentDiscountQuantity: unused,
    ListCost: 0,
    ContractedCost: 0,
    BilledCost: 0,
    EffectiveCost: unused,
  }));
}

// ---------- AI tokens ----------

type TokenClass = 'input' | 'cacheRead' | 'cacheWrite' | 'output';

const TOKEN_CLASSES: { key: TokenClass; sku: string; meter: string; text: string; direction: string; cache: string | null }[] = [
  { key: 'input', sku: 'input', meter: 'Input Tokens', text: 'Input tokens', direction: 'Input', cache: 'Uncached' },
  { key: 'cacheRead', sku: 'cache-read', meter: 'Cache Read Input Tokens', text: 'Cache read input tokens', direction: 'Input', cache: 'Read' },
  { key: 'cacheWrite', sku: 'cache-write', meter: 'Cache Write Input Tokens', text: 'Cache write input tokens', direction: 'Input', cache: 'Write' },
  { key: 'output', sku: 'output', meter: 'Output Tokens', text: 'Output tokens', direction: 'Output', cache: null },
];

interface AiMeter {
  ratio: (m: AiModel) => number;
  price: StepPrice;
  fixed: FocusRow;
}

interface AiSource {
  vendor: AiVendor;
  stream: InvoiceStream;
  models: { model: AiModel; meters: AiMeter[] }[];
  rng: Rng;
}

function buildAiSource(ctx: Context, vendor: AiVendor): AiSource {
  const stream = ctx.ledger.stream(vendor.invoiceIssuer, vendor.billingAccount, vendor.serviceProviderName, vendor.hostProviderName);
  const rng = Rng.derive(ctx.seed, `ai:${vendor.id}`);
  const models = vendor.models.map((model) => {
    const meters: AiMeter[] = [];
    for (const c of TOKEN_CLASSES) {
      const listPrice = model.prices[c.key];
      if (listPrice === undefined) continue;
      const price = stepPrice(listPrice, TOKEN_PRICING_DECIMALS);
      const details: Record<string, string> = {
        ModelDeveloper: model.developer,
        ModelFamily: model.family,
        ModelId: model.modelId,
        ModelVersion: model.version,
      };
      if (c.cache) details.TokenCacheAction = c.cache;
      details.TokenDirection = c.direction;
      const skuId = `${model.skuPrefix}-${c.sku}`;
      meters.push({
        ratio: (m) => (c.key === 'input' ? 1 : c.key === 'cacheRead' ? m.cacheReadPerInput : c.key === 'cacheWrite' ? m.cacheWritePerInput : m.outputPerInput),
        price,
        fixed: {
          // Set per row, not per invoice stream: a marketplace model shares its cloud's invoice but not its provider.
          ServiceProviderName: vendor.serviceProviderName,
          HostProviderName: vendor.hostProviderName,
          ServiceName: vendor.serviceName,
          ServiceCategory: 'AI and Machine Learning',
          ServiceSubcategory: 'Generative AI',
          RegionId: vendor.region?.id ?? null,
          RegionName: vendor.region?.name ?? null,
          ResourceId: vendor.resourceId ? fillTemplate(vendor.resourceId, { modelId: model.modelId }, rng) : null,
          ResourceName: vendor.resourceId ? model.displayName : null,
          ResourceType: vendor.resourceType,
          SkuId: skuId,
          SkuPriceId: `${skuId}-ondemand`,
          SkuMeter: c.meter,
          SkuPriceDetails: JSON.stringify(details),
          ChargeDescription: `${c.text} for ${model.displayName}`,
          ChargeCategory: 'Usage',
          ChargeFrequency: 'Usage-Based',
          PricingCategory: 'Standard',
          PricingUnit: '1000000 Tokens',
          ConsumedUnit: 'Tokens',
          ListUnitPrice: price.price,
          ContractedUnitPrice: price.price,
        },
      });
    }
    return { model, meters };
  });
  return { vendor, stream, models, rng };
}

function aiDay(ctx: Context, source: AiSource, day: DayInfo): void {
  const { vendor, stream, rng } = source;
  const shared = billingColumns(stream, day.month);
  const period = { ChargePeriodStart: day.startMs, ChargePeriodEnd: day.startMs + DAY_MS };
  const g = growth(vendor.monthlyGrowth, day.index);
  for (const { model, meters } of source.models) {
    if (day.month.index < model.startMonth) continue;
    for (const sub of vendor.subAccounts) {
      let input = model.dailyInputTokens * sub.share * g * (day.weekend ? vendor.weekendFactor : 1);
      input *= 1 + 0.2 * (2 * rng.next() - 1);
      for (const m of meters) {
        const ratio = m.ratio(model);
        if (ratio <= 0) continue;
        const tokens = Math.max(1, Math.round(input * ratio * (1 + 0.1 * (2 * rng.next() - 1))));
        const cost = times(tokens, m.price.step);
        emit(ctx, stream, focusRow(shared, period, m.fixed, {
          SubAccountId: sub.id,
          SubAccountName: sub.name,
          SubAccountType: vendor.subAccountType,
          PricingQuantity: formatScaled(tokens, TOKEN_PRICING_DECIMALS),
          ConsumedQuantity: String(tokens),
          ListCost: cost,
          ContractedCost: cost,
          BilledCost: cost,
          EffectiveCost: cost,
        }));
      }
    }
  }
}

// ---------- SaaS seats ----------

interface SaasSource {
  product: SaasProduct;
  stream: InvoiceStream;
  list: StepPrice;
  contracted: StepPrice;
  seats: number[];
}

function buildSaasSource(ctx: Context, product: SaasProduct): SaasSource {
  const stream = ctx.ledger.stream(product.invoiceIssuer, product.billingAccount, product.serviceProviderName, product.serviceProviderName);
  const rng = Rng.derive(ctx.seed, `saas:${product.id}`);
  const n = ctx.calendar.months.length;
  const seats: number[] = [];
  for (let i = 0; i < n; i++) {
    const target = product.seats.start + ((product.seats.end - product.seats.start) * i) / Math.max(1, n - 1);
    const jittered = Math.round(target + (i > 0 && i < n - 1 ? rng.int(-2, 2) : 0));
    seats.push(Math.max(seats[i - 1] ?? 0, jittered)); // seat counts only grow
  }
  return {
    product,
    stream,
    list: stepPrice(product.listUnitPrice, 0),
    contracted: stepPrice(product.contractedUnitPrice ?? product.listUnitPrice, 0),
    seats,
  };
}

/**
 * Seats are billed monthly for the month they cover: one Usage / Recurring row per product and month, the seats as
 * ConsumedQuantity and BilledCost = EffectiveCost, like FOCUS's own seat examples and the seat mappers
 * (src-main/ingest/formats/saas-seats.ts). As a Purchase the row would need EffectiveCost 0 and Usage rows carrying
 * the cost (FOCUS EffectiveCost-C-005-C), but a month's seats are not bought ahead of the period they are used in.
 */
function saasMonth(ctx: Context, source: SaasSource, month: Month): void {
  const { product, stream } = source;
  const seats = source.seats[month.index] ?? product.seats.end;
  const list = times(seats, source.list.step);
  const contracted = times(seats, source.contracted.step);
  emit(ctx, stream, focusRow(billingColumns(stream, month), {
    ChargePeriodStart: month.startMs,
    ChargePeriodEnd: month.endMs,
    ServiceProviderName: product.serviceProviderName,
    HostProviderName: product.serviceProviderName,
    SubAccountId: product.subAccount?.id ?? null,
    SubAccountName: product.subAccount?.name ?? null,
    SubAccountType: product.subAccount?.type ?? null,
    ServiceName: product.serviceName,
    ServiceCategory: product.category,
    ServiceSubcategory: product.subcategory,
    SkuId: product.skuId,
    SkuPriceId: product.skuPriceId,
    SkuMeter: product.skuMeter,
    ChargeDescription: product.description,
    ChargeCategory: 'Usage',
    ChargeFrequency: 'Recurring',
    PricingCategory: 'Standard',
    PricingQuantity: String(seats),
    PricingUnit: product.pricingUnit,
    ConsumedQuantity: String(seats),
    ConsumedUnit: product.pricingUnit,
    ListUnitPrice: source.list.price,
    ContractedUnitPrice: source.contracted.price,
    ListCost: list,
    ContractedCost: contracted,
    BilledCost: contracted,
    EffectiveCost: contracted,
  }));
}

// ---------- credit and tax ----------

function creditRows(ctx: Context, sources: CloudSource[], day: DayInfo): void {
  const date = new Date(day.startMs);
  for (const credit of ctx.recipe.credits) {
    if (credit.month !== day.month.index || credit.day !== date.getUTCDate()) continue;
    const source = sources.find((s) => s.provider.id === credit.provider);
    if (!source) continue;
    const sub = source.provider.subAccounts.find((s) => s.id === credit.subAccount);
    const service = source.provider.services.find((s) => s.name === credit.serviceName);
    const amount = Number(parseScaled(credit.amount, 9));
    emit(ctx, source.stream, focusRow(billingColumns(source.stream, day.month), {
      ChargePeriodStart: day.startMs,
      ChargePeriodEnd: day.startMs + DAY_MS,
      SubAccountId: sub?.id ?? null,
      SubAccountName: sub?.name ?? null,
      SubAccountType: sub ? source.provider.subAccountType : null,
      ServiceName: credit.serviceName,
      ServiceCategory: service?.category ?? 'Other',
      ServiceSubcategory: service?.subcategory ?? 'Other (Other)',
      ChargeDescription: credit.description,
      ChargeCategory: 'Credit',
      ChargeFrequency: 'One-Time',
      // Unrelated to other charges, so every cost column equals BilledCost (FOCUS ListCost/ContractedCost rule).
      ListCost: amount,
      ContractedCost: amount,
      BilledCost: amount,
      EffectiveCost: amount,
    }));
  }
}

const CENT_NANOS = 10_000_000n;

/** Tax on a closed month: rate × the stream's month totals, rounded to cents like an invoice. */
function taxRows(ctx: Context, month: Month): void {
  for (const stream of ctx.ledger.allStreams()) {
    const sums = stream.month;
    stream.month = freshMonth();
    if (stream.taxPpm === 0n || !month.closed) continue;
    const tax = (base: bigint) => Number(scaleRounded(base, stream.taxPpm, 1_000_000n * CENT_NANOS) * CENT_NANOS);
    const billed = tax(sums.billed.value);
    if (billed === 0) continue;
    const rate = formatScaled(Number(stream.taxPpm), 4);
    emit(ctx, stream, focusRow(billingColumns(stream, month), {
      ChargePeriodStart: month.startMs,
      ChargePeriodEnd: month.endMs,
      ServiceName: 'Tax',
      ServiceCategory: 'Other',
      ServiceSubcategory: 'Other (Other)',
      ChargeDescription: `Sales tax ${rate}% on invoice for ${month.label}`,
      ChargeCategory: 'Tax',
      ChargeFrequency: 'Recurring',
      // Derived charge: ListCost/ContractedCost come from the taxed charges' ListCost/ContractedCost.
      ListCost: tax(sums.list.value),
      ContractedCost: tax(sums.contracted.value),
      BilledCost: billed,
      EffectiveCost: billed,
    }));
  }
}

// ---------- entry point ----------

export async function generateDemoCsv(opts: DemoOptions): Promise<DemoResult> {
  const recipe = opts.recipe ?? defaultRecipe();
  const calendar = buildCalendar(opts.endDate ?? yesterdayUtc(), recipe.months);
  const writer = FocusCsvWriter.open(opts.outPath, { gzip: opts.gzip });
  const ctx: Context = {
    recipe,
    calendar,
    seed: opts.seed ?? recipe.seed,
    ledger: new Ledger(recipe),
    write: (row) => writer.write(row),
  };
  try {
    const cloud = recipe.cloud.map((p) => buildCloudSource(ctx, p));
    const ai = recipe.ai.map((v) => buildAiSource(ctx, v));
    const saas = recipe.saas.map((p) => buildSaasSource(ctx, p));

    let monthIndex = 0;
    for (let d = 0; d < calendar.days; d++) {
      const startMs = calendar.startMs + d * DAY_MS;
      let month = calendar.months[monthIndex] as Month;
      if (startMs >= month.endMs) month = calendar.months[++monthIndex] as Month;
      const day: DayInfo = { index: d, startMs, weekend: isWeekend(startMs), month };

      if (startMs === month.startMs) for (const s of saas) saasMonth(ctx, s, month);
      for (const s of cloud) cloudDay(ctx, s, day);
      for (const s of ai) aiDay(ctx, s, day);
      creditRows(ctx, cloud, day);
      if (startMs + DAY_MS === month.endMs) taxRows(ctx, month);

      if (writer.mustDrain) await writer.drain();
      opts.onProgress?.((d + 1) / calendar.days);
    }
    await writer.close();
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }
  return { rows: ctx.ledger.rows, billedNanos: ctx.ledger.billed.value, effectiveNanos: ctx.ledger.effective.value, path: opts.outPath };
}

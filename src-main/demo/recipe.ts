// The demo recipe: what a realistic multi-vendor company buys, as data (resources/demo/recipe.json).
// This module owns its shape (zod schema → types), loading, and the checks that keep the generator exact:
// every price must cost a whole number of nano-units per quantity step, so no cost ever needs rounding.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import defaultRecipeJson from '../../resources/demo/recipe.json';
import { costPerStepNanos, parseScaled, UNIT_PRICE_SCALE } from './focus-writer';

// ---------- schema ----------

const Decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a plain decimal string such as "0.096"');
const Fraction = z.number().min(0).max(1);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Placeholders a resource template may use; see `fillTemplate` in generate-demo.ts. */
export const TEMPLATE_PLACEHOLDERS = ['account', 'region', 'zone', 'n', 'app', 'env', 'team', 'name', 'modelId'];
const Template = z.string().min(1).refine(
  (t) => [...t.matchAll(/\{([a-zA-Z]+)(?::\d+)?\}/g)].every((m) => TEMPLATE_PLACEHOLDERS.includes(m[1] ?? '') || ['hex', 'digits', 'upper', 'uuid'].includes(m[1] ?? '')),
  'unknown {placeholder} in template',
);

const IssuerSchema = z.strictObject({
  name: z.string().min(1),
  invoicePrefix: z.string().min(1),
  /** Sales tax on the monthly invoice; "0" means no Tax rows for this issuer. */
  taxRate: Decimal,
});

const BillingAccountSchema = z.strictObject({ id: z.string().min(1), name: z.string().min(1), type: z.string().min(1) });
const SubAccountSchema = z.strictObject({ id: z.string().min(1), name: z.string().min(1), env: z.string().min(1) });
const RegionSchema = z.strictObject({ id: z.string().min(1), name: z.string().min(1), zones: z.array(z.string()) });
const ServiceSchema = z.strictObject({ name: z.string().min(1), category: z.string().min(1), subcategory: z.string().min(1) });

const MeterSchema = z.strictObject({
  skuId: z.string().min(1),
  skuPriceId: z.string().min(1),
  skuMeter: z.string().min(1),
  description: z.string().min(1),
  listUnitPrice: Decimal,
  pricingUnit: z.string().min(1),
  consumedUnit: z.string().min(1),
  /** ConsumedQuantity per PricingQuantity unit, a power of ten (1000 for "1000 Requests"). */
  consumedPerPricingUnit: z.number().int().positive().default(1),
  /** PricingQuantity is counted in steps of 10^-pricingDecimals (negative: steps of 10, 100, …). */
  pricingDecimals: z.number().int().min(-6).max(9),
  /** PricingQuantity per resource per day at the start (log-uniform between min and max per resource). */
  daily: z.strictObject({ min: z.number().positive(), max: z.number().positive() }),
  /** Physical cap per day (24 for hours of one instance). */
  maxDaily: z.number().positive().optional(),
  noise: Fraction.default(0.1),
  /** Whether the quantity follows company growth (storage, requests) or not (instance hours). */
  growth: z.boolean().default(true),
  /** Overrides the workload's weekend multiplier. */
  weekendFactor: z.number().min(0).max(2).optional(),
  commitmentEligible: z.boolean().default(false),
  skuPriceDetails: z.record(z.string(), Scalar).optional(),
});

const WorkloadSchema = z.strictObject({
  name: z.string().min(1),
  service: z.string().min(1),
  resourceType: z.string().nullable(),
  /** Resources alive at the end of the period. */
  count: z.number().int().positive(),
  /** Share of them created during the period rather than before it (row counts grow too). */
  lateStartShare: Fraction.default(0),
  /** Sub accounts by environment; omitted means all. */
  envs: z.array(z.string()).optional(),
  /** Sub account ids; wins over envs. */
  subAccounts: z.array(z.string()).optional(),
  /** Region ids; empty means a global service (RegionId null). */
  regions: z.array(z.string()),
  zonal: z.boolean().default(false),
  resourceName: Template.nullable(),
  resourceId: Template.nullable(),
  /** Usage on Saturday/Sunday relative to a weekday. */
  weekendFactor: z.number().min(0).max(2).default(1),
  /** False for resources that cannot carry tags (NAT traffic, log ingestion). */
  tagged: z.boolean().default(true),
  meters: z.array(MeterSchema).min(1),
});

const CloudProviderSchema = z.strictObject({
  id: z.string().min(1),
  serviceProviderName: z.string().min(1),
  hostProviderName: z.string().min(1),
  invoiceIssuer: z.string().min(1),
  billingAccount: BillingAccountSchema,
  subAccountType: z.string().min(1),
  /** Enterprise discount off list: ContractedUnitPrice = ListUnitPrice × (1 − this), rounded to an exact step price. */
  negotiatedDiscount: Decimal.default('0'),
  subAccounts: z.array(SubAccountSchema).min(1),
  regions: z.array(RegionSchema),
  services: z.array(ServiceSchema).min(1),
  workloads: z.array(WorkloadSchema).min(1),
});

const TokenPricesSchema = z.strictObject({
  input: Decimal,
  cacheRead: Decimal.optional(),
  cacheWrite: Decimal.optional(),
  output: Decimal,
});

const AiModelSchema = z.strictObject({
  modelId: z.string().min(1),
  displayName: z.string().min(1),
  developer: z.string().min(1),
  family: z.string().min(1),
  version: z.string().min(1),
  skuPrefix: z.string().min(1),
  /** Uncached input tokens per day at the start (whole vendor, split over sub accounts by share). */
  dailyInputTokens: z.number().positive(),
  cacheReadPerInput: z.number().min(0).default(0),
  cacheWritePerInput: z.number().min(0).default(0),
  outputPerInput: z.number().positive(),
  /** Month index (0 = first month) the model was adopted. */
  startMonth: z.number().int().min(0).default(0),
  /** Per-million-token list prices in USD. */
  prices: TokenPricesSchema,
});

const AiVendorSchema = z.strictObject({
  id: z.string().min(1),
  serviceProviderName: z.string().min(1),
  hostProviderName: z.string().min(1),
  invoiceIssuer: z.string().min(1),
  billingAccount: BillingAccountSchema,
  subAccountType: z.string().min(1),
  subAccounts: z.array(z.strictObject({ id: z.string().min(1), name: z.string().min(1), share: z.number().positive() })).min(1),
  serviceName: z.string().min(1),
  region: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  resourceId: Template.nullable(),
  resourceType: z.string().nullable(),
  weekendFactor: z.number().min(0).max(2).default(1),
  monthlyGrowth: z.number().min(-0.5).max(2),
  models: z.array(AiModelSchema).min(1),
});

const SaasProductSchema = z.strictObject({
  id: z.string().min(1),
  serviceProviderName: z.string().min(1),
  invoiceIssuer: z.string().min(1),
  billingAccount: BillingAccountSchema,
  subAccount: z.strictObject({ id: z.string(), name: z.string(), type: z.string() }).nullable(),
  serviceName: z.string().min(1),
  category: z.string().min(1),
  subcategory: z.string().min(1),
  skuId: z.string().min(1),
  skuPriceId: z.string().min(1),
  skuMeter: z.string().min(1),
  description: z.string().min(1),
  /** Per seat per month. */
  listUnitPrice: Decimal,
  contractedUnitPrice: Decimal.optional(),
  pricingUnit: z.string().min(1),
  /** Seats in the first and in the last month; months between grow roughly linearly. */
  seats: z.strictObject({ start: z.number().int().positive(), end: z.number().int().positive() }),
});

const SavingsPlanSchema = z.strictObject({
  provider: z.string().min(1),
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.string().min(1),
  category: z.enum(['Spend', 'Usage']),
  subAccount: z.string().min(1),
  serviceName: z.string().min(1),
  serviceCategory: z.string().min(1),
  serviceSubcategory: z.string().min(1),
  skuId: z.string().min(1),
  skuPriceId: z.string().min(1),
  description: z.string().min(1),
  /** USD per hour committed. */
  hourlyCommitment: Decimal,
  /** Savings-plan rate discount off the contracted price (0.28 = 28 % off). */
  discount: Decimal,
  /** Month index (0 = first month) the plan starts. */
  startMonth: z.number().int().min(0),
});

const CreditSchema = z.strictObject({
  provider: z.string().min(1),
  subAccount: z.string().nullable(),
  month: z.number().int().min(0),
  day: z.number().int().min(1).max(28),
  amount: Decimal,
  description: z.string().min(1),
  serviceName: z.string().min(1),
});

const TagsSchema = z.strictObject({
  teams: z.array(
    z.strictObject({ name: z.string(), costCenter: z.string(), apps: z.array(z.string()).min(1), weight: z.number().positive() }),
  ).min(1),
  /** Share of taggable resources with no tags at all. */
  untaggedShare: Fraction,
  /** Share of taggable resources missing one or two keys. */
  partialShare: Fraction,
  /** Which keys go missing on partially tagged resources, by relative weight. */
  droppableKeys: z.record(z.enum(['team', 'env', 'app', 'cost-center']), z.number().positive()),
});

export const RecipeSchema = z
  .strictObject({
    version: z.literal(1),
    name: z.string().min(1),
    company: z.string().min(1),
    seed: z.number().int(),
    billingCurrency: z.literal('USD'),
    /** Full calendar months before the month of the end date. */
    months: z.number().int().min(1).max(36),
    /** Month-over-month growth of usage-driven cloud quantities (0.05 = 5 %). */
    monthlyGrowth: z.number().min(-0.5).max(2),
    issuers: z.array(IssuerSchema).min(1),
    tags: TagsSchema,
    cloud: z.array(CloudProviderSchema).min(1),
    ai: z.array(AiVendorSchema),
    saas: z.array(SaasProductSchema),
    savingsPlans: z.array(SavingsPlanSchema),
    credits: z.array(CreditSchema),
  })
  .superRefine((recipe, ctx) => {
    for (const problem of crossCheck(recipe)) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });

export type Recipe = z.infer<typeof RecipeSchema>;
export type Issuer = Recipe['issuers'][number];
export type CloudProvider = Recipe['cloud'][number];
export type Workload = CloudProvider['workloads'][number];
export type Meter = Workload['meters'][number];
export type AiVendor = Recipe['ai'][number];
export type AiModel = AiVendor['models'][number];
export type SaasProduct = Recipe['saas'][number];
export type SavingsPlan = Recipe['savingsPlans'][number];
export type Credit = Recipe['credits'][number];
export type TagKey = 'team' | 'env' | 'app' | 'cost-center';

/** PricingQuantity steps of a token meter: PricingUnit "1000000 Tokens" counted per single token. */
export const TOKEN_PRICING_DECIMALS = 6;

// ---------- cross checks (references and exactness) ----------

interface Problem {
  message: string;
  path: (string | number)[];
}

function crossCheck(recipe: z.infer<typeof RecipeSchema>): Problem[] {
  const problems: Problem[] = [];
  const issuers = new Set(recipe.issuers.map((i) => i.name));
  const needIssuer = (name: string, path: (string | number)[]) => {
    if (!issuers.has(name)) problems.push({ message: `unknown invoice issuer "${name}"`, path });
  };
  const needExact = (price: string, decimals: number, path: (string | number)[]) => {
    if (!isExactPrice(price, decimals)) {
      problems.push({ message: `price ${price} is not a whole number of nano-units per 1e${-decimals} step`, path });
    }
  };

  recipe.cloud.forEach((p, pi) => {
    needIssuer(p.invoiceIssuer, ['cloud', pi, 'invoiceIssuer']);
    const services = new Set(p.services.map((s) => s.name));
    const regions = new Set(p.regions.map((r) => r.id));
    const envs = new Set(p.subAccounts.map((s) => s.env));
    const subs = new Set(p.subAccounts.map((s) => s.id));
    p.workloads.forEach((w, wi) => {
      const at = ['cloud', pi, 'workloads', wi];
      if (!services.has(w.service)) problems.push({ message: `unknown service "${w.service}"`, path: [...at, 'service'] });
      for (const r of w.regions) if (!regions.has(r)) problems.push({ message: `unknown region "${r}"`, path: [...at, 'regions'] });
      for (const e of w.envs ?? []) if (!envs.has(e)) problems.push({ message: `no sub account with env "${e}"`, path: [...at, 'envs'] });
      for (const s of w.subAccounts ?? []) if (!subs.has(s)) problems.push({ message: `unknown sub account "${s}"`, path: [...at, 'subAccounts'] });
      w.meters.forEach((m, mi) => {
        const mat = [...at, 'meters', mi];
        needExact(m.listUnitPrice, m.pricingDecimals, [...mat, 'listUnitPrice']);
        if (m.daily.min > m.daily.max) problems.push({ message: 'daily.min > daily.max', path: [...mat, 'daily'] });
        if (!isPowerOfTen(m.consumedPerPricingUnit)) {
          problems.push({ message: 'consumedPerPricingUnit must be a power of ten', path: [...mat, 'consumedPerPricingUnit'] });
        }
      });
    });
  });

  recipe.ai.forEach((v, vi) => {
    needIssuer(v.invoiceIssuer, ['ai', vi, 'invoiceIssuer']);
    v.models.forEach((m, mi) => {
      for (const [key, price] of Object.entries(m.prices)) {
        if (price !== undefined) needExact(price, TOKEN_PRICING_DECIMALS, ['ai', vi, 'models', mi, 'prices', key]);
      }
    });
  });

  recipe.saas.forEach((s, si) => {
    needIssuer(s.invoiceIssuer, ['saas', si, 'invoiceIssuer']);
    needExact(s.listUnitPrice, 0, ['saas', si, 'listUnitPrice']);
    if (s.contractedUnitPrice) needExact(s.contractedUnitPrice, 0, ['saas', si, 'contractedUnitPrice']);
  });

  const providers = new Map(recipe.cloud.map((p) => [p.id, p]));
  recipe.savingsPlans.forEach((sp, i) => {
    const provider = providers.get(sp.provider);
    if (!provider) problems.push({ message: `unknown provider "${sp.provider}"`, path: ['savingsPlans', i, 'provider'] });
    else if (!provider.subAccounts.some((s) => s.id === sp.subAccount)) {
      problems.push({ message: `unknown sub account "${sp.subAccount}"`, path: ['savingsPlans', i, 'subAccount'] });
    }
    needExact(sp.hourlyCommitment, 0, ['savingsPlans', i, 'hourlyCommitment']);
    const d = Number(sp.discount);
    if (!(d >= 0 && d < 1)) problems.push({ message: 'discount must be in [0, 1)', path: ['savingsPlans', i, 'discount'] });
  });
  recipe.credits.forEach((c, i) => {
    if (!providers.has(c.provider)) problems.push({ message: `unknown provider "${c.provider}"`, path: ['credits', i, 'provider'] });
  });
  return problems;
}

function isExactPrice(price: string, decimals: number): boolean {
  try {
    return costPerStepNanos(parseScaled(price, UNIT_PRICE_SCALE), decimals) !== null;
  } catch {
    return false;
  }
}

function isPowerOfTen(n: number): boolean {
  let v = n;
  while (v >= 10 && v % 10 === 0) v /= 10;
  return v === 1;
}

// ---------- loading ----------

/** Validate recipe JSON; throws an Error listing every problem with its JSON path. */
export function parseRecipe(json: unknown): Recipe {
  const result = RecipeSchema.safeParse(json);
  if (!result.success) throw new Error(`invalid demo recipe:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** The recipe shipped in resources/demo/recipe.json (bundled at build time, so no path lookup at run time). */
export function defaultRecipe(): Recipe {
  return parseRecipe(defaultRecipeJson);
}

export async function loadRecipe(path: string): Promise<Recipe> {
  return parseRecipe(JSON.parse(await readFile(path, 'utf8')));
}

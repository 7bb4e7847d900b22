// GitHub's metered usage reports (summarized, detailed, premium-request and AI-credit "AI usage" reports: one row per
// day × SKU × attribution, with gross, discount and net amounts) and the legacy 2025 "premium request analytics" CSV
// (one row per interaction, no money column). See vendor-formats.md §4.3.
import type { BillFormat, EmitRow, MappingGap, RowMapper, TableSample, VendorTotal } from './types';
import { MappingRowError, MappingSetupError } from './types';
import {
  Columns,
  DecimalSum,
  cell,
  decMul,
  decShift,
  decSub,
  decText,
  focusDateTime,
  monthBounds,
  parseBool,
  parseDec,
  parseVendorDateTime,
  isPlainDecimal,
} from './values';

// ---------------------------------------------------------------------------------------------------------------
// Output columns (shared by both formats; a format leaves the ones it cannot fill empty)

const BASE_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeFrequency',
  'ChargeDescription',
  'ServiceProviderName',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'SubAccountName',
  'ServiceName',
  'ServiceCategory',
  'ServiceSubcategory',
  'ResourceId',
  'ResourceName',
  'SkuId',
  'SkuMeter',
  'SkuPriceId',
  'SkuPriceDetails',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'ConsumedQuantity',
  'ConsumedUnit',
  'Tags',
  // custom columns after the FOCUS ones
  'x_Username',
  'x_CostCenter',
  'x_ExceedsQuota',
  'x_TotalMonthlyQuota',
  'x_DiscountAmount',
];

const USAGE_COLUMNS = [...BASE_COLUMNS, 'x_WorkflowPath', 'x_Product', 'x_UnitType', 'x_AicQuantity', 'x_AicGrossAmount'];
const LEGACY_COLUMNS = [...BASE_COLUMNS, 'x_InteractionTime'];

/** Index of a column in a column list, resolved once at load. */
function at(columns: readonly string[], name: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new Error(`github-copilot: no column ${name}`);
  return i;
}

// Base column indexes (the same in both column lists)
const BILLED = at(BASE_COLUMNS, 'BilledCost');
const EFFECTIVE = at(BASE_COLUMNS, 'EffectiveCost');
const LIST = at(BASE_COLUMNS, 'ListCost');
const CONTRACTED = at(BASE_COLUMNS, 'ContractedCost');
const CURRENCY = at(BASE_COLUMNS, 'BillingCurrency');
const BP_START = at(BASE_COLUMNS, 'BillingPeriodStart');
const BP_END = at(BASE_COLUMNS, 'BillingPeriodEnd');
const CP_START = at(BASE_COLUMNS, 'ChargePeriodStart');
const CP_END = at(BASE_COLUMNS, 'ChargePeriodEnd');
const CHARGE_CATEGORY = at(BASE_COLUMNS, 'ChargeCategory');
const CHARGE_FREQUENCY = at(BASE_COLUMNS, 'ChargeFrequency');
const CHARGE_DESCRIPTION = at(BASE_COLUMNS, 'ChargeDescription');
const SERVICE_PROVIDER = at(BASE_COLUMNS, 'ServiceProviderName');
const PROVIDER = at(BASE_COLUMNS, 'ProviderName');
const PUBLISHER = at(BASE_COLUMNS, 'PublisherName');
const ISSUER = at(BASE_COLUMNS, 'InvoiceIssuerName');
const BILLING_ACCOUNT_ID = at(BASE_COLUMNS, 'BillingAccountId');
const BILLING_ACCOUNT_NAME = at(BASE_COLUMNS, 'BillingAccountName');
const SUB_ACCOUNT_ID = at(BASE_COLUMNS, 'SubAccountId');
const SUB_ACCOUNT_NAME = at(BASE_COLUMNS, 'SubAccountName');
const SERVICE_NAME = at(BASE_COLUMNS, 'ServiceName');
const SERVICE_CATEGORY = at(BASE_COLUMNS, 'ServiceCategory');
const SERVICE_SUBCATEGORY = at(BASE_COLUMNS, 'ServiceSubcategory');
const RESOURCE_ID = at(BASE_COLUMNS, 'ResourceId');
const RESOURCE_NAME = at(BASE_COLUMNS, 'ResourceName');
const SKU_ID = at(BASE_COLUMNS, 'SkuId');
const SKU_METER = at(BASE_COLUMNS, 'SkuMeter');
const SKU_PRICE_ID = at(BASE_COLUMNS, 'SkuPriceId');
const SKU_PRICE_DETAILS = at(BASE_COLUMNS, 'SkuPriceDetails');
const PRICING_CATEGORY = at(BASE_COLUMNS, 'PricingCategory');
const PRICING_QUANTITY = at(BASE_COLUMNS, 'PricingQuantity');
const PRICING_UNIT = at(BASE_COLUMNS, 'PricingUnit');
const LIST_UNIT_PRICE = at(BASE_COLUMNS, 'ListUnitPrice');
const CONTRACTED_UNIT_PRICE = at(BASE_COLUMNS, 'ContractedUnitPrice');
const CONSUMED_QUANTITY = at(BASE_COLUMNS, 'ConsumedQuantity');
const CONSUMED_UNIT = at(BASE_COLUMNS, 'ConsumedUnit');
const TAGS = at(BASE_COLUMNS, 'Tags');
const X_USERNAME = at(BASE_COLUMNS, 'x_Username');
const X_COST_CENTER = at(BASE_COLUMNS, 'x_CostCenter');
const X_EXCEEDS = at(BASE_COLUMNS, 'x_ExceedsQuota');
const X_QUOTA = at(BASE_COLUMNS, 'x_TotalMonthlyQuota');
const X_DISCOUNT = at(BASE_COLUMNS, 'x_DiscountAmount');
// usage-report extras
const X_WORKFLOW = at(USAGE_COLUMNS, 'x_WorkflowPath');
const X_PRODUCT = at(USAGE_COLUMNS, 'x_Product');
const X_UNIT_TYPE = at(USAGE_COLUMNS, 'x_UnitType');
const X_AIC_QUANTITY = at(USAGE_COLUMNS, 'x_AicQuantity');
const X_AIC_GROSS = at(USAGE_COLUMNS, 'x_AicGrossAmount');
// legacy extra
const X_INTERACTION_TIME = at(LEGACY_COLUMNS, 'x_InteractionTime');

const GITHUB = 'GitHub';
const DAY = 86400;

/**
 * The stand-in billing account of a report that does not name the account it bills. GitHub invoices the enterprise
 * (or an organization billed on its own) a report is downloaded for, and the reports leave that out: `organization`
 * is the attribution of each row, one of possibly many organizations of the enterprise, so it is the sub account, not
 * the payer. FOCUS requires BillingAccountId on every row (BillingAccountId-C-001-M) and BillingAccountName where the
 * provider names its accounts (BillingAccountName-C-003-C, applicable once the column is there, which
 * CostAndUsage-D-005-M asks for). One fixed placeholder, like `openai-organization` (openai.ts), keeps all GitHub
 * reports in one account, so re-deliveries of a period are still recognised as overlapping.
 */
export const GITHUB_ACCOUNT_PLACEHOLDER = 'github-enterprise';

/** The gap note for a file whose every row got the placeholder billing account. */
function placeholderAccountGap(what: string, hint: string): MappingGap {
  return {
    column: 'BillingAccountId',
    note:
      `${what} do not name the enterprise (or organization billed on its own) GitHub invoices: BillingAccountId and ` +
      `BillingAccountName are the placeholder "${GITHUB_ACCOUNT_PLACEHOLDER}" (not an id GitHub issued), because FOCUS ` +
      'requires a billing account on every row. Every GitHub report without one gets the same placeholder, so two ' +
      `enterprises' reports cannot be told apart by it. ${hint}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Private value helpers

/** A number cell as plain decimal text ('' stays ''), or a MappingRowError naming the row and column. */
function numberCell(text: string, row: number, column: string): string {
  if (text === '' || isPlainDecimal(text)) return text;
  const t = text.trim();
  if (t === '') return '';
  const d = parseDec(t);
  if (!d) throw new MappingRowError(row, column, `${column} '${text}' is not a number`);
  return decText(d);
}

/** Plain decimal text divided by 10^6 (tokens → millions of tokens), exact, by moving the decimal point. */
function perMillion(text: string): string {
  if (!isPlainDecimal(text)) return decText(decShift(parseDec(text)!, 6));
  const neg = text.charCodeAt(0) === 45;
  const body = neg ? text.slice(1) : text;
  const dot = body.indexOf('.');
  let int = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  if (int.length <= 6) int = '0'.repeat(7 - int.length) + int;
  let head = int.slice(0, int.length - 6);
  let tail = int.slice(int.length - 6) + frac;
  let k = 0;
  while (k < head.length - 1 && head.charCodeAt(k) === 48) k++;
  head = head.slice(k);
  let e = tail.length;
  while (e > 0 && tail.charCodeAt(e - 1) === 48) e--;
  tail = tail.slice(0, e);
  const out = tail === '' ? head : `${head}.${tail}`;
  return neg && out !== '0' ? `-${out}` : out;
}

interface DayPeriod {
  chargeStart: string;
  chargeEnd: string;
  billingStart: string;
  billingEnd: string;
}

function dayPeriod(day: number): DayPeriod {
  const [bs, be] = monthBounds(day);
  return {
    chargeStart: focusDateTime(day),
    chargeEnd: focusDateTime(day + DAY),
    billingStart: focusDateTime(bs),
    billingEnd: focusDateTime(be),
  };
}

/** A UTC day → [day, day + 1) and its calendar month, cached (a report has few distinct days). */
class DayPeriods {
  private readonly byText = new Map<string, DayPeriod>();
  private readonly byDay = new Map<number, DayPeriod>();

  /** The day of a date cell, cached by its text. */
  get(text: string, row: number, column: string): DayPeriod {
    let p = this.byText.get(text);
    if (p === undefined) {
      const secs = text.trim() === '' ? null : parseVendorDateTime(text);
      if (secs === null) throw new MappingRowError(row, column, `${column} '${text}' is not a date`);
      p = this.ofSecs(secs);
      if (this.byText.size >= 4096) this.byText.clear();
      this.byText.set(text, p);
    }
    return p;
  }

  /** The day holding an instant (Unix seconds). */
  ofSecs(secs: number): DayPeriod {
    const day = Math.floor(secs / DAY) * DAY;
    let p = this.byDay.get(day);
    if (p === undefined) {
      p = dayPeriod(day);
      if (this.byDay.size >= 4096) this.byDay.clear();
      this.byDay.set(day, p);
    }
    return p;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Models: picker labels, model ids, publishers

interface ModelInfo {
  /** Normalised model id ('' when the label names no model: a feature such as "Code Review model", or bare "Auto"). */
  modelId: string;
  publisher: string;
  /** SkuPriceDetails JSON of the charge row ('' when there is nothing to say). */
  details: string;
  /** What SkuPriceId appends to the SKU for this model ('' for none). */
  priceKey: string;
  /** SkuPriceDetails JSON per token class (input, cache read, cache write, output). */
  tokenDetails: string[];
}

const PUBLISHERS: readonly (readonly [string, string])[] = [
  ['claude', 'Anthropic'],
  ['gpt', 'OpenAI'],
  ['o1', 'OpenAI'],
  ['o3', 'OpenAI'],
  ['o4', 'OpenAI'],
  ['codex', 'OpenAI'],
  ['gemini', 'Google'],
  ['grok', 'xAI'],
  ['kimi', 'Moonshot AI'],
  ['mai-', 'Microsoft'],
  ['raptor', GITHUB],
  ['goldeneye', GITHUB],
];

/** "Claude Sonnet 4" → "claude-sonnet-4", "Claude Opus 4.6 (fast mode) (preview)" → "claude-opus-4.6-fast-mode-preview". */
export function normaliseModelId(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

interface TokenClass {
  /** Source column names (first found wins). */
  names: string[];
  meter: string;
  direction: 'Input' | 'Output';
  cacheAction: 'Uncached' | 'Read' | 'Write' | '';
  /** Suffix of the token row's SkuPriceId. */
  key: string;
}

const TOKEN_CLASSES: readonly TokenClass[] = [
  { names: ['input', 'input_tokens'], meter: 'Input Tokens', direction: 'Input', cacheAction: 'Uncached', key: 'input' },
  { names: ['cache_read', 'cache_read_tokens', 'cached_input'], meter: 'Cache Read Input Tokens', direction: 'Input', cacheAction: 'Read', key: 'cache-read' },
  { names: ['cache_write', 'cache_write_tokens'], meter: 'Cache Write Input Tokens', direction: 'Input', cacheAction: 'Write', key: 'cache-write' },
  { names: ['output', 'output_tokens'], meter: 'Output Tokens', direction: 'Output', cacheAction: '', key: 'output' },
];

function modelInfoUncached(label: string): ModelInfo {
  let name = label.trim();
  let auto = false;
  const m = /^auto\s*(?::\s*(.*))?$/i.exec(name);
  if (m) {
    auto = true;
    name = (m[1] ?? '').trim();
  }
  const feature = name !== '' && /\smodel$/i.test(name);
  const modelId = feature || name === '' ? '' : normaliseModelId(name);
  let publisher = GITHUB;
  for (const [prefix, p] of PUBLISHERS) {
    if (modelId.startsWith(prefix)) {
      publisher = p;
      break;
    }
  }
  const base: Record<string, string | boolean> = {};
  if (modelId !== '') {
    base.ModelId = modelId;
    if (publisher !== GITHUB) base.ModelDeveloper = publisher;
  }
  if (feature) base.x_Feature = name;
  if (auto) base.x_AutoSelected = true;
  const details = Object.keys(base).length === 0 ? '' : JSON.stringify(base);
  const tokenDetails = TOKEN_CLASSES.map((t) => {
    const d: Record<string, string | boolean> = { ...base, TokenDirection: t.direction };
    if (t.cacheAction !== '') d.TokenCacheAction = t.cacheAction;
    return JSON.stringify(d);
  });
  const priceKey = modelId !== '' ? modelId : feature ? normaliseModelId(name) : '';
  return { modelId, publisher, details, priceKey, tokenDetails };
}

class ModelCache {
  private readonly cache = new Map<string, ModelInfo>();

  get(label: string): ModelInfo {
    let info = this.cache.get(label);
    if (info === undefined) {
      info = modelInfoUncached(label);
      if (this.cache.size >= 4096) this.cache.clear();
      this.cache.set(label, info);
    }
    return info;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Products, units, SKUs

interface ProductInfo {
  name: string;
  category: string;
  subcategory: string;
}

const PRODUCTS: Record<string, ProductInfo> = {
  copilot: { name: 'Copilot', category: 'AI and Machine Learning', subcategory: 'Generative AI' },
  models: { name: 'GitHub Models', category: 'AI and Machine Learning', subcategory: 'Generative AI' },
  spark: { name: 'Spark', category: 'AI and Machine Learning', subcategory: 'Generative AI' },
  actions: { name: 'Actions', category: 'Developer Tools', subcategory: 'Continuous Integration and Deployment' },
  codespaces: { name: 'Codespaces', category: 'Developer Tools', subcategory: 'Development Environments' },
  packages: { name: 'Packages', category: 'Developer Tools', subcategory: 'Developer Platforms' },
  git_lfs: { name: 'Git LFS', category: 'Storage', subcategory: 'Other (Storage)' },
  lfs: { name: 'Git LFS', category: 'Storage', subcategory: 'Other (Storage)' },
  ghas: { name: 'Advanced Security', category: 'Security', subcategory: 'Other (Security)' },
  advanced_security: { name: 'Advanced Security', category: 'Security', subcategory: 'Other (Security)' },
  code_security: { name: 'Code Security', category: 'Security', subcategory: 'Other (Security)' },
  secret_protection: { name: 'Secret Protection', category: 'Security', subcategory: 'Other (Security)' },
  enterprise: { name: 'GitHub Enterprise', category: 'Developer Tools', subcategory: 'Source Code Management' },
};

function titleWords(s: string): string {
  return s
    .split(/[\s_-]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

function productInfoUncached(product: string, sku: string): ProductInfo {
  const key = product.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const known = PRODUCTS[key];
  if (known) return known;
  if (key === '' && sku.toLowerCase().startsWith('copilot')) return PRODUCTS.copilot!;
  const name = key === '' ? GITHUB : titleWords(product);
  return { name, category: 'Developer Tools', subcategory: 'Other (Developer Tools)' };
}

const UNITS: Record<string, string> = {
  request: 'Requests',
  requests: 'Requests',
  'ai-credits': 'AI Credits',
  ai_credits: 'AI Credits',
  'ai credits': 'AI Credits',
  minute: 'Minutes',
  minutes: 'Minutes',
  seat: 'Seats',
  seats: 'Seats',
  'user-months': 'User-Months',
  user_months: 'User-Months',
  'user-month': 'User-Months',
  licenses: 'Licenses',
  hours: 'Hours',
  'gigabyte-hours': 'GB-Hours',
  gigabytehours: 'GB-Hours',
  'gb-hours': 'GB-Hours',
  gigabytes: 'GB',
  gb: 'GB',
  tokens: 'Tokens',
};

function unitOf(unitType: string): string {
  const t = unitType.trim();
  if (t === '') return '';
  return UNITS[t.toLowerCase()] ?? titleWords(t);
}

const SEAT_UNITS = new Set(['seat', 'seats', 'user-months', 'user_months', 'user-month', 'licenses', 'license']);

/**
 * Seat (licence) SKUs: `copilot_for_business` and the like, counted in seats or user-months. The report accrues them
 * day by day (a fraction of a user-month per day), so they are charges for seats used that day, not purchases of
 * later use.
 */
function isSeatCharge(sku: string, unitType: string): boolean {
  if (SEAT_UNITS.has(unitType.trim().toLowerCase())) return true;
  return /^copilot_(for_)?(business|enterprise)(_seat)?$/i.test(sku.trim());
}

interface SkuInfo {
  product: ProductInfo;
  unit: string;
  seat: boolean;
}

/** What a SKU × model label becomes, cached: price ids, meters and descriptions of the charge row and its token rows. */
interface LineInfo {
  meter: string;
  priceId: string;
  description: string;
  tokenPriceIds: string[];
  tokenDescriptions: string[];
}

function lineInfoUncached(sku: string, label: string, model: ModelInfo): LineInfo {
  const skuName = titleWords(sku);
  const join = (...parts: string[]) => parts.filter((p) => p !== '').join('/');
  const of = label === '' ? '' : ` (${label})`;
  return {
    meter: label !== '' ? label : skuName,
    priceId: sku === '' ? '' : join(sku, model.priceKey),
    description: `${skuName}${of}`,
    tokenPriceIds: TOKEN_CLASSES.map((t) => join(sku, model.priceKey, t.key)),
    tokenDescriptions: TOKEN_CLASSES.map((t) => `${t.meter}${of}, ${skuName}`),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Metered usage reports

const USAGE_CORE = ['sku', 'quantity', 'unit_type', 'applied_cost_per_quantity', 'gross_amount', 'discount_amount', 'net_amount'];

function detectUsage(sample: TableSample): number {
  const c = new Columns(sample.header);
  if (!c.has('net_amount') || !c.has('sku') || !c.has('date', 'usage_at')) return 0;
  const n = c.count(USAGE_CORE);
  if (n < 5) return 0;
  let score = n >= 6 ? 0.9 : 0.7;
  if (c.has('product')) score += 0.05;
  if (c.has('model', 'username', 'organization', 'cost_center_name', 'repository')) score += 0.04;
  return Math.min(score, 0.99);
}

function createUsageMapper(sample: TableSample): RowMapper {
  const c = new Columns(sample.header);
  const need = (label: string, ...names: string[]): number => {
    const i = c.find(...names);
    if (i < 0) throw new MappingSetupError(`GitHub usage report has no ${label} column`);
    return i;
  };
  const iDate = need('date', 'date', 'usage_at');
  const iSku = need('sku', 'sku');
  const iQuantity = need('quantity', 'quantity');
  const iGross = need('gross_amount', 'gross_amount');
  const iNet = need('net_amount', 'net_amount');
  const iDiscount = c.find('discount_amount');
  const iUnit = c.find('unit_type');
  const iPrice = c.find('applied_cost_per_quantity', 'price_per_unit');
  const iProduct = c.find('product');
  const iModel = c.find('model');
  const iUser = c.find('username', 'user');
  const iOrg = c.find('organization', 'organization_name');
  // not in the documented reports, but an enterprise column, where a file has one, names the account GitHub invoices
  const iEnterprise = c.find('enterprise', 'enterprise_name', 'enterprise_slug');
  const iRepo = c.find('repository', 'repository_name');
  const iWorkflow = c.find('workflow_path', 'workflow_name');
  const iCostCenter = c.find('cost_center_name', 'cost_center');
  const iExceeds = c.find('exceeds_quota');
  const iQuota = c.find('total_monthly_quota');
  const iAicQuantity = c.find('aic_quantity');
  const iAicGross = c.find('aic_gross_amount');
  const tokenCols = TOKEN_CLASSES.map((t) => c.find(...t.names));
  const hasTokens = tokenCols.some((i) => i >= 0);
  const H = sample.header;
  const colName = (i: number): string => (H[i] ?? '').trim();
  const nDate = colName(iDate);
  const nQuantity = colName(iQuantity);
  const nGross = colName(iGross);
  const nNet = colName(iNet);
  const nDiscount = colName(iDiscount);
  const nPrice = colName(iPrice);
  const nAicQuantity = colName(iAicQuantity);
  const nAicGross = colName(iAicGross);
  const tokenNames = tokenCols.map(colName);

  const days = new DayPeriods();
  const models = new ModelCache();
  const skuCache = new Map<string, SkuInfo>();
  const lines = new Map<string, LineInfo>();
  const tagCache = new Map<string, string>();
  const netSum = new DecimalSum();
  const grossSum = new DecimalSum();
  let netComputed = 0;
  let seatRows = 0;
  let tokenRows = 0;
  let modelRows = 0;
  let noEnterpriseRows = 0;
  let firstNoEnterpriseRow = 0;

  const columns = USAGE_COLUMNS;
  const out: string[] = new Array<string>(columns.length).fill('');
  out[CURRENCY] = 'USD';
  out[SERVICE_PROVIDER] = GITHUB;
  out[PROVIDER] = GITHUB;
  out[ISSUER] = GITHUB;
  out[PRICING_CATEGORY] = 'Standard';

  const skuInfo = (product: string, sku: string, unitType: string): SkuInfo => {
    const key = `${product}\u0000${sku}\u0000${unitType}`;
    let s = skuCache.get(key);
    if (s === undefined) {
      s = { product: productInfoUncached(product, sku), unit: unitOf(unitType), seat: isSeatCharge(sku, unitType) };
      skuCache.set(key, s);
    }
    return s;
  };
  const lineInfo = (sku: string, label: string, model: ModelInfo): LineInfo => {
    const key = `${sku}\u0000${label}`;
    let line = lines.get(key);
    if (line === undefined) {
      line = lineInfoUncached(sku, label, model);
      if (lines.size >= 8192) lines.clear();
      lines.set(key, line);
    }
    return line;
  };

  return {
    columns,
    map(cells: readonly string[], rowNo: number, emit: EmitRow): void {
      const period = days.get(cell(cells, iDate), rowNo, nDate);
      const sku = cell(cells, iSku);
      const unitType = cell(cells, iUnit);
      const product = cell(cells, iProduct);
      const info = skuInfo(product, sku, unitType);
      const label = cell(cells, iModel);
      const model = models.get(label);
      const line = lineInfo(sku, label, model);
      if (label !== '') modelRows++;

      // money: net is what is billed; gross is list (= applied_cost_per_quantity × quantity)
      const grossText = cell(cells, iGross);
      const gross = numberCell(grossText, rowNo, nGross);
      const discount = numberCell(cell(cells, iDiscount), rowNo, nDiscount);
      let net = numberCell(cell(cells, iNet), rowNo, nNet);
      if (net === '') {
        if (gross === '') throw new MappingRowError(rowNo, nNet, `${nNet} and ${nGross} are both empty`);
        net = discount === '' ? gross : decText(decSub(parseDec(gross)!, parseDec(discount)!));
        netComputed++;
      } else netSum.add(net);
      if (gross !== '') grossSum.add(gross);
      const list = gross === '' ? net : gross;
      const quantity = numberCell(cell(cells, iQuantity), rowNo, nQuantity);
      const unitPrice = numberCell(cell(cells, iPrice), rowNo, nPrice);

      const user = cell(cells, iUser);
      const costCenter = cell(cells, iCostCenter);
      const org = cell(cells, iOrg);
      const repo = cell(cells, iRepo);
      let tags = '';
      if (costCenter !== '' || user !== '') {
        const key = `${costCenter}\u0000${user}`;
        const cached = tagCache.get(key);
        if (cached !== undefined) tags = cached;
        else {
          const t: Record<string, string> = {};
          if (costCenter !== '') t.cost_center = costCenter;
          if (user !== '') t.user = user;
          tags = JSON.stringify(t);
          if (tagCache.size >= 8192) tagCache.clear();
          tagCache.set(key, tags);
        }
      }
      const exceedsText = cell(cells, iExceeds);
      const exceeds = exceedsText === '' ? null : parseBool(exceedsText);

      out[BILLED] = net;
      out[EFFECTIVE] = net;
      out[LIST] = list;
      out[CONTRACTED] = list;
      out[BP_START] = period.billingStart;
      out[BP_END] = period.billingEnd;
      out[CP_START] = period.chargeStart;
      out[CP_END] = period.chargeEnd;
      out[PUBLISHER] = model.publisher;
      const enterprise = iEnterprise < 0 ? '' : cell(cells, iEnterprise).trim();
      if (enterprise === '' && iEnterprise >= 0 && noEnterpriseRows++ === 0) firstNoEnterpriseRow = rowNo;
      const account = enterprise === '' ? GITHUB_ACCOUNT_PLACEHOLDER : enterprise;
      out[BILLING_ACCOUNT_ID] = account;
      out[BILLING_ACCOUNT_NAME] = account;
      out[SUB_ACCOUNT_ID] = org;
      out[SUB_ACCOUNT_NAME] = org;
      out[SERVICE_NAME] = info.product.name;
      out[SERVICE_CATEGORY] = info.product.category;
      out[SERVICE_SUBCATEGORY] = info.product.subcategory;
      out[RESOURCE_ID] = repo;
      out[RESOURCE_NAME] = repo;
      out[SKU_ID] = sku;
      out[SKU_METER] = line.meter;
      out[SKU_PRICE_ID] = line.priceId;
      out[SKU_PRICE_DETAILS] = line.priceId === '' ? '' : model.details;
      out[CHARGE_DESCRIPTION] = line.description;
      out[PRICING_QUANTITY] = quantity;
      out[PRICING_UNIT] = quantity === '' ? '' : info.unit;
      out[LIST_UNIT_PRICE] = unitPrice;
      out[CONTRACTED_UNIT_PRICE] = unitPrice;
      // A seat row bills the seats held that day: Usage / Recurring, as in FOCUS's example of seats billed per period
      // (annual_commitment_billed_monthly_a.csv in the spec's SaaS examples). As a Purchase it would need EffectiveCost
      // 0 and Usage rows carrying the cost (FOCUS EffectiveCost-C-005-C), but nothing here is bought ahead of its use.
      // Only the PricingQuantity (the SKU's unit) is known, so it is also the ConsumedQuantity.
      if (info.seat) seatRows++;
      out[CHARGE_CATEGORY] = 'Usage';
      out[CHARGE_FREQUENCY] = info.seat ? 'Recurring' : 'Usage-Based';
      out[CONSUMED_QUANTITY] = quantity;
      out[CONSUMED_UNIT] = quantity === '' ? '' : info.unit;
      out[TAGS] = tags;
      out[X_USERNAME] = user;
      out[X_COST_CENTER] = costCenter;
      out[X_EXCEEDS] = exceeds === null ? exceedsText : exceeds ? 'true' : 'false';
      out[X_QUOTA] = cell(cells, iQuota);
      out[X_DISCOUNT] = discount;
      out[X_WORKFLOW] = cell(cells, iWorkflow);
      out[X_PRODUCT] = product;
      out[X_UNIT_TYPE] = unitType;
      out[X_AIC_QUANTITY] = numberCell(cell(cells, iAicQuantity), rowNo, nAicQuantity);
      out[X_AIC_GROSS] = numberCell(cell(cells, iAicGross), rowNo, nAicGross);
      emit(out);

      if (!hasTokens) return;
      // token rows: cost 0 (the money is on the charge row above), one per non-zero token class
      let first = true;
      for (let k = 0; k < TOKEN_CLASSES.length; k++) {
        const i = tokenCols[k]!;
        if (i < 0) continue;
        const raw = cell(cells, i);
        if (raw === '' || raw === '0') continue;
        const tokens = numberCell(raw, rowNo, tokenNames[k]!);
        if (tokens === '' || tokens === '0') continue;
        if (first) {
          out[BILLED] = '0';
          out[EFFECTIVE] = '0';
          out[LIST] = '0';
          out[CONTRACTED] = '0';
          out[CHARGE_CATEGORY] = 'Usage';
          out[CHARGE_FREQUENCY] = 'Usage-Based';
          out[PRICING_UNIT] = '1000000 Tokens';
          // FOCUS asks for unit prices on every Usage row: 0, like the row's cost (the price is on the charge row)
          out[LIST_UNIT_PRICE] = '0';
          out[CONTRACTED_UNIT_PRICE] = '0';
          out[CONSUMED_UNIT] = 'Tokens';
          out[X_DISCOUNT] = '';
          out[X_AIC_QUANTITY] = '';
          out[X_AIC_GROSS] = '';
          first = false;
        }
        const t = TOKEN_CLASSES[k]!;
        out[SKU_METER] = t.meter;
        out[SKU_PRICE_ID] = line.tokenPriceIds[k]!;
        out[SKU_PRICE_DETAILS] = model.tokenDetails[k]!;
        out[CHARGE_DESCRIPTION] = line.tokenDescriptions[k]!;
        out[CONSUMED_QUANTITY] = tokens;
        out[PRICING_QUANTITY] = perMillion(tokens);
        tokenRows++;
        emit(out);
      }
    },
    gaps(): MappingGap[] {
      const g: MappingGap[] = [
        { column: 'BillingCurrency', note: 'The report has no currency column; GitHub bills in US dollars, so every row is USD.' },
        {
          column: 'ContractedCost',
          note:
            'ContractedCost = ListCost = gross_amount (= applied_cost_per_quantity × quantity). The included allowance ' +
            '(discount_amount, kept in x_DiscountAmount) is not a negotiated rate or a commitment: it only lowers ' +
            'BilledCost = EffectiveCost = net_amount.',
        },
        {
          column: 'BillingPeriodStart',
          note: 'The report has no billing period: BillingPeriod is the calendar month of `date`; ChargePeriod is [date, date + 1 day).',
        },
      ];
      if (iEnterprise < 0) {
        g.push(
          placeholderAccountGap(
            'GitHub usage reports',
            'SubAccountId and SubAccountName are the `organization` of each row. The summarized report\'s file name ' +
              '(GitHub_Usage_<enterprise>_…) names the enterprise, but a mapping reads the file\'s content only.',
          ),
        );
      } else if (noEnterpriseRows > 0) {
        g.push({
          column: 'BillingAccountId',
          note:
            `${noEnterpriseRows} row${noEnterpriseRows === 1 ? '' : 's'} (first: row ${firstNoEnterpriseRow}) had no enterprise: ` +
            `BillingAccountId and BillingAccountName are the placeholder "${GITHUB_ACCOUNT_PLACEHOLDER}" there (FOCUS ` +
            'requires a billing account on every row).',
        });
      }
      if (seatRows > 0) {
        g.push({
          column: 'ChargeCategory',
          note:
            `${seatRows} seat (licence) rows accrue the seats of one day (quantity in unit_type, e.g. user-months): ` +
            'they are Usage / Recurring, with ConsumedQuantity = PricingQuantity = quantity and BilledCost = ' +
            'EffectiveCost = net_amount, since the report bills seats for the day they are held, not ahead of use.',
        });
      }
      if (modelRows > 0) {
        g.push({
          column: 'SkuPriceDetails',
          note:
            'SkuMeter keeps the report\'s model label as written ("Auto: claude-sonnet-4", "Code Review model"); ' +
            'SkuPriceDetails.ModelId is the label without the "Auto:" picker prefix, lower-cased and hyphenated. ' +
            'Feature labels ("… model") have no ModelId (x_Feature). PublisherName is guessed from the model id ' +
            '(claude → Anthropic, gpt → OpenAI, gemini → Google, …), else GitHub.',
        });
      }
      if (tokenRows > 0) {
        g.push({
          column: 'ConsumedQuantity',
          note:
            `${tokenRows} token rows (one per non-zero input, cache_read, cache_write, output cell) carry the tokens ` +
            'behind the AI-credit charge with cost 0, so money is counted once, on the charge row. Whether `input` ' +
            'excludes cached tokens is not documented (taken as uncached input); the cache-write TTL is unknown; ' +
            'the report has no per-token price: token rows carry unit prices of 0, like their cost.',
        });
      }
      if (netComputed > 0) {
        g.push({ column: 'BilledCost', note: `${netComputed} rows had no net_amount: BilledCost = gross_amount − discount_amount.` });
      }
      return g;
    },
    vendorTotals(): VendorTotal[] {
      const net = netSum.toString();
      const gross = grossSum.toString();
      return [
        { focusColumn: 'BilledCost', vendorColumn: 'net_amount', vendorTotal: net },
        { focusColumn: 'EffectiveCost', vendorColumn: 'net_amount', vendorTotal: net },
        { focusColumn: 'ListCost', vendorColumn: 'gross_amount', vendorTotal: gross },
        { focusColumn: 'ContractedCost', vendorColumn: 'gross_amount', vendorTotal: gross },
      ];
    },
  };
}

export const copilotUsage: BillFormat = {
  id: 'github-copilot-usage',
  label: 'GitHub usage report (metered usage, Copilot premium requests, AI credits)',
  detect: detectUsage,
  createMapper: createUsageMapper,
};

// ---------------------------------------------------------------------------------------------------------------
// Legacy premium request analytics (2025): Timestamp,User,Model,Requests Used,Exceeds Monthly Quota,Total Monthly Quota

const LEGACY_CORE = ['timestamp', 'user', 'model', 'requests used', 'exceeds monthly quota', 'total monthly quota'];
/** The overage price of one premium request in 2025 (vendor-formats.md §4.3, [P]). */
const PREMIUM_REQUEST_PRICE = '0.04';
const PREMIUM_REQUEST_PRICE_DEC = parseDec(PREMIUM_REQUEST_PRICE)!;
const PREMIUM_SKU = 'copilot_premium_request';

function detectLegacy(sample: TableSample): number {
  const c = new Columns(sample.header);
  if (!c.has('timestamp') || !c.has('model') || !c.has('requests used')) return 0;
  const n = c.count(LEGACY_CORE);
  return n >= 6 ? 0.95 : n >= 5 ? 0.85 : 0.6;
}

function createLegacyMapper(sample: TableSample): RowMapper {
  const c = new Columns(sample.header);
  const need = (name: string): number => {
    const i = c.find(name);
    if (i < 0) throw new MappingSetupError(`Premium request analytics CSV has no "${name}" column`);
    return i;
  };
  const iTime = need('Timestamp');
  const iModel = need('Model');
  const iRequests = need('Requests Used');
  const iExceeds = need('Exceeds Monthly Quota');
  const iUser = c.find('User', 'Username');
  const iQuota = c.find('Total Monthly Quota');
  const H = sample.header;
  const nTime = (H[iTime] ?? '').trim();
  const nRequests = (H[iRequests] ?? '').trim();
  const nExceeds = (H[iExceeds] ?? '').trim();

  const models = new ModelCache();
  const days = new DayPeriods();
  const lines = new Map<string, LineInfo>();
  let billedRows = 0;
  let unlimited = 0;

  const columns = LEGACY_COLUMNS;
  const out: string[] = new Array<string>(columns.length).fill('');
  out[CURRENCY] = 'USD';
  out[SERVICE_PROVIDER] = GITHUB;
  out[PROVIDER] = GITHUB;
  out[ISSUER] = GITHUB;
  out[PRICING_CATEGORY] = 'Standard';
  out[BILLING_ACCOUNT_ID] = GITHUB_ACCOUNT_PLACEHOLDER;
  out[BILLING_ACCOUNT_NAME] = GITHUB_ACCOUNT_PLACEHOLDER;
  out[CHARGE_CATEGORY] = 'Usage';
  out[CHARGE_FREQUENCY] = 'Usage-Based';
  out[SERVICE_NAME] = PRODUCTS.copilot!.name;
  out[SERVICE_CATEGORY] = PRODUCTS.copilot!.category;
  out[SERVICE_SUBCATEGORY] = PRODUCTS.copilot!.subcategory;
  out[SKU_ID] = PREMIUM_SKU;
  out[PRICING_UNIT] = 'Requests';
  out[CONSUMED_UNIT] = 'Requests';
  out[LIST_UNIT_PRICE] = PREMIUM_REQUEST_PRICE;
  out[CONTRACTED_UNIT_PRICE] = PREMIUM_REQUEST_PRICE;

  return {
    columns,
    map(cells: readonly string[], rowNo: number, emit: EmitRow): void {
      const timeText = cell(cells, iTime);
      const secs = timeText.trim() === '' ? null : parseVendorDateTime(timeText);
      if (secs === null) throw new MappingRowError(rowNo, nTime, `${nTime} '${timeText}' is not a date/time`);
      const period = days.ofSecs(secs);
      const requestsText = cell(cells, iRequests);
      const requestsDec = parseDec(requestsText);
      if (!requestsDec) throw new MappingRowError(rowNo, nRequests, `${nRequests} '${requestsText}' is not a number`);
      const requests = isPlainDecimal(requestsText) ? requestsText : decText(requestsDec);
      const exceedsText = cell(cells, iExceeds);
      const exceeds = parseBool(exceedsText);
      if (exceeds === null) throw new MappingRowError(rowNo, nExceeds, `${nExceeds} '${exceedsText}' is not true or false`);
      const list = decText(decMul(requestsDec, PREMIUM_REQUEST_PRICE_DEC));
      const billed = exceeds ? list : '0';
      if (exceeds) billedRows++;
      const label = cell(cells, iModel);
      const model = models.get(label);
      const user = cell(cells, iUser);
      const quota = cell(cells, iQuota);
      if (quota.trim().toLowerCase() === 'unlimited') unlimited++;
      let line = lines.get(label);
      if (line === undefined) {
        line = lineInfoUncached(PREMIUM_SKU, label, model);
        if (lines.size >= 8192) lines.clear();
        lines.set(label, line);
      }

      out[BILLED] = billed;
      out[EFFECTIVE] = billed;
      out[LIST] = list;
      out[CONTRACTED] = list;
      out[BP_START] = period.billingStart;
      out[BP_END] = period.billingEnd;
      out[CP_START] = period.chargeStart;
      out[CP_END] = period.chargeEnd;
      out[PUBLISHER] = model.publisher;
      out[SKU_METER] = line.meter;
      out[SKU_PRICE_ID] = line.priceId;
      out[SKU_PRICE_DETAILS] = model.details;
      out[CHARGE_DESCRIPTION] = line.description;
      out[PRICING_QUANTITY] = requests;
      out[CONSUMED_QUANTITY] = requests;
      out[TAGS] = user === '' ? '' : `{"user":${JSON.stringify(user)}}`;
      out[X_USERNAME] = user;
      out[X_EXCEEDS] = exceeds ? 'true' : 'false';
      out[X_QUOTA] = quota;
      out[X_DISCOUNT] = exceeds ? '0' : list;
      out[X_INTERACTION_TIME] = focusDateTime(secs);
      emit(out);
    },
    gaps(): MappingGap[] {
      const g: MappingGap[] = [
        {
          column: 'BilledCost',
          note:
            `The premium request analytics CSV has no money column. Each interaction is priced at $${PREMIUM_REQUEST_PRICE} ` +
            'per premium request (the 2025 overage rate; "Requests Used" already includes the model multiplier): ' +
            'ListCost = ContractedCost = Requests Used × 0.04; BilledCost = EffectiveCost = the same when "Exceeds ' +
            `Monthly Quota" is true, else 0 (covered by the plan). ${billedRows} rows exceed the quota. Not reconciled ` +
            'against an invoice.',
        },
        {
          column: 'ChargePeriodStart',
          note: 'One row per interaction: ChargePeriod is the UTC day of Timestamp, [day, day + 1); the instant is kept in x_InteractionTime. BillingPeriod = that calendar month.',
        },
        { column: 'BillingCurrency', note: 'No currency column: premium requests are billed in US dollars.' },
        placeholderAccountGap(
          'Premium request analytics CSVs',
          'The file names no organization either: SubAccountId is not filled. The usage reports (Billing → Usage) ' +
            'name the organization of each row.',
        ),
      ];
      if (unlimited > 0) {
        g.push({ column: 'x_TotalMonthlyQuota', note: `${unlimited} rows have the quota "Unlimited" (kept as text).` });
      }
      return g;
    },
    vendorTotals(): VendorTotal[] {
      return [];
    },
  };
}

export const copilotPremiumAnalytics: BillFormat = {
  id: 'github-copilot-premium-requests',
  label: 'GitHub Copilot premium request analytics (legacy 2025 CSV)',
  detect: detectLegacy,
  createMapper: createLegacyMapper,
};

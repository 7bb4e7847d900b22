// AWS Cost and Usage Report importers: the legacy CUR CSV (`lineItem/UnblendedCost`, `resourceTags/user:Key`) and
// the snake_case family: AWS Data Exports CUR 2.0 (map columns `product`, `resource_tags`, `cost_category`,
// `discount` as JSON text) and the legacy CUR's Parquet/Athena flavour (`resource_tags_user_cost_center` columns).
// Mapping per vendor-formats.md §1.3/§1.6: BilledCost is the (net) unblended cost, EffectiveCost the amortized cost
// chosen by line item type, so summing BilledCost gives the invoice and summing EffectiveCost the amortized total.
import {
  type BillFormat,
  type EmitRow,
  type MappingGap,
  MappingRowError,
  MappingSetupError,
  type RowMapper,
  type TableSample,
  type VendorTotal,
} from './types';
import {
  Columns,
  type Dec,
  DEC_ZERO,
  DecimalSum,
  cell,
  decAdd,
  decShift,
  decSub,
  decText,
  headerKey,
  parseDec,
  tagsToJson,
  toFocusDateTime,
} from './values';

// ---------------------------------------------------------------------------------------------------------------
// Column names. Every field is named by its legacy CSV header; the snake_case name of the Parquet and CUR 2.0
// tables follows from it (`savingsPlan/SavingsPlanARN` → `savings_plan_savings_plan_a_r_n`).

/** `lineItem/UnblendedCost` → `line_item_unblended_cost` (AWS's own rule: `_` before every capital, `ARN` → `a_r_n`). */
export function curSnakeName(legacy: string): string {
  let out = '';
  for (let i = 0; i < legacy.length; i++) {
    const ch = legacy[i]!;
    if (ch === '/') out += '_';
    else if (ch >= 'A' && ch <= 'Z') {
      if (out.length > 0 && !out.endsWith('_')) out += '_';
      out += ch.toLowerCase();
    } else out += ch;
  }
  return out;
}

const F = {
  lineItemId: 'identity/LineItemId',
  invoiceId: 'bill/InvoiceId',
  invoicingEntity: 'bill/InvoicingEntity',
  billingEntity: 'bill/BillingEntity',
  billType: 'bill/BillType',
  payer: 'bill/PayerAccountId',
  payerName: 'bill/PayerAccountName',
  billStart: 'bill/BillingPeriodStartDate',
  billEnd: 'bill/BillingPeriodEndDate',
  usageAccount: 'lineItem/UsageAccountId',
  usageAccountName: 'lineItem/UsageAccountName',
  type: 'lineItem/LineItemType',
  usageStart: 'lineItem/UsageStartDate',
  usageEnd: 'lineItem/UsageEndDate',
  productCode: 'lineItem/ProductCode',
  usageType: 'lineItem/UsageType',
  operation: 'lineItem/Operation',
  zone: 'lineItem/AvailabilityZone',
  resourceId: 'lineItem/ResourceId',
  usageAmount: 'lineItem/UsageAmount',
  currency: 'lineItem/CurrencyCode',
  unblendedRate: 'lineItem/UnblendedRate',
  unblended: 'lineItem/UnblendedCost',
  netUnblendedRate: 'lineItem/NetUnblendedRate',
  netUnblended: 'lineItem/NetUnblendedCost',
  description: 'lineItem/LineItemDescription',
  taxType: 'lineItem/TaxType',
  legalEntity: 'lineItem/LegalEntity',
  iamPrincipal: 'lineItem/IamPrincipal',
  productName: 'product/ProductName',
  productRegionCode: 'product/regionCode',
  productRegion: 'product/region',
  productLocation: 'product/location',
  serviceCode: 'product/servicecode',
  sku: 'product/sku',
  rateCode: 'pricing/RateCode',
  rateId: 'pricing/RateId',
  publicCost: 'pricing/publicOnDemandCost',
  publicRate: 'pricing/publicOnDemandRate',
  term: 'pricing/term',
  pricingUnit: 'pricing/unit',
  riArn: 'reservation/ReservationARN',
  riEffective: 'reservation/EffectiveCost',
  riNetEffective: 'reservation/NetEffectiveCost',
  riUnusedUpfront: 'reservation/UnusedAmortizedUpfrontFeeForBillingPeriod',
  riNetUnusedUpfront: 'reservation/NetUnusedAmortizedUpfrontFeeForBillingPeriod',
  riUnusedRecurring: 'reservation/UnusedRecurringFee',
  riNetUnusedRecurring: 'reservation/NetUnusedRecurringFee',
  spArn: 'savingsPlan/SavingsPlanARN',
  spEffective: 'savingsPlan/SavingsPlanEffectiveCost',
  spNetEffective: 'savingsPlan/NetSavingsPlanEffectiveCost',
  spTotalCommitment: 'savingsPlan/TotalCommitmentToDate',
  spUsedCommitment: 'savingsPlan/UsedCommitment',
} as const;
type Field = keyof typeof F;

/** Fields a mapping cannot do without (MappingSetupError when absent). */
const REQUIRED: readonly Field[] = ['type', 'unblended', 'currency', 'usageStart', 'usageEnd', 'billStart', 'billEnd', 'payer'];

/** Columns whose presence says "this is a CUR" (detection), besides the unblended cost itself. */
const SIGNATURE: readonly Field[] = ['lineItemId', 'payer', 'type', 'usageStart', 'currency', 'billStart', 'productCode', 'usageAmount'];

type Dialect = 'legacy' | 'snake';

function nameOf(field: Field, dialect: Dialect): string {
  return dialect === 'legacy' ? F[field] : curSnakeName(F[field]);
}

// ---------------------------------------------------------------------------------------------------------------
// Small text helpers (hot path: charCode scans, no regex)

/** Plain decimal text as FOCUS wants it: `-?\d+(\.\d+)?`. */
function isPlainDecimal(s: string): boolean {
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0 && digits > 0) frac = 0;
    else return false;
  }
  return digits > 0 && frac !== 0;
}

/** '2023-11-01T00:00:00.000Z' / '2023-11-01T00:00:00Z' fast, anything else through toFocusDateTime; null = unreadable. */
function awsDateTime(text: string): string | null {
  const n = text.length;
  if (
    (n === 24 || n === 20) &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(n - 1) === 90
  ) {
    if (n === 20) return text;
    if (text.charCodeAt(19) === 46) return `${text.slice(0, 19)}Z`;
  }
  if (text === '') return null;
  const v = toFocusDateTime(text);
  return v === '' ? null : v;
}

/** AWS account ids are 12 digits; a typed reader that took one for a number drops leading zeros. */
function accountId(text: string): string {
  const n = text.length;
  if (n === 0 || n >= 12) return text;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return text;
  }
  return text.padStart(12, '0');
}

/** Tag/map text as a JSON object: JSON (tagsToJson), or Athena's `{k=v, k2=v2}` rendering of a map. null = unreadable. */
function mapToJson(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '{}' || t === '[]') return '';
  const json = tagsToJson(t);
  if (json !== null) return json;
  if (!t.startsWith('{') || !t.endsWith('}') || !t.includes('=')) return null;
  const out: Record<string, string> = {};
  for (const part of t.slice(1, -1).split(', ')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1);
  }
  return Object.keys(out).length === 0 ? '' : JSON.stringify(out);
}

/** Parses a JSON (or Athena) map cell into a plain object of strings; {} for an empty cell, null when unreadable. */
function mapObject(text: string): Record<string, string> | null {
  const json = mapToJson(text);
  if (json === null) return null;
  return json === '' ? {} : (JSON.parse(json) as Record<string, string>);
}

// ---------------------------------------------------------------------------------------------------------------
// Service categories by product code (FOCUS ServiceCategory / ServiceSubcategory). Codes not listed → Other.

const SERVICE_CATEGORY: Record<string, [string, string]> = {};
function cat(category: string, subcategory: string, codes: string): void {
  for (const code of codes.split(' ')) SERVICE_CATEGORY[code.toLowerCase()] = [category, subcategory];
}
cat('Compute', 'Virtual Machines', 'AmazonEC2 AmazonLightsail AWSOutposts VMwareCloudOnAWS');
cat('Compute', 'Serverless Compute', 'AWSLambda AWSAppRunner');
cat('Compute', 'Containers', 'AmazonECS AmazonEKS AmazonECR AmazonECRPublic');
cat('Compute', 'End User Computing', 'AmazonWorkSpaces AmazonAppStream');
cat('Compute', 'Other (Compute)', 'AWSCloudShell AWSBatch');
cat('Storage', 'Object Storage', 'AmazonS3 AmazonGlacier AmazonS3GlacierDeepArchive');
cat('Storage', 'Block Storage', 'AmazonEBS');
cat('Storage', 'File Storage', 'AmazonEFS AmazonFSx');
cat('Storage', 'Backup Storage', 'AWSBackup');
cat('Storage', 'Other (Storage)', 'AWSStorageGateway AWSElasticDisasterRecovery');
cat('Databases', 'Relational Databases', 'AmazonRDS AmazonAurora');
cat('Databases', 'NoSQL Databases', 'AmazonDynamoDB AmazonDocDB AmazonNeptune AmazonMCS');
cat('Databases', 'Caching', 'AmazonElastiCache AmazonMemoryDB');
cat('Databases', 'Data Warehouses', 'AmazonRedshift');
cat('Databases', 'Time Series Databases', 'AmazonTimestream');
cat('Databases', 'Ledger Databases', 'AmazonQLDB');
cat('Networking', 'Network Infrastructure', 'AmazonVPC AWSDataTransfer AWSTransitGateway');
cat('Networking', 'Content Delivery', 'AmazonCloudFront');
cat('Networking', 'Network Connectivity', 'AWSDirectConnect AWSGlobalAccelerator AWSVPN');
cat('Networking', 'Network Routing', 'AmazonRoute53 AWSCloudMap');
cat('Networking', 'Application Networking', 'AWSELB AmazonApiGateway');
cat('Networking', 'Network Security', 'AWSNetworkFirewall');
cat('Analytics', 'Data Processing', 'AWSGlue ElasticMapReduce AmazonAthena AWSLakeFormation');
cat('Analytics', 'Streaming Analytics', 'AmazonKinesis AmazonKinesisFirehose AmazonKinesisAnalytics AmazonMSK');
cat('Analytics', 'Search', 'AmazonES AmazonCloudSearch');
cat('Analytics', 'Business Intelligence', 'AmazonQuickSight');
cat('Integration', 'Messaging', 'AWSQueueService AmazonSNS AmazonMQ AWSEvents');
cat('Integration', 'Workflow Orchestration', 'AmazonStates AmazonMWAA AmazonSWF');
cat('Integration', 'API Management', 'AWSAppSync');
cat('AI and Machine Learning', 'Generative AI', 'AmazonBedrock AmazonBedrockService AmazonBedrockFoundationModels AmazonBedrockAgentCore AmazonQ');
cat('AI and Machine Learning', 'Machine Learning', 'AmazonSageMaker');
cat('AI and Machine Learning', 'Natural Language Processing', 'comprehend translate transcribe AmazonPolly AmazonLex AmazonKendra AmazonTextract');
cat('AI and Machine Learning', 'Other (AI and Machine Learning)', 'AmazonRekognition AmazonPersonalize AmazonForecast');
cat('Management and Governance', 'Observability', 'AmazonCloudWatch AWSXRay AmazonGrafana AmazonPrometheus');
cat('Management and Governance', 'Compliance', 'AWSCloudTrail AWSConfig');
cat('Management and Governance', 'Support', 'AWSSupportBusiness AWSSupportEnterprise AWSDeveloperSupport OCBPremiumSupport');
cat('Management and Governance', 'Cost Management', 'AWSCostExplorer AWSBudgets AWSBillingConductor');
cat('Management and Governance', 'Other (Management and Governance)', 'AWSSystemsManager AWSCloudFormation AWSServiceCatalog');
cat('Security', 'Secret Management', 'AWSSecretsManager awskms AWSCertificateManager CloudHSM');
cat('Security', 'Threat Detection and Response', 'AmazonGuardDuty AmazonDetective AmazonInspector AmazonInspectorV2');
cat('Security', 'Security Posture Management', 'AWSSecurityHub AmazonMacie');
cat('Security', 'Other (Security)', 'awswaf AWSShield AWSFMS');
cat('Identity', 'Identity and Access Management', 'AmazonCognito AWSDirectoryService');
cat('Internet of Things', 'IoT Platforms', 'AWSIoT AWSGreengrass');
cat('Developer Tools', 'Continuous Integration and Deployment', 'CodeBuild AWSCodePipeline AWSCodeDeploy');
cat('Developer Tools', 'Source Code Management', 'AWSCodeCommit AWSCodeArtifact');
cat('Migration', 'Resource Migration', 'AWSMigrationHubRefactorSpaces AWSApplicationMigrationSvc AWSM2');
cat('Migration', 'Data Migration', 'AWSDatabaseMigrationSvc AWSDataSync AWSTransfer');
cat('Business Applications', 'Productivity and Collaboration', 'AmazonSES AmazonWorkMail AmazonChime AmazonConnect');

const BEDROCK_CODES = new Set(['amazonbedrock', 'amazonbedrockservice', 'amazonbedrockfoundationmodels', 'amazonbedrockagentcore']);

// ---------------------------------------------------------------------------------------------------------------
// Line item types

const enum Kind {
  Usage,
  DiscountedUsage,
  SpCovered,
  SpNegation,
  RiFee,
  Fee,
  SpUpfront,
  SpRecurring,
  Credit,
  Refund,
  Tax,
  Discount,
  Unknown,
}

const KINDS: Record<string, Kind> = {
  Usage: Kind.Usage,
  DiscountedUsage: Kind.DiscountedUsage,
  SavingsPlanCoveredUsage: Kind.SpCovered,
  SavingsPlanNegation: Kind.SpNegation,
  RIFee: Kind.RiFee,
  Fee: Kind.Fee,
  SavingsPlanUpfrontFee: Kind.SpUpfront,
  SavingsPlanRecurringFee: Kind.SpRecurring,
  Credit: Kind.Credit,
  Refund: Kind.Refund,
  Tax: Kind.Tax,
  BundledDiscount: Kind.Discount,
  Discount: Kind.Discount,
  EdpDiscount: Kind.Discount,
  PrivateRateDiscount: Kind.Discount,
  DistributorDiscount: Kind.Discount,
};

function kindOf(type: string): Kind {
  const k = KINDS[type];
  if (k !== undefined) return k;
  return type.endsWith('Discount') ? Kind.Discount : Kind.Unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Output columns

const BASE_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'ListUnitPrice',
  'ContractedUnitPrice',
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
  'InvoiceId',
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'SubAccountName',
  'ServiceName',
  'ServiceCategory',
  'ServiceSubcategory',
  'RegionId',
  'RegionName',
  'AvailabilityZone',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'SkuId',
  'SkuPriceId',
  'SkuMeter',
  'SkuPriceDetails',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'CommitmentDiscountId',
  'CommitmentDiscountCategory',
  'CommitmentDiscountType',
  'CommitmentDiscountStatus',
  'Tags',
  'x_LineItemId',
  'x_LineItemType',
  'x_UsageType',
  'x_Operation',
  'x_ServiceCode',
] as const;
type BaseColumn = (typeof BASE_COLUMNS)[number];
const C = Object.fromEntries(BASE_COLUMNS.map((c, i) => [c, i])) as Record<BaseColumn, number>;

/** Token classes of Bedrock usage types (vendor-formats.md §1.8). */
interface TokenClass {
  meter: string;
  direction: 'Input' | 'Output';
  cache: 'Uncached' | 'Read' | 'Write';
  ttl: '' | '5m' | '1h';
}
const TOKEN_INPUT: TokenClass = { meter: 'Input Tokens', direction: 'Input', cache: 'Uncached', ttl: '' };
const TOKEN_OUTPUT: TokenClass = { meter: 'Output Tokens', direction: 'Output', cache: 'Uncached', ttl: '' };
const TOKEN_CACHE_READ: TokenClass = { meter: 'Cache Read Input Tokens', direction: 'Input', cache: 'Read', ttl: '' };
const TOKEN_CACHE_WRITE_5M: TokenClass = { meter: 'Cache Write Input Tokens', direction: 'Input', cache: 'Write', ttl: '5m' };
const TOKEN_CACHE_WRITE_1H: TokenClass = { meter: 'Cache Write Input Tokens', direction: 'Input', cache: 'Write', ttl: '1h' };

/** Token class of a Bedrock usage type, or null when the row is not metered in tokens. */
export function bedrockTokenClass(usageType: string, pricingUnit: string): TokenClass | null {
  const u = usageType.toLowerCase();
  if (!u.includes('token') && !pricingUnit.toLowerCase().includes('token')) return null;
  if (u.includes('cacheread') || u.includes('cache-read') || u.includes('cache_read')) return TOKEN_CACHE_READ;
  if (u.includes('cachewrite') || u.includes('cache-write') || u.includes('cache_write')) {
    return u.includes('1h') ? TOKEN_CACHE_WRITE_1H : TOKEN_CACHE_WRITE_5M;
  }
  if (u.includes('output')) return TOKEN_OUTPUT;
  if (u.includes('input')) return TOKEN_INPUT;
  return null;
}

/** Tokens per pricing unit ("1K tokens" → 1000), or 0 when the unit is not a token block we know. */
function tokenBlock(pricingUnit: string): number {
  const p = pricingUnit.trim().toLowerCase();
  if (p === '1k tokens' || p === '1000 tokens' || p === 'thousand tokens') return 1000;
  if (p === '1m tokens' || p === '1000000 tokens' || p === 'million tokens') return 1_000_000;
  if (p === 'tokens' || p === 'token') return 1;
  return 0;
}

/** Model of a Bedrock usage type: `USE1-Claude3Haiku-input-tokens` → `Claude3Haiku` (region prefix and class suffix cut). */
function bedrockModel(usageType: string): string {
  const first = usageType.indexOf('-');
  const rest = first >= 0 ? usageType.slice(first + 1) : usageType;
  const lower = rest.toLowerCase();
  let cut = rest.length;
  for (const marker of ['-cache', '-input', '-output', '-batch', '-inference', '-token']) {
    const at = lower.indexOf(marker);
    if (at > 0 && at < cut) cut = at;
  }
  return rest.slice(0, cut);
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

function detectDialect(sample: TableSample, dialect: Dialect): number {
  const cols = new Columns(sample.header);
  if (!cols.has(nameOf('unblended', dialect))) return 0;
  const found = SIGNATURE.filter((f) => cols.has(nameOf(f, dialect))).length;
  let score = 0.3 + (0.7 * found) / SIGNATURE.length;
  // content check: a known line item type in the first rows confirms it
  const ti = cols.find(nameOf('type', dialect));
  if (ti >= 0 && sample.rows.length > 0) {
    const known = sample.rows.some((r) => kindOf(cell(r, ti)) !== Kind.Unknown);
    if (!known) score = Math.min(score, 0.4);
  }
  return Math.min(1, score);
}

// ---------------------------------------------------------------------------------------------------------------
// The mapper

interface ProductInfo {
  name: string;
  region: string;
}

const FIXED_GAPS: MappingGap[] = [
  {
    column: 'BilledCost',
    note: 'BilledCost = net unblended cost where the file has the column and the cell is not empty (after EDP/PPA discounts), else unblended cost; blended cost is not used',
  },
  {
    column: 'EffectiveCost',
    note:
      'EffectiveCost by line item type (vendor-formats.md §1.3): Usage and other lines → (net) unblended; DiscountedUsage → reservation (net) effective cost; ' +
      'SavingsPlanCoveredUsage → savings plan (net) effective cost; SavingsPlanNegation, SavingsPlanUpfrontFee and Fee with a reservation ARN → 0; ' +
      'RIFee → unused amortized upfront fee + unused recurring fee; SavingsPlanRecurringFee → total commitment to date − used commitment (no net variant exists). ' +
      'An empty amortization cell counts as 0. The CUR has no amortized column of its own to reconcile against',
  },
  {
    column: 'ChargeCategory',
    note:
      'Refund lines keep the category of what they refund, which the CUR does not name: Usage with ChargeClass null (Tax when the line has a tax type); ' +
      'whether a refund corrects a closed period (ChargeClass Correction) cannot be told. ' +
      'Discount lines (EdpDiscount, BundledDiscount, PrivateRateDiscount, Discount) map to Credit. RIFee, Fee and Savings Plan fees map to Purchase',
  },
  {
    column: 'ListCost',
    note:
      'ListCost = pricing public on-demand cost; SavingsPlanNegation lines without one → 0 (the covered usage line carries the list cost); ' +
      'other lines without one (Tax, Credit, Refund, discounts, fees) → BilledCost, the FOCUS fallback for charges without a list price',
  },
  {
    column: 'ContractedCost',
    note: 'ContractedCost = BilledCost ((net) unblended), except DiscountedUsage (public on-demand cost: the RI line carries 0 unblended) and SavingsPlanNegation (0)',
  },
  {
    column: 'ChargeFrequency',
    note: 'Usage line types → Usage-Based; upfront fees → One-Time; others from bill type (Anniversary → Recurring, Purchase/Refund → One-Time)',
  },
  {
    column: 'PricingCategory',
    note: 'From pricing term (OnDemand → Standard, Reserved → Committed, Spot → Dynamic); RI/Savings Plan covered lines and commitment fees → Committed; other usage/purchase lines without a term → Other; null for Tax, Credit and Adjustment',
  },
  {
    column: 'Tags',
    note: 'Tag keys kept as the file writes them: `user:Key` / `aws:key` in the legacy CSV, normalised `user_key` in Parquet and CUR 2.0 (AWS lowercases them there, so two keys may have merged)',
  },
];

class CurMapper implements RowMapper {
  readonly columns: string[];
  private readonly out: string[];
  private readonly idx: Record<Field, number>;
  private readonly names: Record<Field, string>;
  private readonly billed = new DecimalSum();
  private usedNet = false;
  // optional extra columns
  private readonly iamOut: number;
  private readonly costCatOut: number;
  private readonly discountOut: number;
  // map / flattened sources
  private readonly productMap: number;
  private readonly tagsMap: number[];
  private readonly tagCols: [number, string][];
  private readonly costCatMap: number;
  private readonly costCatCols: [number, string][];
  private readonly discountMap: number;
  private readonly discountCols: [number, string][];
  /** Source header, for naming map columns in errors. */
  private readonly header: readonly string[];
  // caches
  private readonly productCache = new Map<string, ProductInfo>();
  private readonly jsonCache = new Map<string, string>();
  private lastBillStart = ['', ''];
  private lastBillEnd = ['', ''];
  // counters for gaps
  private unknownTypes = new Map<string, number>();
  private tokenRowsUnconverted = 0;
  private tokenRows = 0;
  private emptyAmortization = 0;

  constructor(
    private readonly dialect: Dialect,
    sample: TableSample,
  ) {
    this.header = sample.header;
    const cols = new Columns(sample.header);
    const idx = {} as Record<Field, number>;
    const names = {} as Record<Field, string>;
    for (const f of Object.keys(F) as Field[]) {
      names[f] = nameOf(f, dialect);
      idx[f] = cols.find(names[f]);
    }
    if (dialect === 'snake') {
      // CUR 2.0 has no product_region column (it is in the `product` map); the legacy Parquet has both.
      if (idx.productName < 0) idx.productName = cols.find('product_product_name');
    }
    const missing = REQUIRED.filter((f) => idx[f] < 0).map((f) => names[f]);
    if (missing.length > 0) {
      throw new MappingSetupError(`the AWS Cost and Usage Report has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}`);
    }
    this.idx = idx;
    this.names = names;

    // map columns (CUR 2.0) and flattened tag / cost category / discount columns
    const keys = sample.header.map(headerKey);
    const exact = (name: string) => keys.indexOf(name);
    const prefixed = (prefix: string, exclude: string[] = []): [number, string][] => {
      const found: [number, string][] = [];
      sample.header.forEach((h, i) => {
        const k = keys[i]!;
        if (k.startsWith(prefix.toLowerCase()) && k.length > prefix.length && !exclude.includes(k)) {
          found.push([i, h.replace(/^\uFEFF/, '').trim().slice(prefix.length)]);
        }
      });
      return found;
    };
    if (dialect === 'legacy') {
      this.productMap = -1;
      this.tagsMap = [];
      this.tagCols = prefixed('resourceTags/');
      this.costCatMap = -1;
      this.costCatCols = prefixed('costCategory/');
      this.discountMap = -1;
      this.discountCols = prefixed('discount/');
    } else {
      this.productMap = exact('product');
      this.tagsMap = [exact('resource_tags'), exact('tags')].filter((i) => i >= 0);
      this.tagCols = prefixed('resource_tags_');
      this.costCatMap = exact('cost_category');
      this.costCatCols = prefixed('cost_category_');
      this.discountMap = exact('discount');
      this.discountCols = prefixed('discount_');
    }

    const columns: string[] = [...BASE_COLUMNS];
    const extra = (present: boolean, name: string): number => {
      if (!present) return -1;
      columns.push(name);
      return columns.length - 1;
    };
    this.iamOut = extra(idx.iamPrincipal >= 0, 'x_IamPrincipal');
    this.costCatOut = extra(this.costCatMap >= 0 || this.costCatCols.length > 0, 'x_CostCategories');
    this.discountOut = extra(this.discountMap >= 0 || this.discountCols.length > 0, 'x_Discounts');
    this.columns = columns;
    this.out = new Array<string>(columns.length).fill('');
  }

  private num(cells: readonly string[], f: Field, rowNo: number): string {
    const text = cell(cells, this.idx[f]);
    if (text === '' || isPlainDecimal(text)) return text;
    const d = parseDec(text);
    if (d === null) {
      if (text.trim() === '' || text.trim().toLowerCase() === 'null') return '';
      throw new MappingRowError(rowNo, this.names[f], `${this.names[f]} '${text}' is not a number`);
    }
    return decText(d);
  }

  private dec(cells: readonly string[], f: Field, rowNo: number): Dec | null {
    const text = this.num(cells, f, rowNo);
    return text === '' ? null : parseDec(text);
  }

  private date(cells: readonly string[], f: Field, rowNo: number): string {
    const text = cell(cells, this.idx[f]);
    const v = awsDateTime(text);
    if (v === null) {
      throw new MappingRowError(rowNo, this.names[f], text === '' ? `${this.names[f]} is empty` : `${this.names[f]} '${text}' is not a date`);
    }
    return v;
  }

  private billDate(cells: readonly string[], f: 'billStart' | 'billEnd', rowNo: number): string {
    const last = f === 'billStart' ? this.lastBillStart : this.lastBillEnd;
    const text = cell(cells, this.idx[f]);
    if (text === last[0] && text !== '') return last[1]!;
    const v = this.date(cells, f, rowNo);
    last[0] = text;
    last[1] = v;
    return v;
  }

  private json(text: string, rowNo: number, column: string): string {
    if (text === '' || text === '{}') return '';
    const hit = this.jsonCache.get(text);
    if (hit !== undefined) return hit;
    const v = mapToJson(text);
    if (v === null) throw new MappingRowError(rowNo, column, `${column} '${text.slice(0, 80)}' is not a JSON object`);
    if (this.jsonCache.size > 5000) this.jsonCache.clear();
    this.jsonCache.set(text, v);
    return v;
  }

  /** A JSON object from a map column and/or flattened `prefix_key` columns, '' when empty. */
  private merged(cells: readonly string[], rowNo: number, mapIdx: number[], flat: [number, string][], header: readonly string[]): string {
    let obj: Record<string, string> | null = null;
    for (const i of mapIdx) {
      const text = cell(cells, i);
      if (text === '' || text === '{}') continue;
      const json = this.json(text, rowNo, header[i]!);
      if (json === '') continue;
      if (flat.length === 0 && obj === null) return json;
      obj = { ...(obj ?? {}), ...(JSON.parse(json) as Record<string, string>) };
    }
    for (const [i, key] of flat) {
      const v = cell(cells, i);
      if (v === '') continue;
      (obj ??= {})[key] = v;
    }
    return obj === null || Object.keys(obj).length === 0 ? '' : JSON.stringify(obj);
  }

  private product(cells: readonly string[], rowNo: number): ProductInfo {
    const text = cell(cells, this.productMap);
    let info = this.productCache.get(text);
    if (info === undefined) {
      const obj = text === '' ? {} : mapObject(text);
      if (obj === null) throw new MappingRowError(rowNo, 'product', `product '${text.slice(0, 80)}' is not a JSON object`);
      info = { name: obj.product_name ?? '', region: obj.region_code ?? obj.region ?? '' };
      if (this.productCache.size > 5000) this.productCache.clear();
      this.productCache.set(text, info);
    }
    return info;
  }

  map(cells: readonly string[], rowNo: number, emit: EmitRow): void {
    const idx = this.idx;
    const o = this.out;
    const type = cell(cells, idx.type);
    const kind = kindOf(type);
    if (kind === Kind.Unknown) this.unknownTypes.set(type, (this.unknownTypes.get(type) ?? 0) + 1);

    // --- money
    const unblended = this.num(cells, 'unblended', rowNo);
    if (unblended === '') throw new MappingRowError(rowNo, this.names.unblended, `${this.names.unblended} is empty`);
    const net = idx.netUnblended >= 0 ? this.num(cells, 'netUnblended', rowNo) : '';
    const billed = net !== '' ? net : unblended;
    if (net !== '') this.usedNet = true;
    this.billed.addDec(parseDec(billed)!);

    const riArn = cell(cells, idx.riArn);
    const spArn = cell(cells, idx.spArn);
    let effective: string;
    switch (kind) {
      case Kind.DiscountedUsage:
        effective = this.orZero(this.num(cells, 'riNetEffective', rowNo) || this.num(cells, 'riEffective', rowNo));
        break;
      case Kind.SpCovered:
        effective = this.orZero(this.num(cells, 'spNetEffective', rowNo) || this.num(cells, 'spEffective', rowNo));
        break;
      case Kind.SpNegation:
      case Kind.SpUpfront:
        effective = '0';
        break;
      case Kind.RiFee: {
        const upfront = this.dec(cells, 'riNetUnusedUpfront', rowNo) ?? this.dec(cells, 'riUnusedUpfront', rowNo);
        const recurring = this.dec(cells, 'riNetUnusedRecurring', rowNo) ?? this.dec(cells, 'riUnusedRecurring', rowNo);
        if (upfront === null && recurring === null) this.emptyAmortization++;
        effective = decText(decAdd(upfront ?? DEC_ZERO, recurring ?? DEC_ZERO));
        break;
      }
      case Kind.Fee:
        effective = riArn !== '' ? '0' : billed;
        break;
      case Kind.SpRecurring: {
        const total = this.dec(cells, 'spTotalCommitment', rowNo);
        const used = this.dec(cells, 'spUsedCommitment', rowNo);
        if (total === null) this.emptyAmortization++;
        effective = decText(decSub(total ?? DEC_ZERO, used ?? DEC_ZERO));
        break;
      }
      default:
        effective = billed;
    }

    // --- classification
    let category: string;
    let frequency: string;
    const billType = cell(cells, idx.billType);
    const byBill = billType === 'Anniversary' ? 'Recurring' : billType === 'Purchase' || billType === 'Refund' ? 'One-Time' : '';
    switch (kind) {
      case Kind.Usage:
      case Kind.DiscountedUsage:
      case Kind.SpCovered:
      case Kind.SpNegation:
        category = 'Usage';
        frequency = 'Usage-Based';
        break;
      case Kind.Fee:
      case Kind.SpUpfront:
        category = 'Purchase';
        frequency = 'One-Time';
        break;
      case Kind.RiFee:
      case Kind.SpRecurring:
        category = 'Purchase';
        frequency = 'Recurring';
        break;
      case Kind.Credit:
      case Kind.Discount:
        category = 'Credit';
        frequency = byBill || 'One-Time';
        break;
      case Kind.Tax:
        category = 'Tax';
        frequency = byBill || 'One-Time';
        break;
      case Kind.Refund:
        category = cell(cells, idx.taxType) !== '' ? 'Tax' : 'Usage';
        frequency = byBill || 'One-Time';
        break;
      default:
        category = 'Adjustment';
        frequency = byBill || 'One-Time';
    }

    // --- quantities and prices
    const pricingUnit = cell(cells, idx.pricingUnit);
    const usageAmount = this.num(cells, 'usageAmount', rowNo);
    const publicCost = this.num(cells, 'publicCost', rowNo);
    const publicRate = this.num(cells, 'publicRate', rowNo);
    let listCost = publicCost;
    if (listCost === '') listCost = kind === Kind.SpNegation ? '0' : billed;
    let contracted = billed;
    if (kind === Kind.DiscountedUsage && publicCost !== '') contracted = publicCost;
    else if (kind === Kind.SpNegation) contracted = '0';
    let contractedRate = '';
    if (kind === Kind.Usage || kind === Kind.SpCovered) {
      contractedRate = net !== '' ? this.num(cells, 'netUnblendedRate', rowNo) : this.num(cells, 'unblendedRate', rowNo);
    }
    let listRate = publicCost !== '' ? publicRate : '';
    let pricingQty = pricingUnit !== '' && category !== 'Tax' && category !== 'Credit' ? usageAmount : '';
    let pricingUnitOut = pricingQty !== '' ? pricingUnit : '';
    let consumedQty = category === 'Usage' && kind !== Kind.Refund && pricingUnit !== '' ? usageAmount : '';
    let consumedUnit = consumedQty !== '' ? pricingUnit : '';

    // --- service
    const productCode = cell(cells, idx.productCode);
    let productName = cell(cells, idx.productName);
    let region = cell(cells, idx.productRegionCode);
    if (this.productMap >= 0 && (productName === '' || region === '')) {
      const p = this.product(cells, rowNo);
      if (productName === '') productName = p.name;
      if (region === '') region = p.region;
    }
    if (region === '') region = cell(cells, idx.productRegion);
    const serviceCode = cell(cells, idx.serviceCode) || productCode;
    const lowerCode = productCode.toLowerCase();
    let sc = SERVICE_CATEGORY[lowerCode] ?? (serviceCode !== productCode ? SERVICE_CATEGORY[serviceCode.toLowerCase()] : undefined);
    const bedrock = BEDROCK_CODES.has(lowerCode) || (productName !== '' && productName.includes('(Amazon Bedrock Edition)'));
    if (bedrock) sc = SERVICE_CATEGORY.amazonbedrock;

    // --- Bedrock tokens
    let skuMeter = '';
    let skuPriceDetails = '';
    const usageType = cell(cells, idx.usageType);
    if (bedrock) {
      const tc = bedrockTokenClass(usageType, pricingUnit);
      if (tc !== null) {
        this.tokenRows++;
        skuMeter = tc.meter;
        const details: Record<string, string> = { ModelId: bedrockModel(usageType), TokenDirection: tc.direction, TokenCacheAction: tc.cache };
        if (tc.ttl !== '') details.x_CacheTtl = tc.ttl;
        skuPriceDetails = JSON.stringify(details);
        const block = tokenBlock(pricingUnit);
        const amount = usageAmount === '' ? null : parseDec(usageAmount);
        if (block > 0 && amount !== null) {
          const k = Math.round(Math.log10(block));
          const tokens = decShift(amount, -k);
          consumedQty = category === 'Usage' ? decText(tokens) : '';
          consumedUnit = consumedQty !== '' ? 'Tokens' : '';
          pricingQty = decText(decShift(tokens, 6));
          pricingUnitOut = '1000000 Tokens';
          const perMillion = (rate: string) => (rate === '' ? '' : decText(decShift(parseDec(rate)!, k - 6)));
          listRate = perMillion(listRate);
          contractedRate = perMillion(contractedRate);
        } else this.tokenRowsUnconverted++;
      }
    }

    // --- commitments
    let cdId = '';
    let cdCategory = '';
    let cdType = '';
    let cdStatus = '';
    if (spArn !== '') {
      cdId = spArn;
      cdCategory = 'Spend';
      cdType = 'Savings Plan';
    } else if (riArn !== '') {
      cdId = riArn;
      cdCategory = 'Usage';
      cdType = 'Reserved Instance';
    }
    if (cdId !== '' && category === 'Usage') cdStatus = 'Used';

    let pricing = '';
    if (category === 'Usage' || category === 'Purchase') {
      if (kind === Kind.DiscountedUsage || kind === Kind.SpCovered || kind === Kind.SpNegation || (category === 'Purchase' && cdId !== '')) {
        pricing = 'Committed';
      } else {
        const term = cell(cells, idx.term);
        pricing = term === 'OnDemand' ? 'Standard' : term === 'Reserved' ? 'Committed' : term === 'Spot' ? 'Dynamic' : 'Other';
      }
      if (kind === Kind.SpUpfront || kind === Kind.SpRecurring) pricing = 'Committed';
    }

    // --- resource
    const resourceId = cell(cells, idx.resourceId);
    let resourceName = '';
    let resourceType = '';
    if (resourceId !== '') {
      if (resourceId.startsWith('arn:')) {
        const parts = resourceId.split(':');
        const res = parts.slice(5).join(':');
        const slash = res.indexOf('/');
        const colon = res.indexOf(':');
        const sep = slash < 0 ? colon : colon < 0 ? slash : Math.min(slash, colon);
        if (sep > 0) {
          resourceType = res.slice(0, sep);
          resourceName = res.slice(sep + 1);
        } else resourceName = res;
      } else resourceName = resourceId;
    }

    // --- parties
    const payer = accountId(cell(cells, idx.payer));
    const usageAccount = accountId(cell(cells, idx.usageAccount)) || payer;
    const marketplace = cell(cells, idx.billingEntity) === 'AWS Marketplace';
    const legal = cell(cells, idx.legalEntity);
    const provider = marketplace && legal !== '' ? legal : 'AWS';

    o[C.BilledCost] = billed;
    o[C.EffectiveCost] = effective;
    o[C.ListCost] = listCost;
    o[C.ContractedCost] = contracted;
    o[C.ListUnitPrice] = listRate;
    o[C.ContractedUnitPrice] = contractedRate;
    o[C.BillingCurrency] = cell(cells, idx.currency);
    if (o[C.BillingCurrency] === '') throw new MappingRowError(rowNo, this.names.currency, `${this.names.currency} is empty`);
    o[C.BillingPeriodStart] = this.billDate(cells, 'billStart', rowNo);
    o[C.BillingPeriodEnd] = this.billDate(cells, 'billEnd', rowNo);
    o[C.ChargePeriodStart] = this.date(cells, 'usageStart', rowNo);
    o[C.ChargePeriodEnd] = this.date(cells, 'usageEnd', rowNo);
    o[C.ChargeCategory] = category;
    o[C.ChargeClass] = '';
    o[C.ChargeFrequency] = frequency;
    o[C.ChargeDescription] = cell(cells, idx.description);
    o[C.ServiceProviderName] = provider;
    o[C.ProviderName] = provider;
    o[C.PublisherName] = provider;
    o[C.InvoiceIssuerName] = cell(cells, idx.invoicingEntity) || 'AWS';
    o[C.InvoiceId] = cell(cells, idx.invoiceId);
    o[C.BillingAccountId] = payer;
    o[C.BillingAccountName] = cell(cells, idx.payerName);
    o[C.SubAccountId] = usageAccount;
    o[C.SubAccountName] = cell(cells, idx.usageAccountName);
    o[C.ServiceName] = productName || productCode || serviceCode;
    o[C.ServiceCategory] = sc ? sc[0] : 'Other';
    o[C.ServiceSubcategory] = sc ? sc[1] : 'Other (Other)';
    o[C.RegionId] = region;
    o[C.RegionName] = region !== '' ? cell(cells, idx.productLocation) : '';
    o[C.AvailabilityZone] = cell(cells, idx.zone);
    o[C.ResourceId] = resourceId;
    o[C.ResourceName] = resourceName;
    o[C.ResourceType] = resourceType;
    o[C.SkuId] = cell(cells, idx.sku);
    o[C.SkuPriceId] = cell(cells, idx.rateCode) || cell(cells, idx.rateId);
    o[C.SkuMeter] = skuMeter;
    o[C.SkuPriceDetails] = skuPriceDetails;
    o[C.PricingCategory] = pricing;
    o[C.PricingQuantity] = pricingQty;
    o[C.PricingUnit] = pricingUnitOut;
    o[C.ConsumedQuantity] = consumedQty;
    o[C.ConsumedUnit] = consumedUnit;
    o[C.CommitmentDiscountId] = cdId;
    o[C.CommitmentDiscountCategory] = cdCategory;
    o[C.CommitmentDiscountType] = cdType;
    o[C.CommitmentDiscountStatus] = cdStatus;
    o[C.Tags] =
      this.tagsMap.length === 0 && this.tagCols.length === 0 ? '' : this.merged(cells, rowNo, this.tagsMap, this.tagCols, this.header);
    o[C.x_LineItemId] = cell(cells, idx.lineItemId);
    o[C.x_LineItemType] = type;
    o[C.x_UsageType] = usageType;
    o[C.x_Operation] = cell(cells, idx.operation);
    o[C.x_ServiceCode] = serviceCode;
    if (this.iamOut >= 0) o[this.iamOut] = cell(cells, idx.iamPrincipal);
    if (this.costCatOut >= 0) {
      o[this.costCatOut] = this.merged(cells, rowNo, this.costCatMap >= 0 ? [this.costCatMap] : [], this.costCatCols, this.header);
    }
    if (this.discountOut >= 0) {
      o[this.discountOut] = this.merged(cells, rowNo, this.discountMap >= 0 ? [this.discountMap] : [], this.discountCols, this.header);
    }
    emit(o);
  }

  private orZero(v: string): string {
    if (v === '') {
      this.emptyAmortization++;
      return '0';
    }
    return v;
  }

  gaps(): MappingGap[] {
    const gaps = [...FIXED_GAPS];
    if (this.dialect === 'snake' && this.productMap < 0 && this.idx.productName < 0) {
      gaps.push({ column: 'ServiceName', note: 'the file has no product name (product map or product_product_name): ServiceName is the product code' });
    }
    for (const [type, n] of this.unknownTypes) {
      gaps.push({ column: 'ChargeCategory', note: `${n} row(s) of unknown line item type '${type}' mapped to Adjustment with EffectiveCost = BilledCost` });
    }
    if (this.emptyAmortization > 0) {
      gaps.push({ column: 'EffectiveCost', note: `${this.emptyAmortization} commitment row(s) had an empty amortization cell, counted as 0` });
    }
    if (this.tokenRows > 0) {
      gaps.push({
        column: 'ConsumedQuantity',
        note: 'Bedrock token rows: ConsumedQuantity in Tokens (usage × tokens per pricing unit, e.g. × 1000 for "1K tokens"); PricingUnit "1000000 Tokens" with PricingQuantity = tokens / 1e6 and unit prices per 1M tokens; token class from the usage type',
      });
    }
    if (this.tokenRowsUnconverted > 0) {
      gaps.push({
        column: 'ConsumedUnit',
        note: `${this.tokenRowsUnconverted} Bedrock token row(s) have a pricing unit that is not a token block (e.g. Marketplace "Units"): quantities kept as the file gives them`,
      });
    }
    return gaps;
  }

  vendorTotals(): VendorTotal[] {
    const column = this.usedNet ? `${this.names.netUnblended} (${this.names.unblended} where empty)` : this.names.unblended;
    return [{ focusColumn: 'BilledCost', vendorColumn: column, vendorTotal: this.billed.toString() }];
  }
}

function format(id: string, label: string, dialect: Dialect): BillFormat {
  return {
    id,
    label,
    detect: (sample) => detectDialect(sample, dialect),
    createMapper: (sample) => new CurMapper(dialect, sample),
  };
}

export const awsCurLegacy: BillFormat = format('aws-cur-legacy', 'AWS Cost and Usage Report (legacy CUR)', 'legacy');
export const awsCur2: BillFormat = format('aws-cur-2', 'AWS Data Exports CUR 2.0', 'snake');

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
  decDiv,
  decShift,
  decSub,
  decText,
  headerKey,
  parseDec,
  tagsToJson,
  toFocusDateTime,
  plainDecimalText,
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
  riTotalReservedUnits: 'reservation/TotalReservedUnits',
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

/** Kept under its first name: the AWS tests call it. */
export const plainNumberText = plainDecimalText;

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
// Amazon Bedrock token rows (vendor-formats.md §1.8)

/** Token classes of Bedrock usage types. */
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
// Regions and resources

/** Display names of AWS regions, for rows whose product location is empty (data transfer rows). */
const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-southeast-5': 'Asia Pacific (Malaysia)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'Europe (Frankfurt)',
  'eu-central-2': 'Europe (Zurich)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-west-2': 'Europe (London)',
  'eu-west-3': 'Europe (Paris)',
  'eu-north-1': 'Europe (Stockholm)',
  'eu-south-1': 'Europe (Milan)',
  'eu-south-2': 'Europe (Spain)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-south-1': 'Middle East (Bahrain)',
  'me-central-1': 'Middle East (UAE)',
  'sa-east-1': 'South America (Sao Paulo)',
  'us-gov-west-1': 'AWS GovCloud (US-West)',
  'us-gov-east-1': 'AWS GovCloud (US-East)',
  'cn-north-1': 'China (Beijing)',
  'cn-northwest-1': 'China (Ningxia)',
  global: 'Global',
};

/** Resource types of plain (non-ARN) resource ids by prefix. */
const ID_PREFIX_TYPES: [string, string][] = [
  ['i-', 'instance'],
  ['vol-', 'volume'],
  ['snap-', 'snapshot'],
  ['ami-', 'image'],
  ['eni-', 'network-interface'],
  ['eipalloc-', 'elastic-ip'],
  ['nat-', 'natgateway'],
  ['vpc-', 'vpc'],
  ['tgw-attach-', 'transit-gateway-attachment'],
  ['tgw-', 'transit-gateway'],
  ['fs-', 'file-system'],
];

/** [ResourceName, ResourceType] of a resource id: an ARN's resource part, or a plain id. */
function resourceParts(id: string, productCode: string): [string, string] {
  if (id.startsWith('arn:')) {
    let colons = 0;
    let start = -1;
    for (let i = 0; i < id.length; i++) {
      if (id.charCodeAt(i) === 58 && ++colons === 5) {
        start = i + 1;
        break;
      }
    }
    if (start < 0) return [id, ''];
    const res = id.slice(start);
    const slash = res.indexOf('/');
    const colon = res.indexOf(':');
    const sep = slash < 0 ? colon : colon < 0 ? slash : Math.min(slash, colon);
    return sep > 0 ? [res.slice(sep + 1), res.slice(0, sep)] : [res, ''];
  }
  for (const [prefix, type] of ID_PREFIX_TYPES) if (id.startsWith(prefix)) return [id, type];
  return [id, productCode === 'AmazonS3' ? 'bucket' : ''];
}

// ---------------------------------------------------------------------------------------------------------------
// Output columns

/** Output column positions in COLUMN_ORDER (a const enum: plain numbers in map()). */
const enum Col {
  BilledCost,
  EffectiveCost,
  ListCost,
  ContractedCost,
  ListUnitPrice,
  ContractedUnitPrice,
  BillingCurrency,
  BillingPeriodStart,
  BillingPeriodEnd,
  ChargePeriodStart,
  ChargePeriodEnd,
  ChargeCategory,
  ChargeClass,
  ChargeFrequency,
  ChargeDescription,
  ServiceProviderName,
  HostProviderName,
  ProviderName,
  PublisherName,
  InvoiceIssuerName,
  InvoiceId,
  BillingAccountId,
  BillingAccountName,
  SubAccountId,
  SubAccountName,
  ServiceName,
  ServiceCategory,
  ServiceSubcategory,
  RegionId,
  RegionName,
  AvailabilityZone,
  ResourceId,
  ResourceName,
  ResourceType,
  SkuId,
  SkuPriceId,
  SkuMeter,
  SkuPriceDetails,
  PricingCategory,
  PricingQuantity,
  PricingUnit,
  ConsumedQuantity,
  ConsumedUnit,
  CommitmentDiscountId,
  CommitmentDiscountName,
  CommitmentDiscountCategory,
  CommitmentDiscountType,
  CommitmentDiscountStatus,
  CommitmentDiscountQuantity,
  CommitmentDiscountUnit,
  Tags,
  x_LineItemId,
  x_LineItemType,
  x_BillType,
  x_UsageType,
  x_Operation,
  x_ServiceCode,
  x_IamPrincipal,
  x_CostCategories,
  x_Discounts,
}

const COLUMN_ORDER = [
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
  'HostProviderName',
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
  'CommitmentDiscountName',
  'CommitmentDiscountCategory',
  'CommitmentDiscountType',
  'CommitmentDiscountStatus',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountUnit',
  'Tags',
  'x_LineItemId',
  'x_LineItemType',
  'x_BillType',
  'x_UsageType',
  'x_Operation',
  'x_ServiceCode',
  'x_IamPrincipal',
  'x_CostCategories',
  'x_Discounts',
] as const;
type OutColumn = (typeof COLUMN_ORDER)[number];
if (
  COLUMN_ORDER.length !== Col.x_Discounts + 1 ||
  COLUMN_ORDER[Col.ChargeCategory] !== 'ChargeCategory' ||
  COLUMN_ORDER[Col.CommitmentDiscountId] !== 'CommitmentDiscountId' ||
  COLUMN_ORDER[Col.Tags] !== 'Tags'
) {
  throw new Error('aws-cur: Col and COLUMN_ORDER disagree');
}

/** Columns emitted only when the source has what fills them. */
const COMMITMENT_COLUMNS: readonly OutColumn[] = [
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountCategory',
  'CommitmentDiscountType',
  'CommitmentDiscountStatus',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountUnit',
];

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
      'EffectiveCost by line item type (vendor-formats.md §1.3), using the net_* variant of each amortization column where the file has it and the cell is not empty: ' +
      'Usage, Credit, Refund, Tax, discounts, plain fees → BilledCost; DiscountedUsage → reservation effective cost; SavingsPlanCoveredUsage → savings plan effective cost; ' +
      'SavingsPlanNegation, SavingsPlanUpfrontFee and Fee with a reservation ARN → 0; RIFee → unused amortized upfront fee + unused recurring fee; ' +
      'SavingsPlanRecurringFee → total commitment to date − used commitment (gross: the CUR has no net variant). An empty amortization cell counts as 0. ' +
      'The unused commitment stays on the RIFee / SavingsPlanRecurringFee Purchase row (the CUR has no separate unused row), which the FOCUS model flags (EffectiveCost-C-005-C). ' +
      'The CUR has no amortized total of its own to reconcile against',
  },
  {
    column: 'ChargeCategory',
    note:
      'Refund lines keep the category of what they refund, which the CUR does not name: Usage (Tax when the line has a tax type), ChargeClass null; ' +
      'ChargeClass Correction only when the refund’s charge period starts before the billing period. ' +
      'Discount lines (EdpDiscount, BundledDiscount, PrivateRateDiscount, Discount) map to Credit. RIFee, Fee and Savings Plan fees map to Purchase',
  },
  {
    column: 'ListCost',
    note:
      'ListCost = pricing public on-demand cost on Usage and Purchase lines; SavingsPlanNegation lines without one → 0 (the covered usage line carries the list cost); ' +
      'Tax, Credit (discount) lines and lines without one (refunds, fees) → BilledCost, the FOCUS fallback for charges without a list price (the CUR writes a public cost of 0.0 on Tax lines)',
  },
  {
    column: 'ContractedCost',
    note:
      'ContractedCost = BilledCost ((net) unblended, so EDP/PPA discounts count as negotiated), except DiscountedUsage (public on-demand cost: the RI line carries 0 unblended) and SavingsPlanNegation (0). ' +
      'Unit prices missing from the file are ContractedCost (ListCost) ÷ PricingQuantity',
  },
  {
    column: 'ChargeFrequency',
    note: 'Usage line types → Usage-Based; upfront fees → One-Time; RIFee and SavingsPlanRecurringFee → Recurring; others from bill type (Anniversary → Recurring, Purchase/Refund → One-Time)',
  },
  {
    column: 'PricingCategory',
    note:
      'Usage: pricing term OnDemand → Standard, Reserved → Committed, Spot → Dynamic, none → Other; RI/Savings Plan covered and negation lines → Committed. ' +
      'Purchases (commitment fees included: they are not subject to a commitment) → Standard. Null for Tax and Credit',
  },
  {
    column: 'CommitmentDiscountQuantity',
    note:
      'Savings Plans in the billing currency (covered usage: savings plan effective cost; negation: 0; recurring fee: total commitment to date; upfront fee: the fee); ' +
      'reservations in Hours (usage amount; an upfront Fee: total reserved units when the file has them)',
  },
  {
    column: 'InvoiceIssuerName',
    note:
      'InvoiceIssuerName is the bill invoicing entity (e.g. "Amazon Web Services, Inc."), ServiceProviderName/ProviderName/PublisherName "AWS" ' +
      '(AWS Marketplace lines: the seller, line item legal entity; HostProviderName stays "AWS"). The FOCUS 1.2 model reads ProviderName ≠ InvoiceIssuerName ' +
      'as a third-party payment (BilledCost-C-005-C), as it does for AWS’s own FOCUS export',
  },
  {
    column: 'Tags',
    note: 'Tag keys kept as the file writes them: `user:Key` / `aws:key` in the legacy CSV, normalised `user_key` in Parquet and CUR 2.0 (AWS lowercases them there, so two keys may have merged)',
  },
];

const PER_MILLION = 6;

class CurMapper implements RowMapper {
  readonly columns: string[];
  private readonly out: string[];
  /** Every output column, by Col; the emitted row copies the selected ones. */
  private readonly full: string[];
  /** COLUMN_ORDER positions of the emitted columns. */
  private readonly selected: number[];
  /** Whether each COLUMN_ORDER column is emitted, by Col. */
  private readonly on: boolean[];
  private readonly idx: Record<Field, number>;
  private readonly names: Record<Field, string>;
  /** Source header, for naming map columns in errors. */
  private readonly header: readonly string[];
  private readonly billed = new DecimalSum();
  private usedNet = false;
  // map / flattened sources
  private readonly productMap: number;
  private readonly tagsMap: number[];
  private readonly tagCols: [number, string][];
  private readonly costCatMap: number[];
  private readonly costCatCols: [number, string][];
  private readonly discountMap: number[];
  private readonly discountCols: [number, string][];
  // caches
  private readonly productCache = new Map<string, ProductInfo>();
  private readonly jsonCache = new Map<string, string>();
  private readonly lastBillStart = ['', ''];
  private readonly lastBillEnd = ['', ''];
  private lastResource = '';
  private lastResourceParts: [string, string] = ['', ''];
  // counters for gaps
  private readonly unknownTypes = new Map<string, number>();
  private tokenRows = 0;
  private tokenRowsUnconverted = 0;
  private emptyAmortization = 0;
  private unitFallback = 0;
  private corrections = 0;

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
    const missing = REQUIRED.filter((f) => idx[f] < 0).map((f) => names[f]);
    if (missing.length > 0) {
      throw new MappingSetupError(`the AWS Cost and Usage Report has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}`);
    }
    this.idx = idx;
    this.names = names;

    // map columns (CUR 2.0) and flattened tag / cost category / discount columns (legacy CSV and Parquet)
    const keys = sample.header.map(headerKey);
    const exact = (name: string) => keys.indexOf(name);
    const prefixed = (prefix: string): [number, string][] => {
      const p = prefix.toLowerCase();
      const found: [number, string][] = [];
      sample.header.forEach((h, i) => {
        const k = keys[i]!;
        if (k.startsWith(p) && k.length > p.length) found.push([i, h.replace(/^\uFEFF/, '').trim().slice(prefix.length)]);
      });
      return found;
    };
    const snake = dialect === 'snake';
    this.productMap = snake ? exact('product') : -1;
    this.tagsMap = snake ? [exact('resource_tags'), exact('tags')].filter((i) => i >= 0) : [];
    this.tagCols = prefixed(snake ? 'resource_tags_' : 'resourceTags/');
    this.costCatMap = snake ? [exact('cost_category')].filter((i) => i >= 0) : [];
    this.costCatCols = prefixed(snake ? 'cost_category_' : 'costCategory/');
    this.discountMap = snake ? [exact('discount')].filter((i) => i >= 0) : [];
    this.discountCols = prefixed(snake ? 'discount_' : 'discount/');

    const has = (name: OutColumn): boolean => {
      if ((COMMITMENT_COLUMNS as readonly string[]).includes(name)) return idx.spArn >= 0 || idx.riArn >= 0;
      switch (name) {
        case 'InvoiceId':
          return idx.invoiceId >= 0;
        case 'BillingAccountName':
          return idx.payerName >= 0;
        case 'SubAccountName':
          return idx.usageAccountName >= 0;
        case 'ResourceId':
        case 'ResourceName':
        case 'ResourceType':
          return idx.resourceId >= 0;
        case 'AvailabilityZone':
          return idx.zone >= 0;
        case 'x_IamPrincipal':
          return idx.iamPrincipal >= 0;
        case 'x_LineItemId':
          // AWS's line item id is unique on every row: kept, it would add a dictionary entry per row (the import ran
          // at 0.57× the speed of FOCUS CSV with it). Each stored row keeps its source file and row number instead.
          return false;
        case 'Tags':
          return this.tagsMap.length > 0 || this.tagCols.length > 0;
        case 'x_CostCategories':
          return this.costCatMap.length > 0 || this.costCatCols.length > 0;
        case 'x_Discounts':
          return this.discountMap.length > 0 || this.discountCols.length > 0;
        default:
          return true;
      }
    };
    this.on = COLUMN_ORDER.map(has);
    this.columns = COLUMN_ORDER.filter((_, i) => this.on[i]);
    this.selected = COLUMN_ORDER.map((_, i) => i).filter((i) => this.on[i]);
    this.full = new Array<string>(COLUMN_ORDER.length).fill('');
    this.out = new Array<string>(this.columns.length).fill('');
  }

  /** A number cell as plain decimal text ('' when empty); MappingRowError when it is not a number. */
  private num(cells: readonly string[], f: Field, rowNo: number): string {
    const text = cell(cells, this.idx[f]);
    const v = plainNumberText(text);
    if (v !== null) return v;
    const t = text.trim().toLowerCase();
    if (t === '' || t === 'null') return '';
    throw new MappingRowError(rowNo, this.names[f], `${this.names[f]} '${text}' is not a number`);
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
    const hit = this.jsonCache.get(text);
    if (hit !== undefined) return hit;
    const v = mapToJson(text);
    if (v === null) throw new MappingRowError(rowNo, column, `${column} '${text.slice(0, 80)}' is not a JSON object`);
    if (this.jsonCache.size > 5000) this.jsonCache.clear();
    this.jsonCache.set(text, v);
    return v;
  }

  /** A JSON object from map column(s) and/or flattened `prefix/key` columns, '' when empty. */
  private merged(cells: readonly string[], rowNo: number, maps: readonly number[], flat: readonly [number, string][]): string {
    let obj: Record<string, string> | null = null;
    for (const i of maps) {
      const text = cell(cells, i);
      if (text === '' || text === '{}') continue;
      const json = this.json(text, rowNo, this.header[i]!);
      if (json === '') continue;
      if (flat.length === 0 && obj === null && maps.length === 1) return json;
      obj = { ...(obj ?? {}), ...(JSON.parse(json) as Record<string, string>) };
    }
    for (const [i, key] of flat) {
      const v = cell(cells, i);
      if (v !== '') (obj ??= {})[key] = v;
    }
    return obj === null || Object.keys(obj).length === 0 ? '' : JSON.stringify(obj);
  }

  private product(cells: readonly string[], rowNo: number): ProductInfo {
    const text = cell(cells, this.productMap);
    let info = this.productCache.get(text);
    if (info === undefined) {
      const obj = mapObject(text);
      if (obj === null) throw new MappingRowError(rowNo, this.header[this.productMap]!, `product '${text.slice(0, 80)}' is not a JSON object`);
      info = { name: obj.product_name ?? '', region: obj.region_code ?? obj.region ?? '' };
      if (this.productCache.size > 5000) this.productCache.clear();
      this.productCache.set(text, info);
    }
    return info;
  }

  private orZero(v: string): string {
    if (v !== '') return v;
    this.emptyAmortization++;
    return '0';
  }

  map(cells: readonly string[], rowNo: number, emit: EmitRow): void {
    const idx = this.idx;
    const full = this.full;
    const on = this.on;
    const type = cell(cells, idx.type);
    const kind = kindOf(type);
    if (kind === Kind.Unknown) this.unknownTypes.set(type, (this.unknownTypes.get(type) ?? 0) + 1);

    // --- billed and amortized cost
    const unblended = this.num(cells, 'unblended', rowNo);
    if (unblended === '') throw new MappingRowError(rowNo, this.names.unblended, `${this.names.unblended} is empty`);
    const net = idx.netUnblended >= 0 ? this.num(cells, 'netUnblended', rowNo) : '';
    const billed = net !== '' ? net : unblended;
    if (net !== '') this.usedNet = true;
    this.billed.add(billed);

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

    // --- dates
    const billStart = this.billDate(cells, 'billStart', rowNo);
    const chargeStart = this.date(cells, 'usageStart', rowNo);

    // --- classification
    let category: string;
    let chargeClass = '';
    let frequency: string;
    const billType = cell(cells, idx.billType);
    // Anniversary (the monthly bill) → Recurring; Purchase and Refund bills (and anything else) → One-Time
    const byBill = billType === 'Anniversary' ? 'Recurring' : 'One-Time';
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
        frequency = byBill;
        break;
      case Kind.Tax:
        category = 'Tax';
        frequency = byBill;
        break;
      case Kind.Refund:
        category = cell(cells, idx.taxType) !== '' ? 'Tax' : 'Usage';
        frequency = byBill;
        if (chargeStart < billStart) {
          chargeClass = 'Correction';
          this.corrections++;
        }
        break;
      default:
        category = 'Adjustment';
        frequency = byBill;
    }
    const usageOrPurchase = category === 'Usage' || category === 'Purchase';

    // --- list and contracted cost, quantities and unit prices
    const pricingUnit = cell(cells, idx.pricingUnit);
    const usageAmount = this.num(cells, 'usageAmount', rowNo);
    // Tax, Credit and Adjustment lines have no list price of their own (the CUR writes 0.0 on Tax lines): BilledCost
    const publicCost = usageOrPurchase ? this.num(cells, 'publicCost', rowNo) : '';
    let listCost = publicCost;
    let listRate = publicCost !== '' ? this.num(cells, 'publicRate', rowNo) : '';
    let contracted = billed;
    let contractedRate: string;
    if (kind === Kind.SpNegation) {
      if (listCost === '') listRate = '0';
      listCost ||= '0';
      contracted = '0';
      contractedRate = '0';
    } else if (kind === Kind.DiscountedUsage && publicCost !== '') {
      contracted = publicCost;
      contractedRate = listRate;
    } else {
      if (listCost === '') listCost = billed;
      contractedRate = net !== '' ? this.num(cells, 'netUnblendedRate', rowNo) : this.num(cells, 'unblendedRate', rowNo);
    }
    let pricingQty = '';
    let pricingUnitOut = '';
    let consumedQty = '';
    let consumedUnit = '';
    if (usageOrPurchase && usageAmount !== '') {
      pricingQty = usageAmount;
      pricingUnitOut = pricingUnit;
      if (pricingUnitOut === '') {
        pricingUnitOut = 'Units';
        this.unitFallback++;
      }
      if (category === 'Usage') {
        consumedQty = pricingQty;
        consumedUnit = pricingUnitOut;
      }
    }

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

    // --- resource
    const resourceId = cell(cells, idx.resourceId);
    if (resourceId !== this.lastResource) {
      this.lastResource = resourceId;
      this.lastResourceParts = resourceId === '' ? ['', ''] : resourceParts(resourceId, productCode);
    }
    const [resourceName, resourceType] = this.lastResourceParts;

    // --- SKU; Bedrock token rows
    const skuPriceId = cell(cells, idx.rateCode) || cell(cells, idx.rateId);
    let skuMeter = '';
    let skuPriceDetails = '';
    const usageType = cell(cells, idx.usageType);
    if (bedrock) {
      const tc = bedrockTokenClass(usageType, pricingUnit);
      if (tc !== null) {
        this.tokenRows++;
        skuMeter = tc.meter;
        if (skuPriceId !== '') {
          const model = resourceType === 'foundation-model' || resourceType === 'inference-profile' ? resourceName : bedrockModel(usageType);
          const details: Record<string, string> = { ModelId: model, TokenDirection: tc.direction, TokenCacheAction: tc.cache };
          if (tc.ttl !== '') details.x_CacheTtl = tc.ttl;
          skuPriceDetails = JSON.stringify(details);
        }
        const block = tokenBlock(pricingUnit);
        const amount = usageAmount === '' ? null : parseDec(usageAmount);
        if (block > 0 && amount !== null) {
          const k = Math.round(Math.log10(block));
          const tokens = decShift(amount, -k);
          if (consumedQty !== '') {
            consumedQty = decText(tokens);
            consumedUnit = 'Tokens';
          }
          if (pricingQty !== '') {
            pricingQty = decText(decShift(tokens, PER_MILLION));
            pricingUnitOut = '1000000 Tokens';
            const perMillion = (rate: string) => (rate === '' ? '' : decText(decShift(parseDec(rate)!, k - PER_MILLION)));
            listRate = perMillion(listRate);
            contractedRate = perMillion(contractedRate);
          }
        } else this.tokenRowsUnconverted++;
      }
    }
    // unit prices the file does not give: cost ÷ quantity
    if (usageOrPurchase && pricingQty !== '' && (listRate === '' || contractedRate === '')) {
      const q = parseDec(pricingQty)!;
      if (q.coef !== 0n) {
        if (listRate === '') listRate = decText(decDiv(parseDec(listCost)!, q));
        if (contractedRate === '') contractedRate = decText(decDiv(parseDec(contracted)!, q));
      }
    }

    // --- commitments
    let cdId = '';
    let cdCategory = '';
    let cdType = '';
    let cdStatus = '';
    let cdQty = '';
    let cdUnit = '';
    if (spArn !== '') {
      cdId = spArn;
      cdCategory = 'Spend';
      cdType = 'Savings Plan';
      cdUnit = cell(cells, idx.currency);
      if (kind === Kind.SpCovered) cdQty = this.num(cells, 'spEffective', rowNo) || '0';
      else if (kind === Kind.SpNegation) cdQty = '0';
      else if (kind === Kind.SpRecurring) cdQty = this.num(cells, 'spTotalCommitment', rowNo) || unblended;
      else cdQty = unblended;
    } else if (riArn !== '') {
      cdId = riArn;
      cdCategory = 'Usage';
      cdType = 'Reserved Instance';
      cdUnit = 'Hours';
      cdQty = (kind === Kind.Fee ? this.num(cells, 'riTotalReservedUnits', rowNo) : '') || usageAmount || '0';
    }
    if (cdId !== '') {
      if (category === 'Usage') cdStatus = 'Used';
      else if (category !== 'Purchase') {
        cdQty = '';
        cdUnit = '';
      }
    }

    let pricing = '';
    if (usageOrPurchase) {
      if (kind === Kind.DiscountedUsage || kind === Kind.SpCovered || kind === Kind.SpNegation) pricing = 'Committed';
      else if (category === 'Purchase') pricing = 'Standard';
      else {
        const term = cell(cells, idx.term);
        pricing = term === 'OnDemand' ? 'Standard' : term === 'Reserved' ? 'Committed' : term === 'Spot' ? 'Dynamic' : 'Other';
      }
    } else if (category === 'Adjustment') pricing = 'Other';

    // --- parties and places
    const payer = accountId(cell(cells, idx.payer));
    const usageAccount = accountId(cell(cells, idx.usageAccount)) || payer;
    const marketplace = cell(cells, idx.billingEntity) === 'AWS Marketplace';
    const legal = cell(cells, idx.legalEntity);
    const provider = marketplace && legal !== '' ? legal : 'AWS';
    let regionName = '';
    if (region !== '') {
      const location = cell(cells, idx.productLocation);
      regionName = location !== '' && location !== 'Any' ? location : (REGION_NAMES[region] ?? region);
    }
    const currency = cell(cells, idx.currency);
    if (currency === '') throw new MappingRowError(rowNo, this.names.currency, `${this.names.currency} is empty`);

    full[Col.BilledCost] = billed;
    full[Col.EffectiveCost] = effective;
    full[Col.ListCost] = listCost;
    full[Col.ContractedCost] = contracted;
    full[Col.ListUnitPrice] = listRate;
    full[Col.ContractedUnitPrice] = contractedRate;
    full[Col.BillingCurrency] = currency;
    full[Col.BillingPeriodStart] = billStart;
    full[Col.BillingPeriodEnd] = this.billDate(cells, 'billEnd', rowNo);
    full[Col.ChargePeriodStart] = chargeStart;
    full[Col.ChargePeriodEnd] = this.date(cells, 'usageEnd', rowNo);
    full[Col.ChargeCategory] = category;
    full[Col.ChargeClass] = chargeClass;
    full[Col.ChargeFrequency] = frequency;
    full[Col.ChargeDescription] = cell(cells, idx.description);
    full[Col.ServiceProviderName] = provider;
    full[Col.HostProviderName] = 'AWS';
    full[Col.ProviderName] = provider;
    full[Col.PublisherName] = provider;
    full[Col.InvoiceIssuerName] = cell(cells, idx.invoicingEntity) || 'AWS';
    full[Col.BillingAccountId] = payer;
    full[Col.SubAccountId] = usageAccount;
    full[Col.ServiceName] = productName || productCode || serviceCode;
    full[Col.ServiceCategory] = sc ? sc[0] : 'Other';
    full[Col.ServiceSubcategory] = sc ? sc[1] : 'Other (Other)';
    full[Col.RegionId] = region;
    full[Col.RegionName] = regionName;
    full[Col.SkuId] = cell(cells, idx.sku);
    full[Col.SkuPriceId] = skuPriceId;
    full[Col.SkuMeter] = skuMeter;
    full[Col.SkuPriceDetails] = skuPriceDetails;
    full[Col.PricingCategory] = pricing;
    full[Col.PricingQuantity] = pricingQty;
    full[Col.PricingUnit] = pricingUnitOut;
    full[Col.ConsumedQuantity] = consumedQty;
    full[Col.ConsumedUnit] = consumedUnit;
    full[Col.x_LineItemId] = cell(cells, idx.lineItemId);
    full[Col.x_LineItemType] = type;
    full[Col.x_BillType] = billType;
    full[Col.x_UsageType] = usageType;
    full[Col.x_Operation] = cell(cells, idx.operation);
    full[Col.x_ServiceCode] = serviceCode;
    // optional columns
    if (on[Col.InvoiceId]) full[Col.InvoiceId] = cell(cells, idx.invoiceId);
    if (on[Col.BillingAccountName]) full[Col.BillingAccountName] = cell(cells, idx.payerName);
    if (on[Col.SubAccountName]) full[Col.SubAccountName] = cell(cells, idx.usageAccountName);
    if (on[Col.AvailabilityZone]) full[Col.AvailabilityZone] = cell(cells, idx.zone);
    if (on[Col.ResourceId]) {
      full[Col.ResourceId] = resourceId;
      full[Col.ResourceName] = resourceName;
      full[Col.ResourceType] = resourceType;
    }
    if (on[Col.CommitmentDiscountId]) {
      full[Col.CommitmentDiscountId] = cdId;
      full[Col.CommitmentDiscountName] = '';
      full[Col.CommitmentDiscountCategory] = cdCategory;
      full[Col.CommitmentDiscountType] = cdType;
      full[Col.CommitmentDiscountStatus] = cdStatus;
      full[Col.CommitmentDiscountQuantity] = cdQty;
      full[Col.CommitmentDiscountUnit] = cdUnit;
    }
    if (on[Col.Tags]) full[Col.Tags] = this.merged(cells, rowNo, this.tagsMap, this.tagCols);
    if (on[Col.x_IamPrincipal]) full[Col.x_IamPrincipal] = cell(cells, idx.iamPrincipal);
    if (on[Col.x_CostCategories]) full[Col.x_CostCategories] = this.merged(cells, rowNo, this.costCatMap, this.costCatCols);
    if (on[Col.x_Discounts]) full[Col.x_Discounts] = this.merged(cells, rowNo, this.discountMap, this.discountCols);
    const out = this.out;
    const selected = this.selected;
    for (let i = 0; i < selected.length; i++) out[i] = full[selected[i]!]!;
    emit(out);
  }

  gaps(): MappingGap[] {
    const gaps = [...FIXED_GAPS];
    if (this.dialect === 'snake' && this.productMap < 0 && this.idx.productName < 0) {
      gaps.push({ column: 'ServiceName', note: 'the file has no product name (product map or product_product_name): ServiceName is the product code' });
    }
    for (const [type, n] of this.unknownTypes) {
      gaps.push({ column: 'ChargeCategory', note: `${n} row(s) of unknown line item type '${type}' mapped to Adjustment with EffectiveCost = BilledCost` });
    }
    if (this.corrections > 0) {
      gaps.push({ column: 'ChargeClass', note: `${this.corrections} Refund row(s) refund charges before the billing period: ChargeClass Correction` });
    }
    if (this.emptyAmortization > 0) {
      gaps.push({ column: 'EffectiveCost', note: `${this.emptyAmortization} commitment row(s) had an empty amortization cell, counted as 0` });
    }
    if (this.unitFallback > 0) {
      gaps.push({ column: 'PricingUnit', note: `${this.unitFallback} usage or purchase row(s) have no pricing unit: PricingUnit/ConsumedUnit "Units"` });
    }
    if (this.tokenRows > 0) {
      gaps.push({
        column: 'ConsumedQuantity',
        note:
          'Bedrock token rows (class from the usage type): ConsumedQuantity in Tokens (usage × tokens per pricing unit, × 1000 for "1K tokens"); ' +
          'PricingUnit "1000000 Tokens" with PricingQuantity = tokens / 1e6 and unit prices per 1M tokens; SkuPriceDetails only where the row has a SkuPriceId',
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

/** Legacy CUR CSV: `lineItem/UnblendedCost`, `bill/PayerAccountId`, `resourceTags/user:Key`, `costCategory/Name`. */
export const awsCurLegacy: BillFormat = format('aws-cur-legacy', 'AWS Cost and Usage Report (legacy CUR)', 'legacy');

/** CUR 2.0 (Data Exports; map columns as JSON text) and the legacy CUR's Parquet/Athena snake_case flavour. */
export const awsCur2: BillFormat = format('aws-cur-2', 'AWS Data Exports CUR 2.0', 'snake');

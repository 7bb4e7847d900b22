// Google Cloud billing export (the BigQuery standard or detailed usage cost table) as a desktop user brings it:
// newline-delimited JSON extracted from BigQuery (nested records flattened to dotted names by our JSON reader, arrays
// kept as JSON text), Parquet (same flattened header), or a CSV someone's query flattened with dotted headers, where
// the arrays may be JSON or Python reprs. One FOCUS row per export row, plus one Credit row per entry of `credits[]`,
// so that Σ BilledCost = Σ cost + Σ credits.amount, Google's invoice total. See docs vendor-formats.md §3.
import type { BillFormat, MappingGap, RowMapper, TableSample, VendorTotal } from './types';
import { MappingRowError, MappingSetupError } from './types';
import {
  Columns,
  DecimalSum,
  cell,
  decShift,
  decText,
  focusDateTime,
  parseDec,
  parseVendorDateTime,
  plainDecimalText,
} from './values';

// ---------------------------------------------------------------------------------------------------------------
// Output columns

const COLUMNS = [
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
  'ChargeDescription',
  'ChargeFrequency',
  'PricingCategory',
  'ServiceProviderName',
  'ProviderName',
  'PublisherName',
  'HostProviderName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'ServiceName',
  'ServiceCategory',
  'ServiceSubcategory',
  'SkuId',
  'SkuPriceId',
  'SkuMeter',
  'SkuPriceDetails',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'RegionId',
  'RegionName',
  'AvailabilityZone',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'Tags',
  'x_ServiceId',
  'x_CostType',
  'x_InvoiceMonth',
  'x_CreditType',
  'x_CreditId',
  'x_CreditName',
  'x_AdjustmentId',
  'x_AdjustmentType',
  'x_AdjustmentMode',
  'x_AdjustmentDescription',
  'x_ProjectNumber',
  'x_ProjectAncestryNumbers',
  'x_SystemLabels',
  'x_Location',
  'x_LocationCountry',
  'x_ExportTime',
  'x_CurrencyConversionRate',
  'x_TransactionType',
  'x_SellerName',
  'x_SubscriptionInstanceId',
  'x_ConsumptionModelId',
  'x_PriceEffectivePrice',
  'x_PriceListPrice',
  'x_PriceTierStartAmount',
] as const;

type Column = (typeof COLUMNS)[number];
const O = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

const PROVIDER = 'Google Cloud';
// Not "Google": the FOCUS 1.2 model (BilledCost-C-005-C) reads an InvoiceIssuerName different from ProviderName as a
// charge paid to a third party, whose BilledCost must be 0.
const ISSUER = 'Google Cloud';

// ---------------------------------------------------------------------------------------------------------------
// Source columns: Google's dotted names; a hand-written query may have aliased them with underscores.

function find(cols: Columns, name: string): number {
  return name.includes('.') ? cols.find(name, name.replace(/\./g, '_')) : cols.find(name);
}

const SIGNATURE = [
  'billing_account_id',
  'service.id',
  'service.description',
  'sku.id',
  'sku.description',
  'invoice.month',
  'cost_type',
  'credits',
  'usage.amount',
  'usage.unit',
  'usage.pricing_unit',
  'project.id',
  'location.region',
  'export_time',
  'currency_conversion_rate',
  'cost_at_list',
];

function detect(sample: TableSample): number {
  const cols = new Columns(sample.header);
  if (!cols.has('cost') || !cols.has('usage_start_time') || !cols.has('currency')) return 0;
  let n = 0;
  for (const name of SIGNATURE) if (find(cols, name) >= 0) n++;
  return Math.min(1, 0.3 + (0.7 * n) / 6);
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers

/** Plain decimal text as FOCUS wants it: the cell itself when it already is, else exact normalisation, else null. */
function decimalText(text: string): string | null {
  return text === '' ? null : plainDecimalText(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Arrays in cells: JSON, or Python reprs from a pandas/BigQuery-client flattening (single quotes, None/True/False,
// Decimal('…')). Numbers keep their text so that credit amounts stay exact.

class NumLit {
  constructor(readonly text: string) {}
}
type Lit = string | NumLit | boolean | null | Lit[] | { [k: string]: Lit };

class LitParser {
  private i = 0;
  constructor(private readonly s: string) {}

  static parse(s: string): Lit {
    const p = new LitParser(s);
    const v = p.value();
    p.ws();
    if (p.i !== s.length) throw new SyntaxError(`unexpected '${s[p.i]}' at ${p.i}`);
    return v;
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  private value(): Lit {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === undefined) throw new SyntaxError('unexpected end');
    if (c === '[' || c === '(') return this.list(c === '[' ? ']' : ')');
    if (c === '{') return this.object();
    if (c === '"' || c === "'") return this.string(c);
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) {
      const start = this.i;
      let k = s.charCodeAt(this.i);
      // digits, '.', 'e', 'E', '+', '-'
      while ((k >= 48 && k <= 57) || k === 46 || k === 101 || k === 69 || k === 43 || k === 45) k = s.charCodeAt(++this.i);
      return new NumLit(s.slice(start, this.i));
    }
    const start = this.i;
    let k = s.charCodeAt(this.i);
    while ((k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95 || (this.i > start && ((k >= 48 && k <= 57) || k === 46))) {
      k = s.charCodeAt(++this.i);
    }
    if (this.i === start) throw new SyntaxError(`unexpected '${c}' at ${this.i}`);
    const word = s.slice(start, this.i);
    switch (word) {
      case 'null':
      case 'None':
        return null;
      case 'true':
      case 'True':
        return true;
      case 'false':
      case 'False':
        return false;
    }
    this.ws();
    if (s[this.i] === '(') {
      // Decimal('1.5'), datetime.date(…): keep the single argument's value (a Decimal's text)
      this.i++;
      const inner = this.value();
      this.ws();
      if (s[this.i] !== ')') throw new SyntaxError(`expected ')' at ${this.i}`);
      this.i++;
      return typeof inner === 'string' && parseDec(inner) ? new NumLit(inner) : inner;
    }
    throw new SyntaxError(`unexpected '${word}'`);
  }

  private list(close: string): Lit[] {
    this.i++;
    const out: Lit[] = [];
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === close) return out;
      if (c !== ',') throw new SyntaxError(`expected ',' or '${close}'`);
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
    }
  }

  private object(): { [k: string]: Lit } {
    this.i++;
    const out: { [k: string]: Lit } = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      const k = this.value();
      this.ws();
      if (this.s[this.i++] !== ':') throw new SyntaxError("expected ':'");
      out[litText(k)] = this.value();
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') throw new SyntaxError("expected ',' or '}'");
    }
  }

  private string(quote: string): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let from = i;
    for (;;) {
      if (i >= s.length) throw new SyntaxError('unterminated string');
      const c = s[i]!;
      if (c === quote) break;
      if (c !== '\\') {
        i++;
        continue;
      }
      out += s.slice(from, i);
      const e = s[i + 1];
      let skip = 2;
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u':
        case 'x':
        case 'U': {
          const len = e === 'u' ? 4 : e === 'x' ? 2 : 8;
          const hex = s.slice(i + 2, i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new SyntaxError('bad escape');
          out += String.fromCodePoint(parseInt(hex, 16));
          skip = 2 + len;
          break;
        }
        case undefined:
          throw new SyntaxError('unterminated string');
        default:
          out += e; // \\ \' \" \/
      }
      i += skip;
      from = i;
    }
    out += s.slice(from, i);
    this.i = i + 1;
    return out;
  }
}

function litText(v: Lit): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof NumLit) return v.text;
  return JSON.stringify(litJson(v));
}

function litJson(v: Lit): unknown {
  if (v instanceof NumLit) return Number(v.text);
  if (Array.isArray(v)) return v.map(litJson);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = litJson(x);
    return o;
  }
  return v;
}

const isEmptyArrayText = (t: string): boolean => t === '' || t === '[]' || t === '{}' || t === 'null' || t === 'None';

/**
 * Key/value pairs of a labels-like cell ([{key, value}], [{key, value, namespace, inherited}] or a plain object) into
 * `into`. Tags (with a namespace) are keyed `namespace/key`, the way Google names them.
 */
function addPairs(text: string, into: Record<string, string>): boolean {
  let v: Lit;
  try {
    v = LitParser.parse(text);
  } catch {
    return false;
  }
  if (Array.isArray(v)) {
    for (const item of v) {
      if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof NumLit) return false;
      const key = litText(item.key ?? null);
      if (key === '') continue;
      const ns = litText(item.namespace ?? null);
      into[ns === '' ? key : `${ns}/${key}`] = litText(item.value ?? null);
    }
    return true;
  }
  if (v !== null && typeof v === 'object' && !(v instanceof NumLit)) {
    for (const [k, x] of Object.entries(v)) into[k] = litText(x);
    return true;
  }
  return v === null;
}

interface Credit {
  amount: string;
  type: string;
  id: string;
  name: string;
  fullName: string;
}

function parseCredits(text: string): Credit[] | string {
  let v: Lit;
  try {
    v = LitParser.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  if (v === null) return [];
  if (!Array.isArray(v)) return 'not an array';
  const out: Credit[] = [];
  for (const item of v) {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof NumLit) {
      return 'an element is not a record';
    }
    const raw = item.amount ?? null;
    const amountText = raw instanceof NumLit || typeof raw === 'string' ? litText(raw) : '';
    const amount = amountText === '' ? null : decimalText(amountText.trim());
    if (amount === null) return `amount '${litText(raw)}' is not a number`;
    out.push({
      amount,
      type: litText(item.type ?? null),
      id: litText(item.id ?? null),
      name: litText(item.name ?? null),
      fullName: litText(item.full_name ?? null),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: invoice months are America/Los_Angeles months, converted to UTC.

const DAY = 86400;

function dayOfWeek(days: number): number {
  // 1970-01-01 was a Thursday (4); 0 = Sunday
  return (((days + 4) % 7) + 7) % 7;
}

/** Days since the epoch of the n-th (1-based) Sunday of a month, or of its last Sunday when n = -1. */
function nthSunday(y: number, m: number, n: number): number {
  if (n > 0) {
    const first = Date.UTC(y, m - 1, 1) / 1000 / DAY;
    return first + ((7 - dayOfWeek(first)) % 7) + (n - 1) * 7;
  }
  const last = Date.UTC(y, m, 0) / 1000 / DAY;
  return last - dayOfWeek(last);
}

/**
 * Unix seconds of local midnight at the start of a calendar day in America/Los_Angeles. US daylight time runs from
 * 02:00 local on the second Sunday of March to 02:00 local on the first Sunday of November (since 2007; from the
 * first Sunday of April to the last Sunday of October before), so midnight is daylight time (UTC−7) on the days after
 * the March change up to and including the November change day, standard time (UTC−8) otherwise.
 */
export function pacificMidnightUtc(y: number, m: number, d: number): number {
  const day = Date.UTC(y, m - 1, d) / 1000 / DAY;
  const [dstStart, dstEnd] = y >= 2007 ? [nthSunday(y, 3, 2), nthSunday(y, 11, 1)] : [nthSunday(y, 4, 1), nthSunday(y, 10, -1)];
  const dst = day > dstStart && day <= dstEnd;
  return day * DAY + (dst ? 7 : 8) * 3600;
}

/** [start, end) of the Pacific month YYYYMM in UTC, or null for a malformed month. */
export function invoiceMonthBounds(month: string): [number, number] | null {
  if (!/^\d{6}$/.test(month)) return null;
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(4, 6));
  if (m < 1 || m > 12) return null;
  return [pacificMidnightUtc(y, m, 1), m === 12 ? pacificMidnightUtc(y + 1, 1, 1) : pacificMidnightUtc(y, m + 1, 1)];
}

/** YYYYMM of the Pacific month holding a UTC instant. */
function pacificMonthOf(secs: number): string {
  const d = new Date(secs * 1000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + 1;
  // the Pacific month starts 7-8 h after the UTC one: an instant before that belongs to the previous month
  if (secs < pacificMidnightUtc(y, m, 1)) {
    m--;
    if (m === 0) {
      m = 12;
      y--;
    }
  }
  return `${y}${String(m).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Services and SKUs

type Category = readonly [category: string, subcategory: string];

const SERVICE_RULES: readonly (readonly [RegExp, string, string])[] = [
  [/vertex ai|gemini|generative language|generative ai|model garden/i, 'AI and Machine Learning', 'AI Platforms'],
  [/natural language|translat|speech|dialogflow|contact center ai/i, 'AI and Machine Learning', 'Natural Language Processing'],
  [/vision|video intelligence|document ai|automl|ai platform|recommendations ai|machine learning|\bml\b/i, 'AI and Machine Learning', 'Machine Learning'],
  [/kubernetes engine|\bgke\b|anthos/i, 'Compute', 'Containers'],
  [/cloud run|cloud functions|app engine/i, 'Compute', 'Serverless Compute'],
  [/compute engine|bare metal|vmware engine/i, 'Compute', 'Virtual Machines'],
  [/bigquery/i, 'Databases', 'Data Warehouses'],
  [/cloud sql|alloydb|spanner/i, 'Databases', 'Relational Databases'],
  [/bigtable|firestore|datastore|firebase realtime/i, 'Databases', 'NoSQL Databases'],
  [/memorystore|redis|memcache/i, 'Databases', 'Caching'],
  [/filestore|netapp/i, 'Storage', 'File Storage'],
  [/backup/i, 'Storage', 'Backup Storage'],
  [/cloud storage|storage/i, 'Storage', 'Object Storage'],
  [/cdn|media cdn/i, 'Networking', 'Content Delivery'],
  [/cloud armor|ids\b/i, 'Networking', 'Network Security'],
  [/dns/i, 'Networking', 'Network Routing'],
  [/interconnect|vpn|nat\b|load balanc|networking|network/i, 'Networking', 'Network Connectivity'],
  [/logging|monitoring|stackdriver|trace|profiler|error reporting|observability/i, 'Management and Governance', 'Observability'],
  [/support/i, 'Management and Governance', 'Support'],
  [/pub\/sub|pubsub|eventarc|tasks/i, 'Integration', 'Messaging'],
  [/workflows|scheduler|composer/i, 'Integration', 'Workflow Orchestration'],
  [/apigee|api gateway|endpoints/i, 'Integration', 'API Management'],
  [/dataflow|dataproc|data fusion|dataplex|datastream/i, 'Analytics', 'Data Processing'],
  [/looker/i, 'Analytics', 'Business Intelligence'],
  [/secret manager|key management|\bkms\b/i, 'Security', 'Secret Management'],
  [/security command|web security|recaptcha|security/i, 'Security', 'Other (Security)'],
  [/identity|iam\b/i, 'Identity', 'Identity and Access Management'],
  [/artifact registry|container registry|cloud build|source repositories|cloud deploy/i, 'Developer Tools', 'Continuous Integration and Deployment'],
  [/maps|places|routes/i, 'Web', 'Other (Web)'],
];

const OTHER: Category = ['Other', 'Other (Other)'];
const GENERATIVE_AI: Category = ['AI and Machine Learning', 'Generative AI'];

function serviceCategory(description: string): Category {
  for (const [re, cat, sub] of SERVICE_RULES) if (re.test(description)) return [cat, sub];
  return OTHER;
}

interface TokenClass {
  meter: string;
  details: string;
}

interface SkuInfo {
  token: TokenClass | null;
  /** Spot / preemptible capacity: PricingCategory Dynamic. */
  dynamic: boolean;
}

/**
 * Token class of a generative-AI SKU, read from its description ("Gemini 2.5 Flash Input Text Tokens", "… Cached
 * Input Tokens", "… Output Tokens"). Google publishes no field for it [U]: descriptions are matched by words, and a
 * SKU that is not clearly one token class (context-cache storage, characters, images) is left as Google bills it.
 */
function skuInfo(description: string): SkuInfo {
  const d = description.toLowerCase();
  const dynamic = /\b(spot|preemptible)\b/.test(d);
  if (!/\btokens?\b/.test(d) || /storage|hour|\bimage generation\b/.test(d)) return { token: null, dynamic };
  let meter: string;
  let direction: string;
  let cache: string | null;
  if (/cache(d)? (read|hit)|cached|context cach/.test(d)) [meter, direction, cache] = ['Cache Read Input Tokens', 'Input', 'Read'];
  else if (/cache (write|creation)/.test(d)) [meter, direction, cache] = ['Cache Write Input Tokens', 'Input', 'Write'];
  else if (/output|response|thinking|reasoning/.test(d)) [meter, direction, cache] = ['Output Tokens', 'Output', null];
  else if (/input|prompt/.test(d)) [meter, direction, cache] = ['Input Tokens', 'Input', 'Uncached'];
  else return { token: null, dynamic };
  const cut = /\s+(?:-\s+)?(?:(?:text|image|audio|video|long context|short context)\s+)*(?:input|output|cached|cache|prompt|response|thinking|reasoning|tokens?)\b/i.exec(
    description,
  );
  const model = (cut ? description.slice(0, cut.index) : description).trim().toLowerCase().replace(/\s+/g, '-');
  const details: Record<string, string> = {};
  if (model !== '') details.ModelId = model;
  details.TokenDirection = direction;
  if (cache) details.TokenCacheAction = cache;
  return { token: { meter, details: JSON.stringify(details) }, dynamic };
}

/**
 * Resource type from a detailed export's resource.global_name: the collection the resource sits in
 * ("//compute.googleapis.com/projects/p/zones/z/instances/123" → "instances"), else the API host.
 */
function resourceType(globalName: string): string {
  if (!globalName.startsWith('//')) return '';
  const parts = globalName.slice(2).split('/');
  return parts.length >= 3 ? parts[parts.length - 2]! : parts[0]!;
}

const TOKEN_UNITS = new Set(['count', 'token', 'tokens']);
const CUD_CREDITS = new Set(['COMMITTED_USAGE_DISCOUNT', 'COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE', 'FEE_UTILIZATION_OFFSET']);
const CREDIT_ADJUSTMENTS = new Set(['GOODWILL', 'SALES_BASED_GOODWILL', 'SLA_VIOLATION']);
const CORRECTIONS = new Set(['USAGE_CORRECTION', 'PRICE_CORRECTION', 'METADATA_CORRECTION']);

// ---------------------------------------------------------------------------------------------------------------
// Mapper

function createMapper(sample: TableSample): RowMapper {
  const cols = new Columns(sample.header);
  const col = (name: string) => find(cols, name);
  const need = (name: string): number => {
    const i = col(name);
    if (i < 0) throw new MappingSetupError(`Google Cloud billing export has no ${name} column`);
    return i;
  };
  const iCost = need('cost');
  const iCurrency = need('currency');
  const iStart = need('usage_start_time');
  const iEnd = need('usage_end_time');
  const iService = need('service.description');
  const iServiceId = col('service.id');
  const iSkuId = col('sku.id');
  const iSku = col('sku.description');
  const iAccount = col('billing_account_id');
  const iInvoice = col('invoice.month');
  const iCostType = col('cost_type');
  const iCredits = col('credits');
  const iCostAtList = col('cost_at_list');
  const iContracted = col('cost_at_effective_price_default');
  const iProjectId = col('project.id');
  const iProjectName = col('project.name');
  const iProjectNumber = col('project.number');
  const iAncestry = col('project.ancestry_numbers');
  const iProjectLabels = col('project.labels');
  const iLabels = col('labels');
  const iTags = col('tags');
  const iSystemLabels = col('system_labels');
  const iRegion = col('location.region');
  const iLocation = col('location.location');
  const iCountry = col('location.country');
  const iZone = col('location.zone');
  const iUsage = col('usage.amount');
  const iUsageUnit = col('usage.unit');
  const iPricingQty = col('usage.amount_in_pricing_units');
  const iPricingUnit = col('usage.pricing_unit');
  const iResourceName = col('resource.name');
  const iResourceGlobal = col('resource.global_name');
  const iAdjId = col('adjustment_info.id');
  const iAdjDescription = col('adjustment_info.description');
  const iAdjType = col('adjustment_info.type');
  const iAdjMode = col('adjustment_info.mode');
  const iExport = col('export_time');
  const iRate = col('currency_conversion_rate');
  const iTransaction = col('transaction_type');
  const iSeller = col('seller_name');
  const iSubscription = col('subscription.instance_id');
  const iConsumption = col('consumption_model.id');
  const iEffPrice = col('price.effective_price');
  const iListPrice = col('price.list_price');
  const iTierStart = col('price.tier_start_amount');

  const header = sample.header;
  const out: string[] = new Array<string>(COLUMNS.length).fill('');
  out[O.InvoiceIssuerName] = ISSUER;
  out[O.HostProviderName] = PROVIDER;
  out[O.ServiceProviderName] = PROVIDER;
  out[O.ProviderName] = PROVIDER;

  const billed = new DecimalSum();
  const creditSum = new DecimalSum();
  const listSum = new DecimalSum();
  let listFallbacks = 0;
  let noInvoiceMonth = 0;
  let noUsageTime = 0;
  const unknownCostTypes = new Set<string>();
  let creditRows = 0;

  // caches: few distinct values per file
  const periods = new Map<string, [string, string]>();
  const categories = new Map<string, Category>();
  const skus = new Map<string, SkuInfo>();
  // usage times: few distinct hours per file, in any order
  const times = new Map<string, string>();
  let lastLabels = '\u0000';
  let lastProjectLabels = '\u0000';
  let lastTags = '\u0000';
  let lastTagsJson = '';
  const tagSets = new Map<string, string>();
  let lastGlobal = '\u0000';
  let lastResourceType = '';
  const systemSets = new Map<string, string>();

  const num = (cells: readonly string[], i: number, rowNo: number): string => {
    const t = cell(cells, i);
    if (t === '') return '';
    const v = decimalText(t);
    if (v === null) throw new MappingRowError(rowNo, header[i]!, `${header[i]} '${t}' is not a number`);
    return v;
  };

  const time = (text: string, i: number, rowNo: number): number => {
    const s = parseVendorDateTime(text);
    if (s === null) throw new MappingRowError(rowNo, header[i]!, `${header[i]} '${text}' is not a date/time`);
    return s;
  };

  /** FOCUS date/time of a usage time cell, '' for an empty one. */
  const focusTime = (text: string, i: number, rowNo: number): string => {
    if (text === '') return '';
    let t = times.get(text);
    if (t === undefined) {
      t = focusDateTime(time(text, i, rowNo));
      if (times.size >= 100_000) times.clear();
      times.set(text, t);
    }
    return t;
  };

  const period = (month: string, i: number, rowNo: number): [string, string] => {
    let p = periods.get(month);
    if (!p) {
      const b = invoiceMonthBounds(month);
      if (!b) throw new MappingRowError(rowNo, header[i]!, `${header[i]} '${month}' is not a YYYYMM month`);
      p = [focusDateTime(b[0]), focusDateTime(b[1])];
      periods.set(month, p);
    }
    return p;
  };

  const tagsOf = (cells: readonly string[], rowNo: number): string => {
    const labels = cell(cells, iLabels);
    const projectLabels = cell(cells, iProjectLabels);
    const tags = cell(cells, iTags);
    if (labels === lastLabels && projectLabels === lastProjectLabels && tags === lastTags) return lastTagsJson;
    const key = `${projectLabels}\u0001${labels}\u0001${tags}`;
    let json = tagSets.get(key);
    if (json === undefined) {
      const o: Record<string, string> = {};
      // project labels first: a resource's own label of the same key wins, then namespaced tags
      for (const [text, i] of [
        [projectLabels, iProjectLabels],
        [labels, iLabels],
        [tags, iTags],
      ] as const) {
        if (!isEmptyArrayText(text) && !addPairs(text, o)) {
          throw new MappingRowError(rowNo, header[i]!, `${header[i]} '${text}' is not a list of key/value pairs`);
        }
      }
      json = Object.keys(o).length === 0 ? '' : JSON.stringify(o);
      if (tagSets.size >= 50_000) tagSets.clear();
      tagSets.set(key, json);
    }
    lastLabels = labels;
    lastProjectLabels = projectLabels;
    lastTags = tags;
    lastTagsJson = json;
    return json;
  };

  const systemLabelsOf = (cells: readonly string[], rowNo: number): string => {
    const text = cell(cells, iSystemLabels);
    if (isEmptyArrayText(text)) return '';
    let json = systemSets.get(text);
    if (json === undefined) {
      const o: Record<string, string> = {};
      if (!addPairs(text, o)) {
        throw new MappingRowError(rowNo, header[iSystemLabels]!, `system_labels '${text}' is not a list of key/value pairs`);
      }
      json = Object.keys(o).length === 0 ? '' : JSON.stringify(o);
      if (systemSets.size >= 50_000) systemSets.clear();
      systemSets.set(text, json);
    }
    return json;
  };

  return {
    columns: COLUMNS,

    map(cells, rowNo, emit) {
      // money
      const costText = cell(cells, iCost);
      const cost = costText === '' ? null : decimalText(costText);
      if (cost === null) throw new MappingRowError(rowNo, header[iCost]!, `cost '${costText}' is not a number`);
      const creditsText = cell(cells, iCredits);
      let credits: Credit[] = [];
      if (!isEmptyArrayText(creditsText)) {
        const c = parseCredits(creditsText);
        if (typeof c === 'string') {
          throw new MappingRowError(rowNo, header[iCredits]!, `credits '${creditsText}' cannot be read: ${c}`);
        }
        credits = c;
      }
      let list = iCostAtList < 0 ? '' : num(cells, iCostAtList, rowNo);
      if (list === '') {
        list = cost;
        if (iCostAtList >= 0) listFallbacks++;
      }
      let contracted = iContracted < 0 ? '' : num(cells, iContracted, rowNo);
      if (contracted === '') contracted = cost;

      const currency = cell(cells, iCurrency);
      if (currency === '') throw new MappingRowError(rowNo, header[iCurrency]!, 'currency is empty');

      // dates
      const startText = cell(cells, iStart);
      const endText = cell(cells, iEnd);
      let month = cell(cells, iInvoice);
      let cps = focusTime(startText, iStart, rowNo);
      let cpe = focusTime(endText, iEnd, rowNo);
      if (month === '') {
        if (cps === '') {
          throw new MappingRowError(rowNo, header[iInvoice >= 0 ? iInvoice : iStart]!, 'row has neither invoice.month nor usage_start_time');
        }
        month = pacificMonthOf(time(startText, iStart, rowNo));
        noInvoiceMonth++;
      }
      const [bps, bpe] = period(month, iInvoice, rowNo);
      if (cps === '' || cpe === '') {
        cps = bps;
        cpe = bpe;
        noUsageTime++;
      }

      // category
      const costType = cell(cells, iCostType);
      const adjType = cell(cells, iAdjType);
      let category: string;
      let chargeClass = '';
      let frequency = 'Usage-Based';
      if (CORRECTIONS.has(adjType)) {
        // a correction re-states usage already invoiced: FOCUS keeps the category of what it corrects
        category = costType === 'tax' ? 'Tax' : 'Usage';
        chargeClass = 'Correction';
      } else if (costType === 'regular' || costType === '') category = 'Usage';
      else if (costType === 'tax') {
        category = 'Tax';
        frequency = 'One-Time';
      } else if (costType === 'adjustment') {
        category = CREDIT_ADJUSTMENTS.has(adjType) ? 'Credit' : 'Adjustment';
        frequency = 'One-Time';
      } else if (costType === 'rounding_error') {
        category = 'Adjustment';
        frequency = 'One-Time';
      } else {
        category = 'Usage';
        unknownCostTypes.add(costType);
      }

      // service and SKU
      const serviceText = cell(cells, iService);
      const serviceName = serviceText !== '' ? serviceText : cell(cells, iServiceId) || (category === 'Tax' ? 'Tax' : PROVIDER);
      let cat = categories.get(serviceName);
      if (!cat) {
        cat = serviceCategory(serviceName);
        categories.set(serviceName, cat);
      }
      const skuText = cell(cells, iSku);
      let sku = skus.get(skuText);
      if (!sku) {
        sku = skuInfo(skuText);
        skus.set(skuText, sku);
      }
      // Marketplace: Google sells and invoices (ServiceProviderName), the seller publishes
      const thirdParty = cell(cells, iTransaction).startsWith('THIRD_PARTY') ? cell(cells, iSeller) : '';
      const skuId = category === 'Tax' ? '' : cell(cells, iSkuId);

      out[O.BilledCost] = cost;
      out[O.EffectiveCost] = cost;
      out[O.ListCost] = list;
      out[O.ContractedCost] = contracted;
      out[O.BillingCurrency] = currency;
      out[O.BillingPeriodStart] = bps;
      out[O.BillingPeriodEnd] = bpe;
      out[O.ChargePeriodStart] = cps;
      out[O.ChargePeriodEnd] = cpe;
      out[O.ChargeCategory] = category;
      out[O.ChargeClass] = chargeClass;
      out[O.ChargeDescription] = skuText;
      out[O.ChargeFrequency] = frequency;
      out[O.PublisherName] = thirdParty !== '' ? thirdParty : PROVIDER;
      out[O.BillingAccountId] = cell(cells, iAccount);
      out[O.SubAccountId] = cell(cells, iProjectId);
      out[O.SubAccountName] = cell(cells, iProjectName);
      out[O.SubAccountType] = out[O.SubAccountId] === '' ? '' : 'Project';
      out[O.ServiceName] = serviceName;
      out[O.SkuId] = skuId;
      const tier = cell(cells, iTierStart);
      out[O.SkuPriceId] = skuId === '' || tier === '' ? skuId : `${skuId}/${tier}`;
      out[O.SkuMeter] = category === 'Tax' ? '' : skuText;
      const region = cell(cells, iRegion) || cell(cells, iLocation);
      out[O.RegionId] = region;
      out[O.RegionName] = region;
      out[O.AvailabilityZone] = cell(cells, iZone);
      const resourceName = cell(cells, iResourceName);
      const globalName = cell(cells, iResourceGlobal);
      if (globalName !== lastGlobal) {
        lastGlobal = globalName;
        lastResourceType = resourceType(globalName);
      }
      out[O.ResourceId] = globalName || resourceName;
      out[O.ResourceName] = resourceName;
      out[O.ResourceType] = globalName !== '' ? lastResourceType : '';
      out[O.Tags] = tagsOf(cells, rowNo);
      out[O.x_ServiceId] = cell(cells, iServiceId);
      out[O.x_CostType] = costType;
      out[O.x_InvoiceMonth] = month;
      out[O.x_AdjustmentId] = cell(cells, iAdjId);
      out[O.x_AdjustmentType] = adjType;
      out[O.x_AdjustmentMode] = cell(cells, iAdjMode);
      out[O.x_AdjustmentDescription] = cell(cells, iAdjDescription);
      out[O.x_ProjectNumber] = cell(cells, iProjectNumber);
      out[O.x_ProjectAncestryNumbers] = cell(cells, iAncestry);
      out[O.x_SystemLabels] = systemLabelsOf(cells, rowNo);
      out[O.x_Location] = cell(cells, iLocation);
      out[O.x_LocationCountry] = cell(cells, iCountry);
      out[O.x_ExportTime] = cell(cells, iExport);
      out[O.x_CurrencyConversionRate] = cell(cells, iRate);
      out[O.x_TransactionType] = cell(cells, iTransaction);
      out[O.x_SellerName] = cell(cells, iSeller);
      out[O.x_SubscriptionInstanceId] = cell(cells, iSubscription);
      out[O.x_ConsumptionModelId] = cell(cells, iConsumption);
      out[O.x_PriceEffectivePrice] = cell(cells, iEffPrice);
      out[O.x_PriceListPrice] = cell(cells, iListPrice);
      out[O.x_PriceTierStartAmount] = cell(cells, iTierStart);
      out[O.x_CreditType] = '';
      out[O.x_CreditId] = '';
      out[O.x_CreditName] = '';

      // quantities: usage rows (and corrections of usage) only
      const token = category === 'Usage' ? sku.token : null;
      if (category !== 'Usage') {
        out[O.ConsumedQuantity] = '';
        out[O.ConsumedUnit] = '';
        out[O.PricingQuantity] = '';
        out[O.PricingUnit] = '';
        out[O.PricingCategory] = '';
        out[O.SkuPriceDetails] = '';
        out[O.ServiceCategory] = cat[0];
        out[O.ServiceSubcategory] = cat[1];
      } else {
        const usage = num(cells, iUsage, rowNo);
        const usageUnit = cell(cells, iUsageUnit);
        if (token && usage !== '' && TOKEN_UNITS.has(usageUnit.toLowerCase())) {
          out[O.ConsumedQuantity] = usage;
          out[O.ConsumedUnit] = 'Tokens';
          out[O.PricingQuantity] = decText(decShift(parseDec(usage)!, 6));
          out[O.PricingUnit] = '1000000 Tokens';
          out[O.SkuMeter] = token.meter;
          out[O.SkuPriceDetails] = token.details;
          out[O.ServiceCategory] = GENERATIVE_AI[0];
          out[O.ServiceSubcategory] = GENERATIVE_AI[1];
        } else {
          out[O.ConsumedQuantity] = usage;
          out[O.ConsumedUnit] = usage === '' ? '' : usageUnit;
          const pq = num(cells, iPricingQty, rowNo);
          out[O.PricingQuantity] = pq;
          out[O.PricingUnit] = pq === '' ? '' : cell(cells, iPricingUnit);
          out[O.SkuPriceDetails] = '';
          out[O.ServiceCategory] = cat[0];
          out[O.ServiceSubcategory] = cat[1];
        }
        let pricing = sku.dynamic ? 'Dynamic' : 'Standard';
        for (const c of credits) if (CUD_CREDITS.has(c.type)) pricing = 'Committed';
        out[O.PricingCategory] = pricing;
      }

      billed.add(cost);
      if (iCostAtList >= 0) listSum.add(list);
      emit(out);

      if (credits.length === 0) return;
      // one Credit row per credit, on the same period, service, SKU, project, resource and tags
      out[O.ChargeCategory] = 'Credit';
      out[O.ChargeFrequency] = category === 'Usage' ? 'Usage-Based' : 'One-Time';
      out[O.PricingCategory] = '';
      out[O.ConsumedQuantity] = '';
      out[O.ConsumedUnit] = '';
      out[O.PricingQuantity] = '';
      out[O.PricingUnit] = '';
      for (const c of credits) {
        out[O.BilledCost] = c.amount;
        out[O.EffectiveCost] = c.amount;
        out[O.ListCost] = c.amount;
        out[O.ContractedCost] = c.amount;
        out[O.ChargeDescription] = c.fullName || c.name || c.type || 'Credit';
        out[O.x_CreditType] = c.type;
        out[O.x_CreditId] = c.id;
        out[O.x_CreditName] = c.name;
        creditSum.add(c.amount);
        if (iCostAtList >= 0) listSum.add(c.amount);
        creditRows++;
        emit(out);
      }
    },

    gaps() {
      const gaps: MappingGap[] = [
        {
          column: 'BillingPeriodStart',
          note:
            'invoice.month is a month in America/Los_Angeles: BillingPeriodStart/End are its bounds converted to UTC ' +
            '(07:00Z in daylight time, 08:00Z otherwise), as Google\'s own FOCUS export does, not UTC month bounds',
        },
        {
          column: 'ChargeCategory',
          note:
            'Each entry of credits[] is its own Credit row (x_CreditType = credits.type), PROMOTION credits included, so ' +
            'Σ BilledCost = Σ cost + Σ credits.amount, the invoice total. cost_type regular → Usage, tax → Tax, ' +
            'rounding_error → Adjustment, adjustment → Credit for GOODWILL, SALES_BASED_GOODWILL and SLA_VIOLATION, ' +
            'Adjustment otherwise',
        },
        {
          column: 'ChargeClass',
          note:
            'Correction only for adjustment_info.type USAGE_CORRECTION, PRICE_CORRECTION and METADATA_CORRECTION (their ' +
            'ChargeCategory stays Usage, or Tax for tax rows); other adjustments are not marked',
        },
        {
          column: 'EffectiveCost',
          note:
            'EffectiveCost = cost on the usage row and the credit amount on each Credit row: committed-use fees are ' +
            'not amortized, and CUD credits are not linked through CommitmentDiscountId (see x_CreditType, x_CreditId)',
        },
        {
          column: 'ContractedCost',
          note: 'ContractedCost = cost_at_effective_price_default where the export has it, otherwise cost',
        },
        {
          column: 'Tags',
          note:
            'Tags merge project.labels, labels (a resource label wins over a project label of the same key) and tags ' +
            '(keyed namespace/key); system_labels are kept in x_SystemLabels',
        },
        {
          column: 'PricingUnit',
          note:
            'Units are Google\'s (usage.unit, usage.pricing_unit such as "gibibyte month"), not FOCUS unit names; ' +
            'generative-AI token SKUs are recognised from sku.description and given in Tokens / 1000000 Tokens',
        },
        {
          column: 'SkuPriceId',
          note: 'the export has no price identifier: SkuPriceId = sku.id, or sku.id/price.tier_start_amount where the export has tiers',
        },
        {
          column: 'RegionName',
          note: 'the export has no region display names: RegionName = RegionId (location.region, else location.location)',
        },
        {
          column: 'ResourceType',
          note: 'from resource.global_name: the collection holding the resource ("instances", "buckets"), else the API host',
        },
        { column: 'BillingAccountName', note: 'the export carries no billing account name' },
        {
          column: 'InvoiceIssuerName',
          note:
            'Google Cloud on every row (ServiceProviderName and ProviderName too; Marketplace sellers are PublisherName); for ' +
            'a reseller sub-account the reseller issues the invoice but the export does not name it',
        },
      ];
      if (iCredits < 0) {
        gaps.push({ column: 'BilledCost', note: 'the file has no credits column: BilledCost is cost before credits, not the invoice total' });
      }
      if (iCostAtList < 0) gaps.push({ column: 'ListCost', note: 'the file has no cost_at_list column: ListCost = cost' });
      else if (listFallbacks > 0) {
        gaps.push({ column: 'ListCost', note: `${listFallbacks} rows had an empty cost_at_list: ListCost = cost on them` });
      }
      if (noInvoiceMonth > 0) {
        gaps.push({
          column: 'BillingPeriodStart',
          note: `${noInvoiceMonth} rows had no invoice.month: the billing period is the Pacific month of usage_start_time`,
        });
      }
      if (noUsageTime > 0) {
        gaps.push({
          column: 'ChargePeriodStart',
          note: `${noUsageTime} rows had no usage_start_time/usage_end_time: the charge period is the billing period`,
        });
      }
      if (unknownCostTypes.size > 0) {
        gaps.push({ column: 'ChargeCategory', note: `unknown cost_type ${[...unknownCostTypes].join(', ')} mapped to Usage` });
      }
      if (creditRows > 0) gaps.push({ column: '', note: `${creditRows} Credit rows were added from credits[]` });
      return gaps;
    },

    vendorTotals() {
      const sum = new DecimalSum();
      sum.addDec(billed.value());
      sum.addDec(creditSum.value());
      const totals: VendorTotal[] = [
        { focusColumn: 'BilledCost', vendorColumn: iCredits >= 0 ? 'cost + credits.amount' : 'cost', vendorTotal: sum.toString() },
      ];
      if (iCostAtList >= 0) {
        totals.push({ focusColumn: 'ListCost', vendorColumn: 'cost_at_list (cost where empty) + credits.amount', vendorTotal: listSum.toString() });
      }
      return totals;
    },
  };
}

export const gcpBilling: BillFormat = {
  id: 'gcp-billing',
  label: 'Google Cloud billing export',
  detect,
  createMapper,
};

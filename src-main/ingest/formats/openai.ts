// OpenAI usage and costs, from the platform dashboard's CSV exports (Usage → Export) and from the Admin API's JSON
// pages (`/v1/organization/usage/completions`, `/v1/organization/costs`), which the JSON reader flattens to one row
// per result carrying its bucket's start_time/end_time (vendor-formats.md §4.1, §4.8).
//
// Usage rows become one FOCUS row per non-zero token class; they carry no money (the costs export does). Costs rows
// become one FOCUS row each, priced from `amount_value` / `amount.value`, with the free-text `line_item` parsed into
// model and token direction where its grammar allows.
//
// The token helpers at the top (token classes, count arithmetic on text, bucket times) are shared with anthropic.ts.
import {
  type BillFormat,
  type MappingGap,
  MappingRowError,
  MappingSetupError,
  type RowMapper,
  type TableSample,
  type VendorTotal,
} from './types';
import {
  Columns,
  DecimalSum,
  cell,
  decShift,
  decSub,
  decText,
  focusDateTime,
  headerKey,
  monthBounds,
  parseBool,
  parseDec,
  parseVendorDateTime,
} from './values';

// =================================================================================================================
// Shared by the AI-token mappers (OpenAI, Anthropic)

/** FOCUS columns every AI-token mapper emits, in this order; each mapper appends its own x_ columns. */
export const AI_FOCUS_COLUMNS = [
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
  'HostProviderName',
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
  'ResourceType',
  'SkuId',
  'SkuPriceId',
  'SkuMeter',
  'SkuPriceDetails',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
] as const;

export type AiFocusColumn = (typeof AI_FOCUS_COLUMNS)[number];

/** Index of each AI_FOCUS_COLUMNS name in an output row. */
export const AI = Object.fromEntries(AI_FOCUS_COLUMNS.map((c, i) => [c, i])) as Record<AiFocusColumn, number>;

/**
 * A fresh output row for a mapper: AI_FOCUS_COLUMNS then `extra` x_ columns, with the cells that never change per
 * row filled (provider names, service, category, charge category and frequency).
 */
export function newAiRow(provider: string, serviceName: string, extra: readonly string[]): string[] {
  const out = new Array<string>(AI_FOCUS_COLUMNS.length + extra.length).fill('');
  out[AI.ServiceProviderName] = provider;
  out[AI.HostProviderName] = provider;
  out[AI.ProviderName] = provider;
  out[AI.PublisherName] = provider;
  out[AI.InvoiceIssuerName] = provider;
  out[AI.ServiceName] = serviceName;
  out[AI.ServiceCategory] = 'AI and Machine Learning';
  out[AI.ServiceSubcategory] = 'Generative AI';
  out[AI.ChargeCategory] = 'Usage';
  out[AI.ChargeFrequency] = 'Usage-Based';
  return out;
}

/** One class of metered AI usage: a token class (README "AI tokens") or a per-request tool. */
export interface TokenClass {
  /** Small index for array lookups (SkuBook), unique per class object. */
  readonly id: number;
  /** Stable key, e.g. `input`, `cache_write_5m`. */
  readonly key: string;
  /** SkuMeter text. */
  readonly meter: string;
  /** Lower-case phrase for ChargeDescription ("cache write input tokens (5m)"). */
  readonly phrase: string;
  readonly direction: '' | 'Input' | 'Output';
  readonly cacheAction: '' | 'Uncached' | 'Read' | 'Write';
  readonly cacheTtl: '' | '5m' | '1h';
  readonly modality: '' | 'Audio' | 'Image' | 'Text';
  readonly consumedUnit: 'Tokens' | 'Requests';
  readonly pricingUnit: string;
  /** PricingQuantity = ConsumedQuantity / 10^blockDigits. */
  readonly blockDigits: number;
}

let nextClassId = 0;

/** A class object with a fresh id (`id` is ignored in `spec`). */
export function defineClass(spec: Omit<TokenClass, 'id'>): TokenClass {
  return { ...spec, id: nextClassId++ };
}

function tokenClass(
  key: string,
  meter: string,
  phrase: string,
  direction: TokenClass['direction'],
  cacheAction: TokenClass['cacheAction'],
  cacheTtl: TokenClass['cacheTtl'] = '',
  modality: TokenClass['modality'] = '',
): TokenClass {
  return defineClass({
    key,
    meter,
    phrase,
    direction,
    cacheAction,
    cacheTtl,
    modality,
    consumedUnit: 'Tokens',
    pricingUnit: '1000000 Tokens',
    blockDigits: 6,
  });
}

/** The token classes of vendor-formats.md §4.8, plus audio (OpenAI) and web search requests (Anthropic). */
export const TOKEN_CLASSES = {
  input: tokenClass('input', 'Input Tokens', 'input tokens', 'Input', 'Uncached'),
  cacheRead: tokenClass('cache_read', 'Cache Read Input Tokens', 'cache read input tokens', 'Input', 'Read'),
  cacheWrite: tokenClass('cache_write', 'Cache Write Input Tokens', 'cache write input tokens', 'Input', 'Write'),
  cacheWrite5m: tokenClass('cache_write_5m', 'Cache Write Input Tokens', 'cache write input tokens (5m)', 'Input', 'Write', '5m'),
  cacheWrite1h: tokenClass('cache_write_1h', 'Cache Write Input Tokens', 'cache write input tokens (1h)', 'Input', 'Write', '1h'),
  output: tokenClass('output', 'Output Tokens', 'output tokens', 'Output', ''),
  audioInput: tokenClass('audio_input', 'Audio Input Tokens', 'audio input tokens', 'Input', 'Uncached', '', 'Audio'),
  audioCacheRead: tokenClass('audio_cache_read', 'Audio Cache Read Input Tokens', 'audio cache read input tokens', 'Input', 'Read', '', 'Audio'),
  audioOutput: tokenClass('audio_output', 'Audio Output Tokens', 'audio output tokens', 'Output', '', '', 'Audio'),
  webSearch: defineClass({
    key: 'web_search',
    meter: 'Web Search Requests',
    phrase: 'web search requests',
    direction: '',
    cacheAction: '',
    cacheTtl: '',
    modality: '',
    consumedUnit: 'Requests',
    pricingUnit: '1000 Requests',
    blockDigits: 3,
  }),
} satisfies Record<string, TokenClass>;

/** A token class seen through a modality ("gpt-audio audio, input"): same direction and cache action. */
export function withModality(base: TokenClass, modality: TokenClass['modality']): TokenClass {
  if (modality === '' || modality === base.modality) return base;
  const word = modality.toLowerCase();
  return defineClass({ ...base, key: `${word}_${base.key}`, meter: `${modality} ${base.meter}`, phrase: `${word} ${base.phrase}`, modality });
}

/**
 * SkuPriceDetails JSON text for a model and class: FOCUS's AI properties (ModelId, TokenDirection, TokenCacheAction)
 * and x_ ones (x_CacheTtl, x_Modality, extras). '' when there is nothing to say.
 */
export function priceDetails(model: string, cls: TokenClass | null, extra?: Record<string, string | boolean>): string {
  const o: Record<string, string | boolean> = {};
  if (model !== '') o.ModelId = model;
  if (cls) {
    if (cls.direction !== '') o.TokenDirection = cls.direction;
    if (cls.cacheAction !== '') o.TokenCacheAction = cls.cacheAction;
    if (cls.cacheTtl !== '') o.x_CacheTtl = cls.cacheTtl;
    if (cls.modality !== '') o.x_Modality = cls.modality;
  }
  if (extra) Object.assign(o, extra);
  return Object.keys(o).length === 0 ? '' : JSON.stringify(o);
}

/** The SKU cells of one (model, class): built once, then looked up per row. */
export interface SkuCells {
  skuId: string;
  skuPriceId: string;
  meter: string;
  details: string;
  description: string;
}

/** Memo of SkuCells per (model, class), so map() builds no JSON and no key string per row. */
export class SkuBook {
  private readonly byModel = new Map<string, (SkuCells | undefined)[]>();
  private lastModel = '\u0000';
  private last: (SkuCells | undefined)[] = [];
  constructor(private readonly build: (model: string, cls: TokenClass) => SkuCells) {}

  get(model: string, cls: TokenClass): SkuCells {
    if (model !== this.lastModel) {
      let arr = this.byModel.get(model);
      if (arr === undefined) {
        arr = [];
        this.byModel.set(model, arr);
      }
      this.lastModel = model;
      this.last = arr;
    }
    let s = this.last[cls.id];
    if (s === undefined) {
      s = this.build(model, cls);
      this.last[cls.id] = s;
    }
    return s;
  }
}

function isDigits(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isNullText(s: string): boolean {
  return s.length === 4 && s.toLowerCase() === 'null';
}

/**
 * A count cell as canonical decimal text: "59200" stays, "59200.0" (spreadsheet floats) becomes "59200", "1e3"
 * becomes "1000". '' for an empty or `null` cell, null when the text is not a number.
 */
export function countText(s: string): string | null {
  const n = s.length;
  if (n === 0) return '';
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const plainInt = i > 0 && (i === 1 || s.charCodeAt(0) !== 48);
  if (i === n && plainInt) return s;
  if (plainInt && s.charCodeAt(i) === 46) {
    let j = i + 1;
    while (j < n && s.charCodeAt(j) === 48) j++;
    if (j === n) return s.slice(0, i);
  }
  if (s.trim() === '' || isNullText(s.trim())) return '';
  const d = parseDec(s);
  return d === null ? null : decText(d);
}

/** a − b on canonical count texts (exact; plain integers take a Number fast path). */
export function countSub(a: string, b: string): string {
  if (b === '0' || b === '') return a === '' ? '0' : a;
  if (a.length <= 15 && b.length <= 15 && a.indexOf('.') < 0 && b.indexOf('.') < 0) return String(Number(a) - Number(b));
  return decText(decSub(parseDec(a === '' ? '0' : a)!, parseDec(b)!));
}

/**
 * text / 10^digits exactly, as plain decimal text: tokens → millions of tokens ("5120", 6 → "0.00512"), cents →
 * dollars ("123.45", 2 → "1.2345"). Plain decimals are shifted as text; anything else goes through parseDec.
 */
export function perBlock(text: string, digits: number): string {
  if (text === '0') return '0';
  const n = text.length;
  const neg = n > 0 && text.charCodeAt(0) === 45;
  const from = neg ? 1 : 0;
  let dot = n;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && dot === n && i > from && i < n - 1) dot = i;
    else if (c < 48 || c > 57) return decText(decShift(parseDec(text)!, digits));
  }
  if (dot === from) return decText(decShift(parseDec(text)!, digits));
  const int = text.slice(from, dot);
  const frac = dot < n ? text.slice(dot + 1) : '';
  // all digits, with the point moved `digits` places left
  const all = int.length > digits ? int : '0'.repeat(digits - int.length + 1) + int;
  let head = all.slice(0, all.length - digits);
  let tail = all.slice(all.length - digits) + frac;
  let start = 0;
  while (start < head.length - 1 && head.charCodeAt(start) === 48) start++;
  if (start > 0) head = head.slice(start);
  let end = tail.length;
  while (end > 0 && tail.charCodeAt(end - 1) === 48) end--;
  tail = tail.slice(0, end);
  const abs = tail === '' ? head : `${head}.${tail}`;
  return neg && abs !== '0' ? `-${abs}` : abs;
}

/** values.ts DecimalSum, under the name the tests use (it began here as the fast exact sum). */
export const FastDecimalSum = DecimalSum;

/**
 * A money cell as plain decimal text: copied when it already is one ("0.8958740000000000", "-3"), normalised when
 * it has an exponent or sign ("5.6E-05" → "0.000056"). '' for an empty or `null` cell, null when not a number.
 */
export function moneyText(s: string): string | null {
  const n = s.length;
  if (n === 0) return '';
  const start = s.charCodeAt(0) === 45 ? 1 : 0;
  let i = start;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i > start && (i === n || (s.charCodeAt(i) === 46 && isDigits(s, i + 1, n)))) return s;
  const t = s.trim();
  if (t === '' || isNullText(t)) return '';
  const d = parseDec(t);
  return d === null ? null : decText(d);
}

/** True for a negative amount in plain decimal text ("-0.5"; not "-0"). */
export function isNegative(amount: string): boolean {
  if (amount.charCodeAt(0) !== 45) return false;
  for (let i = 1; i < amount.length; i++) {
    const c = amount.charCodeAt(i);
    if (c >= 49 && c <= 57) return true;
  }
  return false;
}

/** Reads the bucket times of a row into FOCUS texts, caching them (rows of a bucket repeat the same times). */
export class BucketClock {
  chargeStart = '';
  chargeEnd = '';
  billingStart = '';
  billingEnd = '';
  startSecs = 0;
  endSecs = 0;
  private lastStart = '\u0000';
  private lastEnd = '\u0000';
  private monthStart = 1;
  private monthEnd = 0;
  private readonly seen = new Map<string, { secs: number; text: string }>();

  /** Unix seconds and FOCUS text of a time cell, or null when it is not a date/time. */
  private time(cell: string): { secs: number; text: string } | null {
    let t = this.seen.get(cell);
    if (t === undefined) {
      const secs = cell === '' ? null : parseVendorDateTime(cell);
      if (secs === null) return null;
      if (this.seen.size >= 100_000) this.seen.clear();
      t = { secs, text: focusDateTime(secs) };
      this.seen.set(cell, t);
    }
    return t;
  }

  /**
   * Sets the period from a start cell and an end cell, or (endCell === null) a period of `days` days from the
   * start. The billing period is the UTC calendar month of the start.
   */
  read(rowNo: number, startCell: string, startName: string, endCell: string | null, endName: string, days = 1): void {
    if (startCell !== this.lastStart) {
      const t = this.time(startCell);
      if (t === null) throw new MappingRowError(rowNo, startName, `${startName} '${startCell}' is not a date/time`);
      const s = t.secs;
      this.lastStart = startCell;
      this.startSecs = s;
      this.chargeStart = t.text;
      if (!(s >= this.monthStart && s < this.monthEnd)) {
        const [a, b] = monthBounds(s);
        this.monthStart = a;
        this.monthEnd = b;
        this.billingStart = focusDateTime(a);
        this.billingEnd = focusDateTime(b);
      }
      if (endCell === null) {
        this.endSecs = s + days * 86400;
        this.chargeEnd = focusDateTime(this.endSecs);
      } else this.lastEnd = '\u0000';
    }
    if (endCell !== null && endCell !== this.lastEnd) {
      const t = this.time(endCell);
      if (t === null) throw new MappingRowError(rowNo, endName, `${endName} '${endCell}' is not a date/time`);
      if (t.secs <= this.startSecs) {
        throw new MappingRowError(rowNo, endName, `${endName} '${endCell}' is not after ${startName} '${startCell}'`);
      }
      this.lastEnd = endCell;
      this.endSecs = t.secs;
      this.chargeEnd = t.text;
    }
  }

  /** Writes the four period cells into an output row. */
  fill(out: string[]): void {
    out[AI.ChargePeriodStart] = this.chargeStart;
    out[AI.ChargePeriodEnd] = this.chargeEnd;
    out[AI.BillingPeriodStart] = this.billingStart;
    out[AI.BillingPeriodEnd] = this.billingEnd;
  }
}

/** Counts of things a mapping decided row by row, with the first row each happened on, for gaps(). */
export class Tally {
  private readonly counts = new Map<string, { n: number; first: number }>();

  add(key: string, rowNo: number): void {
    const c = this.counts.get(key);
    if (c) c.n++;
    else this.counts.set(key, { n: 1, first: rowNo });
  }

  get(key: string): { n: number; first: number } | undefined {
    return this.counts.get(key);
  }
}

/** "3 rows (first: row 7)". */
export function rowsText(t: { n: number; first: number }): string {
  return `${t.n} row${t.n === 1 ? '' : 's'} (first: row ${t.first})`;
}

/**
 * The stand-in billing account of an export that does not name its organization: `openai-organization`,
 * `anthropic-organization`. FOCUS requires BillingAccountId on every row (BillingAccountId-C-001-M) and a
 * BillingAccountName where the provider names its accounts (BillingAccountName-C-003-C, applicable as soon as the
 * column is there, which CostAndUsage-D-005-M asks for). An OpenAI or Anthropic usage or cost export covers one
 * organization (the console's, or the Admin API key's) without saying which, so the placeholder is the same for every
 * file of a provider: its files group together and re-deliveries of a period are still recognised as overlapping.
 */
export function organizationPlaceholder(provider: string): string {
  return `${provider.toLowerCase()}-organization`;
}

/** The gap note for a file whose every row got the placeholder billing account. */
export function placeholderAccountGap(provider: string, what: string, hint: string): MappingGap {
  const id = organizationPlaceholder(provider);
  return {
    column: 'BillingAccountId',
    note:
      `${what} do not name the ${provider} organization: BillingAccountId and BillingAccountName are the placeholder ` +
      `"${id}" (not an id ${provider} issued), because FOCUS requires a billing account on every row. Every ${provider} ` +
      `file without an organization gets the same placeholder, so two organizations' files cannot be told apart by it. ${hint}`,
  };
}

/** The column's name as the file spells it, for messages. */
export function columnName(header: readonly string[], i: number, fallback: string): string {
  return i >= 0 ? (header[i] ?? fallback).replace(/^\uFEFF/, '').trim() : fallback;
}

// =================================================================================================================
// OpenAI

const PROVIDER = 'OpenAI';
const SERVICE = 'OpenAI API';
const ORGANIZATION = organizationPlaceholder(PROVIDER);
const ORGANIZATION_HINT =
  'The dashboard cost export names it (organization_id, organization_name), so the rows of that export carry the real id.';

/**
 * BillingAccountId / BillingAccountName from the organization_id / organization_name cells (the organization is what
 * OpenAI invoices; projects are its sub accounts), the placeholder where the id is missing, the id where the name is.
 */
function fillOrganization(out: string[], cells: readonly string[], iOrg: number, iOrgName: number, rowNo: number, tally: Tally): void {
  const id = cell(cells, iOrg);
  if (id === '') {
    out[AI.BillingAccountId] = ORGANIZATION;
    out[AI.BillingAccountName] = ORGANIZATION;
    if (iOrg >= 0) tally.add('noOrganization', rowNo);
    return;
  }
  const name = cell(cells, iOrgName);
  out[AI.BillingAccountId] = id;
  out[AI.BillingAccountName] = name === '' ? id : name;
  if (name === '') tally.add('noOrganizationName', rowNo);
}

function organizationGaps(iOrg: number, what: string, tally: Tally): MappingGap[] {
  const g: MappingGap[] = [];
  if (iOrg < 0) g.push(placeholderAccountGap(PROVIDER, what, ORGANIZATION_HINT));
  const n = tally.get('noOrganization');
  if (n) {
    g.push({
      column: 'BillingAccountId',
      note: `${rowsText(n)} had no organization_id: BillingAccountId and BillingAccountName are the placeholder "${ORGANIZATION}" there (FOCUS requires a billing account on every row).`,
    });
  }
  const nn = tally.get('noOrganizationName');
  if (nn) g.push({ column: 'BillingAccountName', note: `${rowsText(nn)} had an organization_id but no organization_name: BillingAccountName repeats the id.` });
  return g;
}

const TIME_COLUMNS = ['start_time', 'end_time', 'start_time_iso', 'end_time_iso'];

function hasTimes(c: Columns): boolean {
  return c.has('start_time', 'start_time_iso') && c.has('end_time', 'end_time_iso');
}

/** The usage dashboard exports a bare `start_time,end_time,start_time_iso,end_time_iso` when there was no usage. */
function isEmptyUsageExport(header: readonly string[]): boolean {
  const keys = header.map(headerKey).filter((k) => k !== '');
  return keys.length >= 2 && keys.every((k) => TIME_COLUMNS.includes(k)) && keys.includes('start_time') && keys.includes('end_time');
}

/** Resolves the start/end columns (Unix seconds preferred, the ISO copies otherwise). */
function timeColumns(c: Columns, header: readonly string[]) {
  const start = c.find('start_time', 'start_time_iso');
  const end = c.find('end_time', 'end_time_iso');
  if (start < 0) throw new MappingSetupError('The OpenAI export has no start_time column');
  if (end < 0) throw new MappingSetupError('The OpenAI export has no end_time column');
  return { start, end, startName: columnName(header, start, 'start_time'), endName: columnName(header, end, 'end_time') };
}

/** Text of a boolean-ish cell ("FALSE", "false", "0") as `true`/`false`; other text is kept. */
function boolText(s: string): string {
  if (s === '' || s === 'true' || s === 'false') return s;
  const b = parseBool(s);
  return b === null ? s : String(b);
}

/**
 * SkuId of a usage class, in the costs export's `line_item` grammar so usage and costs rows name the same SKU:
 * "gpt-4o-2024-08-06, input", "…, cached input", "…, cache writes", "…, output", "gpt-audio audio, input".
 */
const USAGE_SKU_SUFFIX: Record<string, string> = {
  input: 'input',
  cache_read: 'cached input',
  cache_write: 'cache writes',
  output: 'output',
  audio_input: 'input',
  audio_cache_read: 'cached input',
  audio_output: 'output',
};

function usageSku(model: string, cls: TokenClass): SkuCells {
  const head = cls.modality === '' ? model : `${model === '' ? 'all models' : model} ${cls.modality.toLowerCase()}`;
  const suffix = USAGE_SKU_SUFFIX[cls.key] ?? cls.key;
  const skuId = head === '' ? suffix : `${head}, ${suffix}`;
  return {
    skuId,
    skuPriceId: skuId,
    meter: cls.meter,
    details: priceDetails(model, cls),
    description: `${model === '' ? 'OpenAI' : model} ${cls.phrase}`,
  };
}

const USAGE_EXTRA = ['x_ServiceTier', 'x_Batch', 'x_NumModelRequests', 'x_ApiKeyId', 'x_UserId', 'x_ProjectId'] as const;

function detectUsage(sample: TableSample): number {
  const c = new Columns(sample.header);
  if (!hasTimes(c)) return 0;
  if (c.has('amount_value', 'amount.value', 'amount')) return 0;
  if (c.has('input_tokens') && c.has('output_tokens')) {
    let score = 0.9;
    if (c.has('input_cached_tokens', 'num_model_requests')) score += 0.05;
    return score;
  }
  // an export of a period without usage: only the four time columns
  return isEmptyUsageExport(sample.header) ? 0.6 : 0;
}

function createUsageMapper(sample: TableSample): RowMapper {
  const h = sample.header;
  const c = new Columns(h);
  const t = timeColumns(c, h);
  const empty = isEmptyUsageExport(h);
  const iInput = c.find('input_tokens');
  const iOutput = c.find('output_tokens');
  const iCached = c.find('input_cached_tokens');
  const iUncached = c.find('input_uncached_tokens');
  const iWrite = c.find('input_cache_write_tokens');
  const iAudioIn = c.find('input_audio_tokens');
  const iCachedAudio = c.find('input_cached_audio_tokens');
  const iAudioOut = c.find('output_audio_tokens');
  const iRequests = c.find('num_model_requests');
  const iModel = c.find('model');
  const iProject = c.find('project_id');
  const iUser = c.find('user_id');
  const iKey = c.find('api_key_id');
  const iBatch = c.find('batch');
  const iTier = c.find('service_tier');
  // not in the documented usage exports, but an organization column, where a file has one, is the billing account
  const iOrg = c.find('organization_id');
  const iOrgName = c.find('organization_name');
  if (!empty) {
    if (iInput < 0 && iUncached < 0) throw new MappingSetupError('The OpenAI usage export has no input_tokens column');
    if (iOutput < 0) throw new MappingSetupError('The OpenAI usage export has no output_tokens column');
  }
  const name = (i: number, f: string) => columnName(h, i, f);
  const nInput = name(iInput, 'input_tokens');
  const nOutput = name(iOutput, 'output_tokens');
  const nCached = name(iCached, 'input_cached_tokens');
  const nWrite = name(iWrite, 'input_cache_write_tokens');
  const nInputNetOfCached = `${nInput} − ${nCached}`;
  const nAudioIn = name(iAudioIn, 'input_audio_tokens');
  const nCachedAudio = name(iCachedAudio, 'input_cached_audio_tokens');
  const nAudioOut = name(iAudioOut, 'output_audio_tokens');

  const base = AI_FOCUS_COLUMNS.length;
  const X_TIER = base;
  const X_BATCH = base + 1;
  const X_REQUESTS = base + 2;
  const X_KEY = base + 3;
  const X_USER = base + 4;
  const X_PROJECT = base + 5;
  const out = newAiRow(PROVIDER, SERVICE, USAGE_EXTRA);
  for (const col of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'] as const) out[AI[col]] = '0';
  out[AI.BillingCurrency] = 'USD';

  const skus = new SkuBook(usageSku);
  const clock = new BucketClock();
  const tally = new Tally();

  const readCount = (cells: readonly string[], i: number, rowNo: number, fallback: string): string => {
    if (i < 0) return '';
    const raw = cells[i] ?? '';
    const v = countText(raw);
    if (v === null) throw new MappingRowError(rowNo, name(i, fallback), `${name(i, fallback)} '${raw}' is not a number`);
    if (v.charCodeAt(0) === 45 && v !== '0') {
      throw new MappingRowError(rowNo, name(i, fallback), `${name(i, fallback)} '${raw}' is negative`);
    }
    return v;
  };
  /** a − b, which must not go below zero: the breakdown field cannot exceed the total it is part of. */
  const carve = (a: string, b: string, rowNo: number, bName: string, what: string): string => {
    const r = countSub(a, b);
    if (r.charCodeAt(0) === 45) {
      throw new MappingRowError(rowNo, bName, `${bName} '${b}' exceeds ${what} '${a === '' ? '0' : a}'`);
    }
    return r;
  };

  let model = '';
  let first = true;
  let requests = '';
  const emitClass = (emit: (cells: string[]) => void, cls: TokenClass, tokens: string): void => {
    const s = skus.get(model, cls);
    out[AI.SkuId] = s.skuId;
    out[AI.SkuPriceId] = s.skuPriceId;
    out[AI.SkuMeter] = s.meter;
    out[AI.SkuPriceDetails] = s.details;
    out[AI.ChargeDescription] = s.description;
    out[AI.ConsumedQuantity] = tokens;
    out[AI.ConsumedUnit] = cls.consumedUnit;
    out[AI.PricingQuantity] = perBlock(tokens, cls.blockDigits);
    out[AI.PricingUnit] = cls.pricingUnit;
    // the request count rides on the first row of the source row only, so a sum over FOCUS rows counts it once
    out[X_REQUESTS] = first ? requests : '';
    first = false;
    emit(out);
  };

  return {
    columns: [...AI_FOCUS_COLUMNS, ...USAGE_EXTRA],
    map(cells, rowNo, emit) {
      const input = readCount(cells, iInput, rowNo, 'input_tokens');
      const output = readCount(cells, iOutput, rowNo, 'output_tokens');
      const cached = readCount(cells, iCached, rowNo, 'input_cached_tokens');
      const uncachedCell = readCount(cells, iUncached, rowNo, 'input_uncached_tokens');
      const write = readCount(cells, iWrite, rowNo, 'input_cache_write_tokens');
      const audioIn = readCount(cells, iAudioIn, rowNo, 'input_audio_tokens');
      const cachedAudio = readCount(cells, iCachedAudio, rowNo, 'input_cached_audio_tokens');
      const audioOut = readCount(cells, iAudioOut, rowNo, 'output_audio_tokens');
      requests = readCount(cells, iRequests, rowNo, 'num_model_requests');
      if (input === '' && output === '' && cached === '' && uncachedCell === '' && write === '' && requests === '') {
        // an empty bucket: only the time columns are filled
        tally.add('empty', rowNo);
        return;
      }
      clock.read(rowNo, cell(cells, t.start), t.startName, cell(cells, t.end), t.endName);
      clock.fill(out);

      // input_tokens includes cached and cache-write tokens (and every modality); the classes partition it
      let uncached: string;
      if (input !== '') {
        uncached = carve(carve(input, cached, rowNo, nCached, nInput), write, rowNo, nWrite, nInputNetOfCached);
        if (uncachedCell !== '' && uncachedCell !== uncached) tally.add('uncachedMismatch', rowNo);
      } else {
        uncached = uncachedCell === '' ? '0' : uncachedCell;
      }
      // audio breakdowns are part of the totals: split them out instead of adding them
      const textUncached = carve(uncached, audioIn, rowNo, nAudioIn, 'the uncached input tokens');
      const textCached = carve(cached, cachedAudio, rowNo, nCachedAudio, nCached);
      const textOutput = carve(output, audioOut, rowNo, nAudioOut, nOutput);
      if ((audioIn !== '' && audioIn !== '0') || (cachedAudio !== '' && cachedAudio !== '0') || (audioOut !== '' && audioOut !== '0')) {
        tally.add('audio', rowNo);
      }

      model = cell(cells, iModel);
      const project = cell(cells, iProject);
      if (project === '') tally.add('defaultProject', rowNo);
      out[AI.SubAccountId] = project === '' ? 'default' : project;
      out[AI.SubAccountName] = out[AI.SubAccountId]!;
      fillOrganization(out, cells, iOrg, iOrgName, rowNo, tally);
      out[AI.ResourceId] = cell(cells, iKey);
      out[AI.ResourceType] = out[AI.ResourceId] === '' ? '' : 'API Key';
      out[X_TIER] = cell(cells, iTier);
      out[X_BATCH] = boolText(cell(cells, iBatch));
      out[X_KEY] = out[AI.ResourceId]!;
      out[X_USER] = cell(cells, iUser);
      out[X_PROJECT] = project;
      first = true;

      if (textUncached !== '0') emitClass(emit, TOKEN_CLASSES.input, textUncached);
      if (textCached !== '0' && textCached !== '') emitClass(emit, TOKEN_CLASSES.cacheRead, textCached);
      if (write !== '0' && write !== '') emitClass(emit, TOKEN_CLASSES.cacheWrite, write);
      if (audioIn !== '0' && audioIn !== '') emitClass(emit, TOKEN_CLASSES.audioInput, audioIn);
      if (cachedAudio !== '0' && cachedAudio !== '') emitClass(emit, TOKEN_CLASSES.audioCacheRead, cachedAudio);
      if (textOutput !== '0' && textOutput !== '') emitClass(emit, TOKEN_CLASSES.output, textOutput);
      if (audioOut !== '0' && audioOut !== '') emitClass(emit, TOKEN_CLASSES.audioOutput, audioOut);
      if (first && requests !== '' && requests !== '0') {
        // requests without tokens: keep the request count on a zero-token input row
        tally.add('requestsOnly', rowNo);
        emitClass(emit, TOKEN_CLASSES.input, '0');
      }
      if (first) tally.add('zero', rowNo);
    },
    gaps() {
      const g: MappingGap[] = [
        {
          column: 'BilledCost',
          note:
            'OpenAI usage exports carry tokens, not money: BilledCost, EffectiveCost, ListCost and ContractedCost are 0. ' +
            'Import the OpenAI costs export (dashboard cost CSV or Costs API) for the amounts.',
        },
        ...organizationGaps(iOrg, 'OpenAI usage exports', tally),
        { column: 'SubAccountName', note: 'OpenAI exports carry project ids, not project names: SubAccountName repeats SubAccountId.' },
        {
          column: 'x_NumModelRequests',
          note: 'num_model_requests is written on the first FOCUS row of each source row only (the others are empty), so sums count each request once.',
        },
      ];
      if (empty) {
        g.push({ column: '', note: 'The export has only the four time columns: OpenAI had no usage to report for the period.' });
      }
      const e = tally.get('empty');
      if (e) g.push({ column: '', note: `${rowsText(e)} were empty buckets (only the time columns filled) and produced no FOCUS rows.` });
      const z = tally.get('zero');
      if (z) g.push({ column: 'ConsumedQuantity', note: `${rowsText(z)} had no tokens and no requests and produced no FOCUS rows.` });
      const r = tally.get('requestsOnly');
      if (r) {
        g.push({ column: 'ConsumedQuantity', note: `${rowsText(r)} had requests but no tokens: kept as a 0-token input row carrying x_NumModelRequests.` });
      }
      const d = tally.get('defaultProject');
      if (d) {
        g.push({
          column: 'SubAccountId',
          note: `${rowsText(d)} had no project_id (the default project, or usage not grouped by project): SubAccountId = "default", x_ProjectId empty.`,
        });
      }
      const m = tally.get('uncachedMismatch');
      if (m) {
        g.push({
          column: 'ConsumedQuantity',
          note: `${rowsText(m)}: input_uncached_tokens differs from input_tokens − input_cached_tokens − input_cache_write_tokens; the uncached input row uses the latter, so the input rows add up to input_tokens.`,
        });
      }
      const a = tally.get('audio');
      if (a) {
        g.push({
          column: 'ConsumedQuantity',
          note:
            `${rowsText(a)} had audio tokens. input_tokens, input_cached_tokens and output_tokens include every modality, so the audio ` +
            'breakdowns are split out of them into their own rows (Audio Input / Audio Cache Read / Audio Output Tokens), never added.',
        });
      }
      return g;
    },
    vendorTotals() {
      return [];
    },
  };
}

/** OpenAI usage (completions): dashboard usage CSV or Usage API JSON pages. */
export const openaiUsage: BillFormat = {
  id: 'openai-usage',
  label: 'OpenAI usage (completions: dashboard CSV or Usage API JSON)',
  detect: detectUsage,
  createMapper: createUsageMapper,
};

// -----------------------------------------------------------------------------------------------------------------
// Costs

const LINE_ITEM_CLASSES: Record<string, TokenClass> = {
  input: TOKEN_CLASSES.input,
  'cached input': TOKEN_CLASSES.cacheRead,
  'cache writes': TOKEN_CLASSES.cacheWrite,
  'cache write': TOKEN_CLASSES.cacheWrite,
  output: TOKEN_CLASSES.output,
};

const MODALITIES: Record<string, TokenClass['modality']> = { text: 'Text', audio: 'Audio', image: 'Image' };

const MODEL_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

const LONG_CONTEXT = ', long context';

/**
 * The SKU cells of a costs `line_item`. The grammar seen in real exports is
 * `[<tier> | ]<model>[ <modality>], <input|cached input|cache writes|output>[, long context]`
 * ("gpt-4o-2024-08-06, input", "priority | gpt-5, output, long context", "gpt-audio audio, input"); anything else
 * ("web search tool calls", "Vector storage", "whisper-1, audio") keeps the raw text as SKU and meter.
 * SkuPriceId is always the raw line_item (tier and context length change the price); SkuId leaves them out.
 */
export function lineItemSku(lineItem: string): SkuCells {
  const raw = lineItem.trim();
  const rawCells: SkuCells = { skuId: raw, skuPriceId: raw, meter: raw, details: '', description: raw };
  if (raw === '') return rawCells;
  let s = raw;
  let tier = '';
  const bar = s.indexOf(' | ');
  if (bar > 0) {
    tier = s.slice(0, bar).trim();
    s = s.slice(bar + 3).trim();
  }
  let longContext = false;
  if (s.toLowerCase().endsWith(LONG_CONTEXT)) {
    longContext = true;
    s = s.slice(0, -LONG_CONTEXT.length).trim();
  }
  const comma = s.lastIndexOf(', ');
  if (comma <= 0) return rawCells;
  const head = s.slice(0, comma).trim();
  const direction = s.slice(comma + 2).trim();
  const base = LINE_ITEM_CLASSES[direction.toLowerCase()];
  if (!base) return rawCells;
  const words = head.split(' ');
  const model = words[0]!;
  if (words.length > 2 || !MODEL_ID_RE.test(model)) return rawCells;
  let cls = base;
  if (words.length === 2) {
    const modality = MODALITIES[words[1]!.toLowerCase()];
    if (!modality) return rawCells;
    cls = withModality(base, modality);
  }
  const extra: Record<string, string | boolean> = {};
  if (tier !== '') extra.x_ServiceTier = tier;
  if (longContext) extra.x_LongContext = true;
  return {
    skuId: `${head}, ${direction}`,
    skuPriceId: raw,
    meter: cls.meter,
    details: priceDetails(model, cls, extra),
    description: raw,
  };
}

const COSTS_EXTRA = ['x_ProjectId', 'x_ApiKeyId'] as const;

function detectCosts(sample: TableSample): number {
  const c = new Columns(sample.header);
  if (!hasTimes(c)) return 0;
  if (!c.has('amount_value', 'amount.value')) return 0;
  if (c.has('input_tokens', 'output_tokens')) return 0;
  return c.has('line_item', 'amount_currency', 'amount.currency') ? 0.95 : 0.8;
}

function createCostsMapper(sample: TableSample): RowMapper {
  const h = sample.header;
  const c = new Columns(h);
  const t = timeColumns(c, h);
  const iAmount = c.find('amount_value', 'amount.value');
  if (iAmount < 0) throw new MappingSetupError('The OpenAI costs export has no amount_value (amount.value) column');
  const iCurrency = c.find('amount_currency', 'amount.currency');
  const iLineItem = c.find('line_item');
  const iProject = c.find('project_id');
  const iOrg = c.find('organization_id');
  const iOrgName = c.find('organization_name');
  const iKey = c.find('api_key_id');
  const nAmount = columnName(h, iAmount, 'amount_value');

  const base = AI_FOCUS_COLUMNS.length;
  const X_PROJECT = base;
  const X_KEY = base + 1;
  const out = newAiRow(PROVIDER, SERVICE, COSTS_EXTRA);
  const lineItems = new Map<string, SkuCells>();
  const clock = new BucketClock();
  const tally = new Tally();
  const billed = new FastDecimalSum();
  let lastCurrency = '\u0000';
  let currency = 'USD';

  return {
    columns: [...AI_FOCUS_COLUMNS, ...COSTS_EXTRA],
    map(cells, rowNo, emit) {
      const rawAmount = cell(cells, iAmount);
      const amount = moneyText(rawAmount);
      if (amount === null) throw new MappingRowError(rowNo, nAmount, `${nAmount} '${rawAmount}' is not a number`);
      const lineItem = cell(cells, iLineItem);
      const project = cell(cells, iProject);
      if (amount === '') {
        if (lineItem === '' && project === '' && cell(cells, iCurrency) === '') {
          tally.add('empty', rowNo);
          return;
        }
        throw new MappingRowError(rowNo, nAmount, `${nAmount} is empty`);
      }
      clock.read(rowNo, cell(cells, t.start), t.startName, cell(cells, t.end), t.endName);
      clock.fill(out);

      const cur = cell(cells, iCurrency);
      if (cur !== lastCurrency) {
        lastCurrency = cur;
        currency = cur === '' ? 'USD' : cur.trim().toUpperCase();
      }
      if (cur === '') tally.add('noCurrency', rowNo);
      out[AI.BillingCurrency] = currency;
      out[AI.BilledCost] = amount;
      out[AI.EffectiveCost] = amount;
      out[AI.ListCost] = amount;
      out[AI.ContractedCost] = amount;
      const negative = isNegative(amount);
      out[AI.ChargeCategory] = negative ? 'Credit' : 'Usage';
      if (negative) tally.add('negative', rowNo);

      let sku = lineItems.get(lineItem);
      if (sku === undefined) {
        sku = lineItemSku(lineItem);
        lineItems.set(lineItem, sku);
      }
      if (lineItem === '') tally.add('noLineItem', rowNo);
      out[AI.SkuId] = sku.skuId;
      out[AI.SkuPriceId] = sku.skuPriceId;
      out[AI.SkuMeter] = sku.meter;
      out[AI.SkuPriceDetails] = sku.details;
      out[AI.ChargeDescription] = sku.description;

      fillOrganization(out, cells, iOrg, iOrgName, rowNo, tally);
      if (project === '') tally.add('defaultProject', rowNo);
      out[AI.SubAccountId] = project === '' ? 'default' : project;
      out[AI.SubAccountName] = out[AI.SubAccountId]!;
      out[AI.ResourceId] = cell(cells, iKey);
      out[AI.ResourceType] = out[AI.ResourceId] === '' ? '' : 'API Key';
      out[X_PROJECT] = project;
      out[X_KEY] = out[AI.ResourceId]!;
      billed.add(amount);
      emit(out);
    },
    gaps() {
      const g: MappingGap[] = [
        {
          column: 'ListCost',
          note: 'OpenAI reports no list price: ListCost and ContractedCost equal the billed amount (credits and Scale Tier can make the real list price differ).',
        },
        {
          column: 'ConsumedQuantity',
          note: 'The costs export carries amounts, not quantities: ConsumedQuantity and PricingQuantity are empty. Import the OpenAI usage export for tokens.',
        },
        { column: 'SubAccountName', note: 'OpenAI exports carry project ids, not project names: SubAccountName repeats SubAccountId.' },
        ...organizationGaps(iOrg, 'Costs API pages and cost exports without an organization_id column', tally),
      ];
      if (iCurrency < 0) g.push({ column: 'BillingCurrency', note: 'The export has no currency column: amounts are read as USD.' });
      const n = tally.get('noCurrency');
      if (n && iCurrency >= 0) g.push({ column: 'BillingCurrency', note: `${rowsText(n)} had no currency: read as USD.` });
      const e = tally.get('empty');
      if (e) g.push({ column: '', note: `${rowsText(e)} were empty buckets (only the time columns filled) and produced no FOCUS rows.` });
      const l = tally.get('noLineItem');
      if (l) {
        g.push({
          column: 'SkuId',
          note: `${rowsText(l)} had no line_item (costs not grouped by line item): SkuId, SkuMeter and SkuPriceDetails are empty.`,
        });
      }
      const d = tally.get('defaultProject');
      if (d) {
        g.push({
          column: 'SubAccountId',
          note: `${rowsText(d)} had no project_id (the default project, or costs not grouped by project): SubAccountId = "default", x_ProjectId empty.`,
        });
      }
      const neg = tally.get('negative');
      if (neg) g.push({ column: 'ChargeCategory', note: `${rowsText(neg)} had a negative amount: ChargeCategory = Credit.` });
      return g;
    },
    vendorTotals(): VendorTotal[] {
      return [{ focusColumn: 'BilledCost', vendorColumn: nAmount, vendorTotal: billed.toString() }];
    },
  };
}

/** OpenAI costs: dashboard cost CSV or Costs API JSON pages. */
export const openaiCosts: BillFormat = {
  id: 'openai-costs',
  label: 'OpenAI costs (dashboard CSV or Costs API JSON)',
  detect: detectCosts,
  createMapper: createCostsMapper,
};

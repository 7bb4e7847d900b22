// Anthropic usage and costs, from the Console's CSV exports (Usage / Cost → Export) and from the Admin API's JSON
// pages (`/v1/organizations/usage_report/messages`, `/v1/organizations/cost_report`), which the JSON reader flattens
// to one row per result carrying its bucket's starting_at/ending_at (vendor-formats.md §4.2, §4.8).
//
// Usage rows become one FOCUS row per non-zero token class (uncached input, cache write 5m / 1h, cache read, output)
// plus web search requests; they carry no money. Cost rows become one FOCUS row each: the API's `amount` is a decimal
// string in cents, the CSV's `cost_usd` is dollars and comes with `list_price_usd`.
import {
  AI,
  AI_FOCUS_COLUMNS,
  BucketClock,
  type SkuCells,
  SkuBook,
  TOKEN_CLASSES,
  Tally,
  type TokenClass,
  columnName,
  countText,
  defineClass,
  isNegative,
  moneyText,
  newAiRow,
  organizationPlaceholder,
  perBlock,
  placeholderAccountGap,
  priceDetails,
  rowsText,
} from './openai';
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
  cell,
  parseVendorDateTime,
  DecimalSum,
} from './values';

const PROVIDER = 'Anthropic';
const SERVICE = 'Claude API';
/**
 * The organization is what Anthropic bills (workspaces are its sub accounts), but neither the Console exports nor the
 * Admin API reports name it: every row gets the placeholder billing account (see organizationPlaceholder).
 */
const ORGANIZATION = organizationPlaceholder(PROVIDER);
const ORGANIZATION_HINT = 'Workspaces are kept as SubAccountId (the default workspace as "default").';

/** A fresh output row with the cells every Anthropic row shares, the placeholder billing account included. */
function newAnthropicRow(extra: readonly string[]): string[] {
  const out = newAiRow(PROVIDER, SERVICE, extra);
  out[AI.BillingAccountId] = ORGANIZATION;
  out[AI.BillingAccountName] = ORGANIZATION;
  return out;
}

/** The API's token_type name of each class: the second half of our SkuId (`claude-sonnet-4-5:output_tokens`). */
const API_TOKEN_TYPE: Record<string, string> = {
  input: 'uncached_input_tokens',
  cache_write_5m: 'cache_creation.ephemeral_5m_input_tokens',
  cache_write_1h: 'cache_creation.ephemeral_1h_input_tokens',
  cache_write: 'cache_creation_input_tokens',
  cache_read: 'cache_read_input_tokens',
  output: 'output_tokens',
  web_search: 'web_search',
  code_execution: 'code_execution',
};

/** Code execution is billed (cost report `cost_type`) but has no quantity in these exports. */
const CODE_EXECUTION: TokenClass = defineClass({
  key: 'code_execution',
  meter: 'Code Execution',
  phrase: 'code execution',
  direction: '',
  cacheAction: '',
  cacheTtl: '',
  modality: '',
  consumedUnit: 'Requests',
  pricingUnit: '',
  blockDigits: 0,
});

function anthropicSku(model: string, cls: TokenClass): SkuCells {
  const suffix = API_TOKEN_TYPE[cls.key] ?? cls.key;
  const skuId = model === '' ? suffix : `${model}:${suffix}`;
  return {
    skuId,
    skuPriceId: skuId,
    meter: cls.meter,
    details: priceDetails(model, cls),
    description: `${model === '' ? 'Claude' : model} ${cls.phrase}`,
  };
}

/** Cost report token_type, as the API (`cache_read_input_tokens`) and the Console CSV (`input_cache_read`) write it. */
const TOKEN_TYPES: Record<string, TokenClass> = {
  uncached_input_tokens: TOKEN_CLASSES.input,
  output_tokens: TOKEN_CLASSES.output,
  cache_read_input_tokens: TOKEN_CLASSES.cacheRead,
  'cache_creation.ephemeral_5m_input_tokens': TOKEN_CLASSES.cacheWrite5m,
  'cache_creation.ephemeral_1h_input_tokens': TOKEN_CLASSES.cacheWrite1h,
  cache_creation_input_tokens: TOKEN_CLASSES.cacheWrite,
  input_no_cache: TOKEN_CLASSES.input,
  input_cache_read: TOKEN_CLASSES.cacheRead,
  input_cache_write_5m: TOKEN_CLASSES.cacheWrite5m,
  input_cache_write_1h: TOKEN_CLASSES.cacheWrite1h,
  input_cache_write: TOKEN_CLASSES.cacheWrite,
  output: TOKEN_CLASSES.output,
};

/** Cost rows without a token_type: the tool they pay for. */
const COST_TYPES: Record<string, TokenClass> = {
  web_search: TOKEN_CLASSES.webSearch,
  code_execution: CODE_EXECUTION,
};

/** The Console's default workspace is "Default"; the API's is workspace_id null. Both become "default". */
function workspaceId(ws: string): string {
  return ws === '' || (ws.length === 7 && (ws === 'Default' || ws.toLowerCase() === 'default')) ? 'default' : ws;
}

/** SubAccountName: the Console CSV's workspace name; the API gives only ids, so the id. The default workspace is "Default". */
function subAccountName(ws: string): string {
  return ws === '' ? 'Default' : ws;
}

const API_WORKSPACE_GAP: MappingGap = {
  column: 'SubAccountName',
  note: 'The API gives workspace ids, not names: SubAccountName repeats workspace_id ("Default" for the default workspace, workspace_id null).',
};

/** Period columns: the API's starting_at/ending_at, or the Console CSV's day `usage_date_utc` ([day, day + 1)). */
function periodColumns(c: Columns, header: readonly string[], what: string) {
  const start = c.find('starting_at');
  if (start >= 0) {
    const end = c.find('ending_at');
    if (end < 0) throw new MappingSetupError(`The Anthropic ${what} has no ending_at column`);
    return { start, end, startName: columnName(header, start, 'starting_at'), endName: columnName(header, end, 'ending_at'), api: true };
  }
  const day = c.find('usage_date_utc');
  if (day < 0) throw new MappingSetupError(`The Anthropic ${what} has no starting_at or usage_date_utc column`);
  return { start: day, end: -1, startName: columnName(header, day, 'usage_date_utc'), endName: '', api: false };
}

/**
 * Tracks the API's `data_refreshed_at` (buckets ending after it are still incomplete) and counts the rows of such
 * buckets for gaps().
 */
class Freshness {
  private last = '\u0000';
  private secs: number | null = null;

  constructor(private readonly index: number) {}

  check(cells: readonly string[], clock: BucketClock, rowNo: number, tally: Tally): void {
    if (this.index < 0) return;
    const text = cells[this.index] ?? '';
    if (text !== this.last) {
      this.last = text;
      this.secs = text === '' ? null : parseVendorDateTime(text);
    }
    if (this.secs !== null && clock.endSecs > this.secs) tally.add('incomplete', rowNo);
  }
}

function incompleteGap(tally: Tally): MappingGap[] {
  const i = tally.get('incomplete');
  return i
    ? [{ column: '', note: `${rowsText(i)} are from buckets that end after data_refreshed_at: Anthropic had not finished counting them.` }]
    : [];
}

// =================================================================================================================
// Usage

const USAGE_EXTRA = [
  'x_ServiceTier',
  'x_ContextWindow',
  'x_InferenceGeo',
  'x_Speed',
  'x_UsageType',
  'x_ApiKeyId',
  'x_WorkspaceId',
  'x_AccountId',
  'x_ServiceAccountId',
] as const;

function detectUsage(sample: TableSample): number {
  const c = new Columns(sample.header);
  if (c.has('starting_at') && c.has('ending_at') && c.has('uncached_input_tokens') && c.has('output_tokens')) {
    return c.has('cache_read_input_tokens') ? 0.95 : 0.9;
  }
  if (c.has('usage_date_utc') && c.has('usage_input_tokens_no_cache') && c.has('usage_output_tokens')) {
    return c.has('usage_input_tokens_cache_read') ? 0.95 : 0.9;
  }
  return 0;
}

function createUsageMapper(sample: TableSample): RowMapper {
  const h = sample.header;
  const c = new Columns(h);
  const p = periodColumns(c, h, 'usage report');
  const iUncached = c.find('uncached_input_tokens', 'usage_input_tokens_no_cache');
  const iOutput = c.find('output_tokens', 'usage_output_tokens');
  if (iUncached < 0) throw new MappingSetupError('The Anthropic usage report has no uncached_input_tokens (usage_input_tokens_no_cache) column');
  if (iOutput < 0) throw new MappingSetupError('The Anthropic usage report has no output_tokens (usage_output_tokens) column');
  const i5m = c.find('cache_creation.ephemeral_5m_input_tokens', 'usage_input_tokens_cache_write_5m');
  const i1h = c.find('cache_creation.ephemeral_1h_input_tokens', 'usage_input_tokens_cache_write_1h');
  // older reports: one cache write count without a TTL split
  const iWrite = i5m < 0 && i1h < 0 ? c.find('cache_creation_input_tokens', 'usage_input_tokens_cache_write') : -1;
  const iRead = c.find('cache_read_input_tokens', 'usage_input_tokens_cache_read');
  const iWeb = c.find('server_tool_use.web_search_requests', 'web_search_count');
  const iModel = c.find('model', 'model_version');
  const iKeyId = c.find('api_key_id');
  const iKeyName = c.find('api_key');
  const iWorkspace = c.find('workspace_id', 'workspace');
  const iTier = c.find('service_tier');
  const iContext = c.find('context_window');
  const iGeo = c.find('inference_geo');
  const iSpeed = c.find('speed');
  const iUsageType = c.find('usage_type');
  const iAccount = c.find('account_id');
  const iServiceAccount = c.find('service_account_id');
  const freshness = new Freshness(c.find('data_refreshed_at'));

  const base = AI_FOCUS_COLUMNS.length;
  const out = newAnthropicRow(USAGE_EXTRA);
  for (const col of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'] as const) out[AI[col]] = '0';
  out[AI.BillingCurrency] = 'USD';
  const skus = new SkuBook(anthropicSku);
  const clock = new BucketClock();
  const tally = new Tally();

  const readCount = (cells: readonly string[], i: number, rowNo: number): string => {
    if (i < 0) return '';
    const raw = cells[i] ?? '';
    const v = countText(raw);
    if (v === null || v.charCodeAt(0) === 45) {
      const n = columnName(h, i, '');
      throw new MappingRowError(rowNo, n, `${n} '${raw}' is ${v === null ? 'not a number' : 'negative'}`);
    }
    return v;
  };

  let model = '';
  let emitted = 0;
  const emitClass = (emit: (cells: string[]) => void, cls: TokenClass, count: string): void => {
    if (count === '' || count === '0') return;
    const s = skus.get(model, cls);
    out[AI.SkuId] = s.skuId;
    out[AI.SkuPriceId] = s.skuPriceId;
    out[AI.SkuMeter] = s.meter;
    out[AI.SkuPriceDetails] = s.details;
    out[AI.ChargeDescription] = s.description;
    out[AI.ConsumedQuantity] = count;
    out[AI.ConsumedUnit] = cls.consumedUnit;
    out[AI.PricingQuantity] = perBlock(count, cls.blockDigits);
    out[AI.PricingUnit] = cls.pricingUnit;
    emitted++;
    emit(out);
  };

  return {
    columns: [...AI_FOCUS_COLUMNS, ...USAGE_EXTRA],
    map(cells, rowNo, emit) {
      const uncached = readCount(cells, iUncached, rowNo);
      const w5m = readCount(cells, i5m, rowNo);
      const w1h = readCount(cells, i1h, rowNo);
      const write = readCount(cells, iWrite, rowNo);
      const read = readCount(cells, iRead, rowNo);
      const output = readCount(cells, iOutput, rowNo);
      const web = readCount(cells, iWeb, rowNo);
      clock.read(rowNo, cell(cells, p.start), p.startName, p.api ? cell(cells, p.end) : null, p.endName);
      clock.fill(out);
      freshness.check(cells, clock, rowNo, tally);

      model = cell(cells, iModel);
      const ws = cell(cells, iWorkspace);
      out[AI.SubAccountId] = workspaceId(ws);
      out[AI.SubAccountName] = subAccountName(ws);
      const keyName = cell(cells, iKeyName);
      const keyId = iKeyId >= 0 ? cell(cells, iKeyId) : keyName;
      out[AI.ResourceId] = keyId;
      out[AI.ResourceName] = keyName;
      out[AI.ResourceType] = keyId === '' ? '' : 'API Key';
      out[base] = cell(cells, iTier);
      out[base + 1] = cell(cells, iContext);
      out[base + 2] = cell(cells, iGeo);
      out[base + 3] = cell(cells, iSpeed);
      out[base + 4] = cell(cells, iUsageType);
      out[base + 5] = keyId;
      out[base + 6] = ws;
      out[base + 7] = cell(cells, iAccount);
      out[base + 8] = cell(cells, iServiceAccount);

      const before = emitted;
      emitClass(emit, TOKEN_CLASSES.input, uncached);
      emitClass(emit, TOKEN_CLASSES.cacheWrite5m, w5m);
      emitClass(emit, TOKEN_CLASSES.cacheWrite1h, w1h);
      emitClass(emit, TOKEN_CLASSES.cacheWrite, write);
      emitClass(emit, TOKEN_CLASSES.cacheRead, read);
      emitClass(emit, TOKEN_CLASSES.output, output);
      emitClass(emit, TOKEN_CLASSES.webSearch, web);
      if (emitted === before) tally.add('zero', rowNo);
    },
    gaps() {
      const g: MappingGap[] = [
        {
          column: 'BilledCost',
          note:
            'Anthropic usage reports carry tokens, not money: BilledCost, EffectiveCost, ListCost and ContractedCost are 0. ' +
            'Import the Anthropic cost report (Console cost CSV or Cost Report API) for the amounts.',
        },
        placeholderAccountGap(PROVIDER, 'Anthropic usage reports (Console CSV and Usage Report API)', ORGANIZATION_HINT),
      ];
      if (!p.api) {
        g.push({
          column: 'SubAccountId',
          note: 'The Console CSV names workspaces and API keys instead of giving their ids: SubAccountId and ResourceId hold the names ("Default" → "default").',
        });
      } else g.push(API_WORKSPACE_GAP);
      if (iWrite >= 0) {
        g.push({ column: 'SkuPriceDetails', note: 'The report gives cache writes without the 5m / 1h split: their rows have no x_CacheTtl.' });
      }
      const z = tally.get('zero');
      if (z) g.push({ column: 'ConsumedQuantity', note: `${rowsText(z)} had no tokens and no web searches and produced no FOCUS rows.` });
      g.push(...incompleteGap(tally));
      return g;
    },
    vendorTotals() {
      return [];
    },
  };
}

/** Anthropic usage: Console usage CSV or Usage Report API (messages) JSON pages. */
export const anthropicUsage: BillFormat = {
  id: 'anthropic-usage',
  label: 'Anthropic usage (Console CSV or Usage Report API JSON)',
  detect: detectUsage,
  createMapper: createUsageMapper,
};

// =================================================================================================================
// Costs

const COSTS_EXTRA = [
  'x_CostType',
  'x_TokenType',
  'x_ServiceTier',
  'x_ContextWindow',
  'x_InferenceGeo',
  'x_Speed',
  'x_UsageType',
  'x_ApiKeyId',
  'x_WorkspaceId',
] as const;

function detectCosts(sample: TableSample): number {
  const c = new Columns(sample.header);
  if (c.has('uncached_input_tokens', 'usage_input_tokens_no_cache')) return 0;
  if (c.has('starting_at') && c.has('ending_at') && c.has('amount') && c.has('currency')) {
    return c.has('token_type', 'cost_type', 'description') ? 0.95 : 0.8;
  }
  if (c.has('usage_date_utc') && c.has('cost_usd')) return c.has('token_type') ? 0.95 : 0.8;
  return 0;
}

/** SKU cells of a cost row, and which gap its token_type / cost_type calls for ('' = none). */
interface CostSku extends SkuCells {
  unknown: '' | 'unknownTokenType' | 'noTokenType';
}

function costSku(model: string, tokenType: string, costType: string): CostSku {
  const tt = tokenType.trim().toLowerCase();
  const cls = tt === '' ? COST_TYPES[costType.trim().toLowerCase()] : TOKEN_TYPES[tt];
  if (cls) return { ...anthropicSku(model, cls), unknown: '' };
  if (tt !== '') {
    const skuId = model === '' ? tokenType : `${model}:${tokenType}`;
    const description = `${model === '' ? 'Claude' : model} ${tokenType}`;
    return { skuId, skuPriceId: skuId, meter: tokenType, details: priceDetails(model, null), description, unknown: 'unknownTokenType' };
  }
  return { skuId: model, skuPriceId: model, meter: '', details: model === '' ? '' : priceDetails(model, null), description: model, unknown: 'noTokenType' };
}

function createCostsMapper(sample: TableSample): RowMapper {
  const h = sample.header;
  const c = new Columns(h);
  const p = periodColumns(c, h, 'cost report');
  const iAmount = p.api ? c.find('amount') : c.find('cost_usd');
  if (iAmount < 0) throw new MappingSetupError(`The Anthropic cost report has no ${p.api ? 'amount' : 'cost_usd'} column`);
  const nAmount = columnName(h, iAmount, p.api ? 'amount' : 'cost_usd');
  const iList = p.api ? -1 : c.find('list_price_usd');
  const nList = columnName(h, iList, 'list_price_usd');
  const iCurrency = p.api ? c.find('currency') : -1;
  const iCostType = c.find('cost_type');
  const iTokenType = c.find('token_type');
  const iModel = c.find('model');
  const iDescription = c.find('description');
  const iWorkspace = c.find('workspace_id', 'workspace');
  const iKeyId = c.find('api_key_id');
  const iKeyName = c.find('api_key');
  const iTier = c.find('service_tier');
  const iContext = c.find('context_window');
  const iGeo = c.find('inference_geo');
  const iSpeed = c.find('speed');
  const iUsageType = c.find('usage_type');
  const freshness = new Freshness(c.find('data_refreshed_at'));

  const base = AI_FOCUS_COLUMNS.length;
  const out = newAnthropicRow(COSTS_EXTRA);
  out[AI.BillingCurrency] = 'USD';
  const clock = new BucketClock();
  const tally = new Tally();
  const billed = new DecimalSum();
  const listed = new DecimalSum();
  const skuMemo = new Map<string, CostSku>();
  let lastCurrency = '\u0000';
  let currency = 'USD';

  let lastModel = '\u0000';
  let lastTokenType = '\u0000';
  let lastCostType = '\u0000';
  let lastSku: CostSku | null = null;
  const skuOf = (model: string, tokenType: string, costType: string, rowNo: number): CostSku => {
    if (lastSku === null || model !== lastModel || tokenType !== lastTokenType || costType !== lastCostType) {
      const key = `${model}\u0001${tokenType}\u0001${costType}`;
      let s = skuMemo.get(key);
      if (s === undefined) {
        s = costSku(model, tokenType, costType);
        skuMemo.set(key, s);
      }
      lastModel = model;
      lastTokenType = tokenType;
      lastCostType = costType;
      lastSku = s;
    }
    if (lastSku.unknown !== '') tally.add(lastSku.unknown, rowNo);
    return lastSku;
  };

  return {
    columns: [...AI_FOCUS_COLUMNS, ...COSTS_EXTRA],
    map(cells, rowNo, emit) {
      const rawAmount = cell(cells, iAmount);
      const m = moneyText(rawAmount);
      if (m === null) throw new MappingRowError(rowNo, nAmount, `${nAmount} '${rawAmount}' is not a number`);
      if (m === '') throw new MappingRowError(rowNo, nAmount, `${nAmount} is empty`);
      // the Cost Report API gives a decimal string in cents: "123.45" is $1.2345
      const cost = p.api ? perBlock(m, 2) : m;
      let list = cost;
      if (iList >= 0) {
        const rawList = cell(cells, iList);
        const l = moneyText(rawList);
        if (l === null) throw new MappingRowError(rowNo, nList, `${nList} '${rawList}' is not a number`);
        if (l === '') tally.add('noListPrice', rowNo);
        else list = l;
      }
      clock.read(rowNo, cell(cells, p.start), p.startName, p.api ? cell(cells, p.end) : null, p.endName);
      clock.fill(out);
      freshness.check(cells, clock, rowNo, tally);

      if (iCurrency >= 0) {
        const cur = cell(cells, iCurrency);
        if (cur !== lastCurrency) {
          lastCurrency = cur;
          currency = cur === '' ? 'USD' : cur.trim().toUpperCase();
        }
        if (cur === '') tally.add('noCurrency', rowNo);
        out[AI.BillingCurrency] = currency;
      }
      out[AI.BilledCost] = cost;
      out[AI.EffectiveCost] = cost;
      out[AI.ContractedCost] = cost;
      out[AI.ListCost] = list;
      const negative = isNegative(cost);
      out[AI.ChargeCategory] = negative ? 'Credit' : 'Usage';
      if (negative) tally.add('negative', rowNo);

      const model = cell(cells, iModel);
      const tokenType = cell(cells, iTokenType);
      const costType = cell(cells, iCostType);
      const sku = skuOf(model, tokenType, costType, rowNo);
      out[AI.SkuId] = sku.skuId;
      out[AI.SkuPriceId] = sku.skuPriceId;
      out[AI.SkuMeter] = sku.meter;
      out[AI.SkuPriceDetails] = sku.skuPriceId === '' ? '' : sku.details;
      const description = cell(cells, iDescription);
      out[AI.ChargeDescription] = description === '' ? sku.description : description;

      const ws = cell(cells, iWorkspace);
      out[AI.SubAccountId] = workspaceId(ws);
      out[AI.SubAccountName] = subAccountName(ws);
      const keyName = cell(cells, iKeyName);
      const keyId = iKeyId >= 0 ? cell(cells, iKeyId) : keyName;
      out[AI.ResourceId] = keyId;
      out[AI.ResourceName] = keyName;
      out[AI.ResourceType] = keyId === '' ? '' : 'API Key';
      out[base] = costType;
      out[base + 1] = tokenType;
      out[base + 2] = cell(cells, iTier);
      out[base + 3] = cell(cells, iContext);
      out[base + 4] = cell(cells, iGeo);
      out[base + 5] = cell(cells, iSpeed);
      out[base + 6] = cell(cells, iUsageType);
      out[base + 7] = keyId;
      out[base + 8] = ws;
      // vendor totals count only rows that made it to FOCUS
      billed.add(cost);
      if (iList >= 0) listed.add(list); // reported only when every row had list_price_usd
      emit(out);
    },
    gaps() {
      const g: MappingGap[] = [
        placeholderAccountGap(PROVIDER, 'Anthropic cost reports (Console CSV and Cost Report API)', ORGANIZATION_HINT),
        {
          column: 'ConsumedQuantity',
          note: 'The cost report carries amounts, not quantities: ConsumedQuantity and PricingQuantity are empty. Import the Anthropic usage report for tokens.',
        },
        { column: '', note: 'Priority Tier costs are not in Anthropic\'s cost report (only their usage is): they are missing here.' },
      ];
      if (p.api) {
        g.push({ column: 'BilledCost', note: 'The Cost Report API gives amounts in cents: BilledCost = amount / 100.' });
        g.push({ column: 'ListCost', note: 'The Cost Report API gives no list price: ListCost and ContractedCost equal the billed amount.' });
        g.push(API_WORKSPACE_GAP);
      } else {
        g.push({ column: 'ContractedCost', note: 'ContractedCost equals cost_usd; ListCost is list_price_usd, so discounts show as ListCost − BilledCost.' });
        g.push({
          column: 'SkuPriceDetails',
          note: 'The Console cost CSV names models by display name ("Claude Sonnet 4.5"): ModelId and SkuId keep that name as given.',
        });
        g.push({
          column: 'SubAccountId',
          note: 'The Console CSV names workspaces instead of giving their ids: SubAccountId holds the name ("Default" → "default").',
        });
        if (iList < 0) g.push({ column: 'ListCost', note: 'The export has no list_price_usd column: ListCost equals cost_usd.' });
      }
      const nl = tally.get('noListPrice');
      if (nl) g.push({ column: 'ListCost', note: `${rowsText(nl)} had no list_price_usd: ListCost equals cost_usd there.` });
      const nc = tally.get('noCurrency');
      if (nc) g.push({ column: 'BillingCurrency', note: `${rowsText(nc)} had no currency: read as USD.` });
      const u = tally.get('unknownTokenType');
      if (u) g.push({ column: 'SkuMeter', note: `${rowsText(u)} had a token_type we do not know: SkuMeter keeps it as given.` });
      const nt = tally.get('noTokenType');
      if (nt) {
        g.push({
          column: 'SkuId',
          note: `${rowsText(nt)} had no token_type or known cost_type (costs not grouped by description): SkuId is the model alone.`,
        });
      }
      const neg = tally.get('negative');
      if (neg) g.push({ column: 'ChargeCategory', note: `${rowsText(neg)} had a negative amount: ChargeCategory = Credit.` });
      g.push(...incompleteGap(tally));
      return g;
    },
    vendorTotals(): VendorTotal[] {
      const totals: VendorTotal[] = [
        { focusColumn: 'BilledCost', vendorColumn: p.api ? `${nAmount} / 100` : nAmount, vendorTotal: billed.toString() },
      ];
      if (iList >= 0 && !tally.get('noListPrice')) totals.push({ focusColumn: 'ListCost', vendorColumn: nList, vendorTotal: listed.toString() });
      return totals;
    },
  };
}

/** Anthropic costs: Console cost CSV or Cost Report API JSON pages. */
export const anthropicCosts: BillFormat = {
  id: 'anthropic-costs',
  label: 'Anthropic costs (Console CSV or Cost Report API JSON)',
  detect: detectCosts,
  createMapper: createCostsMapper,
};

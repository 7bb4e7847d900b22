// Azure Cost Management "cost details" exports (formerly usage details) → FOCUS 1.4 Cost and Usage rows.
//
//   azure-ea    Enterprise Agreement: CostInBillingCurrency, BillingCurrencyCode, AccountOwnerId, PayGPrice, …
//   azure-mca   Microsoft Customer / Partner Agreement, usually camelCase: costInBillingCurrency, billingCurrency,
//               billingProfileId, paygCostInBillingCurrency, exchangeRatePricingToBilling, …
//   azure-payg  the legacy pay-as-you-go usage export: PreTaxCost, UsageDateTime, SubscriptionGuid, InstanceId, …
//
// One mapper serves the three; what differs is which columns carry the cost, the currency, the billing account and
// the list price. Headers are found case-insensitively, BOM-free, and by the English name a localised header carries
// in parentheses ("Abonnement-GUID (SubscriptionGuid)"); JSON/Parquet keys under "properties." are found too.
//
// Decisions worth knowing (see also gaps()):
// - Actual vs amortized. An export is one of Microsoft's two datasets. Each row is mapped by the finops-toolkit rules
//   (docs-mslearn/focus/convert.md): BilledCost = cost except 0 on usage covered by a reservation or savings plan
//   (and on Unused* rows, which FOCUS bills on the purchase); EffectiveCost = cost except 0 on Purchase/Refund rows
//   of a reservation or savings plan. So over an ACTUAL export (covered usage costs 0 there) the BilledCost total is
//   the file's cost total, and over an AMORTIZED export (no commitment purchases there) the EffectiveCost total is.
//   Which dataset the file is comes from its rows (Unused* rows or covered usage with a cost → amortized; commitment
//   purchases/refunds with a cost → actual) and is reported in gaps() and in vendorTotals().
// - Quantity is in UnitOfMeasure blocks: cost = Quantity × price per block ("10K" meters: Quantity 0.0129 at
//   0.004379084 per 10K costs 0.0000564902). The real EA sample and Microsoft's own FOCUS export show this
//   (Microsoft's FOCUS ContractedCost = UnitPrice × Quantity / block is off by the block size there). So
//   PricingQuantity = Quantity, PricingUnit = "<block> <unit>" ("10000 Units"), ConsumedQuantity = Quantity × block
//   in the distinct unit, using Microsoft's PricingUnits.csv (resources/azure/), and ContractedCost = UnitPrice ×
//   Quantity, ListCost = PayGPrice × Quantity (EA; MCA has paygCostInBillingCurrency).
// - Azure OpenAI / Foundry token meters ("gpt 4o 0513 Input global Tokens", "gpt 4o 1120 cached Inp glbl Tokens") are
//   read heuristically into SkuPriceDetails (ModelId, TokenDirection, TokenCacheAction, x_DeploymentType); the raw
//   meter stays in x_MeterName. Tokens = Quantity × block; PricingUnit "1000000 Tokens" like every AI format.
// - Refund → ChargeCategory Purchase (negative), ChargeClass Correction only when previousInvoiceId names the invoice
//   it corrects (FOCUS keeps Correction for changes to a closed period; EA files cannot tell). Buying a commitment is
//   PricingCategory Standard (FOCUS: Committed is for charges a commitment covers), covered and Unused rows Committed.
// - CommitmentDiscountQuantity / Unit (FOCUS 1.1+; cost details name neither, Microsoft's own FOCUS export leaves them
//   empty): derived as Microsoft's FinOps toolkit does for exports without them. Reservations count in the meter's
//   distinct unit (covered usage: ConsumedQuantity × RINormalizationRatio from AdditionalInfo; UnusedReservation:
//   Quantity × block), savings plans in the billing currency (the row's cost: covered and unused at their amortized
//   cost, a purchase or refund at its amount). Null where the export does not tell: reservation purchases and refunds
//   (their Quantity counts reservations, not hours; FOCUS's own Azure example leaves them null too) and savings-plan
//   rows costing 0 (covered usage in the actual-cost export). The columns are always emitted, null on other rows.
// - SkuPriceId = MeterId (Azure prices by meter); SkuId = ProductId (MCA), else MeterId, PartNumber or ProductName.
//   Rows without a unit price (purchases, Marketplace, Tax) get ListCost/ContractedCost = the row's cost.
// - A row with an empty currency. Microsoft documents none; opencost's BOM.csv sample has one, filled but for its date
//   (a placeholder line of a header test: no meter, no quantity, no cost; opencost's own parser drops it as a cost it
//   cannot read). A row with no money (cost, prices and PAYG cost empty or 0) is skipped and counted in gaps(). A row
//   that does carry money takes the file's billing currency, when its other rows name exactly one, and says so; with
//   none or several the currency is unknown and the row is an error. Money is never dropped.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MappingRowError,
  MappingSetupError,
  type BillFormat,
  type EmitRow,
  type MappingGap,
  type RowMapper,
  type TableSample,
  type VendorTotal,
} from './types';
import {
  Columns,
  DecimalSum,
  addDays,
  decCmp,
  decDiv,
  decIsZero,
  decMul,
  decShift,
  decText,
  focusDateTime,
  monthBounds,
  parseDec,
  parseVendorDateTime,
  tagsToJson,
  type Dec,
  type SlashOrder,
  isPlainDecimal,
} from './values';

type Kind = 'ea' | 'mca' | 'payg';

// ---------------------------------------------------------------------------------------------------------------
// Resources: Microsoft's PricingUnits.csv (finops-toolkit open data, MIT), read once per process

const PRICING_UNITS_FILE = 'PricingUnits.csv';

/**
 * The repository's resources/ folder. MB_RESOURCES_DIR wins; otherwise it is found above this module: three folders
 * up from source (src-main/ingest/formats/), two from the bundle (every main chunk sits flat in out/main/, see
 * electron.vite.config.ts), so the first of those holding azure/PricingUnits.csv is taken.
 */
export function azureResourcesDir(): string {
  const env = process.env.MB_RESOURCES_DIR;
  if (env) return env;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromSource = path.resolve(here, '../../../resources');
  for (const dir of [fromSource, path.resolve(here, '../../resources')]) {
    if (fs.existsSync(path.join(dir, 'azure', PRICING_UNITS_FILE))) return dir;
  }
  return fromSource;
}

interface PricingUnit {
  block: string;
  unit: string;
}

let pricingUnits: Map<string, PricingUnit> | null = null;

/** Quoted-field CSV line split (the file has "MCA, EA" cells and no embedded newlines). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** UnitOfMeasure (trimmed, lower case) → block size and distinct unit, from resources/azure/PricingUnits.csv. */
export function loadPricingUnits(): Map<string, PricingUnit> {
  if (pricingUnits) return pricingUnits;
  const file = path.join(azureResourcesDir(), 'azure', PRICING_UNITS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Azure pricing units not found at ${file} (set MB_RESOURCES_DIR): ${(e as Error).message}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const head = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const iUnit = head.indexOf('unitofmeasure');
  const iBlock = head.indexOf('pricingblocksize');
  const iDistinct = head.indexOf('distinctunits');
  if (iUnit < 0 || iBlock < 0 || iDistinct < 0) throw new Error(`${file}: unexpected header ${lines[0]}`);
  const map = new Map<string, PricingUnit>();
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const f = splitCsvLine(line);
    const key = (f[iUnit] ?? '').trim().toLowerCase();
    const block = (f[iBlock] ?? '').trim();
    if (!parseDec(block) || map.has(key)) continue;
    map.set(key, { block, unit: (f[iDistinct] ?? '').trim() });
  }
  pricingUnits = map;
  return map;
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups (small, built in)

/**
 * ConsumedService → [ServiceName, ServiceCategory, ServiceSubcategory]: the most common mapping per resource provider
 * in Microsoft's finops-toolkit src/open-data/Services.csv (MIT), for the providers that bill most. Services.csv
 * also keys on ResourceType, which EA/MCA exports lack.
 */
const SERVICES: Record<string, readonly [string, string, string]> = {
  'microsoft.compute': ['Virtual Machines', 'Compute', 'Virtual Machines'],
  'microsoft.classiccompute': ['Virtual Machines', 'Compute', 'Virtual Machines'],
  'microsoft.network': ['Virtual Network', 'Networking', 'Network Infrastructure'],
  'microsoft.classicnetwork': ['Virtual Network', 'Networking', 'Network Infrastructure'],
  'microsoft.storage': ['Storage Accounts', 'Storage', 'Storage Platforms'],
  'microsoft.classicstorage': ['Storage Accounts', 'Storage', 'Storage Platforms'],
  'microsoft.sql': ['Azure SQL Database', 'Databases', 'Relational Databases'],
  'microsoft.dbforpostgresql': ['Azure DB for PostgreSQL', 'Databases', 'Relational Databases'],
  'microsoft.dbformysql': ['Azure DB for MySQL', 'Databases', 'Relational Databases'],
  'microsoft.dbformariadb': ['Azure DB for MariaDB', 'Databases', 'Relational Databases'],
  'microsoft.documentdb': ['Cosmos DB', 'Databases', 'NoSQL Databases'],
  'microsoft.cache': ['Azure Cache for Redis', 'Databases', 'Caching'],
  'microsoft.web': ['Azure App Service', 'Web', 'Application Platforms'],
  'microsoft.containerservice': ['Azure Kubernetes Service', 'Compute', 'Containers'],
  'microsoft.containerregistry': ['Azure Container Registry', 'Compute', 'Containers'],
  'microsoft.containerinstance': ['Azure Container Instances', 'Compute', 'Containers'],
  'microsoft.app': ['Azure Container Apps', 'Compute', 'Containers'],
  'microsoft.keyvault': ['Key Vault', 'Security', 'Secret Management'],
  'microsoft.insights': ['Azure Monitor', 'Management and Governance', 'Observability'],
  'microsoft.operationalinsights': ['Azure Monitor', 'Management and Governance', 'Observability'],
  'microsoft.monitor': ['Azure Monitor', 'Management and Governance', 'Observability'],
  'microsoft.eventhub': ['Event Hubs', 'Integration', 'Messaging'],
  'microsoft.servicebus': ['Service Bus', 'Integration', 'Messaging'],
  'microsoft.eventgrid': ['Event Grid', 'Integration', 'Messaging'],
  'microsoft.relay': ['Azure Relay', 'Integration', 'Messaging'],
  'microsoft.notificationhubs': ['Notification Hubs', 'Integration', 'Messaging'],
  'microsoft.communication': ['Azure Communication Services', 'Integration', 'Messaging'],
  'microsoft.logic': ['Logic Apps', 'Integration', 'Workflow Orchestration'],
  'microsoft.automation': ['Azure Automation', 'Integration', 'Workflow Orchestration'],
  'microsoft.datafactory': ['Azure Data Factory', 'Integration', 'Workflow Orchestration'],
  'microsoft.apimanagement': ['API Management', 'Integration', 'API Management'],
  'microsoft.databricks': ['Azure Databricks', 'Analytics', 'Data Processing'],
  'microsoft.synapse': ['Azure Synapse Analytics', 'Analytics', 'Analytics Platforms'],
  'microsoft.hdinsight': ['HDInsight', 'Analytics', 'Data Processing'],
  'microsoft.kusto': ['Azure Data Explorer', 'Analytics', 'Analytics Platforms'],
  'microsoft.streamanalytics': ['Azure Stream Analytics', 'Analytics', 'Streaming Analytics'],
  'microsoft.search': ['Azure AI Search', 'Analytics', 'Search'],
  'microsoft.powerbidedicated': ['Power BI Embedded', 'Analytics', 'Business Intelligence'],
  'microsoft.fabric': ['Microsoft Fabric', 'Analytics', 'Analytics Platforms'],
  'microsoft.purview': ['Microsoft Purview', 'Management and Governance', 'Data Governance'],
  'microsoft.cognitiveservices': ['Azure AI Services', 'AI and Machine Learning', 'AI Platforms'],
  'microsoft.machinelearningservices': ['Azure Machine Learning', 'AI and Machine Learning', 'Machine Learning'],
  'microsoft.botservice': ['Azure AI Bot Service', 'AI and Machine Learning', 'Bots'],
  'microsoft.cdn': ['Content Delivery Network', 'Networking', 'Content Delivery'],
  'microsoft.recoveryservices': ['Azure Site Recovery', 'Management and Governance', 'Disaster Recovery'],
  'microsoft.dataprotection': ['Azure Backup', 'Storage', 'Backup Storage'],
  'microsoft.netapp': ['Azure NetApp Files', 'Storage', 'File Storage'],
  'microsoft.security': ['Microsoft Defender for Cloud', 'Security', 'Security Posture Management'],
  'microsoft.signalrservice': ['Azure SignalR Service', 'Web', 'Other (Web)'],
  'microsoft.devices': ['Azure IoT Hub', 'Internet of Things', 'IoT Platforms'],
  'microsoft.desktopvirtualization': ['Azure Virtual Desktop', 'Compute', 'End User Computing'],
  'microsoft.hybridcompute': ['Azure Arc', 'Multicloud', 'Multicloud Integration'],
  'microsoft.azurearcdata': ['Azure Arc', 'Multicloud', 'Multicloud Integration'],
  'microsoft.capacity': ['Azure Reservations', 'Management and Governance', 'Cost Management'],
  'microsoft.billingbenefits': ['Azure Savings Plan for Compute', 'Compute', 'Other (Compute)'],
  'microsoft.saas': ['Azure Marketplace', 'Other', 'Other (Other)'],
};

/** MeterCategory → [ServiceCategory, ServiceSubcategory] when ConsumedService is unknown (ServiceName = MeterCategory). */
const METER_CATEGORIES: Record<string, readonly [string, string]> = {
  'virtual machines': ['Compute', 'Virtual Machines'],
  'virtual machine licenses': ['Compute', 'Virtual Machines'],
  'cloud services': ['Compute', 'Other (Compute)'],
  functions: ['Compute', 'Serverless Compute'],
  'azure kubernetes service': ['Compute', 'Containers'],
  'container instances': ['Compute', 'Containers'],
  storage: ['Storage', 'Storage Platforms'],
  backup: ['Storage', 'Backup Storage'],
  bandwidth: ['Networking', 'Network Connectivity'],
  'virtual network': ['Networking', 'Network Infrastructure'],
  'load balancer': ['Networking', 'Network Infrastructure'],
  'vpn gateway': ['Networking', 'Network Connectivity'],
  'application gateway': ['Networking', 'Network Infrastructure'],
  'azure firewall': ['Networking', 'Network Security'],
  'azure dns': ['Networking', 'Network Routing'],
  'network watcher': ['Networking', 'Other (Networking)'],
  'ip addresses': ['Networking', 'Network Infrastructure'],
  'sql database': ['Databases', 'Relational Databases'],
  'azure cosmos db': ['Databases', 'NoSQL Databases'],
  'redis cache': ['Databases', 'Caching'],
  'azure monitor': ['Management and Governance', 'Observability'],
  'log analytics': ['Management and Governance', 'Observability'],
  'event hubs': ['Integration', 'Messaging'],
  'service bus': ['Integration', 'Messaging'],
  'azure openai': ['AI and Machine Learning', 'Generative AI'],
  'foundry models': ['AI and Machine Learning', 'Generative AI'],
  'cognitive services': ['AI and Machine Learning', 'AI Platforms'],
  'azure app service': ['Web', 'Application Platforms'],
  'key vault': ['Security', 'Secret Management'],
};

/**
 * Display-style resource locations ("US East", "EU West") → ARM region ids, from finops-toolkit
 * src/open-data/Regions.csv (MIT): the entries whose id is not the name lower-cased without spaces.
 */
const REGION_ALIASES: Record<string, string> = {
  aecentral: 'uaecentral', aenorth: 'uaenorth', apeast: 'eastasia', apsoutheast: 'southeastasia',
  ateast: 'austriaeast', aucentral: 'australiacentral', aucentral2: 'australiacentral2', aueast: 'australiaeast',
  ausoutheast: 'australiasoutheast', becentral: 'belgiumcentral', brsouth: 'brazilsouth',
  brsoutheast: 'brazilsoutheast', cacentral: 'canadacentral', caeast: 'canadaeast', chnorth: 'switzerlandnorth',
  chwest: 'switzerlandwest', clcentral: 'chilecentral', cneast: 'chinaeast', cneast2: 'chinaeast2',
  cneast3: 'chinaeast3', cnnorth: 'chinanorth', cnnorth2: 'chinanorth2', cnnorth3: 'chinanorth3',
  decentral: 'germanycentral', denorth: 'germanynorth', denortheast: 'germanynortheast',
  dewestcentral: 'germanywestcentral', escentral: 'spaincentral', eunorth: 'northeurope', euwest: 'westeurope',
  ficentral: 'finlandcentral', frcentral: 'francecentral', frsouth: 'francesouth', grcentral: 'greececentral',
  hongkong: 'eastasia', idcentral: 'indonesiacentral', ilcentral: 'israelcentral', incentral: 'centralindia',
  incentraljio: 'jioindiacentral', insouth: 'southindia', insouthcentral: 'indiasouthcentral', inwest: 'westindia',
  inwestjio: 'jioindiawest', itnorth: 'italynorth', jaeast: 'japaneast', jawest: 'japanwest',
  krcentral: 'koreacentral', krsouth: 'koreasouth', mxcentral: 'mexicocentral', mywest: 'malaysiawest',
  noeast: 'norwayeast', nowest: 'norwaywest', nznorth: 'newzealandnorth', plcentral: 'polandcentral',
  qacentral: 'qatarcentral', saeast: 'saudiarabiaeast', saopaulo: 'brazilsouth', secentral: 'swedencentral',
  sesouth: 'swedensouth', siliconvalley: 'westus', twnorth: 'taiwannorth', uscentral: 'centralus', useast: 'eastus',
  useast2: 'eastus2', useast3: 'eastus3', usgovaz: 'usgovarizona', usgovtx: 'usgovtexas',
  usnorthcentral: 'northcentralus', ussouthcentral: 'southcentralus', uswest: 'westus', uswest2: 'westus2',
  uswest3: 'westus3', uswestcentral: 'westcentralus', usgovsouthcentral: 'usgovtexas', zanorth: 'southafricanorth',
  zawest: 'southafricawest',
};

/** Locations that are not a region. */
const NO_REGION = new Set(['', 'global', 'unknown', 'unassigned', 'allregions', 'intercontinental', 'zone1', 'n/a']);

// ---------------------------------------------------------------------------------------------------------------
// Azure OpenAI / Foundry token meters

interface TokenMeter {
  skuMeter: string;
  details: string;
}

const DIRECTION_WORDS: Record<string, 'Input' | 'Output'> = {
  input: 'Input', inp: 'Input', in: 'Input', prompt: 'Input',
  output: 'Output', outp: 'Output', out: 'Output', completion: 'Output', completions: 'Output',
};
const CACHE_WORDS = new Set(['cached', 'cache', 'cchd', 'cchd.']);
const DEPLOYMENT_WORDS: Record<string, string> = {
  global: 'Global', glbl: 'Global', glb: 'Global', gl: 'Global',
  regional: 'Regional', regnl: 'Regional', rgnl: 'Regional', regn: 'Regional', reg: 'Regional',
  datazone: 'Data Zone', dzone: 'Data Zone', dz: 'Data Zone', dzn: 'Data Zone',
};
const AUDIO_WORDS = new Set(['aud', 'audio']);

/**
 * Reads "(model words) [version] [Batch] [cached] (Input|Inp|Output|Outp…) (global|glbl|regional|DZone…) Tokens"
 * [U: Microsoft publishes no grammar; the words seen are in the tests]. null when the meter is not a token meter.
 */
export function parseTokenMeter(meterName: string): TokenMeter | null {
  const words = meterName.trim().split(/\s+/);
  const last = words[words.length - 1]?.toLowerCase();
  if (words.length < 2 || (last !== 'tokens' && last !== 'token')) return null;
  const model: string[] = [];
  let direction: 'Input' | 'Output' | '' = '';
  let cached = false;
  let deployment = '';
  let batch = false;
  let audio = false;
  let inModel = true;
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i]!.toLowerCase();
    const next = words[i + 1]?.toLowerCase();
    if (DIRECTION_WORDS[w] && !(w === 'in' && inModel && model.length === 0)) {
      direction = DIRECTION_WORDS[w];
      inModel = false;
    } else if (CACHE_WORDS.has(w)) {
      cached = true;
      inModel = false;
    } else if (DEPLOYMENT_WORDS[w]) {
      deployment = DEPLOYMENT_WORDS[w];
      inModel = false;
    } else if (w === 'data' && next === 'zone') {
      deployment = 'Data Zone';
      inModel = false;
      i++;
    } else if (w === 'batch') {
      batch = true;
      inModel = false;
    } else {
      if (AUDIO_WORDS.has(w)) audio = true;
      if (inModel) model.push(w);
    }
  }
  if (cached && direction === '') direction = 'Input';
  let version = '';
  if (model.length > 1 && /^\d{4}$/.test(model[model.length - 1]!)) version = model.pop()!;
  const details: Record<string, string | boolean> = {};
  if (model.length > 0) details.ModelId = model.join('-');
  if (version) details.ModelVersion = version;
  if (direction) details.TokenDirection = direction;
  if (direction === 'Input') details.TokenCacheAction = cached ? 'Read' : 'Uncached';
  if (deployment) details.x_DeploymentType = deployment;
  if (batch) details.x_Batch = true;
  if (audio) details.x_Modality = 'Audio';
  const prefix = audio ? 'Audio ' : '';
  const skuMeter =
    direction === 'Output'
      ? `${prefix}Output Tokens`
      : direction === 'Input'
        ? cached
          ? `${prefix}Cache Read Input Tokens`
          : `${prefix}Input Tokens`
        : meterName.trim();
  return { skuMeter, details: JSON.stringify(details) };
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

const AZURE_HINTS = [
  'MeterCategory', 'MeterSubCategory', 'MeterId', 'MeterName', 'MeterRegion', 'ConsumedService', 'ResourceLocation',
  'UnitOfMeasure', 'AdditionalInfo', 'SubscriptionId', 'SubscriptionGuid', 'ResourceGroup', 'ResourceGroupName',
  'InstanceId', 'ServiceInfo1',
];
const EA_MARKERS = ['BillingCurrencyCode', 'AccountOwnerId', 'AccountName', 'PartNumber', 'OfferId'];
const MCA_MARKERS = [
  'paygCostInBillingCurrency', 'exchangeRatePricingToBilling', 'pricingCurrency', 'costInUsd', 'costInPricingCurrency',
  'invoiceId', 'previousInvoiceId', 'ProductId', 'publisherId', 'servicePeriodStartDate', 'partnerName',
  'customerTenantId', 'resellerName', 'resellerMpnId',
];

/** Header names with JSON's "properties." prefix (usage details API pages) removed. */
function lookupHeader(header: readonly string[]): string[] {
  return header.map((h) => (/^properties\./i.test(h) ? h.slice(11) : h));
}

function classify(header: readonly string[]): { kind: Kind; score: number } | null {
  const names = lookupHeader(header);
  const cols = new Columns(names);
  const hints = cols.count(AZURE_HINTS);
  if (hints < 2) return null;
  const score = 0.7 + 0.3 * Math.min(1, (hints - 2) / 6);
  if (cols.has('CostInBillingCurrency')) {
    if (!cols.has('Date', 'UsageDateTime')) return null;
    // EA writes BillingCurrencyCode and PascalCase names; MCA/partner files BillingCurrency, camelCase names and
    // columns of their own (paygCostInBillingCurrency, exchangeRatePricingToBilling, invoiceId, partnerName, …)
    const mca = cols.count(MCA_MARKERS);
    const camel = names.some((h) => h.replace(/^\uFEFF/, '').trim() === 'costInBillingCurrency');
    const kind: Kind = cols.has('BillingCurrencyCode')
      ? mca >= 2 && cols.count(EA_MARKERS) < 2
        ? 'mca'
        : 'ea'
      : mca > 0 || camel || cols.has('BillingCurrency')
        ? 'mca'
        : 'ea';
    return { kind, score };
  }
  if (cols.has('PreTaxCost') && cols.has('UsageDateTime', 'SubscriptionGuid')) return { kind: 'payg', score };
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Output columns

const COLUMNS = [
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ListUnitPrice', 'ContractedUnitPrice',
  'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'PricingCategory',
  'PricingQuantity', 'PricingUnit', 'ConsumedQuantity', 'ConsumedUnit',
  'CommitmentDiscountId', 'CommitmentDiscountName', 'CommitmentDiscountType', 'CommitmentDiscountCategory',
  'CommitmentDiscountStatus', 'CommitmentDiscountQuantity', 'CommitmentDiscountUnit',
  'BillingAccountId', 'BillingAccountName', 'SubAccountId', 'SubAccountName', 'InvoiceId', 'InvoiceIssuerName',
  'ServiceProviderName', 'HostProviderName', 'ProviderName', 'PublisherName',
  'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'RegionId', 'RegionName', 'AvailabilityZone',
  'ResourceId', 'ResourceName', 'ResourceType', 'SkuId', 'SkuPriceId', 'SkuMeter', 'SkuPriceDetails', 'Tags',
  'x_ChargeType', 'x_PricingModel', 'x_ConsumedService', 'x_MeterCategory', 'x_MeterSubCategory', 'x_MeterId',
  'x_MeterName', 'x_MeterRegion', 'x_UnitOfMeasure', 'x_PricingBlockSize', 'x_ResourceGroupName', 'x_CostCenter',
  'x_InvoiceSectionName', 'x_AccountName', 'x_PartNumber', 'x_Term', 'x_PublisherType', 'x_BillingAccountId',
  'x_BillingProfileId', 'x_PricingCurrency', 'x_ExchangeRatePricingToBilling', 'x_ServiceTier', 'x_AdditionalInfo',
] as const;

type ColumnName = (typeof COLUMNS)[number];
const K = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<ColumnName, number>;

// ---------------------------------------------------------------------------------------------------------------
// Small value helpers

type ChargeType =
  | 'usage'
  | 'purchase'
  | 'refund'
  | 'tax'
  | 'credit'
  | 'unusedreservation'
  | 'unusedsavingsplan'
  | 'roundingadjustment'
  | 'other';
type PricingModel = 'ondemand' | 'reservation' | 'savingsplan' | 'spot' | '' | 'other';

const CHARGE_TYPES = new Set<string>([
  'usage', 'purchase', 'refund', 'tax', 'credit', 'unusedreservation', 'unusedsavingsplan', 'roundingadjustment',
]);
const PRICING_MODELS = new Set<string>(['ondemand', 'reservation', 'savingsplan', 'spot']);

function squash(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

const ONE: Dec = { coef: 1n, scale: 0 };
const MILLION: Dec = { coef: 1000000n, scale: 0 };

interface UnitInfo {
  block: Dec;
  blockIsOne: boolean;
  blockText: string;
  /** Distinct unit ("Hours", "Units", "GB/Month"). */
  unit: string;
  /** FOCUS PricingUnit: the unit the price is per ("Hours", "10000 Units"). */
  pricingUnit: string;
  known: boolean;
}

function unitFromText(raw: string, table: Map<string, PricingUnit>): UnitInfo {
  const key = raw.trim().toLowerCase();
  const hit = table.get(key);
  let blockText: string;
  let unit: string;
  let known = true;
  if (hit) {
    blockText = hit.block;
    unit = hit.unit;
  } else {
    known = key === '';
    // "<n>[K|M] <unit>" as the table writes them; anything else is one unit of itself
    const m = /^(\d+(?:\.\d+)?)\s*([KkMm]?)\b\s*(.*)$/.exec(raw.trim());
    if (m) {
      const mult = m[2] === '' ? 1n : m[2]!.toLowerCase() === 'k' ? 1000n : 1000000n;
      const d = parseDec(m[1]!)!;
      blockText = decText({ coef: d.coef * mult, scale: d.scale });
      unit = m[3]!.trim() || 'Units';
    } else {
      blockText = '1';
      unit = raw.trim() || 'Units';
    }
  }
  const block = parseDec(blockText)!;
  const blockIsOne = block.coef === 10n ** BigInt(block.scale);
  return { block, blockIsOne, blockText, unit, pricingUnit: blockIsOne ? unit : `${blockText} ${unit}`, known };
}

function lastSegment(id: string): string {
  const t = id.endsWith('/') ? id.slice(0, -1) : id;
  const i = t.lastIndexOf('/');
  return i < 0 ? t : t.slice(i + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// The mapper

class AzureCostMapper implements RowMapper {
  readonly columns = COLUMNS;

  private readonly names: string[];
  private readonly out: string[] = new Array<string>(COLUMNS.length).fill('');
  private readonly slash: SlashOrder;
  private readonly units: Map<string, PricingUnit>;

  // source column indexes (-1 = absent)
  private readonly iCost: number;
  private readonly iDate: number;
  private readonly iCurrency: number;
  private readonly iBpStart: number;
  private readonly iBpEnd: number;
  private readonly iChargeType: number;
  private readonly iPricingModel: number;
  private readonly iFrequency: number;
  private readonly iQuantity: number;
  private readonly iUnit: number;
  private readonly iUnitPrice: number;
  private readonly iPayGPrice: number;
  private readonly iPaygCost: number;
  private readonly iRate: number;
  private readonly iPricingCurrency: number;
  private readonly iSubId: number;
  private readonly iSubName: number;
  private readonly iAccountId: number;
  private readonly iAccountName: number;
  private readonly iRawBillingAccountId: number;
  private readonly iRawBillingProfileId: number;
  private readonly iPartner: number;
  private readonly iPublisherName: number;
  private readonly iPublisherType: number;
  private readonly iMeterCategory: number;
  private readonly iMeterSub: number;
  private readonly iMeterId: number;
  private readonly iMeterName: number;
  private readonly iMeterRegion: number;
  private readonly iConsumedService: number;
  private readonly iResourceId: number;
  private readonly iResourceName: number;
  private readonly iResourceType: number;
  private readonly iResourceGroup: number;
  private readonly iLocation: number;
  private readonly iLocationName: number;
  private readonly iZone: number;
  private readonly iTags: number;
  private readonly iAdditionalInfo: number;
  private readonly iCostCenter: number;
  private readonly iInvoiceSection: number;
  private readonly iAccountNameEa: number;
  private readonly iPartNumber: number;
  private readonly iProductName: number;
  private readonly iProductId: number;
  private readonly iInvoiceId: number;
  private readonly iPreviousInvoiceId: number;
  private readonly iTerm: number;
  private readonly iBenefitId: number;
  private readonly iBenefitName: number;
  private readonly iReservationId: number;
  private readonly iReservationName: number;
  private readonly iServiceTier: number;

  // caches (distinct values are few: dates, units, meters, services, tags of the same resources)
  private readonly dayCache = new Map<string, readonly [string, string, number]>();
  private readonly bpStartCache = new Map<string, string>();
  private readonly bpEndCache = new Map<string, string>();
  private readonly unitCache = new Map<string, UnitInfo>();
  private readonly tokenCache = new Map<string, TokenMeter | null>();
  private readonly serviceCache = new Map<string, Map<string, readonly [string, string, string]>>();
  private readonly regionCache = new Map<string, string>();
  private readonly resourceTypeCache = new Map<string, string>();
  private readonly tagCache = new Map<string, string | null>();
  private readonly chargeTypeCache = new Map<string, ChargeType>();
  private readonly pricingModelCache = new Map<string, PricingModel>();
  private readonly frequencyCache = new Map<string, string>();
  private readonly commitmentTypeCache = new Map<string, string>();
  private lastCurrencyRaw = '\u0000';
  private lastCurrency = '';
  /** Currencies named in the sample rows (the first rows of the file), and in every row read so far. */
  private readonly sampleCurrencies = new Set<string>();
  private readonly currencies = new Set<string>();

  // vendor totals and what the rows tell about the file
  private readonly costSum = new DecimalSum();
  private amortizedRows = 0;
  private actualRows = 0;
  private coveredZeroRows = 0;
  private emptyCost = 0;
  private billingPeriodFromDate = 0;
  private noBillingAccount = 0;
  private badTags = 0;
  private firstBadTagsRow = 0;
  private unknownUnits = new Set<string>();
  private listFromCost = 0;
  private contractedFromCost = 0;
  private noRate = 0;
  private tokenRows = 0;
  // commitment discount quantities that could not be filled, and the unit each commitment was measured in
  private spendWithoutCost = 0;
  private reservationPurchases = 0;
  private reservationUsageWithoutQuantity = 0;
  private normalizedRows = 0;
  private readonly commitmentUnits = new Map<string, string>();
  private readonly mixedUnitCommitments = new Map<string, Set<string>>();
  private readonly ratioCache = new Map<string, Dec | null>();
  private serviceFallback = 0;
  private refunds = 0;
  private corrections = 0;
  private unknownChargeTypes = new Set<string>();
  // rows without a currency: skipped (no money) or given the file's currency (money)
  private noMoneySkipped = 0;
  private firstNoMoneySkipped = 0;
  private skippedBlank = 0;
  private skippedWithQuantity = 0;
  private currencyFilled = 0;
  private firstCurrencyFilled = 0;
  private filledCurrency = '';
  private readonly filledCost = new DecimalSum();

  constructor(
    sample: TableSample,
    private readonly kind: Kind,
  ) {
    this.names = sample.header.map((h) => h.replace(/^\uFEFF/, '').trim());
    const cols = new Columns(lookupHeader(sample.header));
    const f = (...n: string[]) => cols.find(...n);
    const payg = kind === 'payg';
    this.iCost = payg ? f('PreTaxCost') : f('CostInBillingCurrency');
    if (this.iCost < 0) {
      throw new MappingSetupError(`The file has no ${payg ? 'PreTaxCost' : 'CostInBillingCurrency'} column`);
    }
    this.iDate = payg ? f('UsageDateTime', 'Date') : f('Date', 'UsageDateTime');
    if (this.iDate < 0) throw new MappingSetupError(`The file has no ${payg ? 'UsageDateTime' : 'Date'} column`);
    this.iCurrency = f('BillingCurrencyCode', 'BillingCurrency', 'Currency');
    if (this.iCurrency < 0) {
      const name = kind === 'ea' ? 'BillingCurrencyCode' : payg ? 'Currency' : 'BillingCurrency';
      throw new MappingSetupError(`The file has no ${name} column: the billing currency is unknown`);
    }
    this.iBpStart = f('BillingPeriodStartDate');
    this.iBpEnd = f('BillingPeriodEndDate');
    this.iChargeType = f('ChargeType');
    this.iPricingModel = f('PricingModel');
    this.iFrequency = f('Frequency');
    this.iQuantity = f('Quantity', 'UsageQuantity', 'ConsumedQuantity');
    this.iUnit = f('UnitOfMeasure');
    this.iUnitPrice = payg ? f('ResourceRate', 'UnitPrice') : f('UnitPrice');
    this.iPayGPrice = payg ? f('ResourceRate', 'PayGPrice') : f('PayGPrice');
    this.iPaygCost = kind === 'mca' ? f('paygCostInBillingCurrency') : -1;
    this.iRate = kind === 'mca' ? f('exchangeRatePricingToBilling') : -1;
    this.iPricingCurrency = kind === 'mca' ? f('pricingCurrency', 'PricingCurrencyCode') : -1;
    this.iSubId = f('SubscriptionId', 'SubscriptionGuid');
    // the legacy pay-as-you-go export names no subscription: its id is the only name there is
    this.iSubName = cols.has('SubscriptionName') ? f('SubscriptionName') : this.iSubId;
    this.iRawBillingAccountId = f('BillingAccountId');
    this.iRawBillingProfileId = f('BillingProfileId');
    if (kind === 'mca') {
      this.iAccountId = f('BillingProfileId', 'BillingAccountId');
      this.iAccountName = cols.has('BillingProfileId') ? f('BillingProfileName') : f('BillingAccountName');
    } else if (kind === 'ea') {
      this.iAccountId = f('BillingAccountId', 'BillingProfileId');
      this.iAccountName = cols.has('BillingAccountId') ? f('BillingAccountName') : f('BillingProfileName');
    } else {
      // a pay-as-you-go subscription is its own billing account: each is invoiced on its own
      this.iAccountId = f('BillingAccountId', 'SubscriptionGuid', 'SubscriptionId');
      this.iAccountName = f('BillingAccountName', 'SubscriptionName', 'SubscriptionGuid', 'SubscriptionId');
    }
    this.iPartner = f('PartnerName');
    this.iPublisherName = f('PublisherName');
    this.iPublisherType = f('PublisherType');
    this.iMeterCategory = f('MeterCategory');
    this.iMeterSub = f('MeterSubCategory');
    this.iMeterId = f('MeterId');
    this.iMeterName = f('MeterName');
    this.iMeterRegion = f('MeterRegion');
    this.iConsumedService = f('ConsumedService');
    this.iResourceId = f('ResourceId', 'InstanceId', 'InstanceName');
    this.iResourceName = f('ResourceName');
    this.iResourceType = f('ResourceType');
    this.iResourceGroup = f('ResourceGroup', 'ResourceGroupName');
    this.iLocation = f('ResourceLocation', 'Location');
    this.iLocationName = f('Location', 'ResourceLocation');
    this.iZone = f('AvailabilityZone');
    this.iTags = f('Tags');
    this.iAdditionalInfo = f('AdditionalInfo');
    this.iCostCenter = f('CostCenter');
    this.iInvoiceSection = f('InvoiceSectionName', 'InvoiceSection', 'DepartmentName');
    this.iAccountNameEa = f('AccountName');
    this.iPartNumber = f('PartNumber');
    this.iProductName = f('ProductName', 'Product');
    this.iProductId = f('ProductId');
    this.iInvoiceId = f('InvoiceId');
    this.iPreviousInvoiceId = f('PreviousInvoiceId');
    this.iTerm = f('Term');
    this.iBenefitId = f('BenefitId');
    this.iBenefitName = f('BenefitName');
    this.iReservationId = f('ReservationId');
    this.iReservationName = f('ReservationName');
    this.iServiceTier = f('ServiceTier');
    this.slash = detectSlashOrder(sample, [this.iDate, this.iBpStart, this.iBpEnd]);
    this.units = loadPricingUnits();
    for (const row of sample.rows) {
      const c = (row[this.iCurrency] ?? '').trim().toUpperCase();
      if (c !== '') this.sampleCurrencies.add(c);
    }
  }

  private cell(cells: readonly string[], i: number): string {
    return i < 0 ? '' : (cells[i] ?? '');
  }

  /** A number cell: null when empty, MappingRowError when it is not a number. */
  private num(cells: readonly string[], i: number, rowNo: number): Dec | null {
    if (i < 0) return null;
    const t = cells[i] ?? '';
    if (t === '') return null;
    const d = parseDec(t);
    if (d) return d;
    if (t.trim() === '') return null;
    throw new MappingRowError(rowNo, this.names[i] ?? null, `${this.names[i]} '${t}' is not a number`);
  }

  private dateError(rowNo: number, i: number, text: string): MappingRowError {
    return new MappingRowError(rowNo, this.names[i] ?? null, `${this.names[i]} '${text}' is not a date`);
  }

  /** [start, end (+1 day), start seconds] of the day a Date cell names. */
  private day(text: string, rowNo: number): readonly [string, string, number] {
    let hit = this.dayCache.get(text);
    if (hit) return hit;
    const secs = parseVendorDateTime(text, this.slash);
    if (secs === null) throw this.dateError(rowNo, this.iDate, text);
    const start = secs - (((secs % 86400) + 86400) % 86400);
    hit = [focusDateTime(start), focusDateTime(addDays(start, 1)), start];
    if (this.dayCache.size > 4096) this.dayCache.clear();
    this.dayCache.set(text, hit);
    return hit;
  }

  private billingDate(cache: Map<string, string>, i: number, text: string, plusDays: number, rowNo: number): string {
    let hit = cache.get(text);
    if (hit !== undefined) return hit;
    const secs = parseVendorDateTime(text, this.slash);
    if (secs === null) throw this.dateError(rowNo, i, text);
    hit = focusDateTime(addDays(secs, plusDays));
    if (cache.size > 1024) cache.clear();
    cache.set(text, hit);
    return hit;
  }

  private chargeType(raw: string): ChargeType {
    let hit = this.chargeTypeCache.get(raw);
    if (hit) return hit;
    const s = squash(raw);
    hit = s === '' ? 'usage' : CHARGE_TYPES.has(s) ? (s as ChargeType) : 'other';
    if (hit === 'other') this.unknownChargeTypes.add(raw);
    this.chargeTypeCache.set(raw, hit);
    return hit;
  }

  /** FOCUS ChargeFrequency of a Frequency cell, '' when it says nothing we know. */
  private frequency(raw: string): string {
    let hit = this.frequencyCache.get(raw);
    if (hit !== undefined) return hit;
    const f = squash(raw);
    hit = f === 'onetime' ? 'One-Time' : f === 'recurring' ? 'Recurring' : f === 'usagebased' ? 'Usage-Based' : '';
    if (this.frequencyCache.size > 256) this.frequencyCache.clear();
    this.frequencyCache.set(raw, hit);
    return hit;
  }

  private pricingModel(raw: string): PricingModel {
    let hit = this.pricingModelCache.get(raw);
    if (hit !== undefined) return hit;
    const s = squash(raw);
    hit = s === '' ? '' : PRICING_MODELS.has(s) ? (s as PricingModel) : 'other';
    this.pricingModelCache.set(raw, hit);
    return hit;
  }

  private unit(raw: string): UnitInfo {
    let hit = this.unitCache.get(raw);
    if (hit) return hit;
    hit = unitFromText(raw, this.units);
    if (!hit.known) this.unknownUnits.add(raw.trim());
    this.unitCache.set(raw, hit);
    return hit;
  }

  private tokenMeter(meterName: string): TokenMeter | null {
    let hit = this.tokenCache.get(meterName);
    if (hit !== undefined) return hit;
    hit = parseTokenMeter(meterName);
    if (this.tokenCache.size > 4096) this.tokenCache.clear();
    this.tokenCache.set(meterName, hit);
    return hit;
  }

  private service(consumed: string, meterCategory: string, product: string): readonly [string, string, string] {
    let byCategory = this.serviceCache.get(consumed);
    if (!byCategory) {
      if (this.serviceCache.size > 1024) this.serviceCache.clear();
      byCategory = new Map();
      this.serviceCache.set(consumed, byCategory);
    }
    let hit = byCategory.get(meterCategory);
    if (hit) return hit;
    const known = SERVICES[consumed.trim().toLowerCase()];
    if (known) hit = known;
    else {
      this.serviceFallback++;
      const cat = METER_CATEGORIES[meterCategory.trim().toLowerCase()];
      const name = meterCategory.trim() || consumed.trim() || product.trim() || 'Microsoft Azure';
      hit = cat ? [name, cat[0], cat[1]] : [name, 'Other', 'Other (Other)'];
    }
    if (byCategory.size > 1024) byCategory.clear();
    byCategory.set(meterCategory, hit);
    return hit;
  }

  /** ARM type of a resource id: …/providers/Microsoft.Sql/servers/s1/databases/d1 → Microsoft.Sql/servers/databases. */
  private resourceType(id: string): string {
    let hit = this.resourceTypeCache.get(id);
    if (hit !== undefined) return hit;
    const at = id.toLowerCase().lastIndexOf('/providers/');
    hit = '';
    if (at >= 0) {
      const parts = id.slice(at + 11).split('/');
      if (parts.length >= 3) {
        const types = [parts[0]!];
        for (let i = 1; i < parts.length; i += 2) types.push(parts[i]!);
        hit = types.join('/');
      }
    }
    if (this.resourceTypeCache.size > 8192) this.resourceTypeCache.clear();
    this.resourceTypeCache.set(id, hit);
    return hit;
  }

  private region(raw: string): string {
    let hit = this.regionCache.get(raw);
    if (hit !== undefined) return hit;
    const s = raw.toLowerCase().replace(/\s+/g, '');
    hit = NO_REGION.has(s) ? '' : (REGION_ALIASES[s] ?? s);
    this.regionCache.set(raw, hit);
    return hit;
  }

  private tags(raw: string, rowNo: number): string {
    if (raw === '') return '';
    let hit = this.tagCache.get(raw);
    if (hit === undefined) {
      hit = tagsToJson(raw);
      if (this.tagCache.size > 8192) this.tagCache.clear();
      this.tagCache.set(raw, hit);
    }
    if (hit === null) {
      if (this.badTags++ === 0) this.firstBadTagsRow = rowNo;
      return '';
    }
    return hit;
  }

  private commitmentType(id: string, pm: PricingModel, ct: ChargeType): string {
    let t = this.commitmentTypeCache.get(id);
    if (t === undefined) {
      const low = id.toLowerCase();
      t = low.includes('/microsoft.capacity/')
        ? 'Reservation'
        : low.includes('/microsoft.billingbenefits/')
          ? 'Savings Plan'
          : '';
      if (this.commitmentTypeCache.size > 4096) this.commitmentTypeCache.clear();
      this.commitmentTypeCache.set(id, t);
    }
    if (t) return t;
    if (pm === 'savingsplan' || ct === 'unusedsavingsplan') return 'Savings Plan';
    return 'Reservation';
  }

  /**
   * RINormalizationRatio of a covered row's AdditionalInfo (instance size flexibility), or null when it is absent, 1 or
   * not a positive number (the consumed quantity is then the reservation's quantity as it is).
   */
  private normalizationRatio(info: string): Dec | null {
    if (info === '') return null;
    let hit = this.ratioCache.get(info);
    if (hit !== undefined) return hit;
    const m = /"RINormalizationRatio"\s*:\s*"?([0-9.eE+-]+)"?/i.exec(info);
    const d = m ? parseDec(m[1]!) : null;
    hit = d !== null && d.coef > 0n && decCmp(d, ONE) !== 0 ? d : null;
    if (this.ratioCache.size > 4096) this.ratioCache.clear();
    this.ratioCache.set(info, hit);
    return hit;
  }

  /** FOCUS wants one CommitmentDiscountUnit per commitment; a commitment whose rows name two is reported in gaps(). */
  private noteCommitmentUnit(id: string, unit: string): void {
    const seen = this.commitmentUnits.get(id);
    if (seen === undefined) {
      if (this.commitmentUnits.size < 100_000) this.commitmentUnits.set(id, unit);
    } else if (seen !== unit) {
      let units = this.mixedUnitCommitments.get(id);
      if (!units) {
        units = new Set([seen]);
        this.mixedUnitCommitments.set(id, units);
      }
      units.add(unit);
    }
  }

  /** The row's billing currency; '' when its currency cell is empty (see currencyless()). */
  private currency(raw: string): string {
    if (raw === this.lastCurrencyRaw) return this.lastCurrency;
    const c = raw.trim().toUpperCase();
    if (c === '') return '';
    this.lastCurrencyRaw = raw;
    this.lastCurrency = c;
    this.currencies.add(c);
    return c;
  }

  /** True when a number cell is absent, empty or 0. */
  private noAmount(cells: readonly string[], i: number, rowNo: number): boolean {
    const d = this.num(cells, i, rowNo);
    return d === null || decIsZero(d);
  }

  /**
   * A row whose currency cell is empty: null to skip it (it carries no money: cost, unit price, PAYG price and PAYG
   * cost all empty or 0), else the file's billing currency, which the other rows must name unambiguously.
   */
  private currencyless(cells: readonly string[], cost: Dec | null, rowNo: number): string | null {
    const noMoney =
      (cost === null || decIsZero(cost)) &&
      this.noAmount(cells, this.iUnitPrice, rowNo) &&
      this.noAmount(cells, this.iPayGPrice, rowNo) &&
      this.noAmount(cells, this.iPaygCost, rowNo);
    if (noMoney) {
      if (this.noMoneySkipped++ === 0) this.firstNoMoneySkipped = rowNo;
      if (cells.every((c, i) => i === this.iDate || c.trim() === '')) this.skippedBlank++;
      else if (!this.noAmount(cells, this.iQuantity, rowNo)) this.skippedWithQuantity++;
      return null;
    }
    const name = this.currencyColumn();
    const known = new Set([...this.sampleCurrencies, ...this.currencies]);
    if (known.size !== 1) {
      const why =
        known.size === 0
          ? 'and no other row of the file names one'
          : `and the file bills in ${[...known].sort().join(' and ')}, so it cannot be told which`;
      const what = cost !== null && !decIsZero(cost) ? `costs ${decText(cost)}` : 'has a price';
      throw new MappingRowError(rowNo, name, `${name} is empty on a row that ${what} ${why}: fill in the row's currency and import again`);
    }
    const currency = [...known][0]!;
    if (this.currencyFilled++ === 0) this.firstCurrencyFilled = rowNo;
    this.filledCurrency = currency;
    this.filledCost.addDec(cost ?? { coef: 0n, scale: 0 });
    return currency;
  }

  private currencyColumn(): string {
    return this.names[this.iCurrency] ?? 'BillingCurrency';
  }

  /** A currency filled in from the file's other rows must still be the file's only currency at the end. */
  finish(): void {
    if (this.currencyFilled === 0 || this.currencies.size <= 1) return;
    const name = this.currencyColumn();
    throw new MappingRowError(
      this.firstCurrencyFilled,
      name,
      `${name} is empty on ${this.currencyFilled} row(s) with a cost, which were taken as ${this.filledCurrency} ` +
        `(the currency of the first rows), but the file also bills in ${[...this.currencies].filter((c) => c !== this.filledCurrency).sort().join(', ')}: ` +
        'fill in the currency of those rows and import again',
    );
  }

  private plain(text: string, d: Dec): string {
    return isPlainDecimal(text) ? text : decText(d);
  }

  /** A price per UnitOfMeasure block as FOCUS unit price text: per 1000000 tokens for token meters. */
  private unitPriceText(price: Dec, raw: string, token: boolean, u: UnitInfo): string {
    if (token) return decText(decDiv(decMul(price, MILLION), u.block));
    return raw !== '' ? this.plain(raw, price) : decText(price);
  }

  map(cells: readonly string[], rowNo: number, emit: EmitRow): void {
    const o = this.out;
    const kind = this.kind;

    // --- cost and the row's nature
    const costRaw = this.cell(cells, this.iCost);
    let cost = this.num(cells, this.iCost, rowNo);
    let currency = this.currency(this.cell(cells, this.iCurrency));
    if (currency === '') {
      const c = this.currencyless(cells, cost, rowNo);
      if (c === null) return;
      currency = c;
    }
    if (cost === null) {
      this.emptyCost++;
      cost = { coef: 0n, scale: 0 };
    }
    this.costSum.addDec(cost);
    const costText = costRaw === '' ? '0' : this.plain(costRaw, cost);
    const costZero = decIsZero(cost);

    const ctRaw = this.cell(cells, this.iChargeType);
    const ct = this.chargeType(ctRaw);
    const pmRaw = this.cell(cells, this.iPricingModel);
    const pm = this.pricingModel(pmRaw);
    const benefitId = this.cell(cells, this.iBenefitId) || this.cell(cells, this.iReservationId);
    const unused = ct === 'unusedreservation' || ct === 'unusedsavingsplan';
    const commitment = pm === 'reservation' || pm === 'savingsplan' || unused || (pm === '' && benefitId !== '');
    const purchaseLike = ct === 'purchase' || ct === 'refund';

    const category =
      ct === 'usage' || unused
        ? 'Usage'
        : purchaseLike
          ? 'Purchase'
          : ct === 'tax'
            ? 'Tax'
            : ct === 'credit'
              ? 'Credit'
              : 'Adjustment';
    const isTax = category === 'Tax';

    // actual vs amortized (finops-toolkit convert.md; Unused* rows bill nothing, their cost is on the purchase)
    const billedZero = commitment && (ct === 'usage' || unused);
    const effectiveZero = commitment && purchaseLike;
    if (commitment) {
      if (unused || (ct === 'usage' && !costZero)) this.amortizedRows++;
      else if (purchaseLike && !costZero) this.actualRows++;
      else if (ct === 'usage') this.coveredZeroRows++;
    }
    o[K.BilledCost] = billedZero ? '0' : costText;
    o[K.EffectiveCost] = effectiveZero ? '0' : costText;

    // --- dates
    const dateRaw = this.cell(cells, this.iDate);
    if (dateRaw.trim() === '') throw this.dateError(rowNo, this.iDate, dateRaw);
    const day = this.day(dateRaw, rowNo);
    o[K.ChargePeriodStart] = day[0];
    o[K.ChargePeriodEnd] = day[1];
    const bpStartRaw = this.cell(cells, this.iBpStart);
    const bpEndRaw = this.cell(cells, this.iBpEnd);
    if (bpStartRaw.trim() !== '' && bpEndRaw.trim() !== '') {
      o[K.BillingPeriodStart] = this.billingDate(this.bpStartCache, this.iBpStart, bpStartRaw, 0, rowNo);
      // BillingPeriodEndDate is the last day billed: + 1 day
      o[K.BillingPeriodEnd] = this.billingDate(this.bpEndCache, this.iBpEnd, bpEndRaw, 1, rowNo);
    } else {
      this.billingPeriodFromDate++;
      const [s, e] = monthBounds(day[2]);
      o[K.BillingPeriodStart] = focusDateTime(s);
      o[K.BillingPeriodEnd] = focusDateTime(e);
    }
    o[K.BillingCurrency] = currency;

    // --- charge
    let chargeClass = '';
    if (ct === 'refund') {
      this.refunds++;
      if (this.cell(cells, this.iPreviousInvoiceId).trim() !== '') {
        chargeClass = 'Correction';
        this.corrections++;
      }
    }
    o[K.ChargeCategory] = category;
    o[K.ChargeClass] = chargeClass;
    const meterName = this.cell(cells, this.iMeterName);
    const meterCategory = this.cell(cells, this.iMeterCategory);
    const meterSub = this.cell(cells, this.iMeterSub);
    const product = this.cell(cells, this.iProductName);
    o[K.ChargeDescription] =
      product ||
      (kind === 'payg' ? [meterCategory, meterSub, meterName].filter((s) => s !== '').join(' - ') : meterName);
    o[K.ChargeFrequency] =
      this.frequency(this.cell(cells, this.iFrequency)) || (category === 'Usage' ? 'Usage-Based' : 'One-Time');
    o[K.PricingCategory] = isTax
      ? ''
      : pm === 'spot'
        ? 'Dynamic'
        : pm === 'ondemand'
          ? 'Standard'
          : commitment
            ? purchaseLike
              ? 'Standard' // buying a commitment is not itself covered by one (FOCUS PricingCategory-C-009-C)
              : 'Committed'
            : pm === 'other'
              ? 'Other'
              : category === 'Usage' || category === 'Purchase'
                ? 'Standard'
                : '';

    // --- commitment discount
    if (benefitId !== '' && (commitment || purchaseLike)) {
      const type = this.commitmentType(benefitId, pm, ct);
      o[K.CommitmentDiscountId] = benefitId;
      o[K.CommitmentDiscountName] = this.cell(cells, this.iBenefitName) || this.cell(cells, this.iReservationName);
      o[K.CommitmentDiscountType] = type;
      o[K.CommitmentDiscountCategory] = type === 'Savings Plan' ? 'Spend' : 'Usage';
      o[K.CommitmentDiscountStatus] = category === 'Usage' ? (unused ? 'Unused' : 'Used') : '';
    } else {
      o[K.CommitmentDiscountId] = '';
      o[K.CommitmentDiscountName] = '';
      o[K.CommitmentDiscountType] = '';
      o[K.CommitmentDiscountCategory] = '';
      o[K.CommitmentDiscountStatus] = '';
    }

    // --- quantities and units (Quantity counts UnitOfMeasure blocks)
    const qtyRaw = this.cell(cells, this.iQuantity);
    const qty = this.num(cells, this.iQuantity, rowNo);
    const unitRaw = this.cell(cells, this.iUnit);
    const u = this.unit(unitRaw);
    const token = meterName !== '' && category === 'Usage' ? this.tokenMeter(meterName) : null;
    let tokens: Dec | null = null;
    if (qty !== null && token !== null) tokens = u.blockIsOne ? qty : decMul(qty, u.block);
    const pricingQty = qty === null || isTax ? null : tokens !== null ? decShift(tokens, 6) : qty;
    if (qty === null || isTax) {
      o[K.PricingQuantity] = '';
      o[K.PricingUnit] = '';
    } else if (tokens !== null) {
      o[K.PricingQuantity] = decText(pricingQty!);
      o[K.PricingUnit] = '1000000 Tokens';
    } else {
      o[K.PricingQuantity] = this.plain(qtyRaw, qty);
      o[K.PricingUnit] = u.pricingUnit;
    }
    if (qty !== null && category === 'Usage' && !unused) {
      o[K.ConsumedQuantity] =
        tokens !== null ? decText(tokens) : u.blockIsOne ? this.plain(qtyRaw, qty) : decText(decMul(qty, u.block));
      o[K.ConsumedUnit] = tokens !== null ? 'Tokens' : u.unit;
    } else {
      o[K.ConsumedQuantity] = '';
      o[K.ConsumedUnit] = '';
    }
    o[K.x_UnitOfMeasure] = unitRaw;
    o[K.x_PricingBlockSize] = unitRaw === '' ? '' : u.blockText;

    // --- commitment discount quantity and unit (FOCUS 1.1+): only Usage and Purchase rows of a commitment carry them
    let cdQty = '';
    let cdUnit = '';
    const cdId = o[K.CommitmentDiscountId]!;
    if (cdId !== '' && (category === 'Usage' || category === 'Purchase')) {
      if (o[K.CommitmentDiscountCategory] === 'Spend') {
        // A savings plan commits to an amount of money: covered usage consumes its cost, an Unused row is the rest of
        // the period's commitment, a purchase (or refund) buys (returns) its amount. All are the row's cost, in the
        // billing currency. A cost of 0 says nothing about the commitment: covered usage in the actual-cost export
        // shows 0 because it was paid on the purchase, so the spend consumed is only in the amortized export.
        if (costZero) this.spendWithoutCost++;
        else {
          cdQty = costText;
          cdUnit = currency;
        }
      } else if (category === 'Usage') {
        // A reservation commits to a quantity of its meter, in the row's distinct unit (Hours for VMs): covered usage
        // consumes ConsumedQuantity × RINormalizationRatio (instance size flexibility; 1 when AdditionalInfo has
        // none), as Microsoft's FinOps toolkit derives it; an Unused row's Quantity is the unused part
        // (ConsumedQuantity is null there, FOCUS). The toolkit labels a ratio above 1 "Normalized Hours"; the unit
        // stays the row's own here, since FOCUS wants one unit for all rows of a commitment.
        if (unused) {
          if (qty !== null) {
            cdQty = u.blockIsOne ? this.plain(qtyRaw, qty) : decText(decMul(qty, u.block));
            cdUnit = u.unit;
          }
        } else if (o[K.ConsumedQuantity] !== '') {
          const ratio = this.normalizationRatio(this.cell(cells, this.iAdditionalInfo));
          cdQty = ratio === null ? o[K.ConsumedQuantity]! : decText(decMul(parseDec(o[K.ConsumedQuantity]!)!, ratio));
          if (ratio !== null) this.normalizedRows++;
          cdUnit = o[K.ConsumedUnit]!;
        }
        if (cdQty === '') this.reservationUsageWithoutQuantity++;
      } else {
        // A reservation purchase row's Quantity counts the reservations bought, not the hours they make eligible, and
        // the export gives neither the term's start nor the hours of the period paid for: left null (FOCUS's own Azure
        // reservation example leaves it null too). The FOCUS 1.2 model flags it (CommitmentDiscountQuantity-C-005-C)
        // unless the row is a Correction.
        this.reservationPurchases++;
      }
      if (cdUnit !== '') this.noteCommitmentUnit(cdId, cdUnit);
    }
    o[K.CommitmentDiscountQuantity] = cdQty;
    o[K.CommitmentDiscountUnit] = cdUnit;

    // --- prices: per UnitOfMeasure block, in the pricing currency (MCA: × exchangeRatePricingToBilling)
    let rate: Dec | null = ONE;
    if (this.iRate >= 0) {
      const r = this.num(cells, this.iRate, rowNo);
      if (r !== null && !decIsZero(r)) rate = r;
      else {
        const pc = this.cell(cells, this.iPricingCurrency).trim().toUpperCase();
        if (pc !== '' && pc !== o[K.BillingCurrency]) rate = null;
      }
    }
    const isToken = tokens !== null;
    const unitPrice = isTax ? null : this.num(cells, this.iUnitPrice, rowNo);
    if (unitPrice !== null && qty !== null && rate !== null) {
      const p = rate === ONE ? unitPrice : decMul(unitPrice, rate);
      const raw = rate === ONE ? this.cell(cells, this.iUnitPrice) : '';
      o[K.ContractedUnitPrice] = this.unitPriceText(p, raw, isToken, u);
      o[K.ContractedCost] = decText(decMul(p, qty));
    } else {
      if (unitPrice !== null && rate === null) this.noRate++;
      if (!isTax) this.contractedFromCost++;
      o[K.ContractedCost] = costText;
      o[K.ContractedUnitPrice] =
        pricingQty !== null && !decIsZero(pricingQty) ? decText(decDiv(cost, pricingQty)) : '';
    }
    const payg = isTax ? null : this.num(cells, this.iPayGPrice, rowNo);
    const listUnit =
      payg !== null && !decIsZero(payg) && rate !== null ? (rate === ONE ? payg : decMul(payg, rate)) : null;
    const listRaw = rate === ONE ? this.cell(cells, this.iPayGPrice) : '';
    const paygCost = this.iPaygCost >= 0 && !isTax ? this.num(cells, this.iPaygCost, rowNo) : null;
    if (paygCost !== null && !(decIsZero(paygCost) && !costZero)) {
      o[K.ListCost] = this.plain(this.cell(cells, this.iPaygCost), paygCost);
      o[K.ListUnitPrice] = listUnit !== null && qty !== null ? this.unitPriceText(listUnit, listRaw, isToken, u) : '';
    } else if (listUnit !== null && qty !== null) {
      o[K.ListUnitPrice] = this.unitPriceText(listUnit, listRaw, isToken, u);
      o[K.ListCost] = decText(decMul(listUnit, qty));
    } else {
      if (!isTax) this.listFromCost++;
      o[K.ListCost] = costText;
      o[K.ListUnitPrice] = pricingQty !== null && !decIsZero(pricingQty) ? decText(decDiv(cost, pricingQty)) : '';
    }

    // --- accounts, parties
    const accountId = this.cell(cells, this.iAccountId);
    if (accountId === '') this.noBillingAccount++;
    o[K.BillingAccountId] = accountId;
    o[K.BillingAccountName] = this.cell(cells, this.iAccountName);
    o[K.SubAccountId] = this.cell(cells, this.iSubId);
    o[K.SubAccountName] = this.cell(cells, this.iSubName);
    o[K.InvoiceId] = this.cell(cells, this.iInvoiceId);
    o[K.InvoiceIssuerName] = this.cell(cells, this.iPartner) || 'Microsoft';
    o[K.ServiceProviderName] = 'Microsoft';
    o[K.HostProviderName] = 'Microsoft';
    o[K.ProviderName] = 'Microsoft';
    const publisherType = this.cell(cells, this.iPublisherType);
    o[K.PublisherName] =
      publisherType.toLowerCase() === 'marketplace' ? this.cell(cells, this.iPublisherName) || 'Microsoft' : 'Microsoft';

    // --- service, location, resource, SKU
    const consumed = this.cell(cells, this.iConsumedService);
    const svc = this.service(consumed, meterCategory, product);
    o[K.ServiceName] = svc[0];
    o[K.ServiceCategory] = token !== null ? 'AI and Machine Learning' : svc[1];
    o[K.ServiceSubcategory] = token !== null ? 'Generative AI' : svc[2];
    const location = this.cell(cells, this.iLocation);
    o[K.RegionId] = this.region(location);
    o[K.RegionName] = o[K.RegionId] === '' ? '' : this.cell(cells, this.iLocationName) || location;
    o[K.AvailabilityZone] = this.cell(cells, this.iZone);
    const resourceId = this.cell(cells, this.iResourceId);
    o[K.ResourceId] = resourceId;
    o[K.ResourceName] =
      this.iResourceName >= 0 ? this.cell(cells, this.iResourceName) : resourceId === '' ? '' : lastSegment(resourceId);
    o[K.ResourceType] = this.cell(cells, this.iResourceType) || (resourceId === '' ? '' : this.resourceType(resourceId));
    // Azure bills by meter: the meter is the SKU price; MCA's ProductId is the SKU (EA has none: meter, part, product)
    const meterId = this.cell(cells, this.iMeterId);
    const skuId =
      this.cell(cells, this.iProductId) || meterId || this.cell(cells, this.iPartNumber) || (isTax ? '' : product);
    o[K.SkuId] = skuId;
    o[K.SkuPriceId] = meterId || skuId;
    o[K.SkuMeter] = skuId === '' ? '' : token !== null ? token.skuMeter : meterName || product;
    o[K.SkuPriceDetails] = token !== null && meterId !== '' ? token.details : '';
    if (token !== null) this.tokenRows++;
    o[K.Tags] = this.tags(this.cell(cells, this.iTags), rowNo);

    // --- kept vendor fields
    o[K.x_ChargeType] = ctRaw;
    o[K.x_PricingModel] = pmRaw;
    o[K.x_ConsumedService] = consumed;
    o[K.x_MeterCategory] = meterCategory;
    o[K.x_MeterSubCategory] = meterSub;
    o[K.x_MeterId] = meterId;
    o[K.x_MeterName] = meterName;
    o[K.x_MeterRegion] = this.cell(cells, this.iMeterRegion);
    o[K.x_ResourceGroupName] = this.cell(cells, this.iResourceGroup);
    o[K.x_CostCenter] = this.cell(cells, this.iCostCenter);
    o[K.x_InvoiceSectionName] = this.cell(cells, this.iInvoiceSection);
    o[K.x_AccountName] = this.cell(cells, this.iAccountNameEa);
    o[K.x_PartNumber] = this.cell(cells, this.iPartNumber);
    o[K.x_Term] = this.cell(cells, this.iTerm);
    o[K.x_PublisherType] = publisherType;
    o[K.x_BillingAccountId] = this.cell(cells, this.iRawBillingAccountId);
    o[K.x_BillingProfileId] = this.cell(cells, this.iRawBillingProfileId);
    o[K.x_PricingCurrency] = this.cell(cells, this.iPricingCurrency);
    o[K.x_ExchangeRatePricingToBilling] = this.cell(cells, this.iRate);
    o[K.x_ServiceTier] = this.cell(cells, this.iServiceTier);
    const info = this.cell(cells, this.iAdditionalInfo).trim();
    o[K.x_AdditionalInfo] = info === '' || info === '{}' ? '' : info.startsWith('{') ? info : `{${info}}`;

    emit(o);
  }

  /** Which Microsoft dataset the rows came from, as far as they tell. */
  costView(): 'actual' | 'amortized' | 'mixed' | 'unknown' {
    if (this.amortizedRows > 0 && this.actualRows > 0) return 'mixed';
    if (this.amortizedRows > 0) return 'amortized';
    if (this.actualRows > 0 || this.coveredZeroRows > 0) return 'actual';
    return 'unknown';
  }

  private costColumn(): string {
    return this.names[this.iCost] ?? (this.kind === 'payg' ? 'PreTaxCost' : 'CostInBillingCurrency');
  }

  gaps(): MappingGap[] {
    const gaps: MappingGap[] = [];
    const costCol = this.costColumn();
    const view = this.costView();
    if (this.kind !== 'payg') {
      const note =
        view === 'actual'
          ? `Actual-cost export: BilledCost = ${costCol}. EffectiveCost is 0 on reservation and savings-plan purchases and refunds, and covered usage costs 0 here, so commitments are missing from EffectiveCost; import the amortized export for amortized cost (not both: they repeat each other's rows)`
          : view === 'amortized'
            ? `Amortized-cost export: EffectiveCost = ${costCol}. BilledCost is 0 on usage covered by a reservation or savings plan and on Unused rows; the purchases themselves (the invoiced amounts) are only in the actual-cost export`
            : view === 'mixed'
              ? `The file has both amortized rows (Unused commitments or covered usage with a cost) and commitment purchases with a cost: if it combines the actual and amortized exports, commitment costs appear twice in ${costCol}; BilledCost and EffectiveCost follow the per-row rules`
              : `No reservation or savings-plan rows: the actual and amortized views are the same here, so BilledCost = EffectiveCost = ${costCol}`;
      gaps.push({ column: '', note });
    }
    gaps.push({
      column: 'PricingQuantity',
      note: 'Quantity counts UnitOfMeasure blocks (cost = Quantity × price per block): PricingQuantity = Quantity with PricingUnit "<block> <unit>", ConsumedQuantity = Quantity × block size in the distinct unit (Microsoft PricingUnits.csv); ContractedCost = UnitPrice × Quantity',
    });
    if (this.kind === 'ea') {
      gaps.push({ column: 'ListCost', note: 'EA exports carry no list cost: ListCost = PayGPrice × Quantity' });
    } else if (this.kind === 'mca') {
      gaps.push({
        column: 'ListCost',
        note:
          this.iPaygCost >= 0
            ? 'ListCost = paygCostInBillingCurrency; ListUnitPrice and ContractedUnitPrice are PayGPrice and unitPrice × exchangeRatePricingToBilling'
            : 'The file has no paygCostInBillingCurrency: ListCost = PayGPrice × Quantity × exchangeRatePricingToBilling',
      });
    } else {
      gaps.push({
        column: 'ListCost',
        note: 'Pay-as-you-go usage export: ListUnitPrice = ContractedUnitPrice = ResourceRate, ListCost = ContractedCost = ResourceRate × UsageQuantity; every row is Usage. BillingAccountId is the subscription (each pay-as-you-go subscription is invoiced on its own)',
      });
    }
    if (this.listFromCost > 0) {
      gaps.push({
        column: 'ListCost',
        note: `${this.listFromCost} row(s) have no usable list price (empty or 0 PayGPrice, e.g. Marketplace, reservation purchases): ListCost = the row's ${costCol} and ListUnitPrice = ListCost / PricingQuantity`,
      });
    }
    if (this.contractedFromCost > 0) {
      gaps.push({
        column: 'ContractedCost',
        note: `${this.contractedFromCost} row(s) have no unit price: ContractedCost = the row's ${costCol} and ContractedUnitPrice = ContractedCost / PricingQuantity`,
      });
    }
    if (this.noRate > 0) {
      gaps.push({
        column: 'ContractedUnitPrice',
        note: `${this.noRate} row(s) are priced in another currency without exchangeRatePricingToBilling: unit prices left empty`,
      });
    }
    if (this.billingPeriodFromDate > 0) {
      gaps.push({
        column: 'BillingPeriodStart',
        note: `${this.billingPeriodFromDate} row(s) have no BillingPeriodStartDate/EndDate: the billing period is the calendar month of the charge date (pay-as-you-go billing periods may follow the subscription's own cycle)`,
      });
    }
    if (this.noBillingAccount > 0) {
      gaps.push({
        column: 'BillingAccountId',
        note: `${this.noBillingAccount} row(s) have no ${this.kind === 'mca' ? 'billingProfileId or billingAccountId' : 'BillingAccountId'}`,
      });
    }
    if (this.iInvoiceId < 0) {
      gaps.push({ column: 'InvoiceId', note: 'The export names no invoice (EA and pay-as-you-go cost details have no invoiceId)' });
    }
    if (this.kind !== 'payg') {
      gaps.push({
        column: 'CommitmentDiscountQuantity',
        note:
          "Cost details name no commitment quantity or unit, so they are derived as Microsoft's FinOps toolkit does: " +
          "reservations in the row's distinct unit (covered usage: ConsumedQuantity × RINormalizationRatio from " +
          'AdditionalInfo, 1 when absent; UnusedReservation: Quantity × block size), savings plans in the billing ' +
          "currency (the row's cost: covered usage and UnusedSavingsPlan at their amortized cost, a purchase at its " +
          'amount, a refund negative; the toolkit converts to the pricing currency instead). Null on every other row',
      });
    }
    if (this.normalizedRows > 0) {
      gaps.push({
        column: 'CommitmentDiscountQuantity',
        note:
          `${this.normalizedRows} reservation-covered row(s) carry an RINormalizationRatio other than 1 (instance size ` +
          'flexibility): CommitmentDiscountQuantity = ConsumedQuantity × the ratio, as Microsoft\'s FinOps toolkit ' +
          'computes it, so it differs from ConsumedQuantity on them; the unit stays the row\'s own (the toolkit ' +
          'writes "Normalized <unit>" there, which would give the commitment two units)',
      });
    }
    if (this.reservationPurchases > 0) {
      gaps.push({
        column: 'CommitmentDiscountQuantity',
        note:
          `${this.reservationPurchases} reservation purchase or refund row(s): CommitmentDiscountQuantity and ` +
          "CommitmentDiscountUnit left null. The row's Quantity counts reservations bought, not the hours (or other " +
          "units) they make eligible, and the export gives neither the reservation's start nor the hours of the period " +
          "paid for; FOCUS's own Azure reservation example leaves it null as well. The FOCUS 1.2 model flags these " +
          'rows (CommitmentDiscountQuantity-C-005-C) unless they are Corrections',
      });
    }
    if (this.spendWithoutCost > 0) {
      gaps.push({
        column: 'CommitmentDiscountQuantity',
        note:
          `${this.spendWithoutCost} savings-plan row(s) cost 0 here (covered usage in an actual-cost export is paid ` +
          'on the purchase): the spend they consume is only in the amortized export, so CommitmentDiscountQuantity ' +
          'and CommitmentDiscountUnit are null on them',
      });
    }
    if (this.reservationUsageWithoutQuantity > 0) {
      gaps.push({
        column: 'CommitmentDiscountQuantity',
        note:
          `${this.reservationUsageWithoutQuantity} reservation usage row(s) have no Quantity: ` +
          'CommitmentDiscountQuantity and CommitmentDiscountUnit are null on them',
      });
    }
    if (this.mixedUnitCommitments.size > 0) {
      const [id, units] = [...this.mixedUnitCommitments][0]!;
      gaps.push({
        column: 'CommitmentDiscountUnit',
        note:
          `${this.mixedUnitCommitments.size} commitment(s) are measured in more than one unit across their rows ` +
          `(first: ${id}: ${[...units].join(', ')}); FOCUS wants one unit per commitment, which the export's units of ` +
          'measure do not give',
      });
    }
    if (this.kind === 'mca' && this.iAccountId >= 0 && this.iAccountId === this.iRawBillingProfileId) {
      gaps.push({
        column: 'BillingAccountId',
        note: 'MCA: BillingAccountId is the billing profile (the invoice scope); the MCA billing account is in x_BillingAccountId',
      });
    }
    if (this.refunds > 0) {
      gaps.push({
        column: 'ChargeClass',
        note: `${this.refunds} Refund row(s) map to ChargeCategory Purchase (negative); ChargeClass is Correction only where previousInvoiceId names an earlier invoice (${this.corrections} row(s)), since FOCUS keeps Correction for changes to a closed billing period`,
      });
    }
    if (this.unknownChargeTypes.size > 0) {
      gaps.push({
        column: 'ChargeCategory',
        note: `ChargeType ${[...this.unknownChargeTypes].map((s) => `'${s}'`).join(', ')} mapped to Adjustment`,
      });
    }
    if (this.unknownUnits.size > 0) {
      gaps.push({
        column: 'PricingUnit',
        note: `UnitOfMeasure not in Microsoft's PricingUnits.csv, block size read from the text: ${[...this.unknownUnits].slice(0, 10).join(', ')}`,
      });
    }
    if (this.tokenRows > 0) {
      gaps.push({
        column: 'SkuPriceDetails',
        note: `${this.tokenRows} token row(s): model, direction and deployment read heuristically from the meter name (kept in x_MeterName); tokens = Quantity × block size, priced per 1000000 Tokens`,
      });
    }
    if (this.serviceFallback > 0) {
      gaps.push({
        column: 'ServiceName',
        note: 'ServiceName/ServiceCategory come from ConsumedService via a built-in excerpt of Microsoft Services.csv; other services use MeterCategory',
      });
    }
    if (this.emptyCost > 0) {
      gaps.push({ column: 'BilledCost', note: `${this.emptyCost} row(s) have an empty ${costCol}, read as 0` });
    }
    if (this.noMoneySkipped > 0) {
      const blank = this.skippedBlank;
      const withQuantity = this.skippedWithQuantity;
      const other = this.noMoneySkipped - blank - withQuantity;
      const what: string[] = [];
      if (blank > 0) what.push(`${blank} ${blank === 1 ? 'is an empty line' : 'are empty lines'} but for the date`);
      if (withQuantity > 0) what.push(`${withQuantity} had a quantity (usage at no charge), which is not imported`);
      if (other > 0) what.push(`${other} had neither a cost nor a quantity`);
      gaps.push({
        column: 'BillingCurrency',
        note:
          `${this.noMoneySkipped} row(s) have an empty ${this.currencyColumn()} and no money (empty or 0 ${costCol}, ` +
          `prices and PAYG cost; first: row ${this.firstNoMoneySkipped}): skipped, so they produce no FOCUS rows and ` +
          `leave every total unchanged; ${what.join('; ')}`,
      });
    }
    if (this.currencyFilled > 0) {
      gaps.push({
        column: 'BillingCurrency',
        note: `${this.currencyFilled} row(s) with a cost have an empty ${this.currencyColumn()} (first: row ${this.firstCurrencyFilled}): taken as ${this.filledCurrency}, the only currency the file's other rows name; their ${costCol} adds up to ${this.filledCost.toString()}`,
      });
    }
    if (this.badTags > 0) {
      gaps.push({
        column: 'Tags',
        note: `${this.badTags} row(s) have Tags that are not a key/value object (first: row ${this.firstBadTagsRow}); left empty`,
      });
    }
    return gaps;
  }

  vendorTotals(): VendorTotal[] {
    const col = this.costColumn();
    const total = this.costSum.toString();
    const totals: VendorTotal[] = [];
    const view = this.kind === 'payg' ? 'unknown' : this.costView();
    if (view === 'actual' || view === 'mixed' || view === 'unknown') {
      totals.push({ focusColumn: 'BilledCost', vendorColumn: col, vendorTotal: total });
    }
    if (view === 'amortized' || view === 'unknown') {
      totals.push({ focusColumn: 'EffectiveCost', vendorColumn: col, vendorTotal: total });
    }
    return totals;
  }
}

/**
 * US month-first unless a sample date can only be day-first (13/02/2024), or the file writes dotted German dates
 * (which values.ts reads day-first anyway). BillingPeriodEndDate, the last day of a month, settles it in real files.
 */
function detectSlashOrder(sample: TableSample, indexes: number[]): SlashOrder {
  let dmy = false;
  for (const row of sample.rows) {
    for (const i of indexes) {
      if (i < 0) continue;
      const m = /^\s*(\d{1,2})\/(\d{1,2})\/\d{4}/.exec(row[i] ?? '');
      if (!m) continue;
      if (Number(m[2]) > 12) return 'mdy';
      if (Number(m[1]) > 12) dmy = true;
    }
  }
  return dmy ? 'dmy' : 'mdy';
}

// ---------------------------------------------------------------------------------------------------------------
// Formats

function format(kind: Kind, id: string, label: string): BillFormat {
  return {
    id,
    label,
    detect(sample: TableSample): number {
      const c = classify(sample.header);
      return c !== null && c.kind === kind ? c.score : 0;
    },
    createMapper(sample: TableSample): RowMapper {
      return new AzureCostMapper(sample, kind);
    },
  };
}

export const azureEa: BillFormat = format('ea', 'azure-ea', 'Azure cost details (Enterprise Agreement)');
export const azureMca: BillFormat = format('mca', 'azure-mca', 'Azure cost details (Microsoft Customer / Partner Agreement)');
export const azurePayg: BillFormat = format('payg', 'azure-payg', 'Azure usage details (legacy pay-as-you-go)');

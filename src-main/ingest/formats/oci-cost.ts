// Oracle Cloud Infrastructure cost report: the CSV (usually .csv.gz) OCI writes every six hours to an Oracle-owned
// bucket, one row per resource per hour, with `lineItem/…`, `product/…`, `usage/…`, `cost/…` columns and one
// `tags/<namespace>.<key>` column per tag key. Costs carry up to 18 decimals and often exponent notation
// (`2.323760000E-9`); usage intervals start like `2023-11-13T10:00Z` (no seconds) and end like `…T11:00:00Z`.
import type { BillFormat, MappingGap, RowMapper, TableSample, VendorTotal } from './types';
import { MappingRowError, MappingSetupError } from './types';
import {
  Columns,
  DecimalSum,
  cell,
  focusDateTime,
  headerKey,
  monthBounds,
  parseBool,
  parseVendorDateTime,
  plainDecimalText,
} from './values';

const COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'ContractedUnitPrice',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
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
  'x_SubscriptionId',
  'x_ReferenceNo',
  'x_BackReferenceNo',
  'x_BillingUnitReadable',
  'x_MyCostOverage',
  'x_BilledQuantityOverage',
  'x_UnitPriceOverage',
  'x_OverageFlag',
] as const;

type Column = (typeof COLUMNS)[number];
const O = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

const PROVIDER = 'Oracle';

/** Columns only an OCI cost or usage report has (AWS CUR shares the slash style, not these names). */
const SIGNATURE = [
  'lineItem/referenceNo',
  'lineItem/tenantId',
  'lineItem/intervalUsageEnd',
  'lineItem/isCorrection',
  'lineItem/backreferenceNo',
  'product/compartmentId',
  'product/compartmentName',
  'product/availabilityDomain',
  'usage/billedQuantity',
  'cost/myCost',
  'cost/productSku',
  'cost/billingUnitReadable',
  'cost/skuUnitDescription',
];

function detect(sample: TableSample): number {
  const cols = new Columns(sample.header);
  if (!cols.has('lineItem/intervalUsageStart')) return 0;
  return Math.min(1, 0.3 + (0.7 * cols.count(SIGNATURE)) / 6);
}

/** Plain decimal text: the cell itself when it already is, else exact normalisation (exponents), else null. */
function decimalText(text: string): string | null {
  return text === '' ? null : plainDecimalText(text);
}

type Category = readonly [category: string, subcategory: string];

const SERVICE_RULES: readonly (readonly [RegExp, string, string])[] = [
  [/GENERATIVE_AI|GEN_AI|LANGUAGE|SPEECH|VISION|DOCUMENT_UNDERSTANDING|DIGITAL_ASSISTANT/, 'AI and Machine Learning', 'AI Platforms'],
  [/DATA_SCIENCE|MACHINE_LEARNING|AI_/, 'AI and Machine Learning', 'Machine Learning'],
  [/CONTAINER_ENGINE|OKE|KUBERNETES|CONTAINER_INSTANCE/, 'Compute', 'Containers'],
  [/FUNCTIONS/, 'Compute', 'Serverless Compute'],
  [/^COMPUTE|BARE_METAL|VMWARE/, 'Compute', 'Virtual Machines'],
  [/BLOCK_STORAGE|BLOCK_VOLUME/, 'Storage', 'Block Storage'],
  [/OBJECT_?STORE|OBJECT_STORAGE|ARCHIVE/, 'Storage', 'Object Storage'],
  [/FILE_STORAGE|FILE_SYSTEM/, 'Storage', 'File Storage'],
  [/BACKUP/, 'Storage', 'Backup Storage'],
  [/NOSQL/, 'Databases', 'NoSQL Databases'],
  [/CACHE|REDIS/, 'Databases', 'Caching'],
  [/DATABASE|MYSQL|POSTGRES|EXADATA|AUTONOMOUS/, 'Databases', 'Relational Databases'],
  [/STREAMING/, 'Analytics', 'Streaming Analytics'],
  [/ANALYTICS|DATA_FLOW|DATA_INTEGRATION|BIG_DATA|OPENSEARCH|SEARCH/, 'Analytics', 'Data Processing'],
  [/LOAD_BALANCER|FASTCONNECT|VPN|NETWORK|VCN|DNS|CDN|WAF/, 'Networking', 'Network Connectivity'],
  [/TELEMETRY|MONITORING|LOGGING|APM|OBSERVABILITY|OPERATIONS_INSIGHTS/, 'Management and Governance', 'Observability'],
  [/SUPPORT/, 'Management and Governance', 'Support'],
  [/NOTIFICATION|QUEUE|EVENTS/, 'Integration', 'Messaging'],
  [/API_GATEWAY|INTEGRATION/, 'Integration', 'API Management'],
  [/VAULT|KEY_MANAGEMENT|KMS/, 'Security', 'Secret Management'],
  [/SECURITY|CLOUD_GUARD|BASTION/, 'Security', 'Other (Security)'],
  [/IDENTITY|IAM/, 'Identity', 'Identity and Access Management'],
  [/DEVOPS|ARTIFACT|REGISTRY|RESOURCE_MANAGER/, 'Developer Tools', 'Continuous Integration and Deployment'],
];

function serviceCategory(service: string): Category {
  const s = service.toUpperCase();
  for (const [re, cat, sub] of SERVICE_RULES) if (re.test(s)) return [cat, sub];
  return ['Other', 'Other (Other)'];
}

/** "ocid1.instance.oc1.us-sanjose-1.anzw…" → "instance"; the service for ids that are not OCIDs ("oci_blockstore"). */
function resourceType(id: string, service: string): string {
  if (id === '') return '';
  if (!id.startsWith('ocid1.')) return service;
  const end = id.indexOf('.', 6);
  return end < 0 ? service : id.slice(6, end);
}

function createMapper(sample: TableSample): RowMapper {
  const cols = new Columns(sample.header);
  const header = sample.header;
  const need = (name: string, why = ''): number => {
    const i = cols.find(name);
    if (i < 0) throw new MappingSetupError(`OCI cost report has no ${name} column${why}`);
    return i;
  };
  const iCost = need('cost/myCost', ' (a usage report carries no costs: download the cost report instead)');
  const iCurrency = need('cost/currencyCode');
  const iStart = need('lineItem/intervalUsageStart');
  const iEnd = need('lineItem/intervalUsageEnd');
  const iService = need('product/service');
  const iTenant = cols.find('lineItem/tenantId');
  const iSubscription = cols.find('cost/subscriptionId');
  const iRef = cols.find('lineItem/referenceNo');
  const iBackRef = cols.find('lineItem/backreferenceNo', 'lineItem/backReference');
  const iCorrection = cols.find('lineItem/isCorrection');
  const iCompartment = cols.find('product/compartmentId');
  const iCompartmentName = cols.find('product/compartmentName');
  const iRegion = cols.find('product/region');
  const iAd = cols.find('product/availabilityDomain');
  const iResource = cols.find('product/resourceId');
  const iResourceName = cols.find('product/resourceName');
  const iBilledQty = cols.find('usage/billedQuantity');
  const iBilledQtyOver = cols.find('usage/billedQuantityOverage');
  const iConsumedQty = cols.find('usage/consumedQuantity');
  const iConsumedUnit = cols.find('usage/consumedQuantityUnits');
  const iSku = cols.find('cost/productSku');
  const iDescription = cols.find('product/Description');
  const iUnitPrice = cols.find('cost/unitPrice');
  const iUnitPriceOver = cols.find('cost/unitPriceOverage');
  const iCostOver = cols.find('cost/myCostOverage');
  const iUnitReadable = cols.find('cost/billingUnitReadable');
  const iUnit = cols.find('cost/skuUnitDescription');
  const iOverage = cols.find('cost/overageFlag');

  // tags/<namespace>.<key>: one column per key, the key being what follows "tags/"
  const tagCols: number[] = [];
  const tagKeys: string[] = [];
  header.forEach((h, i) => {
    const k = headerKey(h);
    if (k.startsWith('tags/') && k.length > 5) {
      tagCols.push(i);
      tagKeys.push(h.trim().slice(5));
    }
  });

  const out: string[] = new Array<string>(COLUMNS.length).fill('');
  out[O.ChargeCategory] = 'Usage';
  out[O.ChargeFrequency] = 'Usage-Based';
  out[O.ServiceProviderName] = PROVIDER;
  out[O.ProviderName] = PROVIDER;
  out[O.PublisherName] = PROVIDER;
  out[O.HostProviderName] = PROVIDER;
  out[O.InvoiceIssuerName] = PROVIDER;

  const billed = new DecimalSum();
  let corrections = 0;
  let overageRows = 0;

  const categories = new Map<string, Category>();
  // a report holds few distinct hours, in any order: [ChargePeriodStart, BillingPeriodStart, BillingPeriodEnd] per text
  const starts = new Map<string, readonly [string, string, string]>();
  const ends = new Map<string, string>();

  const num = (cells: readonly string[], i: number, rowNo: number): string => {
    const t = cell(cells, i);
    if (t === '') return '';
    const v = decimalText(t);
    if (v === null) throw new MappingRowError(rowNo, header[i]!, `${header[i]} '${t}' is not a number`);
    return v;
  };

  const time = (text: string, i: number, rowNo: number): number => {
    const s = text === '' ? null : parseVendorDateTime(text);
    if (s === null) throw new MappingRowError(rowNo, header[i]!, `${header[i]} '${text}' is not a date/time`);
    return s;
  };

  return {
    columns: COLUMNS,

    map(cells, rowNo, emit) {
      const costText = cell(cells, iCost);
      const cost = costText === '' ? null : decimalText(costText);
      if (cost === null) throw new MappingRowError(rowNo, header[iCost]!, `cost/myCost '${costText}' is not a number`);
      const currency = cell(cells, iCurrency);
      if (currency === '') throw new MappingRowError(rowNo, header[iCurrency]!, 'cost/currencyCode is empty');

      const startText = cell(cells, iStart);
      let start = starts.get(startText);
      if (start === undefined) {
        const secs = time(startText, iStart, rowNo);
        // the report has no billing period: the UTC calendar month of the usage
        const [s, e] = monthBounds(secs);
        start = [focusDateTime(secs), focusDateTime(s), focusDateTime(e)] as const;
        if (starts.size >= 100_000) starts.clear();
        starts.set(startText, start);
      }
      const endText = cell(cells, iEnd);
      let end = ends.get(endText);
      if (end === undefined) {
        end = focusDateTime(time(endText, iEnd, rowNo));
        if (ends.size >= 100_000) ends.clear();
        ends.set(endText, end);
      }

      const description = cell(cells, iDescription);
      const isCorrection = iCorrection >= 0 && parseBool(cell(cells, iCorrection)) === true;
      if (isCorrection) corrections++;

      const service = cell(cells, iService);
      let cat = categories.get(service);
      if (!cat) {
        cat = serviceCategory(service);
        categories.set(service, cat);
      }

      const billedQty = num(cells, iBilledQty, rowNo);
      const unit = cell(cells, iUnit);
      let consumed = billedQty;
      let consumedUnit = unit;
      if (iConsumedQty >= 0) {
        consumed = num(cells, iConsumedQty, rowNo);
        consumedUnit = cell(cells, iConsumedUnit);
      }
      const overage = num(cells, iCostOver, rowNo);
      if (overage !== '') overageRows++;

      out[O.BilledCost] = cost;
      out[O.EffectiveCost] = cost;
      out[O.ListCost] = cost;
      out[O.ContractedCost] = cost;
      out[O.ContractedUnitPrice] = num(cells, iUnitPrice, rowNo);
      out[O.BillingCurrency] = currency;
      out[O.BillingPeriodStart] = start[1];
      out[O.BillingPeriodEnd] = start[2];
      out[O.ChargePeriodStart] = start[0];
      out[O.ChargePeriodEnd] = end;
      out[O.ChargeClass] = isCorrection ? 'Correction' : '';
      out[O.ChargeDescription] = description;
      const tenant = cell(cells, iTenant);
      const subscription = cell(cells, iSubscription);
      out[O.BillingAccountId] = tenant || subscription;
      const compartment = cell(cells, iCompartment);
      out[O.SubAccountId] = compartment;
      out[O.SubAccountName] = cell(cells, iCompartmentName);
      out[O.SubAccountType] = compartment === '' ? '' : 'Compartment';
      out[O.ServiceName] = service;
      out[O.ServiceCategory] = cat[0];
      out[O.ServiceSubcategory] = cat[1];
      const sku = cell(cells, iSku);
      out[O.SkuId] = sku;
      out[O.SkuPriceId] = sku;
      out[O.SkuMeter] = description;
      out[O.ConsumedQuantity] = consumed;
      out[O.ConsumedUnit] = consumed === '' ? '' : consumedUnit;
      out[O.PricingQuantity] = billedQty;
      out[O.PricingUnit] = billedQty === '' ? '' : unit;
      const region = cell(cells, iRegion);
      out[O.RegionId] = region;
      out[O.RegionName] = region;
      out[O.AvailabilityZone] = cell(cells, iAd);
      const resource = cell(cells, iResource);
      out[O.ResourceId] = resource;
      out[O.ResourceName] = cell(cells, iResourceName);
      out[O.ResourceType] = resourceType(resource, service);
      let tags: Record<string, string> | null = null;
      for (let t = 0; t < tagCols.length; t++) {
        const v = cells[tagCols[t]!];
        if (v === undefined || v === '') continue;
        (tags ??= {})[tagKeys[t]!] = v;
      }
      out[O.Tags] = tags === null ? '' : JSON.stringify(tags);
      out[O.x_SubscriptionId] = subscription;
      out[O.x_ReferenceNo] = cell(cells, iRef);
      out[O.x_BackReferenceNo] = cell(cells, iBackRef);
      out[O.x_BillingUnitReadable] = cell(cells, iUnitReadable);
      out[O.x_MyCostOverage] = overage;
      out[O.x_BilledQuantityOverage] = num(cells, iBilledQtyOver, rowNo);
      out[O.x_UnitPriceOverage] = num(cells, iUnitPriceOver, rowNo);
      out[O.x_OverageFlag] = cell(cells, iOverage);

      billed.add(cost);
      emit(out);
    },

    gaps() {
      const gaps: MappingGap[] = [
        {
          column: 'BillingPeriodStart',
          note: 'the cost report names no billing period: BillingPeriodStart/End are the UTC calendar month of lineItem/intervalUsageStart',
        },
        {
          column: 'ListCost',
          note:
            'the cost report has no list price (cost/unitPrice is your price): ListCost = ContractedCost = EffectiveCost = ' +
            'BilledCost = cost/myCost, which includes overage (cost/myCostOverage is kept as x_MyCostOverage)',
        },
        {
          column: 'SubAccountId',
          note:
            'SubAccountId/Name = the compartment (product/compartmentId, product/compartmentName) and BillingAccountId = the ' +
            "tenancy (lineItem/tenantId); Oracle's own FOCUS reports put the tenancy in SubAccountId instead",
        },
        {
          column: 'ChargeCategory',
          note:
            'every row is Usage: the cost report carries no tax, credit or purchase rows. Corrections (lineItem/isCorrection) ' +
            'are ChargeClass Correction; the corrected line is x_BackReferenceNo',
        },
        {
          column: 'PricingUnit',
          note:
            'PricingQuantity = usage/billedQuantity in cost/skuUnitDescription units ("GB Months", "OCPU Hours"), not FOCUS ' +
            'unit names; ConsumedQuantity is the same unless the report has usage/consumedQuantity',
        },
        {
          column: 'SkuPriceId',
          note: 'SkuPriceId = SkuId = cost/productSku (the part number is what OCI prices); SkuMeter = product/Description',
        },
        { column: 'RegionName', note: 'the report has no region display names: RegionName = RegionId (product/region)' },
        {
          column: 'ResourceType',
          note: 'the resource type named in the OCID (ocid1.<type>.…); product/service for resource ids that are not OCIDs',
        },
        { column: 'BillingAccountName', note: 'the report carries no tenancy or account name' },
        { column: 'SkuPriceDetails', note: 'not filled: the report describes the unit only as text (x_BillingUnitReadable)' },
      ];
      if (corrections > 0) gaps.push({ column: 'ChargeClass', note: `${corrections} correction rows (lineItem/isCorrection)` });
      if (overageRows > 0) gaps.push({ column: 'BilledCost', note: `${overageRows} rows carry overage cost (included in cost/myCost)` });
      return gaps;
    },

    vendorTotals() {
      const totals: VendorTotal[] = [{ focusColumn: 'BilledCost', vendorColumn: 'cost/myCost', vendorTotal: billed.toString() }];
      return totals;
    },
  };
}

export const ociCost: BillFormat = {
  id: 'oci-cost',
  label: 'Oracle Cloud (OCI) cost report',
  detect,
  createMapper,
};

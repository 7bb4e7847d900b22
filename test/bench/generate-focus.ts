// Benchmark input: a large, realistic-looking FOCUS 1.4 Cost and Usage CSV of exactly `rows` rows.
//
// Realistic where the importer and queries care: ~40 services over 3 providers, 12 regions, ~200 sub accounts,
// about rows/10 distinct resources, tags with 3–5 keys from a few dozen combinations, daily charge periods over
// `days` days (several billing periods), ~640 bytes per row. Exact money (integer nano-units) so benchmarks can check
// sums. Fast: cells shared by one SKU in one region are rendered once (RowLayout), so a row costs a few string joins.
//
// Script: node --import tsx test/bench/generate-focus.ts --rows 100000 --out /tmp/x.csv [--seed 1] [--days 180] [--gzip]
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Rng } from '../../src-main/demo/random';
import {
  costPerStepNanos,
  csvCell,
  FOCUS_14_COLUMNS,
  FocusCsvWriter,
  formatFocusDate,
  formatScaled,
  isAscii,
  NanoSum,
  parseScaled,
  RowLayout,
  UNIT_PRICE_SCALE,
} from '../../src-main/demo/focus-writer';
import type { BoundRow, FocusColumn } from '../../src-main/demo/focus-writer';

// ---------- public types ----------

export interface BenchOptions {
  outPath: string;
  rows: number;
  seed?: number;
  gzip?: boolean;
  /** Days covered by ChargePeriodStart, from 2025-01-01 (fixed so files do not depend on today). Default 180. */
  days?: number;
}

export interface BenchResult {
  rows: number;
  /** Size of the file on disk (compressed when gzip). */
  bytes: number;
  /** Uncompressed CSV size including the header. */
  csvBytes: number;
  billedNanos: bigint;
  /** Sub accounts that occur in the file (for filter benchmarks). */
  subAccountIds: string[];
  /** A tag that occurs on many rows (for filter benchmarks). */
  tagValue: { key: string; value: string };
}

// ---------- the synthetic catalog ----------

/** [sku id, meter, description, list price, pricing unit, consumed unit, consumed per pricing unit, decimals, typical daily qty, eligible, SkuPriceDetails] */
type SkuTuple = [string, string, string, string, string, string, number, number, number, boolean?, string?];
/** [service name, category, subcategory, resource type, resource id pattern, skus] */
type ServiceTuple = [string, string, string, string, string, SkuTuple[]];

interface ProviderSpec {
  name: string;
  issuer: string;
  invoicePrefix: string;
  billingAccount: { id: string; name: string; type: string };
  subAccountType: string;
  subAccounts: number;
  weight: number;
  regions: [id: string, name: string, zones: string[]][];
  services: ServiceTuple[];
}

const vm = (type: string, cores: number, mem: number) =>
  JSON.stringify({ InstanceType: type, CoreCount: cores, MemorySize: mem, OperatingSystem: 'Linux' });

// Resource id patterns: {a} sub account id, {r} region, {h} hex suffix unique per resource.
const PROVIDERS: ProviderSpec[] = [
  {
    name: 'AWS',
    issuer: 'Amazon Web Services, Inc.',
    invoicePrefix: 'EUINUS25',
    billingAccount: { id: '418255310927', name: 'Contoso Bench', type: 'Management Account' },
    subAccountType: 'Member Account',
    subAccounts: 110,
    weight: 0.7,
    regions: [
      ['us-east-1', 'US East (N. Virginia)', ['us-east-1a', 'us-east-1b', 'us-east-1c']],
      ['us-west-2', 'US West (Oregon)', ['us-west-2a', 'us-west-2b']],
      ['eu-central-1', 'Europe (Frankfurt)', ['eu-central-1a', 'eu-central-1b']],
      ['eu-west-1', 'Europe (Ireland)', ['eu-west-1a', 'eu-west-1b']],
      ['ap-southeast-1', 'Asia Pacific (Singapore)', ['ap-southeast-1a']],
    ],
    services: [
      ['Amazon Elastic Compute Cloud', 'Compute', 'Virtual Machines', 'Instance', 'i-0{h}', [
        ['JG3KUJMBRGHV3N8G', 'm5.xlarge', '$0.192 per On Demand Linux m5.xlarge Instance Hour', '0.192', 'Hours', 'Hours', 1, 2, 20, true, vm('m5.xlarge', 4, 16)],
        ['8VCNEHQMSCQS4P39', 'c6i.2xlarge', '$0.34 per On Demand Linux c6i.2xlarge Instance Hour', '0.34', 'Hours', 'Hours', 1, 2, 18, true, vm('c6i.2xlarge', 8, 16)],
        ['CNYETXBBP73CTYPG', 't3.large', '$0.0832 per On Demand Linux t3.large Instance Hour', '0.0832', 'Hours', 'Hours', 1, 2, 14, true, vm('t3.large', 2, 8)],
      ]],
      ['Amazon Elastic Block Store', 'Storage', 'Block Storage', 'Volume', 'vol-0{h}', [
        ['HQEH3ZWJVT46JHRG', 'gp3 Storage', '$0.08 per GB-month of General Purpose (gp3) provisioned storage', '0.08', 'GB-Months', 'GB-Months', 1, 3, 12],
      ]],
      ['Amazon Simple Storage Service', 'Storage', 'Object Storage', 'Bucket', 'arn:aws:s3:::bench-{h}', [
        ['PNUBVW4CPC8XA46W', 'Standard Storage', '$0.023 per GB - first 50 TB / month of storage used', '0.023', 'GB-Months', 'GB-Months', 1, 3, 60],
        ['MN45SJANDTCPR9QA', 'Requests-Tier1', '$0.005 per 1,000 PUT, COPY, POST, or LIST requests', '0.005', '1000 Requests', 'Requests', 1000, 3, 40],
      ]],
      ['Amazon Relational Database Service', 'Databases', 'Relational Databases', 'DB Instance', 'arn:aws:rds:{r}:{a}:db:bench-{h}', [
        ['QZ2Y8NDXK7EVRH5S', 'db.r6g.xlarge', '$0.449 per RDS db.r6g.xlarge Single-AZ instance hour running PostgreSQL', '0.449', 'Hours', 'Hours', 1, 2, 22],
      ]],
      ['AWS Lambda', 'Compute', 'Serverless Compute', 'Function', 'arn:aws:lambda:{r}:{a}:function:fn-{h}', [
        ['G95FST5FTYV3JSRX', 'Requests', 'AWS Lambda - Total Requests - $0.20 per 1M requests', '0.20', '1000000 Requests', 'Requests', 1000000, 6, 1.5],
        ['TG3M4CAGBA3NYQBH', 'Duration', 'AWS Lambda - Total Compute - $0.0000166667 per GB-second', '0.0000166667', 'GB-Seconds', 'GB-Seconds', 1, -1, 40000, true],
      ]],
      ['Amazon DynamoDB', 'Databases', 'NoSQL Databases', 'Table', 'arn:aws:dynamodb:{r}:{a}:table/t-{h}', [
        ['9MG5B7V4UUU2WPAV', 'Read Request Units', '$0.25 per million read request units', '0.25', '1000000 Requests', 'Requests', 1000000, 6, 30],
        ['XG9EWMB6Q4RZKJ2T', 'Write Request Units', '$1.25 per million write request units', '1.25', '1000000 Requests', 'Requests', 1000000, 6, 6],
      ]],
      ['Amazon CloudFront', 'Networking', 'Content Delivery', 'Distribution', 'arn:aws:cloudfront::{a}:distribution/E{h}', [
        ['EAUDKWWNQJZTV253', 'Data Transfer Out', '$0.085 per GB - first 10 TB / month data transfer out', '0.085', 'GB', 'GB', 1, 3, 300],
      ]],
      ['Elastic Load Balancing', 'Networking', 'Application Networking', 'Load Balancer', 'arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/app/lb-{h}', [
        ['2ETY8Y426S4237JU', 'LoadBalancer Hours', '$0.0225 per Application LoadBalancer-hour (or partial hour)', '0.0225', 'Hours', 'Hours', 1, 2, 24],
        ['KWTFFXZYB6ZN45ZY', 'LCU Hours', '$0.008 per used Application load balancer capacity unit-hour', '0.008', 'LCU-Hours', 'LCU-Hours', 1, 3, 40],
      ]],
      ['Amazon Virtual Private Cloud', 'Networking', 'Network Connectivity', 'NAT Gateway', 'arn:aws:ec2:{r}:{a}:natgateway/nat-0{h}', [
        ['SNA2C9ZKZQUUAPF8', 'NAT Gateway Hours', '$0.045 per NAT Gateway Hour', '0.045', 'Hours', 'Hours', 1, 2, 24],
        ['M2YSHUBETB3JX4M4', 'NAT Gateway Bytes', '$0.045 per GB Data Processed by NAT Gateways', '0.045', 'GB', 'GB', 1, 3, 200],
      ]],
      ['AmazonCloudWatch', 'Management and Governance', 'Observability', 'Log Group', 'arn:aws:logs:{r}:{a}:log-group:/bench/{h}', [
        ['NBHXEKTE88TJDDQF', 'Log Data Ingestion', '$0.50 per GB custom log data ingested', '0.50', 'GB', 'GB', 1, 3, 8],
      ]],
      ['Amazon Elastic Kubernetes Service', 'Compute', 'Containers', 'Cluster', 'arn:aws:eks:{r}:{a}:cluster/eks-{h}', [
        ['FQSQJ9ZDA4ZTHMFK', 'EKS Cluster Hours', '$0.10 per hour per Amazon EKS cluster', '0.10', 'Hours', 'Hours', 1, 2, 24],
      ]],
      ['Amazon ElastiCache', 'Databases', 'Caching', 'Cache Cluster', 'arn:aws:elasticache:{r}:{a}:cluster:cache-{h}', [
        ['7Y5B2HXTQ9CE3RZN', 'cache.r6g.large', '$0.206 per Redis cache.r6g.large node-hour', '0.206', 'Hours', 'Hours', 1, 2, 24],
      ]],
      ['Amazon Simple Queue Service', 'Integration', 'Messaging', 'Queue', 'arn:aws:sqs:{r}:{a}:q-{h}', [
        ['K8RUXZ3N5FWJ2D7M', 'Requests', '$0.40 per million Amazon SQS standard requests', '0.40', '1000000 Requests', 'Requests', 1000000, 6, 20],
      ]],
      ['Amazon Simple Notification Service', 'Integration', 'Messaging', 'Topic', 'arn:aws:sns:{r}:{a}:topic-{h}', [
        ['XC4D9EN7P2KQ6TRW', 'Requests', '$0.50 per million Amazon SNS requests', '0.50', '1000000 Requests', 'Requests', 1000000, 6, 5],
      ]],
      ['Amazon Kinesis', 'Analytics', 'Streaming Analytics', 'Stream', 'arn:aws:kinesis:{r}:{a}:stream/s-{h}', [
        ['Q3W8N6ZCK2TPV5YD', 'Shard Hours', '$0.015 per Shard Hour', '0.015', 'Hours', 'Hours', 1, 2, 96],
      ]],
      ['Amazon Route 53', 'Networking', 'Network Routing', 'Hosted Zone', 'arn:aws:route53:::hostedzone/Z{h}', [
        ['2UX8MT5KQ7D3RNPB', 'DNS Queries', '$0.40 per 1,000,000 queries for the first billion queries', '0.40', '1000000 Requests', 'Requests', 1000000, 6, 4],
      ]],
    ],
  },
  {
    name: 'Microsoft',
    issuer: 'Microsoft',
    invoicePrefix: 'G0',
    billingAccount: { id: '/providers/Microsoft.Billing/billingAccounts/74210935', name: 'Contoso Bench', type: 'Billing Account' },
    subAccountType: 'Subscription',
    subAccounts: 60,
    weight: 0.17,
    regions: [
      ['eastus', 'East US', []],
      ['eastus2', 'East US 2', []],
      ['westeurope', 'West Europe', []],
      ['northeurope', 'North Europe', []],
    ],
    services: [
      ['Virtual Machines', 'Compute', 'Virtual Machines', 'Virtual machine', '{a}/resourceGroups/rg-bench/providers/Microsoft.Compute/virtualMachines/vm-{h}', [
        ['DZH318Z0BQ4L', 'D4s v5', 'Virtual Machines Dsv5 Series - D4s v5', '0.192', 'Hours', 'Hours', 1, 2, 20, false, vm('Standard_D4s_v5', 4, 16)],
        ['DZH318Z0BPVJ', 'B2ms', 'Virtual Machines BS Series - B2ms', '0.0832', 'Hours', 'Hours', 1, 2, 14, false, vm('Standard_B2ms', 2, 8)],
      ]],
      ['Managed Disks', 'Storage', 'Block Storage', 'Disk', '{a}/resourceGroups/rg-bench/providers/Microsoft.Compute/disks/disk-{h}', [
        ['DZH318Z0BP04', 'P20 LRS Disk', 'Premium SSD Managed Disks - P20 LRS - Disk', '73.22', 'Months', 'Months', 1, 3, 0.033333],
      ]],
      ['Storage Accounts', 'Storage', 'Object Storage', 'Storage account', '{a}/resourceGroups/rg-bench/providers/Microsoft.Storage/storageAccounts/st{h}', [
        ['DZH318Z0BNVX', 'Hot LRS Data Stored', 'Blob Storage - Hot LRS - Data Stored', '0.0184', 'GB-Months', 'GB-Months', 1, 3, 40],
        ['DZH318Z0BNW0', 'Hot Write Operations', 'Blob Storage - Hot LRS - Write Operations', '0.055', '10000 Requests', 'Requests', 10000, 4, 60],
      ]],
      ['Azure SQL Database', 'Databases', 'Relational Databases', 'SQL database', '{a}/resourceGroups/rg-bench/providers/Microsoft.Sql/servers/sql-bench/databases/db-{h}', [
        ['DZH318Z0BQ7X', 'vCore', 'SQL Database Single General Purpose - Compute Gen5 - vCore', '0.2522', 'vCore-Hours', 'vCore-Hours', 1, 2, 48],
      ]],
      ['Azure Kubernetes Service', 'Compute', 'Containers', 'Kubernetes service', '{a}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-{h}', [
        ['DZH318Z0BQ5Z', 'Uptime SLA', 'Azure Kubernetes Service - Standard - Uptime SLA', '0.10', 'Hours', 'Hours', 1, 2, 24],
      ]],
      ['Azure App Service', 'Web', 'Application Platforms', 'App Service plan', '{a}/resourceGroups/rg-web/providers/Microsoft.Web/serverFarms/asp-{h}', [
        ['DZH318Z0BQ3N', 'P1 v3 App', 'Azure App Service Premium v3 Plan - P1 v3', '0.225', 'Hours', 'Hours', 1, 2, 24],
      ]],
      ['Azure Cache for Redis', 'Databases', 'Caching', 'Azure Cache for Redis', '{a}/resourceGroups/rg-cache/providers/Microsoft.Cache/Redis/redis-{h}', [
        ['DZH318Z0BQ2R', 'C2 Cache Instance', 'Azure Cache for Redis - Standard - C2', '0.20', 'Hours', 'Hours', 1, 2, 24],
      ]],
      ['Log Analytics', 'Management and Governance', 'Observability', 'Log Analytics workspace', '{a}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/log-{h}', [
        ['DZH318Z0BQ8W', 'Analytics Logs Data Ingestion', 'Log Analytics - Pay-as-you-go - Data Ingestion', '2.30', 'GB', 'GB', 1, 3, 5],
      ]],
      ['Azure Cosmos DB', 'Databases', 'NoSQL Databases', 'Azure Cosmos DB account', '{a}/resourceGroups/rg-data/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-{h}', [
        ['DZH318Z0BQ9K', '100 RU/s', 'Azure Cosmos DB - 100 RU/s', '0.008', 'Hours', 'Hours', 1, 2, 240],
      ]],
      ['Functions', 'Compute', 'Serverless Compute', 'Function App', '{a}/resourceGroups/rg-fn/providers/Microsoft.Web/sites/func-{h}', [
        ['DZH318Z0BQ1F', 'Execution Time', 'Functions - Execution Time', '0.000016', 'GB-Seconds', 'GB-Seconds', 1, 0, 30000],
      ]],
      ['Bandwidth', 'Networking', 'Network Infrastructure', 'Virtual network', '{a}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-{h}', [
        ['DZH318Z0BQ6B', 'Standard Data Transfer Out', 'Bandwidth - Rtn Preference: MGN - Data Transfer Out', '0.087', 'GB', 'GB', 1, 3, 80],
      ]],
      ['Key Vault', 'Security', 'Secret Management', 'Key vault', '{a}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-{h}', [
        ['DZH318Z0BQ0V', 'Operations', 'Key Vault - Standard - Operations', '0.03', '10000 Requests', 'Requests', 10000, 4, 20],
      ]],
    ],
  },
  {
    name: 'Google Cloud',
    issuer: 'Google LLC',
    invoicePrefix: '38',
    billingAccount: { id: '01A7C3-5B92D1-E84F06', name: 'Contoso Bench GCP', type: 'Billing Account' },
    subAccountType: 'Project',
    subAccounts: 30,
    weight: 0.13,
    regions: [
      ['us-central1', 'Iowa', ['us-central1-a', 'us-central1-b', 'us-central1-f']],
      ['us-east4', 'Northern Virginia', ['us-east4-a', 'us-east4-c']],
      ['europe-west1', 'Belgium', ['europe-west1-b', 'europe-west1-d']],
    ],
    services: [
      ['Compute Engine', 'Compute', 'Virtual Machines', 'Instance', '//compute.googleapis.com/projects/{a}/zones/{r}/instances/vm-{h}', [
        ['CF4E-A0C7-E3BF', 'N2 Instance Core', 'N2 Instance Core running in Americas', '0.031611', 'vCPU-Hours', 'vCPU-Hours', 1, 2, 80],
        ['F449-33EC-A5EF', 'N2 Instance Ram', 'N2 Instance Ram running in Americas', '0.004237', 'GiB-Hours', 'GiB-Hours', 1, 2, 320],
        ['E8A5-3EC2-1E75', 'Balanced PD Capacity', 'Balanced PD Capacity', '0.10', 'GiB-Months', 'GiB-Months', 1, 3, 10],
      ]],
      ['Cloud Storage', 'Storage', 'Object Storage', 'Bucket', '//storage.googleapis.com/projects/_/buckets/b-{h}', [
        ['E5F0-6A5D-7BAD', 'Standard Storage', 'Standard Storage US Regional', '0.020', 'GiB-Months', 'GiB-Months', 1, 3, 50],
      ]],
      ['BigQuery', 'Databases', 'Data Warehouses', 'Dataset', '//bigquery.googleapis.com/projects/{a}/datasets/ds_{h}', [
        ['3362-E469-6BEF', 'Analysis', 'Analysis (on-demand) in US', '6.25', 'TiB', 'TiB', 1, 3, 1.5],
      ]],
      ['Cloud Run', 'Compute', 'Serverless Compute', 'Service', '//run.googleapis.com/projects/{a}/locations/{r}/services/run-{h}', [
        ['8B08-5D81-6B21', 'CPU Allocation Time', 'Cloud Run CPU Allocation Time (tier 1)', '0.000024', 'vCPU-Seconds', 'vCPU-Seconds', 1, 0, 80000],
      ]],
      ['Cloud SQL', 'Databases', 'Relational Databases', 'Instance', '//cloudsql.googleapis.com/projects/{a}/instances/pg-{h}', [
        ['9E26-AD4C-84A1', 'vCPU', 'Cloud SQL for PostgreSQL: Zonal - vCPU in Americas', '0.0413', 'vCPU-Hours', 'vCPU-Hours', 1, 2, 48],
      ]],
      ['Google Kubernetes Engine', 'Compute', 'Containers', 'Cluster', '//container.googleapis.com/projects/{a}/locations/{r}/clusters/gke-{h}', [
        ['B561-BFBD-1264', 'Cluster Management Fee', 'Regional Kubernetes Clusters', '0.10', 'Hours', 'Hours', 1, 2, 24],
      ]],
      ['Cloud Pub/Sub', 'Integration', 'Messaging', 'Topic', '//pubsub.googleapis.com/projects/{a}/topics/t-{h}', [
        ['40FE-E1AE-F3B9', 'Message Delivery Basic', 'Message Delivery Basic', '40', 'TiB', 'TiB', 1, 3, 0.05],
      ]],
      ['Cloud Functions', 'Compute', 'Serverless Compute', 'Function', '//cloudfunctions.googleapis.com/projects/{a}/locations/{r}/functions/f-{h}', [
        ['2F1A-8C3E-5D7B', 'Invocations', 'Cloud Functions Invocations', '0.40', '1000000 Requests', 'Requests', 1000000, 6, 2],
      ]],
      ['Networking', 'Networking', 'Network Infrastructure', 'Forwarding Rule', '//compute.googleapis.com/projects/{a}/regions/{r}/forwardingRules/fr-{h}', [
        ['C7F2-5B4E-91A0', 'Network Internet Egress', 'Network Internet Data Transfer Out from Americas to Americas', '0.12', 'GiB', 'GiB', 1, 3, 60],
      ]],
      ['Cloud Logging', 'Management and Governance', 'Observability', 'Log Bucket', '//logging.googleapis.com/projects/{a}/locations/{r}/buckets/log-{h}', [
        ['143F-A1B0-E0BE', 'Log Storage', 'Log Storage cost', '0.50', 'GiB', 'GiB', 1, 3, 6],
      ]],
      ['Memorystore for Redis', 'Databases', 'Caching', 'Instance', '//redis.googleapis.com/projects/{a}/locations/{r}/instances/redis-{h}', [
        ['5D9B-60C2-8E31', 'Standard Tier Capacity', 'Redis Standard Tier Capacity M1', '0.054', 'GiB-Hours', 'GiB-Hours', 1, 2, 120],
      ]],
      ['Vertex AI', 'AI and Machine Learning', 'AI Platforms', 'Endpoint', '//aiplatform.googleapis.com/projects/{a}/locations/{r}/endpoints/{h}', [
        ['A1E8-4B8C-7C5E', 'Online Prediction n1-standard-4', 'Vertex AI: Online/Batch Prediction N1 Predefined Instance Core', '0.0436', 'Hours', 'Hours', 1, 2, 96],
      ]],
    ],
  },
];

const TEAMS = ['platform', 'data', 'ml', 'web', 'mobile', 'sre', 'security', 'finance'];
const ENVS = ['prod', 'staging', 'dev'];
const OWNERS = ['akim', 'jdoe', 'mlopez', 'tnguyen', 'spatel'];
const APPS = ['core-api', 'checkout', 'search', 'ingest', 'recommender', 'mobile-bff', 'billing', 'reporting', 'auth'];
const START_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

// ---------- built tables ----------

interface Sku {
  /** Position among all SKUs (template key). */
  index: number;
  provider: ProviderSpec;
  serviceIndex: number;
  decimals: number;
  /** 10^decimals: quantity → steps. */
  stepsPerUnit: number;
  consumedDecimals: number;
  listStep: number;
  contractedStep: number;
  eligible: boolean;
  /** Typical PricingQuantity per resource per day. */
  typical: number;
  fixed: Record<string, string | number | null>;
}

interface Service {
  provider: number;
  name: string;
  tuple: ServiceTuple;
  skus: Sku[];
}

function stepNanos(price: bigint, decimals: number, what: string): number {
  const step = costPerStepNanos(price, decimals);
  if (step === null) throw new Error(`${what}: price is not exact for 1e${-decimals} steps`);
  return Number(step);
}

function buildServices(): Service[] {
  const services: Service[] = [];
  let skuCount = 0;
  PROVIDERS.forEach((provider, pi) => {
    for (const tuple of provider.services) {
      const [name, category, subcategory, resourceType, , skuTuples] = tuple;
      const serviceIndex = services.length;
      const skus = skuTuples.map((t): Sku => {
        const [skuId, meter, description, price, unit, consumedUnit, ratio, decimals, typical, eligible, details] = t;
        const list = parseScaled(price, UNIT_PRICE_SCALE);
        // A 5 % negotiated discount, rounded to a price that still costs whole nano-units per step.
        const grain = decimals + 1 > 0 ? 10n ** BigInt(decimals + 1) : 1n;
        const contracted = ((list * 95n + 50n * grain) / (100n * grain)) * grain;
        return {
          index: skuCount++,
          provider,
          serviceIndex,
          decimals,
          stepsPerUnit: 10 ** decimals,
          consumedDecimals: decimals - Math.round(Math.log10(ratio)),
          listStep: stepNanos(list, decimals, skuId),
          contractedStep: stepNanos(contracted, decimals, skuId),
          eligible: eligible === true,
          typical,
          fixed: {
            BillingAccountId: provider.billingAccount.id,
            BillingAccountName: provider.billingAccount.name,
            BillingAccountType: provider.billingAccount.type,
            BillingCurrency: 'USD',
            ChargeCategory: 'Usage',
            ChargeDescription: description,
            ChargeFrequency: 'Usage-Based',
            ConsumedUnit: consumedUnit,
            ContractedUnitPrice: Number(contracted),
            HostProviderName: provider.name,
            InvoiceIssuerName: provider.issuer,
            ListUnitPrice: Number(list),
            PricingCurrency: 'USD',
            PricingUnit: unit,
            ResourceType: resourceType,
            ServiceCategory: category,
            ServiceName: name,
            ServiceProviderName: provider.name,
            ServiceSubcategory: subcategory,
            SkuId: skuId,
            SkuMeter: meter,
            SkuPriceDetails: details ?? null,
            SkuPriceId: `${skuId}.${provider.name === 'AWS' ? 'JRTCKXETXF.6YS6EN2CT7' : 'ondemand'}`,
            SubAccountType: provider.subAccountType,
          },
        };
      });
      services.push({ provider: pi, name, tuple, skus });
    }
  });
  return services;
}

/** Columns that differ between rows of one SKU in one region; everything else is rendered once per template. */
const VARYING: FocusColumn[] = [
  'AvailabilityZone',
  'BilledCost',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountQuantity',
  'ConsumedQuantity',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceId',
  'ListCost',
  'PricingCurrencyEffectiveCost',
  'PricingQuantity',
  'ResourceId',
  'ResourceName',
  'SubAccountId',
  'SubAccountName',
  'Tags',
];
const at = (column: FocusColumn): number => VARYING.indexOf(column);
const C_ZONE = at('AvailabilityZone');
const C_BILLED = at('BilledCost');
const BP_END = at('BillingPeriodEnd');
const BP_START = at('BillingPeriodStart');
const CP_END = at('ChargePeriodEnd');
const CP_START = at('ChargePeriodStart');
const C_CD_QUANTITY = at('CommitmentDiscountQuantity');
const C_CONSUMED = at('ConsumedQuantity');
const C_CONTRACTED = at('ContractedCost');
const C_EFFECTIVE = at('EffectiveCost');
const C_INVOICE = at('InvoiceId');
const C_LIST = at('ListCost');
const C_PC_EFFECTIVE = at('PricingCurrencyEffectiveCost');
const C_PRICING_QTY = at('PricingQuantity');
const C_RESOURCE_ID = at('ResourceId');
const C_RESOURCE_NAME = at('ResourceName');
const C_SUB_ID = at('SubAccountId');
const C_SUB_NAME = at('SubAccountName');
const C_TAGS = at('Tags');

const SAVINGS_PLAN_ID = 'arn:aws:savingsplans::418255310927:savingsplan/8d116ece-1738-47d9-bd9c-172411e20b8f';
/** Covered rows pay the plan rate: 72 % of the contracted cost. */
const PLAN_RATE_PERCENT = 72;

/**
 * The benchmark file has about 57 columns: FOCUS 1.4 Cost and Usage without the split-allocation,
 * capacity-reservation and contract-applied columns, which exports of ordinary accounts leave out.
 */
const BENCH_COLUMNS = FOCUS_14_COLUMNS.filter(
  (c) => !c.startsWith('Allocated') && !c.startsWith('CapacityReservation') && c !== 'ContractApplied',
);

// ---------- generation ----------

export async function generateBenchCsv(opts: BenchOptions): Promise<BenchResult> {
  const rows = Math.floor(opts.rows);
  if (!(rows >= 0)) throw new Error('rows must be a non-negative number');
  const days = Math.max(1, Math.floor(opts.days ?? 180));
  const rng = Rng.derive(opts.seed ?? 1, 'bench');
  const services = buildServices();
  const layout = new RowLayout(BENCH_COLUMNS, VARYING);

  // Sub accounts: ids in each provider's style, pre-rendered as CSV cells.
  const subs: { provider: number; idCell: string; nameCell: string; id: string }[] = [];
  PROVIDERS.forEach((p, pi) => {
    for (let i = 0; i < p.subAccounts; i++) {
      const id = p.name === 'AWS' ? rng.digits(12) : p.name === 'Microsoft' ? `/subscriptions/${rng.uuid()}` : `bench-${rng.pick(APPS)}-${rng.digits(4)}`;
      subs.push({ provider: pi, id, idCell: csvCell('SubAccountId', id), nameCell: csvCell('SubAccountName', `${rng.pick(TEAMS)}-${rng.pick(ENVS)}-${i}`) });
    }
  });
  const subsByProvider = PROVIDERS.map((_, pi) => subs.map((s, i) => (s.provider === pi ? i : -1)).filter((i) => i >= 0));

  // Tag combinations: 3–5 keys, a few dozen distinct; about a fifth of resources carry none.
  const tagCells: string[] = [];
  for (let i = 0; i < 36; i++) {
    const tags: Record<string, string> = { team: TEAMS[i % TEAMS.length] as string, env: ENVS[i % ENVS.length] as string };
    tags.app = APPS[(i * 5) % APPS.length] as string;
    if (i % 2 === 0) tags['cost-center'] = `CC-${1000 + (i % TEAMS.length) * 10}`;
    if (i % 3 === 0) tags.owner = OWNERS[i % OWNERS.length] as string;
    tagCells.push(csvCell('Tags', JSON.stringify(tags)));
  }
  const tagValue = { key: 'team', value: TEAMS[0] as string };

  // Resources: about one per ten rows, each with fixed service, region, zone, sub account, tags and size.
  const resourceCount = Math.max(1, Math.min(250_000, Math.round(rows / 10)));
  const serviceOf = new Uint16Array(resourceCount);
  const regionOf = new Uint8Array(resourceCount);
  const subOf = new Uint16Array(resourceCount);
  const tagsOf = new Int16Array(resourceCount);
  const sizeOf = new Float64Array(resourceCount);
  const coveredOf = new Uint8Array(resourceCount);
  const idCells: string[] = new Array(resourceCount);
  const nameCells: string[] = new Array(resourceCount);
  const zoneCells: string[] = new Array(resourceCount);
  const providerWeights = PROVIDERS.map((p) => p.weight);
  const providerIndexes = PROVIDERS.map((_, i) => i);
  for (let r = 0; r < resourceCount; r++) {
    const pi = rng.weighted(providerIndexes, providerWeights);
    const provider = PROVIDERS[pi] as ProviderSpec;
    const own = services.filter((s) => s.provider === pi);
    const service = own[Math.floor(rng.next() ** 1.6 * own.length)] as Service; // a few services dominate, as in real bills
    const regionIndex = Math.floor(rng.next() ** 2 * provider.regions.length);
    const [regionId, , zones] = provider.regions[regionIndex] as [string, string, string[]];
    const sub = subs[rng.pick(subsByProvider[pi] as number[])] as (typeof subs)[number];
    const hex = rng.hex(12);
    const id = service.tuple[4].replace('{a}', sub.id).replace('{r}', regionId).replace('{h}', hex);
    serviceOf[r] = services.indexOf(service);
    regionOf[r] = regionIndex;
    subOf[r] = subs.indexOf(sub);
    tagsOf[r] = rng.chance(0.2) ? -1 : rng.int(0, tagCells.length - 1);
    sizeOf[r] = Math.exp(rng.range(-1.2, 1.2));
    coveredOf[r] = service.skus.some((s) => s.eligible) && rng.chance(0.3) ? 1 : 0;
    idCells[r] = csvCell('ResourceId', id);
    nameCells[r] = rng.chance(0.25) ? csvCell('ResourceName', `${rng.pick(APPS)}-${rng.pick(ENVS)}-${hex.slice(0, 4)}`) : '';
    zoneCells[r] = zones.length && rng.chance(0.8) ? csvCell('AvailabilityZone', rng.pick(zones)) : '';
  }

  // The fast Latin-1 path in writeBound relies on this: every pre-rendered text cell must be ASCII.
  const texts = [...subs.flatMap((s) => [s.idCell, s.nameCell]), ...tagCells, ...idCells, ...nameCells, ...zoneCells];
  if (!texts.every(isAscii)) throw new Error('benchmark text cells must be ASCII');

  // One template per (SKU, region, covered), bound on first use; a numeric key keeps the per-row lookup allocation-free.
  const templates: (BoundRow | undefined)[] = [];
  const templateFor = (sku: Sku, regionIndex: number, covered: boolean): BoundRow => {
    const key = (sku.index * 8 + regionIndex) * 2 + (covered ? 1 : 0);
    let bound = templates[key];
    if (!bound) {
      const [regionId, regionName] = sku.provider.regions[regionIndex] as [string, string, string[]];
      bound = layout.bind({
        ...sku.fixed,
        RegionId: regionId,
        RegionName: regionName,
        PricingCategory: covered ? 'Committed' : 'Standard',
        CommitmentProgramEligibilityDetails: sku.eligible ? '{"CommitmentPrograms":[{"ProgramType":"Savings Plan"}]}' : null,
        ...(covered
          ? {
              CommitmentDiscountId: SAVINGS_PLAN_ID,
              CommitmentDiscountName: 'Compute Savings Plan 3yr No Upfront',
              CommitmentDiscountType: 'Savings Plan',
              CommitmentDiscountCategory: 'Spend',
              CommitmentDiscountStatus: 'Used',
              CommitmentDiscountUnit: 'USD',
            }
          : {}),
      });
      templates[key] = bound;
    }
    return bound;
  };

  const writer = FocusCsvWriter.open(opts.outPath, { gzip: opts.gzip, gzipLevel: 1, columns: BENCH_COLUMNS });
  const billed = new NanoSum();
  const usedSubs = new Uint8Array(subs.length);
  const cells: string[] = new Array<string>(VARYING.length).fill('');
  let currentDay = -1;
  let invoiceCells: string[] = [];
  let dayCells: string[] = [];
  let weekendFactor = 1;

  try {
    for (let i = 0; i < rows; i++) {
      const day = Math.floor((i * days) / Math.max(1, rows));
      if (day !== currentDay) {
        currentDay = day;
        const dayMs = START_MS + day * DAY_MS;
        const d = new Date(dayMs);
        const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
        const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        dayCells = [formatFocusDate(monthEnd), formatFocusDate(monthStart), formatFocusDate(dayMs + DAY_MS), formatFocusDate(dayMs)];
        const label = formatFocusDate(monthStart).slice(0, 7).replace('-', '');
        invoiceCells = PROVIDERS.map((p) => `${p.invoicePrefix}${label}${String(hashDigits(p.name + label)).padStart(6, '0')}`);
        weekendFactor = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.7 : 1;
      }
      const r = Math.floor(rng.next() * resourceCount);
      const service = services[serviceOf[r] as number] as Service;
      const skuIndex = service.skus.length === 1 ? 0 : Math.floor(rng.next() * service.skus.length);
      const sku = service.skus[skuIndex] as Sku;
      const covered = coveredOf[r] === 1 && sku.eligible;
      const bound = templateFor(sku, regionOf[r] as number, covered);

      const q = sku.typical * (sizeOf[r] as number) * weekendFactor * (0.85 + 0.3 * rng.next());
      const steps = Math.max(1, Math.round(q * sku.stepsPerUnit));
      const contracted = steps * sku.contractedStep;
      const contractedText = formatScaled(contracted, 9);
      // Equal numbers share one string: most rows have BilledCost = EffectiveCost = ContractedCost, and
      // PricingQuantity = ConsumedQuantity, so formatting each once is a measurable saving at a million rows.
      const effectiveText = covered ? formatScaled(Math.round((contracted * PLAN_RATE_PERCENT) / 100), 9) : contractedText;
      const pricingText = formatScaled(steps, sku.decimals);
      billed.add(covered ? 0 : contracted);

      cells[C_ZONE] = zoneCells[r] as string;
      cells[C_BILLED] = covered ? '0' : contractedText;
      cells[BP_END] = dayCells[0] as string;
      cells[BP_START] = dayCells[1] as string;
      cells[CP_END] = dayCells[2] as string;
      cells[CP_START] = dayCells[3] as string;
      cells[C_CD_QUANTITY] = covered ? effectiveText : '';
      cells[C_CONSUMED] = sku.consumedDecimals === sku.decimals ? pricingText : formatScaled(steps, sku.consumedDecimals);
      cells[C_CONTRACTED] = contractedText;
      cells[C_EFFECTIVE] = effectiveText;
      cells[C_INVOICE] = invoiceCells[service.provider] as string;
      cells[C_LIST] = formatScaled(steps * sku.listStep, 9);
      cells[C_PC_EFFECTIVE] = effectiveText;
      cells[C_PRICING_QTY] = pricingText;
      cells[C_RESOURCE_ID] = idCells[r] as string;
      cells[C_RESOURCE_NAME] = nameCells[r] as string;
      const subIndex = subOf[r] as number;
      const sub = subs[subIndex] as (typeof subs)[number];
      usedSubs[subIndex] = 1;
      cells[C_SUB_ID] = sub.idCell;
      cells[C_SUB_NAME] = sub.nameCell;
      const t = tagsOf[r] as number;
      cells[C_TAGS] = t < 0 ? '' : (tagCells[t] as string);
      writer.writeBound(bound, cells, true); // every cell is ASCII: checked for the tables below, numbers and dates are
      if (writer.mustDrain) await writer.drain();
    }
  } catch (error) {
    await writer.close().catch(() => undefined);
    throw error;
  }
  const written = await writer.close();
  const { size } = await stat(opts.outPath);
  return {
    rows: written.rows,
    bytes: size,
    csvBytes: written.csvBytes,
    billedNanos: billed.value,
    subAccountIds: subs.filter((_, i) => usedSubs[i] === 1).map((s) => s.id),
    tagValue,
  };
}

function hashDigits(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 1_000_000;
  return h;
}

// ---------- script entry ----------

function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const rows = Number(argValue(args, '--rows') ?? 100_000);
  const outPath = argValue(args, '--out') ?? `/tmp/focus-bench-${rows}.csv${args.includes('--gzip') ? '.gz' : ''}`;
  const started = performance.now();
  const result = await generateBenchCsv({
    outPath,
    rows,
    seed: Number(argValue(args, '--seed') ?? 1),
    days: Number(argValue(args, '--days') ?? 180),
    gzip: args.includes('--gzip'),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${outPath}: ${result.rows} rows, ${(result.csvBytes / 1e6).toFixed(1)} MB csv (${Math.round(result.csvBytes / Math.max(1, result.rows))} B/row), ` +
      `${(result.bytes / 1e6).toFixed(1)} MB on disk, ${seconds.toFixed(2)} s, ${Math.round(result.rows / seconds)} rows/s, ` +
      `BilledCost ${formatScaled(result.billedNanos, 9)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

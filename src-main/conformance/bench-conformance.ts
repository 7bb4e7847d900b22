// Micro-benchmark of the conformance checker on 200,000 synthetic rows of a 44-column FOCUS 1.0-style file (the
// columns of the FOCUS sample data, including the custom column `Id`). Rows are generated in memory as lines; each
// pass splits every line into fresh cell strings (as a CSV reader produces them) and checks it, and the cost of a
// split-only pass is subtracted. Times are this process's CPU time, which is steadier than wall-clock time on a
// shared machine.
//   node --import tsx src-main/conformance/bench-conformance.ts [rows]
import { createConformanceChecker } from './index';

const HEADER = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountStatus', 'CommitmentDiscountType', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost',
  'ContractedUnitPrice', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory',
  'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId',
  'ResourceName', 'ResourceType', 'ServiceCategory', 'Id', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'Tags',
];

let seed = 42;
const rand = (): number => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
/** A fresh copy of a string, like a CSV reader's slice of its input buffer. */
const fresh = (s: string): string => (s + ' ').slice(0, -1);

const SERVICES = [
  ['Amazon Elastic Compute Cloud', 'Compute', 'Hours'],
  ['Amazon Simple Storage Service', 'Storage', 'GB-Months'],
  ['Amazon Simple Queue Service', 'Integration', 'Requests'],
  ['Elastic Load Balancing', 'Networking', 'LCU-Hours'],
  ['Amazon Relational Database Service', 'Databases', 'Hours'],
  ['AWS Key Management Service', 'Security', 'Requests'],
] as const;
const REGIONS = [['us-west-2', 'US West (Oregon)'], ['eu-west-1', 'Europe (Ireland)'], ['us-east-1', 'US East (N. Virginia)']] as const;
const TAGS = [
  '{"application": "BrightLensMatrix", "environment": "dev", "business_unit": "ViennaAI"}',
  '{"application": "Atlas", "environment": "prod"}',
  'NULL',
];

function syntheticRow(i: number): string[] {
  const [service, category, unit] = pick(SERVICES);
  const [regionId, regionName] = pick(REGIONS);
  const qty = (rand() * 100).toFixed(11);
  const price = pick(['0.0000004', '0.008', '0.085', '0.023']);
  const list = (Number(qty) * Number(price)).toFixed(11);
  const day = String(1 + (i % 28)).padStart(2, '0');
  const hour = String(i % 24).padStart(2, '0');
  const committed = rand() < 0.05;
  const row = [
    rand() < 0.7 ? 'NULL' : `${regionId}a`,
    list,
    '1234567890123',
    'SunBird',
    'USD',
    '2024-10-01T00:00:00Z',
    '2024-09-01T00:00:00Z',
    rand() < 0.98 ? 'Usage' : 'Credit',
    'NULL',
    `$${price} per unit of ${service} in ${regionName}`,
    'Usage-Based',
    `2024-09-${day}T${hour}:00:00Z`,
    `2024-09-${day}T${hour}:00:00Z`,
    committed ? 'Spend' : 'NULL',
    committed ? 'arn:aws:savingsplans::123456789012:savingsplan/abc' : 'NULL',
    committed ? 'Compute Savings Plan' : 'NULL',
    committed ? 'Used' : 'NULL',
    committed ? 'Savings Plan' : 'NULL',
    qty,
    unit,
    list,
    price,
    committed ? (Number(list) * 0.7).toFixed(11) : list,
    'Amazon Web Services, Inc.',
    list,
    price,
    committed ? 'Committed' : 'Standard',
    qty,
    unit,
    'AWS',
    'Amazon Web Services, Inc.',
    regionId,
    regionName,
    `arn:aws:${category.toLowerCase()}:${regionId}:123456789012:resource/${Math.floor(rand() * 5000)}`,
    'NULL',
    'NULL',
    category,
    String(10000 + i),
    service,
    `SKU${Math.floor(rand() * 500)}`,
    '',
    String(40000000000 + Math.floor(rand() * 50)),
    pick(['Atlas Nimbus', 'Zenith Eclipse', 'Orion']),
    pick(TAGS),
  ];
  row[40] = `${row[39]}.JRTCKXETXF.${row[39]}`;
  return row.map(fresh);
}

const total = Number(process.argv[2] ?? 200_000);
// The rows as tab-separated lines (no value contains a tab): splitting a line gives fresh cell strings, sliced from
// the line, as the importer's CSV reader produces them just before it calls the checker.
const lines: string[] = [];
for (let i = 0; i < total; i++) lines.push(syntheticRow(i).join('\t'));

const cpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU µs per row of: split each line (+ check it when `checker` is given). */
function pass(checker: ReturnType<typeof createConformanceChecker> | null): number {
  let sink = 0;
  const c0 = cpu();
  for (let i = 0; i < total; i++) {
    const row = lines[i]!.split('\t');
    if (checker) checker.row(row, i + 1);
    else sink += row.length;
  }
  const us = (cpu() - c0) / total;
  if (sink < 0) console.log(sink);
  return us;
}

// Warm-up: the JIT optimises the generated row function (once per checker, i.e. once per file).
const warm = createConformanceChecker(HEADER);
pass(warm);
pass(null);

let best = Infinity;
let bestSplit = Infinity;
let report = warm.finish({ file: 'synthetic.csv', focusVersion: '1.0' });
const coldStart = process.hrtime.bigint();
for (let rep = 0; rep < 3; rep++) {
  const checker = createConformanceChecker(HEADER);
  const withCheck = pass(checker);
  const splitOnly = pass(null);
  best = Math.min(best, withCheck - splitOnly);
  bestSplit = Math.min(bestSplit, splitOnly);
  report = checker.finish({ file: 'synthetic.csv', focusVersion: '1.0' });
}
const wallMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
console.log(`${total} synthetic rows × ${HEADER.length} columns, best of 3 passes (a fresh checker each; the JIT-optimised row function is shared)`);
console.log(`  checker: ${best.toFixed(3)} µs/row CPU → ${best.toFixed(2)} s per million rows`);
console.log(`  (splitting the line alone: ${bestSplit.toFixed(3)} µs/row; 3×2 passes took ${(wallMs / 1000).toFixed(1)} s wall)`);
console.log(`  rules: ${JSON.stringify(report.summary)}`);

// Micro-benchmark of the conformance checker on 200,000 synthetic rows of a 44-column FOCUS 1.0-style file (the
// columns of the FOCUS sample data, including the custom column `Id`). Rows are generated in memory, in batches,
// with fresh strings (as a CSV reader produces them); only the checker's time is measured.
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
const batch = 5_000;
const checker = createConformanceChecker(HEADER);
// Warm-up on the same checker so the JIT has optimised its generated row function.
for (let i = 0; i < 50_000; i++) checker.row(syntheticRow(i), i + 1);

// Wall-clock per batch, and this process's CPU time (robust when other processes share the machine; it includes
// the process's own GC and compiler threads, so it slightly overstates).
const perBatch: number[] = [];
let cpuMicros = 0;
for (let done = 0; done < total; done += batch) {
  const rows: string[][] = [];
  for (let i = 0; i < batch; i++) rows.push(syntheticRow(done + i));
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) checker.row(rows[i]!, done + i + 1);
  perBatch.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  const c1 = process.cpuUsage(c0);
  cpuMicros += c1.user + c1.system;
}
const t0 = process.hrtime.bigint();
const report = checker.finish({ file: 'synthetic.csv', focusVersion: '1.0' });
const finishMs = Number(process.hrtime.bigint() - t0) / 1e6;
const sorted = [...perBatch].sort((a, b) => a - b);
const mean = perBatch.reduce((a, b) => a + b, 0) / perBatch.length;
const f = (x: number): string => `${x.toFixed(3)} µs/row`;
console.log(`${total} rows × ${HEADER.length} columns (after 50,000 warm-up rows)`);
console.log(`  wall: mean ${f(mean)}, median ${f(sorted[Math.floor(sorted.length / 2)]!)}, best batch ${f(sorted[0]!)}`);
console.log(`  cpu:  ${f(cpuMicros / total)}  → ${((cpuMicros / total) * 1e6 / 1e6).toFixed(2)} s per million rows`);
console.log(`  finish: ${finishMs.toFixed(1)} ms; rules: ${JSON.stringify(report.summary)}`);

// Compare, end to end: two months of known charges written here and imported through the file chooser; the screen's
// change is B − A as summed from the file, its price part the hand-derived one; drill into a value, empty periods and
// several currencies.
import { expect, test, type Page } from '@playwright/test';
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { shot, startServe, type Served } from './serve-fixture';

let served: Served;

const HEADER = 'BilledCost,EffectiveCost,BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargeClass,ChargePeriodStart,ChargePeriodEnd,InvoiceIssuerName,ServiceProviderName,ServiceName,ResourceId,SkuId,ChargeDescription,PricingQuantity,PricingUnit';

/** One charge: [day, cost, service, resource, quantity, unit, category?, class?, sku?, description?]. */
type Charge = [string, string, string, string, string, string, string?, string?, string?, string?];

function line([day, cost, service, resource, qty, unit, category = 'Usage', klass = '', sku = '', description = '']: Charge, currency = 'USD'): string {
  const month = day.slice(0, 7);
  const next = month === '2026-09' ? '2026-10' : '2026-11';
  return [
    cost,
    cost,
    currency === 'USD' ? 'acct-1' : 'acct-eu',
    currency,
    `${month}-01T00:00:00Z`,
    `${next}-01T00:00:00Z`,
    category,
    klass,
    `${day}T00:00:00Z`,
    `${day}T23:00:00Z`,
    'Aura Web',
    'Aura Web',
    service,
    resource,
    sku,
    description,
    qty,
    unit,
  ].join(',');
}

// Price, hand-derived: Compute +4.00 (vm-1 0.10 → 0.12 on 100 h: +2.00; the support fee without a quantity: +2.00),
// Storage −2.40 (1,200 GB-Mo at 0.021 instead of 0.023), Archive 2.00 − 7 × 1.00/3 = −0.333333333, Networking
// 1,100 GB at 0.08 instead of 0.09: −11.00, Database none. Total −9.733333333.
const CHARGES: Charge[] = [
  ['2026-09-03', '10.00', 'Compute', 'vm-1', '100', 'Hours'],
  ['2026-10-03', '12.00', 'Compute', 'vm-1', '100', 'Hours'],
  ['2026-09-05', '10.00', 'Compute', 'vm-2', '200', 'Hours'],
  ['2026-10-05', '15.00', 'Compute', 'vm-2', '300', 'Hours'],
  ['2026-09-05', '20.00', 'Compute', 'vm-3', '100', 'Hours'],
  ['2026-10-05', '10.00', 'Compute', 'vm-3', '50', 'Hours'],
  ['2026-09-06', '30.00', 'Compute', 'vm-old', '300', 'Hours'],
  ['2026-10-07', '25.50', 'Compute', 'vm-new', '150', 'Hours'],
  ['2026-09-30', '5.00', 'Compute', '', '', '', 'Usage', '', 'SUPPORT', 'Support plan'],
  ['2026-10-31', '7.00', 'Compute', '', '', '', 'Usage', '', 'SUPPORT', 'Support plan'],
  ['2026-09-30', '-3.00', 'Compute', '', '', '', 'Credit', '', '', 'Promotional credit'],
  ['2026-10-31', '-1.00', 'Compute', '', '', '', 'Credit', '', '', 'Promotional credit'],
  ['2026-09-30', '23.00', 'Storage', 'bucket-1', '1000', 'GB-Mo'],
  ['2026-10-31', '25.20', 'Storage', 'bucket-1', '1200', 'GB-Mo'],
  ['2026-09-30', '1.00', 'Archive', 'vault-1', '3', 'GB-Mo'],
  ['2026-10-31', '2.00', 'Archive', 'vault-1', '7', 'GB-Mo'],
  ['2026-09-30', '90.00', 'Networking', 'egress', '1000', 'GB'],
  ['2026-10-31', '88.00', 'Networking', 'egress', '1100', 'GB'],
  ['2026-09-30', '360.00', 'Database', 'db-1', '720', 'Hours'],
  ['2026-10-31', '372.00', 'Database', 'db-1', '744', 'Hours'],
];
const PRICE = '-9.733333333';

function monthSum(month: string): Big {
  return CHARGES.filter((c) => c[0].startsWith(month)).reduce((s, c) => s.plus(c[1]), new Big(0));
}

test.beforeAll(async () => {
  served = await startServe();
  // a workspace of our own before the page loads, so the first start does not build the demo
  const { origin, searchParams } = new URL(served.url);
  const res = await fetch(`${origin}/api/workspace.create`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${searchParams.get('token')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Compare check' }),
  });
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
});

test.afterAll(async () => {
  await served.stop();
});

test.describe.configure({ mode: 'serial' });

async function importFile(page: Page, name: string, lines: string[]): Promise<void> {
  const file = path.join(served.dataDir, name);
  fs.writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
}

test('Compare explains this month against last month; a value drills in; empty periods and currencies are handled', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);
  await expect(page.getByTestId('workspace-name')).toHaveText('Compare check');
  await importFile(page, 'two-months.csv', CHARGES.map((c) => line(c)));

  // the keyboard shortcut opens it; the default is this month (October, the latest data) against last month
  await page.keyboard.press('Control+7');
  await expect(page.getByTestId('compare-screen')).toBeVisible();
  await expect(page.getByTestId('cmp-preset')).toHaveValue('month');
  await expect(page.getByTestId('cmp-a-from')).toHaveValue('2026-09-01');
  await expect(page.getByTestId('cmp-b-to')).toHaveValue('2026-10-31');

  const a = monthSum('2026-09');
  const b = monthSum('2026-10');
  const change = page.getByTestId('compare-change');
  await expect(change).toBeVisible({ timeout: 30_000 });
  expect(new Big((await page.getByTestId('compare-a').getAttribute('data-value'))!).eq(a)).toBe(true);
  expect(new Big((await page.getByTestId('compare-b').getAttribute('data-value'))!).eq(b)).toBe(true);
  expect(new Big((await change.getAttribute('data-value'))!).eq(b.minus(a))).toBe(true);
  await expect(change).toHaveText(`+$${b.minus(a).toFixed(2)}`);
  await expect(page.getByTestId('part-price')).toHaveAttribute('data-value', PRICE);
  await expect(page.getByTestId('part-price')).toHaveText('-$9.73');
  // the table's total row is the same scope; its parts add up to its change
  await expect(page.getByTestId('total-price')).toHaveAttribute('data-value', PRICE);
  const parts = await Promise.all(['price', 'usage', 'mix', 'new', 'removed', 'credits'].map((p) => page.getByTestId(`total-${p}`).getAttribute('data-value')));
  expect(parts.reduce((s, v) => s.plus(v!), new Big(0)).eq(b.minus(a))).toBe(true);
  // largest change first
  await expect(page.getByTestId('compare-table').locator('tbody tr').first()).toHaveAttribute('data-value', 'Database');
  await expect(page.getByTestId('compare-waterfall').locator('.recharts-rectangle')).toHaveCount(8);
  await page.waitForTimeout(400);
  await shot(page, '20-compare');

  // Compute: a filter, and the table now explains it by resource
  await page.getByTestId('compare-table').getByRole('button', { name: 'Compute', exact: true }).click();
  await expect(page.getByTestId('filter-chip')).toContainText('Compute');
  await expect(page.getByTestId('cmp-group-by')).toHaveValue('ResourceId');
  const vmNew = page.getByTestId('compare-table').locator('tr[data-value="vm-new"]');
  await expect(vmNew).toContainText('+$25.50');
  await expect(page.getByTestId('total-removed')).toHaveAttribute('data-value', '-30');
  // a resource is as deep as it goes: the keyboard reaches it, and the screen says so
  await page.getByTestId('compare-table').getByRole('button', { name: 'vm-3', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('compare-resource-note')).toContainText('vm-3 is a single resource');
  await page.getByTestId('compare-resource-note').evaluate((el) => el.closest('section')?.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await shot(page, '21-compare-drill');

  // a period without charges: an empty state, not a table of everything "new"
  await page.getByTestId('cmp-a-from').fill('2026-07-01');
  await page.getByTestId('cmp-a-to').fill('2026-07-31');
  await expect(page.getByTestId('cmp-preset')).toHaveValue('custom');
  await expect(page.getByTestId('compare-empty')).toContainText('No charges in period A (Jul 1 – 31, 2026)');
  await page.waitForTimeout(300);
  await shot(page, '22-compare-empty');

  // euros in the same months: refused until one currency is chosen
  await importFile(page, 'euros.csv', [line(['2026-09-10', '40.00', 'Compute', 'eu-vm', '10', 'Hours'], 'EUR'), line(['2026-10-10', '44.00', 'Compute', 'eu-vm', '10', 'Hours'], 'EUR')]);
  await page.getByTestId('nav-compare').click();
  await page.getByTestId('cmp-preset').selectOption('month');
  await page.getByRole('button', { name: 'Remove Service Name filter' }).click();
  await expect(page.getByTestId('currency-warning')).toContainText('Several billing currencies in scope');
  await page.waitForTimeout(300);
  await shot(page, '23-compare-currencies');
  await page.getByTestId('currency-warning').getByRole('button', { name: 'Only EUR' }).click();
  await expect(page.getByTestId('compare-change')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('part-price')).toHaveText('+€4.00');
});

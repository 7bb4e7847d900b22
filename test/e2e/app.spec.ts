// End to end: the real UI in Chromium against `meterbook serve`, a real engine and real files.
import { expect, test } from '@playwright/test';
import Big from 'big.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, shot, startServe, type Served } from './serve-fixture';

const SAMPLE = path.join(ROOT, 'test/fixtures/focus/focus-1.0_sample_1000.csv');

let served: Served;
let url: string;

function sumColumn(file: string, column: string): Big {
  let text = fs.readFileSync(file);
  if (text[0] === 0x1f) text = zlib.gunzipSync(text);
  const lines = text.toString('utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const idx = header.indexOf(column);
  let s = new Big(0);
  for (const line of lines.slice(1)) {
    // the sample's numeric columns come before any quoted text with commas
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    const v = cells[idx]!;
    if (v !== '' && v !== 'NULL') s = s.plus(new Big(v));
  }
  return s;
}

test.beforeAll(async () => {
  served = await startServe();
  url = served.url;
});

test.afterAll(async () => {
  await served.stop();
});

test.describe.configure({ mode: 'serial' });

test('first start shows the demo workspace with realistic spend', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  // the token leaves the address bar once read
  await expect(page).not.toHaveURL(/token=/);
  const billed = page.getByTestId('kpi-billed');
  await expect(billed).toBeVisible({ timeout: 150_000 });
  expect(Number(await billed.getAttribute('data-value'))).toBeGreaterThan(1000);
  await expect(page.getByTestId('spend-chart')).toBeVisible();
  await expect(page.getByTestId('breakdown-table')).toContainText(/\w/);
  await page.waitForTimeout(500);
  await shot(page, '01-demo-overview');
});

test('import a FOCUS file through the file chooser into a new workspace; totals match the file', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Client A assessment');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Client A assessment');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await shot(page, '02-empty-workspace');

  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(SAMPLE);
  const result = page.getByTestId('import-result');
  await expect(result).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(result).toContainText('1,000');
  await shot(page, '03-import-result');

  await page.getByTestId('nav-overview').click();
  const billed = page.getByTestId('kpi-billed');
  await expect(billed).toBeVisible();
  const expected = sumColumn(SAMPLE, 'BilledCost');
  const shown = new Big((await billed.getAttribute('data-value'))!);
  expect(shown.minus(expected).abs().lt('0.000001')).toBe(true);
  await expect(billed).toContainText(expected.round(2).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  const effective = new Big((await page.getByTestId('kpi-effective').getAttribute('data-value'))!);
  expect(effective.minus(sumColumn(SAMPLE, 'EffectiveCost')).abs().lt('0.000001')).toBe(true);
  await page.waitForTimeout(400);
  await shot(page, '04-imported-overview');

  // regroup: the breakdown follows the chosen dimension
  await page.getByTestId('group-by-select').selectOption('ServiceCategory');
  await expect(page.getByTestId('breakdown-table')).toContainText('Compute');
  await page.waitForTimeout(400);
  await shot(page, '05-grouped-by-category');

  await page.getByTestId('nav-rows').click();
  await expect(page.getByTestId('rows-grid')).toContainText('focus-1.0_sample_1000.csv');
  await shot(page, '06-rows');
});

test('a restated delivery asks before writing, and Replace swaps the periods', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // the same delivery re-sent with one usage amount raised by 1000
  const lines = fs.readFileSync(SAMPLE, 'utf8').split('\n');
  const i = lines.findIndex((l, k) => k > 0 && l.includes(',"Usage",'));
  lines[i] = lines[i]!.replace(/^([^,]*),([^,]*),/, (_m, az: string, cost: string) => `${az},${new Big(cost).plus(1000).toFixed()},`);
  const restated = path.join(served.dataDir, 'focus-sample-restated.csv');
  fs.writeFileSync(restated, lines.join('\n'));

  await page.goto(url);
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Restatement check');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Restatement check');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(SAMPLE);
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.getByTestId('file-input').setInputFiles(restated);
  const dialog = page.getByTestId('overlap-dialog');
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  const awsRows = lines.filter((l) => l.includes('"Amazon Web Services, Inc."')).length;
  await expect(dialog.getByRole('row', { name: /Amazon Web Services, Inc\./ })).toContainText(`Sep 2024${awsRows}${awsRows}`);
  await shot(page, '07-overlap-dialog');
  await page.getByTestId('overlap-replace').click();
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.getByTestId('nav-overview').click();
  const billed = page.getByTestId('kpi-billed');
  await expect(billed).toBeVisible();
  const expected = sumColumn(restated, 'BilledCost');
  await expect.poll(async () => new Big((await billed.getAttribute('data-value'))!).minus(expected).abs().lt('0.000001')).toBe(true);
  await expect(page.getByTestId('kpi-rows')).toContainText('1,000');
});

test('a vendor bill (Azure EA export) is detected, mapped to FOCUS and reconciled to its own cost column', async ({ page }) => {
  test.setTimeout(120_000);
  const AZURE = path.join(ROOT, 'test/fixtures/vendors/azure/sample-anonymous-ea-export-dataset.csv');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await expect(page.getByTestId('workspace-name')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Vendor bills');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Vendor bills');

  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(AZURE);
  const result = page.getByTestId('import-result');
  await expect(result).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('import-file-format')).toHaveAttribute('data-format', 'azure-ea');
  await expect(page.getByTestId('import-file-format')).toContainText('Azure cost details (Enterprise Agreement)');
  await shot(page, '08-vendor-import-result');

  // the report shows the reconciliation: FOCUS BilledCost equals the export's CostInBillingCurrency to the cent
  await page.getByTestId('import-file-result').getByRole('button').first().click();
  const report = page.getByTestId('conformance-report');
  await expect(report).toBeVisible();
  // a failing rule shows the rows and the values it failed on
  await expect(report.getByTestId('rule-sample-values').first()).toBeVisible();
  const totals = report.getByTestId('mapping-total');
  await expect(totals.first()).toHaveAttribute('data-matches', 'true');
  await expect(report.getByTestId('mapping-summary')).toContainText('CostInBillingCurrency');
  await shot(page, '09-vendor-conformance-report');
  // applicability: the user says this provider does not support availability zones; the choice is saved
  const panel = report.getByTestId('applicability-panel');
  await panel.locator('summary').click();
  await expect(panel).toContainText('Microsoft');
  await panel.getByTestId('applicability-AVAILABILITY_ZONE_SUPPORTED').selectOption('no');
  await expect(panel).toContainText('1 of');
  await shot(page, '09b-applicability');
  await page.keyboard.press('Escape');

  await page.getByTestId('nav-overview').click();
  const billed = page.getByTestId('kpi-billed');
  await expect(billed).toBeVisible();
  const shown = new Big((await billed.getAttribute('data-value'))!);
  expect(shown.minus(sumColumn(AZURE, 'CostInBillingCurrency')).abs().lt('0.000001')).toBe(true);
  await page.waitForTimeout(400);
  await shot(page, '10-vendor-overview');
});

test('a CSV no format knows is mapped in the mapping studio, saved as a template and imported to the cent', async ({ page }) => {
  test.setTimeout(120_000);
  // a vendor's own invoice export: day-first dates, a decimal comma, amounts in cents, no currency column
  const csv = path.join(served.dataDir, 'rechnung.csv');
  fs.writeFileSync(
    csv,
    [
      'Datum,Kostenstelle,Produkt,Menge,Betrag (Cent),Konto',
      '03.02.2025,search,API calls,1200,12345,acct-7',
      '04.02.2025,search,API calls,800,8230,acct-7',
      '04.02.2025,ads,Storage,"3,5",99,acct-7',
      '28.02.2025,ads,API calls,10,1,acct-7',
    ].join('\n'),
  );
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await expect(page.getByTestId('workspace-name')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Mapped invoices');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Mapped invoices');

  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(csv);
  // a layout nobody knows opens the mapping studio instead of stopping at an error
  const studio = page.getByTestId('mapping-studio');
  await expect(page.getByTestId('unknown-layout')).toBeVisible({ timeout: 60_000 });
  await expect(studio).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  // the guesses by name
  await expect(page.getByTestId('map-source-BilledCost')).toHaveValue('Betrag (Cent)');
  await expect(page.getByTestId('map-source-ChargePeriodStart')).toHaveValue('Datum');
  await expect(page.getByTestId('map-name')).toHaveValue('rechnung');
  // without a currency the engine says what is missing
  await expect(page.getByTestId('map-preview-problem')).toContainText('BillingCurrency');
  await expect(page.getByTestId('map-save-import')).toBeDisabled();

  await page.getByTestId('map-source-BillingCurrency').selectOption({ label: 'Constant…' });
  await page.getByTestId('map-constant-BillingCurrency').fill('EUR');
  await page.getByTestId('map-date-order').selectOption('dmy');
  await page.getByTestId('map-decimal').selectOption(',');
  await page.getByTestId('map-divisor').selectOption('100');
  await page.getByTestId('map-source-ServiceProviderName').selectOption({ label: 'Constant…' });
  await page.getByTestId('map-constant-ServiceProviderName').fill('ACME');

  const preview = page.getByTestId('map-preview');
  await expect(preview).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const table = page.getByTestId('map-preview-table');
  await expect(table).toContainText('123.45');
  await expect(table).toContainText('2025-02-28T00:00:00Z');
  await expect(table).toContainText('x_Kostenstelle');
  await expect(page.getByTestId('map-preview-count')).toContainText('4 rows previewed');
  const conformance = page.getByTestId('map-conformance');
  await expect(conformance).toContainText('pass');
  if (Number(await conformance.getAttribute('data-fail')) > 0) {
    await conformance.locator('summary').click();
    await expect(conformance.getByTestId('map-failing-rule').first()).toBeVisible();
  }
  await page.waitForTimeout(300);
  await shot(page, '11-mapping-studio');

  await page.getByTestId('map-save-import').click();
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('import-file-format')).toHaveAttribute('data-format', 'template:rechnung');
  await expect(page.getByTestId('template-row')).toContainText('rechnung');
  await page.waitForTimeout(300);
  await shot(page, '12-mapping-imported');

  // deleting the template can be undone from the notification
  await page.getByTestId('template-delete').click();
  await page.getByTestId('template-delete-confirm').click();
  await expect(page.getByTestId('template-row')).toHaveCount(0);
  await page.getByTestId('toast-action').click();
  await expect(page.getByTestId('template-row')).toContainText('rechnung');

  await page.getByTestId('nav-overview').click();
  const billed = page.getByTestId('kpi-billed');
  await expect(billed).toBeVisible();
  const expected = new Big(12345).plus(8230).plus(99).plus(1).div(100);
  await expect.poll(async () => new Big((await billed.getAttribute('data-value')) ?? '0').minus(expected).abs().lt('0.000001')).toBe(true);
});

test('a folder chosen in the UI is one delivery: older snapshot folders are not counted, manifests set aside', async ({ page }) => {
  test.setTimeout(120_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-folder-'));
  const folder = path.join(root, 'cur-export');
  const lines = fs.readFileSync(SAMPLE, 'utf8').trimEnd().split('\n');
  fs.mkdirSync(path.join(folder, 'asm-old'), { recursive: true });
  fs.mkdirSync(path.join(folder, 'asm-new'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'asm-old', 'report-1.csv'), lines.slice(0, 601).join('\n'));
  fs.writeFileSync(path.join(folder, 'asm-new', 'report-1.csv'), lines.join('\n'));
  fs.writeFileSync(path.join(folder, 'report-Manifest.json'), JSON.stringify({ assemblyId: 'asm-new' }));

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await expect(page.getByTestId('workspace-name')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Folder delivery');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Folder delivery');

  await page.getByTestId('nav-import').click();
  await page.getByTestId('folder-input').setInputFiles(folder);
  const result = page.getByTestId('import-result');
  await expect(result).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('snapshot-notice')).toContainText('2 times');
  await expect(page.getByTestId('skipped-notice')).toContainText('report-Manifest.json');
  await expect(result).toContainText('Older snapshot');
  await page.waitForTimeout(300);
  await shot(page, '13-folder-snapshots');

  await page.getByTestId('nav-overview').click();
  const billed = page.getByTestId('kpi-billed');
  await expect(billed).toBeVisible();
  const shown = new Big((await billed.getAttribute('data-value'))!);
  expect(shown.minus(sumColumn(SAMPLE, 'BilledCost')).abs().lt('0.000001')).toBe(true);
  fs.rmSync(root, { recursive: true, force: true });
});

test('invoices reconcile with the cost rows that carry their InvoiceId; the conformance page lists every file', async ({ page }) => {
  test.setTimeout(120_000);
  const SPEC = path.join(ROOT, 'test/fixtures/focus/spec-v1.4');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-invoices-'));
  // hand-made FOCUS 1.4 cost rows for the two invoices of the spec's Invoice Detail examples: January's adds up to the
  // invoice (450.00 + 1000.00 + 128.63), June's is 0.03 short of its 3.33; one EUR row applies a contract commitment
  const cols = ['BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargeCategory', 'ChargePeriodStart', 'ChargePeriodEnd', 'EffectiveCost', 'InvoiceId', 'InvoiceIssuerName', 'ServiceName', 'ServiceProviderName', 'ContractApplied'];
  const row = (cost: string, account: string, currency: string, month: string, next: string, category: string, invoice: string, applied = '') =>
    [cost, account, currency, `${month}-01T00:00:00Z`, `${next}-01T00:00:00Z`, category, `${month}-02T00:00:00Z`, `${month}-03T00:00:00Z`, category === 'Purchase' ? '0' : cost, invoice, 'Aura Web', 'Compute', 'Aura Web', applied ? `"${applied.replace(/"/g, '""')}"` : ''].join(',');
  const cu = path.join(root, 'cost-and-usage.csv');
  fs.writeFileSync(
    cu,
    [
      cols.join(','),
      row('450.00', '123456789', 'USD', '2025-01', '2025-02', 'Usage', 'INV-2025-001'),
      row('1000.00', '123456789', 'USD', '2025-01', '2025-02', 'Purchase', 'INV-2025-001'),
      row('128.63', '123456789', 'USD', '2025-01', '2025-02', 'Tax', 'INV-2025-001'),
      row('3.03', '615703680694', 'USD', '2025-06', '2025-07', 'Usage', 'AUIN25-1286479'),
      row('0.27', '615703680694', 'USD', '2025-06', '2025-07', 'Tax', 'AUIN25-1286479'),
      row('500.00', '77', 'EUR', '2026-01', '2026-02', 'Usage', 'INV-EUR-7', '{"Elements":[{"ContractId":"AGR-99-BETA","ContractCommitmentId":"CMT-RR-002","ContractCommitmentAppliedCost":500.00,"ContractCommitmentAppliedQuantity":null,"ContractCommitmentAppliedUnit":null}]}'),
    ].join('\n') + '\n',
  );

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await expect(page.getByTestId('workspace-name')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Invoices');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Invoices');

  // an empty workspace says what to import
  await page.getByTestId('nav-datasets').click();
  await expect(page.getByTestId('datasets-empty')).toBeVisible();

  await page.getByTestId('nav-import').click();
  await page
    .getByTestId('file-input')
    .setInputFiles([cu, path.join(SPEC, 'invoice_detail_scenario_1.csv'), path.join(SPEC, 'invoice_detail_scenario_2.csv'), path.join(SPEC, 'contract_commitment_scenario_1.csv')]);
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.keyboard.press('Control+5');
  const invoices = page.getByTestId('invoice-links');
  // opens on the mismatch
  await expect(invoices.getByTestId('invoice-link')).toHaveCount(1);
  const june = invoices.getByTestId('invoice-link').first();
  await expect(june).toHaveAttribute('data-status', 'differs');
  await expect(june).toContainText('AUIN25-1286479');
  await expect(june).toContainText('0.03');
  await invoices.getByRole('radio', { name: /^All/ }).click();
  await expect(invoices.locator('[data-testid="invoice-link"][data-status="matches"]')).toContainText('INV-2025-001');
  await expect(invoices.locator('[data-testid="invoice-link"][data-status="matches"]')).toContainText('1,578.63');
  const commitments = page.getByTestId('commitment-links');
  await expect(commitments.getByTestId('commitment-link')).toHaveCount(3);
  await expect(commitments.getByTestId('commitment-link').filter({ hasText: 'CMT-RR-002' })).toContainText('500.00');
  await page.waitForTimeout(300);
  await shot(page, '14-invoices-and-commitments');

  // drill down from the invoice to its cost rows
  await invoices.getByRole('button', { name: 'Show the cost rows of invoice INV-2025-001' }).click();
  await expect(page.getByTestId('filter-chip')).toContainText('INV-2025-001');
  // the grid renders only the columns in view: scroll to the cost columns on the right
  await expect(page.getByTestId('rows-total')).toHaveAttribute('data-value', '3');
  await page.getByTestId('rows-grid').evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await expect(page.getByTestId('rows-grid')).toContainText('128.63');
  await expect(page.getByTestId('rows-grid')).not.toContainText('3.03');

  // the conformance page: each imported file, its report beside the list, arrow keys move between files
  await page.keyboard.press('Control+4');
  const files = page.getByTestId('conformance-files');
  await expect(files.getByRole('option')).toHaveCount(4);
  await expect(page.getByTestId('conformance-report')).toBeVisible();
  const first = await page.getByTestId('conformance-report').locator('.report-title').textContent();
  await files.getByRole('option').first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('conformance-report').locator('.report-title')).not.toHaveText(first ?? '');
  await page.waitForTimeout(300);
  await shot(page, '15-conformance-page');
  fs.rmSync(root, { recursive: true, force: true });
});

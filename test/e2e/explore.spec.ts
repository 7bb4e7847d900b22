// Pivot, filters, drill-down and the detail grid, end to end: the real UI in Chromium against `meterbook serve` on the
// demo workspace it builds on first start, its numbers checked against the engine's own API answers.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, shot, startServe, type Served } from './serve-fixture';

const SAMPLE = path.join(ROOT, 'test/fixtures/focus/focus-1.0_sample_1000.csv');

let served: Served;

test.beforeAll(async () => {
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
});

test.describe.configure({ mode: 'serial' });

type Row = Record<string, string | number | null>;

const call = <T>(method: string, input: unknown): Promise<T> => served.call<T>(method, input);

const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function amountOf(row: ReturnType<Page['getByTestId']>): Promise<number> {
  return Number(await row.getByTestId('pivot-amount').getAttribute('data-value'));
}

test('a two-level pivot, an exclude filter, a drill-down to its rows and a sorted grid', async ({ page }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(served.url);
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 200_000 });
  // the whole range, so the engine's answers below need no dates
  await page.getByTestId('range-preset').selectOption('all');

  // ---- two levels: ServiceName › RegionId ----
  await page.getByTestId('group-by-select').selectOption('ServiceName');
  await page.getByTestId('group-by-add').click();
  await page.getByTestId('group-by-select-1').selectOption('RegionId');
  const pivot = page.getByTestId('breakdown-table');
  await expect(pivot.getByRole('columnheader').first()).toHaveText('Service Name › Region ID');

  const byService = await call<{ rows: Row[]; total: number; currency: string }>('explore.query', { groupBy: ['ServiceName'], metric: 'BilledCost' });
  const total = page.getByTestId('pivot-total');
  await expect(total).toHaveAttribute('data-value', String(byService.total));
  await expect(page.getByTestId('pivot-total-amount')).toHaveText(money(byService.total));

  const roots = pivot.locator('tr[data-depth="0"]');
  const ranked = [...byService.rows].sort((a, b) => Math.abs(Number(b.value)) - Math.abs(Number(a.value)));
  expect(await roots.first().getAttribute('data-value')).toBe(String(ranked[0]!.ServiceName));
  expect(await amountOf(roots.first())).toBe(Number(ranked[0]!.value));

  // the largest service spread over several regions
  const byRegion = await call<{ rows: Row[] }>('explore.query', { groupBy: ['ServiceName', 'RegionId'], metric: 'BilledCost' });
  const regionsOf = (svc: unknown) => byRegion.rows.filter((r) => r.ServiceName === svc && r.RegionId !== null).length;
  const top = ranked.find((r) => regionsOf(r.ServiceName) >= 2)!;
  const service = String(top.ServiceName);
  const first = pivot.locator(`tr[data-depth="0"][data-value="${service}"]`);
  expect(await amountOf(first)).toBe(Number(top.value));

  // keyboard: focus the first row, Enter expands it, ↓ moves into its children
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(first).toHaveAttribute('aria-expanded', 'true');
  // only this row is expanded: every nested row is its child
  const children = pivot.locator('tr[data-depth="1"]');
  await expect(children.first()).toBeVisible();
  const expectedChildren = byRegion.rows.filter((r) => r.ServiceName === service).sort((a, b) => Math.abs(Number(b.value)) - Math.abs(Number(a.value)));
  const shown = await children.count();
  expect(shown).toBe(Math.min(expectedChildren.length, 15) + (expectedChildren.length > 15 ? 1 : 0));
  let childSum = 0;
  for (let i = 0; i < shown; i++) {
    const v = await amountOf(children.nth(i));
    childSum += v;
    if (i < expectedChildren.length && i < 15) {
      expect(await children.nth(i).getAttribute('data-value')).toBe(String(expectedChildren[i]!.RegionId ?? ''));
      expect(v).toBe(Number(expectedChildren[i]!.value));
    }
  }
  expect(Math.abs(childSum - Number(top.value))).toBeLessThan(0.005);

  // ---- an exclude filter from the picker: the largest region of that service ----
  const region = String(expectedChildren.find((r) => r.RegionId !== null)!.RegionId);
  await page.getByTestId('filter-add').click();
  await page.getByTestId('filter-column').selectOption('RegionId');
  await page.getByTestId('filter-search').fill(region);
  const option = page.getByTestId('filter-values').locator(`[data-value="${region}"]`);
  await expect(option).toBeVisible();
  await option.click();
  await page.getByTestId('filter-mode').getByRole('radio', { name: 'Exclude' }).click();
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await shot(page, '21a-filter-picker');
  await page.getByTestId('filter-apply').click();
  const chip = page.getByTestId('filter-chip');
  await expect(chip).toHaveClass(/exclude/);
  await expect(chip).toContainText(region);
  const excluded = await call<{ total: number }>('explore.query', {
    groupBy: ['ServiceName'],
    metric: 'BilledCost',
    filters: [{ column: 'RegionId', values: [region], exclude: true }],
  });
  await expect(total).toHaveAttribute('data-value', String(excluded.total));

  // ---- select a nested row: its row count; then drill into it ----
  await expect(first).toHaveAttribute('aria-expanded', 'true');
  const child = children.first();
  await expect(child).not.toHaveAttribute('data-value', region);
  await child.locator('.bd-label').click();
  await expect(child).toHaveAttribute('aria-selected', 'true');
  const cellRows = page.getByTestId('pivot-selection-rows');
  await expect(cellRows).toBeVisible();
  const count = Number(await cellRows.getAttribute('data-value'));
  expect(count).toBeGreaterThan(0);
  const childRegion = await child.getAttribute('data-value');
  const independent = await call<{ rows: number }>('explore.kpis', {
    filters: [
      { column: 'RegionId', values: [region], exclude: true },
      { column: 'ServiceName', values: [service] },
      { column: 'RegionId', values: [childRegion === '' ? null : childRegion] },
    ],
  });
  expect(independent.rows).toBe(count);
  await page.locator('#breakdown-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await shot(page, '21-pivot');

  await child.getByTestId('pivot-amount').click();
  await expect(page.getByTestId('drill-chip')).toContainText(`Service Name: ${service}`);
  await expect(page.getByTestId('rows-total')).toHaveAttribute('data-value', String(count));

  // ---- sort the grid by BilledCost: largest first, as the engine sorts it ----
  const grid = page.getByTestId('rows-grid');
  // the grid renders only the columns in view: scroll right until BilledCost's header exists
  const billedHeader = grid.locator('[data-column="BilledCost"] button');
  for (let i = 0; i < 40 && (await billedHeader.count()) === 0; i++) {
    await grid.evaluate((el) => (el.scrollLeft += 300));
    await page.waitForTimeout(50);
  }
  await billedHeader.click();
  await expect(page.getByTestId('rows-sort')).toContainText('BilledCost');
  const sorted = await call<{ columns: string[]; rows: (string | number | null)[][] }>('explore.rows', {
    filters: [
      { column: 'RegionId', values: [region], exclude: true },
      { column: 'ServiceName', values: [service] },
      { column: 'RegionId', values: [childRegion === '' ? null : childRegion] },
    ],
    offset: 0,
    limit: 10,
    sort: { column: 'BilledCost', desc: true },
  });
  const col = sorted.columns.indexOf('BilledCost');
  const firstRow = grid.locator('[role="row"][aria-rowindex="2"]');
  await expect(firstRow.locator(`[role="gridcell"][aria-colindex="${col + 2}"]`)).toHaveText(Number(sorted.rows[0]![col]).toLocaleString('en-US', { maximumFractionDigits: 10 }));
  const values: number[] = [];
  for (let i = 0; i < Math.min(8, count); i++) {
    const t = await grid.locator(`[role="row"][aria-rowindex="${i + 2}"] [role="gridcell"][aria-colindex="${col + 2}"]`).textContent();
    values.push(Number(t!.replace(/,/g, '')));
  }
  expect(values).toEqual([...values].sort((a, b) => b - a));
  await expect(page.getByTestId('rows-range')).toHaveText(/^Rows 1–[\d,]+ of [\d,]+$/);
  await page.waitForTimeout(300);
  await shot(page, '22-drill-down');
  // the grid scrolls from the keyboard
  await grid.focus();
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('rows-range')).not.toHaveText(/^Rows 1–/);

  // ---- Back: the overview as it was ----
  await page.getByTestId('drill-back').click();
  await expect(page.getByTestId('breakdown-table')).toBeVisible();
  await expect(page.getByTestId('group-by-select-1')).toHaveValue('RegionId');
  await expect(page.getByTestId('filter-chip')).toHaveCount(1);
  await expect(page.getByTestId('pivot-total')).toHaveAttribute('data-value', String(excluded.total));
});

test('a click on a chart bar opens the rows of that period and series', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(served.url);
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 200_000 });
  await page.getByTestId('range-preset').selectOption('all');
  await page.getByTestId('group-by-select').selectOption('ServiceName');
  await page.getByTestId('granularity').getByRole('radio', { name: 'Monthly' }).click();
  const chart = page.getByTestId('spend-chart');
  await expect(chart).toHaveAttribute('aria-busy', 'false');
  const bar = chart.locator('.recharts-bar-rectangle path').first();
  await expect(bar).toBeVisible();
  await bar.click();
  const chip = page.getByTestId('drill-chip');
  await expect(chip).toContainText('Service Name: ');
  // the rows the grid counts are the engine's rows for that service and month
  const label = (await chip.innerText()).replace(/\s+/g, ' ');
  const service = /Service Name: (.+?) · /.exec(label)?.[1];
  expect(service).toBeTruthy();
  const month = /· (\w+ \d{4})/.exec(label)?.[1];
  expect(month).toBeTruthy();
  const from = new Date(`1 ${month} UTC`);
  const first = from.toISOString().slice(0, 10);
  const last = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
  const kpis = await call<{ rows: number }>('explore.kpis', { from: first, to: last, filters: [{ column: 'ServiceName', values: [service] }] });
  await expect(page.getByTestId('rows-total')).toHaveAttribute('data-value', String(kpis.rows));
  await shot(page, '27-chart-drill');
});


test('several currencies: the pivot never adds them up; grouped by currency first, each keeps its own total', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  // the sample again, billed in EUR: the same periods and accounts, added as another part of them
  const eur = path.join(served.dataDir, 'focus-sample-eur.csv');
  fs.writeFileSync(eur, fs.readFileSync(SAMPLE, 'utf8').replace(/"USD"/g, '"EUR"'));

  await page.goto(served.url);
  await expect(page.getByTestId('workspace-name')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('workspace-menu').click();
  await page.getByTestId('new-workspace').first().click();
  await page.getByTestId('new-workspace-name').fill('Two currencies');
  await page.getByTestId('new-workspace-create').click();
  await expect(page.getByTestId('workspace-name')).toHaveText('Two currencies');
  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(SAMPLE);
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await page.getByTestId('file-input').setInputFiles(eur);
  await page.getByTestId('overlap-append').click({ timeout: 60_000 });
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('currency-warning')).toBeVisible();
  const refusal = page.getByTestId('pivot-mixed-currency');
  await expect(refusal).toContainText('Several billing currencies');
  await refusal.getByRole('button', { name: 'Group by currency first' }).click();
  await expect(page.getByTestId('group-by-select')).toHaveValue('BillingCurrency');

  const pivot = page.getByTestId('breakdown-table');
  const byCurrency = await call<{ rows: Row[] }>('explore.query', { groupBy: ['BillingCurrency'], metric: 'BilledCost' });
  expect(byCurrency.rows.map((r) => r.BillingCurrency).sort()).toEqual(['EUR', 'USD']);
  for (const r of byCurrency.rows) {
    const row = pivot.locator(`tr[data-depth="0"][data-value="${String(r.BillingCurrency)}"]`);
    expect(await amountOf(row)).toBe(Number(r.value));
    await expect(row.getByTestId('pivot-amount')).toHaveText(String(r.BillingCurrency) === 'EUR' ? /€/ : /\$/);
  }
  // no grand total across currencies
  await expect(page.getByTestId('pivot-total')).toContainText('never added together');
  await expect(page.getByTestId('pivot-total-amount')).toHaveCount(0);
  await pivot.locator('tr[data-depth="0"][data-value="EUR"]').locator('.bd-label').click();
  await expect(pivot.locator('tr[data-depth="1"]').first()).toBeVisible();
  await page.locator('#breakdown-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await shot(page, '23-pivot-currencies');
});

// The data-quality page and the Export dialog, end to end: the real UI in Chromium against `meterbook serve` on an
// empty workspace, the FOCUS 1.0 sample imported through the file chooser, figures checked against the engine's own
// answer over HTTP, and exports written to a temporary folder through the dialog.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataQuality } from '../../src-shared/api/contract';
import { ROOT, shot, startServe, type Served } from './serve-fixture';

const SAMPLE = path.join(ROOT, 'test/fixtures/focus/focus-1.0_sample_1000.csv');

let served: Served;
let dir: string;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-e2e-quality-'));
  served = await startServe(['--workspace', path.join(dir, 'quality.meterbook')]);
});

test.afterAll(async () => {
  await served?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.describe.configure({ mode: 'serial' });

const call = <T>(method: string, input: unknown): Promise<T> => served.call<T>(method, input);

async function openApp(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);
}

test('import the sample, open Data quality from the keyboard: its figures are the engine’s, and a figure opens its rows', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await expect(page.getByTestId('empty-state')).toBeVisible({ timeout: 60_000 });
  // the empty workspace's quality page says what to do
  await page.keyboard.press('Control+6');
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await page.getByTestId('nav-import').click();
  await page.getByTestId('file-input').setInputFiles(SAMPLE);
  await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.keyboard.press('Control+6');
  await expect(page.getByTestId('quality-screen')).toBeVisible();
  await expect(page.getByTestId('nav-quality')).toHaveAttribute('aria-current', 'page');
  const q = await call<DataQuality>('explore.dataQuality', { filters: [] });
  const noSub = q.noSubAccount[0]!;
  const cell = page.getByTestId(`nosub-${noSub.currency}`);
  await expect(cell).toHaveAttribute('data-value', String(noSub.amount));
  for (const u of q.untagged.slice(0, 3)) {
    await expect(page.getByTestId(`untagged-${u.key}`).first()).toHaveAttribute('data-value', String(u.amount));
  }
  for (const c of q.nullRates.columns) await expect(page.getByTestId(`nulls-${c.column}`)).toHaveAttribute('data-value', String(c.nulls));
  await expect(page.getByTestId('quality-conformance')).toContainText(q.conformance.providers[0]!.provider);
  await page.waitForTimeout(300);
  await shot(page, '25-data-quality');
  await page.getByTestId('quality-conformance').scrollIntoViewIfNeeded();
  await shot(page, '25-data-quality-nulls-conformance');

  // the untagged spend of the least tagged key, as a filter on the Overview
  const worst = q.untagged[0]!;
  await page.getByTestId('quality-card-untagged').click();
  await expect(page.getByTestId('filter-chips')).toContainText(worst.key);
  await expect(page.getByTestId('kpi-billed')).toHaveAttribute('data-value', String(worst.amount));
  const kpis = await call<{ billed: number }>('explore.kpis', { filters: [{ column: `Tags.${worst.key}`, values: [null] }] });
  expect(kpis.billed).toBe(worst.amount);
});

test('export the current view as Parquet and as CSV through the dialog; the files are where it says', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 60_000 });
  const total = await call<{ rows: number }>('explore.kpis', { filters: [] });

  // Ctrl+E on the Overview, Parquet to a folder of our choosing
  await page.keyboard.press('Control+e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('export-path')).toHaveValue(/meterbook-quality-\d{4}-\d{2}-\d{2}\.csv$/);
  await page.getByTestId('export-parquet').click();
  await expect(page.getByTestId('export-path')).toHaveValue(/-parquet$/);
  const pq = path.join(dir, 'out', 'sample-parquet');
  await page.getByTestId('export-path').fill(pq);
  await page.waitForTimeout(200);
  await shot(page, '26-export');
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('export-result-path')).toHaveText(pq);
  await expect(page.getByTestId('export-result')).toContainText(`${total.rows.toLocaleString('en-US')} rows`);
  await shot(page, '26-export-done');
  const parts = fs.readdirSync(pq).sort();
  expect(parts.length).toBeGreaterThan(0);
  for (const p of parts) {
    expect(p).toMatch(/^BillingPeriod=\d{4}-\d{2}$/);
    expect(fs.statSync(path.join(pq, p, 'part-00000.parquet')).size).toBeGreaterThan(0);
  }

  // again: every row as one CSV file, from the keyboard (Enter submits)
  await dialog.getByRole('button', { name: 'Export something else' }).click();
  await page.getByTestId('export-csv-rows').click();
  const csv = path.join(dir, 'out', 'sample.csv');
  await page.getByTestId('export-path').fill(csv);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('export-result-path')).toHaveText(csv, { timeout: 60_000 });
  const lines = fs.readFileSync(csv, 'utf8').split('\n').filter((l) => l.length > 0);
  expect(lines.length).toBe(total.rows + 1);

  // the same path again is refused, and the dialog offers to replace it
  await dialog.getByRole('button', { name: 'Export something else' }).click();
  await page.getByTestId('export-csv-rows').click();
  await page.getByTestId('export-path').fill(csv);
  await page.getByTestId('export-start').click();
  await expect(dialog.getByRole('alert')).toContainText('already exists');
  await page.getByTestId('export-overwrite').click();
  await expect(page.getByTestId('export-result-path')).toHaveText(csv, { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['sample-parquet', 'sample.csv']); // no temp files left

  // the Rows screen has the same button
  await page.getByTestId('nav-rows').click();
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-csv-rows').locator('input')).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

// The Export dialog's "Allocate by": hidden until an allocation is applied, then a choice of the applied version's
// dimensions for row exports; the file written through it carries x_Team and the split pool rows.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serveImported, shot, type Served } from './serve-fixture';

const SAMPLE = path.join(ROOT, 'test/fixtures/focus/focus-1.0_sample_1000.csv');

const ruleSet = {
  dimensions: [{ key: 'Team', label: 'Team' }],
  normalize: { Team: 'lower' },
  rules: [
    { id: 'lb', dimension: 'Team', value: 'Network', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Elastic Load Balancing' }] },
    { id: 'ec2', dimension: 'Team', value: 'Compute', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Amazon Elastic Compute Cloud' }] },
  ],
  pools: [
    // the sample's EffectiveCost is 0 on most rows: split by billed cost
    { id: 'watch', name: 'Monitoring', dimension: 'Team', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'AmazonCloudWatch' }], targets: [], method: { kind: 'proportional', basis: 'billed' } },
  ],
};

let served: Served;

test.beforeAll(async () => {
  served = await serveImported([SAMPLE], 'alloc-export');
});
test.afterAll(async () => {
  await served?.stop();
});
test.describe.configure({ mode: 'serial' });

async function openExport(page: Page): Promise<void> {
  await page.getByTestId('nav-rows').click();
  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('export-dialog')).toBeVisible();
  await expect(page.getByTestId('export-csv-rows').locator('input')).toBeChecked();
}

test('Allocate by: absent before an apply, then every row with its team and the pool split per team', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);
  await expect(page.getByTestId('nav-rows')).toBeVisible({ timeout: 60_000 });

  await openExport(page);
  // the path arrives with the default target: by then the dialog has asked about the allocation too
  await expect(page.getByTestId('export-path')).toHaveValue(/\.csv$/);
  await expect(page.getByTestId('export-allocation')).toHaveCount(0);
  await page.keyboard.press('Escape');

  await served.call('allocation.apply', { ruleSet });
  await openExport(page);
  const select = page.getByTestId('export-allocation');
  await expect(select).toBeVisible();
  await expect(select).toHaveValue('');
  await expect(page.getByTestId('export-allocation-hint')).toContainText('Version 1 is applied');
  // from the keyboard: focus the select and pick the next option
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await expect(select).toHaveValue('Team');
  await expect(page.getByTestId('export-allocation-hint')).toContainText('Adds x_Team to every row');
  const dir = path.dirname(served.dataDir);
  const out = path.join(fs.mkdtempSync(path.join(dir, 'meterbook-e2e-alloc-out-')), 'teams.csv');
  await page.getByTestId('export-path').fill(out);
  await shot(page, '44-export-allocate-by');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('export-result-path')).toHaveText(out, { timeout: 60_000 });
  await expect(page.getByTestId('export-result-allocation')).toContainText('1,000 workspace rows, with shared costs split by Team');
  await shot(page, '44-export-allocate-by-done');

  const lines = fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  expect(header[header.length - 1]).toBe('x_Team');
  expect(lines.length - 1).toBeGreaterThan(1000);
  expect(lines.filter((l) => l.includes('meterbook:Team:watch')).length).toBeGreaterThan(63);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });

  // grouped totals leave it out, and say where to look instead
  await page.getByRole('button', { name: 'Export something else' }).click();
  await select.selectOption('Team');
  await page.getByTestId('export-csv-grouped').click();
  await expect(select).toHaveCount(0);
  await expect(page.getByTestId('export-allocation-hint')).toContainText('Allocation goes with row exports only');
  await shot(page, '44-export-allocate-by-grouped');
  // back to rows: the dimension chosen before is still chosen
  await page.getByTestId('export-parquet').click();
  await expect(select).toHaveValue('Team');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toBeHidden();
});

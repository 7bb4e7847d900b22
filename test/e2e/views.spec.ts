// Saved views, the URL hash and the command palette, end to end: the real UI in Chromium against `meterbook serve`
// on a workspace holding the FOCUS 1.0 sample (imported with the CLI first, so no demo build is waited for).
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { ROOT, serveImported, shot, type Served } from './serve-fixture';

const SAMPLE = path.join(ROOT, 'test/fixtures/focus/focus-1.0_sample_1000.csv');

let served: Served;

test.beforeAll(async () => {
  served = await serveImported([SAMPLE], 'views');
});

test.afterAll(async () => {
  await served?.stop();
});

test.describe.configure({ mode: 'serial' });

async function openApp(page: Page, hash = ''): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${served.url}${hash}`);
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 60_000 });
}

/** Ctrl+K, type, check the first option is the one meant, Enter. */
async function runCommand(page: Page, query: string, expected: string | RegExp): Promise<void> {
  await page.keyboard.press('Control+k');
  const input = page.getByTestId('palette-input');
  await expect(input).toBeFocused();
  await input.fill(query);
  const first = page.getByTestId('palette-option').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first).toContainText(expected);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('command-palette')).toBeHidden();
}

const hashOf = (page: Page) => new URL(page.url()).hash;

test('the command palette regroups and changes the metric, from the keyboard only', async ({ page }) => {
  await openApp(page);
  // the view on screen is in the address bar, the access token is not
  await expect.poll(() => hashOf(page)).toBe('#/overview?g=ServiceName&m=BilledCost&gr=day');
  expect(page.url()).not.toContain('token=');

  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  const input = page.getByTestId('palette-input');
  await expect(palette).toBeVisible();
  await expect(input).toBeFocused();
  await expect(input).toHaveAttribute('role', 'combobox');
  await expect(palette.getByRole('listbox')).toBeVisible();
  // focus stays in the palette
  await page.keyboard.press('Tab');
  await expect(input).toBeFocused();

  await input.fill('group region');
  const options = page.getByTestId('palette-option');
  await expect(options).toHaveText([/Group by Region ID/, /Group by Region Name/]);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id'))!);
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await shot(page, '23-command-palette');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByTestId('breakdown-table')).toContainText('us-east-1');
  await expect.poll(() => hashOf(page)).toContain('g=RegionId&');

  await runCommand(page, 'metric effective', 'Cost basis: Effective cost');
  await expect(page.getByTestId('metric-select')).toHaveValue('EffectiveCost');
  await expect.poll(() => hashOf(page)).toBe('#/overview?g=RegionId&m=EffectiveCost&gr=day');

  // Esc closes without running anything
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('metric list');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(page.getByTestId('metric-select')).toHaveValue('EffectiveCost');
});

test('Ctrl+S saves the view; the URL reloads to the same state, also as a bookmark in a new browser', async ({ page, browser }) => {
  await openApp(page);
  await runCommand(page, 'group region id', 'Group by Region ID');
  await runCommand(page, 'metric effective', 'Cost basis: Effective cost');

  await page.keyboard.press('Control+s');
  const dialog = page.getByTestId('save-view-dialog');
  await expect(dialog).toBeVisible();
  const name = page.getByTestId('save-view-name');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('Effective cost by Region ID');
  await expect(dialog).toContainText('Region ID');
  await name.fill('Regions, effective');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const saved = page.getByTestId('saved-view');
  await expect(saved).toHaveCount(1);
  await expect(saved.first()).toHaveText('Regions, effective');
  await expect(saved.first()).toHaveAttribute('aria-current', 'true');

  // a second one, monthly; the same name again is answered in the dialog
  await runCommand(page, 'granularity monthly', 'Granularity: Monthly');
  // the dialog reads the labels already known: asking again once let a label replace the name being typed
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/explore.dimensions')) asked.push(r.url());
  });
  await page.keyboard.press('Control+s');
  await expect(name).toHaveValue('Effective cost by Region ID');
  await name.fill('regions, EFFECTIVE');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('A view named “Regions, effective” already exists');
  await expect(page.getByTestId('save-view-replace')).toBeVisible();
  expect(asked).toEqual([]);
  await name.fill('Monthly by region');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(saved).toHaveText(['Monthly by region', 'Regions, effective']);

  const hash = hashOf(page);
  expect(hash).toBe('#/overview?g=RegionId&m=EffectiveCost&gr=month');
  await page.reload();
  await expect(page.getByTestId('kpi-billed')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('metric-select')).toHaveValue('EffectiveCost');
  await expect(page.getByTestId('breakdown-table')).toContainText('us-east-1');
  await expect(page.getByTestId('saved-view').first()).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => hashOf(page)).toBe(hash);

  // a bookmark opened in another browser (no session storage): token from the URL, state from the hash
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await openApp(fresh, hash);
  await expect(fresh.getByTestId('metric-select')).toHaveValue('EffectiveCost');
  await expect(fresh.getByTestId('breakdown-table')).toContainText('us-east-1');
  await expect.poll(() => fresh.url()).not.toContain('token=');
  expect(hashOf(fresh)).toBe(hash);
  await other.close();
});

test('a saved view applies from the sidebar after the state changed; rename refuses a taken name', async ({ page }) => {
  await openApp(page);
  await runCommand(page, 'metric billed', 'Cost basis: Billed cost');
  await runCommand(page, 'group service category', 'Group by Service Category');
  await runCommand(page, 'rows', 'Go to Rows');
  const item = page.locator('.saved-view', { hasText: 'Regions, effective' });
  await expect(item.getByTestId('saved-view')).not.toHaveAttribute('aria-current', 'true');

  await item.getByTestId('saved-view').click();
  await expect(page.getByTestId('nav-overview')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('metric-select')).toHaveValue('EffectiveCost');
  await expect(page.getByTestId('breakdown-table')).toContainText('us-east-1');
  await expect(item.getByTestId('saved-view')).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => hashOf(page)).toBe('#/overview?g=RegionId&m=EffectiveCost&gr=day');
  await item.hover();
  await page.waitForTimeout(300);
  await shot(page, '24-saved-views');

  const monthly = page.locator('.saved-view', { hasText: 'Monthly by region' });
  await monthly.hover();
  await monthly.getByTestId('saved-view-rename').click();
  const rename = page.getByTestId('rename-view-name');
  await expect(rename).toBeFocused();
  await rename.fill('REGIONS, effective');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rename-view-dialog')).toContainText('Another view is already named “Regions, effective”');
  await rename.fill('Monthly regions');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('rename-view-dialog')).toBeHidden();
  await expect(page.getByTestId('saved-view')).toHaveText(['Monthly regions', 'Regions, effective']);
});

test('delete can be undone from its notification, and the list is the workspace’s', async ({ page }) => {
  await openApp(page);
  const monthly = page.locator('.saved-view', { hasText: 'Monthly regions' });
  await monthly.hover();
  await monthly.getByTestId('saved-view-delete').click();
  await expect(page.getByText('Deleted view “Monthly regions”')).toBeVisible();
  await expect(page.getByTestId('saved-view')).toHaveText(['Regions, effective']);
  await page.getByTestId('toast-action').click();
  await expect(page.getByTestId('saved-view')).toHaveText(['Monthly regions', 'Regions, effective']);

  await page.reload();
  await expect(page.getByTestId('saved-view')).toHaveText(['Monthly regions', 'Regions, effective'], { timeout: 60_000 });
  await page.getByTestId('saved-view').first().click();
  await expect(page.getByTestId('metric-select')).toHaveValue('EffectiveCost');
  await expect.poll(() => hashOf(page)).toBe('#/overview?g=RegionId&m=EffectiveCost&gr=month');
});

test('the shortcuts list has every shortcut; a garbled hash falls back to the defaults', async ({ page }) => {
  await openApp(page, '#/overview?m=Bananas&g=&gr=year&f=%ZZ:x&from=2024-02-30');
  await expect(page.getByTestId('metric-select')).toHaveValue('BilledCost');
  await expect.poll(() => hashOf(page)).toBe('#/overview?g=ServiceName&m=BilledCost&gr=day');

  await page.locator('body').press('Shift+?');
  const list = page.getByTestId('shortcuts-dialog');
  await expect(list).toBeVisible();
  for (const [keys, what] of [
    ['Ctrl+K', 'Command palette'],
    ['Ctrl+S', 'Save the current view'],
    ['Ctrl+O', 'Choose files to import'],
    ['Ctrl+1', 'Overview'],
    ['Esc', 'Close a dialog or menu'],
  ]) {
    await expect(list.locator('.shortcut-row', { hasText: what }).first()).toContainText(keys!);
  }
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
});

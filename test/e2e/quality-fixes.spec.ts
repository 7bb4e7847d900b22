// Review fixes, end to end against `meterbook serve` on the FOCUS 1.0 sample (imported with the CLI first): the
// untagged-spend card explains when credits make it exceed all spend, a filtered Data quality page says where its
// figures come from, deleting a saved view keeps keyboard focus in the list, and Ctrl+S inside a dialog never reaches
// the browser's "save page".
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import type { DataQuality } from '../../src-shared/api/contract';
import { ROOT, SHOTS, serveImported, shot, type Served } from './serve-fixture';

const SAMPLE = path.join(ROOT, 'test/fixtures/focus/focus-1.0_sample_1000.csv');

let served: Served;

test.beforeAll(async () => {
  served = await serveImported([SAMPLE], 'fixes');
});

test.afterAll(async () => {
  await served?.stop();
});

test.describe.configure({ mode: 'serial' });

const call = <T>(method: string, input: unknown): Promise<T> => served.call<T>(method, input);

async function openApp(page: Page, hash = ''): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${served.url}${hash}`);
  await expect(page.getByTestId('kpi-billed').or(page.getByTestId('quality-screen'))).toBeVisible({ timeout: 60_000 });
}

/** Records, after the app's own handler ran, whether each Ctrl/Cmd+S had its default (the browser's save) prevented. */
async function watchCtrlS(page: Page): Promise<() => Promise<boolean[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { ctrlS: boolean[] };
    w.ctrlS = [];
    window.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') w.ctrlS.push(e.defaultPrevented);
    });
  });
  return () => page.evaluate(() => (window as unknown as { ctrlS: boolean[] }).ctrlS);
}

test('untagged spend above all spend is explained on its card and under the table', async ({ page }) => {
  const q = await call<DataQuality>('explore.dataQuality', { filters: [] });
  const worst = q.untagged[0]!;
  // the sample's credits sit on tagged rows: its least tagged key leaves more spend untagged than the total
  expect(worst.amount).toBeGreaterThan(worst.total);
  await openApp(page, '#/quality');
  const card = page.getByTestId('quality-card-untagged');
  await expect(card).toContainText(`Untagged: ${worst.key}`);
  await expect(card.getByTestId('untagged-exceeds-note')).toContainText('credits on tagged rows lower the total');
  await expect(page.getByTestId('untagged-exceeds-footnote')).toBeVisible();
  await page.waitForTimeout(300);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('quality-cards').screenshot({ path: path.join(SHOTS, 'quality-fixes-1-untagged-card.png') });
  await page.getByTestId('quality-untagged').scrollIntoViewIfNeeded();
  await shot(page, 'quality-fixes-2-untagged-footnote');

  // a key whose untagged spend stays below the total gets no note
  const below = q.untagged.find((u) => u.amount <= u.total && u.rows > 0);
  if (below) {
    const row = page.getByTestId(`untagged-${below.key}`).first().locator('xpath=..');
    await expect(row.locator('.quality-exceeds')).toHaveCount(0);
  }
});

test('a filtered page says where its figures come from and matches the engine', async ({ page }) => {
  const filters = [{ column: 'ServiceName', values: ['Amazon Elastic Compute Cloud'] }];
  const q = await call<DataQuality>('explore.dataQuality', { filters });
  // the sample has partly null columns, so their counts under a filter are read from the rows
  expect(q.source).toBe('cube_month+rows');
  expect(q.nullRates.basis).toBe('rows');
  await openApp(page, '#/quality?f=ServiceName:Amazon%20Elastic%20Compute%20Cloud');
  await expect(page.getByTestId('filter-chips')).toContainText('Amazon Elastic Compute Cloud');
  await expect(page.getByTestId('quality-untagged')).toContainText('Exact for the filtered rows (monthly totals and rows)');
  await expect(page.getByTestId('quality-nulls')).toContainText('Counted over exactly the rows in scope');
  const noSub = q.noSubAccount[0]!;
  await expect(page.getByTestId(`nosub-${noSub.currency}`)).toHaveAttribute('data-value', String(noSub.amount));
  for (const c of q.nullRates.columns) await expect(page.getByTestId(`nulls-${c.column}`)).toHaveAttribute('data-value', String(c.nulls));
  await page.getByTestId('quality-nulls').scrollIntoViewIfNeeded();
  await shot(page, 'quality-fixes-3-filtered');
});

test('deleting a saved view from the keyboard moves focus to the next view, then to Save when none is left', async ({ page }) => {
  await openApp(page);
  const names = ['First view', 'Second view', 'Third view'];
  for (const name of names) {
    await page.keyboard.press('Control+s');
    const field = page.getByTestId('save-view-name');
    await expect(field).toBeFocused();
    await field.fill(name);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('save-view-dialog')).toBeHidden();
  }
  const views = page.getByTestId('saved-view');
  await expect(views).toHaveText(names);

  // the middle one: focus goes to the one that took its place
  await page.getByTestId('saved-view-delete').nth(1).focus();
  await page.keyboard.press('Enter');
  await expect(views).toHaveText(['First view', 'Third view']);
  await expect(views.nth(1)).toBeFocused();
  await shot(page, 'quality-fixes-4-view-deleted-focus');

  // the last one: focus goes to the one before it
  await page.getByTestId('saved-view-delete').nth(1).press('Enter');
  await expect(views).toHaveText(['First view']);
  await expect(views.first()).toBeFocused();

  // none left: the Save button beside the heading
  await page.getByTestId('saved-view-delete').first().press('Enter');
  await expect(views).toHaveCount(0);
  await expect(page.getByTestId('sidebar-save-view')).toBeFocused();
  // and Enter there starts a new one, so the keyboard user is never stranded
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('save-view-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
});

test('Ctrl+S inside the Export dialog and the command palette is held, never the browser save', async ({ page }) => {
  await openApp(page);
  const pressed = await watchCtrlS(page);

  await page.keyboard.press('Control+e');
  const exportDialog = page.getByTestId('export-dialog');
  await expect(exportDialog).toBeVisible();
  await page.keyboard.press('Control+s');
  // in the path field too
  await page.getByTestId('export-path').focus();
  await page.keyboard.press('Control+s');
  await expect(exportDialog).toBeVisible();
  await expect(page.getByTestId('save-view-dialog')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(exportDialog).toBeHidden();

  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('command-palette')).toBeVisible();
  await expect(page.getByTestId('save-view-dialog')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // outside a dialog it still saves the view (and is held from the browser as before)
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-view-dialog')).toBeVisible();
  // inside the save dialog itself as well
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-view-dialog')).toBeVisible();
  await page.keyboard.press('Escape');

  expect(await pressed()).toEqual([true, true, true, true, true]);
});

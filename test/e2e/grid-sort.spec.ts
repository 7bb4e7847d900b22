// The detail grid while a sort runs, end to end: the real UI in Chromium against `meterbook serve` on a generated
// 60,000-row workspace (imported with the CLI first). Sorted pages are held back in the browser (page.route) so the
// state between the click and the answer can be seen: the grid says what it is sorting instead of showing blank
// rows, and a sort chosen while another is running replaces it (its late answer is not shown).
import { expect, test, type Page, type Route } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, serveImported, shot, type Served } from './serve-fixture';

const ROWS = 60_000;

let served: Served;
let wsDir: string;

test.beforeAll(async () => {
  wsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-e2e-sort-'));
  const csv = path.join(wsDir, 'focus-sort.csv');
  const generated = spawnSync(process.execPath, ['--import', 'tsx', 'test/bench/generate-focus.ts', '--rows', String(ROWS), '--out', csv, '--seed', '5', '--days', '60'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(generated.status, generated.stderr).toBe(0);
  served = await serveImported([csv], 'sort');
});

test.afterAll(async () => {
  await served?.stop();
  fs.rmSync(wsDir, { recursive: true, force: true });
});

test.describe.configure({ mode: 'serial' });

type Page200 = { columns: string[]; rows: (string | number | null)[][]; total: number };

const call = <T>(method: string, input: unknown): Promise<T> => served.call<T>(method, input);

/** Holds sorted explore.rows requests until released, by sort column. */
function holdSortedPages(page: Page) {
  const held: { column: string; desc: boolean; route: Route }[] = [];
  void page.route('**/api/explore.rows', async (route) => {
    const body = route.request().postDataJSON() as { sort?: { column: string; desc: boolean } };
    if (!body.sort) return route.continue();
    held.push({ ...body.sort, route });
  });
  return {
    held,
    async release(column: string) {
      for (const h of held.filter((x) => x.column === column)) {
        held.splice(held.indexOf(h), 1);
        await h.route.continue();
      }
    },
  };
}

async function openRows(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${served.url}#/rows?from=2025-01-01&to=2025-03-01`);
  await expect(page.getByTestId('rows-total')).toHaveAttribute('data-value', String(ROWS), { timeout: 60_000 });
}

/** Click a column's header, scrolling the windowed columns until it exists. */
async function clickHeader(page: Page, column: string): Promise<void> {
  const grid = page.getByTestId('rows-grid');
  const header = grid.locator(`[data-column="${column}"] button`);
  for (let i = 0; i < 40 && (await header.count()) === 0; i++) {
    await grid.evaluate((el) => (el.scrollLeft += 300));
    await page.waitForTimeout(50);
  }
  await header.click();
}

async function columnValues(page: Page, column: string, n: number): Promise<string[]> {
  const grid = page.getByTestId('rows-grid');
  const ci = await grid.locator(`[data-column="${column}"]`).getAttribute('aria-colindex');
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await grid.locator(`[role="row"][aria-rowindex="${i + 2}"] [role="gridcell"][aria-colindex="${ci}"]`).textContent()) ?? '');
  return out;
}

const shown = (v: string | number | null) => (v === null ? '—' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 10 }));

test('while a sort runs the grid says so; then it shows the sorted rows', async ({ page }) => {
  await openRows(page);
  const hold = holdSortedPages(page);
  await clickHeader(page, 'BilledCost');
  await expect.poll(() => hold.held.length).toBeGreaterThan(0);
  await page.waitForTimeout(800);
  await shot(page, '40-grid-sorting');
  const status = page.getByTestId('rows-sorting');
  await expect(status).toBeVisible();
  await expect(status).toHaveText(/Sorting 60,000 rows by Billed Cost/);

  await hold.release('BilledCost');
  await expect(status).toBeHidden();
  const expected = await call<Page200>('explore.rows', { from: '2025-01-01', to: '2025-03-01', offset: 0, limit: 6, sort: { column: 'BilledCost', desc: true } });
  const col = expected.columns.indexOf('BilledCost');
  expect(await columnValues(page, 'BilledCost', 6)).toEqual(expected.rows.map((r) => shown(r[col]!)));
  await expect(page.getByTestId('rows-sort')).toContainText('BilledCost');
  await shot(page, '41-grid-sorted');
});

test('a sort chosen while another runs replaces it, even when the first answers last', async ({ page }) => {
  await openRows(page);
  const hold = holdSortedPages(page);
  await clickHeader(page, 'BilledCost');
  await expect.poll(() => hold.held.some((h) => h.column === 'BilledCost')).toBe(true);
  await clickHeader(page, 'EffectiveCost');
  await expect.poll(() => hold.held.some((h) => h.column === 'EffectiveCost')).toBe(true);
  const status = page.getByTestId('rows-sorting');
  await expect(status).toHaveText(/by Effective Cost/);

  // the newer sort answers first, the superseded one afterwards: the grid keeps the newer
  await hold.release('EffectiveCost');
  await expect(status).toBeHidden();
  await hold.release('BilledCost');
  await page.waitForTimeout(500);
  const expected = await call<Page200>('explore.rows', { from: '2025-01-01', to: '2025-03-01', offset: 0, limit: 6, sort: { column: 'EffectiveCost', desc: true } });
  const col = expected.columns.indexOf('EffectiveCost');
  expect(await columnValues(page, 'EffectiveCost', 6)).toEqual(expected.rows.map((r) => shown(r[col]!)));
  await expect(page.getByTestId('rows-sort')).toContainText('EffectiveCost');
  await expect(page.getByTestId('rows-range')).toHaveText(/^Rows 1–[\d,]+ of 60,000$/);

  // the header cycles to ascending and back to unsorted: the unsorted pages answered before are shown again
  await page.unroute('**/api/explore.rows');
  await clickHeader(page, 'EffectiveCost');
  await expect(page.getByTestId('rows-sort')).toContainText('smallest first');
  await clickHeader(page, 'EffectiveCost');
  await expect(page.getByTestId('rows-sort')).toBeHidden();
  const unsorted = await call<Page200>('explore.rows', { from: '2025-01-01', to: '2025-03-01', offset: 0, limit: 6 });
  await expect.poll(() => columnValues(page, 'EffectiveCost', 6)).toEqual(unsorted.rows.map((r) => shown(r[col]!)));
  await expect(page.getByText('Loading…')).toBeHidden();
});

test('a deep jump and a new date range while sorted say what is being sorted', async ({ page }) => {
  await openRows(page);
  await clickHeader(page, 'BilledCost');
  await expect(page.getByTestId('rows-sort')).toContainText('BilledCost');
  await expect(page.getByTestId('rows-sorting')).toBeHidden();
  const hold = holdSortedPages(page);

  // a page far past the first ones (the engine builds the whole order for it)
  await page.getByTestId('rows-goto').fill('45000');
  await page.keyboard.press('Enter');
  await expect.poll(() => hold.held.length).toBeGreaterThan(0);
  const status = page.getByTestId('rows-sorting');
  await expect(status).toHaveText(/Sorting 60,000 rows by Billed Cost/);
  await shot(page, '42-grid-sorting-deep');
  await hold.release('BilledCost');
  await expect(status).toBeHidden();
  const deep = await call<Page200>('explore.rows', { from: '2025-01-01', to: '2025-03-01', offset: 44_999, limit: 1, sort: { column: 'BilledCost', desc: true } });
  const col = deep.columns.indexOf('BilledCost');
  const grid = page.getByTestId('rows-grid');
  const ci = await grid.locator('[data-column="BilledCost"]').getAttribute('aria-colindex');
  await expect(grid.locator(`[role="row"][aria-rowindex="45001"] [role="gridcell"][aria-colindex="${ci}"]`)).toHaveText(shown(deep.rows[0]![col]!));

  // a new date range keeps the sort: its count is not known until the sort answers
  await page.getByTestId('range-to').fill('2025-01-31');
  await expect.poll(() => hold.held.length).toBeGreaterThan(0);
  await expect(status).toContainText('Sorting the rows by Billed Cost');
  await expect(status).toContainText('A shorter date range or a filter sorts faster');
  await shot(page, '43-grid-sorting-new-range');
  await hold.release('BilledCost');
  await expect(status).toBeHidden();
  const january = await call<Page200>('explore.rows', { from: '2025-01-01', to: '2025-01-31', offset: 0, limit: 3, sort: { column: 'BilledCost', desc: true } });
  await expect(page.getByTestId('rows-total')).toHaveAttribute('data-value', String(january.total));
  expect(await columnValues(page, 'BilledCost', 3)).toEqual(january.rows.map((r) => shown(r[col]!)));
});

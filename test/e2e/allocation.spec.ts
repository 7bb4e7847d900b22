// Allocation, end to end on the demo workspace: define Team from the demo's tags, a shared pool split in proportion,
// watch the live preview's coverage and cent check, undo/redo, apply, diff a version against the draft, and read the
// showback back from its CSV export.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AllocationPreview, AllocationState } from '../../src-shared/api/allocation';
import { shot, startServe, type Served } from './serve-fixture';

let served: Served;
let dir: string;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meterbook-e2e-alloc-'));
  served = await startServe();
});

test.afterAll(async () => {
  await served?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.describe.configure({ mode: 'serial' });

/** Toasts fade by themselves; screenshots are taken without them. */
async function clearToasts(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Dismiss notification' });
  // a toast may fade between the count and the click
  while ((await close.count()) > 0) await close.first().click({ timeout: 1000 }).catch(() => undefined);
}

async function openAllocation(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.url);
  await expect(page.getByTestId('nav-allocation')).toBeVisible({ timeout: 120_000 });
  // the demo workspace is built on first start
  await expect(page.locator('.ws-facts')).toContainText('Rows', { timeout: 120_000 });
  await page.keyboard.press('Control+8');
  await expect(page.getByTestId('allocation-screen')).toBeVisible({ timeout: 60_000 });
}

test('define Team from tags and a shared pool: the live preview covers it to the cent, undo and redo, apply, diff, showback and its CSV', async ({ page }) => {
  test.setTimeout(300_000);
  await openAllocation(page);

  // the starting draft has a Team dimension: remove it to see the empty state, then create Team again
  await page.getByTestId('dimension-remove').click();
  const noDim = page.getByTestId('no-dimensions');
  await expect(noDim).toBeVisible();
  await clearToasts(page);
  await shot(page, 'alloc-00-no-dimension');
  await noDim.getByRole('textbox', { name: 'Dimension name' }).fill('Team');
  await noDim.getByRole('button', { name: 'Add dimension' }).click();
  await expect(page.getByTestId('dimension-tab-Team')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('rules-empty')).toContainText('Add a first rule');

  // a first rule by hand: the value gets the cursor, the condition starts on the tag named like the dimension
  await page.getByTestId('add-rule').click();
  const r1 = page.getByTestId('rule-r1');
  await expect(r1.getByTestId('rule-value')).toBeFocused();
  await page.keyboard.type('platform');
  await expect(r1.getByTestId('condition-field')).toHaveValue('Tags.team');
  await r1.getByTestId('condition-value').fill('platform');
  await expect(r1.getByTestId('rule-stat')).toHaveAttribute('data-status', 'takes');

  // the other teams: one rule per Tags.team value (platform already has one)
  await page.getByTestId('rules-from-values').click();
  await expect(page.getByTestId('from-values-field')).toHaveValue('Tags.team');
  await page.getByTestId('from-values-add').click();
  await expect(page.locator('[data-rule-id]')).toHaveCount(6);
  await expect(page.locator('[data-rule-id] [data-testid="rule-stat"][data-status="takes"]')).toHaveCount(6);

  await clearToasts(page);
  await shot(page, 'alloc-01-rule-editor');

  // a rule after "ml" that reads the same tag value is shadowed by it; one that matches no row says so
  await page.getByTestId('add-rule').click();
  const r7 = page.getByTestId('rule-r7');
  await page.keyboard.type('ml-platform');
  await r7.getByTestId('condition-value').fill('ml');
  await expect(r7.getByTestId('rule-stat')).toHaveAttribute('data-status', 'shadowed');
  await expect(r7.getByTestId('shadow-note')).toContainText(/Shadowed by #\d ml \([\d,]+ rows\)/);
  await clearToasts(page);
  await r7.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'alloc-01b-shadowed');
  await r7.getByTestId('condition-value').fill('nobody');
  await expect(r7.getByTestId('rule-stat')).toHaveAttribute('data-status', 'no-rows');
  await expect(r7.getByTestId('rule-stat')).toHaveText('matches nothing');
  // a half-typed rule is left out of the preview and named, and nothing can be applied meanwhile
  await r7.getByTestId('rule-value').fill('');
  await expect(r7.getByTestId('rule-problem')).toContainText('needs a value');
  await expect(r7.getByTestId('rule-stat')).toHaveText('not in the preview');
  await expect(page.getByTestId('apply')).toBeDisabled();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-kind', 'unfinished');
  await r7.getByRole('button', { name: 'Remove rule 7' }).click();
  await expect(page.locator('[data-rule-id]')).toHaveCount(6);

  // a shared pool: tax rows split over the teams in proportion to their direct cost
  await page.getByTestId('add-pool').click();
  const pool = page.getByTestId('pool-p1');
  await pool.getByTestId('pool-name').fill('Tax');
  await pool.getByTestId('condition-field').selectOption('ChargeCategory');
  await pool.getByTestId('condition-value').fill('Tax');
  await expect(pool.getByTestId('pool-method').getByRole('radio', { name: 'Proportional' })).toHaveAttribute('aria-checked', 'true');
  await expect(pool.getByTestId('rule-stat')).toHaveAttribute('data-status', 'takes');

  // the preview is the engine's answer for the saved draft, and it adds up to the cent
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-kind', 'saved');
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('aria-busy', 'false');
  const state = await served.call<AllocationState>('allocation.state', {});
  expect(state.draft.rules.map((r) => r.value).sort()).toEqual(['data', 'ml', 'mobile', 'platform', 'sre', 'web']);
  const engine = await served.call<AllocationPreview>('allocation.preview', { ruleSet: state.draft });
  const team = engine.dimensions.find((d) => d.dimension === 'Team')!;
  const check = team.checks[0]!;
  expect(check.difference).toBe(0);
  const kpis = await served.call<{ totals: Array<{ currency: string; billed: number }> } & Record<string, unknown>>('explore.kpis', { filters: [] });
  expect(JSON.stringify(kpis)).toContain(String(check.original));
  await expect(page.getByTestId('coverage')).toHaveAttribute('data-value', String(check.coverage));
  await expect(page.getByTestId('check-original')).toHaveAttribute('data-value', String(check.original));
  await expect(page.getByTestId('cent-check')).toHaveAttribute('data-difference', '0');
  await expect(page.getByTestId('cent-check')).toContainText('Allocated + unallocated = original: difference $0.00');
  await expect(page.getByTestId('cent-check')).toHaveClass(/ok/);
  const taxPool = team.rules.find((r) => r.id === 'p1')!;
  const shared = await page.getByTestId('t-shared').evaluateAll((els) => els.reduce((s, e) => s + Number(e.getAttribute('data-value')), 0));
  expect(Math.round(shared * 100)).toBe(Math.round(taxPool.amounts[0]!.amount * 100));
  await expect(page.getByTestId('preview-timing')).toContainText(/\d+ ms · \w+/);
  await clearToasts(page);
  await pool.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'alloc-02-preview');

  // undo and redo, from the keyboard in the field and with the buttons
  const v1 = r1.getByTestId('rule-value');
  await v1.fill('platform-core');
  await page.keyboard.press('Control+z');
  await expect(v1).toHaveValue('platform');
  await page.keyboard.press('Control+Shift+z');
  await expect(v1).toHaveValue('platform-core');
  await page.getByTestId('undo').click();
  await expect(v1).toHaveValue('platform');
  await expect(page.getByTestId('redo')).toBeEnabled();

  // apply as version 1
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-kind', 'saved');
  await page.getByTestId('apply-note').fill('Teams by tag, tax shared');
  // Ctrl+Z in the note is the note's own undo: the rules stay as they are
  await page.keyboard.press('Control+z');
  await expect(pool.getByTestId('condition-value')).toHaveValue('Tax');
  await expect(v1).toHaveValue('platform');
  await page.getByTestId('apply-note').fill('Teams by tag, tax shared');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('apply-done')).toContainText('Version 1 applied', { timeout: 120_000 });
  await expect(page.getByTestId('applied-version')).toContainText('Version 1 ·');
  await expect(page.getByTestId('alloc-tab-versions')).toContainText('1');

  // edit after applying, then the diff of version 1 against the draft
  await v1.fill('platform-core');
  const fourth = page.locator('[data-rule-id]').nth(3);
  const movedId = await fourth.getAttribute('data-rule-id');
  // Alt+↑ in a rule moves it up, and the cursor stays in it
  await fourth.getByTestId('rule-value').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.locator('[data-rule-id]').nth(2)).toHaveAttribute('data-rule-id', movedId!);
  await expect(page.getByTestId(`rule-${movedId}`).getByTestId('rule-value')).toBeFocused();
  await page.getByTestId('alloc-tab-versions').click();
  await expect(page.getByTestId('version-row')).toHaveCount(1);
  await expect(page.getByTestId('version-row')).toContainText('Teams by tag, tax shared');
  const changed = page.locator('[data-testid="diff-row"][data-id="r1"][data-change="changed"]');
  await expect(changed).toContainText('Team = platform when');
  await expect(changed).toContainText('Team = platform-core when');
  await expect(page.locator(`[data-testid="diff-row"][data-id="${movedId}"][data-change="moved"]`)).toBeVisible();
  await clearToasts(page);
  await shot(page, 'alloc-03-diff');

  // showback of version 1: direct + shared = total on every row, totals = the original spend, to the cent
  await page.getByTestId('alloc-tab-showback').click();
  await expect(page.getByTestId('sb-table')).toBeVisible();
  const rows = page.getByTestId('sb-row');
  await expect(rows).toHaveCount(6);
  for (let i = 0; i < 6; i++) {
    const row = rows.nth(i);
    const [d, sh, t] = await Promise.all(['sb-direct', 'sb-shared', 'sb-total-cell'].map((id) => row.getByTestId(id).getAttribute('data-value')));
    expect(Math.abs(Number(d) + Number(sh) - Number(t))).toBeLessThan(1e-6);
  }
  expect(Number(await rows.first().getByTestId('sb-shared').getAttribute('data-value'))).toBeGreaterThan(0);
  const total = Number(await page.getByTestId('sb-total').getByTestId('sb-total-cell').getAttribute('data-value'));
  expect(Math.round(total * 100)).toBe(Math.round(check.original * 100));
  await expect(page.getByTestId('sb-check')).toHaveAttribute('data-difference', '0');
  await clearToasts(page);
  await shot(page, 'alloc-04-showback');

  // export the showback as CSV to a path, and read it back
  await page.getByTestId('sb-export').click();
  await expect(page.getByTestId('sb-export-path')).toHaveValue(/meterbook-showback-team-\d{4}-\d{2}-\d{2}\.csv$/);
  const out = path.join(dir, 'showback-team.csv');
  await page.getByTestId('sb-export-path').fill(out);
  await page.getByTestId('sb-export-start').click();
  await expect(page.getByTestId('sb-export-done')).toContainText(out);
  const lines = fs.readFileSync(out, 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  expect(header).toEqual(['Team', 'Month', 'Currency', 'Direct', 'Shared', 'Total']);
  const firstTarget = await rows.first().getAttribute('data-target');
  const firstTotal = Number(await rows.first().getByTestId('sb-total-cell').getAttribute('data-value'));
  let csvSum = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    expect(Math.abs(Number(cells[3]) + Number(cells[4]) - Number(cells[5]))).toBeLessThan(1e-6);
    if (cells[0] === firstTarget) csvSum += Number(cells[5]);
  }
  expect(Math.round(csvSum * 100)).toBe(Math.round(firstTotal * 100));

  // the printable page: only the showback goes to paper
  await page.getByTestId('sb-print').click();
  await expect(page.getByTestId('print-sheet')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sidebar')).toBeHidden();
  await expect(page.getByTestId('print-sheet').getByTestId('sb-table')).toBeVisible();
  await shot(page, 'alloc-05-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('print-sheet').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('print-sheet')).toHaveCount(0);
});


test('rules as JSON out and back in (undoable), and a pool split by imported driver data', async ({ page }) => {
  test.setTimeout(180_000);
  await openAllocation(page);
  await expect(page.locator('[data-rule-id]')).toHaveCount(6);
  // the draft was kept with the workspace: the first test's last edit is there; put the team name back
  await expect(page.getByTestId('rule-r1').getByTestId('rule-value')).toHaveValue('platform-core');
  await page.getByTestId('rule-r1').getByTestId('rule-value').fill('platform');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-kind', 'saved');

  // export: the file is the saved draft
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(download.suggestedFilename()).toBe('allocation-rules.json');
  const exported = path.join(dir, 'rules.json');
  await download.saveAs(exported);
  const json = JSON.parse(fs.readFileSync(exported, 'utf8')) as AllocationState['draft'];
  const state = await served.call<AllocationState>('allocation.state', {});
  expect(json).toEqual(state.draft);

  // a file that is not a rule set is refused with what is wrong, and the draft stays
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ dimensions: [{ key: 'team', label: 'Team' }] }));
  await page.getByTestId('import-json-file').setInputFiles(bad);
  await expect(page.locator('.toast-error')).toContainText('dimension key is a word starting with a capital letter');
  await expect(page.locator('[data-rule-id]')).toHaveCount(6);

  // a rule set with one more rule replaces the draft; Undo brings the previous one back
  const more = { ...json, rules: [...json.rules, { id: 'r99', dimension: 'Team', value: 'ai', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'contains', value: 'API' }] }] };
  const moreFile = path.join(dir, 'more.json');
  fs.writeFileSync(moreFile, JSON.stringify(more, null, 2));
  await page.getByTestId('import-json-file').setInputFiles(moreFile);
  await expect(page.locator('[data-rule-id]')).toHaveCount(7);
  await expect(page.getByTestId('rule-r99').getByTestId('rule-stat')).toHaveAttribute('data-status', 'takes');
  await page.keyboard.press('Control+z');
  await expect(page.locator('[data-rule-id]')).toHaveCount(6);

  // driver data: seats per team and month, platform 3 for every seat data has, the other teams none
  const months = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
  const seats = path.join(dir, 'seats.csv');
  fs.writeFileSync(seats, ['period,target,quantity', ...months.flatMap((m) => [`${m},platform,3`, `${m},data,1`])].join('\n') + '\n');
  await page.getByTestId('driver-file').setInputFiles(seats);
  await expect(page.getByTestId('driver-name')).toHaveValue('seats');
  await page.getByTestId('driver-import').click();
  await expect(page.getByTestId('driver-row')).toContainText('seats');
  await expect(page.getByTestId('driver-row')).toContainText('2026-05 – 2026-11');

  const pool = page.getByTestId('pool-p1');
  await pool.getByTestId('pool-method').getByRole('radio', { name: 'By driver' }).click();
  await expect(pool.getByRole('combobox', { name: 'Driver data' })).toHaveValue('seats');
  const tax = (await served.call<AllocationPreview>('allocation.preview', { ruleSet: state.draft })).dimensions[0]!.rules.find((r) => r.id === 'p1')!.amounts[0]!.amount;
  const sharedOf = (target: string) => page.locator(`[data-testid="preview-target"][data-target="${target}"] [data-testid="t-shared"]`);
  await expect(sharedOf('web')).toHaveAttribute('data-value', '0');
  const platform = Number(await sharedOf('platform').getAttribute('data-value'));
  const data = Number(await sharedOf('data').getAttribute('data-value'));
  expect(Math.abs(platform - tax * 0.75)).toBeLessThan(0.01);
  expect(Math.round((platform + data) * 100)).toBe(Math.round(tax * 100));
  await expect(page.getByTestId('cent-check')).toHaveAttribute('data-difference', '0');
  // "before" is version 1's total for each team, as the engine says
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-kind', 'saved');
  const now = await served.call<AllocationState>('allocation.state', {});
  const byDriver = (await served.call<AllocationPreview>('allocation.preview', { ruleSet: now.draft })).dimensions[0]!;
  const platformBefore = byDriver.targets.find((t) => t.target === 'platform')!.before;
  expect(platformBefore).not.toBeNull();
  await expect(page.locator('[data-target="platform"] [data-testid="t-before"]')).toHaveAttribute('data-value', String(platformBefore));
  await expect(page.locator('[data-target="platform"] [data-testid="t-change"]')).toHaveText(/^\+[\d,]+\.\d\d$/);
  await clearToasts(page);
  await pool.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'alloc-06-driver-split');
});

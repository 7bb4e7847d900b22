// The renderer's side of the benchmark, in the system Chromium against `meterbook serve` on a bench workspace:
// overview first paint after opening, and the longest main-thread tasks while scrolling the detail grid and while an
// import runs (PerformanceObserver 'longtask': every task over 50 ms is one).
//
// node --import tsx test/bench/ui.ts --workspace W.meterbook --import-file F.csv [--out ui.json]
import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServe } from '../e2e/serve-fixture';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    'import-file': { type: 'string' },
    out: { type: 'string', default: 'bench-ui.json' },
    'scroll-seconds': { type: 'string', default: '15' },
  },
});

function chromiumPath(): string {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH'];
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // next
    }
  }
  throw new Error('no Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');
}

interface LongTasks {
  count: number;
  maxMs: number;
  totalMs: number;
}

async function longTasksDuring(page: Page, work: () => Promise<void>): Promise<LongTasks> {
  await page.evaluate(() => ((globalThis as unknown as { __long: number[] }).__long = []));
  await work();
  // tasks are reported after they end: give the observer a moment
  await page.waitForTimeout(300);
  const d = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long);
  return { count: d.length, maxMs: Math.round(Math.max(0, ...d)), totalMs: Math.round(d.reduce((a, b) => a + b, 0)) };
}

async function main(): Promise<void> {
  const ws = path.resolve(values.workspace!);
  const served = await startServe(['--workspace', ws]);
  const url = served.url;
  const token = new URL(url).searchParams.get('token')!;
  const api = async (method: string, input: unknown): Promise<unknown> => {
    const res = await fetch(new URL(`/api/${method}`, url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.value;
  };

  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => {
      const w = globalThis as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask' as never, buffered: true });
    });

    // ---- overview first paint: from navigation to KPIs, chart and breakdown on screen ----
    const t0 = Date.now();
    await page.goto(url);
    await page.getByTestId('kpi-billed').and(page.locator('[data-value]')).waitFor({ timeout: 120_000 });
    await page.getByTestId('spend-chart').waitFor();
    await page.getByTestId('breakdown-table').locator('tbody tr, [role=row]').first().waitFor();
    const firstPaintMs = Date.now() - t0;
    const openLong = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long.slice());

    // ---- the detail grid: keyboard paging, then jumps deep into the rows as a dragged scrollbar makes ----
    await page.keyboard.press('Control+3');
    const grid = page.getByTestId('rows-grid');
    await grid.and(page.locator('[role=grid]')).waitFor({ timeout: 60_000 });
    const total = Number(await page.getByTestId('rows-total').getAttribute('data-value'));
    const scrollMs = Number(values['scroll-seconds']) * 1000;
    const scrolling = await longTasksDuring(page, async () => {
      await grid.focus();
      const end = Date.now() + scrollMs;
      let i = 0;
      while (Date.now() < end) {
        if (i % 10 === 9) {
          await grid.evaluate((el, f) => {
            const e = el as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
            e.scrollTop = f * (e.scrollHeight - e.clientHeight);
          }, ((i * 7919) % 1000) / 1000);
        } else {
          await page.keyboard.press('PageDown');
        }
        i++;
        await page.waitForTimeout(40);
      }
    });
    // a deep page shows rows, not blanks
    await page.waitForTimeout(500);
    const deepText = await grid.innerText();

    // ---- an import while the overview is on screen ----
    let importing: LongTasks | null = null;
    let importSec = 0;
    if (values['import-file']) {
      await page.keyboard.press('Control+1');
      await page.getByTestId('kpi-billed').waitFor();
      const before = ((await api('workspace.current', {})) as { rows: number }).rows;
      // a file already in the workspace adds no rows, and the wait below would never end
      const name = path.basename(values['import-file']);
      if (((await api('import.list', {})) as { file: string }[]).some((r) => r.file === name)) {
        throw new Error(`${name} is already imported into ${ws}: pass another file to import while watching`);
      }
      importing = await longTasksDuring(page, async () => {
        const i0 = Date.now();
        await api('import.start', { files: [{ path: path.resolve(values['import-file']!) }], mode: 'append' });
        for (;;) {
          await page.waitForTimeout(250);
          const now = ((await api('workspace.current', {})) as { rows: number }).rows;
          if (now > before) break;
          if (Date.now() - i0 > 600_000) throw new Error('the import did not finish in 10 minutes');
        }
        importSec = (Date.now() - i0) / 1000;
      });
    }

    const result = {
      rows: total,
      overviewFirstPaintMs: firstPaintMs,
      longTasksWhileOpening: { count: openLong.length, maxMs: Math.round(Math.max(0, ...openLong)) },
      gridScroll: scrolling,
      gridDeepPageHasRows: /\d/.test(deepText),
      importWhileWatching: importing ? { ...importing, seconds: importSec } : null,
    };
    fs.writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await served.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

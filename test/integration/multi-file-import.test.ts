// One delivery from a folder or a ZIP archive: every bill file in it, export metadata set aside, one transaction.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExploreQueries } from '../../src-main/explore/query';
import { runImport } from '../../src-main/ingest/import-runner';
import { openWorkspace } from '../../src-main/store/workspace';
import { decimalSum, expectMoneyMatches, readCsvRecords } from '../helpers/independent-csv';
import { SAMPLE_1000, tempDir } from '../helpers/temp';
import { makeZip } from '../helpers/zip';

let dir: string;
let partA: string;
let partB: string;
beforeAll(() => {
  dir = tempDir();
  // the sample split into two parts of one delivery
  const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
  partA = lines.slice(0, 601).join('\n') + '\n';
  partB = [lines[0], ...lines.slice(601)].join('\n') + '\n';
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function billed(ws: string): { billed: number; rows: number } {
  const db = openWorkspace(ws);
  try {
    const k = new ExploreQueries(db).kpis({ filters: [] });
    return { billed: k.billed, rows: k.rows };
  } finally {
    db.close();
  }
}

describe('multi-file import', () => {
  const expected = decimalSum(readCsvRecords(SAMPLE_1000), 'BilledCost');

  it('imports every bill file of a folder, sets manifests aside, and lists each file', async () => {
    const folder = path.join(dir, 'export');
    fs.mkdirSync(path.join(folder, 'data', 'BILLING_PERIOD=2024-09'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'data', 'BILLING_PERIOD=2024-09', 'part-0.csv'), partA);
    fs.writeFileSync(path.join(folder, 'data', 'BILLING_PERIOD=2024-09', 'part-1.csv'), partB);
    fs.writeFileSync(path.join(folder, 'export-Manifest.json'), '{"reportKeys":[]}');
    fs.writeFileSync(path.join(folder, '.DS_Store'), 'x');
    const ws = path.join(dir, 'folder.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: folder, name: 'export' }], mode: 'ask' });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files.map((f) => [f.file, f.rows, f.format])).toEqual([
      ['export/data/BILLING_PERIOD=2024-09/part-0.csv', 600, 'focus-csv'],
      ['export/data/BILLING_PERIOD=2024-09/part-1.csv', 400, 'focus-csv'],
    ]);
    expect(outcome.skipped).toEqual(['export/.DS_Store', 'export/export-Manifest.json']);
    const t = billed(ws);
    expect(t.rows).toBe(1000);
    expectMoneyMatches(t.billed, expected, 1000);
  });

  it('imports the entries of a ZIP archive, and the same archive again changes nothing', async () => {
    const zip = path.join(dir, 'delivery.zip');
    fs.writeFileSync(zip, makeZip([{ name: 'a/part-0.csv', data: partA }, { name: 'a/part-1.csv', data: partB }, { name: 'manifest.json', data: '{}' }]));
    const ws = path.join(dir, 'zip.meterbook');
    const first = await runImport({ workspacePath: ws, files: [{ path: zip, name: 'delivery.zip' }], mode: 'ask' });
    expect(first.status).toBe('done');
    if (first.status !== 'done') return;
    expect(first.files.map((f) => [f.file, f.rows, f.action])).toEqual([
      ['delivery.zip/a/part-0.csv', 600, 'imported'],
      ['delivery.zip/a/part-1.csv', 400, 'imported'],
    ]);
    expect(first.skipped).toEqual(['delivery.zip/manifest.json']);
    expectMoneyMatches(billed(ws).billed, expected, 1000);
    const again = await runImport({ workspacePath: ws, files: [{ path: zip, name: 'delivery.zip' }], mode: 'ask' });
    expect(again.status === 'done' && again.files.map((f) => f.action)).toEqual(['unchanged', 'unchanged']);
    expect(billed(ws).rows).toBe(1000);
  });

  it('refuses a damaged archive by name and changes nothing', async () => {
    const bad = path.join(dir, 'bad.zip');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(64, 1)]));
    const ws = path.join(dir, 'bad.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: bad, name: 'bad.zip' }], mode: 'ask' });
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error.message).toMatch(/^bad\.zip: the ZIP archive cannot be read/);
  });
});

describe('snapshot awareness', () => {
  it('keeps only the latest of several full copies of a month in one delivery, and says how many times it would have counted', async () => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
    const folder = path.join(dir, 'cur');
    // three daily snapshots of the same month, each with more rows than the last (AWS writes the whole month so far
    // into each assembly folder); the current one is named by the manifest, not by its folder name or time
    const asm = ['a9', 'b1', 'c4'];
    asm.forEach((a, i) => {
      fs.mkdirSync(path.join(folder, '20240901-20241001', a), { recursive: true });
      const f = path.join(folder, '20240901-20241001', a, 'report-1.csv');
      fs.writeFileSync(f, lines.slice(0, 801 + 100 * i).join('\n') + '\n');
      const t = new Date(Date.UTC(2024, 9, 1 + i));
      fs.utimesSync(f, t, t);
    });
    fs.writeFileSync(path.join(folder, '20240901-20241001', 'report-Manifest.json'), JSON.stringify({ assemblyId: 'b1', reportKeys: [] }));
    const ws = path.join(dir, 'snap.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: folder, name: 'cur' }], mode: 'ask' });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files.map((f) => [f.file, f.action, f.rows])).toEqual([
      ['cur/20240901-20241001/a9/report-1.csv', 'superseded-snapshot', 0],
      ['cur/20240901-20241001/b1/report-1.csv', 'imported', 900],
      ['cur/20240901-20241001/c4/report-1.csv', 'superseded-snapshot', 0],
    ]);
    expect(outcome.snapshots).toHaveLength(1);
    expect(outcome.snapshots![0]).toMatchObject({ copies: 3, keptFolder: 'cur/20240901-20241001/b1' });
    const t = billed(ws);
    expect(t.rows).toBe(900);
    expectMoneyMatches(t.billed, decimalSum(readCsvRecords(SAMPLE_1000).slice(0, 900), 'BilledCost'), 900);
    // the rollups agree with the rows (they were rebuilt without the dropped copies)
    const db = openWorkspace(ws);
    const byService = new ExploreQueries(db).query({ groupBy: ['ServiceName'], metric: 'BilledCost', filters: [] });
    db.close();
    expect(byService.source).toBe('rollup_dim');
    expect(byService.total).toBeCloseTo(t.billed, 6);
  });

  it('without a manifest keeps the folder with the newest files; parts in one folder stay together', async () => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
    const partA = lines.slice(0, 601).join('\n') + '\n';
    const partB = [lines[0], ...lines.slice(601)].join('\n') + '\n';
    const folder = path.join(dir, 'azure');
    const oldB = lines.slice(0, 1).concat(lines.slice(601, 900)).join('\n') + '\n';
    for (const [run, day, b] of [['run-old', 1, oldB], ['run-new', 5, partB]] as const) {
      fs.mkdirSync(path.join(folder, run), { recursive: true });
      for (const [n, text] of [['part_0.csv', partA], ['part_1.csv', b]] as const) {
        const f = path.join(folder, run, n);
        fs.writeFileSync(f, text);
        const t = new Date(Date.UTC(2024, 9, day));
        fs.utimesSync(f, t, t);
      }
    }
    const ws = path.join(dir, 'snap2.meterbook');
    const outcome = await runImport({ workspacePath: ws, files: [{ path: folder, name: 'azure' }], mode: 'ask' });
    expect(outcome.status === 'done' && outcome.files.map((f) => [f.file, f.action])).toEqual([
      ['azure/run-new/part_0.csv', 'imported'],
      ['azure/run-new/part_1.csv', 'imported'],
      // byte-identical to the new run's part 0: counted once already as the same content
      ['azure/run-old/part_0.csv', 'unchanged'],
      ['azure/run-old/part_1.csv', 'superseded-snapshot'],
    ]);
    const t = billed(ws);
    expect(t.rows).toBe(1000);
    expectMoneyMatches(t.billed, decimalSum(readCsvRecords(SAMPLE_1000), 'BilledCost'), 1000);
  });

  it('tells daily snapshots downloaded loose into one folder from parts of one export by their rows', async () => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
    const loose = path.join(dir, 'downloads');
    fs.mkdirSync(loose, { recursive: true });
    // three downloads of the same month to date (the later ones repeat the earlier rows), all with the same time
    const files = [
      ['cur-2024-09-05.csv', 501],
      ['cur-2024-09-12.csv', 801],
      ['cur-2024-09-30.csv', 1001],
    ] as const;
    for (const [name, n] of files) fs.writeFileSync(path.join(loose, name), lines.slice(0, n).join('\n') + '\n');
    const ws = path.join(dir, 'loose.meterbook');
    const outcome = await runImport({
      workspacePath: ws,
      files: files.map(([name]) => ({ path: path.join(loose, name), name })),
      mode: 'ask',
    });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.files.map((f) => [f.file, f.action, f.rows])).toEqual([
      ['cur-2024-09-05.csv', 'superseded-snapshot', 0],
      ['cur-2024-09-12.csv', 'superseded-snapshot', 0],
      ['cur-2024-09-30.csv', 'imported', 1000],
    ]);
    expect(outcome.snapshots).toHaveLength(1);
    expect(outcome.snapshots![0]).toMatchObject({ copies: 3, unit: 'file', keptFiles: ['cur-2024-09-30.csv'] });
    expect(outcome.snapshots![0]!.droppedFiles.sort()).toEqual(['cur-2024-09-05.csv', 'cur-2024-09-12.csv']);
    const t = billed(ws);
    expect(t.rows).toBe(1000);
    expectMoneyMatches(t.billed, decimalSum(readCsvRecords(SAMPLE_1000), 'BilledCost'), 1000);
  });

  it('keeps loose parts of one export together, and a restated copy with some changed rows still counts as a copy', async () => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
    const loose = path.join(dir, 'parts');
    fs.mkdirSync(loose, { recursive: true });
    fs.writeFileSync(path.join(loose, 'part-0.csv'), lines.slice(0, 601).join('\n') + '\n');
    fs.writeFileSync(path.join(loose, 'part-1.csv'), [lines[0], ...lines.slice(601)].join('\n') + '\n');
    const ws = path.join(dir, 'loose-parts.meterbook');
    const parts = await runImport({
      workspacePath: ws,
      files: ['part-0.csv', 'part-1.csv'].map((name) => ({ path: path.join(loose, name), name })),
      mode: 'ask',
    });
    expect(parts.status === 'done' && parts.files.map((f) => [f.action, f.rows])).toEqual([
      ['imported', 600],
      ['imported', 400],
    ]);
    expect(parts.status === 'done' && parts.snapshots).toBeFalsy();

    // an early copy of rows 1–400, and a restated full month in which a tenth of those rows changed their cost
    // BilledCost is the second column, after AvailabilityZone (never holding a comma): split the row there only
    const billedIdx = lines[0]!.split(',').indexOf('"BilledCost"');
    expect(billedIdx).toBe(1);
    const restated = lines.slice(1).map((l, i) => {
      if (i % 10 !== 0 || i >= 400) return l;
      const cells = l.split(',');
      // a plain decimal cell in this sample (no quotes): bump it by one cent
      if (/^-?\d+(\.\d+)?$/.test(cells[billedIdx]!)) cells[billedIdx] = (Number(cells[billedIdx]) + 0.01).toFixed(10);
      return cells.join(',');
    });
    fs.writeFileSync(path.join(loose, 'early.csv'), lines.slice(0, 401).join('\n') + '\n');
    fs.writeFileSync(path.join(loose, 'restated.csv'), [lines[0], ...restated].join('\n') + '\n');
    const ws2 = path.join(dir, 'restated.meterbook');
    const outcome = await runImport({
      workspacePath: ws2,
      files: ['early.csv', 'restated.csv'].map((name) => ({ path: path.join(loose, name), name })),
      mode: 'ask',
    });
    expect(outcome.status === 'done' && outcome.files.map((f) => [f.file, f.action])).toEqual([
      ['early.csv', 'superseded-snapshot'],
      ['restated.csv', 'imported'],
    ]);
    expect(billed(ws2).rows).toBe(1000);
  });
});

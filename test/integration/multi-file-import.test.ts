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
});

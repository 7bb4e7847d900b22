// x_ custom columns and keys inside FOCUS JSON columns (SkuPriceDetails) group and filter like columns.
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExploreQueries } from '../../src-main/explore/query';
import { runImport } from '../../src-main/ingest/import-runner';
import { openWorkspace } from '../../src-main/store/workspace';
import { joinCsvLine, readCsvRecords, splitCsvLine } from '../helpers/independent-csv';
import { FIXTURES, SAMPLE_1000, tempDir } from '../helpers/temp';

const CACHING = path.join(FIXTURES, 'focus', 'spec-v1.5-draft-ai', 'ai_prompt_caching_a.csv');
let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sumBy(records: Record<string, string>[], key: (r: Record<string, string>) => string | null): Map<string | null, string> {
  const out = new Map<string | null, Big>();
  for (const r of records) {
    const k = key(r);
    out.set(k, (out.get(k) ?? new Big(0)).plus(r.BilledCost === 'NULL' ? 0 : r.BilledCost!));
  }
  return new Map([...out].map(([k, v]) => [k, v.toFixed(2)]));
}

describe('explore by JSON keys and x_ columns', () => {
  it('groups by SkuPriceDetails.TokenCacheAction with the sums of the file', async () => {
    const ws = path.join(dir, 'ai.meterbook');
    await runImport({ workspacePath: ws, files: [{ path: CACHING, name: 'ai.csv' }], mode: 'ask' });
    const records = readCsvRecords(CACHING);
    const expected = sumBy(records, (r) => {
      const v = (JSON.parse(r.SkuPriceDetails || '{}') as Record<string, string>).TokenCacheAction;
      return v ?? null;
    });
    const db = openWorkspace(ws);
    try {
      const q = new ExploreQueries(db);
      const res = q.query({ groupBy: ['SkuPriceDetails.TokenCacheAction'], metric: 'BilledCost', filters: [] });
      const got = new Map(res.rows.map((r) => [r['SkuPriceDetails.TokenCacheAction'] as string | null, (r.value as number).toFixed(2)]));
      expect(got).toEqual(expected);
      expect(res.source).toBe('cost_usage');
      const read = q.query({ groupBy: [], metric: 'BilledCost', filters: [{ column: 'SkuPriceDetails.TokenCacheAction', values: ['Read'] }] });
      expect(read.total.toFixed(2)).toBe(expected.get('Read'));
    } finally {
      db.close();
    }
  });

  it('groups and filters by an x_ custom column', async () => {
    const lines = fs.readFileSync(SAMPLE_1000, 'utf8').trimEnd().split('\n');
    const teams = ['search', 'ads', ''];
    const withTeam = [joinCsvLine([...splitCsvLine(lines[0]!), 'x_Team']), ...lines.slice(1).map((l, i) => joinCsvLine([...splitCsvLine(l), teams[i % 3]!]))];
    const file = path.join(dir, 'teams.csv');
    fs.writeFileSync(file, withTeam.join('\n') + '\n');
    const ws = path.join(dir, 'teams.meterbook');
    await runImport({ workspacePath: ws, files: [{ path: file, name: 'teams.csv' }], mode: 'ask' });
    const expected = sumBy(readCsvRecords(file), (r) => (r.x_Team === '' ? null : r.x_Team!));
    const db = openWorkspace(ws);
    try {
      const q = new ExploreQueries(db);
      const res = q.query({ groupBy: ['x_Team'], metric: 'BilledCost', filters: [] });
      expect(new Map(res.rows.map((r) => [r.x_Team as string | null, (r.value as number).toFixed(2)]))).toEqual(expected);
      const ads = q.query({ groupBy: [], metric: 'BilledCost', filters: [{ column: 'x_Team', values: ['ads'] }] });
      expect(ads.total.toFixed(2)).toBe(expected.get('ads'));
      const notAds = q.query({ groupBy: [], metric: 'BilledCost', filters: [{ column: 'x_Team', values: ['ads'], exclude: true }] });
      expect(new Big(notAds.total.toFixed(2)).plus(ads.total.toFixed(2)).toFixed(2)).toBe(
        [...expected.values()].reduce((a, v) => a.plus(v), new Big(0)).toFixed(2),
      );
    } finally {
      db.close();
    }
  });
});

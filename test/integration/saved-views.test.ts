// Saved views through the engine, as every host calls them, on a real workspace file that is closed and reopened.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import type { SavedViewDefinition } from '../../src-shared/api/contract';
import { tempDir } from '../helpers/temp';

let dir: string;
let file: string;
let engine: Engine;

const byRegion: SavedViewDefinition = {
  view: 'overview',
  from: '2024-09-01',
  to: '2024-09-30',
  filters: [
    { column: 'ServiceProviderName', values: ['Amazon Web Services, Inc.'] },
    { column: 'Tags.team', values: [null, 'ml:core|x'], exclude: true },
  ],
  groupBy: ['ServiceName', 'RegionId'],
  metric: 'EffectiveCost',
  granularity: 'week',
};
const rowsView: SavedViewDefinition = { view: 'rows', filters: [], groupBy: ['ServiceCategory'], metric: 'BilledCost', granularity: 'day' };

async function open(): Promise<Engine> {
  return createEngine({ host: 'test', dataDir: path.join(dir, 'data'), workspacePath: file });
}

beforeAll(async () => {
  dir = tempDir();
  file = path.join(dir, 'client.meterbook');
  engine = await open();
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('saved views', () => {
  it('are saved in the workspace file and listed by name after it is reopened', async () => {
    const a = await engine.invoke('views.save', { name: '  AWS by region ', definition: byRegion });
    expect(a).toMatchObject({ name: 'AWS by region', definition: byRegion });
    expect(a.created).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await engine.invoke('views.save', { name: 'all rows', definition: rowsView });

    await engine.close();
    engine = await open();
    const list = await engine.invoke('views.list', {});
    expect(list.map((v) => v.name)).toEqual(['all rows', 'AWS by region']);
    expect(list[1]!.definition).toEqual(byRegion);
    expect(list[1]!.id).toBe(a.id);

    // the file itself holds them, readable by any SQLite client
    const raw = new Database(file, { readonly: true });
    const stored = raw.prepare('SELECT name, definition FROM saved_view ORDER BY id').all() as { name: string; definition: string }[];
    raw.close();
    expect(stored.map((s) => s.name)).toEqual(['AWS by region', 'all rows']);
    expect(JSON.parse(stored[0]!.definition)).toEqual(byRegion);
  });

  it("refuses a name in use (any case) with 'exists' unless asked to overwrite", async () => {
    const taken = await engine.call('views.save', { name: 'aws BY region', definition: rowsView });
    expect(taken).toMatchObject({ ok: false, error: { code: 'exists' } });
    if (!taken.ok) expect(taken.error.message).toContain('AWS by region');
    const before = (await engine.invoke('views.list', {})).find((v) => v.name === 'AWS by region')!;

    const replaced = await engine.invoke('views.save', { name: 'AWS by Region', definition: rowsView, overwrite: true });
    expect(replaced).toMatchObject({ id: before.id, name: 'AWS by Region', definition: rowsView, created: before.created });
    const list = await engine.invoke('views.list', {});
    expect(list).toHaveLength(2);
    expect(list.find((v) => v.id === before.id)!.definition).toEqual(rowsView);
  });

  it('renames, refusing a name another view has', async () => {
    const [rows, aws] = await engine.invoke('views.list', {});
    const clash = await engine.call('views.rename', { id: rows!.id, name: 'aws by region' });
    expect(clash).toMatchObject({ ok: false, error: { code: 'exists' } });
    // a view may change the case of its own name
    expect(await engine.invoke('views.rename', { id: aws!.id, name: 'aws by region' })).toMatchObject({ name: 'aws by region' });
    const renamed = await engine.invoke('views.rename', { id: rows!.id, name: 'Every row' });
    expect(renamed).toMatchObject({ id: rows!.id, name: 'Every row', definition: rowsView });
    expect((await engine.invoke('views.list', {})).map((v) => v.name)).toEqual(['aws by region', 'Every row']);
    expect(await engine.call('views.rename', { id: 9999, name: 'x' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('deletes, returning the definition so it can be saved again (Undo)', async () => {
    const every = (await engine.invoke('views.list', {})).find((v) => v.name === 'Every row')!;
    const deleted = await engine.invoke('views.delete', { id: every.id });
    expect(deleted).toMatchObject({ name: 'Every row', definition: rowsView });
    expect((await engine.invoke('views.list', {})).map((v) => v.name)).toEqual(['aws by region']);
    expect(await engine.call('views.delete', { id: every.id })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const undone = await engine.invoke('views.save', { name: deleted.name, definition: deleted.definition! });
    expect(undone).toMatchObject({ name: 'Every row', definition: rowsView });
    expect((await engine.invoke('views.list', {})).map((v) => v.name)).toEqual(['aws by region', 'Every row']);
  });

  it('validates names and definitions at the boundary', async () => {
    expect(await engine.call('views.save', { name: '   ', definition: rowsView })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const fourLevels = { ...rowsView, groupBy: ['A', 'B', 'C', 'D'] };
    expect(await engine.call('views.save', { name: 'deep', definition: fourLevels })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const noLevels = { ...rowsView, groupBy: [] };
    expect(await engine.call('views.save', { name: 'flat', definition: noLevels })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const badDay = { ...rowsView, from: '2024-9-1' };
    expect(await engine.call('views.save', { name: 'bad day', definition: badDay })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('lists a stored definition this version cannot read with the reason, instead of failing or hiding it', async () => {
    const raw = new Database(file);
    raw.prepare("INSERT INTO saved_view (name, definition, created, updated) VALUES ('From the future', ?, 'x', 'x')").run(
      JSON.stringify({ ...rowsView, view: 'forecast' }),
    );
    raw.close();
    const future = (await engine.invoke('views.list', {})).find((v) => v.name === 'From the future')!;
    expect(future.definition).toBeNull();
    expect(future.problem).toContain('view');
    await engine.invoke('views.delete', { id: future.id });
  });

  it("answers 'busy' quickly while another connection holds the write lock (an import), and works once it is released", async () => {
    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const t0 = Date.now();
      const r = await engine.call('views.save', { name: 'During import', definition: rowsView });
      expect(r).toMatchObject({ ok: false, error: { code: 'busy' } });
      expect(Date.now() - t0).toBeLessThan(2000);
      // reads are not blocked in WAL mode
      expect((await engine.invoke('views.list', {})).length).toBe(2);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await engine.invoke('views.save', { name: 'During import', definition: rowsView })).toMatchObject({ name: 'During import' });
  });

  it('needs an open workspace', async () => {
    const bare = await createEngine({ host: 'test', dataDir: path.join(dir, 'bare') });
    try {
      expect(await bare.call('views.list', {})).toMatchObject({ ok: false, error: { code: 'no-workspace' } });
    } finally {
      await bare.close();
    }
  });
});

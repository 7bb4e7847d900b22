// The mapping studio's engine side: a CSV no format knows is inspected, previewed with a mapping, saved as a
// template, and then imported (and recognised again) by its header.
import Big from 'big.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOutcome, MappingTemplateInput } from '../../src-shared/api/contract';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { tempDir } from '../helpers/temp';

let dir: string;
let engine: Engine;
// A vendor's own invoice export: day-first dates, a decimal comma, amounts in cents, one currency for the file.
const CSV = [
  'Datum,Kostenstelle,Produkt,Menge,Betrag (Cent),Konto',
  '03.02.2025,search,API calls,1200,12345,acct-7',
  '04.02.2025,search,API calls,800,8230,acct-7',
  '04.02.2025,ads,Storage,"3,5",99,acct-7',
  '28.02.2025,ads,API calls,10,1,acct-7',
].join('\n');

beforeAll(async () => {
  dir = tempDir();
  engine = await createEngine({ host: 'test', dataDir: path.join(dir, 'data') });
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function finished(jobId: string): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const stop = engine.subscribe((event, payload) => {
      const p = payload as { jobId: string; outcome: ImportOutcome };
      if (event === 'import.finished' && p.jobId === jobId) {
        stop();
        resolve(p.outcome);
      }
    });
  });
}

describe('mapping studio', () => {
  const file = () => path.join(dir, 'rechnung.csv');
  const template: MappingTemplateInput = {
    id: 'acme-invoice',
    name: 'ACME invoice export',
    header: ['Datum', 'Kostenstelle', 'Produkt', 'Menge', 'Betrag (Cent)', 'Konto'],
    columns: {
      ChargePeriodStart: { source: 'Datum' },
      BilledCost: { source: 'Betrag (Cent)' },
      BillingCurrency: { constant: 'EUR' },
      ServiceName: { source: 'Produkt' },
      ConsumedQuantity: { source: 'Menge' },
      SubAccountId: { source: 'Konto' },
      ServiceProviderName: { constant: 'ACME' },
      InvoiceIssuerName: { constant: 'ACME' },
      BillingAccountId: { constant: 'acme-1' },
    },
    dateOrder: 'dmy',
    decimalSeparator: ',',
    amountDivisor: '100',
  };

  it('inspects a file no format knows', async () => {
    fs.writeFileSync(file(), CSV);
    const ins = await engine.invoke('mapping.inspect', { file: { path: file() } });
    expect(ins.detected).toBeNull();
    expect(ins.header).toEqual(template.header);
    expect(ins.rows).toHaveLength(4);
  });

  it('previews the mapping: FOCUS rows, cents to euros, day-first dates, and their conformance', async () => {
    const p = await engine.invoke('mapping.preview', { file: { path: file() }, template });
    expect(p.error).toBeNull();
    const col = (name: string) => p.rows.map((r) => r[p.columns.indexOf(name)]);
    expect(col('BilledCost')).toEqual(['123.45', '82.3', '0.99', '0.01']);
    expect(col('ChargePeriodStart')).toEqual(['2025-02-03T00:00:00Z', '2025-02-04T00:00:00Z', '2025-02-04T00:00:00Z', '2025-02-28T00:00:00Z']);
    expect(col('ChargePeriodEnd')[0]).toBe('2025-02-04T00:00:00Z');
    expect(col('BillingPeriodStart')[0]).toBe('2025-02-01T00:00:00Z');
    expect(col('ConsumedQuantity')[2]).toBe('3.5');
    expect(col('x_Kostenstelle')).toEqual(['search', 'search', 'ads', 'ads']);
    expect(p.sourceRows).toEqual([1, 2, 3, 4]);
    expect(p.conformance.rows).toBe(4);
    expect(p.conformance.rules.length).toBeGreaterThan(100);
  });

  it('an incomplete mapping says what is missing', async () => {
    const { BillingCurrency: _c, ...rest } = template.columns;
    await expect(engine.invoke('mapping.preview', { file: { path: file() }, template: { ...template, columns: rest } })).rejects.toThrow(/BillingCurrency/);
  });

  it('without a template the import is refused and points to the mapping studio', async () => {
    await engine.invoke('workspace.create', { name: 'Before', path: path.join(dir, 'before.meterbook') });
    const { jobId } = await engine.invoke('import.start', { files: [{ path: file() }], mode: 'ask' });
    const outcome = await finished(jobId);
    expect(outcome.status === 'failed' && outcome.error).toMatchObject({ code: 'unknown-format' });
    expect(outcome.status === 'failed' && outcome.error.message).toMatch(/mapping studio/);
  });

  it('saves the template; the file then imports by its header, to the cent', async () => {
    await engine.invoke('mapping.saveTemplate', template);
    expect((await engine.invoke('mapping.templates', {})).map((t) => t.id)).toEqual(['acme-invoice']);
    await engine.invoke('workspace.create', { name: 'ACME', path: path.join(dir, 'ws.meterbook') });
    const { jobId } = await engine.invoke('import.start', { files: [{ path: file() }], mode: 'ask' });
    const outcome = await finished(jobId);
    if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
    expect(outcome.files[0]).toMatchObject({ format: 'template:acme-invoice', rows: 4, formatLabel: 'Template "ACME invoice export"' });
    const k = await engine.invoke('explore.kpis', {});
    expect(new Big(k.billed).toFixed(2)).toBe(new Big('12345').plus(8230).plus(99).plus(1).div(100).toFixed(2));
    expect(k.currency).toBe('EUR');
    const byTeam = await engine.invoke('explore.query', { groupBy: ['x_Kostenstelle'], metric: 'BilledCost' });
    expect(Object.fromEntries(byTeam.rows.map((r) => [r.x_Kostenstelle, (r.value as number).toFixed(2)]))).toEqual({ search: '205.75', ads: '1.00' });
    // inspect now recognises the file
    expect((await engine.invoke('mapping.inspect', { file: { path: file() } })).detected?.id).toBe('template:acme-invoice');
  });

  it('templates export and import as JSON, and can be deleted', async () => {
    const all = await engine.invoke('mapping.templates', {});
    expect(await engine.invoke('mapping.deleteTemplate', { id: 'acme-invoice' })).toEqual({ deleted: true });
    expect(await engine.invoke('mapping.templates', {})).toEqual([]);
    expect(await engine.invoke('mapping.importTemplates', { templates: JSON.parse(JSON.stringify(all)) })).toEqual({ saved: 1 });
    expect((await engine.invoke('mapping.templates', {}))[0]).toEqual(all[0]);
  });
});

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHeader, detectFocusVersion } from '../../src-main/ingest/focus-header';
import { openWorkspace } from '../../src-main/store/workspace';
import { tempDir } from '../helpers/temp';

const BASE = ['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'];

describe('FOCUS header', () => {
  it.each([
    [['AmortizedCost', 'ChargeType', 'UsageQuantity', 'Region', 'ProviderName'], '0.5'],
    [['EffectiveCost', 'UsageQuantity', 'Region'], '1.0-preview'],
    [['EffectiveCost', 'ChargeClass', 'ConsumedQuantity', 'ProviderName', 'PublisherName'], '1.0'],
    [['EffectiveCost', 'ChargeClass', 'SkuPriceDetails', 'ProviderName'], '1.1'],
    [['EffectiveCost', 'ChargeClass', 'BillingAccountType', 'InvoiceId', 'ProviderName'], '1.2'],
    [['EffectiveCost', 'ChargeClass', 'ServiceProviderName', 'HostProviderName'], '1.3'],
    [['EffectiveCost', 'ServiceProviderName', 'InvoiceDetailId'], '1.4'],
  ])('%j is FOCUS %s', (cols, version) => {
    expect(detectFocusVersion([...BASE, ...cols])).toBe(version);
  });

  it('matches names case-insensitively, maps 0.5 names and fills ServiceProviderName from ProviderName', () => {
    const r = analyzeHeader(['\uFEFFbilledcost', 'BILLINGCURRENCY', 'billingPeriodStart', 'BillingPeriodEnd', 'chargeperiodstart', 'ChargePeriodEnd', 'AmortizedCost', 'ProviderName', 'x_Custom', 'Id']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.source.get('BilledCost')).toBe(0);
    expect(r.plan.source.get('EffectiveCost')).toBe(6);
    expect(r.plan.source.get('ServiceProviderName')).toBe(7);
    expect(r.plan.extras.map((e) => e.name)).toEqual(['x_Custom', 'Id']);
  });

  it('refuses two columns for one FOCUS column, other datasets and missing mandatory columns by name', () => {
    const dup = analyzeHeader([...BASE, 'EffectiveCost', 'AmortizedCost']);
    expect(!dup.ok && dup.message).toBe("has two columns for EffectiveCost ('EffectiveCost' and 'AmortizedCost')");
    const invoice = analyzeHeader(['BilledCost', 'InvoiceDetailId', 'InvoiceId']);
    expect(!invoice.ok && invoice.message).toMatch(/Invoice Detail/);
    const missing = analyzeHeader(['BilledCost', 'ChargePeriodStart']);
    expect(!missing.ok && missing.message).toBe(
      'is missing the mandatory FOCUS columns BillingCurrency, BillingPeriodStart, BillingPeriodEnd, ChargePeriodEnd',
    );
  });
});

describe('workspace file', () => {
  it('refuses a file written by a newer Meterbook, and a foreign SQLite file, with a clear message', () => {
    const d = tempDir();
    try {
      const ws = path.join(d, 'new.meterbook');
      openWorkspace(ws, { create: true }).close();
      const raw = new Database(ws);
      raw.pragma('user_version = 99');
      raw.close();
      expect(() => openWorkspace(ws)).toThrow(/newer Meterbook \(schema version 99/);
      const foreign = path.join(d, 'other.db');
      const o = new Database(foreign);
      o.exec('CREATE TABLE t (x)');
      o.close();
      expect(() => openWorkspace(foreign)).toThrow(/not a Meterbook workspace/);
      fs.writeFileSync(path.join(d, 'junk.meterbook'), 'hello, this is not a database at all'.repeat(200));
      expect(() => openWorkspace(path.join(d, 'junk.meterbook'))).toThrow(/cannot be opened as a workspace|not a Meterbook workspace/);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('uses WAL, foreign keys and STRICT tables', () => {
    const d = tempDir();
    try {
      const db = openWorkspace(path.join(d, 'w.meterbook'), { create: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'cost_usage'").pluck().get() as string;
      expect(sql).toMatch(/STRICT/);
      db.close();
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

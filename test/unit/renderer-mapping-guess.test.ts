import { describe, expect, it } from 'vitest';
import {
  buildTemplate,
  defaultTemplateName,
  DEFAULT_OPTIONS,
  guessMapping,
  guessOptions,
  headerWords,
  missingRequired,
  sampleOf,
  templateId,
  templatesFromJson,
} from '../../src-renderer/format/mapping';


describe('guessMapping', () => {
  it('maps a German invoice export by name, leaving the cost centre alone', () => {
    const header = ['Datum', 'Kostenstelle', 'Produkt', 'Menge', 'Betrag (Cent)', 'Konto'];
    expect(guessMapping(header)).toEqual({
      ChargePeriodStart: { source: 'Datum' },
      BilledCost: { source: 'Betrag (Cent)' },
      ServiceName: { source: 'Produkt' },
      ConsumedQuantity: { source: 'Menge' },
      SubAccountId: { source: 'Konto' },
    });
  });

  it('maps an English export: cost, dates, currency, service, account', () => {
    const header = ['Usage Date', 'End Date', 'Product', 'Account ID', 'Amount', 'Currency', 'Region', 'Description'];
    expect(guessMapping(header)).toEqual({
      ChargePeriodStart: { source: 'Usage Date' },
      ChargePeriodEnd: { source: 'End Date' },
      ServiceName: { source: 'Product' },
      SubAccountId: { source: 'Account ID' },
      BilledCost: { source: 'Amount' },
      BillingCurrency: { source: 'Currency' },
      RegionId: { source: 'Region' },
      ChargeDescription: { source: 'Description' },
    });
  });

  it('an exact FOCUS name wins, and each source column is used once', () => {
    const m = guessMapping(['EffectiveCost', 'BilledCost', 'day', 'service_name', 'billing_currency']);
    expect(m.BilledCost).toEqual({ source: 'BilledCost' });
    expect(m.EffectiveCost).toEqual({ source: 'EffectiveCost' });
    expect(m.ChargePeriodStart).toEqual({ source: 'day' });
    expect(m.ServiceName).toEqual({ source: 'service_name' });
    expect(m.BillingCurrency).toEqual({ source: 'billing_currency' });
    const sources = Object.values(m).map((c) => ('source' in c ? c.source : ''));
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('guesses nothing for names it does not recognise, and ignores blank headers', () => {
    expect(guessMapping(['foo', 'bar', '', 'Vendor note'])).toEqual({ ServiceProviderName: { source: 'Vendor note' } });
    expect(guessMapping([])).toEqual({});
  });

  it('splits camelCase and punctuation into words', () => {
    expect(headerWords('lineItem/UsageStartDate')).toEqual(['line', 'item', 'usage', 'start', 'date']);
    expect(headerWords('Betrag (Cent)')).toEqual(['betrag', 'cent']);
  });
});

describe('guessOptions', () => {
  const header = ['Datum', 'Kostenstelle', 'Produkt', 'Menge', 'Betrag (Cent)', 'Konto'];
  const rows = [
    ['03.02.2025', 'search', 'API calls', '1200', '12345', 'acct-7'],
    ['04.02.2025', 'ads', 'Storage', '3,5', '99', 'acct-7'],
  ];
  it('day-first dates, a decimal comma and cents from the first rows and the cost header', () => {
    expect(guessOptions(header, rows, guessMapping(header))).toEqual({ ...DEFAULT_OPTIONS, dateOrder: 'dmy', decimalSeparator: ',', amountDivisor: '100' });
  });
  it('keeps the defaults when nothing says otherwise', () => {
    const h = ['date', 'cost'];
    expect(guessOptions(h, [['3/4/2025', '1.50']], guessMapping(h))).toEqual(DEFAULT_OPTIONS);
    expect(guessOptions(h, [['13/4/2025', '1.50']], guessMapping(h)).dateOrder).toBe('dmy');
  });
});

describe('templates from the studio', () => {
  it('names and ids come from the file name', () => {
    expect(defaultTemplateName('rechnung.csv')).toBe('rechnung');
    expect(defaultTemplateName('exports/ACME invoice 2025-02.csv.gz')).toBe('ACME invoice 2025-02');
    expect(templateId('ACME Rechnung – Februar')).toBe('acme-rechnung-februar');
    expect(templateId('***')).toBe('template');
  });

  it('builds a template from the draft, leaving unset rows out', () => {
    const t = buildTemplate(' ACME ', ['a', 'b'], { BilledCost: { source: 'a' }, ServiceName: undefined, BillingCurrency: { constant: 'EUR' } }, DEFAULT_OPTIONS);
    expect(t).toEqual({ id: 'acme', name: 'ACME', header: ['a', 'b'], columns: { BilledCost: { source: 'a' }, BillingCurrency: { constant: 'EUR' } }, ...DEFAULT_OPTIONS });
  });

  it('says which required columns are missing (an empty constant counts as missing)', () => {
    expect(missingRequired({ BilledCost: { source: 'a' }, BillingCurrency: { constant: ' ' } })).toEqual(['ChargePeriodStart', 'BillingCurrency']);
    expect(missingRequired({ BilledCost: { source: 'a' }, ChargePeriodStart: { source: 'd' }, BillingCurrency: { constant: 'EUR' } })).toEqual([]);
  });

  it('samples the first non-empty value of a column', () => {
    expect(sampleOf(['a', 'b'], [['', 'x'], ['1', 'y']], 'a')).toBe('1');
    expect(sampleOf(['a'], [['']], 'a')).toBeNull();
    expect(sampleOf(['a'], [['1']], 'zz')).toBeNull();
  });

  it('reads exported template files (the export object or a bare array)', () => {
    expect(templatesFromJson('{"kind":"meterbook-mapping-templates","templates":[{"id":"x"}]}')).toEqual([{ id: 'x' }]);
    expect(templatesFromJson('[{"id":"y"}]')).toEqual([{ id: 'y' }]);
    expect(templatesFromJson('not json')).toBeNull();
    expect(templatesFromJson('{"a":1}')).toBeNull();
  });
});

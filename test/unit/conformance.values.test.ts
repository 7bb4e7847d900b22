// Cell-level predicates of the conformance engine.
import { describe, expect, it } from 'vitest';
import {
  DEC_FORMAT,
  DEC_NEGATIVE,
  DEC_OUT,
  DEC_TYPE,
  DEC_ZERO,
  DT_FORMAT,
  DT_TYPE,
  decimalFlags,
  hasNoReplacementChar,
  isBlankText,
  isKeyValueObject,
  isUnitFormat,
  isValidString,
  nullKind,
  productMatches,
  scanDateTime,
  scanDecimal,
  toNumber,
} from '../../src-main/conformance/values';

describe('nullKind', () => {
  it('reads empty as a real null, null text as null, and knows other placeholders', () => {
    expect(nullKind('')).toBe(1);
    for (const s of ['NULL', 'null', 'Null', 'nULL']) expect(nullKind(s)).toBe(2);
    for (const s of ['N/A', 'n/a', 'NaN', 'Not Applicable', 'not applicable']) expect(nullKind(s)).toBe(3);
    for (const s of ['nul', 'nulls', 'Nope', ' ', '0', 'NA', 'None', 'null ']) expect(nullKind(s)).toBe(0);
  });
});

describe('decimals', () => {
  const F = DEC_TYPE | DEC_FORMAT;
  it.each([
    ['0', F | DEC_ZERO],
    ['-0.000', F | DEC_ZERO],
    ['12', F],
    ['-12.50', F | DEC_NEGATIVE],
    ['.5', F],
    ['1.5E-3', F],
    ['2e10', F],
    ['0.00000080000', F],
    ['0e5', F | DEC_ZERO],
    [' 12.5', DEC_TYPE],
    ['12.5 ', DEC_TYPE],
    ['+3', DEC_TYPE],
    ['5.', DEC_TYPE],
    ['1e+5', DEC_TYPE],
    ['abc', 0],
    ['$10,100.00 ', 0],
    ['1,5', 0],
    ['1/2', 0],
    ['NaN', 0],
    ['Infinity', 0],
    ['-', 0],
    ['.', 0],
    ['1e', 0],
    ['', 0],
    ['5 USD', 0],
  ])('%j → flags %i', (s, flags) => {
    expect(scanDecimal(s)).toBe(flags);
    expect(decimalFlags(s)).toBe(flags);
  });

  it('reads the value and the written scale', () => {
    const cases: [string, number, number][] = [
      ['0.00000080000', 8e-7, 11],
      ['1.5E-3', 0.0015, 4],
      ['-12.50', -12.5, 2],
      ['2e3', 2000, 0],
      ['123456789012345678901234567890', 1.2345678901234568e29, 0],
    ];
    for (const [s, v, scale] of cases) {
      expect(scanDecimal(s)).not.toBe(0);
      expect(DEC_OUT[0]).toBeCloseTo(v, 20);
      expect(DEC_OUT[0]).toBe(Number(s));
      expect(DEC_OUT[1]).toBe(scale);
    }
    expect(toNumber('abc')).toBeNaN();
  });

  it('checks products within the written precision of the result', () => {
    expect(productMatches('0.008', '0.00200749', '0.00001605990')).toBe(true);
    expect(productMatches('0.085', '0.00000003350', '0.00000000280')).toBe(false);
    expect(productMatches('3', '2', '6')).toBe(true);
    expect(productMatches('3', '2', '7')).toBe(false);
    expect(productMatches('0.000015', '20', '0.000300')).toBe(true);
    expect(productMatches('1.00000000000', '0.00138888890', '0.00000000000')).toBe(false);
    expect(productMatches('x', '2', '7')).toBe(true);
  });
});

describe('date/time', () => {
  it.each([
    ['2024-09-01T00:00:00Z', DT_TYPE | DT_FORMAT],
    ['2024-02-29T23:59:59Z', DT_TYPE | DT_FORMAT],
    ['2023-02-29T00:00:00Z', 0],
    ['2024-04-31T00:00:00Z', 0],
    ['2024-13-01T00:00:00Z', 0],
    ['2024-09-01T24:00:00Z', 0],
    ['2024-09-01 00:00:00', DT_TYPE],
    ['2024-09-01T00:00:00', DT_TYPE],
    ['2024-09-01T00:00Z', DT_TYPE],
    ['2024-09-01T00:00:00.000Z', DT_TYPE],
    ['2024-09-01T00:00:00+02:00', DT_TYPE],
    ['2024-09-01', DT_TYPE],
    ['9/1/24', 0],
    ['4/1/25', 0],
    ['Sept 1 2024', 0],
    ['2024-09-01T00:00:00ZZ', 0],
  ])('%j → %i', (s, flags) => {
    expect(scanDateTime(s)).toBe(flags);
  });
});

describe('strings', () => {
  it('finds the replacement character and lone surrogates', () => {
    expect(hasNoReplacementChar('Amazon Web Services, Inc.')).toBe(true);
    expect(hasNoReplacementChar('Z\u00fcrich')).toBe(true);
    expect(hasNoReplacementChar('bad \uFFFD byte')).toBe(false);
    expect(isValidString('emoji \u{1F600}')).toBe(true);
    expect(isValidString('lone \uD800')).toBe(false);
  });

  it('knows blank text', () => {
    expect(isBlankText('   ')).toBe(true);
    expect(isBlankText('')).toBe(false);
    expect(isBlankText(' a ')).toBe(false);
  });
});

describe('KeyValueFormat', () => {
  it.each([
    ['{}', true],
    ['{"application": "BrightLensMatrix", "environment": "dev"}', true],
    [' { "a" : 1 , "b" : -2.5e3, "c": true, "d": false, "e": null, "f": "x\\"y\\u00e9" } ', true],
    ['{"a": 1, "a": 2}', false],
    ['{"a": {"b": 1}}', false],
    ['{"a": [1, 2]}', false],
    ['{"a": 1,}', false],
    ['{a: 1}', false],
    ['[]', false],
    ['"text"', false],
    ['{"a": 01}', false],
    ['{"a": "x"} trailing', false],
    ['application=web;env=dev', false],
  ])('%j → %s', (s, ok) => {
    expect(isKeyValueObject(s)).toBe(ok);
  });

  it('handles many keys', () => {
    const obj = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
    expect(isKeyValueObject(JSON.stringify(obj))).toBe(true);
    expect(isKeyValueObject(JSON.stringify(obj).replace('"k299"', '"k0"'))).toBe(false);
  });
});

describe('UnitFormat', () => {
  it.each([
    ['GB', true],
    ['Hours', true],
    ['GB-Hours', true],
    ['GB/Hour', true],
    ['GiB/Second-Months', true],
    ['1000 Tokens', true],
    ['Units/3 Months', true],
    ['Requests', true],
    ['API Requests', true],
    ['LCU-Hours', true],
    ['IOPS-Months', true],
    ['Normalized Hour', true],
    ['gb', false],
    ['hours', false],
    ['GBs', false],
    ['Gigabyte Per Hour', false],
    ['GB Hours', false],
    ['vCPU-Hours', false],
    ['Lambda-GB-Seconds', false],
    ['0 Tokens', false],
    [' GB', false],
    ['GB//Hour', false],
  ])('%j → %s', (s, ok) => {
    expect(isUnitFormat(s)).toBe(ok);
  });
});

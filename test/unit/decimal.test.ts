import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { formatNanos, parseDecimalNanos, parseMoneyLenient } from '../../src-main/ingest/decimal';

const big = (s: string) => BigInt(new Big(s).times(1e9).round(0, Big.roundHalfUp).toFixed(0));

describe('parseDecimalNanos', () => {
  it.each([
    ['0', 0n],
    ['0.1', 100000000n],
    ['-12.3456789012', -12345678901n],
    ['2.323760000E-9', 2n],
    ['1e3', 1000000000000n],
    ['0.0000000005', 1n],
    ['-0.0000000005', -1n],
    ['123456789012.123456789', 123456789012123456789n],
    ['.5', 500000000n],
    ['5.', 5000000000n],
  ])('%s → %s nanos', (text, nanos) => {
    expect(BigInt(parseDecimalNanos(text)!)).toBe(nanos);
  });

  it.each(['abc', '', '-', '+1', '1,000', '$5', '1e', '1.2.3', ' 1', 'NaN', 'Infinity'])('refuses %j', (text) => {
    expect(parseDecimalNanos(text)).toBeNull();
  });

  it('agrees with big.js on random decimals', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const int = Math.floor(rnd() * 1e7).toString();
      const frac = Math.floor(rnd() * 1e12).toString().padStart(12, '0');
      const s = `${rnd() < 0.3 ? '-' : ''}${int}.${frac}`;
      expect(BigInt(parseDecimalNanos(s)!)).toBe(big(s));
    }
  });
});

describe('parseMoneyLenient', () => {
  it('reads formatted money knowingly and says it was not strict', () => {
    expect(parseMoneyLenient('"$10,100.00 "'.slice(1, -1))).toEqual({ nanos: 10100000000000, strict: false });
    expect(parseMoneyLenient('12.5')).toEqual({ nanos: 12500000000, strict: true });
    expect(parseMoneyLenient('abc')).toBeNull();
  });
});

describe('formatNanos', () => {
  it('prints exact decimals', () => {
    expect(formatNanos(1n)).toBe('0.000000001');
    expect(formatNanos(-1500000000n)).toBe('-1.50');
    expect(formatNanos(123456789012123456789n)).toBe('123456789012.123456789');
  });
});

describe('encoder money fast path', () => {
  it('stores exactly what parseDecimalNanos gives, fast path or not', async () => {
    const { RowEncoder } = await import('../../src-main/ingest/row-encoder');
    const { analyzeHeader } = await import('../../src-main/ingest/focus-header');
    const res = analyzeHeader(['BilledCost', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']);
    if (!res.ok) throw new Error(res.message);
    const values = ['0', '-0.5', '12.3456789012', '999999.999999999', '1234567.5', '0.0000000005', '-0.00000000049', '1e3', '.25', '5.', '-123456.1234567895'];
    const enc = new RowEncoder(res.plan, 1);
    for (const v of values) {
      const b = enc.add([v, 'USD', '2024-01-01', '2024-02-01', '2024-01-01', '2024-01-02'], 1)!;
      const col = enc.layout.numeric.findIndex((c) => c.name === 'BilledCost');
      expect(b.numeric[col], v).toBe(Number(parseDecimalNanos(v)));
    }
  });
});

describe('tag normalisation', () => {
  it('gives equal tag sets one canonical form, and reads key/value arrays', async () => {
    const { normalizeTags } = await import('../../src-main/ingest/row-encoder');
    expect(normalizeTags('{"b":"2","a":1}')).toBe('{"a":"1","b":"2"}');
    expect(normalizeTags('[{"key":"b","value":"2"},{"key":"a","value":"1"}]')).toBe('{"a":"1","b":"2"}');
    expect(normalizeTags('{"flag":true}')).toBe('{"flag":"true"}');
    expect(normalizeTags('{}')).toBeNull();
    expect(normalizeTags('not json')).toBeNull();
    expect(normalizeTags('[1,2]')).toBeNull();
  });
});

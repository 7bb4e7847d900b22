import { describe, expect, it } from 'vitest';
import { assignColors, OTHER_COLOR, PALETTE } from '../../src-renderer/format/colors';
import { cellText, columnLayout } from '../../src-renderer/format/columns';
import { columnLabel, valueLabel } from '../../src-renderer/format/labels';
import {
  formatDecimal,
  formatInteger,
  formatMoney,
  formatMoneyCompact,
  formatPercent,
  savingsRate,
  share,
} from '../../src-renderer/format/money';
import { formatBytes, formatDuration, formatRate, progressFraction } from '../../src-renderer/format/units';

describe('formatMoney', () => {
  it('formats with the currency and exactly two decimals', () => {
    expect(formatMoney(1234.5, 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatMoney(1234.567, 'USD', 'en-US')).toBe('$1,234.57');
    expect(formatMoney(-42, 'USD', 'en-US')).toBe('-$42.00');
    expect(formatMoney(1234.5, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
  });

  it('never shows a negative zero', () => {
    expect(formatMoney(-0.001, 'USD', 'en-US')).toBe('$0.00');
  });

  it('falls back to a plain number for a missing or unknown currency', () => {
    expect(formatMoney(10, null, 'en-US')).toBe('10.00');
    expect(formatMoney(10, 'credits', 'en-US')).toBe('10.00 credits');
  });

  it('handles non-finite input', () => {
    expect(formatMoney(Number.NaN, 'USD', 'en-US')).toBe('—');
  });

  it('compacts axis labels', () => {
    expect(formatMoneyCompact(1500, 'USD', 'en-US')).toBe('$1.5K');
    expect(formatMoneyCompact(2_000_000, 'USD', 'en-US')).toBe('$2M');
  });
});

describe('numbers and ratios', () => {
  it('formats integers, decimals and percentages', () => {
    expect(formatInteger(1234567, 'en-US')).toBe('1,234,567');
    expect(formatDecimal(1234.000125, 'en-US')).toBe('1,234.000125');
    expect(formatPercent(0.12345, 1, 'en-US')).toBe('12.3%');
    expect(formatPercent(null)).toBe('—');
  });

  it('computes shares and the effective savings rate without dividing by zero', () => {
    expect(share(25, 100)).toBe(0.25);
    expect(share(5, 0)).toBeNull();
    expect(savingsRate(30, 120)).toBe(0.25);
    expect(savingsRate(30, 0)).toBeNull();
  });
});

describe('units', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(48 * 1024 * 1024)).toBe('48 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });

  it('formats rates and progress', () => {
    expect(formatRate(12345.6)).toMatch(/^12.346 rows\/s$/);
    expect(progressFraction(50, 200)).toBe(0.25);
    expect(progressFraction(300, 200)).toBe(1);
    expect(progressFraction(5, 0)).toBeNull();
  });
});

describe('labels and colors', () => {
  it('labels values and columns', () => {
    expect(valueLabel(null)).toBe('(not set)');
    expect(valueLabel('(other)')).toBe('All others');
    expect(valueLabel('Amazon S3')).toBe('Amazon S3');
    expect(columnLabel('ServiceName')).toBe('Service Name');
    expect(columnLabel('Tags.team')).toBe('team (tag)');
    expect(columnLabel('ServiceName', new Map([['ServiceName', 'Service']]))).toBe('Service');
  });

  it('assigns palette colors in order and grey to the other bucket', () => {
    const m = assignColors(['a', '(other)', 'b', null]);
    expect(m.get('a')).toBe(PALETTE[0]);
    expect(m.get('b')).toBe(PALETTE[1]);
    expect(m.get(null)).toBe(PALETTE[2]);
    expect(m.get('(other)')).toBe(OTHER_COLOR);
  });
});

describe('detail grid columns', () => {
  it('right-aligns money and decimal columns', () => {
    expect(columnLayout('BilledCost')).toMatchObject({ align: 'right', money: true });
    expect(columnLayout('ConsumedQuantity').align).toBe('right');
    expect(columnLayout('ServiceName')).toMatchObject({ align: 'left', money: false });
  });

  it('keeps full precision in cells', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('x')).toBe('x');
    expect(cellText(0.000123456)).toMatch(/0.000123456$/);
  });
});

import { describe, expect, it } from 'vitest';
import { isoDateTime, parseFocusDateTime } from '../../src-main/ingest/datetime';

describe('parseFocusDateTime', () => {
  it.each([
    ['2024-09-01T00:00:00Z', '2024-09-01T00:00:00Z'],
    ['2024-09-01 00:00:00', '2024-09-01T00:00:00Z'],
    ['2023-11-13T10:00Z', '2023-11-13T10:00:00Z'],
    ['2024-02-29T23:59:59.123Z', '2024-02-29T23:59:59Z'],
    ['2024-09-01T02:00:00+02:00', '2024-09-01T00:00:00Z'],
    ['2024-09-01', '2024-09-01T00:00:00Z'],
    ['4/1/25', '2025-04-01T00:00:00Z'],
    ['12/31/2024', '2024-12-31T00:00:00Z'],
  ])('%s', (text, iso) => {
    expect(isoDateTime(parseFocusDateTime(text)!)).toBe(iso);
  });

  it.each(['2024-02-30T00:00:00Z', 'yesterday', '2024-13-01', '', '2024-09-01X'])('refuses %j', (t) => {
    expect(parseFocusDateTime(t)).toBeNull();
  });

  it('matches Date.parse over many days', () => {
    for (let d = 0; d < 40000; d += 37) {
      const ms = Date.UTC(1970, 0, 1) + d * 86400000 + 3723000;
      const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
      expect(parseFocusDateTime(iso)).toBe(ms / 1000);
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { parseCsvRows } from '../helpers/independent-csv';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { columnsOf } from '../../src-shared/focus/catalog';
import {
  costPerStepNanos,
  csvCell,
  csvField,
  FOCUS_14_COLUMNS,
  FocusCsvWriter,
  focusRow,
  formatFocusDate,
  formatScaled,
  NanoSum,
  parseScaled,
  RowLayout,
} from '../../src-main/demo/focus-writer';

const dir = mkdtempSync(join(tmpdir(), 'meterbook-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parseCsv = parseCsvRows;

describe('focus-writer: columns', () => {
  it('writes the catalog Cost and Usage columns minus deprecated ones', () => {
    const catalog = columnsOf('CostAndUsage')
      .filter((c) => !c.deprecatedIn && !c.removedIn)
      .map((c) => c.name);
    expect([...FOCUS_14_COLUMNS].sort()).toEqual([...catalog].sort());
    expect(FOCUS_14_COLUMNS.length).toBeGreaterThanOrEqual(57);
    expect(new Set(FOCUS_14_COLUMNS).size).toBe(FOCUS_14_COLUMNS.length);
  });
});

describe('focus-writer: exact decimals', () => {
  it('formats scaled integers without float noise', () => {
    expect(formatScaled(0, 9)).toBe('0');
    expect(formatScaled(1_500_000_000, 9)).toBe('1.5');
    expect(formatScaled(-1, 9)).toBe('-0.000000001');
    expect(formatScaled(100, 9)).toBe('0.0000001');
    expect(formatScaled(166_667, 10)).toBe('0.0000166667');
    expect(formatScaled(5, -1)).toBe('50');
    expect(formatScaled(9_007_199_254_740_991, 9)).toBe('9007199.254740991');
    expect(formatScaled(12n * 10n ** 20n + 5n, 9)).toBe('1200000000000.000000005');
    expect(() => formatScaled(0.5, 9)).toThrow(RangeError);
  });

  it('agrees with the bigint path on random values', () => {
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const v = (seed % 2 ? -1 : 1) * Math.floor((seed / 2 ** 31) * Number.MAX_SAFE_INTEGER);
      const scale = i % 11;
      expect(formatScaled(v, scale)).toBe(formatScaled(BigInt(v), scale));
    }
  });

  it('parses plain decimals exactly and refuses lost digits', () => {
    expect(parseScaled('0.0464', 10)).toBe(464_000_000n);
    expect(parseScaled('-3', 9)).toBe(-3_000_000_000n);
    expect(parseScaled('1.50', 1)).toBe(15n);
    expect(() => parseScaled('0.0000000001', 9)).toThrow();
    expect(() => parseScaled('1e3', 9)).toThrow();
  });

  it('prices a quantity step in whole nano-units or says it cannot', () => {
    expect(costPerStepNanos(parseScaled('2.50', 10), 6)).toBe(2500n); // $2.50 per 1M tokens, per token
    expect(costPerStepNanos(parseScaled('0.0000166667', 10), -1)).toBe(166_667n); // per 10 GB-seconds
    expect(costPerStepNanos(parseScaled('0.0000166667', 10), 0)).toBeNull();
  });

  it('sums nano-units exactly beyond 2^53', () => {
    const sum = new NanoSum();
    for (let i = 0; i < 5000; i++) sum.add(2 ** 49 + 1);
    sum.add(-3);
    expect(sum.value).toBe(5000n * (2n ** 49n + 1n) - 3n);
  });
});

describe('focus-writer: CSV', () => {
  it('quotes only fields with comma, quote, CR or LF (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(formatFocusDate(Date.UTC(2025, 0, 31, 23, 5, 9))).toBe('2025-01-31T23:05:09Z');
    expect(csvCell('Tags', { team: 'a' })).toBe('"{""team"":""a""}"');
    expect(csvCell('BilledCost', 1_250_000_000)).toBe('1.25');
    expect(csvCell('ListUnitPrice', 464_000_000)).toBe('0.0464');
    expect(csvCell('ResourceId', null)).toBe('');
  });

  it('round-trips rows, nulls and awkward text through a file', async () => {
    const path = join(dir, 'rows.csv');
    const w = FocusCsvWriter.open(path);
    w.write(focusRow({ BilledCost: 1_500_000_000, ChargeDescription: 'a, "quoted"\nline', Tags: { team: 'x' }, ChargePeriodStart: Date.UTC(2025, 5, 1) }));
    w.write({ BilledCost: -2, ResourceName: 'Zürich' });
    const result = await w.close();
    const text = readFileSync(path, 'utf8');
    expect(result.rows).toBe(2);
    expect(result.csvBytes).toBe(Buffer.byteLength(text));
    const [header, first, second] = parseCsv(text);
    const col = (name: string) => (header as string[]).indexOf(name);
    expect(header).toEqual([...FOCUS_14_COLUMNS]);
    expect(first?.length).toBe(FOCUS_14_COLUMNS.length);
    expect(first?.[col('BilledCost')]).toBe('1.5');
    expect(first?.[col('ChargeDescription')]).toBe('a, "quoted"\nline');
    expect(JSON.parse(first?.[col('Tags')] ?? '')).toEqual({ team: 'x' });
    expect(first?.[col('ChargePeriodStart')]).toBe('2025-06-01T00:00:00Z');
    expect(first?.[col('ResourceId')]).toBe('');
    expect(second?.[col('BilledCost')]).toBe('-0.000000002');
    expect(second?.[col('ResourceName')]).toBe('Zürich');
  });

  it('writes pre-rendered rows identical to write()', async () => {
    const layout = new RowLayout(FOCUS_14_COLUMNS, ['BilledCost', 'ResourceId', 'Tags']);
    const fixed = { ServiceName: 'Amazon S3', ChargeDescription: '$0.023 per GB, first 50 TB' };
    const bound = layout.bind(fixed);
    const a = join(dir, 'bound.csv');
    const b = join(dir, 'plain.csv');
    const wa = FocusCsvWriter.open(a);
    wa.writeBound(bound, [csvCell('BilledCost', 42), csvCell('ResourceId', 'arn:x'), csvCell('Tags', '{"k":"v"}')]);
    await wa.close();
    const wb = FocusCsvWriter.open(b);
    wb.write({ ...fixed, BilledCost: 42, ResourceId: 'arn:x', Tags: '{"k":"v"}' });
    await wb.close();
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(() => new RowLayout(FOCUS_14_COLUMNS, ['Tags', 'BilledCost'])).toThrow();
  });

  it('keeps UTF-8 output when a row claimed ASCII but its template is not', async () => {
    const layout = new RowLayout(FOCUS_14_COLUMNS, ['BilledCost']);
    const ascii = layout.bind({ RegionName: 'Frankfurt' });
    const accented = layout.bind({ RegionName: 'Zürich' });
    expect(ascii.ascii).toBe(true);
    expect(accented.ascii).toBe(false);
    const path = join(dir, 'mixed.csv');
    const w = FocusCsvWriter.open(path);
    w.writeBound(ascii, ['1'], true);
    w.writeBound(accented, ['2'], true);
    const { csvBytes } = await w.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(',Zürich,');
    expect(csvBytes).toBe(Buffer.byteLength(text));
  });

  it('streams many rows with backpressure and optional gzip', async () => {
    const path = join(dir, 'many.csv.gz');
    const w = FocusCsvWriter.open(path, { gzip: true });
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      w.write({ BilledCost: i, ResourceId: `r-${i}`, ChargeDescription: 'x'.repeat(200) });
      if (w.mustDrain) await w.drain();
    }
    const result = await w.close();
    const text = gunzipSync(readFileSync(path)).toString('utf8');
    const lines = text.split('\n');
    expect(result.rows).toBe(n);
    expect(lines.length).toBe(n + 2); // header, rows, trailing empty string after the last \n
    expect(lines[n]?.includes(`r-${n - 1}`)).toBe(true);
  });
});

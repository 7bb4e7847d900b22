import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch } from '../../src-renderer/format/fuzzy';

const COMMANDS = [
  'Open workspace…',
  'Import files…',
  'Go to Rows',
  'Group by Region Id',
  'Group by Region Name',
  'Group by Service Name',
  'Group by Resource Id',
  'Metric: Effective cost',
  'Metric: Billed cost',
  'Granularity: Weekly',
  'Apply saved view AWS by region',
  'Save view…',
  'Show keyboard shortcuts',
];

const top = (q: string, n = 1) => fuzzyFilter(COMMANDS, q, (s) => s).slice(0, n).map((r) => r.item);

describe('fuzzy command matching', () => {
  it('finds letters in order, skipping others, case-insensitively', () => {
    expect(fuzzyMatch('gbsn', 'Group by Service Name')).not.toBeNull();
    expect(fuzzyMatch('nsbg', 'Group by Service Name')).toBeNull();
    expect(fuzzyMatch('EFF', 'Metric: Effective cost')!.indices).toEqual([8, 9, 10]);
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, indices: [] });
  });

  it('needs every word, in any order', () => {
    expect(top('region group', 2)).toEqual(['Group by Region Id', 'Group by Region Name']);
    expect(fuzzyMatch('region bananas', 'Group by Region Id')).toBeNull();
  });

  it('ranks word starts and runs above scattered letters', () => {
    expect(top('eff')).toEqual(['Metric: Effective cost']);
    expect(top('save')).toEqual(['Save view…']);
    expect(top('rows')).toEqual(['Go to Rows']);
    expect(top('gb svc')).toEqual(['Group by Service Name']);
    expect(top('weekly')).toEqual(['Granularity: Weekly']);
    expect(top('aws')).toEqual(['Apply saved view AWS by region']);
  });

  it('keeps the given order for an empty query and drops non-matches', () => {
    expect(fuzzyFilter(COMMANDS, '  ', (s) => s).map((r) => r.item)).toEqual(COMMANDS);
    expect(fuzzyFilter(COMMANDS, 'zzz', (s) => s)).toEqual([]);
  });
});

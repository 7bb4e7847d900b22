import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_GROUP_LEVELS, normaliseLevels, useExplore } from '../../src-renderer/state/explore-store';

describe('explore store pivot levels', () => {
  beforeEach(() => useExplore.getState().setGroupBy(['ServiceName']));

  it('normalises levels: distinct, non-empty, capped, never empty', () => {
    expect(normaliseLevels(['A', 'A', '', 'B'])).toEqual(['A', 'B']);
    expect(normaliseLevels(['A', 'B', 'C', 'D'])).toHaveLength(MAX_GROUP_LEVELS);
    expect(normaliseLevels([])).toEqual(['ServiceName']);
  });

  it('adds and removes levels within 1..3', () => {
    const s = useExplore.getState;
    s().addGroupLevel('RegionId');
    s().addGroupLevel('RegionId'); // duplicate ignored
    expect(s().groupBy).toEqual(['ServiceName', 'RegionId']);
    s().addGroupLevel('SubAccountId');
    s().addGroupLevel('ChargeCategory'); // over the cap
    expect(s().groupBy).toEqual(['ServiceName', 'RegionId', 'SubAccountId']);
    s().removeGroupLevel(0);
    expect(s().groupBy).toEqual(['RegionId', 'SubAccountId']);
    s().removeGroupLevel(0);
    s().removeGroupLevel(0); // the last level stays
    expect(s().groupBy).toEqual(['SubAccountId']);
  });

  it('setting a level to a column used elsewhere swaps the two', () => {
    const s = useExplore.getState;
    s().setGroupBy(['ServiceName', 'RegionId']);
    s().setGroupLevel(1, 'ServiceName');
    expect(s().groupBy).toEqual(['RegionId', 'ServiceName']);
    s().setGroupLevel(0, 'ChargeCategory');
    expect(s().groupBy).toEqual(['ChargeCategory', 'ServiceName']);
  });
});

import { describe, expect, it } from 'vitest';
import type { SavedViewDefinition } from '../../src-shared/api/contract';
import { decodeUrlState, encodeUrlState, isEmptyUrlState, mergeUrlState } from '../../src-renderer/state/url-state';
import { applyView, sameView, snapshotView, suggestName } from '../../src-renderer/state/view-state';

/** What the browser keeps of a hash once it is in the address bar (and what location.hash gives back). */
function throughBrowser(hash: string): string {
  return new URL(`http://127.0.0.1:5173/${hash}`).hash;
}

const tricky: SavedViewDefinition = {
  view: 'rows',
  from: '2024-02-29',
  to: '2024-03-31',
  filters: [
    { column: 'ServiceProviderName', values: ['Amazon Web Services, Inc.', 'Microsoft'] },
    { column: 'Tags.cost:center;x', values: [null, '', 'a,b:c;d!e~f%g', 'Zürich 東京 & co', '#/?='], exclude: true },
    { column: 'RegionId', values: [null] },
  ],
  groupBy: ['ServiceName', 'Tags.team', 'RegionId'],
  metric: 'EffectiveCost',
  granularity: 'week',
};

const defaults: SavedViewDefinition = { view: 'overview', filters: [], groupBy: ['ServiceName'], metric: 'BilledCost', granularity: 'month' };

describe('URL state', () => {
  it('round-trips a whole view through the address bar, separators and unicode included', () => {
    const hash = encodeUrlState(tricky);
    expect(hash.startsWith('#/rows?from=2024-02-29&to=2024-03-31&g=ServiceName,Tags.team,RegionId&m=EffectiveCost&gr=week&f=')).toBe(true);
    const back = decodeUrlState(throughBrowser(hash));
    expect(back).toEqual(tricky);
    expect(mergeUrlState(defaults, back)).toEqual(tricky);
  });

  it('stays readable for ordinary views', () => {
    const def: SavedViewDefinition = {
      view: 'overview',
      filters: [{ column: 'ServiceName', values: ['EC2', 'S3'] }, { column: 'RegionId', values: [null], exclude: true }],
      groupBy: ['ServiceName', 'RegionId'],
      metric: 'BilledCost',
      granularity: 'month',
    };
    expect(encodeUrlState(def)).toBe('#/overview?g=ServiceName,RegionId&m=BilledCost&gr=month&f=ServiceName:EC2,S3;!RegionId:~');
    expect(decodeUrlState(encodeUrlState(def))).toEqual(def);
  });

  it('a screen-only hash keeps the defaults; a whole hash without dates or filters means none', () => {
    expect(mergeUrlState({ ...defaults, from: '2024-01-01', filters: tricky.filters }, decodeUrlState('#/rows'))).toEqual({
      ...defaults,
      view: 'rows',
    });
    // no screen: only what it names changes
    const base = { ...defaults, from: '2024-01-01' };
    expect(mergeUrlState(base, decodeUrlState('#?m=ListCost'))).toEqual({ ...base, metric: 'ListCost' });
  });

  it('ignores garbage part by part and keeps what is valid', () => {
    const u = decodeUrlState(
      '#/nowhere?m=Bananas&gr=year&g=,,&from=2025-02-30&to=2025-13-01&f=:x;noColon;%E0%A4%A:y;ServiceName:%ZZ;RegionId:us-east-1&zz=1&=&&',
    );
    expect(u).toEqual({ filters: [{ column: 'RegionId', values: ['us-east-1'] }] });
    expect(mergeUrlState(defaults, u)).toEqual({ ...defaults, filters: [{ column: 'RegionId', values: ['us-east-1'] }] });

    expect(decodeUrlState('#/overview?g=A,A,B,C,D&m=ListCost')).toEqual({ view: 'overview', groupBy: ['A', 'B', 'C'], metric: 'ListCost' });
    // a range ending before it starts is dropped whole
    expect(decodeUrlState('#/overview?from=2025-03-01&to=2025-01-01')).toEqual({ view: 'overview' });
    expect(isEmptyUrlState(decodeUrlState(''))).toBe(true);
    expect(isEmptyUrlState(decodeUrlState('#'))).toBe(true);
    expect(isEmptyUrlState(decodeUrlState('#section-2'))).toBe(true);
  });

  it('never throws on random input', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = '#/?&=,:;!~%ZE0A9-_.abcfgmrtow \u00e9\ud83d';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 60);
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const u = decodeUrlState(s);
      const merged = mergeUrlState(defaults, u);
      expect(merged.groupBy.length).toBeGreaterThanOrEqual(1);
      expect(merged.groupBy.length).toBeLessThanOrEqual(3);
    }
  });
});

describe('view state', () => {
  it('snapshots and applies the explore fields as independent copies', () => {
    const explore = { from: undefined, to: '2024-09-30', filters: [{ column: 'A', values: ['x'] }], groupBy: ['B', 'B', 'C'], metric: 'ListCost' as const, granularity: 'day' as const };
    const def = snapshotView('rows', explore);
    expect(def).toEqual({ view: 'rows', to: '2024-09-30', filters: [{ column: 'A', values: ['x'] }], groupBy: ['B', 'C'], metric: 'ListCost', granularity: 'day' });
    explore.filters[0]!.values.push('y');
    expect(def.filters[0]!.values).toEqual(['x']);
    const applied = applyView(def);
    expect(applied).toEqual({ view: 'rows', explore: { from: undefined, to: '2024-09-30', filters: [{ column: 'A', values: ['x'] }], groupBy: ['B', 'C'], metric: 'ListCost', granularity: 'day' } });
    expect(applied.explore.filters[0]).not.toBe(def.filters[0]);
    // a screen saved views do not know opens as the Overview
    expect(snapshotView('allocation', explore).view).toBe('overview');
  });

  it('compares views regardless of filter and value order', () => {
    const a: SavedViewDefinition = { ...defaults, filters: [{ column: 'A', values: ['x', null] }, { column: 'B', values: ['y'], exclude: true }] };
    const b: SavedViewDefinition = { ...defaults, filters: [{ column: 'B', values: ['y'], exclude: true }, { column: 'A', values: [null, 'x'] }] };
    expect(sameView(a, b)).toBe(true);
    expect(sameView(a, { ...b, filters: [{ column: 'B', values: ['y'] }, { column: 'A', values: [null, 'x'] }] })).toBe(false);
    expect(sameView(a, { ...a, granularity: 'week' })).toBe(false);
  });

  it('suggests a name from the metric, levels and filters', () => {
    const label = (c: string) => c.replace(/([a-z])([A-Z])/g, '$1 $2');
    const metric = (m: string) => label(m).replace(/ C/, ' c');
    expect(suggestName({ ...tricky, groupBy: ['ServiceName', 'RegionId'] }, label, metric)).toBe('Effective cost by Service Name › Region Id, 3 filters');
    expect(suggestName(defaults, label, metric)).toBe('Billed cost by Service Name');
  });
});

// The Allocation screen's pure parts: undo/redo history, draft edits, what is unfinished, the latest-answer guard.
import { describe, expect, it } from 'vitest';
import { emptyRuleSet, RuleSetSchema, type RuleSet } from '../../src-shared/allocate/ruleset';
import {
  COALESCE_MS,
  HISTORY_LIMIT,
  latestOnly,
  recordEdit,
  redoHistory,
  shownDimension,
  startHistory,
  undoHistory,
  useAllocation,
} from '../../src-renderer/state/allocation-store';
import {
  addCondition,
  addDimension,
  addInherit,
  addPool,
  addRule,
  addRulesFromValues,
  changeMethod,
  changeOp,
  columnField,
  defaultField,
  dimensionKey,
  fieldColumn,
  moveRule,
  nextId,
  preferredTag,
  removeDimension,
  removeRule,
  setNormalize,
  splitList,
  updateInherit,
  updatePool,
  updateRule,
} from '../../src-renderer/components/allocation/ruleset-edits';
import { cleanDraft, draftIssues, previewable } from '../../src-renderer/components/allocation/draft-check';
import { showbackMatrix } from '../../src-renderer/components/allocation/showback-matrix';
import { describeCondition, describeItem, describePool, describeRule } from '../../src-renderer/components/allocation/describe';

const TEAM_TAG = { kind: 'tag', key: 'team' } as const;

function withRules(): RuleSet {
  let s = emptyRuleSet();
  s = addRulesFromValues(s, 'Team', TEAM_TAG, ['platform', 'data', 'ml']).set;
  return s;
}

describe('draft history', () => {
  it('undo and redo walk the edits back and forth; an edit drops the redo steps', () => {
    const a = emptyRuleSet();
    const b = addRule(a, 'Team').set;
    const c = addRule(b, 'Team').set;
    let h = startHistory(a);
    h = recordEdit(h, b, null, 1);
    h = recordEdit(h, c, null, 2);
    expect(h.present).toBe(c);
    h = undoHistory(h);
    expect(h.present).toBe(b);
    h = undoHistory(h);
    expect(h.present).toBe(a);
    expect(undoHistory(h)).toBe(h); // nothing left to undo
    h = redoHistory(h);
    expect(h.present).toBe(b);
    const d = setNormalize(b, 'Team', 'lower');
    h = recordEdit(h, d, null, 3);
    expect(h.future).toHaveLength(0);
    expect(redoHistory(h)).toBe(h);
    expect(undoHistory(h).present).toBe(b);
  });

  it('typing into one field in a burst is one step; another field or a pause starts a new one', () => {
    const base = addRule(emptyRuleSet(), 'Team').set;
    let h = startHistory(base);
    let s = base;
    for (const [i, v] of ['p', 'pl', 'pla', 'plat'].entries()) {
      s = updateRule(s, 'r1', { value: v });
      h = recordEdit(h, s, 'r1.value', 100 + i * 50);
    }
    expect(h.past).toHaveLength(1);
    expect(h.present.rules[0]!.value).toBe('plat');
    // the same field after a pause: a new step
    s = updateRule(s, 'r1', { value: 'platform' });
    h = recordEdit(h, s, 'r1.value', 250 + COALESCE_MS + 1);
    expect(h.past).toHaveLength(2);
    expect(undoHistory(h).present.rules[0]!.value).toBe('plat');
    expect(undoHistory(undoHistory(h)).present.rules[0]!.value).toBe('');
    // undo breaks a burst: the next keystroke is a step of its own
    h = undoHistory(h);
    h = recordEdit(h, updateRule(h.present, 'r1', { value: 'plat2' }), 'r1.value', 260 + COALESCE_MS);
    expect(undoHistory(h).present.rules[0]!.value).toBe('plat');
  });

  it('an edit that changes nothing adds no step, and the history keeps at most HISTORY_LIMIT steps', () => {
    const a = emptyRuleSet();
    let h = startHistory(a);
    expect(recordEdit(h, a, null, 1)).toBe(h);
    let s = a;
    for (let i = 0; i < HISTORY_LIMIT + 25; i++) {
      s = renameTo(s, `T${i}`);
      h = recordEdit(h, s, null, i);
    }
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.present.dimensions[0]!.label).toBe(`T${HISTORY_LIMIT + 24}`);
    // the oldest steps are the ones dropped
    expect(h.past[0]!.dimensions[0]!.label).toBe('T24');
  });

  it('the store records edits, undoes and redoes them, and marks the draft as not yet saved', () => {
    const st = useAllocation.getState;
    st().load('/ws/a.meterbook', emptyRuleSet());
    expect(st().save.kind).toBe('saved');
    st().edit((s) => addRule(s, 'Team', { value: 'web' }).set);
    expect(st().history!.present.rules.map((r) => r.value)).toEqual(['web']);
    expect(st().save.kind).toBe('pending');
    st().undo();
    expect(st().history!.present.rules).toHaveLength(0);
    st().redo();
    expect(st().history!.present.rules.map((r) => r.value)).toEqual(['web']);
    // loading another workspace's draft starts a new history
    st().load('/ws/b.meterbook', withRules());
    expect(st().history!.past).toHaveLength(0);
    expect(st().dimension).toBe('Team');
  });
});

function renameTo(s: RuleSet, label: string): RuleSet {
  return { ...s, dimensions: s.dimensions.map((d) => ({ ...d, label })) };
}

describe('rule set edits', () => {
  it('ids are never reused while in use and never renumber existing items', () => {
    let s = withRules();
    expect(s.rules.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    s = removeRule(s, 'r2');
    expect(nextId(s, 'r')).toBe('r4');
    const p = addPool(s, 'Team', { kind: 'column', name: 'ServiceName' });
    expect(p.id).toBe('p1');
    expect(addInherit(p.set, 'Team', 'SubAccountId').id).toBe('i1');
    expect(nextId({ ...s, rules: [...s.rules, { id: 'p7', dimension: 'Team', value: 'x', when: [] }] }, 'p')).toBe('p8');
  });

  it('dimension keys come from labels and stay unique', () => {
    expect(dimensionKey('AI use case', [])).toBe('AiUseCase');
    expect(dimensionKey('team', ['Team'])).toBe('Team2');
    expect(dimensionKey('  ', [])).toBe('Dimension');
    expect(dimensionKey('2nd level', [])).toBe('D2ndLevel');
    const { set, key } = addDimension(emptyRuleSet(), 'Product line');
    expect(key).toBe('ProductLine');
    expect(RuleSetSchema.safeParse(set).success).toBe(true);
  });

  it('removing a dimension removes what assigns it', () => {
    let s = withRules();
    s = addDimension(s, 'Env').set;
    s = addRule(s, 'Env', { value: 'prod', when: [] }).set;
    s = addPool(s, 'Team', { kind: 'column', name: 'ServiceName' }).set;
    s = setNormalize(s, 'Team', 'lower');
    s = removeDimension(s, 'Team');
    expect(s.dimensions.map((d) => d.key)).toEqual(['Env']);
    expect(s.rules.map((r) => r.dimension)).toEqual(['Env']);
    expect(s.pools).toHaveLength(0);
    expect(s.normalize).toEqual({});
  });

  it('a new rule goes after its dimension’s rules; moves stay within the dimension', () => {
    let s = withRules(); // r1 r2 r3 (Team)
    s = addDimension(s, 'Env').set;
    s = addRule(s, 'Env', { value: 'prod' }).set; // r4 (Env)
    s = addRule(s, 'Team', { value: 'web' }).set; // r5 (Team), before r4
    expect(s.rules.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r5', 'r4']);
    expect(moveRule(s, 'r1', -1)).toBe(s); // first of its dimension
    expect(moveRule(s, 'r5', 1)).toBe(s); // last of Team: r4 is another dimension's
    s = moveRule(s, 'r3', -1);
    expect(s.rules.map((r) => r.id)).toEqual(['r1', 'r3', 'r2', 'r5', 'r4']);
    // moving past another dimension's rule swaps with the next rule of the same dimension
    let t = addRule(emptyRuleSet(), 'Team', { value: 'a' }).set;
    t = addDimension(t, 'Env').set;
    t = { ...t, rules: [...t.rules, { id: 'e1', dimension: 'Env', value: 'x', when: [] }, { id: 'r9', dimension: 'Team', value: 'b', when: [] }] };
    expect(moveRule(t, 'r1', 1).rules.map((r) => r.id)).toEqual(['r9', 'e1', 'r1']);
  });

  it('rules from tag values skip values an equals rule already reads', () => {
    const s = withRules();
    const again = addRulesFromValues(s, 'Team', TEAM_TAG, ['ML', 'web', ' ', 'web']);
    expect(again.added).toEqual(['r4']);
    expect(again.set.rules.map((r) => r.value)).toEqual(['platform', 'data', 'ml', 'web']);
    expect(describeRule(again.set.rules[3]!)).toBe('Team = web when Tags.team equals “web”');
  });

  it('changing an operator keeps what was typed where it still means something', () => {
    const eq = { field: TEAM_TAG, op: 'equals', value: 'ml', caseSensitive: false } as const;
    expect(changeOp(eq, 'in')).toEqual({ field: TEAM_TAG, op: 'in', values: ['ml'], caseSensitive: false });
    expect(changeOp(changeOp(eq, 'in'), 'regex')).toEqual({ field: TEAM_TAG, op: 'regex', pattern: 'ml', caseSensitive: false });
    expect(changeOp(eq, 'missing')).toEqual({ field: TEAM_TAG, op: 'missing' });
    expect(changeOp(eq, 'range')).toEqual({ field: TEAM_TAG, op: 'range', min: null, max: null });
    expect(changeOp(eq, 'equals')).toBe(eq);
    expect(splitList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });

  it('columns and fields convert both ways (tags read with their aliases)', () => {
    expect(columnField('Tags.cost-center')).toEqual({ kind: 'tag', key: 'cost-center' });
    expect(columnField('ServiceName')).toEqual({ kind: 'column', name: 'ServiceName' });
    expect(fieldColumn(columnField('Tags.team'))).toBe('Tags.team');
  });

  it('a new fixed split shares its targets in whole percents adding up to 100', () => {
    let s = addPool(emptyRuleSet(), 'Team', { kind: 'column', name: 'ServiceName' }).set;
    s = updatePool(s, 'p1', { targets: ['a', 'b', 'c'] });
    const m = changeMethod(s.pools[0]!, 'fixed', []);
    expect(m).toEqual({ kind: 'fixed', percents: [{ target: 'a', percent: 34 }, { target: 'b', percent: 33 }, { target: 'c', percent: 33 }] });
    expect(changeMethod(s.pools[0]!, 'driver', ['seats'])).toEqual({ kind: 'driver', driver: 'seats' });
  });
});

describe('unfinished drafts', () => {
  it('names each unfinished item and previews the finished part only', () => {
    let s = withRules();
    s = addRule(s, 'Team').set; // r4: no value yet
    s = addCondition(s, { kind: 'rule', id: 'r1' }, { field: TEAM_TAG, op: 'regex', pattern: '(', caseSensitive: false });
    s = addPool(s, 'Team', { kind: 'column', name: 'ServiceName' }).set; // p1: condition without a value is fine (equals '')
    s = updatePool(s, 'p1', { name: '' });
    s = addInherit(s, 'Team', 'SubAccountId').set; // i1: one empty mapping row
    const issues = draftIssues(s);
    expect(issues.map((i) => i.id)).toEqual(['r1', 'r4', 'p1', 'i1']);
    expect(issues[0]!.message).toBe('condition 2: /(/ is not a valid regular expression');
    expect(issues[1]!.message).toMatch(/needs a value/);
    const p = previewable(s);
    expect(p.blocking).toBeNull();
    expect(p.set!.rules.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(p.set!.pools).toHaveLength(0);
    expect(p.set!.inherit).toHaveLength(0);
    expect(p.skipped.map((i) => i.id)).toEqual(['r1', 'r4', 'p1', 'i1']);
  });

  it('inheritance rows being typed are left out of the preview, finished ones kept', () => {
    let s = addInherit(emptyRuleSet(), 'Team', 'SubAccountId').set;
    s = updateInherit(s, 'i1', { values: [{ account: 'acct-1', value: 'web' }, { account: '', value: '' }] });
    expect(draftIssues(s)).toEqual([]);
    expect(previewable(s).set!.inherit[0]!.values).toEqual([{ account: 'acct-1', value: 'web' }]);
    s = updateInherit(s, 'i1', { values: [{ account: 'acct-1', value: '' }] });
    expect(draftIssues(s)[0]!.message).toMatch(/every account needs a value/);
  });

  it('blank mapping rows and alias spellings are dropped before saving, not reported', () => {
    let s = addInherit(emptyRuleSet(), 'Team', 'BillingAccountId').set;
    s = updateInherit(s, 'i1', { values: [{ account: 'a1', value: 'web' }, { account: ' ', value: '' }] });
    s = { ...s, tagAliases: [{ key: ' team ', aliases: ['Team', ' ', 'owner_team '] }] };
    expect(draftIssues(s)).toEqual([]);
    const clean = cleanDraft(s);
    expect(clean.inherit[0]!.values).toEqual([{ account: 'a1', value: 'web' }]);
    expect(clean.tagAliases).toEqual([{ key: 'team', aliases: ['Team', 'owner_team'] }]);
    expect(RuleSetSchema.safeParse(clean).success).toBe(true);
    expect(draftIssues({ ...s, tagAliases: [{ key: '', aliases: ['x'] }] })[0]!.id).toBe('alias:0');
  });

  it('a dimension being renamed is named as unfinished but still previews, under its key', () => {
    const s = renameTo(withRules(), ' ');
    expect(draftIssues(s)).toEqual([{ id: 'Team', message: 'needs a name' }]);
    expect(previewable(s).set!.dimensions).toEqual([{ key: 'Team', label: 'Team' }]);
  });

  it('a finished draft has no issues and parses as a rule set', () => {
    const s = withRules();
    expect(draftIssues(s)).toEqual([]);
    expect(RuleSetSchema.parse(previewable(s).set)).toEqual(s);
  });
});

describe('text of rules and the latest answer', () => {
  it('describes conditions and pools as sentences', () => {
    expect(describeCondition({ field: { kind: 'column', name: 'PricingQuantity' }, op: 'range', min: 10, max: null })).toBe('PricingQuantity ≥ 10');
    expect(describeCondition({ field: TEAM_TAG, op: 'in', values: ['a', 'b'], caseSensitive: true })).toBe('Tags.team is one of “a”, “b” (case-sensitive)');
    let s = addPool(emptyRuleSet(), 'Team', { kind: 'column', name: 'ServiceName' }).set;
    s = updatePool(s, 'p1', { name: 'Support', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Support', caseSensitive: false }] });
    expect(describePool(s.pools[0]!)).toBe('Support: ServiceName equals “Support”, split in proportion to direct effective cost over every target with direct cost');
    expect(describeItem('dimension', { key: 'Team', label: 'Team' })).toBe('Team (Team)');
    expect(describeItem('normalize', 'lower')).toBe('lower');
  });

  it('only the newest request’s answer is taken, whatever order answers arrive in', async () => {
    const latest = latestOnly();
    const shown: string[] = [];
    const answer = (t: number, v: string, ms: number) =>
      new Promise<void>((r) =>
        setTimeout(() => {
          if (latest.isLatest(t)) shown.push(v);
          r();
        }, ms),
      );
    const t1 = latest.ticket();
    const t2 = latest.ticket();
    const t3 = latest.ticket();
    await Promise.all([answer(t3, 'third', 5), answer(t1, 'first', 20), answer(t2, 'second', 10)]);
    expect(shown).toEqual(['third']);
  });

  it('a new rule starts on the tag named like its dimension', () => {
    const dims = [
      { column: 'ServiceName', label: 'Service Name', kind: 'focus' },
      { column: 'Tags.app', label: 'Tag: app', kind: 'tag' },
      { column: 'Tags.cost-center', label: 'Tag: cost-center', kind: 'tag' },
      { column: 'Tags.team', label: 'Tag: team', kind: 'tag' },
    ] as const;
    expect(preferredTag([...dims], 'Team')?.column).toBe('Tags.team');
    expect(preferredTag([...dims], 'Cost center')?.column).toBe('Tags.cost-center');
    expect(preferredTag([...dims], 'Product')?.column).toBe('Tags.app');
    expect(defaultField([], [dims[0]], 'Team')).toEqual({ kind: 'column', name: 'ServiceName' });
    expect(defaultField([{ field: { kind: 'column', name: 'RegionId' }, op: 'missing' }], [...dims], 'Team')).toEqual({ kind: 'column', name: 'RegionId' });
  });

  it('showback tables: per currency, targets by total, sums of cells exact in nanos, unallocated apart', () => {
    const row = (target: string | null, month: string, currency: string, direct: number, shared: number) => ({ target, month, currency, direct, shared, total: Math.round((direct + shared) * 1e9) / 1e9 });
    const m = showbackMatrix({
      months: ['2026-01', '2026-02'],
      rows: [
        row('web', '2026-01', 'USD', 0.1, 0.2),
        row('web', '2026-02', 'USD', 0.7, 0.000000001),
        row('data', '2026-01', 'USD', 5, 0),
        row(null, '2026-02', 'USD', 1.25, 0),
        row('web', '2026-01', 'EUR', 3, 1),
      ],
    });
    expect(m.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    const usd = m[1]!;
    expect(usd.targets.map((t) => t.target)).toEqual(['data', 'web']);
    const web = usd.targets[1]!;
    // 0.1 + 0.2 + 0.7 + 0.000000001 in floating point is not 1.000000001; in nanos it is
    expect(web.sum).toEqual({ direct: 0.8, shared: 0.200000001, total: 1.000000001 });
    expect(web.byMonth.get('2026-02')).toEqual({ direct: 0.7, shared: 0.000000001, total: 0.700000001 });
    expect(usd.unallocated!.sum.total).toBe(1.25);
    expect(usd.totals.sum).toEqual({ direct: 7.05, shared: 0.200000001, total: 7.250000001 });
    expect(usd.totals.byMonth.get('2026-01')!.total).toBe(5.3);
    expect(m[0]!.totals.sum.total).toBe(4);
    expect(m[0]!.unallocated).toBeNull();
  });

  it('picks a dimension that exists', () => {
    const s = withRules();
    expect(shownDimension(s, 'Gone')).toBe('Team');
    expect(shownDimension({ ...s, dimensions: [] }, 'Team')).toBeNull();
  });
});

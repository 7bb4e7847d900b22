import { describe, expect, it } from 'vitest';
import {
  assignRow,
  compileRules,
  ConditionSchema,
  fieldsRead,
  RuleSchema,
  type FieldValue,
  type RowReader,
  type RuleSetCore,
} from '../../src-shared/allocate/rules';

function reader(columns: Record<string, FieldValue>, tags: Record<string, string> = {}): RowReader {
  return { column: (n) => columns[n], tag: (k) => tags[k] };
}

const base: RuleSetCore = {
  dimensions: [
    { key: 'Team', label: 'Team' },
    { key: 'UseCase', label: 'AI use case' },
  ],
  tagAliases: [{ key: 'team', aliases: ['Team', 'owner-team'] }],
  normalize: { Team: 'lower' },
  rules: [
    RuleSchema.parse({ id: 'r1', dimension: 'Team', value: 'Payments', when: [{ field: { kind: 'tag', key: 'team' }, op: 'equals', value: 'payments' }] }),
    RuleSchema.parse({ id: 'r2', dimension: 'Team', value: 'ML', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'regex', pattern: '^Amazon (SageMaker|Bedrock)' }] }),
    RuleSchema.parse({ id: 'r3', dimension: 'UseCase', value: 'Support bot', when: [{ field: { kind: 'column', name: 'x_ApiKey' }, op: 'in', values: ['KEY-1', 'key-2'] }] }),
    RuleSchema.parse({ id: 'r4', dimension: 'Team', value: 'Platform', when: [{ field: { kind: 'column', name: 'BilledCost' }, op: 'range', min: 100, max: null }] }),
    RuleSchema.parse({ id: 'r5', dimension: 'Team', value: 'Unowned', when: [] }),
  ],
};

describe('allocation rules', () => {
  const compiled = compileRules(base);
  if (!compiled.ok) throw new Error('rules do not compile');

  it('first match wins per dimension, in list order, and values are normalized', () => {
    const a = assignRow(compiled.rules, base.normalize, reader({ ServiceName: 'Amazon Bedrock', BilledCost: 500 }, { Team: 'PAYMENTS' }));
    expect(a.get('Team')).toEqual({ value: 'payments', ruleId: 'r1' });
    const b = assignRow(compiled.rules, base.normalize, reader({ ServiceName: 'amazon sagemaker', BilledCost: 500 }));
    expect(b.get('Team')).toEqual({ value: 'ml', ruleId: 'r2' });
    const c = assignRow(compiled.rules, base.normalize, reader({ ServiceName: 'Amazon EC2', BilledCost: 100 }));
    expect(c.get('Team')).toEqual({ value: 'platform', ruleId: 'r4' });
    const d = assignRow(compiled.rules, base.normalize, reader({ ServiceName: 'Amazon EC2', BilledCost: 99.99 }));
    expect(d.get('Team')).toEqual({ value: 'unowned', ruleId: 'r5' });
    expect(d.has('UseCase')).toBe(false);
  });

  it('reads a tag through its aliases, case-insensitive values unless asked', () => {
    const viaAlias = assignRow(compiled.rules, base.normalize, reader({}, { 'owner-team': 'Payments' }));
    expect(viaAlias.get('Team')?.ruleId).toBe('r1');
    const key = assignRow(compiled.rules, base.normalize, reader({ x_ApiKey: 'KEY-2' }));
    expect(key.get('UseCase')).toEqual({ value: 'Support bot', ruleId: 'r3' });
    const strict = compileRules({
      ...base,
      rules: [RuleSchema.parse({ id: 's', dimension: 'Team', value: 'X', when: [{ field: { kind: 'column', name: 'RegionId' }, op: 'equals', value: 'us-east-1', caseSensitive: true }] })],
    });
    if (!strict.ok) throw new Error('compile');
    expect(assignRow(strict.rules, {}, reader({ RegionId: 'US-EAST-1' })).size).toBe(0);
    expect(assignRow(strict.rules, {}, reader({ RegionId: 'us-east-1' })).size).toBe(1);
  });

  it('range is [min, max); text that is not a number never matches a range', () => {
    const c = compileRules({
      ...base,
      rules: [RuleSchema.parse({ id: 'n', dimension: 'Team', value: 'Mid', when: [{ field: { kind: 'column', name: 'PricingQuantity' }, op: 'range', min: 10, max: 20 }] })],
    });
    if (!c.ok) throw new Error('compile');
    const hit = (v: FieldValue) => assignRow(c.rules, {}, reader({ PricingQuantity: v })).size === 1;
    expect([hit(10), hit('19.5'), hit(20), hit(9.99), hit('abc'), hit(null), hit('')]).toEqual([true, true, false, false, false, false, false]);
  });

  it('lists every rule that cannot run, by rule', () => {
    const r = compileRules({
      ...base,
      rules: [
        RuleSchema.parse({ id: 'bad', dimension: 'Team', value: 'X', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'regex', pattern: '(' }] }),
        RuleSchema.parse({ id: 'nodim', dimension: 'Product', value: 'X', when: [] }),
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual(["rule bad: regex '(' is not a valid pattern", "rule nodim: dimension 'Product' is not defined"]);
  });

  it('names the columns and tag keys the rules read, aliases included', () => {
    expect(fieldsRead(base)).toEqual({ columns: ['BilledCost', 'ServiceName', 'x_ApiKey'], tags: ['Team', 'owner-team', 'team'] });
  });

  it('round-trips through JSON and refuses conditions that are not well formed', () => {
    const json = JSON.parse(JSON.stringify(base.rules)) as unknown[];
    expect(json.map((r) => RuleSchema.parse(r))).toEqual(base.rules);
    expect(ConditionSchema.safeParse({ field: { kind: 'column', name: 'X' }, op: 'in', values: [] }).success).toBe(false);
    expect(ConditionSchema.safeParse({ field: { kind: 'nope', name: 'X' }, op: 'equals', value: 'a' }).success).toBe(false);
  });
});

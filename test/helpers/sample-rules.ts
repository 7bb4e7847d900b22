// Rules over the 1,000-row FOCUS sample (test/fixtures/focus/focus-1.0_sample_1000.csv) that several allocation
// tests share: a tag rule, and two service rules, the last matching part of what the tag rule already took.
import type { RuleSetInput } from '../../src-shared/allocate/ruleset';

export const SAMPLE_TEAM_RULES: NonNullable<RuleSetInput['rules']> = [
  { id: 'bu', dimension: 'Team', value: 'Peoria', when: [{ field: { kind: 'tag', key: 'business_unit' }, op: 'contains', value: 'peor' }] },
  { id: 'lb', dimension: 'Team', value: 'Network', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'elastic load balancing' }] },
  { id: 'ec2', dimension: 'Team', value: 'Compute', when: [{ field: { kind: 'column', name: 'ServiceName' }, op: 'equals', value: 'Amazon Elastic Compute Cloud' }] },
];

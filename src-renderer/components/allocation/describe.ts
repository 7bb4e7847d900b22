// Rules, pools and mappings as one line of text ("Team = ml when Tags.team equals ml"): the diff view shows a rule's
// before and after this way, and unallocated reasons read as sentences. Pure.
import type { Inherit, Pool, SplitMethod } from '../../../src-shared/allocate/evaluate';
import type { Condition, Rule, TagAlias } from '../../../src-shared/allocate/rules';
import { fieldColumn } from './ruleset-edits';

const quote = (s: string) => `“${s}”`;

export function describeCondition(c: Condition): string {
  const f = fieldColumn(c.field);
  const cs = 'caseSensitive' in c && c.caseSensitive ? ' (case-sensitive)' : '';
  switch (c.op) {
    case 'equals':
      return `${f} equals ${quote(c.value)}${cs}`;
    case 'in':
      return `${f} is one of ${c.values.map(quote).join(', ')}${cs}`;
    case 'contains':
      return `${f} contains ${quote(c.value)}${cs}`;
    case 'regex':
      return `${f} matches /${c.pattern}/${cs}`;
    case 'range':
      if (c.min === null && c.max === null) return `${f} is a number`;
      if (c.min === null) return `${f} < ${c.max}`;
      if (c.max === null) return `${f} ≥ ${c.min}`;
      return `${c.min} ≤ ${f} < ${c.max}`;
    case 'missing':
      return `${f} is missing`;
  }
}

export function describeWhen(when: readonly Condition[]): string {
  return when.length === 0 ? 'every row' : when.map(describeCondition).join(' and ');
}

export function describeRule(r: Rule): string {
  return `${r.dimension} = ${r.value || '…'} when ${describeWhen(r.when)}`;
}

export function describeMethod(m: SplitMethod): string {
  switch (m.kind) {
    case 'even':
      return 'evenly';
    case 'proportional':
      return `in proportion to direct ${m.basis} cost`;
    case 'driver':
      return `by driver ${m.driver || '…'}`;
    case 'fixed':
      return `by fixed shares (${m.percents.map((p) => `${p.target || '…'} ${p.percent}%`).join(', ')})`;
  }
}

export function describePool(p: Pool): string {
  const over = p.method.kind === 'fixed' ? '' : p.targets.length ? ` over ${p.targets.join(', ')}` : ' over every target with direct cost';
  return `${p.name || p.id}: ${describeWhen(p.when)}, split ${describeMethod(p.method)}${over}`;
}

export function describeInherit(i: Inherit): string {
  const from = i.from === 'SubAccountId' ? 'sub account' : 'billing account';
  return `${i.dimension} from ${from}: ${i.values.map((v) => `${v.account} → ${v.value}`).join(', ')}`;
}

export function describeAlias(a: TagAlias): string {
  return `${a.key} ← ${a.aliases.join(', ') || '(none)'}`;
}

/** A diff entry's before or after (the engine sends the item as it was), as one line. */
export function describeItem(kind: string, item: unknown): string {
  if (item === null || item === undefined) return '';
  if (typeof item === 'string') return item;
  const o = item as Record<string, unknown>;
  try {
    switch (kind) {
      case 'rule':
        return describeRule(o as unknown as Rule);
      case 'pool':
        return describePool(o as unknown as Pool);
      case 'inherit':
        return describeInherit(o as unknown as Inherit);
      case 'alias':
        return describeAlias(o as unknown as TagAlias);
      case 'dimension':
        return `${String(o['label'])} (${String(o['key'])})`;
    }
  } catch {
    // an item of an older format: shown as its JSON below
  }
  return JSON.stringify(item);
}

export const UNALLOCATED_REASONS: Record<string, string> = {
  'no-rule': 'No rule matches',
  'pool-zero-weights': 'Pool could not be split: every weight is zero',
  'pool-no-targets': 'Pool has no targets',
  'pool-invalid': 'Pool split is not valid',
};

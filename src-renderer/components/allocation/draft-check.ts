// What in a draft is not finished yet, said per rule, pool or mapping ("r3: needs a value"), and the part of the draft
// that can run now. The engine refuses a whole rule set when one rule is half-typed, so the live preview runs the
// finished part (the unfinished items are marked "not in the preview"), while saving and applying wait until
// nothing is unfinished.
import { InheritSchema, PoolSchema, type Pool, type Inherit } from '../../../src-shared/allocate/evaluate';
import { RuleSchema, type Condition, type Rule } from '../../../src-shared/allocate/rules';
import { RuleSetSchema, type RuleSet } from '../../../src-shared/allocate/ruleset';

export interface DraftIssue {
  /** the rule, pool or inheritance id; a dimension key or '' for the set as a whole */
  id: string;
  message: string;
}

function conditionIssue(c: Condition, n: number): string | null {
  const which = `condition ${n}`;
  if (c.field.kind === 'tag' ? !c.field.key.trim() : !c.field.name.trim()) return `${which} needs a column or tag`;
  switch (c.op) {
    case 'contains':
      return c.value === '' ? `${which} needs the text to look for` : null;
    case 'in':
      return c.values.length === 0 ? `${which} needs at least one value` : null;
    case 'regex':
      if (c.pattern === '') return `${which} needs a pattern`;
      try {
        new RegExp(c.pattern);
        return null;
      } catch {
        return `${which}: /${c.pattern}/ is not a valid regular expression`;
      }
    case 'range':
      return c.min !== null && c.max !== null && c.min >= c.max ? `${which}: the lower bound must be below the upper one` : null;
    default:
      return null;
  }
}

function conditionsIssue(when: readonly Condition[]): string | null {
  for (let i = 0; i < when.length; i++) {
    const m = conditionIssue(when[i]!, i + 1);
    if (m) return m;
  }
  return null;
}

export function ruleIssue(r: Rule): string | null {
  if (!r.value.trim()) return 'needs a value: what the matching rows are assigned';
  const c = conditionsIssue(r.when);
  if (c) return c;
  const parsed = RuleSchema.safeParse(r);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'is not valid');
}

export function poolIssue(p: Pool): string | null {
  if (!p.name.trim()) return 'needs a name';
  if (p.when.length === 0) return 'needs a condition: which rows form the pool';
  const c = conditionsIssue(p.when);
  if (c) return c;
  if (p.method.kind === 'fixed' && p.method.percents.some((x) => !x.target.trim())) return 'every percentage needs a target';
  if (p.method.kind === 'driver' && !p.method.driver) return 'pick the driver data to split by';
  const parsed = PoolSchema.safeParse(p);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'is not valid');
}

/** Mapping rows with an account and a value (the others are rows being typed). */
function finishedMappings(i: Inherit): Inherit['values'] {
  return i.values.filter((v) => v.account.trim() && v.value.trim());
}

export function inheritIssue(i: Inherit): string | null {
  if (i.values.some((v) => (v.account.trim() === '') !== (v.value.trim() === ''))) return 'every account needs a value, and every value an account';
  if (finishedMappings(i).length === 0) return 'needs an account and the value it gives';
  return null;
}

/**
 * The draft as it is saved and applied: mapping rows left blank and blank alias names dropped (the editor keeps a
 * blank row to type into; it means nothing).
 */
export function cleanDraft(set: RuleSet): RuleSet {
  return {
    ...set,
    inherit: set.inherit.map((i) => ({ ...i, values: i.values.filter((v) => v.account.trim() || v.value.trim()) })),
    tagAliases: set.tagAliases.map((a) => ({ key: a.key.trim(), aliases: a.aliases.map((x) => x.trim()).filter(Boolean) })),
  };
}

/** Every unfinished item of the draft, in list order (none: `cleanDraft(set)` can be saved and applied). */
export function draftIssues(set: RuleSet): DraftIssue[] {
  const out: DraftIssue[] = [];
  for (const d of set.dimensions) if (!d.label.trim()) out.push({ id: d.key, message: 'needs a name' });
  for (const r of set.rules) {
    const m = ruleIssue(r);
    if (m) out.push({ id: r.id, message: m });
  }
  for (const p of set.pools) {
    const m = poolIssue(p);
    if (m) out.push({ id: p.id, message: m });
  }
  for (const i of set.inherit) {
    const m = inheritIssue(i);
    if (m) out.push({ id: i.id, message: m });
  }
  set.tagAliases.forEach((a, n) => {
    if (!a.key.trim()) out.push({ id: `alias:${n}`, message: 'a tag alias needs the tag key it stands for' });
  });
  if (out.length === 0) {
    const whole = RuleSetSchema.safeParse(cleanDraft(set));
    if (!whole.success) {
      const i = whole.error.issues[0]!;
      out.push({ id: '', message: `${i.path.join('.')}: ${i.message}` });
    }
  }
  return out;
}

/**
 * The part of the draft that can run: unfinished rules and pools left out, inheritance and alias rows being typed
 * left out. `set` is null when even that cannot run (the schema still refuses it; `blocking` says why).
 */
export function previewable(set: RuleSet): { set: RuleSet | null; skipped: DraftIssue[]; blocking: string | null } {
  const skipped: DraftIssue[] = [];
  const rules = set.rules.filter((r) => {
    const m = ruleIssue(r);
    if (m) skipped.push({ id: r.id, message: m });
    return !m;
  });
  const pools = set.pools.filter((p) => {
    const m = poolIssue(p);
    if (m) skipped.push({ id: p.id, message: m });
    return !m;
  });
  const inherit: Inherit[] = [];
  for (const i of set.inherit) {
    const values = finishedMappings(i);
    if (values.length === 0) skipped.push({ id: i.id, message: 'needs an account and the value it gives' });
    else if (InheritSchema.safeParse({ ...i, values }).success) inherit.push({ ...i, values });
    else skipped.push({ id: i.id, message: 'is not valid' });
  }
  const tagAliases = set.tagAliases
    .filter((a) => a.key.trim())
    .map((a) => ({ key: a.key.trim(), aliases: a.aliases.map((x) => x.trim()).filter(Boolean) }));
  // a dimension whose name is being retyped previews under its key
  const dimensions = set.dimensions.map((d) => (d.label.trim() ? d : { ...d, label: d.key }));
  const candidate = { ...set, dimensions, rules, pools, inherit, tagAliases };
  const parsed = RuleSetSchema.safeParse(candidate);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { set: null, skipped, blocking: `${i.path.join('.')}: ${i.message}` };
  }
  return { set: parsed.data, skipped, blocking: null };
}

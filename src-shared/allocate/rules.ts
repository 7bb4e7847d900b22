// The allocation rule set as data (rules as code: it round-trips through JSON) and the pure matcher that assigns a
// row's dimension values. First match wins per dimension, in the order the rules are listed.
import { z } from 'zod';

/** A dimension of the user's own (team, product, AI use case); its values land in the `x_` column it names. */
export const AllocationDimensionSchema = z.object({
  key: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]{0,39}$/, 'a dimension key is a word starting with a capital letter, like Team or UseCase'),
  label: z.string().trim().min(1).max(60),
});
export type AllocationDimension = z.infer<typeof AllocationDimensionSchema>;

/** What a condition reads: a FOCUS or `x_` column, or a tag key (with its aliases). */
export const FieldRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column'), name: z.string().min(1) }),
  z.object({ kind: z.literal('tag'), key: z.string().min(1) }),
]);
export type FieldRef = z.infer<typeof FieldRefSchema>;

export const ConditionSchema = z.discriminatedUnion('op', [
  z.object({ field: FieldRefSchema, op: z.literal('equals'), value: z.string(), caseSensitive: z.boolean().default(false) }),
  z.object({ field: FieldRefSchema, op: z.literal('in'), values: z.array(z.string()).min(1), caseSensitive: z.boolean().default(false) }),
  z.object({ field: FieldRefSchema, op: z.literal('contains'), value: z.string().min(1), caseSensitive: z.boolean().default(false) }),
  z.object({ field: FieldRefSchema, op: z.literal('regex'), pattern: z.string().min(1), caseSensitive: z.boolean().default(false) }),
  // [min, max): either end may be open
  z.object({ field: FieldRefSchema, op: z.literal('range'), min: z.number().nullable().default(null), max: z.number().nullable().default(null) }),
  z.object({ field: FieldRefSchema, op: z.literal('missing') }),
]);
export type Condition = z.infer<typeof ConditionSchema>;

export const RuleSchema = z.object({
  id: z.string().min(1).max(40),
  dimension: z.string().min(1),
  value: z.string().trim().min(1).max(120),
  /** every condition must hold; an empty list matches every row (a catch-all at the end of a list) */
  when: z.array(ConditionSchema),
  note: z.string().max(500).optional(),
});
export type Rule = z.infer<typeof RuleSchema>;

export const TagAliasSchema = z.object({ key: z.string().min(1), aliases: z.array(z.string().min(1)) });
export type TagAlias = z.infer<typeof TagAliasSchema>;

export type Normalize = 'none' | 'lower' | 'upper';

export interface RuleSetCore {
  dimensions: AllocationDimension[];
  tagAliases: TagAlias[];
  /** how each dimension's assigned values are written (so "ML" and "ml" are one team) */
  normalize: Record<string, Normalize>;
  rules: Rule[];
}

/** A value as the matcher sees it: text, a number, or absent. */
export type FieldValue = string | number | null | undefined;

/** Reads a row: a column by name, or a tag by its exact key. */
export interface RowReader {
  column(name: string): FieldValue;
  tag(key: string): FieldValue;
}

export type CompiledCondition = (row: RowReader) => boolean;

export interface CompiledRule {
  rule: Rule;
  index: number;
  test(row: RowReader): boolean;
}

/** Problems a user can fix, by rule: "rule r3: regex '(' is not a valid pattern". */
export interface RuleProblem {
  ruleId: string;
  message: string;
}

function readField(field: FieldRef, aliases: ReadonlyMap<string, readonly string[]>): (row: RowReader) => FieldValue {
  if (field.kind === 'column') return (row) => row.column(field.name);
  const keys = [field.key, ...(aliases.get(field.key.toLowerCase()) ?? [])];
  return (row) => {
    for (const k of keys) {
      const v = row.tag(k);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  };
}

const asText = (v: FieldValue): string | null => (v === null || v === undefined ? null : String(v));

export function compileCondition(c: Condition, aliases: ReadonlyMap<string, readonly string[]>): CompiledCondition {
  const read = readField(c.field, aliases);
  switch (c.op) {
    case 'equals': {
      const want = c.caseSensitive ? c.value : c.value.toLowerCase();
      return (row) => {
        const t = asText(read(row));
        return t !== null && (c.caseSensitive ? t : t.toLowerCase()) === want;
      };
    }
    case 'in': {
      const set = new Set(c.caseSensitive ? c.values : c.values.map((v) => v.toLowerCase()));
      return (row) => {
        const t = asText(read(row));
        return t !== null && set.has(c.caseSensitive ? t : t.toLowerCase());
      };
    }
    case 'contains': {
      const want = c.caseSensitive ? c.value : c.value.toLowerCase();
      return (row) => {
        const t = asText(read(row));
        return t !== null && (c.caseSensitive ? t : t.toLowerCase()).includes(want);
      };
    }
    case 'regex': {
      const re = new RegExp(c.pattern, c.caseSensitive ? '' : 'i');
      return (row) => {
        const t = asText(read(row));
        return t !== null && re.test(t);
      };
    }
    case 'range':
      return (row) => {
        const v = read(row);
        const n = typeof v === 'number' ? v : v === null || v === undefined || v === '' ? NaN : Number(v);
        if (!Number.isFinite(n)) return false;
        return (c.min === null || n >= c.min) && (c.max === null || n < c.max);
      };
    case 'missing':
      return (row) => {
        const v = read(row);
        return v === null || v === undefined || v === '';
      };
  }
}

/** Tag-key aliases by lower-cased canonical key. */
export function aliasMap(aliases: readonly TagAlias[]): Map<string, string[]> {
  return new Map(aliases.map((a) => [a.key.toLowerCase(), a.aliases]));
}

/** Compiles the rules, or lists every rule that cannot run (bad pattern, unknown dimension). */
export function compileRules(set: RuleSetCore): { ok: true; rules: CompiledRule[] } | { ok: false; problems: RuleProblem[] } {
  const aliases = aliasMap(set.tagAliases);
  const dims = new Set(set.dimensions.map((d) => d.key));
  const problems: RuleProblem[] = [];
  const rules: CompiledRule[] = [];
  set.rules.forEach((rule, index) => {
    if (!dims.has(rule.dimension)) {
      problems.push({ ruleId: rule.id, message: `rule ${rule.id}: dimension '${rule.dimension}' is not defined` });
      return;
    }
    const tests: CompiledCondition[] = [];
    for (const c of rule.when) {
      try {
        tests.push(compileCondition(c, aliases));
      } catch (e) {
        const what = c.op === 'regex' ? `regex '${c.pattern}' is not a valid pattern` : String(e);
        problems.push({ ruleId: rule.id, message: `rule ${rule.id}: ${what}` });
        return;
      }
    }
    rules.push({ rule, index, test: (row) => tests.every((t) => t(row)) });
  });
  return problems.length ? { ok: false, problems } : { ok: true, rules };
}

export function normalizeValue(value: string, how: Normalize | undefined): string {
  return how === 'lower' ? value.toLowerCase() : how === 'upper' ? value.toUpperCase() : value;
}

/** One dimension's answer for a row: the value and the rule that gave it (first match wins), or null. */
export interface Assignment {
  value: string;
  ruleId: string;
}

/**
 * Assigns every dimension for one row. Rules are tried in list order; the first rule of a dimension that matches
 * decides it, and later rules of that dimension are not tried (they are shown as shadowed in the editor).
 */
export function assignRow(
  compiled: readonly CompiledRule[],
  normalize: Readonly<Record<string, Normalize>>,
  row: RowReader,
): Map<string, Assignment> {
  const out = new Map<string, Assignment>();
  for (const c of compiled) {
    if (out.has(c.rule.dimension)) continue;
    if (c.test(row)) out.set(c.rule.dimension, { value: normalizeValue(c.rule.value, normalize[c.rule.dimension]), ruleId: c.rule.id });
  }
  return out;
}

/** The columns and tag keys the rules, pools and inheritance read: the preview groups spend by exactly these. */
export function fieldsRead(
  set: RuleSetCore & { pools?: readonly { when: readonly Condition[] }[]; inherit?: readonly { from: string }[] },
): { columns: string[]; tags: string[] } {
  const aliases = aliasMap(set.tagAliases);
  const columns = new Set<string>();
  const tags = new Set<string>();
  const conditions = [...set.rules.flatMap((r) => r.when), ...(set.pools ?? []).flatMap((p) => p.when)];
  for (const c of conditions) {
    if (c.field.kind === 'column') columns.add(c.field.name);
    else for (const k of [c.field.key, ...(aliases.get(c.field.key.toLowerCase()) ?? [])]) tags.add(k);
  }
  for (const i of set.inherit ?? []) columns.add(i.from);
  return { columns: [...columns].sort(), tags: [...tags].sort() };
}

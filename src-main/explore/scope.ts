// Turns column references and filters into SQL over one of the stored structures: the daily rollup (small, answers
// most questions) or raw cost_usage rows (any column). Strings are dictionary ids in both; rollups use 0 for null.
import { costColumn } from '../../src-shared/focus/catalog';
import type { Filter } from '../../src-shared/api/contract';
import { COST_COLUMN_KIND, type StorageKind } from '../store/cost-columns';
import { EngineError } from '../engine/errors';
import { dayFromIso } from '../ingest/datetime';
import { zoneWhere, type RowOrder } from '../store/row-zones';
import type { Db } from '../store/workspace';

/** 'rollup': a rollup table whose dimension columns are non-null (0 = null); 'cost_usage': raw rows (NULL = null). */
export type Source = 'rollup' | 'cost_usage';

export type ColumnRef =
  | { kind: 'column'; name: string; storage: StorageKind; label: string }
  | { kind: 'tag'; key: string; label: string }
  /** A key inside a JSON value: an `x_` custom column (kept in `extras`) or `SkuPriceDetails.<key>` and the like. */
  | { kind: 'json'; column: string; key: string; label: string };

/** FOCUS columns holding JSON objects whose keys can be grouped and filtered like columns (`SkuPriceDetails.ModelId`). */
const JSON_COLUMNS = ['SkuPriceDetails', 'AllocatedTags', 'AllocatedMethodDetails', 'CommitmentProgramEligibilityDetails', 'ContractApplied'];

export function resolveColumn(ref: string): ColumnRef {
  if (/^tags\./i.test(ref)) {
    const key = ref.slice(5);
    if (key.length === 0) throw new EngineError('bad-input', `'${ref}': give a tag key after 'Tags.'`);
    return { kind: 'tag', key, label: `Tags.${key}` };
  }
  if (/^x_/i.test(ref)) return { kind: 'json', column: 'extras', key: ref, label: ref };
  const dot = ref.indexOf('.');
  if (dot > 0) {
    const column = JSON_COLUMNS.find((c) => c.toLowerCase() === ref.slice(0, dot).toLowerCase());
    const key = ref.slice(dot + 1);
    if (column && key.length > 0) return { kind: 'json', column, key, label: `${column}.${key}` };
  }
  const spec = costColumn(ref);
  const storage = spec ? COST_COLUMN_KIND.get(spec.name) : undefined;
  if (!spec || !storage) {
    throw new EngineError('bad-input', `'${ref}' is not a FOCUS Cost and Usage column (or Tags.<key>, an x_ column, SkuPriceDetails.<key>)`);
  }
  return { kind: 'column', name: spec.name, storage, label: spec.name };
}

export interface SqlParts {
  joins: string[];
  where: string[];
  params: unknown[];
}

export class DictLookup {
  private readonly byValue;
  private readonly byIds;
  constructor(readonly db: Db) {
    this.byValue = db.prepare('SELECT id FROM dict WHERE value = ?').pluck();
    this.byIds = db.prepare('SELECT id, value FROM dict WHERE id IN (SELECT value FROM json_each(?))');
  }
  id(value: string): number | undefined {
    return this.byValue.get(value) as number | undefined;
  }
  values(ids: Iterable<number>): Map<number, string> {
    const list = [...new Set(ids)].filter((i) => i > 0);
    const out = new Map<number, string>();
    for (let i = 0; i < list.length; i += 5000) {
      const rows = this.byIds.all(JSON.stringify(list.slice(i, i + 5000))) as { id: number; value: string }[];
      for (const r of rows) out.set(r.id, r.value);
    }
    return out;
  }
}

let aliasCounter = 0;

/** Text of a key inside a JSON column, read through the dictionary (NULL when absent). */
export function jsonExpr(ref: Extract<ColumnRef, { kind: 'json' }>, alias: string, parts: SqlParts): string {
  const j = `j${++aliasCounter}`;
  const col = ref.column === 'extras' ? `${alias}.extras` : `${alias}."${ref.column}"`;
  parts.joins.push(`LEFT JOIN dict ${j} ON ${j}.id = ${col}`);
  const path = `$."${ref.key.replace(/["\\]/g, '')}"`;
  return `json_extract(${j}.value, '${path}')`;
}

/**
 * SQL expression of a text column or tag value on `alias`: an integer dict id (0/NULL for null), or for a JSON key the
 * text itself.
 */
export function keyExpr(ref: ColumnRef, source: Source, alias: string, dict: DictLookup, parts: SqlParts): string {
  if (ref.kind === 'json') return jsonExpr(ref, alias, parts);
  if (ref.kind === 'tag') {
    const keyId = dict.id(ref.key) ?? -1;
    const t = `t${++aliasCounter}`;
    parts.joins.push(`LEFT JOIN tag ${t} ON ${t}.tagset = ${alias}.tagset AND ${t}.key = ${keyId}`);
    return `coalesce(${t}.value, 0)`;
  }
  if (source === 'rollup') return `${alias}."${ref.name}"`;
  return `coalesce(${alias}."${ref.name}", 0)`;
}

/** Day conditions on `alias`.day, for rollup and cube tables; raw cost_usage rows take addRowDateRange. */
export function addDateRange(parts: SqlParts, alias: string, from?: string, to?: string): void {
  if (from) {
    parts.where.push(`${alias}.day >= ?`);
    parts.params.push(dayFromIso(from));
  }
  if (to) {
    parts.where.push(`${alias}.day <= ?`);
    parts.params.push(dayFromIso(to));
  }
}

/** addDateRange for raw cost_usage rows, read only in the rowid blocks holding those days (addRowZones). */
export function addRowDateRange(db: Db, parts: SqlParts, alias: string, from?: string, to?: string, order: RowOrder = 'any'): void {
  addDateRange(parts, alias, from, to);
  addRowZones(db, parts, alias, from, to, order);
}

/**
 * Restrict raw cost_usage rows on `alias` to the rowid ranges whose zones (store/row-zones.ts) overlap the days from..to
 * (ISO dates or day numbers; either end open). Zones may hold other days too: the day conditions stay the caller's.
 * Only for cost_usage: rollup and cube tables have their own keys.
 */
export function addRowZones(db: Db, parts: SqlParts, alias: string, from?: string | number, to?: string | number, order: RowOrder = 'any'): void {
  const day = (d: string | number | undefined) => (typeof d === 'number' ? d : d ? dayFromIso(d) : undefined);
  const z = zoneWhere(db, alias, day(from), day(to), order);
  if (!z) return;
  parts.where.push(...z.where);
  parts.params.push(...z.params);
}

/**
 * A filter on raw rows that another module answers (a filter on an applied allocation dimension, `x_Team`: see
 * allocate/explore.ts, which registers itself here; scope.ts cannot import it without a cycle). Null: not its column.
 */
export type RowConditionProvider = (db: Db, f: Filter, alias: string) => { sql: string; params: unknown[] } | null;
let rowConditions: RowConditionProvider | null = null;
export function provideRowConditions(p: RowConditionProvider): void {
  rowConditions = p;
}

export function addFilters(parts: SqlParts, filters: Filter[], source: Source, alias: string, dict: DictLookup): void {
  for (const f of filters) {
    const ref = resolveColumn(f.column);
    const special = source === 'cost_usage' && ref.kind === 'json' && rowConditions ? rowConditions(dict.db, f, alias) : null;
    if (special) {
      parts.where.push(special.sql);
      parts.params.push(...special.params);
      continue;
    }
    if (ref.kind === 'json') {
      const expr = jsonExpr(ref, alias, parts);
      const vals = f.values.filter((v): v is string => v !== null);
      const conds: string[] = [];
      if (vals.length > 0) {
        conds.push(`${expr} IN (${vals.map(() => '?').join(', ')})`);
        parts.params.push(...vals);
      }
      if (f.values.includes(null)) conds.push(`${expr} IS NULL`);
      const cond = conds.length === 1 ? conds[0]! : `(${conds.join(' OR ')})`;
      parts.where.push(f.exclude ? `NOT coalesce(${cond}, 0)` : cond);
      continue;
    }
    if (ref.kind === 'column' && ref.storage !== 'text') {
      throw new EngineError('bad-input', `filter on ${ref.name}: only text columns and tags can be filtered by value`);
    }
    const ids: number[] = [];
    let wantNull = false;
    for (const v of f.values) {
      if (v === null) wantNull = true;
      else ids.push(dict.id(v) ?? -1); // a value never seen matches nothing
    }
    if (wantNull) ids.push(0);
    const list = ids.join(',');
    if (ref.kind === 'tag') {
      const keyId = dict.id(ref.key) ?? -1;
      const valueIds = ids.filter((i) => i !== 0);
      const conds: string[] = [];
      if (valueIds.length > 0) {
        conds.push(
          `EXISTS (SELECT 1 FROM tag ft WHERE ft.tagset = ${alias}.tagset AND ft.key = ${keyId} AND ft.value IN (${valueIds.join(',')}))`,
        );
      }
      if (wantNull) {
        conds.push(`NOT EXISTS (SELECT 1 FROM tag ft WHERE ft.tagset = ${alias}.tagset AND ft.key = ${keyId})`);
      }
      const cond = conds.length === 1 ? conds[0]! : `(${conds.join(' OR ')})`;
      parts.where.push(f.exclude ? `NOT ${cond}` : cond);
    } else {
      const col = `${alias}."${ref.name}"`;
      if (source === 'rollup') {
        parts.where.push(`${col} ${f.exclude ? 'NOT IN' : 'IN'} (${list})`);
      } else {
        // written so SQLite can use an index on the column
        const valueIds = ids.filter((i) => i !== 0);
        const conds: string[] = [];
        if (valueIds.length > 0) conds.push(`${col} IN (${valueIds.join(',')})`);
        if (wantNull) conds.push(`${col} IS NULL`);
        const cond = conds.length === 1 ? conds[0]! : `(${conds.join(' OR ')})`;
        parts.where.push(f.exclude ? `NOT coalesce(${cond}, 0)` : cond);
      }
    }
  }
}

export function whereSql(parts: SqlParts): string {
  return parts.where.length > 0 ? `WHERE ${parts.where.join(' AND ')}` : '';
}

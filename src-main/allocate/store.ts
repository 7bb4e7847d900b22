// Allocation rows of a workspace file: the draft being edited (meta 'alloc_draft'), applied versions, driver data,
// and the applied result (alloc_cell, alloc_sig). Small reads and writes on the engine's connection; apply writes
// its result in the allocation worker (apply.ts).
import type { DriverRow } from '../../src-shared/allocate/evaluate';
import { RuleSetSchema, diffRuleSets, emptyRuleSet, type RuleSet, type RuleSetChange } from '../../src-shared/allocate/ruleset';
import type { AllocationCheck, AllocationState, AllocationVersion, DriverSummary } from '../../src-shared/api/allocation';
import { EngineError } from '../engine/errors';
import { briefWrite } from '../store/brief-write';
import type { Db } from '../store/workspace';
import { parseDriverCsv } from './drivers';

interface VersionRow {
  id: number;
  created: string;
  note: string | null;
  ruleset: string;
  checks: string;
  rows: number;
  seconds: number;
}

function parseSet(json: string, what: string): RuleSet {
  const r = RuleSetSchema.safeParse(JSON.parse(json));
  if (!r.success) throw new EngineError('bad-file', `${what} cannot be read by this version of Meterbook: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

export function appliedVersionId(db: Db): number | null {
  return (db.prepare('SELECT max(id) FROM alloc_version').pluck().get() as number | null) ?? null;
}

function toVersion(r: VersionRow, applied: number | null): AllocationVersion {
  const set = parseSet(r.ruleset, `version ${r.id}`);
  return {
    id: r.id,
    created: r.created,
    note: r.note,
    rules: set.rules.length,
    pools: set.pools.length,
    rows: r.rows,
    seconds: r.seconds,
    checks: JSON.parse(r.checks) as (AllocationCheck & { dimension: string })[],
    applied: r.id === applied,
  };
}

export function listVersions(db: Db): AllocationVersion[] {
  const applied = appliedVersionId(db);
  const rows = db.prepare('SELECT id, created, note, ruleset, checks, rows, seconds FROM alloc_version ORDER BY id DESC').all() as VersionRow[];
  return rows.map((r) => toVersion(r, applied));
}

export function getVersion(db: Db, id: number): { version: AllocationVersion; ruleSet: RuleSet } {
  const r = db.prepare('SELECT id, created, note, ruleset, checks, rows, seconds FROM alloc_version WHERE id = ?').get(id) as VersionRow | undefined;
  if (!r) throw new EngineError('not-found', `There is no allocation version ${id}`);
  return { version: toVersion(r, appliedVersionId(db)), ruleSet: parseSet(r.ruleset, `version ${id}`) };
}

export function appliedRuleSet(db: Db): RuleSet | null {
  const id = appliedVersionId(db);
  return id === null ? null : getVersion(db, id).ruleSet;
}

/** The draft: what was last saved, else the applied version's rules, else one Team dimension and no rules. */
export function readDraft(db: Db): RuleSet {
  const json = db.prepare("SELECT value FROM meta WHERE key = 'alloc_draft'").pluck().get() as string | undefined;
  if (json) return parseSet(json, 'the saved draft');
  return appliedRuleSet(db) ?? emptyRuleSet();
}

export function saveDraft(db: Db, set: RuleSet): void {
  briefWrite(db, (d) => {
    d.prepare("INSERT INTO meta (key, value) VALUES ('alloc_draft', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(set));
  });
}

export function diffVersions(db: Db, from: number, to: number | 'draft'): RuleSetChange[] {
  const before = getVersion(db, from).ruleSet;
  const after = to === 'draft' ? readDraft(db) : getVersion(db, to).ruleSet;
  return diffRuleSets(before, after);
}

export function readDrivers(db: Db): DriverRow[] {
  return db.prepare('SELECT driver, period, target, quantity FROM alloc_driver ORDER BY driver, period, target').all() as DriverRow[];
}

export function driverSummaries(db: Db): DriverSummary[] {
  const files = db.prepare('SELECT driver, file_name, imported_at, rows FROM alloc_driver_file ORDER BY driver').all() as {
    driver: string;
    file_name: string;
    imported_at: string;
    rows: number;
  }[];
  return files.map((f) => {
    const periods = db.prepare('SELECT DISTINCT period FROM alloc_driver WHERE driver = ? ORDER BY period').pluck().all(f.driver) as string[];
    const targets = db.prepare('SELECT count(DISTINCT target) FROM alloc_driver WHERE driver = ?').pluck().get(f.driver) as number;
    return { driver: f.driver, file: f.file_name, importedAt: f.imported_at, rows: f.rows, periods, targets };
  });
}

/** Replace one driver's data with a CSV file's rows, all or nothing. */
export function importDrivers(db: Db, driver: string, fileName: string, text: string): DriverSummary {
  const parsed = parseDriverCsv(driver, text);
  if (!parsed.ok) throw new EngineError('bad-file', `${fileName}: ${parsed.errors.join('; ')}`, parsed.errors);
  briefWrite(db, (d) => {
    d.prepare('DELETE FROM alloc_driver WHERE driver = ?').run(driver);
    const ins = d.prepare('INSERT INTO alloc_driver (driver, period, target, quantity) VALUES (?, ?, ?, ?)');
    for (const r of parsed.rows) ins.run(driver, r.period, r.target, r.quantity);
    d.prepare(
      `INSERT INTO alloc_driver_file (driver, file_name, imported_at, rows) VALUES (?, ?, ?, ?)
       ON CONFLICT (driver) DO UPDATE SET file_name = excluded.file_name, imported_at = excluded.imported_at, rows = excluded.rows`,
    ).run(driver, fileName, new Date().toISOString(), parsed.rows.length);
  });
  return driverSummaries(db).find((s) => s.driver === driver)!;
}

export function deleteDriver(db: Db, driver: string): boolean {
  return briefWrite(db, (d) => {
    d.prepare('DELETE FROM alloc_driver WHERE driver = ?').run(driver);
    return d.prepare('DELETE FROM alloc_driver_file WHERE driver = ?').run(driver).changes > 0;
  });
}

export function allocationState(db: Db): AllocationState {
  const draft = readDraft(db);
  const applied = appliedRuleSet(db);
  return {
    draft,
    dirty: applied === null ? draft.rules.length + draft.pools.length + draft.inherit.length > 0 : JSON.stringify(applied) !== JSON.stringify(draft),
    appliedVersion: appliedVersionId(db),
    versions: listVersions(db),
    drivers: driverSummaries(db),
  };
}

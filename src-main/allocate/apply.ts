// Apply: run a rule set over all history and store the result as a new version, in one IMMEDIATE transaction (an
// import cannot slip rows in between reading the spend and writing what it became; a failure leaves the previous
// version in place). Runs in the allocation worker.
import { fieldsRead } from '../../src-shared/allocate/rules';
import type { RuleSet } from '../../src-shared/allocate/ruleset';
import type { AllocationProgress } from '../../src-shared/api/allocation';
import type { Output } from '../../src-shared/api/contract';
import { EngineError } from '../engine/errors';
import { DictLookup } from '../explore/scope';
import type { Db } from '../store/workspace';
import { buildReaders, runAllocation } from './compute';
import { cubeAnswers, groupsFromCubeTable, groupsFromResourceRollup, groupsFromRows, resourceRollupAnswers, signatureColumns } from './groups';
import { cellsOf, checksOf, sigRowsOf } from './results';
import { dbResolver } from './resolver';
import { appliedVersionId, getVersion, readDrivers } from './store';

/**
 * `refresh`: run the applied version's own rule set again over the data as it is now (after an import) and replace its
 * result in place: the same version, applied to all of today's history. `set` is then ignored.
 */
export function applyAllocation(
  db: Db,
  set: RuleSet,
  note: string | undefined,
  progress: (p: AllocationProgress) => void,
  refresh = false,
): Output<'allocation.apply'> {
  const t0 = performance.now();
  return db
    .transaction(() => {
      const current = refresh ? appliedVersionId(db) : null;
      if (refresh && current === null) throw new EngineError('not-found', 'Nothing is applied: there is no allocation to refresh');
      if (current !== null) set = getVersion(db, current).ruleSet;
      const cols = signatureColumns(fieldsRead(set));
      const total = db.prepare('SELECT count(*) FROM cost_usage').pluck().get() as number;
      progress({ phase: 'grouping', rows: 0, totalRows: total });
      const groups = cubeAnswers(cols)
        ? groupsFromCubeTable(db, cols)
        : resourceRollupAnswers(cols)
          ? groupsFromResourceRollup(db)
          : groupsFromRows(db, cols, (rows) => progress({ phase: 'grouping', rows, totalRows: total }));
      progress({ phase: 'allocating', rows: total, totalRows: total });
      const readers = buildReaders(groups, dbResolver(db, new DictLookup(db)));
      const run = runAllocation(set, groups, readers, readDrivers(db));
      if (run.problems.length) throw new EngineError('bad-input', `The rule set cannot run: ${run.problems.map((p) => p.message).join('; ')}`, run.problems);
      progress({ phase: 'writing', rows: total, totalRows: total });
      const checks = run.dimensions.flatMap((d) => checksOf(d, 'billed').map((c) => ({ dimension: d.dimension, ...c })));
      const bad = checks.find((c) => c.difference !== 0);
      // cannot happen (the split is exact, a property test holds it); if it does, nothing is written
      if (bad) throw new EngineError('internal', `${bad.dimension}: allocated + unallocated differs from the original by ${bad.difference} ${bad.currency}`);
      db.prepare('DELETE FROM alloc_cell').run();
      db.prepare('DELETE FROM alloc_sig').run();
      const cell = db.prepare(
        'INSERT INTO alloc_cell (dim, month, currency, target, kind, source, billed, effective, list, contracted, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)',
      );
      for (const c of cellsOf(run))
        cell.run(c.dim, c.month, c.currency, c.target, c.kind, c.source, c.amounts.billed, c.amounts.effective, c.amounts.list, c.amounts.contracted);
      const sig = db.prepare('INSERT INTO alloc_sig (sig, dim, kind, value, source) VALUES (?, ?, ?, ?, ?)');
      for (const s of sigRowsOf(run, groups)) sig.run(s.sig, s.dim, s.kind, s.value, s.source);
      const seconds = (performance.now() - t0) / 1000;
      let id: number | bigint;
      if (current !== null) {
        db.prepare('UPDATE alloc_version SET checks = ?, sig_cols = ?, rows = ?, seconds = ?, source = ? WHERE id = ?').run(
          JSON.stringify(checks),
          JSON.stringify(cols),
          groups.totalRows,
          seconds,
          groups.source,
          current,
        );
        id = current;
      } else {
        id = db
          .prepare('INSERT INTO alloc_version (created, note, ruleset, checks, sig_cols, rows, seconds, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(new Date().toISOString(), note ?? null, JSON.stringify(set), JSON.stringify(checks), JSON.stringify(cols), groups.totalRows, seconds, groups.source)
          .lastInsertRowid as number | bigint;
        db.prepare("INSERT INTO meta (key, value) VALUES ('alloc_draft', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(set));
      }
      progress({ phase: 'done', rows: total, totalRows: total });
      return {
        version: Number(id),
        rows: groups.totalRows,
        seconds: Math.round(seconds * 1000) / 1000,
        rowsPerSec: seconds > 0 ? Math.round(groups.totalRows / seconds) : groups.totalRows,
        source: groups.source,
        checks,
      };
    })
    .immediate();
}

// Small writes from the engine's own thread (saved views, allocation drafts and driver data). An import holds the
// workspace's write lock for its whole transaction; waiting out the connection's long busy timeout would freeze the
// engine's thread (better-sqlite3 waits synchronously), so a small write gives up soon and says why.
import { EngineError } from '../engine/errors';
import type { Db } from './workspace';

const WRITE_WAIT_MS = 250;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Run `fn` in one IMMEDIATE transaction (check and write see the same rows), waiting only briefly for the lock. */
export function briefWrite<T>(db: Db, fn: (db: Db) => T): T {
  const before = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${WRITE_WAIT_MS}`);
  try {
    return db.transaction(() => fn(db)).immediate();
  } catch (e) {
    if (isBusy(e)) throw new EngineError('busy', 'The workspace is busy writing an import: try again when the import has finished');
    throw e;
  } finally {
    db.pragma(`busy_timeout = ${before}`);
  }
}

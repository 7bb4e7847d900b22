import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';
import { EngineError } from '../engine/errors';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when it does not exist (otherwise a missing file is an error). */
  create?: boolean;
  /** Path to a better_sqlite3.node built for another runtime (Electron). */
  nativeBinding?: string;
}

export const WORKSPACE_EXTENSION = '.meterbook';

/** Open a workspace file: WAL, foreign keys, migrations applied in one transaction. */
export function openWorkspace(file: string, opts: OpenOptions = {}): Db {
  const exists = fs.existsSync(file);
  if (!exists && !opts.create) {
    throw new EngineError('not-found', `Workspace ${file} does not exist`);
  }
  if (!exists) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, {
      readonly: Boolean(opts.readonly),
      fileMustExist: !opts.create,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
  } catch (e) {
    throw new EngineError('bad-file', `${file} cannot be opened as a workspace: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.pragma('mmap_size = 268435456');
    checkIsWorkspace(db, file);
    if (!opts.readonly) migrate(db, file);
    else assertKnownVersion(db, file);
  } catch (e) {
    db.close();
    if (e instanceof EngineError) throw e;
    throw new EngineError('bad-file', `${file} is not a Meterbook workspace (${(e as Error).message})`);
  }
  return db;
}

function checkIsWorkspace(db: Db, file: string): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    throw new EngineError('bad-file', `${file} is not a Meterbook workspace (${(e as Error).message})`);
  }
}

function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function assertKnownVersion(db: Db, file: string): void {
  const v = userVersion(db);
  if (v > MIGRATIONS.length) {
    throw new EngineError(
      'workspace-too-new',
      `${file} was written by a newer Meterbook (schema version ${v}; this version knows up to ${MIGRATIONS.length}). Update Meterbook to open it.`,
    );
  }
}

export function migrate(db: Db, file: string): void {
  assertKnownVersion(db, file);
  const from = userVersion(db);
  if (from === MIGRATIONS.length) return;
  if (from === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) throw new EngineError('bad-file', `${file} is an SQLite file but not a Meterbook workspace`);
  }
  const apply = db.transaction(() => {
    for (let i = from; i < MIGRATIONS.length; i++) {
      db.exec(MIGRATIONS[i]!.sql);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  apply();
}

export function schemaVersion(): number {
  return MIGRATIONS.length;
}

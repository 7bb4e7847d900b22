// The open workspace (its summary, import history and reports) and the recent list. One workspace is open at a time
// per engine; explore queries run in the query worker on their own connection.
import fs from 'node:fs';
import path from 'node:path';
import type { ConformanceReport, ImportRecord, RecentWorkspace, WorkspaceInfo } from '../../src-shared/api/contract';
import { isoDay } from '../ingest/datetime';
import { openWorkspace, WORKSPACE_EXTENSION, type Db } from '../store/workspace';
import { EngineError } from './errors';

const RECENT_FILE = 'recent.json';
const RECENT_MAX = 12;
export const DEMO_FILE = `demo${WORKSPACE_EXTENSION}`;

interface Open {
  path: string;
  db: Db;
}

export function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'workspace'
  );
}

export class Workspaces {
  private current: Open | null = null;

  constructor(
    readonly dataDir: string,
    private readonly nativeBinding: string | undefined,
    private readonly changed: (ws: WorkspaceInfo | null) => void,
  ) {}

  get path(): string | null {
    return this.current?.path ?? null;
  }

  requirePath(): string {
    if (!this.current) throw new EngineError('no-workspace', 'No workspace is open: create or open one first');
    return this.current.path;
  }

  private db(): Db {
    if (!this.current) throw new EngineError('no-workspace', 'No workspace is open: create or open one first');
    return this.current.db;
  }

  /** The open workspace's own connection: for small, fast reads and writes on the engine's thread (saved views). */
  requireDb(): Db {
    return this.db();
  }

  open(file: string, opts: { create: boolean; name?: string }): WorkspaceInfo {
    const db = openWorkspace(file, { create: opts.create, ...(this.nativeBinding ? { nativeBinding: this.nativeBinding } : {}) });
    if (opts.name) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('name', ?)").run(opts.name);
    this.closeCurrent();
    this.current = { path: file, db };
    this.remember(file);
    const info = this.info();
    this.changed(info);
    return info;
  }

  create(name: string, file?: string): WorkspaceInfo {
    const target = path.resolve(file ?? path.join(this.dataDir, 'workspaces', `${slug(name)}${WORKSPACE_EXTENSION}`));
    if (fs.existsSync(target)) {
      throw new EngineError('exists', `A workspace already exists at ${target}; open it or choose another name`);
    }
    return this.open(target, { create: true, name });
  }

  /** Refresh after an import committed in another connection. */
  refreshed(): WorkspaceInfo | null {
    const info = this.currentInfo();
    this.changed(info);
    return info;
  }

  currentInfo(): WorkspaceInfo | null {
    return this.current ? this.info() : null;
  }

  private info(): WorkspaceInfo {
    const { db, path: file } = this.current!;
    const name = (db.prepare("SELECT value FROM meta WHERE key = 'name'").pluck().get() as string | undefined) ?? path.basename(file, WORKSPACE_EXTENSION);
    const agg = db.prepare('SELECT coalesce(sum(rows), 0) AS rows, min(day) AS lo, max(day) AS hi FROM rollup_dim WHERE dim = 0').get() as {
      rows: number;
      lo: number | null;
      hi: number | null;
    };
    const { imports, revision } = db
      .prepare('SELECT count(*) FILTER (WHERE active = 1) AS imports, coalesce(max(id), 0) AS revision FROM import_file')
      .get() as { imports: number; revision: number };
    const currencies = db
      .prepare('SELECT DISTINCT d.value FROM rollup_dim r JOIN dict d ON d.id = r.currency WHERE r.dim = 0 ORDER BY 1')
      .pluck()
      .all() as string[];
    return {
      path: file,
      name,
      isDemo: path.basename(file) === DEMO_FILE && path.dirname(file) === path.resolve(this.dataDir),
      rows: agg.rows,
      imports,
      revision,
      firstDay: agg.lo === null ? null : isoDay(agg.lo),
      lastDay: agg.hi === null ? null : isoDay(agg.hi),
      currencies,
    };
  }

  imports(): ImportRecord[] {
    const rows = this.db()
      .prepare(
        `SELECT id, file_name, imported_at, rows, focus_version, action, pass, fail, skip FROM import_file
         WHERE active = 1 ORDER BY id DESC`,
      )
      .all() as { id: number; file_name: string; imported_at: string; rows: number; focus_version: string; action: string; pass: number; fail: number; skip: number }[];
    return rows.map((r) => ({
      importFileId: r.id,
      file: r.file_name,
      importedAt: r.imported_at,
      rows: r.rows,
      focusVersion: r.focus_version,
      action: r.action,
      conformance: { pass: r.pass, fail: r.fail, skip: r.skip },
    }));
  }

  report(importFileId: number): ConformanceReport {
    const text = this.db().prepare('SELECT conformance FROM import_file WHERE id = ?').pluck().get(importFileId) as string | undefined;
    if (text === undefined) throw new EngineError('not-found', `No imported file with id ${importFileId}`);
    return JSON.parse(text) as ConformanceReport;
  }

  recent(): RecentWorkspace[] {
    return this.readRecent().map((r) => ({ ...r, exists: fs.existsSync(r.path) }));
  }

  private readRecent(): { path: string; name: string; lastOpened: string }[] {
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(this.dataDir, RECENT_FILE), 'utf8')) as unknown;
      return Array.isArray(parsed) ? (parsed as { path: string; name: string; lastOpened: string }[]) : [];
    } catch {
      return [];
    }
  }

  private remember(file: string): void {
    const name = path.basename(file, WORKSPACE_EXTENSION);
    const list = [{ path: file, name, lastOpened: new Date().toISOString() }, ...this.readRecent().filter((r) => r.path !== file)].slice(0, RECENT_MAX);
    const target = path.join(this.dataDir, RECENT_FILE);
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(list, null, 2));
    fs.renameSync(tmp, target);
  }

  private closeCurrent(): void {
    if (this.current) {
      this.current.db.close();
      this.current = null;
    }
  }

  close(): void {
    this.closeCurrent();
  }
}

// Saved views: named screens with their explore state, kept in the workspace file (table saved_view) because their
// filters and columns only mean something for that workspace's data. A handful of small rows: read and written on
// the engine's own connection, no worker.
import { SavedViewDefinitionSchema, type SavedView, type SavedViewDefinition } from '../../src-shared/api/contract';
import type { Db } from '../store/workspace';
import { EngineError } from './errors';
import { briefWrite } from '../store/brief-write';

interface Row {
  id: number;
  name: string;
  definition: string;
  created: string;
  updated: string;
}

const COLUMNS = 'id, name, definition, created, updated';

/** A stored definition this version cannot read (written by a newer Meterbook, or edited by hand) is reported, not dropped. */
function toView(row: Row): SavedView {
  const base = { id: row.id, name: row.name, created: row.created, updated: row.updated };
  let json: unknown;
  try {
    json = JSON.parse(row.definition);
  } catch (e) {
    return { ...base, definition: null, problem: `its definition is not JSON (${(e as Error).message})` };
  }
  const parsed = SavedViewDefinitionSchema.safeParse(json);
  if (parsed.success) return { ...base, definition: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ...base, definition: null, problem: `this version of Meterbook cannot read it (${where}${issue?.message ?? 'invalid'})` };
}

export class SavedViews {
  constructor(private readonly db: () => Db) {}

  list(): SavedView[] {
    const rows = this.db().prepare(`SELECT ${COLUMNS} FROM saved_view ORDER BY name, id`).all() as Row[];
    return rows.map(toView);
  }

  save(name: string, definition: SavedViewDefinition, overwrite: boolean): SavedView {
    return this.write((db) => {
      const json = JSON.stringify(definition);
      const now = new Date().toISOString();
      const existing = this.byName(db, name);
      if (existing) {
        if (!overwrite) {
          throw new EngineError('exists', `A view named “${existing.name}” already exists: replace it or choose another name`, {
            id: existing.id,
            name: existing.name,
          });
        }
        db.prepare('UPDATE saved_view SET name = ?, definition = ?, updated = ? WHERE id = ?').run(name, json, now, existing.id);
        return this.get(db, existing.id);
      }
      const r = db.prepare('INSERT INTO saved_view (name, definition, created, updated) VALUES (?, ?, ?, ?)').run(name, json, now, now);
      return this.get(db, Number(r.lastInsertRowid));
    });
  }

  rename(id: number, name: string): SavedView {
    return this.write((db) => {
      const view = this.get(db, id);
      const other = this.byName(db, name);
      if (other && other.id !== id) {
        throw new EngineError('exists', `Another view is already named “${other.name}”: choose another name`, { id: other.id, name: other.name });
      }
      if (view.name === name) return view;
      db.prepare('UPDATE saved_view SET name = ?, updated = ? WHERE id = ?').run(name, new Date().toISOString(), id);
      return this.get(db, id);
    });
  }

  delete(id: number): SavedView {
    return this.write((db) => {
      const view = this.get(db, id);
      db.prepare('DELETE FROM saved_view WHERE id = ?').run(id);
      return view;
    });
  }

  private get(db: Db, id: number): SavedView {
    const row = db.prepare(`SELECT ${COLUMNS} FROM saved_view WHERE id = ?`).get(id) as Row | undefined;
    if (!row) throw new EngineError('not-found', `No saved view with id ${id}: it may have been deleted; reload the list`);
    return toView(row);
  }

  private byName(db: Db, name: string): { id: number; name: string } | undefined {
    return db.prepare('SELECT id, name FROM saved_view WHERE name = ?').get(name) as { id: number; name: string } | undefined;
  }

  private write<T>(fn: (db: Db) => T): T {
    return briefWrite(this.db(), fn);
  }
}

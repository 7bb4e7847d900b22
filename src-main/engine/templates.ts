// Mapping-studio templates, kept in the user data directory (templates.json) so a mapping made for one client's
// export is there for the next workspace too. Written atomically (temp file + rename): a crash never leaves half a file.
import fs from 'node:fs';
import path from 'node:path';
import { MappingTemplateSchema, type MappingTemplate } from '../../src-shared/api/contract';
import { z } from 'zod';

const FILE = 'templates.json';

export class TemplateStore {
  constructor(private readonly dataDir: string) {}

  private get file(): string {
    return path.join(this.dataDir, FILE);
  }

  list(): MappingTemplate[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const parsed = z.array(MappingTemplateSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  }

  private write(all: MappingTemplate[]): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
  }

  save(t: MappingTemplate): MappingTemplate {
    const all = this.list().filter((x) => x.id !== t.id);
    all.push(t);
    this.write(all);
    return t;
  }

  saveMany(ts: MappingTemplate[]): number {
    const ids = new Set(ts.map((t) => t.id));
    this.write([...this.list().filter((x) => !ids.has(x.id)), ...ts]);
    return ts.length;
  }

  delete(id: string): boolean {
    const all = this.list();
    const kept = all.filter((x) => x.id !== id);
    if (kept.length === all.length) return false;
    this.write(kept);
    return true;
  }
}

// A default destination for an export: the user's Downloads folder (else home), named after the workspace and the
// day, never an existing path (an export refuses to overwrite without being told to).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function downloadsDir(home: string = os.homedir()): string {
  const downloads = path.join(home, 'Downloads');
  try {
    if (fs.statSync(downloads).isDirectory()) return downloads;
  } catch {
    // no Downloads folder: home it is
  }
  return home;
}

/** "Demo company" → "demo-company": safe on every file system. */
function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60);
  return s || 'export';
}

export function exportTarget(format: 'csv' | 'parquet', name: string | undefined, dir: string = downloadsDir(), today = new Date()): { path: string } {
  const day = today.toISOString().slice(0, 10);
  const base = `meterbook-${slug(name ?? 'export')}-${day}`;
  const ext = format === 'csv' ? '.csv' : '-parquet';
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}${ext}`);
    if (!fs.existsSync(candidate)) return { path: candidate };
  }
}

// What the user gave → the bill files of one delivery. A folder stands for every file under it (sorted, so a job is
// the same whatever order the file system lists them in); a ZIP archive for every entry in it, unpacked to a private
// temporary folder for the length of the job. Metadata files that travel with exports (AWS and Azure manifests, Spark
// markers, hidden files) are set aside by name: they describe bills, they are not bills.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { EngineError } from '../engine/errors';
import type { ImportFileInput } from './import-job';

export interface ExpandedInputs {
  files: ImportFileInput[];
  /** Files set aside as export metadata (reported, never imported). */
  skipped: string[];
  /** Snapshot folders the export's manifests name as current (AWS CUR `assemblyId`). */
  preferredSnapshots: string[];
  /** Removes unpacked archives. */
  cleanup(): Promise<void>;
}

/** Export metadata: AWS `<report>-Manifest.json`, Azure `manifest.json`, Spark `_SUCCESS` and `.crc`, hidden files. */
export function isExportMetadata(name: string): boolean {
  const base = path.basename(name);
  return (
    base.startsWith('.') ||
    base.startsWith('_') ||
    /manifest\.json$/i.test(base) ||
    /\.crc$/i.test(base) ||
    /^(readme|license)(\.\w+)?$/i.test(base) ||
    base === 'Thumbs.db'
  );
}

async function isZip(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return bytesRead === 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4;
  } finally {
    await fh.close();
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...(await walk(p)));
    } else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip))),
  );
}

/** Unpack every file entry of a ZIP into `into`; returns [entry name, unpacked path] in archive order. */
async function unzip(file: string, name: string, into: string): Promise<[string, string][]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (e) {
    throw new EngineError('bad-file', `${name}: the ZIP archive cannot be read (${(e as Error).message})`, { file: name });
  }
  const out: [string, string][] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) {
          zip.readEntry();
          return;
        }
        // entry names are untrusted: keep them inside `into`
        const rel = path.normalize(entry.fileName).replace(/^(\.\.(\/|\\|$))+/, '');
        const dest = path.join(into, String(out.length), path.basename(rel));
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) {
            reject(err ?? new Error(`cannot read ${entry.fileName}`));
            return;
          }
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          pipeline(stream, fs.createWriteStream(dest))
            .then(() => {
              const t = entry.getLastModDate();
              fs.utimesSync(dest, t, t);
              out.push([entry.fileName, dest]);
              zip.readEntry();
            })
            .catch(reject);
        });
      });
      zip.readEntry();
    });
  } catch (e) {
    throw new EngineError('bad-file', `${name}: the ZIP archive is damaged (${(e as Error).message})`, { file: name });
  } finally {
    zip.close();
  }
  return out;
}

export async function expandInputs(inputs: readonly ImportFileInput[]): Promise<ExpandedInputs> {
  const files: ImportFileInput[] = [];
  const skipped: string[] = [];
  const preferredSnapshots: string[] = [];
  const temps: string[] = [];
  /** AWS legacy CUR manifests name the assembly folder holding the current snapshot of the month. */
  const readManifest = async (p: string): Promise<void> => {
    if (!/manifest\.json$/i.test(p)) return;
    try {
      const m = JSON.parse(await fs.promises.readFile(p, 'utf8')) as { assemblyId?: unknown };
      if (typeof m.assemblyId === 'string' && m.assemblyId !== '') preferredSnapshots.push(m.assemblyId);
    } catch {
      // not a manifest we understand: it stays set aside
    }
  };
  const cleanup = async () => {
    for (const t of temps) await fs.promises.rm(t, { recursive: true, force: true });
  };
  try {
    const addFile = async (p: string, name: string, fromFolder: boolean): Promise<void> => {
      if (fromFolder && isExportMetadata(name)) {
        skipped.push(name);
        await readManifest(p);
        return;
      }
      if (await isZip(p)) {
        const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'meterbook-zip-'));
        temps.push(tmp);
        for (const [entry, unpacked] of await unzip(p, name, tmp)) {
          const entryName = `${name}/${entry}`;
          if (isExportMetadata(entry)) {
            skipped.push(entryName);
            await readManifest(unpacked);
          } else files.push({ path: unpacked, name: entryName });
        }
        return;
      }
      files.push({ path: p, name });
    };
    for (const input of inputs) {
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(input.path);
      } catch {
        throw new EngineError('not-found', `${input.name}: file not found (${input.path})`);
      }
      if (st.isDirectory()) {
        const all = await walk(input.path);
        const before = files.length;
        for (const p of all) await addFile(p, `${input.name}/${path.relative(input.path, p).split(path.sep).join('/')}`, true);
        if (files.length === before) throw new EngineError('bad-file', `${input.name} is a folder with no bill files in it`);
      } else {
        // a file picked as part of a folder (its name keeps the folders) is treated like a file found in one
        await addFile(input.path, input.name, input.name.includes('/'));
      }
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { files, skipped, preferredSnapshots, cleanup };
}

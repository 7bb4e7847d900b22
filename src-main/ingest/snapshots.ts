// Snapshot awareness. Some exports write the whole month again into a new folder every day (AWS CUR assembly
// folders, Azure export runs, Data Exports "create new report"): importing all of them adds the month once per
// snapshot. Within one delivery, files that cover exactly the same billing periods of the same issuer and account
// but sit in different folders are snapshots of each other, and only the latest folder is kept. Files in the same
// folder are parts of one snapshot (part-0, part-1, …) unless their rows say otherwise: daily snapshots downloaded
// loose into one folder repeat each other's rows, which the parts of one export never do (see row-sample.ts).
import path from 'node:path';
import { coverage, type RowSample } from './row-sample';

export interface SnapshotCandidate {
  /** Key of the file in the caller's list. */
  id: number;
  /** Display name, with the folders it came from ("export/20231101-20231201/asm-2/report-1.csv.gz"). */
  name: string;
  /** Modification time (ms) of the file, used to tell which folder is latest. */
  mtimeMs: number;
  /** The (issuer, account, billing period) keys its rows cover. */
  periodKeys: readonly number[];
  /** Fingerprints of its rows (Cost and Usage files), to find loose copies within a folder. */
  sample?: RowSample;
  /** Last charge day its rows reach, and its row count: a later snapshot reaches further or holds more. */
  maxDay?: number;
  rows?: number;
}

export interface SnapshotGroup {
  /** Billing period keys the copies share. */
  periodKeys: number[];
  /** What a copy is: a folder of files, or a single file among others in one folder. */
  unit: 'folder' | 'file';
  /** Folders holding a copy of these periods (the kept one first); for file copies, the folder they share. */
  folders: string[];
  /** How many times over the periods would have been counted with every copy added. */
  copies: number;
  kept: number[];
  dropped: number[];
}

/** Share of an older file's rows that later files must hold for it to count as their copy. */
const COPY_COVERAGE = 0.5;

export const folderOf = (name: string): string => path.posix.dirname(name.split(path.sep).join('/'));

/**
 * Groups files into snapshots and picks the latest folder of each group. Folders are the unit: the files of one
 * folder are parts of one copy. Two folders whose files cover any of the same (issuer, account, billing period) keys
 * hold copies of the same periods (a month grows from snapshot to snapshot, so the key sets need not be equal).
 * Pure: the caller deletes what is dropped.
 */
export function findSnapshots(files: readonly SnapshotCandidate[], preferred: readonly string[] = []): SnapshotGroup[] {
  const loose = findLooseCopies(files);
  const droppedLoose = new Set(loose.flatMap((g) => g.dropped));
  return [...loose, ...findFolderSnapshots(files.filter((f) => !droppedLoose.has(f.id)), preferred)];
}

/**
 * Older snapshots lying in one folder with a later one. Latest first (furthest charge day, then most rows, newest
 * file, last name), each file is kept unless the kept files sharing its billing periods already hold most of its
 * rows: then it is an older copy. Parts of one export share no rows, so they are all kept.
 */
function findLooseCopies(files: readonly SnapshotCandidate[]): SnapshotGroup[] {
  const byFolder = new Map<string, SnapshotCandidate[]>();
  for (const f of files) {
    if (f.periodKeys.length === 0 || f.sample === undefined) continue;
    const d = folderOf(f.name);
    byFolder.set(d, [...(byFolder.get(d) ?? []), f]);
  }
  const groups: SnapshotGroup[] = [];
  for (const [folder, members] of byFolder) {
    if (members.length < 2) continue;
    const ranked = [...members].sort(
      (a, b) => (b.maxDay ?? 0) - (a.maxDay ?? 0) || (b.rows ?? 0) - (a.rows ?? 0) || b.mtimeMs - a.mtimeMs || (b.name < a.name ? -1 : b.name > a.name ? 1 : 0),
    );
    const kept: SnapshotCandidate[] = [];
    const dropped: SnapshotCandidate[] = [];
    const coveringKept = new Set<SnapshotCandidate>();
    for (const f of ranked) {
      const keys = new Set(f.periodKeys);
      const sharing = kept.filter((k) => k.periodKeys.some((x) => keys.has(x)));
      const share = sharing.length > 0 ? coverage(f.sample!, sharing.map((k) => k.sample!)) : null;
      if (share !== null && share >= COPY_COVERAGE) {
        dropped.push(f);
        for (const k of sharing) coveringKept.add(k);
      } else kept.push(f);
    }
    if (dropped.length === 0) continue;
    const keys = new Set<number>();
    for (const f of dropped) for (const k of f.periodKeys) keys.add(k);
    const keptIds = [...coveringKept].map((f) => f.id);
    groups.push({
      periodKeys: [...keys].sort((a, b) => a - b),
      unit: 'file',
      folders: [folder],
      // the kept files may be parts of one snapshot: count snapshots, not files
      copies: 1 + Math.max(1, Math.round(dropped.length / keptIds.length)),
      kept: keptIds,
      dropped: dropped.map((f) => f.id),
    });
  }
  return groups;
}

function findFolderSnapshots(files: readonly SnapshotCandidate[], preferred: readonly string[]): SnapshotGroup[] {
  const folders = new Map<string, { files: SnapshotCandidate[]; keys: Set<number> }>();
  for (const f of files) {
    if (f.periodKeys.length === 0) continue;
    const d = folderOf(f.name);
    const entry = folders.get(d) ?? { files: [], keys: new Set<number>() };
    entry.files.push(f);
    for (const k of f.periodKeys) entry.keys.add(k);
    folders.set(d, entry);
  }
  // union folders that share a period key
  const names = [...folders.keys()];
  const parent = new Map(names.map((n) => [n, n]));
  const find = (n: string): string => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  const ownerOfKey = new Map<number, string>();
  for (const n of names) {
    for (const k of folders.get(n)!.keys) {
      const other = ownerOfKey.get(k);
      if (other === undefined) ownerOfKey.set(k, n);
      else parent.set(find(n), find(other));
    }
  }
  const components = new Map<string, string[]>();
  for (const n of names) {
    const r = find(n);
    components.set(r, [...(components.get(r) ?? []), n]);
  }
  const named = (d: string): boolean => preferred.some((p) => d.split('/').includes(p));
  const newest = (d: string): number => Math.max(...folders.get(d)!.files.map((f) => f.mtimeMs));
  const groups: SnapshotGroup[] = [];
  for (const members of components.values()) {
    if (members.length < 2) continue;
    // latest folder: the one a manifest names (AWS assemblyId), else the one with the newest file; ties broken by
    // folder name (dated folder names sort by date)
    const ranked = [...members].sort((a, b) => {
      if (named(a) !== named(b)) return named(a) ? -1 : 1;
      return newest(b) - newest(a) || (b < a ? -1 : b > a ? 1 : 0);
    });
    const keys = new Set<number>();
    for (const m of members) for (const k of folders.get(m)!.keys) keys.add(k);
    groups.push({
      periodKeys: [...keys].sort((a, b) => a - b),
      unit: 'folder',
      folders: ranked,
      copies: ranked.length,
      kept: folders.get(ranked[0]!)!.files.map((f) => f.id),
      dropped: ranked.slice(1).flatMap((d) => folders.get(d)!.files.map((f) => f.id)),
    });
  }
  return groups;
}

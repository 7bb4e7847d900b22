// Snapshot awareness. Some exports write the whole month again into a new folder every day (AWS CUR assembly
// folders, Azure export runs, Data Exports "create new report"): importing all of them adds the month once per
// snapshot. Within one delivery, files that cover exactly the same billing periods of the same issuer and account
// but sit in different folders are snapshots of each other, and only the latest folder is kept. Files in the same
// folder are parts of one snapshot (part-0, part-1, …) and always stay together.
import path from 'node:path';

export interface SnapshotCandidate {
  /** Key of the file in the caller's list. */
  id: number;
  /** Display name, with the folders it came from ("export/20231101-20231201/asm-2/report-1.csv.gz"). */
  name: string;
  /** Modification time (ms) of the file, used to tell which folder is latest. */
  mtimeMs: number;
  /** The (issuer, account, billing period) keys its rows cover. */
  periodKeys: readonly number[];
}

export interface SnapshotGroup {
  /** Billing period keys the copies share. */
  periodKeys: number[];
  /** Folders holding a copy of these periods; the kept one first. */
  folders: string[];
  kept: number[];
  dropped: number[];
}

const folderOf = (name: string): string => path.posix.dirname(name.split(path.sep).join('/'));

/**
 * Groups files into snapshots and picks the latest folder of each group. Folders are the unit: the files of one
 * folder are parts of one copy. Two folders whose files cover any of the same (issuer, account, billing period) keys
 * hold copies of the same periods (a month grows from snapshot to snapshot, so the key sets need not be equal).
 * Pure: the caller deletes what is dropped.
 */
export function findSnapshots(files: readonly SnapshotCandidate[], preferred: readonly string[] = []): SnapshotGroup[] {
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
      folders: ranked,
      kept: folders.get(ranked[0]!)!.files.map((f) => f.id),
      dropped: ranked.slice(1).flatMap((d) => folders.get(d)!.files.map((f) => f.id)),
    });
  }
  return groups;
}

// Stored ids → the text rules compare against, read from the workspace's dictionary and tag tables in batches.
import type { DictLookup } from '../explore/scope';
import type { Db } from '../store/workspace';
import type { ValueResolver } from './compute';

export function dbResolver(db: Db, dict: DictLookup): ValueResolver {
  const tagRows = db.prepare(
    `SELECT t.tagset, k.value, v.value FROM tag t JOIN dict k ON k.id = t.key JOIN dict v ON v.id = t.value
     WHERE t.tagset IN (SELECT value FROM json_each(?))`,
  ).raw();
  return {
    texts: (ids) => dict.values(ids),
    tagsets(ids) {
      const list = [...new Set(ids)];
      const out = new Map<number, Map<string, string>>();
      for (let i = 0; i < list.length; i += 5000)
        for (const [set, key, value] of tagRows.all(JSON.stringify(list.slice(i, i + 5000))) as [number, string, string][]) {
          let m = out.get(set);
          if (!m) out.set(set, (m = new Map()));
          m.set(key, value);
        }
      return out;
    },
  };
}

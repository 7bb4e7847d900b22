// Worker thread: answers explore queries on its own connection, so no query ever blocks a host's main thread.
import { parentPort } from 'node:worker_threads';
import { toApiError } from '../engine/errors';
import { ExploreQueries } from '../explore/query';
import { openWorkspace, type Db } from '../store/workspace';
import type { QueryRequest, QueryResponse } from '../explore/query-protocol';

const port = parentPort!;
let open: { path: string; db: Db; queries: ExploreQueries } | null = null;

function queriesFor(path: string, nativeBinding?: string): ExploreQueries {
  if (open?.path !== path) {
    open?.db.close();
    const db = openWorkspace(path, nativeBinding ? { nativeBinding } : {});
    open = { path, db, queries: new ExploreQueries(db) };
  }
  return open.queries;
}

port.on('message', (req: QueryRequest) => {
  let res: QueryResponse;
  try {
    if (req.method === 'close') {
      open?.db.close();
      open = null;
      res = { id: req.id, ok: true, value: null };
    } else {
      const q = queriesFor(req.workspacePath, req.nativeBinding);
      const value = (q[req.method] as (i: unknown) => unknown).call(q, req.input);
      res = { id: req.id, ok: true, value };
    }
  } catch (e) {
    res = { id: req.id, ok: false, error: toApiError(e) };
  }
  port.postMessage(res);
});

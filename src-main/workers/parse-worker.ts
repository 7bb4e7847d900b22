// Worker thread: parses one file and streams encoded batches to its parent, at most MAX_IN_FLIGHT unacknowledged.
import { parentPort, workerData } from 'node:worker_threads';
import { parseFile } from '../ingest/parse-file';
import type { ParseControl, ParseMessage, ParseRequest } from '../ingest/parse-protocol';

const MAX_IN_FLIGHT = 4;
const port = parentPort!;
const req = (workerData as { request: ParseRequest }).request;

let inFlight = 0;
let cancelled = false;
let wake: (() => void) | null = null;

port.on('message', (m: ParseControl) => {
  if (m.type === 'ack') inFlight--;
  else if (m.type === 'cancel') cancelled = true;
  if (wake) {
    const w = wake;
    wake = null;
    w();
  }
});

await parseFile(req, {
  post(msg: ParseMessage, transfer?: ArrayBuffer[]) {
    if (msg.type === 'batch' || msg.type === 'rows') inFlight++;
    port.postMessage(msg, transfer ?? []);
  },
  async ready() {
    while (inFlight >= MAX_IN_FLIGHT && !cancelled) {
      await new Promise<void>((r) => (wake = r));
    }
  },
  cancelled: () => cancelled,
});
port.close();

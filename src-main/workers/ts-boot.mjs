// Plain-JS entry for worker threads when running from TypeScript sources (CLI, serve, tests): registers tsx's
// loader in this thread, then loads the real entry. Node 20 does not carry --import loaders into workers reliably.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);

// One import in a process of its own, for the benchmark's format rounds: its peak RSS is this import's alone, not
// what earlier imports in a long-lived process left behind. Prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { runImport } from '../../src-main/ingest/import-runner';

const [file, ws] = process.argv.slice(2) as [string, string];
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(ws + suffix, { force: true });
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
const t0 = Date.now();
const outcome = await runImport({ workspacePath: ws, files: [{ path: file, name: path.basename(file) }], mode: 'ask' });
const seconds = (Date.now() - t0) / 1000;
clearInterval(sampler);
const f = outcome.status === 'done' ? outcome.files[0] : undefined;
console.log(JSON.stringify({ status: outcome.status, seconds, rows: f?.rows ?? 0, format: f?.format ?? null, peakRss: peak, outcome: outcome.status === 'done' ? undefined : outcome }));

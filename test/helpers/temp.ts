import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'meterbook-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const FIXTURES = path.resolve(__dirname, '../fixtures');
export const SAMPLE_1000 = path.join(FIXTURES, 'focus', 'focus-1.0_sample_1000.csv');

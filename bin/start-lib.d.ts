// Types for bin/start-lib.js (plain JS so `npm start` needs no TypeScript), used by test/unit/start-script.test.ts.

export type ElectronBinary =
  | { state: 'present'; executable: string }
  | { state: 'no-package' }
  | { state: 'no-path-txt' }
  | { state: 'no-binary'; executable: string };

export type StartPlan = { mode: 'electron'; executable: string } | { mode: 'browser'; reason: string; message: string };

export function electronBinary(electronDir: string): ElectronBinary;

export function planStart(opts: {
  electronDir: string;
  env?: Record<string, string | undefined>;
  platform?: string;
  install?: () => boolean;
}): StartPlan;

import envPaths from 'env-paths';

/** Where Meterbook keeps workspaces, uploads and the recent list: MB_DATA_DIR, else the OS's user data directory. */
export function defaultDataDir(): string {
  return process.env.MB_DATA_DIR || envPaths('Meterbook', { suffix: '' }).data;
}

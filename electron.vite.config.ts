// Build of the desktop app: `electron-vite build` (and `electron-vite preview`, which `npm start` uses).
//
//   out/main/index.js            Electron main process (src-main/electron/main.ts), ESM
//   out/main/import-worker.js    worker_threads entries (src-main/workers/*.ts), ESM; the engine finds them with
//   out/main/parse-worker.js       new URL('./import-worker.js', import.meta.url)
//   out/main/query-worker.js
//   out/main/export-worker.js
//   out/main/allocate-worker.js
//   out/main/<name>-<hash>.js    chunks shared by the entries above; kept flat in out/main (never in a subfolder) so
//                                that every `import.meta.url` in the main bundle points into out/main
//   out/preload/preload.cjs      sandboxed preload (src-main/electron/preload.ts), one self-contained CommonJS file
//   out/renderer/index.html      the React renderer (src-renderer/)
//
// How the bundle finds `resources/` (FOCUS model, demo recipe): it is NOT copied. Every main-bundle file sits at
// out/main/<file>.js, two folders below the repository root, exactly like a source file at src-main/<folder>/<file>.ts.
// So `new URL('../../resources/focus/model-1.2.json', import.meta.url)` written in a src-main/<folder>/ file resolves
// to <root>/resources/focus/model-1.2.json both from source (tsx, vitest) and from the bundle. Vite leaves such
// `new URL(…, import.meta.url)` expressions untouched in main/SSR builds (its asset and worker URL rewriting only runs
// for client builds), and main chunks are forced flat (chunkFileNames below) to keep the depth at two.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (p: string): string => resolve(root, p);

export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      // Every `dependencies` entry of package.json stays external (electron-vite default) and is loaded from
      // node_modules at run time; better-sqlite3 (native) must never be bundled, so it is named explicitly too.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: at('src-main/electron/main.ts'),
          'import-worker': at('src-main/workers/import-worker.ts'),
          'parse-worker': at('src-main/workers/parse-worker.ts'),
          'query-worker': at('src-main/workers/query-worker.ts'),
          'export-worker': at('src-main/workers/export-worker.ts'),
          'allocate-worker': at('src-main/workers/allocate-worker.ts'),
        },
        external: ['better-sqlite3', /^better-sqlite3\//, '@duckdb/node-api', /^@duckdb\//],
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: '[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      // A sandboxed preload gets a `require` that knows only `electron` and a few built-ins: bundle everything else.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: at('src-main/electron/preload.ts') },
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          inlineDynamicImports: true,
        },
      },
    },
  },
  renderer: {
    root: at('src-renderer'),
    plugins: [react()],
    build: {
      outDir: at('out/renderer'),
      emptyOutDir: true,
      rollupOptions: {
        input: at('src-renderer/index.html'),
      },
    },
  },
});

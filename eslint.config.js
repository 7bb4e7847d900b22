// ESLint flat config. Besides the usual recommended rules, it enforces where code may run:
//
//   src-shared/**             runs everywhere (engine, renderer, tests): no Node built-ins, no Electron, no React,
//                             no better-sqlite3, no DOM or Node globals, nothing from src-main or src-renderer
//   src-renderer/**           browser code: no Node built-ins, no Electron, no better-sqlite3, nothing from
//                             src-main (talk to the engine through src-shared's client only)
//   src-main/** (not electron/)  the engine also runs in plain Node (CLI, `meterbook serve`, tests): no `electron`
//                             value imports (types are fine)
//   src-main/electron/preload.ts  the only file that may touch contextBridge / ipcRenderer; sandboxed, so no Node
//                             built-ins either
//   everything else           may not import contextBridge / ipcRenderer
//
// test/unit/lint-boundaries.test.ts proves each of these fires.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];

// ---------- boundary building blocks ----------

const nodeBuiltinNames = [...new Set(builtinModules.filter((m) => !m.startsWith('_')))];

/** Every Node built-in, bare (`fs`, `fs/promises`) and prefixed (`node:fs`, `node:test`, …). */
const nodeBuiltins = (where) => ({
  paths: nodeBuiltinNames.map((name) => ({ name, message: `${where} must not use Node built-ins.` })),
  patterns: [{ group: ['node:*'], message: `${where} must not use Node built-ins.` }],
});

const bridgeMessage = 'Only src-main/electron/preload.ts may use contextBridge or ipcRenderer.';
const electronBridgeNames = [
  { name: 'electron', importNames: ['contextBridge', 'ipcRenderer'], message: bridgeMessage },
  { name: 'electron/renderer', importNames: ['contextBridge', 'ipcRenderer'], message: bridgeMessage },
];

const whole = (names, message) => names.map((name) => ({ name, message }));
const electronAll = (where) =>
  whole(['electron', 'electron/main', 'electron/renderer', 'electron/common', 'electron/utility'], `${where} must not import Electron.`);

const srcMainPatterns = (where) => [
  { group: ['**/src-main', '**/src-main/**'], message: `${where} must not import from src-main.` },
];
const srcRendererPatterns = (where) => [
  { group: ['**/src-renderer', '**/src-renderer/**'], message: `${where} must not import from src-renderer.` },
];

/** One no-restricted-imports setting, under the core rule name for JS and typescript-eslint's for TS. */
function restrictImports(files, { paths = [], patterns = [], allowTypeImports = false }) {
  const withTypes = (entries) => entries.map((e) => ({ ...e, allowTypeImports }));
  return [
    { files, ignores: TS, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } },
    {
      files,
      ignores: JS,
      rules: {
        'no-restricted-imports': 'off',
        '@typescript-eslint/no-restricted-imports': [
          'error',
          { paths: withTypes(paths), patterns: withTypes(patterns) },
        ],
      },
    },
  ];
}

/** `import electron from 'electron'; electron.ipcRenderer` slips past no-restricted-imports; this catches it. */
const electronBridgeProperties = [
  'error',
  { object: 'electron', property: 'contextBridge', message: bridgeMessage },
  { object: 'electron', property: 'ipcRenderer', message: bridgeMessage },
];

/** no-restricted-imports does not see `import('x')`; this catches dynamic imports of the same modules. */
function restrictDynamicImports(files, names, message) {
  // esquery regexes cannot contain a literal '/': subpaths (fs/promises) are matched with \u002f.
  const alternatives = names.filter((n) => !n.includes('/')).join('|');
  return {
    files,
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression[source.value=/^(node:.*|(${alternatives})(\\u002f.*)?)$/]`, message },
      ],
    },
  };
}

const domGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'location', 'indexedDB'];
const nodeGlobals = ['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate'];

// ---------- the config ----------

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      '.electron-native/**',
      'test/.artifacts/**',
      'test/fixtures/**',
      'test/bench/.data/**',
      
      'bench-results*.json',
    ],
  },

  js.configs.recommended,
  ...tseslint.configs.recommended.map((c) => (c.files ? c : { ...c, files: TS })),

  // Runtimes' globals (matter for JS files; TypeScript checks names itself).
  { files: JS, languageOptions: { globals: { ...globals.node } } },
  { files: ['src-renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['test/e2e/**'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },

  // General TypeScript taste.
  {
    files: TS,
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  // Type-aware rules that are cheap and catch real bugs (lost promises). Each tree has its own tsconfig.
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'test/**/*.ts', '*.config.ts'],
    ignores: ['test/e2e/**'],
    languageOptions: { parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    languageOptions: { parserOptions: { project: './tsconfig.web.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['test/e2e/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.e2e.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: [
      'src-main/**/*.ts',
      'src-shared/**/*.ts',
      'src-renderer/**/*.ts',
      'src-renderer/**/*.tsx',
      'test/**/*.ts',

      '*.config.ts',
    ],
    rules: {
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/only-throw-error': 'error',
    },
  },

  // React hooks in the renderer.
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    // Only says React Compiler will skip a component (TanStack Table/Virtual); we do not run the compiler.
    rules: { 'react-hooks/incompatible-library': 'off' },
  },

  // ---------- boundaries (later blocks override earlier ones for the same files) ----------

  // Everywhere: the preload bridge APIs are off limits.
  ...restrictImports(['**/*'], { paths: electronBridgeNames }),
  { files: ['**/*'], rules: { 'no-restricted-properties': electronBridgeProperties } },

  // The engine runs without Electron.
  ...restrictImports(['src-main/**'], {
    paths: [...electronAll('The engine (src-main outside src-main/electron)')],
    allowTypeImports: true,
  }),
  // The Electron host may import Electron, but not the bridge (that is the preload's).
  ...restrictImports(['src-main/electron/**'], { paths: electronBridgeNames }),
  // The preload: the bridge, nothing from Node (the sandbox's require has none of it).
  ...restrictImports(['src-main/electron/preload.ts'], { ...nodeBuiltins('The sandboxed preload') }),
  { files: ['src-main/electron/preload.ts'], rules: { 'no-restricted-properties': 'off' } },

  // Shared code runs in every host.
  ...restrictImports(['src-shared/**'], {
    paths: [
      ...nodeBuiltins('src-shared').paths,
      ...electronAll('src-shared'),
      ...whole(['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime'], 'src-shared must not import React.'),
      ...whole(['better-sqlite3'], 'src-shared must not import better-sqlite3.'),
    ],
    patterns: [
      ...nodeBuiltins('src-shared').patterns,
      ...srcMainPatterns('src-shared'),
      ...srcRendererPatterns('src-shared'),
    ],
  }),
  restrictDynamicImports(
    ['src-shared/**'],
    [...nodeBuiltinNames, 'electron', 'react', 'react-dom', 'better-sqlite3'],
    'src-shared must not load Node built-ins, Electron, React or better-sqlite3.',
  ),
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...domGlobals.map((name) => ({ name, message: 'src-shared runs outside the browser: no DOM globals.' })),
        ...nodeGlobals.map((name) => ({ name, message: 'src-shared runs in the browser: no Node globals.' })),
      ],
    },
  },

  // The renderer is browser code that reaches the engine only through src-shared's client.
  ...restrictImports(['src-renderer/**'], {
    paths: [
      ...nodeBuiltins('src-renderer').paths,
      ...electronAll('src-renderer'),
      ...whole(['better-sqlite3'], 'src-renderer must not import better-sqlite3.'),
    ],
    patterns: [...nodeBuiltins('src-renderer').patterns, ...srcMainPatterns('src-renderer')],
  }),
  restrictDynamicImports(
    ['src-renderer/**'],
    [...nodeBuiltinNames, 'electron', 'better-sqlite3'],
    'src-renderer must not load Node built-ins, Electron or better-sqlite3.',
  ),
);

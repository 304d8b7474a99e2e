// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const reactHooks = require('eslint-plugin-react-hooks');
const noImportCycle = require('./eslint-rules/no-import-cycle');

const ONLY_SHELL_IMPORTS_ELECTRON = { name: 'electron', message: 'Only src-main/electron may import electron.' };

/**
 * The layers of src-main, kept by a rule as VS Code keeps its `common`/`node`/`browser` layers. The
 * hosts (api, cli, server, electron, engine-process) sit on top and may import everything below; the
 * engine and the store are side by side under them and import no host; `src-shared` (top level, beside
 * src-main and src-renderer) runs everywhere and imports nothing of ours outside itself; the
 * renderer imports only `src-shared`.
 *
 * no-restricted-imports matches the import's text, not the file it resolves to, so the patterns
 * anchor a folder name right after the run of `../` that climbs out of the importing file's folder.
 */
const HOSTS = 'api|cli|server|electron|engine-process';
const climbsTo = (folders) => `^(\\.\\./)+(${folders})(/|$)`;
/** `../` repeated: climbing `depth + 1` levels out of a file `depth` folders below src-shared leaves it. */
const climbOutOfShared = (depth) => `^(\\.\\./){${depth + 1}}`;
const LAYERS = [
  {
    files: ['src-main/engine/**/*.ts'],
    patterns: [
      { regex: climbsTo(`store|${HOSTS}`), message: 'The engine imports neither the store nor a host: it streams what it computes and its host persists it (define shared types in engine/types.ts or engine/jobs.ts).' },
    ],
  },
  {
    files: ['src-main/store/**/*.ts'],
    patterns: [
      { regex: climbsTo(HOSTS), message: 'The store imports no host: the hosts program against its Store interface.' },
      { regex: climbsTo('engine'), allowTypeImports: true, message: "The store imports only the engine's types (engine/types.ts), never its code." },
    ],
  },
  // One entry per depth below src-shared (src-shared/config/ is the deepest today); the last also covers deeper files, erring strict.
  ...[0, 1, 2, 3].map((depth) => ({
    files: [`src-shared/${'*/'.repeat(depth)}${depth === 3 ? '**/' : ''}*.ts`],
    patterns: [{ regex: climbOutOfShared(depth), message: 'src-shared runs in every process and the renderer: it imports nothing of ours outside src-shared.' }],
  })),
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    patterns: [{ regex: '(^|/)src-main(/|$)', message: 'The renderer imports only src-shared (the API types and the config schema); src-main runs in other processes.' }],
  },
];

module.exports = tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'bench/results/**', '_scratch/**', '.device/**', 'bench/_scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The engine and the store are pure: only the shell (src-main/electron) may import electron.
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ONLY_SHELL_IMPORTS_ELECTRON] }],
    },
  },
  ...LAYERS.map(({ files, patterns }) => ({
    files,
    // A file's settings of one rule replace the ones above, so each layer keeps the electron ban.
    rules: { 'no-restricted-imports': ['error', { paths: files.some((f) => f.startsWith('src-main/') || f.startsWith('src-shared/')) ? [ONLY_SHELL_IMPORTS_ELECTRON] : [], patterns }] },
  })),
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'local/no-import-cycle': 'error' },
  },
  {
    // WebGPU in Node has no synchronous read back (dataSync throws there): the engine reads tensors
    // with await data()/array(), so it runs on every backend.
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['dataSync', 'arraySync', 'bufferSync'].map((property) => ({
          property,
          message: `${property} cannot run on WebGPU in Node; read with await data()/array()/buffer().`,
        })),
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

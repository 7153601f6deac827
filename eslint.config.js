import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Layering, after VS Code's code-layering rule: shared/ is pure (zod only), electron/core is plain
 * Node (never electron), renderer/ is browser-only (never Node or electron), and only electron/main
 * and electron/preload may touch Electron.
 */
const nodeBuiltins = [
  'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'url', 'util',
  'events', 'tls', 'dns', 'zlib', 'worker_threads', 'readline', 'process', 'buffer', 'timers',
];
const nodeBuiltinPatterns = nodeBuiltins.flatMap((m) => [m, `${m}/*`, `node:${m}`, `node:${m}/*`]);

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Outside text must stay text.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\.{1,2}/(?!.*(electron|renderer)/)).*',
              message: 'shared/ is the contract: it may import only zod and other shared/ files.',
            },
          ],
        },
      ],
    },
  },
  layer(
    ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    ['electron', 'electron/*', '**/main/*', '**/preload/*', '**/renderer/**'],
    'electron/core and the CLI run in plain Node: never import electron, main, preload or renderer.',
  ),
  layer(
    ['renderer/**/*.{ts,tsx}'],
    ['electron', 'electron/*', ...nodeBuiltinPatterns, '**/electron/**'],
    'renderer/ runs in the browser: it talks to core only through shared/contract.',
  ),
  layer(
    ['electron/preload/**/*.ts'],
    ['**/core/**', '**/renderer/**', ...nodeBuiltinPatterns],
    'preload only bridges the contract; it never reaches core or Node.',
  ),
);

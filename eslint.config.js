// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';

/** Every Node builtin, bare (`fs`) and with subpaths (`fs/promises`); `node:*` is caught by a pattern. */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const topLevelBuiltins = nodeBuiltins.filter((name) => !name.includes('/'));
const nodeBuiltinPaths = topLevelBuiltins.map((name) => ({ name, message: 'Node builtins are not available in this layer.' }));
const nodeBuiltinPatterns = [
  { group: ['node:*'], message: 'Node builtins are not available in this layer.' },
  { group: topLevelBuiltins.map((name) => `${name}/*`), message: 'Node builtins are not available in this layer.' },
];

const noElectron = { name: 'electron', message: "Only electron/main and electron/preload import 'electron'." };
const intoRenderer = { regex: '^(\\.\\./)+renderer(/|$)', message: 'electron/ and shared/ never import from renderer/; share code through shared/.' };
const intoElectron = { regex: '^(\\.\\./)+electron(/|$)', message: 'renderer/ and shared/ never import from electron/; share code through shared/.' };

/**
 * `no-restricted-imports` for one layer. Flat-config rule settings replace each other, so each layer lists
 * everything it forbids.
 * @param {{ paths?: Array<{ name: string, message: string }>, patterns?: Array<Record<string, unknown>> }} options
 */
function restrictImports({ paths = [], patterns = [] }) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', '.test-results/**', 'coverage/**', 'e2e/screenshots/**', 'bench/tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Under noUncheckedIndexedAccess, `!` on indexes checked by the loop is the honest idiom in the columnar code.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrictImports({
      paths: [
        noElectron,
        { name: 'vue', message: 'shared/ is plain TypeScript: no Vue.' },
        { name: 'pinia', message: 'shared/ is plain TypeScript: no Pinia.' },
        { name: 'naive-ui', message: 'shared/ is plain TypeScript: no UI libraries.' },
        { name: 'vue-i18n', message: 'shared/ is plain TypeScript: no UI libraries.' },
        ...nodeBuiltinPaths,
      ],
      patterns: [...nodeBuiltinPatterns, intoRenderer, intoElectron],
    }),
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: restrictImports({ paths: [{ ...noElectron, message: "renderer/ reaches the app through renderer/api only, never 'electron'." }, ...nodeBuiltinPaths], patterns: [...nodeBuiltinPatterns, intoElectron] }),
  },
  {
    files: ['renderer/**/*.test.ts'],
    rules: restrictImports({ paths: [noElectron], patterns: [intoElectron] }),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: restrictImports({ paths: [noElectron], patterns: [intoRenderer] }),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: restrictImports({ patterns: [intoRenderer] }),
  },
  {
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);

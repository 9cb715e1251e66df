import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeAndAws = {
  group: ['node:*', '@aws-sdk/*', '@smithy/*'],
  message: 'Node modules and the AWS SDK belong in src-main/core.',
};

/** `../Feature/file`: another feature's internals (its façade is `../Feature`). */
const featureInternals = {
  regex: '^\\.\\./(?!\\.)[^/]+/.+',
  message: "Import another feature through its index.ts ('../Feature'), never its files: its stores stay private.",
};

const bridge = {
  regex: '^\\.\\./bridge(/.*)?$',
  message: 'Reach the main process through the plugin (Stable Diffusion) or ../app-services (the rest).',
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.tmp/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Only the shell (and the preload) may import Electron.
    files: ['src-main/core/**/*.ts', 'src-main/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['electron/*'] }] },
  },
  {
    // The preload never imports Node or the AWS SDK: AWS calls belong in src-main/core.
    files: ['src-preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeAndAws] }] },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: [nodeAndAws] }] },
  },
  {
    // A feature reaches another only through its façade (index.ts), and the main process only
    // through the plugin (Stable Diffusion) or app-services (the rest).
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: [nodeAndAws, featureInternals, bridge] }],
    },
  },
  {
    files: [
      'src-renderer/app-services/**/*.ts',
      'src-renderer/plugin-sagemaker/**/*.ts',
      'src-renderer/bridge/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: [nodeAndAws, featureInternals] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

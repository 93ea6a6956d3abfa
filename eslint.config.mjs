// ESLint (flat config). scripts/test.sh runs `npx eslint . --max-warnings 0` after the type check.
//
// Rules: the syntactic typescript-eslint set, plus the type-aware rules that catch lost promises
// (no-floating-promises: an intended fire-and-forget says so with `void`), plus the import rules of
// the Temporal workflow sandbox. The full type-checked set is not enabled: its no-unsafe-* rules flag
// every read of an `any` (supertest bodies, raw SQL rows), several hundred findings of little value.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// import.meta.dirname needs Node 20.11; package.json allows 20.3.
const root = dirname(fileURLToPath(import.meta.url));

const outsideSandbox =
  'Workflow code runs in the deterministic Temporal sandbox: import values only from @temporalio/workflow, ' +
  'workflow-local modules (./messages, ./rules/*, other workflows/ files), or use `import type`. Side effects belong in activities/.';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'test-output/', 'coverage/', 'tools/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Type-aware: a promise is awaited, returned, handled with .catch, or marked `void` on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Raw SQL rows and supertest bodies are `any` by design; the type checker already runs in strict mode.
      '@typescript-eslint/no-explicit-any': 'off',
      // Unused names are errors; a leading underscore marks a parameter a signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Workflow code (the rules have their own, stricter block below).
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/rules/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              // Deterministic and bundled into the sandbox with @temporalio/workflow, which does not
              // re-export these two values (it re-exports the rest of what workflows use, e.g.
              // WorkflowIdReusePolicy, so those come from @temporalio/workflow).
              name: '@temporalio/common',
              allowImportNames: ['WorkflowExecutionAlreadyStartedError', 'defineSearchAttributeKey'],
              allowTypeImports: true,
              message: 'Import this from @temporalio/workflow (it re-exports it), or allow it here if it is deterministic and not re-exported.',
            },
          ],
          patterns: [
            {
              // Every npm package and Node built-in (fs, crypto, node:*) except the two above.
              regex: '^(?!\\.|@temporalio/(workflow|common)$)',
              allowTypeImports: true,
              message: outsideSandbox,
            },
            {
              // Anything outside workflows/: ../activities, ../api, ../lib, ../db, ../worker, ...
              regex: '(^|/)\\.\\.(/|$)',
              allowTypeImports: true,
              message: outsideSandbox,
            },
          ],
        },
      ],
    },
  },
  {
    // Business rules are pure functions: no packages at all, only other rules and the message types.
    files: ['workflows/rules/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.)',
              allowTypeImports: true,
              message: 'Rules in workflows/rules/ are pure functions: no packages; compute with plain TypeScript or pass the data in.',
            },
            {
              regex: '^\\.\\./(?!messages$)|/\\.\\.(/|$)|^\\.\\.$',
              allowTypeImports: true,
              message: 'Rules may import other rules (./x) and ../messages only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Outside the sandbox, workflow code is not loaded: the API, activities and scripts use the messages
    // (signal, query and update definitions, ids) and the pure rules, and start workflows by name with
    // the types of lib/workflow-types.ts. Type-only imports are erased and allowed.
    files: ['{api,lib,activities,worker,db,scripts}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)workflows(/(?!messages$|rules/)[^/]+)?$',
              allowTypeImports: true,
              message:
                'Do not load workflow implementations outside the worker bundle: import values from workflows/messages or workflows/rules/*, start workflows with lib/workflow-types.ts, or use `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' },
    },
  },
  { files: ['**/*.{js,cjs}'], languageOptions: { sourceType: 'commonjs' } },
);

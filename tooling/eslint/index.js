// The one lint configuration of the monorepo (the root eslint.config.js uses
// it). typescript-eslint's type-checked strict rules, plus the house rules
// that keep this codebase's own conventions (see CONTRIBUTING.md).
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import noSilentCatch from './rules/no-silent-catch.js';
import zodNaming from './rules/zod-naming.js';

const intake = { rules: { 'no-silent-catch': noSilentCatch, 'zod-naming': zodNaming } };

/** Where reading the environment is allowed: the CLI's runtime parses it once (config package), tests and tooling read their server settings. */
const ENV_READERS = [
  'services/cli/src/runtime.ts',
  'packages/config/src/**',
  'services/bench/src/**',
  'test/**',
  '**/*.test.ts',
  'scripts/**',
];

export function createConfig({ tsconfigRootDir }) {
  return tseslint.config(
    {
      ignores: ['**/dist/**', '**/node_modules/**', '.servers/**', 'data/**', 'coverage/**', '**/*.d.ts', '.turbo/**'],
    },
    js.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir },
        globals: { ...globals.node },
      },
      plugins: { 'import-x': importX, intake },
      settings: {
        'import-x/resolver-next': [
          importX.createNodeResolver({ conditionNames: ['source', 'types', 'import', 'default'] }),
        ],
      },
      rules: {
        // house rules
        'intake/no-silent-catch': 'error',
        'intake/zod-naming': 'error',
        'import-x/no-cycle': ['error', { ignoreExternal: true }],
        'no-empty': ['error', { allowEmptyCatch: false }],
        'no-console': 'error',
        'no-restricted-properties': [
          'error',
          {
            object: 'process',
            property: 'env',
            message: 'Read configuration once in the CLI runtime (@intake/config) and pass it down.',
          },
        ],
        // Deliberate departures from the strict preset, each for a reason:
        // `!` after a check the compiler cannot follow (noUncheckedIndexedAccess on a
        // just-tested index) is clearer than a redundant runtime guard.
        '@typescript-eslint/no-non-null-assertion': 'off',
        // numbers and booleans in template strings are what log lines and SQL
        // placeholders are made of; objects and nullish values stay forbidden.
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
        // `void promise` marks a deliberately unawaited call (timers, fire-and-forget shutdown).
        '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
        '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
        '@typescript-eslint/no-unused-vars': [
          'error',
          { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
        ],
        // stripping control characters out of what strangers send is the point of those patterns
        'no-control-regex': 'off',
        // `[...text]` splits into code points, which is what reading Chinese numerals and
        // characters needs (no emoji grapheme clusters in 文号 or amounts)
        '@typescript-eslint/no-misused-spread': ['error', { allow: [{ from: 'lib', name: 'string' }] }],
      },
    },
    {
      files: ['**/*.test.ts', 'test/**/*.ts', '**/test-helpers/**', '**/testing/**', '**/*.fixture.ts'],
      rules: {
        // vitest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any`
        '@typescript-eslint/no-unsafe-assignment': 'off',
        // fakes implement async interfaces with synchronous bodies
        '@typescript-eslint/require-await': 'off',
        // afterAll runs even when beforeAll failed: guards on values the types say exist are needed
        '@typescript-eslint/no-unnecessary-condition': 'off',
        // failure messages print arrays of codes as they come
        '@typescript-eslint/restrict-template-expressions': 'off',
      },
    },
    {
      files: ENV_READERS,
      rules: { 'no-restricted-properties': 'off' },
    },
    {
      // the outbox's state transitions: only @intake/ack-mailer's deliverAck may step a reply through them
      files: ['**/*.ts'],
      ignores: ['packages/ack-mailer/**', 'packages/register-store/**'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [
              {
                name: '@intake/register-store/ack-outbox',
                message:
                  'Send replies through @intake/ack-mailer (acknowledgeMessage, deliverAck): exactly once lives there.',
              },
            ],
          },
        ],
      },
    },
    {
      files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
      ...tseslint.configs.disableTypeChecked,
    },
  );
}

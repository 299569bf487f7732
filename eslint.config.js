// @ts-check
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

/** Each adapter folder owns its SDK and imports no other adapter's code (shared code lives in src/). */
const ADAPTERS = readdirSync(join(import.meta.dirname, 'adapters'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
const ADAPTER_ZONES = [
  ...ADAPTERS.filter((name) => name !== 'app').map((name) => ({
    target: `./adapters/${name}`,
    from: ADAPTERS.filter((other) => other !== name).map((other) => `./adapters/${other}`),
    message: 'An adapter imports no other adapter: move what both need into src/.',
  })),
  // The deployment's own folder sees the project through its public entry only.
  {
    target: './adapters/app',
    from: ['./src', ...ADAPTERS.filter((other) => other !== 'app').map((o) => `./adapters/${o}`)],
    message: "The deployment's code imports adapters/bridgekeeper.ts, not the engine or a driver.",
  },
]

const SDKS = [
  'airtable',
  'mongodb',
  'firebase',
  'firebase/*',
  'firebase-admin',
  'firebase-admin/*',
  '@prisma/*',
  'ioredis',
  'pg',
  'better-sqlite3',
]

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.wrangler/',
      '.data/',
      '.vitest/',
      'adapters/prisma/generated/',
      'dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_` marks a value that is deliberately unused (destructuring a member away).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // Async functions that implement a Promise-returning contract (a store, a key provider)
      // need no await; the rule would force wrappers that say less.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The engine is Web-standard: no Node API, no provider SDK, no adapter. Only the runtime
    // entries (src/runtime/) know what they run on and which adapters exist.
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'src/ is Web-standard: Node APIs belong in src/runtime/node or an adapter.',
            },
            {
              group: ['**/adapters/**', '**/adapters'],
              message:
                'src/ never imports an adapter: the runtime entry hands adapters to the assembly.',
            },
            { group: SDKS, message: 'Provider SDKs belong in their adapters/ folder.' },
          ],
        },
      ],
    },
  },
  {
    // Dependencies point one way: no import cycle anywhere in the engine or the adapters, and
    // no adapter reaches into another (test/architecture/dependencies.test.ts holds the order).
    files: ['src/**/*.ts', 'adapters/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: ADAPTER_ZONES }],
    },
  },
  {
    // Tests read JSON (log lines, response bodies) without a schema for each: `any` is expected there.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
)

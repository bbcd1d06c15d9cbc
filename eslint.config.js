// ESLint 9 flat config: typescript-eslint's recommended rules without type information (fast),
// with formatting left to Prettier (eslint-config-prettier turns off the rules it owns).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'docs/api/',
      'coverage/',
      'test/browser/.bundle/',
      'test/browser/.artifacts/',
      'examples/browser/dist/',
      'demo-report/',
      'example-reports/',
      'src/engine/generated/',
      // AssemblyScript (compiled to wasm by src/engine/compile_engine.mjs), not TypeScript.
      'src/engine/assembly/',
      'test/engine/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    // Plain JavaScript here is Node scripts (the engine's build step, this config).
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
    // A `/* global */` comment naming a global this config already provides is harmless.
    rules: { 'no-redeclare': ['error', { builtinGlobals: false }] },
  },
  {
    // Consumer fixtures run as users run them: a CommonJS script and a browser bundle entry.
    files: ['test/package/fixtures/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/package/fixtures/browser.*'],
    languageOptions: { globals: globals.browser },
  },
  {
    rules: {
      // A leading underscore marks an unused parameter or binding on purpose (as tsc's
      // noUnusedParameters allows): `_kwargs` of an overridden method, `{ customObjects: _, ...rest }`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `const layer = this` lets object-literal getters read the layer lazily (its name is only
      // final after tfjs-layers' constructor); other aliases of `this` stay errors.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['layer'] }],
    },
  },
);

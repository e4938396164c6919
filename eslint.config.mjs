// ESLint for the TypeScript sources (run by `npm run lint`, part of `npm test`).
// Errors: floating promises, non-exhaustive switches over unions (a half-added op or layer fails here).
// Warnings that count down: `any` (the budget in package.json's lint script, --max-warnings, only goes down).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'kernels/**', '.vscode-test/**', 'out/**', '**/*.d.ts'] },
  {
    files: ['src/**/*.ts', 'renderers/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './tsconfig.renderers.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
);

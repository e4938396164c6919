#!/usr/bin/env node
// Prettier in check mode over the files listed in .prettier-files (see the comment there); `--write` fixes them.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const globs = readFileSync(new URL('../.prettier-files', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const bin = require.resolve('prettier/bin/prettier.cjs');
const mode = process.argv.includes('--write') ? '--write' : '--check';
try {
  execFileSync(process.execPath, [bin, mode, ...globs], { stdio: 'inherit' });
} catch {
  console.error('format: run `node scripts/format-check.mjs --write` to format the listed files');
  process.exit(1);
}

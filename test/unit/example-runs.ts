// Executes an example notebook once per test process through the CLI (the same executor VS Code uses) and
// caches where the executed copy was written, so several test files can read the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
const cli = join(root, 'bin/layerwise.js');
let dir: string | null = null;
const done = new Map<string, string>();

/** Path of the executed copy of examples/<name> (runs it the first time; throws when a cell fails). */
export function runExample(name: string, src = join(root, 'examples', name)): string {
  const cached = done.get(src);
  if (cached) return cached;
  dir ??= mkdtempSync(join(tmpdir(), 'lw-examples-'));
  const dest = join(dir, name);
  execFileSync(process.execPath, [cli, 'run', src, '--out', dest], { stdio: 'pipe', timeout: 600_000 });
  done.set(src, dest);
  return dest;
}

/**
 * Development helper for tests and benches: bundles the executor (and the CLI) the same way scripts/build.mjs
 * does, into node_modules/.cache/layerwise-dev/ so `esbuild`/`typescript` resolve from the repo's node_modules.
 * Not part of any shipped bundle.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEV_OUT = path.join(REPO_ROOT, 'node_modules', '.cache', 'layerwise-dev');

const COMMON = {
  platform: 'node' as const, format: 'cjs' as const, target: 'node20', bundle: true, sourcemap: true,
  logLevel: 'error' as const, absWorkingDir: REPO_ROOT, external: ['./runtime.js', 'esbuild', 'typescript', 'playwright-core'],
};

const builds = new Map<string, Promise<string>>();

function buildOnce(entry: string, name: string): Promise<string> {
  let p = builds.get(name);
  if (!p) {
    const outfile = path.join(DEV_OUT, name);
    mkdirSync(DEV_OUT, { recursive: true });
    removeStale();
    p = build({ ...COMMON, entryPoints: [entry], outfile }).then(() => outfile);
    builds.set(name, p);
  }
  return p;
}

/** Bundles are per test process (concurrent runs must not overwrite each other); drop those older than a day. */
function removeStale(): void {
  for (const f of readdirSync(DEV_OUT)) {
    const file = path.join(DEV_OUT, f);
    try {
      if (Date.now() - statSync(file).mtimeMs > 86_400_000) rmSync(file, { force: true });
    } catch {
      /* another process removed it */
    }
  }
}

/** Builds the executor process bundle once per test process; returns its path. */
export function buildDevExecutor(): Promise<string> {
  return buildOnce('src/executor/worker.ts', `executor-${process.pid}.js`);
}

/** Builds the CLI bundle (pass the executor bundle with --executor). */
export async function buildDevCli(): Promise<string> {
  await buildDevExecutor();
  return buildOnce('src/cli/main.ts', `cli-${process.pid}.js`);
}

/** The real runtime bundle when it has been built (dist/runtime.js), else undefined. */
export function realRuntimePath(): string | undefined {
  const p = path.join(REPO_ROOT, 'dist', 'runtime.js');
  return existsSync(p) ? p : undefined;
}

export interface Collected {
  status: string;
  error?: { name: string; message: string; stack: string };
  events: Array<{ type: string; [k: string]: unknown }>;
}

/** Runs one cell and collects its events (tests). */
export async function collect(
  client: { execute(code: string, o: { cellId: string; onEvent: (e: never) => void }): Promise<{ status: string; error?: Collected['error'] }> },
  code: string,
  cellId = 'cell',
  onEvent?: (e: { type: string; [k: string]: unknown }) => void,
): Promise<Collected> {
  const events: Collected['events'] = [];
  const r = await client.execute(code, {
    cellId,
    onEvent: ((e: { type: string; [k: string]: unknown }) => {
      events.push(e);
      onEvent?.(e);
    }) as (e: never) => void,
  });
  return { status: r.status, error: r.error, events };
}

/** Concatenated stream text of collected events. */
export function streamText(c: Collected, name = 'stdout'): string {
  return c.events.filter((e) => e.type === 'stream' && e.name === name).map((e) => e.text).join('');
}

/** The execute result's MIME bundle, if any. */
export function resultBundle(c: Collected): Record<string, unknown> | undefined {
  const r = c.events.find((e) => e.type === 'result');
  return r ? (r.bundle as Record<string, unknown>) : undefined;
}

/** text/plain of the execute result, if any. */
export function resultText(c: Collected): string | undefined {
  const b = resultBundle(c);
  return b ? String(b['text/plain']) : undefined;
}

export const FAKE_RUNTIME = path.join(REPO_ROOT, 'test', 'fixtures', 'notebooks', 'fake-runtime.js');

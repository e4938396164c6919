#!/usr/bin/env node
// Builds everything into dist/: WASM kernels, the runtime bundle (CommonJS, plain-Node requirable), the extension,
// the executor process, the CLI and the renderers. Entries whose source does not exist yet are skipped loudly.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const prod = process.argv.includes('--production');
mkdirSync(join(root, 'dist'), { recursive: true });

if (existsSync(join(root, 'scripts/build-kernels.mjs'))) {
  execFileSync(process.execPath, [join(root, 'scripts/build-kernels.mjs')], { stdio: 'inherit', cwd: root });
}

// keepNames: class names survive minification (layer names in summaries and the tree come from constructor.name).
const node = { platform: 'node', format: 'cjs', target: 'node20', bundle: true, sourcemap: true, minify: prod, keepNames: true,
  logLevel: 'warning', absWorkingDir: root };
// One copy of the TypeScript compiler, dist/typescript/typescript.js, shared by the extension (cell type checking,
// the Draft analyser) and the executor (cell rewriting); its lib.*.d.ts files sit beside it.
const sharedTs = { name: 'shared-typescript', setup(b) {
  b.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript/typescript.js', external: true }));
} };
mkdirSync(join(root, 'dist/typescript'), { recursive: true });
const tsLib = join(root, 'node_modules/typescript/lib');
for (const f of readdirSync(tsLib)) {
  if (/^lib\.(es|decorators|d\.ts)/.test(f) && f.endsWith('.d.ts')) copyFileSync(join(tsLib, f), join(root, 'dist/typescript', f));
}
const entries = [
  { ...node, entryPoints: ['src/runtime/index.ts'], outfile: 'dist/runtime.js' },
  { ...node, entryPoints: ['typescript'], outfile: 'dist/typescript/typescript.js', sourcemap: false },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [sharedTs] },
  { ...node, entryPoints: ['src/executor/worker.ts'], outfile: 'dist/executor.js', external: ['./runtime.js', 'esbuild'], plugins: [sharedTs] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['./runtime.js', 'esbuild', 'playwright-core'] },
  { platform: 'browser', format: 'esm', target: 'es2022', bundle: true, sourcemap: true, minify: prod, splitting: true,
    logLevel: 'warning', absWorkingDir: root, entryPoints: ['renderers/index.ts'], outdir: 'dist/renderers',
    loader: { '.css': 'text' } },
];

let failed = false;
for (const e of entries) {
  const src = e.entryPoints[0];
  if (src.includes('/') && !existsSync(join(root, src))) {
    console.warn(`build: skipping ${src} (not written yet)`);
    continue;
  }
  try {
    await build(e);
  } catch (err) {
    failed = true;
    console.error(`build: ${src} failed`);
  }
}
if (failed) process.exit(1);
// declarations for IntelliSense in notebook cells (needs dist/runtime.js)
execFileSync(process.execPath, [join(root, 'scripts/build-types.mjs')], { stdio: 'inherit', cwd: root });
if (!watch) console.log('build: ok');

#!/usr/bin/env node
// Compiles the AssemblyScript kernels (kernels/assembly/index.ts) into two artifacts:
//   dist/kernels/kernels.simd.wasm     --enable simd
//   dist/kernels/kernels.relaxed.wasm  --enable simd --enable relaxed-simd (GEMM uses relaxed_madd)
//   dist/kernels/kernels.threads.wasm  relaxed + threads, --sharedMemory --maximumMemory 65536: imports a shared
//                                      memory, instantiated once per thread of the worker pool (backend/wasm/pool.ts)
// Common flags (kernels/asconfig.json): -O3 --noAssert --runtime stub --importMemory.
// Skips the compile when no input changed (hash of sources, config, this script and the compiler version).
// `--force` rebuilds unconditionally.
import asc from 'assemblyscript/asc';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kernelsDir = join(root, 'kernels');
const outDir = join(root, 'dist/kernels');
const targets = ['simd', 'relaxed', 'threads'];
const outputs = targets.map((t) => join(outDir, `kernels.${t}.wasm`));
const stampFile = join(outDir, '.inputs.sha256');

function inputsHash() {
  const h = createHash('sha256');
  const files = readdirSync(join(kernelsDir, 'assembly')).filter((f) => f.endsWith('.ts')).sort()
    .map((f) => join(kernelsDir, 'assembly', f));
  files.push(join(kernelsDir, 'asconfig.json'), fileURLToPath(import.meta.url));
  for (const f of files) h.update(f).update('\0').update(readFileSync(f)).update('\0');
  h.update(JSON.parse(readFileSync(join(root, 'node_modules/assemblyscript/package.json'), 'utf8')).version);
  return h.digest('hex');
}

const hash = inputsHash();
const force = process.argv.includes('--force');
if (!force && outputs.every(existsSync) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
  console.log('build-kernels: up to date');
  process.exit(0);
}

mkdirSync(outDir, { recursive: true });
const t0 = Date.now();
for (const target of targets) {
  const args = [join(kernelsDir, 'assembly/index.ts'), '--config', join(kernelsDir, 'asconfig.json'),
    '--target', target];
  let errText = '';
  const { error } = await asc.main(args, {
    stdout: { write: (s) => process.stdout.write(s) },
    stderr: { write: (s) => { errText += s; } },
  });
  if (error) {
    console.error(errText);
    console.error(`build-kernels: ${target} failed: ${error.message}`);
    process.exit(1);
  }
  if (errText.trim()) process.stderr.write(errText);
}
for (const f of outputs) checkStaticData(f);
writeFileSync(stampFile, hash);
console.log(`build-kernels: ok (${targets.join(', ')}) in ${Date.now() - t0} ms`);

// The JS allocator hands out memory from 64 KiB up (RESERVED_LOW_BYTES in src/runtime/backend/wasm/module.ts), and
// the worker pool keeps its control block in the top 4 KiB of that (POOL_CONTROL in src/runtime/backend/wasm/pool.ts):
// fail the build if the module's static data (active data segments) would reach past that.
function checkStaticData(file) {
  const b = readFileSync(file);
  let i = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = b[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
  while (i < b.length) {
    const id = b[i++], size = leb(), end = i + size;
    if (id === 11) {
      const count = leb();
      for (let k = 0; k < count; k++) {
        const flags = leb();
        if (flags === 1) { const len = leb(); i += len; continue; } // passive
        if (flags === 2) leb();
        if (b[i++] !== 0x41) throw new Error(`${file}: unexpected data segment offset expression`);
        let off = 0, s = 0, x; do { x = b[i++]; off |= (x & 0x7f) << s; s += 7; } while (x & 0x80);
        i++; // end
        const len = leb();
        i += len;
        if (off + len > 61440) throw new Error(`${file}: static data [${off}, ${off + len}) reaches the worker pool control block at 60 KiB`);
      }
    }
    i = end;
  }
}

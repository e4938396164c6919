// Enforces the architecture's import boundaries (docs/architecture.md) by scanning import specifiers.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(__dirname, '../..');

function files(dir: string): string[] {
  const abs = join(root, dir);
  let out: string[] = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out = out.concat(files(relative(root, p)));
    else if (/\.(ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(relative(root, p));
  }
  return out;
}

function imports(file: string): Array<{ spec: string; target: string | null }> {
  const src = readFileSync(join(root, file), 'utf8');
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  const out: Array<{ spec: string; target: string | null }> = [];
  for (const m of src.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3];
    out.push({ spec, target: spec.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), spec)) : null });
  }
  return out;
}

const exists = (d: string): boolean => {
  try {
    return statSync(join(root, d)).isDirectory();
  } catch {
    return false;
  }
};

describe('architecture boundaries', () => {
  it('the runtime imports no vscode, no DOM-only code, nothing from host/renderers', () => {
    for (const f of files('src/runtime')) {
      for (const { spec, target } of imports(f)) {
        assert.notEqual(spec, 'vscode', `${f} imports vscode`);
        if (target) {
          assert.ok(target.startsWith('src/runtime') || target.startsWith('src/protocol'), `${f} imports ${spec} (outside runtime/protocol)`);
        }
      }
    }
  });

  it('the shape module is pure (imports nothing but itself and the pure argument normaliser)', () => {
    for (const f of files('src/runtime/shape')) {
      for (const { spec, target } of imports(f)) {
        assert.ok(target?.startsWith('src/runtime/shape') || target === 'src/runtime/args', `${f} imports ${spec}`);
      }
    }
    for (const { spec } of imports('src/runtime/args.ts')) assert.fail(`src/runtime/args.ts imports ${spec}`);
  });

  it('source files stay at most 400 lines (split along a real seam)', () => {
    const roots = ['src', 'renderers', 'kernels/assembly'].filter(exists);
    const long = roots.flatMap(files).map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length] as const).filter(([, n]) => n > 401);
    assert.deepEqual(long.map(([f, n]) => `${f}: ${n} lines`), []);
  });

  it('the protocol imports nothing outside itself', () => {
    for (const f of files('src/protocol')) {
      for (const { spec, target } of imports(f)) assert.ok(target?.startsWith('src/protocol'), `${f} imports ${spec}`);
    }
  });

  it('renderers import only the protocol and npm packages', function () {
    if (!exists('renderers')) this.skip();
    for (const f of files('renderers')) {
      for (const { spec, target } of imports(f)) {
        if (target) assert.ok(target.startsWith('renderers') || target.startsWith('src/protocol'), `${f} imports ${spec}`);
        else assert.notEqual(spec, 'vscode', `${f} imports vscode`);
      }
    }
  });

  it('the extension host never imports the runtime (except pure shape arithmetic; the Draft loads the bundle in one place)', function () {
    if (!exists('src/extension')) this.skip();
    for (const f of files('src/extension')) {
      const src = readFileSync(join(root, f), 'utf8');
      for (const { spec, target } of imports(f)) {
        if (!target?.startsWith('src/runtime') || target.startsWith('src/runtime/shape')) continue;
        // analyzer/runtime.ts: a type-only import (erased) and a run-time require of dist/runtime.js
        const typeOnly = new RegExp(`import type [^;]*from '${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`).test(src);
        assert.ok(f === 'src/extension/inspector/analyzer/runtime.ts' && typeOnly, `${f} imports ${spec}`);
      }
    }
  });

  it('kernels/ is self-contained AssemblyScript', function () {
    if (!exists('kernels/assembly')) this.skip();
    for (const f of files('kernels/assembly')) {
      for (const { spec, target } of imports(f)) assert.ok(target?.startsWith('kernels'), `${f} imports ${spec}`);
    }
  });
});

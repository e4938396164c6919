/**
 * Module loading for cells: `import … from 'x'`, `import('x')` and `require('x')` resolve from the notebook's
 * directory. 'layerwise' is the runtime; Node built-ins load directly; CommonJS files are require()d (all
 * named exports available), ES modules are import()ed, including ESM-only packages (package.json "exports").
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpileFileToCjs } from './transpile';

export type Namespace = Record<string, unknown>;

/** A CommonJS value seen through `import`: its properties plus `default` (esModule-aware). */
export function interop(mod: unknown): Namespace {
  const ns: Namespace = Object.create(null);
  if (mod !== null && (typeof mod === 'object' || typeof mod === 'function')) {
    for (const k of Object.keys(mod as object)) ns[k] = (mod as Namespace)[k];
  }
  const m = mod as Namespace | null;
  ns.default = m && m.__esModule && 'default' in m ? m.default : mod;
  return ns;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isEsmFile(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) return readJson(pkg)?.type === 'module';
    if (path.dirname(dir) === dir) return false;
  }
}

const CONDITIONS = ['import', 'node', 'module', 'default'];

function resolveTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = resolveTarget(t);
      if (r) return r;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [k, v] of Object.entries(target)) {
      if (CONDITIONS.includes(k)) {
        const r = resolveTarget(v);
        if (r) return r;
      }
    }
  }
  return undefined;
}

function resolveExports(exp: unknown, subpath: string): string | undefined {
  const isMap = exp && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'));
  if (!isMap) return subpath === '.' ? resolveTarget(exp) : undefined;
  const map = exp as Record<string, unknown>;
  if (subpath in map) return resolveTarget(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [pre, post] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= key.length - 1) {
      const r = resolveTarget(value);
      return r?.replace(/\*/g, subpath.slice(pre.length, subpath.length - post.length));
    }
  }
  return undefined;
}

/** ESM resolution of a bare specifier from `dir` (what require.resolve cannot do for import-only packages). */
export function resolveEsm(spec: string, dir: string): string | undefined {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const subpath = spec === name ? '.' : `./${spec.slice(name.length + 1)}`;
  for (let d = dir; ; d = path.dirname(d)) {
    const pkgDir = path.join(d, 'node_modules', name);
    const pkg = readJson(path.join(pkgDir, 'package.json'));
    if (pkg) {
      const rel = pkg.exports !== undefined ? resolveExports(pkg.exports, subpath)
        : subpath === '.' ? (pkg.module as string) ?? (pkg.main as string) ?? 'index.js' : subpath;
      if (rel) return path.resolve(pkgDir, rel);
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Dynamic import that esbuild leaves alone in the CommonJS bundle (non-literal argument). */
function dynamicImport(url: string): Promise<Namespace> {
  return import(url) as Promise<Namespace>;
}

let esmHookFor: string | undefined;

/** Lets ES modules next to the notebook `import … from 'layerwise'` too (a resolve hook, Node ≥ 20.6). */
function registerEsmHook(runtimePath: string | undefined): void {
  if (!runtimePath || esmHookFor === runtimePath) return;
  const register = (Module as unknown as { register?: (spec: string) => void }).register;
  if (typeof register !== 'function') return;
  const url = JSON.stringify(pathToFileURL(runtimePath).href);
  const hook = `export async function resolve(s, c, next) { return s === 'layerwise' ? { url: ${url}, ` +
    `shortCircuit: true, format: 'commonjs' } : next(s, c); }`;
  try {
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    esmHookFor = runtimePath;
  } catch {
    /* older Node: ES modules cannot import 'layerwise' by name */
  }
}

export class ModuleLoader {
  readonly require: NodeJS.Require;

  constructor(readonly cwd: string, private readonly runtime: () => unknown, private readonly runtimePath?: string) {
    const base = createRequire(path.join(cwd, '__layerwise_notebook__.js'));
    const runtimeRef = runtime;
    const req = ((id: string) => (id === 'layerwise' ? runtimeRef() : base(id))) as NodeJS.Require;
    Object.assign(req, { resolve: base.resolve, cache: base.cache, main: undefined, extensions: base.extensions });
    this.require = req;
  }

  /** Makes `require('layerwise')` inside local CommonJS files (next to the notebook) return the runtime too. */
  hookRequire(): void {
    const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
    const original = M._load;
    const runtime = this.runtime;
    M._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === 'layerwise') return runtime();
      return original.call(this, request, parent, isMain);
    };
  }

  /** Lets cells import/require local TypeScript helpers (`./utils.ts`), transpiled to CommonJS. */
  registerTsLoader(): void {
    const exts = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
    for (const ext of ['.ts', '.mts', '.cts']) {
      if (exts[ext]) continue;
      exts[ext] = (mod: { _compile(code: string, file: string): void }, filename: string) => {
        mod._compile(transpileFileToCjs(readFileSync(filename, 'utf8'), filename), filename);
      };
    }
  }

  async import(spec: string): Promise<Namespace> {
    if (spec === 'layerwise') return interop(this.runtime());
    if (isBuiltin(spec)) return interop(this.require(spec));
    if (spec.startsWith('file:')) return dynamicImport(spec);
    let file: string | undefined;
    try {
      file = this.require.resolve(spec);
    } catch (err) {
      file = path.isAbsolute(spec) || spec.startsWith('.') ? path.resolve(this.cwd, spec) : resolveEsm(spec, this.cwd);
      if (!file || !existsSync(file) || !statSync(file).isFile()) throw err;
    }
    if (isEsmFile(file)) {
      registerEsmHook(this.runtimePath);
      return dynamicImport(pathToFileURL(file).href);
    }
    return interop(this.require(file));
  }
}

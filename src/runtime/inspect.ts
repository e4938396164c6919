/**
 * Runtime side of the layer inspector (the "Layers" tree of the extension). Inside the executor process,
 * installInspector() registers request handlers the host calls through ExecutorClient.request(kind):
 * - 'modules': every nn.Module-valued global (the cells' top-level bindings) with its summary rows, totals and
 *   constructedAt per module. Shapes come from the model's last forward pass (recorded by a lightweight wrapper
 *   around Module.call that keeps only the input shapes of outermost calls), else from the last summary() call
 *   on it, else from a declared `model.inputShape`; without any, rows carry structure and parameters only.
 * - 'moduleSummary' {name}: the MIME bundle summary() would display for that variable.
 * Plain Node use is unaffected: nothing is installed unless the process is a Layerwise executor (or `force`).
 */
import { Tensor } from './tensor';
import { Module } from './nn/module';
import { layerArithmetic, summary, summaryDisplay, type SummaryResult, type SummaryRow } from './summary';

const EXECUTOR_ENV = 'LAYERWISE_EXECUTOR_CONFIG';

export type { ShapeSource, InspectRow, InspectModel, ModulesResponse } from '../protocol/inspect';
import type { InspectRow, InspectModel, ModulesResponse, ShapeSource } from '../protocol/inspect';

interface Seen {
  shapes: number[][];
  meta: boolean;
}

const lastInput = new WeakMap<Module, Seen>();
const cache = new WeakMap<Module, { key: string; model: Omit<InspectModel, 'name'> }>();
let depth = 0;
let quiet = false;
let installed = false;
let originalCall: Module['call'] | undefined;

function isMeta(t: Tensor): boolean {
  const s = t._storage as { backend?: { name?: string } } | null;
  return s === null || s.backend?.name === 'meta';
}

/** Wraps Module.prototype.call once: outermost calls record their tensor arguments' shapes. */
function patchModuleCall(): void {
  const original = (originalCall = Module.prototype.call);
  Module.prototype.call = function (this: Module, ...args: unknown[]) {
    if (depth === 0 && !quiet) {
      const tensors = args.filter((a): a is Tensor => a instanceof Tensor);
      if (tensors.length) lastInput.set(this, { shapes: tensors.map((t) => [...t.shape]), meta: tensors.some(isMeta) });
    }
    depth++;
    try {
      return original.apply(this, args);
    } finally {
      depth--;
    }
  };
}

export function installInspector(opts: { force?: boolean } = {}): boolean {
  if (installed) return true;
  const env = typeof process !== 'undefined' ? process.env?.[EXECUTOR_ENV] : undefined;
  if (!opts.force && !env) return false;
  installed = true;
  patchModuleCall();
  const g = globalThis as { __layerwise_requests?: Record<string, (args: unknown) => unknown> };
  const requests = (g.__layerwise_requests ??= {});
  requests.modules = (args) => inspectModules(args as { names?: string[] } | undefined);
  requests.moduleSummary = (args) => moduleSummary(args as { name: string; inputShape?: number[] | number[][] });
  return true;
}

/** Undoes installInspector (tests). */
export function uninstallInspector(): void {
  if (!installed) return;
  installed = false;
  if (originalCall) Module.prototype.call = originalCall;
  const requests = (globalThis as { __layerwise_requests?: Record<string, unknown> }).__layerwise_requests;
  delete requests?.modules;
  delete requests?.moduleSummary;
}

/** Module-valued enumerable globals in declaration order (cell bindings are enumerable; runtime globals are not). */
export function moduleGlobals(scope: object = globalThis): Array<[string, Module]> {
  const out: Array<[string, Module]> = [];
  for (const name of Object.keys(scope)) {
    let v: unknown;
    try {
      v = (scope as Record<string, unknown>)[name];
    } catch {
      continue;
    }
    if (v instanceof Module) out.push([name, v]);
  }
  return out;
}

function declaredShape(m: Module): number[][] | null {
  const s = m.inputShape as unknown;
  if (!Array.isArray(s) || s.length === 0) return null;
  const list = (Array.isArray(s[0]) ? s : [s]) as unknown[];
  const ok = list.every((x) => Array.isArray(x) && x.every((d) => Number.isInteger(d) && d >= 0));
  return ok ? (list as number[][]).map((x) => [...x]) : null;
}

/** Where the model's shapes come from: its last forward (real or summary's meta pass), else its declaration. */
export function shapeSource(m: Module): { source: ShapeSource | null; shapes: number[][] | null } {
  const seen = lastInput.get(m);
  if (seen) return { source: seen.meta ? 'summary' : 'forward', shapes: seen.shapes };
  const declared = declaredShape(m);
  return declared ? { source: 'declared', shapes: declared } : { source: null, shapes: null };
}

/** Runs `fn` with every module's forward hooks detached (user hooks must not see the inspector's meta pass). */
function withoutUserHooks<T>(model: Module, fn: () => T): T {
  const mods = model.modules();
  const saved = mods.map((m) => [m._forwardHooks, m._forwardPreHooks] as const);
  mods.forEach((m) => ((m._forwardHooks = []), (m._forwardPreHooks = [])));
  quiet = true;
  try {
    return fn();
  } finally {
    quiet = false;
    mods.forEach((m, i) => ((m._forwardHooks = saved[i][0] as Module['_forwardHooks']), (m._forwardPreHooks = saved[i][1] as Module['_forwardPreHooks'])));
  }
}

/** Rows without a forward pass: structure, parameters and parameter formulas only. */
export function structuralRows(model: Module): Pick<SummaryResult, 'rows' | 'totals'> {
  const rows: SummaryRow[] = [...model.namedModules()].map(([name, m]) => {
    const own = m.parameters(false);
    const arith = layerArithmetic(m, null);
    return {
      name, type: m.constructor.name || 'Module', depth: name === '' ? 0 : name.split('.').length, inputShape: null, outputShape: null,
      params: own.reduce((a, p) => a + p.numel(), 0), trainable: own.filter((p) => p.requiresGrad).reduce((a, p) => a + p.numel(), 0),
      macs: 0, formulas: arith.formulas, warnings: [], paramsTotal: m.parameters().reduce((a, p) => a + p.numel(), 0),
      isLeaf: m.children().length === 0,
    };
  });
  const all = model.parameters();
  const params = all.reduce((a, p) => a + p.numel(), 0);
  const trainable = all.filter((p) => p.requiresGrad).reduce((a, p) => a + p.numel(), 0);
  return { rows, totals: { params, trainable, nonTrainable: params - trainable, macs: 0, activationBytes: 0 } };
}

/** Cheap fingerprint: shapes, module count, parameter sizes and trainable flags (changes invalidate the cache). */
function cacheKey(model: Module, source: ShapeSource | null, shapes: number[][] | null, mods: Module[]): string {
  let n = 0;
  let t = 0;
  for (const p of model.parameters()) {
    n += p.numel();
    if (p.requiresGrad) t += p.numel();
  }
  return `${source}|${JSON.stringify(shapes)}|${mods.length}|${n}|${t}`;
}

export function inspectModel(name: string, model: Module): InspectModel {
  const { source, shapes } = shapeSource(model);
  const mods = model.modules();
  const key = cacheKey(model, source, shapes, mods);
  const hit = cache.get(model);
  if (hit && hit.key === key) return { name, ...hit.model };
  let base: Pick<SummaryResult, 'rows' | 'totals'>;
  let error: string | undefined;
  try {
    base = shapes ? withoutUserHooks(model, () => summary(model, shapes)) : structuralRows(model);
  } catch (e) {
    base = structuralRows(model);
    error = (e as Error)?.message ?? String(e);
  }
  const rows: InspectRow[] = base.rows.map((r, i) => ({ ...r, constructedAt: mods[i]?.constructedAt ?? null }));
  const result: Omit<InspectModel, 'name'> = { type: model.constructor.name || 'Module', source, inputShape: shapes, rows, totals: base.totals };
  if (error) result.error = error;
  cache.set(model, { key, model: result });
  return { name, ...result };
}

export function inspectModules(args: { names?: string[] } = {}, scope: object = globalThis): ModulesResponse {
  const t0 = Date.now();
  depth = 0; // no forward can be running while a request is handled; a terminated (SIGINT) forward may have leaked depth
  const wanted = args?.names ? new Set(args.names) : null;
  const models = moduleGlobals(scope).filter(([n]) => !wanted || wanted.has(n)).map(([n, m]) => inspectModel(n, m));
  return { models, elapsedMs: Date.now() - t0 };
}

function moduleSummary(args: { name: string; inputShape?: number[] | number[][] }, scope: object = globalThis): unknown {
  const model = (scope as Record<string, unknown>)[args?.name];
  if (!(model instanceof Module)) throw new Error(`'${args?.name}' is not an nn.Module variable`);
  const shapes = args.inputShape ?? shapeSource(model).shapes;
  if (!shapes) throw new Error(`no input shape known for '${args.name}': run it once, call summary(), or set ${args.name}.inputShape`);
  return summaryDisplay(withoutUserHooks(model, () => summary(model, shapes)));
}

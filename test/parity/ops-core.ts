/**
 * Fixture `op` keys → public runtime API calls (docs/api.md): views/movement, math, reductions, linear algebra.
 * Each entry receives the runtime module, the named input tensors and the case kwargs, and returns the outputs
 * in the fixture's order (a Tensor or an array of Tensors).
 */
export type Inputs = Record<string, any>;
export type OpFn = (rt: any, t: Inputs, kw: Record<string, any>) => any;

/** Only the options that are present: fixtures omit defaults, so the runtime's defaults are exercised too. */
export function opts(kw: Record<string, any>, keys: string[]): Record<string, any> | undefined {
  const o: Record<string, any> = {};
  let any = false;
  for (const k of keys) {
    if (kw[k] !== undefined) {
      o[k] = kw[k];
      any = true;
    }
  }
  return any ? o : undefined;
}

/** Call `fn(...args)` dropping trailing undefined arguments (so `x.sum()` is called, not `x.sum(undefined)`). */
export function call(target: any, method: string, ...args: any[]): any {
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  if (typeof target[method] !== 'function') throw new Error(`runtime: ${method} is not a function`);
  return target[method](...args);
}

/** Inputs named x0, x1, ... in order (cat/stack). */
function seq(t: Inputs): any[] {
  return Object.keys(t)
    .filter((k) => /^x\d+$/.test(k))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => t[k]);
}

function indexSpecs(t: Inputs, specs: any[]): any[] {
  return specs.map((s) => (s !== null && typeof s === 'object' && !Array.isArray(s) ? t[s.tensor] : s));
}

function shapeArgs(shape: number[]): any[] {
  return shape.length === 0 ? [[]] : shape; // reshape to a scalar: x.reshape([])
}

const views: Record<string, OpFn> = {
  reshape: (_rt, t, kw) => t.x.reshape(...shapeArgs(kw.shape)),
  view: (_rt, t, kw) => t.x.view(...shapeArgs(kw.shape)),
  permute: (_rt, t, kw) => t.x.permute(...kw.dims),
  transpose: (_rt, t, kw) => t.x.transpose(kw.dim0, kw.dim1),
  t: (_rt, t) => t.x.t(),
  flatten: (_rt, t, kw) => call(t.x, 'flatten', kw.startDim ?? (kw.endDim !== undefined ? 0 : undefined), kw.endDim),
  squeeze: (_rt, t, kw) => call(t.x, 'squeeze', kw.dim),
  unsqueeze: (_rt, t, kw) => t.x.unsqueeze(kw.dim),
  expand: (_rt, t, kw) => t.x.expand(...kw.shape),
  narrow: (_rt, t, kw) => t.x.narrow(kw.dim, kw.start, kw.length),
  select: (_rt, t, kw) => t.x.select(kw.dim, kw.index),
  index: (_rt, t, kw) => t.x.index(...indexSpecs(t, kw.specs)),
  chunk: (_rt, t, kw) => t.x.chunk(kw.chunks, kw.dim),
  split: (_rt, t, kw) => t.x.split(kw.size, kw.dim),
  cat: (rt, t, kw) => rt.cat(seq(t), kw.dim),
  stack: (rt, t, kw) => rt.stack(seq(t), kw.dim),
  chain: (_rt, t, kw) => (kw.steps as [string, any[]][]).reduce((x, [m, args]) => call(x, m, ...args), t.x),
};

const binary = (name: string): OpFn => (_rt, t, kw) =>
  call(t.a, name, t.b ?? kw.other, opts(kw, ['alpha']));
const unary = (name: string): OpFn => (_rt, t) => call(t.x, name);

const math: Record<string, OpFn> = {
  add: binary('add'), sub: binary('sub'), mul: binary('mul'), div: binary('div'),
  maximum: binary('maximum'), minimum: binary('minimum'),
  pow: (_rt, t, kw) => t.a.pow(t.b ?? kw.exponent),
  clamp: (_rt, t, kw) => call(t.x, 'clamp', kw.min, kw.max),
  where: (rt, t) => rt.where(t.cond, t.a, t.b),
};
for (const u of ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'square', 'reciprocal', 'sin', 'cos']) {
  math[u] = unary(u);
}

/** x.op() when no dim; x.op(dim, {keepdim, ...}) otherwise. */
const reduce = (name: string, extra: string[] = []): OpFn => (_rt, t, kw) => {
  const o = opts(kw, ['keepdim', ...extra]);
  if (kw.dim === undefined) return o && extra.some((k) => kw[k] !== undefined) ? t.x[name](undefined, o) : call(t.x, name);
  return call(t.x, name, kw.dim, o);
};

/** max()/min() full reduction → tensor; with dim → {values, indices} → [values, indices]. */
const maxmin = (name: string): OpFn => (_rt, t, kw) => {
  const r = kw.dim === undefined ? t.x[name]() : t.x[name](kw.dim, opts(kw, ['keepdim']));
  if (kw.dim === undefined) return r && r.values !== undefined && typeof r.dataSync !== 'function' ? r.values : r;
  return [r.values, r.indices];
};

const reductions: Record<string, OpFn> = {
  sum: reduce('sum'), mean: reduce('mean'), prod: reduce('prod'), logsumexp: reduce('logsumexp'),
  var: reduce('var', ['unbiased']), std: reduce('std', ['unbiased']),
  argmax: reduce('argmax'), argmin: reduce('argmin'),
  max: maxmin('max'), min: maxmin('min'),
  norm: (_rt, t, kw) => call(t.x, 'norm', kw.p ?? (kw.dim !== undefined ? 2 : undefined), kw.dim, opts(kw, ['keepdim'])),
};

const linalg: Record<string, OpFn> = {
  matmul: (rt, t) => rt.matmul(t.a, t.b),
  mm: (rt, t) => rt.mm(t.a, t.b),
  mm_t: (rt, t) => rt.mm(t.a.t(), t.b),
  bmm: (rt, t) => rt.bmm(t.a, t.b),
  linear: (rt, t) => call(rt.F ?? {}, 'linear', t.x, t.w, t.b),
};

export const CORE_OPS: Record<string, OpFn> = { ...views, ...math, ...reductions, ...linalg };

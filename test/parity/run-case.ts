/**
 * Run one fixture case against the runtime: build inputs, forward, compare outputs, backward with the stored
 * upstream seeds, compare every input gradient and every in-place-mutated input. Returns mismatch messages.
 */
import { compareTensor } from './compare';
import { FixtureCase, makeTensor } from './fixtures';
import { CORE_OPS, OpFn } from './ops-core';
import { NN_OPS } from './ops-nn';

export const OPS: Record<string, OpFn> = { ...CORE_OPS, ...NN_OPS };

export function asList(r: any): any[] {
  return Array.isArray(r) ? r : [r];
}

export function phase<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const err = e as Error;
    throw new Error(`${what} threw: ${err && err.stack ? err.stack.split('\n').slice(0, 4).join('\n    ') : err}`);
  }
}

/** Backward of sum_i <out_i, seed_i>: out.backward(seed) for one seeded output, else via an explicit sum. */
export function backward(rt: any, c: FixtureCase, outs: any[]): void {
  const seeded: [any, any][] = [];
  c.seeds.forEach((s, k) => {
    if (s) seeded.push([outs[k], makeTensor(rt, s)]);
  });
  if (seeded.length === 0) return;
  for (const [o] of seeded) {
    if (!o.requiresGrad) throw new Error('a differentiable output has requiresGrad=false');
  }
  if (seeded.length === 1) {
    seeded[0][0].backward(seeded[0][1]);
    return;
  }
  let total = seeded[0][0].mul(seeded[0][1]).sum();
  for (const [o, s] of seeded.slice(1)) total = total.add(o.mul(s).sum());
  total.backward();
}

export function runCase(rt: any, c: FixtureCase): string[] {
  const fn = OPS[c.op];
  if (!fn) return [`no harness mapping for op '${c.op}'`];
  const t: Record<string, any> = {};
  phase('building inputs', () => {
    for (const inp of c.inputs) t[inp.name] = makeTensor(rt, inp, inp.requiresGrad);
  });
  const outs = phase('forward', () => asList(fn(rt, t, c.kwargs)));
  const errors: string[] = [];
  if (outs.length !== c.outputs.length) {
    return [`forward returned ${outs.length} outputs, expected ${c.outputs.length}`];
  }
  c.outputs.forEach((e, k) => {
    const m = compareTensor(`output[${k}]`, outs[k], e);
    if (m) errors.push(m);
  });
  for (const [name, e] of Object.entries(c.extra)) {
    const m = compareTensor(`${name} after the call`, t[name], e);
    if (m) errors.push(m);
  }
  if (Object.keys(c.grads).length > 0) {
    phase('backward', () => backward(rt, c, outs));
    for (const [name, e] of Object.entries(c.grads)) {
      const g = t[name].grad;
      const m = g ? compareTensor(`grad of '${name}'`, g, e) : `grad of '${name}': missing (null)`;
      if (m) errors.push(m);
    }
  }
  return errors;
}

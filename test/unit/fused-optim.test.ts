/**
 * Multi-tensor SGD / Adam / AdamW on wasm (src/runtime/optim/fused.ts, one kernel call per group) against the
 * per-tensor update() path on the same backend, over several steps, with every option and awkward sizes; and
 * state written where stateDict() finds it.
 */
import assert from 'node:assert/strict';
import '../../src/runtime/ops/methods';
import type { Tensor } from '../../src/runtime/tensor';
import { tensor } from '../../src/runtime/ops/creation';
import { getBackend, setBackend, type BackendName } from '../../src/runtime/backend/registry';
import { SGD, Adam, AdamW } from '../../src/runtime/optim/sgd';
import type { ParamGroup } from '../../src/runtime/optim/optimizer';
import { randomArray } from './wasm-helpers';

const SIZES = [[1], [7], [3, 11], [33], [2, 3, 5]];

function params(seed: number): Tensor[] {
  return SIZES.map((s, i) => tensor(Array.from(randomArray(s.reduce((a, b) => a * b, 1), seed + i))).reshape(s).detach().requiresGrad_(true));
}

/** Sets deterministic gradients for step k (one of them non-contiguous: handled by the per-tensor path). */
function setGrads(ps: Tensor[], k: number): void {
  ps.forEach((p, i) => {
    p.grad = tensor(Array.from(randomArray(p.numel(), 100 * k + i))).reshape(p.shape);
  });
  // a strided grad for parameter [3, 11]
  ps[2].grad = tensor(Array.from(randomArray(33, 100 * k + 2))).reshape([11, 3]).transpose(0, 1);
}

type Make = (ps: Tensor[], plain: boolean) => { step(): void; stateDict(): { state: Record<number, Record<string, unknown>> } };

function perTensor<T extends new (...a: any[]) => any>(Base: T): T {
  return class extends Base {
    protected updateGroup(_g: ParamGroup<unknown>, ps: Tensor[]): Tensor[] {
      return ps;
    }
  } as T;
}

function compare(make: Make, steps = 4): void {
  const a = params(1), b = params(1);
  const fused = make(a, false), plain = make(b, true);
  for (let k = 0; k < steps; k++) {
    setGrads(a, k);
    setGrads(b, k);
    fused.step();
    plain.step();
  }
  a.forEach((p, i) => assert.deepEqual(Array.from(p.dataSync()), Array.from(b[i].dataSync()), `parameter ${i} after ${steps} steps`));
  const sa = fused.stateDict().state, sb = plain.stateDict().state;
  assert.deepEqual(Object.keys(sa), Object.keys(sb));
  for (const k of Object.keys(sa)) {
    for (const [key, v] of Object.entries(sb[Number(k)])) {
      const got = sa[Number(k)][key];
      if (typeof v === 'number') assert.equal(got, v, `state ${k}.${key}`);
      else assert.deepEqual(Array.from((got as Tensor).dataSync()), Array.from((v as Tensor).dataSync()), `state ${k}.${key}`);
    }
  }
}

describe('fused multi-tensor optimizers (wasm) equal the per-tensor path bit for bit', () => {
  let prev: BackendName;
  before(() => {
    prev = getBackend();
    setBackend('wasm');
  });
  after(() => setBackend(prev));

  const sgdCases: Array<Record<string, unknown>> = [
    { lr: 0.1 },
    { lr: 0.05, momentum: 0.9 },
    { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 },
    { lr: 0.05, momentum: 0.8, nesterov: true, maximize: true },
  ];
  for (const o of sgdCases) {
    it(`SGD ${JSON.stringify(o)}`, () => compare((ps, plain) => new (plain ? perTensor(SGD) : SGD)(ps, o as any)));
  }
  it('SGD with two groups of different options', () => compare((ps, plain) => new (plain ? perTensor(SGD) : SGD)(
    [{ params: ps.slice(0, 2), lr: 0.3, momentum: 0.5 }, { params: ps.slice(2), lr: 0.01 }] as any, { lr: 0.1 })));

  const adamCases: Array<Record<string, unknown>> = [
    {},
    { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 },
    { lr: 0.01, amsgrad: true, maximize: true },
  ];
  for (const o of adamCases) {
    it(`Adam ${JSON.stringify(o)}`, () => compare((ps, plain) => new (plain ? perTensor(Adam) : Adam)(ps, o as any)));
    // the per-tensor side is a subclass of AdamW: it must keep AdamW's default weightDecay (1e-2)
    it(`AdamW ${JSON.stringify(o)}`, () => compare((ps, plain) => new (plain ? perTensor(AdamW) : AdamW)(ps, o as any)));
  }
});

describe('a subclass of AdamW is still AdamW', () => {
  class MyAdamW extends AdamW {}
  class Deeper extends MyAdamW {}
  it('keeps AdamW\'s default weightDecay 1e-2 and its decoupled decay', () => {
    for (const Ctor of [AdamW, MyAdamW, Deeper]) {
      const p = tensor([1.5, -2.5, 3.25]).requiresGrad_(true);
      const opt = new Ctor([p], { lr: 0.1 });
      assert.equal(opt.paramGroups[0].weightDecay, 1e-2, Ctor.name);
      // zero gradient: Adam's update is 0 (m = 0), so only the decoupled decay moves p: p·(1 − lr·wd)
      p.grad = tensor([0.0, 0.0, 0.0], { dtype: 'float32' });
      opt.step();
      assert.deepEqual(Array.from(p.dataSync()), [1.5, -2.5, 3.25].map((v) => Math.fround(v * Math.fround(1 - 0.1 * 0.01))), Ctor.name);
    }
  });
  it('a subclass of Adam keeps Adam\'s default weightDecay 0', () => {
    class MyAdam extends Adam {}
    assert.equal(new MyAdam([tensor([0.5]).requiresGrad_(true)]).paramGroups[0].weightDecay, 0);
  });
});

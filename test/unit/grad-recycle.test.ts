/**
 * The backward pass frees consumed gradient buffers at once (src/runtime/autograd/recycle.ts) without touching
 * anything still reachable: leaf .grad values, retained grads, tensors kept by hooks, gradients that paths share
 * (x + x, views), and the results of grad(). Values are compared with a createGraph run (which frees nothing).
 */
import assert from 'node:assert/strict';
import '../../src/runtime/ops/methods';
import type { Tensor } from '../../src/runtime/tensor';
import { tensor } from '../../src/runtime/ops/creation';
import { add, mul, tanh } from '../../src/runtime/ops/basic';
import { sum } from '../../src/runtime/ops/reduce';
import { reshape } from '../../src/runtime/ops/views';
import { grad } from '../../src/runtime/autograd/engine';
import { wasmBackend } from '../../src/runtime/backend/wasm';
import { randomArray } from './wasm-helpers';

const input = (seed: number): Tensor => tensor(Array.from(randomArray(48, seed))).reshape([6, 8]).detach();

/** A net with shared paths (x + x), views, a retained intermediate and a hook that keeps its gradient. */
function net(x: Tensor, w: Tensor, kept: Tensor[]) {
  const a = tanh(mul(x, w));
  const b = add(a, a); // add's backward hands the same gradient to both of its edges
  b.retainGrad();
  const c = reshape(mul(b, 0.5), [8, 6]); // a view in the backward path
  c.registerHook((g) => void kept.push(g));
  const d = tanh(add(c, reshape(x, [8, 6])));
  return { loss: sum(mul(d, d)), b };
}

describe('backward frees consumed gradient buffers', () => {
  it('leaf, retained and hooked gradients keep their values (same as a run that frees nothing)', () => {
    const run = (createGraph: boolean) => {
      const x = input(1).requiresGrad_(true), w = input(2).requiresGrad_(true);
      const kept: Tensor[] = [];
      const { loss, b } = net(x, w, kept);
      loss.backward(null, { createGraph });
      // allocate so that freed blocks get reused: a wrongly freed gradient would be overwritten
      for (let i = 0; i < 20; i++) mul(input(10 + i), 3);
      return [x.grad!, w.grad!, b.grad!, kept[0]].map((t) => Array.from(t.dataSync()));
    };
    const want = run(true), got = run(false);
    got.forEach((v, i) => assert.deepEqual(v, want[i], `gradient ${i}`));
  });

  it('grad() results stay valid', () => {
    const x = input(3).requiresGrad_(true), w = input(4).requiresGrad_(true);
    const [gx, gw] = grad(net(x, w, []).loss, [x, w]) as Tensor[];
    const x2 = input(3).requiresGrad_(true), w2 = input(4).requiresGrad_(true);
    const [hx, hw] = grad(net(x2, w2, []).loss, [x2, w2], { createGraph: true }) as Tensor[];
    for (let i = 0; i < 20; i++) mul(input(30 + i), 3);
    assert.deepEqual(Array.from(gx.dataSync()), Array.from(hx.dataSync()));
    assert.deepEqual(Array.from(gw.dataSync()), Array.from(hw.dataSync()));
  });

  it('a long chain leaves only its leaf gradients alive after backward', () => {
    const be = wasmBackend();
    const live = (createGraph: boolean) => {
      const x = tensor(Array.from(randomArray(4096, 5))).detach().requiresGrad_(true);
      let h = x;
      for (let i = 0; i < 30; i++) h = tanh(mul(h, 1.01));
      const loss = sum(h);
      const before = be.stats().liveStorages;
      loss.backward(null, { createGraph });
      return be.stats().liveStorages - before;
    };
    const kept = live(true), freed = live(false);
    assert.ok(freed < 5, `only a handful of storages survive the backward (got ${freed})`);
    assert.ok(kept > 30, `without recycling every intermediate gradient is alive (got ${kept})`);
  });
});

/**
 * nn.Sequential frees its intermediates once backward has run the nodes that read them (src/runtime/nn/seq-run.ts,
 * autograd/recycle.ts), so a training loop without dispose() does not wait for the garbage collector; and it
 * never frees anything user code can still see. Counts are of live storages (deterministic), never of time.
 */
import assert from 'node:assert/strict';
import * as L from '../../src/runtime';
import type { Tensor } from '../../src/runtime/tensor';
import { wasmBackend } from '../../src/runtime/backend/wasm';

const nn = L.nn;
const be = wasmBackend();

function mlp(): L.nn.Sequential {
  L.manualSeed(3);
  return new nn.Sequential(new nn.Linear(12, 16), new nn.ReLU(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 5));
}

function cnn(): L.nn.Sequential {
  L.manualSeed(4);
  return new nn.Sequential(new nn.Conv2d(2, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 3, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(3, 5));
}

/** Live storages one forward + backward leaves behind (no collection can run: the watermark is out of reach). */
function liveAfterStep(model: L.nn.Sequential, x: Tensor): number {
  be.allocator.setWatermark(4 << 30);
  x.grad = null;
  try {
    const before = be.stats().liveStorages;
    const out = model(x);
    out.square().sum().backward();
    return be.stats().liveStorages - before;
  } finally {
    be.allocator.setWatermark(64 << 20);
  }
}

/** A fresh model with a forward hook on the children at `hooked` (a hooked module's input and output are kept). */
function hookedAt(make: () => L.nn.Sequential, hooked: number[]): L.nn.Sequential {
  const model = make();
  [...model.children()].forEach((m, i) => void (hooked.includes(i) && m.registerForwardHook(() => undefined)));
  return model;
}

/** Gradients of every parameter and of the input after one backward, as plain arrays. */
function grads(model: L.nn.Sequential, x: Tensor, opts: { retainGraph?: boolean } = {}): number[][] {
  model.zeroGrad();
  x.grad = null;
  const out = model(x);
  out.square().sum().backward(null, opts);
  for (let i = 0; i < 20; i++) L.randn([64, 64]).mul(3); // reuse freed blocks: a wrong free would show
  return [...model.parameters(), x].map((p) => Array.from(p.grad!.dataSync()));
}

describe('nn.Sequential frees its intermediates after backward', () => {
  before(() => L.setBackend('wasm'));

  for (const [name, make, shape] of [['MLP', mlp, [7, 12]], ['CNN with BN, pooling, Flatten', cnn, [3, 2, 6, 6]]] as const) {
    it(`${name}: fewer live storages after a step, same gradients as with the freeing off`, () => {
      const x = L.randn([...shape]).requiresGrad_(true);
      const freed = liveAfterStep(make(), x);
      // a forward hook on every child makes each intermediate visible to user code: nothing may be freed
      const all = Array.from({ length: make().length }, (_, i) => i);
      const kept = liveAfterStep(hookedAt(make, all), x);
      assert.ok(freed < kept, `live storages after a step: ${freed} with freeing, ${kept} without`);
      assert.deepEqual(grads(make(), x), grads(hookedAt(make, all), x));
    });
  }

  it('MLP: exactly its intermediates are freed (4 between 5 modules)', () => {
    const x = L.randn([7, 12]).requiresGrad_(true);
    const none = liveAfterStep(hookedAt(mlp, [0, 1, 2, 3, 4]), x);
    const freed = liveAfterStep(mlp(), x);
    const partly = liveAfterStep(hookedAt(mlp, [1]), x); // ReLU hooked: its input and its output are kept
    assert.equal(none - freed, 4);
    assert.equal(partly - freed, 2);
  });

  it('keeps the input, the output, and a view of an intermediate returned as the output', () => {
    L.manualSeed(5);
    const model = new nn.Sequential(new nn.Identity(), new nn.Linear(6, 6), new nn.ReLU(), new nn.Flatten(0));
    const x = L.randn([2, 6]).requiresGrad_(true);
    const out = model(x);
    const want = Array.from(out.dataSync());
    out.sum().backward();
    for (let i = 0; i < 10; i++) L.randn([16, 16]).mul(2);
    assert.deepEqual(Array.from(out.dataSync()), want);
    assert.equal(x.grad!.shape.length, 2);
    assert.ok(Number.isFinite(x.sum().item()));
  });

  it('retainGraph: a second backward still works and gives the same gradients', () => {
    const model = cnn();
    const x = L.randn([3, 2, 6, 6]).requiresGrad_(true);
    const out = model(x);
    const loss = out.square().sum();
    loss.backward(null, { retainGraph: true });
    const first = Array.from(x.grad!.dataSync());
    for (let i = 0; i < 10; i++) L.randn([64, 64]).mul(3);
    x.grad = null;
    loss.backward();
    assert.deepEqual(Array.from(x.grad!.dataSync()), first);
  });

  it('createGraph: double backward through the Sequential matches a hooked (unfreed) run', () => {
    const run = (hook: boolean): number[] => {
      const model = mlp();
      const handles = hook ? [...model.children()].map((m) => m.registerForwardHook(() => undefined)) : [];
      L.manualSeed(9);
      const x = L.randn([4, 12]).requiresGrad_(true);
      const [gx] = L.autograd.grad(model(x).square().sum(), [x], { createGraph: true }) as Tensor[];
      gx.square().sum().backward();
      handles.forEach((h) => h.remove());
      return Array.from((model.at(0) as L.nn.Linear).weight.grad!.dataSync());
    };
    assert.deepEqual(run(false), run(true));
  });

  it('a user module in the middle keeps what it stashed (its input and output are not freed)', () => {
    class Stash extends nn.Module {
      seen: Tensor[] = [];
      forward(x: Tensor): Tensor {
        const y = x.mul(2);
        this.seen.push(x, y);
        return y;
      }
    }
    L.manualSeed(6);
    const stash = new Stash();
    const model = new nn.Sequential(new nn.Linear(5, 5), stash, new nn.ReLU(), new nn.Linear(5, 2));
    const x = L.randn([3, 5]);
    model(x).sum().backward();
    for (let i = 0; i < 10; i++) L.randn([32, 32]).mul(2);
    const [a, b] = stash.seen;
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()).map((v) => Math.fround(v * 2)));
  });

  it('without backward nothing is freed early: the graph can still run later', () => {
    const model = mlp();
    const x = L.randn([7, 12]).requiresGrad_(true);
    const loss = model(x).square().sum();
    for (let i = 0; i < 20; i++) L.randn([64, 64]).mul(3);
    loss.backward();
    const want = grads(model, x);
    assert.deepEqual(Array.from(x.grad!.dataSync()), want[want.length - 1]);
  });
});

describe('memory: 10,000 training steps without dispose', () => {
  before(() => L.setBackend('wasm'));
  after(() => be.allocator.setWatermark(64 << 20));

  it('bytes in use stay bounded and reserved memory flat; collections are rare', function () {
    this.timeout(300_000);
    L.manualSeed(7);
    const model = new nn.Sequential(new nn.Linear(32, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 10));
    const opt = new L.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const x = L.randn([16, 32]);
    const y = L.tensor(Array.from({ length: 16 }, (_, i) => i % 10), { dtype: 'int32' });
    // a low watermark, so that 10,000 steps pass it many times (above what is really live: collect first)
    L.collectGarbage();
    const base = be.stats().bytesInUse;
    be.allocator.setWatermark(base + (8 << 20));
    const c0 = be.allocator.collections;
    let peak = 0;
    const reserved: number[] = [];
    const peaks: number[] = [];
    for (let step = 1; step <= 10_000; step++) {
      opt.zeroGrad();
      L.F.crossEntropy(model(x), y).backward();
      opt.step();
      peak = Math.max(peak, be.stats().bytesInUse);
      if (step % 1000 === 0) {
        reserved.push(be.stats().bytesReserved);
        peaks.push(peak);
        peak = 0;
      }
    }
    // the allocator uses the room the memory has, and collects rather than grow it past the watermark
    assert.ok(reserved[9] <= reserved[0], `reserved grew: ${reserved.join(', ')}`);
    assert.ok(Math.max(...peaks) <= reserved[0], `bytes in use: ${peaks.join(', ')}`);
    // per step only the user-visible tensors (.grad: 27.7 KB, logits, loss) are left to the collector: at most
    // 10,000 × 29 KB / 8 MB ≈ 35 forced collections, fewer when V8's own collections found them first
    assert.ok(be.allocator.collections - c0 <= 40, `${be.allocator.collections - c0} forced collections`);
  });
});

/**
 * nn.Sequential's BatchNorm → ReLU runs as one fused op (src/runtime/nn/seq-run.ts, ops/nn/epilogue-fused.ts,
 * kernels/assembly/epilogue.ts): the same values and gradients as the unfused pair bit for bit, float64 on the
 * reference backend within float32 tolerance, relu'(0) = 0, no fusion when a hook could see the BatchNorm's own
 * output, and double backward.
 */
import assert from 'node:assert/strict';
import * as L from '../../src/runtime';
import type { Tensor } from '../../src/runtime/tensor';
import { batchNorm } from '../../src/runtime/ops/nn/norm';
import { topoOrder } from '../../src/runtime/autograd/engine';

const nn = L.nn;

const setTo = (p: Tensor, v: Tensor): void => void L.noGrad(() => p.copy_(v));

/** conv → BN → ReLU → conv (the pair is fused unless `hookRelu`), or BN1d → ReLU → Linear for 2-D inputs. */
function model(kind: '2d' | '1d', c: number, hookRelu: boolean): L.nn.Sequential {
  L.manualSeed(11);
  const m = kind === '2d'
    ? new nn.Sequential(new nn.Conv2d(2, c, 3, { padding: 1 }), new nn.BatchNorm2d(c), new nn.ReLU(), new nn.Conv2d(c, 2, 1))
    : new nn.Sequential(new nn.Linear(6, c), new nn.BatchNorm1d(c), new nn.ReLU(), new nn.Linear(c, 3));
  const bn = m.at(1) as L.nn.BatchNorm2d;
  // a non-trivial affine, with some weights 0 (the pre-activation is then exactly the bias: 0 for channel 0)
  setTo(bn.weight!, L.tensor(Array.from({ length: c }, (_, k) => (k % 3 === 0 ? 0 : 0.5 + k * 0.25))));
  setTo(bn.bias!, L.tensor(Array.from({ length: c }, (_, k) => (k === 0 ? 0 : (k % 2 ? -0.3 : 0.2)))));
  if (hookRelu) m.at(2).registerForwardHook(() => undefined);
  return m;
}

function names(out: Tensor): string[] {
  return topoOrder(out.gradFn!).map((n) => n.name);
}

function run(m: L.nn.Sequential, x: Tensor, createGraph = false): { out: number[]; grads: number[][]; graph: string[] } {
  x.grad = null;
  const out = m(x);
  const loss = out.mul(out).sum();
  if (createGraph) {
    const [gx] = L.autograd.grad(loss, [x], { createGraph: true }) as Tensor[];
    gx.square().sum().backward();
  } else loss.backward();
  const graph = names(out);
  return { out: Array.from(out.dataSync()), grads: [...m.parameters(), x].map((p) => Array.from(p.grad!.dataSync())), graph };
}

/** Conv2d → ReLU or Linear → ReLU (ReLU in place on the fresh output unless `hookRelu`), then one more layer. */
function inPlaceModel(kind: 'conv' | 'linear', c: number, hookRelu: boolean): L.nn.Sequential {
  L.manualSeed(15);
  const m = kind === 'conv'
    ? new nn.Sequential(new nn.Conv2d(2, c, 3, { padding: 1 }), new nn.ReLU(), new nn.Conv2d(c, 2, 1))
    : new nn.Sequential(new nn.Linear(6, c), new nn.ReLU(), new nn.Linear(c, 3));
  // bias 0 and one zero row of weights: that channel's pre-activation is exactly 0 (relu'(0) must be 0)
  const first = m.at(0) as L.nn.Linear;
  setTo(first.bias!, L.zeros(first.bias!.shape));
  L.noGrad(() => first.weight.select(0, 0).zero_());
  if (hookRelu) m.at(1).registerForwardHook(() => undefined);
  return m;
}

describe('ReLU in place after Conv2d / Linear in nn.Sequential', () => {
  before(() => L.setBackend('wasm'));
  const cases: Array<['conv' | 'linear', number, number[]]> = [
    ['conv', 3, [2, 2, 5, 7]], ['conv', 6, [1, 2, 4, 4]], ['linear', 7, [5, 6]], ['linear', 9, [6]],
  ];
  for (const [kind, c, shape] of cases) {
    it(`${kind}, ${c} channels, input [${shape}]: same values, gradients and graph as the unfused pair`, () => {
      L.manualSeed(16);
      const x = L.randn(shape).requiresGrad_(true);
      const fused = run(inPlaceModel(kind, c, false), x);
      const plain = run(inPlaceModel(kind, c, true), x);
      assert.deepEqual(fused.graph, plain.graph);
      assert.ok(fused.graph.includes('ReluBackward'));
      assert.deepEqual(fused.out, plain.out);
      fused.grads.forEach((g, i) => assert.deepEqual(g, plain.grads[i], `gradient ${i}`));
      // the zero channel's weights and bias get no gradient through relu'(0) = 0
      const first = inPlaceModel(kind, c, false);
      first(x).sum().backward();
      const w0 = (first.at(0) as L.nn.Linear).weight.grad!.select(0, 0);
      assert.ok(Array.from(w0.dataSync()).every((v) => v === 0));
      assert.equal((first.at(0) as L.nn.Linear).bias!.grad!.dataSync()[0], 0);
    });
  }

  it('matches float64 on the reference backend', () => {
    const m = inPlaceModel('conv', 4, false);
    const x = L.randn([2, 2, 5, 5]);
    const out = m(x);
    out.sum().backward();
    const [w1, b1, w2, b2] = m.parameters().map((p) => p.detach().to('float64').requiresGrad_(true));
    const yd = L.F.conv2d(L.F.relu(L.F.conv2d(x.to('float64'), w1, b1, { padding: 1 })), w2, b2);
    yd.sum().backward();
    const close = (a: Tensor, e: Tensor, what: string): void => {
      const av = a.dataSync(), ev = e.dataSync();
      for (let i = 0; i < av.length; i++) assert.ok(Math.abs(av[i] - ev[i]) <= 1e-4 * (1 + Math.abs(ev[i])), `${what}[${i}]: ${av[i]} vs ${ev[i]}`);
    };
    close(out, yd, 'output');
    m.parameters().forEach((p, i) => close(p.grad!, [w1, b1, w2, b2][i].grad!, `grad ${i}`));
  });

  it('double backward equals the unfused pair; a hook on the Conv2d or the ReLU sees the real pre-activation', () => {
    L.manualSeed(17);
    const x = L.randn([2, 2, 4, 3]).requiresGrad_(true);
    const a = run(inPlaceModel('conv', 3, false), x, true), b = run(inPlaceModel('conv', 3, true), x, true);
    a.grads.forEach((g, i) => assert.deepEqual(g, b.grads[i], `gradient ${i}`));
    const m = inPlaceModel('conv', 3, false);
    let kept: Tensor | null = null;
    m.at(0).registerForwardHook((_m, _i, out) => void (kept = out as Tensor));
    const y0 = m(x);
    // read after the whole forward: an in-place ReLU would have rectified the tensor the hook kept
    assert.ok(Array.from(kept!.dataSync()).some((v) => v < 0), 'the Conv2d output the hook kept is not rectified');
    assert.ok(Number.isFinite(y0.sum().item()));
  });
});

describe('fused BatchNorm → ReLU epilogue in nn.Sequential', () => {
  before(() => L.setBackend('wasm'));

  const cases: Array<['2d' | '1d', number, number[]]> = [
    ['2d', 3, [2, 2, 5, 7]], // H·W = 35: not a multiple of 4
    ['2d', 5, [1, 2, 3, 3]], // batch 1
    ['2d', 8, [3, 2, 4, 4]],
    ['1d', 7, [5, 6]], // hw = 1
  ];
  for (const [kind, c, shape] of cases) {
    it(`${kind}, ${c} channels, input [${shape}]: equals the unfused pair bit for bit`, () => {
      L.manualSeed(12);
      const x = L.randn(shape).requiresGrad_(true);
      const fused = run(model(kind, c, false), x);
      const plain = run(model(kind, c, true), x);
      assert.ok(fused.graph.includes('BatchNormReluBackward'), fused.graph.join(' '));
      assert.ok(!plain.graph.includes('BatchNormReluBackward') && plain.graph.includes('ReluBackward'), plain.graph.join(' '));
      assert.deepEqual(fused.out, plain.out);
      fused.grads.forEach((g, i) => assert.deepEqual(g, plain.grads[i], `gradient ${i}`));
    });
  }

  it('matches float64 on the reference backend', () => {
    L.manualSeed(13);
    const x = L.randn([3, 4, 5, 3]);
    const w = L.tensor([0, 1.5, -0.7, 2]), b = L.tensor([0, 0.1, -0.2, 0.3]);
    const m = new nn.Sequential(new nn.Identity(), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.Identity());
    const bn = m.at(1) as L.nn.BatchNorm2d;
    setTo(bn.weight!, w);
    setTo(bn.bias!, b);
    const xi = x.clone().requiresGrad_(true);
    const out = m(xi);
    assert.ok(names(out).includes('BatchNormReluBackward'));
    out.mul(L.arange(out.numel()).reshape(out.shape).mul(0.01)).sum().backward();
    const xd = x.to('float64').requiresGrad_(true), wd = w.to('float64').requiresGrad_(true), bd = b.to('float64').requiresGrad_(true);
    const yd = L.F.relu(batchNorm(xd, null, null, { weight: wd, bias: bd, training: true }));
    yd.mul(L.arange(yd.numel(), { dtype: 'float64' }).reshape(yd.shape).mul(0.01)).sum().backward();
    const close = (a: Tensor, e: Tensor, what: string): void => {
      const av = a.dataSync(), ev = e.dataSync();
      for (let i = 0; i < av.length; i++) assert.ok(Math.abs(av[i] - ev[i]) <= 1e-4 * (1 + Math.abs(ev[i])), `${what}[${i}]: ${av[i]} vs ${ev[i]}`);
    };
    close(out, yd, 'output');
    close(xi.grad!, xd.grad!, 'x.grad');
    close(bn.weight!.grad!, wd.grad!, 'weight.grad');
    close(bn.bias!.grad!, bd.grad!, 'bias.grad');
  });

  it("the gradient at exactly 0 is 0 (relu'(0) = 0, PyTorch's threshold_backward)", () => {
    // channel 0 has weight 0 and bias 0: its pre-activation is exactly 0 everywhere
    const m = model('2d', 3, false);
    const x = L.randn([2, 2, 4, 4]).requiresGrad_(true);
    const out = m(x);
    out.sum().backward();
    const bn = m.at(1) as L.nn.BatchNorm2d;
    assert.equal(bn.bias!.grad!.dataSync()[0], 0);
    assert.equal(bn.weight!.grad!.dataSync()[0], 0);
  });

  it('no fusion with a hook on either module, in eval mode it still equals the unfused pair', () => {
    for (const at of [1, 2]) {
      const m = model('2d', 3, false);
      m.at(at).registerForwardHook(() => undefined);
      const out = m(L.randn([2, 2, 4, 4]));
      assert.ok(!names(out).includes('BatchNormReluBackward'), `hook on module ${at}`);
    }
    const x = L.randn([2, 2, 4, 4]);
    const a = model('2d', 3, false).eval(), b = model('2d', 3, true).eval();
    assert.deepEqual(Array.from(a(x).dataSync()), Array.from(b(x).dataSync()));
  });

  it('a BatchNorm → ReLU at the end is not fused: the output is the ReLU module\'s', () => {
    const m = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.ReLU());
    assert.equal(m(L.randn([5, 4])).gradFn!.name, 'ReluBackward');
  });

  it('double backward (createGraph) equals the unfused pair', () => {
    L.manualSeed(14);
    const x = L.randn([2, 2, 3, 5]).requiresGrad_(true);
    const fused = run(model('2d', 4, false), x, true);
    const plain = run(model('2d', 4, true), x, true);
    fused.grads.slice(0, -1).forEach((g, i) => {
      g.forEach((v, k) => assert.ok(Math.abs(v - plain.grads[i][k]) <= 1e-5 * (1 + Math.abs(v)), `gradient ${i}[${k}]: ${v} vs ${plain.grads[i][k]}`));
    });
  });
});

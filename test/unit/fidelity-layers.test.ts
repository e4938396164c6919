/**
 * Issue #10 §3 layers against PyTorch (fixtures: layers section of test/fixtures/torch/fidelity_ops.json):
 * Upsample, Unflatten, PReLU, LocalResponseNorm in PyTorch's call forms; output, input and weight gradients.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';

const all = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'fidelity_ops.json'), 'utf8'));
const fx = all.layers;
const ctFx = all.convTranspose;
type T = lw.Tensor;
interface Ser { data: number[]; shape: number[]; dtype: string }
const load = (s: Ser): T => lw.tensor(s.data, { dtype: s.dtype as 'float32' }).reshape(s.shape);
function close(got: T | null, want: Ser, what: string, tol = 1e-5): void {
  assert.ok(got, `${what}: missing`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  Array.from(got.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want.data[i]) <= tol * (1 + Math.abs(want.data[i])), `${what}[${i}]: ${v} vs ${want.data[i]}`));
}

const make: Record<string, () => lw.nn.Module> = {
  upsample_nearest: () => new lw.nn.Upsample({ scale_factor: 2 }),
  upsample_bilinear_ac: () => new lw.nn.Upsample([5, 7], null, 'bilinear', true),
  unflatten: () => new lw.nn.Unflatten(1, [2, 2]),
  prelu_1: () => new lw.nn.PReLU(),
  prelu_4: () => new lw.nn.PReLU(4, 0.1),
  lrn_3: () => new lw.nn.LocalResponseNorm(3),
  lrn_4_params: () => new lw.nn.LocalResponseNorm(4, { alpha: 0.01, beta: 0.5, k: 2 }),
};

describe('nn layers equal PyTorch (issue #10 §3)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const m = make[c.name];
      assert.ok(m, `no TS layer for fixture case ${c.name}`);
      const mod = m() as lw.nn.Module & { weight?: T };
      const x = load(fx.x).requiresGrad_();
      const y = mod.call(x) as T;
      close(y, c.value, 'value');
      y.mul(lw.arange(1, y.numel() + 1, { dtype: 'float32' }).reshape(y.shape)).sum().backward();
      close(x.grad, c.xgrad, 'input grad', 1e-4);
      if (c.wgrad) close(mod.weight?.grad ?? null, c.wgrad, 'weight grad', 1e-4);
    });
  }
  const ctMake: Record<string, () => lw.nn.Module> = {
    ct2d_basic: () => new lw.nn.ConvTranspose2d(4, 3, 3),
    ct2d_stride_pad_outpad: () => new lw.nn.ConvTranspose2d(4, 6, 3, 2, 1, 1),
    ct2d_groups_dilation: () => new lw.nn.ConvTranspose2d(4, 6, [3, 2], { stride: [2, 1], padding: [1, 0], groups: 2, dilation: [1, 2], bias: false }),
    ct1d: () => new lw.nn.ConvTranspose1d(3, 2, 4, { stride: 3, padding: 1, output_padding: 2 }),
  };
  for (const c of ctFx) {
    it(`${c.name} (weights from PyTorch): output and gradients of x, weight, bias`, () => {
      const m = ctMake[c.name]() as lw.nn.Module & { weight: T; bias: T | null };
      lw.noGrad(() => {
        m.weight.copy_(load(c.weight));
        if (c.bias) m.bias?.copy_(load(c.bias));
      });
      const x = load(c.x).requiresGrad_();
      const y = m.call(x) as T;
      close(y, c.value, 'value', 1e-4);
      y.mul(lw.arange(1, y.numel() + 1, { dtype: 'float32' }).reshape(y.shape).div(y.numel())).sum().backward();
      close(x.grad, c.xgrad, 'x grad', 1e-4);
      close(m.weight.grad, c.wgrad, 'weight grad', 1e-4);
      if (c.bgrad) close(m.bias?.grad ?? null, c.bgrad, 'bias grad', 1e-4);
    });
  }
  it('F.convTranspose2d gradcheck (float64)', () => {
    const x = lw.randn(1, 2, 3, 3, { dtype: 'float64' }).requiresGrad_();
    const w = lw.randn(2, 3, 3, 3, { dtype: 'float64' }).requiresGrad_();
    const r = lw.gradcheck((a: T, b: T) => lw.F.convTranspose2d(a, b, null, 2, 1, 1), [x, w]);
    assert.ok(r.ok, JSON.stringify(r));
  });

  it('reject what they cannot honour', () => {
    assert.throws(() => new lw.nn.ConvTranspose2d(4, 6, 3, { output_padding: 2, stride: 2 }).call(lw.zeros(1, 4, 3, 3)), /outputPadding \(2, 2\) must be smaller/);
    assert.throws(() => new lw.nn.ConvTranspose2d(4, 6, 3, { padding_mode: 'reflect' } as never), /paddingMode must be one of "zeros"/);
    assert.throws(() => new lw.nn.Upsample({ scale_factor: 2, mode: 'bicubic' } as never), /mode must be one of/);
    assert.throws(() => new lw.nn.Upsample(), /exactly one of size and scaleFactor/);
    assert.throws(() => new lw.nn.PReLU({ num_parameters: 2, bogus: 1 } as never), /unknown option 'bogus'/);
    assert.throws(() => new lw.nn.PReLU(3).call(lw.zeros(2, 4)), /numParameters \(3\) must equal the number of channels/);
    assert.throws(() => new lw.nn.Unflatten(1, [3, 3]).call(lw.zeros(2, 4)), /does not multiply/);
    assert.throws(() => new lw.nn.LocalResponseNorm(), /size is required/);
  });
});

describe('lazy modules (issue #10 §3)', () => {
  it('LazyLinear: an optimizer made before the first call trains the materialised weights; it becomes a Linear', () => {
    const lin = new lw.nn.LazyLinear(3);
    const opt = new lw.optim.SGD(lin.parameters(), 0.1);
    const w0 = lin.parameters()[0];
    assert.deepEqual(w0.shape, [0]);
    const x = lw.randn(2, 5);
    const y = lin.call(x) as T;
    assert.deepEqual(y.shape, [2, 3]);
    assert.ok(lin instanceof lw.nn.Linear);
    assert.equal(lin.parameters()[0], w0, 'the same Parameter object, now [3, 5]');
    assert.deepEqual(w0.shape, [3, 5]);
    const before = Array.from(w0.dataSync());
    (lin.call(x) as T).sum().backward();
    opt.step();
    assert.notDeepEqual(Array.from(w0.dataSync()), before);
    const bound = 1 / Math.sqrt(5);
    assert.ok(before.every((v) => Math.abs(v) <= bound), "PyTorch's kaiming-uniform(√5) bound 1/√fanIn");
  });
  it('d2l style: Sequential(LazyConv2d(6, 5, {padding: 2}), LazyBatchNorm2d(), Sigmoid(), Flatten(), LazyLinear(10))', () => {
    const net = new lw.nn.Sequential(new lw.nn.LazyConv2d(6, 5, { padding: 2 }), new lw.nn.LazyBatchNorm2d(), new lw.nn.Sigmoid(), new lw.nn.Flatten(), new lw.nn.LazyLinear(10, false));
    const y = net.call(lw.randn(2, 1, 8, 8)) as T;
    assert.deepEqual(y.shape, [2, 10]);
    const names = [...net.stateDict().keys()];
    assert.deepEqual(names.filter((k) => k.startsWith('1.')), [...new lw.nn.BatchNorm2d(6).stateDict().keys()].map((k) => `1.${k}`), 'the keys of a BatchNorm2d');
    assert.ok(!names.includes('4.bias'), 'LazyLinear(10, false) has no bias');
    assert.deepEqual(net.parameters().map((p) => p.shape), [[6, 1, 5, 5], [6], [6], [6], [10, 384]]);
    assert.throws(() => new lw.nn.LazyLinear(3, { bogus: 1 } as never), /unknown option 'bogus'/);
  });
});

describe('containers (issue #10 §3)', () => {
  it('ModuleDict registers children under their keys (PyTorch state-dict names)', () => {
    const d = new lw.nn.ModuleDict({ conv: new lw.nn.Conv2d(1, 2, 3), act: new lw.nn.ReLU() });
    d.set('fc', new lw.nn.Linear(2, 1));
    assert.deepEqual(d.keys(), ['conv', 'act', 'fc']);
    assert.deepEqual([...d.stateDict().keys()], ['conv.weight', 'conv.bias', 'fc.weight', 'fc.bias']);
    assert.equal(d.parameters().length, 4);
    assert.ok(d.get('act') instanceof lw.nn.ReLU);
    d.pop('act');
    assert.equal(d.length, 2);
    assert.throws(() => d.get('nope'), /no module named 'nope'/);
    assert.throws(() => d.set('a.b', new lw.nn.ReLU()), /invalid key/);
  });
  it('ParameterList: parameters 0, 1, ... trained by an optimizer', () => {
    const pl = new lw.nn.ParameterList([lw.ones(2), lw.zeros(3)]);
    pl.append(lw.ones(1));
    assert.equal(pl.length, 3);
    assert.deepEqual([...pl.stateDict().keys()], ['0', '1', '2']);
    assert.ok(pl.at(-1).requiresGrad);
    const opt = new lw.optim.SGD(pl.parameters(), 0.5);
    pl.at(0).sum().backward();
    opt.step();
    assert.deepEqual(Array.from(pl.at(0).dataSync()), [0.5, 0.5]);
  });
  it("Sequential.slice is PyTorch's seq[a:b] over the same modules", () => {
    const a = new lw.nn.Linear(2, 3);
    const b = new lw.nn.ReLU();
    const c = new lw.nn.Linear(3, 1);
    const seq = new lw.nn.Sequential(a, b, c);
    const head = seq.slice(0, 2);
    assert.equal(head.length, 2);
    assert.equal(head.at(0), a);
    assert.equal(seq.slice(-1).at(0), c);
    assert.deepEqual((head.call(lw.randn(4, 2)) as T).shape, [4, 3]);
  });
});

/**
 * Issue #10 §2: semantics that used to differ silently from PyTorch, checked against PyTorch's own outputs
 * (test/fixtures/torch/semantics.json, written by scripts/torchfix/semantics.py).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'semantics.json'), 'utf8'));
const { tensor, nn, grad } = lw;
type T = lw.Tensor;

interface Ser { data: number[]; shape: number[]; dtype: string }
const load = (s: Ser, requiresGrad = false): T => {
  const t = tensor(s.data, { dtype: s.dtype as 'float32' });
  const r = t.reshape(s.shape);
  return requiresGrad ? r.detach().requiresGrad_() : r;
};
function close(got: T | null, want: Ser, what: string, tol = 1e-5): void {
  assert.ok(got, `${what}: got null`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = Array.from(got.dataSync());
  g.forEach((v, i) => assert.ok(Math.abs(v - want.data[i]) <= tol * (1 + Math.abs(want.data[i])), `${what}[${i}]: ${v} vs ${want.data[i]}`));
}

describe('PyTorch semantics (issue #10 §2)', () => {
  describe('grad(outputs, inputs)', () => {
    it('WGAN-GP: grad() leaves the parameters\' .grad alone; the penalty and its backward equal PyTorch', () => {
      const D = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 1));
      lw.noGrad(() => D.parameters().forEach((p, i) => p.copy_(load(fx['wgan.params'][i]))));
      const real = load(fx['wgan.real']);
      const fake = load(fx['wgan.fake']);
      const alpha = load(fx['wgan.alpha']);
      const xh = alpha.mul(real).add(alpha.neg().add(1).mul(fake)).detach().requiresGrad_();
      const d = D.call(xh) as T;
      const [gx] = grad(d, xh, { gradOutputs: lw.onesLike(d), createGraph: true });
      assert.deepEqual(D.parameters().map((p) => p.grad === null), fx['wgan.params_grad_after_grad']);
      close(gx, fx['wgan.gx'], 'gx');
      const gp = (gx as T).norm(2, 1).sub(1).pow(2).mean();
      close(gp, fx['wgan.gp'], 'gp');
      const loss = (D.call(fake) as T).mean().sub((D.call(real) as T).mean()).add(gp.mul(10));
      loss.backward();
      close(loss, fx['wgan.loss'], 'loss');
      D.parameters().forEach((p, i) => close(p.grad, fx['wgan.param_grads'][i], `param ${i} grad`, 1e-4));
      assert.equal(xh.grad !== null, true, 'xh accumulates in the final backward (as in PyTorch)');
    });
    it('an input the outputs do not use is an error unless allowUnused', () => {
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3], { requiresGrad: true });
      assert.throws(() => grad(a.mul(2).sum(), [a, b]), /appears to not have been used in the graph.*allowUnused/);
      const [ga, gb] = grad(a.mul(2).sum(), [a, b], { allowUnused: true });
      close(ga, fx['grad.allow_unused'][0], 'ga');
      assert.equal(gb, null);
      assert.throws(() => grad(a.sum(), a, { allow_unused: true, bogus: 1 } as never), /unknown option 'bogus'/);
      assert.equal(a.grad, null);
    });
    it('an input that does not require grad is an error', () => {
      const a = tensor([1, 2], { requiresGrad: true });
      assert.throws(() => grad(a.sum(), tensor([1, 2], { dtype: 'float32' })), /does not require grad/);
    });
    it('grad w.r.t. a non-leaf input and retained .grad untouched', () => {
      const a = tensor([1, 2, 3], { requiresGrad: true });
      const h = a.mul(a).retainGrad();
      const [gh, ga] = grad(h.mul(3).sum(), [h, a]);
      assert.deepEqual(Array.from((gh as T).dataSync()), [3, 3, 3]);
      assert.deepEqual(Array.from((ga as T).dataSync()), [6, 12, 18]);
      assert.equal(h.grad, null);
      assert.equal(a.grad, null);
    });
  });

  it("a full backward hook's returned grad_input replaces the gradient", () => {
    const lin = new nn.Linear(3, 2);
    lw.noGrad(() => {
      lin.weight.copy_(load(fx['hook.weight']));
      lin.bias?.copy_(load(fx['hook.bias']));
    });
    const x = load(fx['hook.x'], true);
    let seen: { gin: T | null; gout: T | null } = { gin: null, gout: null };
    lin.registerFullBackwardHook((_m, gin, gout) => {
      seen = { gin: gin[0], gout: gout[0] };
      return [(gin[0] as T).mul(3).add(1)];
    });
    (lin.call(x) as T).pow(2).sum().backward();
    close(seen.gin, fx['hook.gin'], 'grad_input seen');
    close(seen.gout, fx['hook.gout'], 'grad_output seen');
    close(x.grad, fx['hook.xgrad'], 'x.grad (replaced)');
    close(lin.weight.grad, fx['hook.wgrad'], 'weight.grad');
  });

  describe('advanced indexing pairs index tensors as PyTorch', () => {
    const I = (v: number[] | number[][]): T => tensor(v);
    const B = (v: boolean[] | boolean[][]): T => tensor(v);
    const cases: Record<string, (x: T) => T> = {
      pairs: (x) => x.index(I([0, 1, 1]), I([2, 0, 1])),
      pairs_last2: (x) => x.index(':', I([0, 2]), I([1, 3])),
      broadcast: (x) => x.index(':', I([[0], [1]]), I([1, 3])),
      split_front: (x) => x.index(I([0, 1]), ':', I([1, 2])),
      int_then_list: (x) => x.index(0, ':', [1, 2]),
      mask_full: (x) => x.index(x.gt(10.5)),
      mask_dim1: (x) => x.index(':', [true, false, true]),
      mask_2d: (x) => x.index(B([[true, false, true], [false, true, false]])),
      negative: (x) => x.index([-1, 0], [-1, -2]),
      masked_fill: (x) => x.maskedFill(B([true, false, false, true]), -5),
      masked_select: (x) => x.maskedSelect(B([[true], [false], [true]])),
    };
    for (const [name, f] of Object.entries(cases)) {
      it(name, () => {
        const x = lw.arange(24, { dtype: 'float32' }).reshape(2, 3, 4).requiresGrad_();
        const y = f(x);
        close(y, fx[`index.${name}`], name);
        const seed = lw.arange(y.numel(), { dtype: 'float32' }).add(1).reshape(y.shape);
        y.mul(seed).sum().backward();
        close(x.grad, fx[`index.${name}.grad`], `${name} grad`);
      });
    }
    it('nonzero and where(cond)', () => {
      const m = tensor([[0, 1.5, 0], [2, 0, -1]]);
      close(lw.nonzero(m) as T, fx.nonzero, 'nonzero');
      lw.where(m.ne(0)).forEach((t, k) => close(t, fx.where1[k], `where[${k}]`));
    });
    it('out-of-range index tensors are an error naming the dim and size', () => {
      const x = lw.zeros(2, 3, 4);
      assert.throws(() => x.index(I([0, 2])), /index 2 is out of bounds for dimension 0 with size 2/);
    });
  });

  it('max(dim)/min(dim) unpack like named tuples', () => {
    const x = tensor([[3, 1, 2], [0, 5, 4]], { dtype: 'float32' });
    const [v, i] = x.max(1);
    close(v, fx.max1[0], 'max values');
    close(i, fx.max1[1], 'max indices');
    const r = x.min(0);
    close(r.values, fx.min0[0], 'min values');
    close(r.indices, fx.min0[1], 'min indices');
    assert.equal(r[0], r.values);
  });

  it('tensor() and arange() infer dtypes as PyTorch (int64 → our int32)', () => {
    const map: Record<string, string> = { 'torch.int64': 'int32', 'torch.float32': 'float32', 'torch.bool': 'bool' };
    assert.equal(tensor([1, 2, 3]).dtype, map[fx['dtype.int_list']]);
    assert.equal(tensor([1.5, 2]).dtype, map[fx['dtype.float_list']]);
    assert.equal(tensor([true, false]).dtype, map[fx['dtype.bool_list']]);
    assert.equal(lw.arange(4).dtype, map[fx['dtype.arange_int']]);
    assert.equal(lw.arange(0, 1, 0.25).dtype, map[fx['dtype.arange_float']]);
    assert.equal(lw.arange(4, { dtype: 'float32' }).dtype, 'float32');
    close(tensor([1, 2]).add(0.5), fx['dtype.int_plus_float'], 'int + 0.5');
    close(tensor([1, 2]).div(2), fx['dtype.int_div'], 'int / 2');
    assert.equal(tensor([1, 2], { requiresGrad: true }).dtype, 'float32');
    assert.throws(() => tensor([1, 2], { dtype: 'float16' as never }), /unknown dtype/);
    assert.throws(() => tensor([1], { requires_grad: true, foo: 1 } as never), /unknown option 'foo'/);
  });

  describe('version counter', () => {
    it('backward through a saved tensor modified in place fails as in PyTorch', () => {
      const w = tensor([1, 2, 3], { requiresGrad: true });
      const x = tensor([4, 5, 6], { dtype: 'float32' });
      const y = x.mul(w).sum();
      x.mul_(2);
      assert.equal(x._version, fx['version.x_version']);
      assert.throws(() => y.backward(), /modified by an inplace operation.*is at version 1; expected version 0 instead/);
    });
    it("a modified op output (sigmoid's saved result) is caught too", () => {
      const s = tensor([1, -2], { requiresGrad: true });
      const z = s.sigmoid();
      lw.noGrad(() => z.mul_(2));
      assert.ok(fx['version.sigmoid_error']);
      assert.throws(() => z.sum().backward(), /modified by an inplace operation/);
    });
    it('ops that save nothing (add) still backward after an in-place change, as PyTorch', () => {
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3, 4], { dtype: 'float32' });
      const c = a.add(b).sum();
      b.add_(1);
      c.backward();
      close(a.grad, fx['version.add_ok'], 'a.grad');
    });
    it('an optimizer step between forward and backward is caught', () => {
      const lin = new nn.Linear(2, 1);
      const opt = new lw.optim.SGD(lin.parameters(), { lr: 0.1 });
      const x = tensor([[1, 2]], { dtype: 'float32' });
      const loss1 = (lin.call(x) as T).sum();
      const loss2 = (lin.call(x) as T).pow(2).sum();
      loss1.backward();
      opt.step();
      assert.throws(() => loss2.backward(), /modified by an inplace operation/);
    });
  });

  describe('DataLoader datasets', () => {
    const { DataLoader } = lw.data;
    it('accepts length/get objects, arrays and __len__/__getitem__ objects', () => {
      const py = { __len__: () => 5, __getitem__: (i: number) => [tensor([i, i], { dtype: 'float32' }), i] };
      const batches = [...new DataLoader(py, { batchSize: 2 })] as unknown as Array<[T, T]>;
      assert.equal(batches.length, 3);
      assert.deepEqual(batches[2][0].shape, [1, 2]);
      assert.deepEqual(Array.from(batches[1][1].dataSync()), [2, 3]);
      const arr = [1, 2, 3, 4].map((i) => tensor([i], { dtype: 'float32' }));
      assert.equal([...new DataLoader(arr, 3)].length, 2);
      assert.equal([...new DataLoader({ length: 4, get: (i: number) => i }, { batch_size: 4, drop_last: true } as never)].length, 1);
    });
    it('anything else is a clear error', () => {
      assert.throws(() => new DataLoader({ items: [1, 2] } as never), /expected a dataset.*length.*get\(i\).*__len__/);
      assert.throws(() => new DataLoader({ __getitem__: (i: number) => i } as never), /no length/);
      assert.throws(() => new DataLoader([1], { batchSize: 1, shufle: true } as never), /unknown option 'shufle'.*'shuffle'/);
    });
  });

  it('transforms take PyTorch parameters: randomHorizontalFlip(x, {p: 1}) flips', () => {
    const x = lw.arange(6, { dtype: 'float32' }).reshape(1, 1, 2, 3);
    const y = lw.data.transforms.randomHorizontalFlip(x, { p: 1 });
    assert.deepEqual(Array.from(y.dataSync()), [2, 1, 0, 5, 4, 3]);
    assert.deepEqual(Array.from(lw.data.transforms.randomHorizontalFlip(x, { p: 0 }).dataSync()), [0, 1, 2, 3, 4, 5]);
    assert.throws(() => lw.data.transforms.randomHorizontalFlip(x, { prob: 1 } as never), /unknown option 'prob'/);
  });

  it("devices: 'cpu' is a no-op, others are a clear error", () => {
    const x = tensor([1.5, 2]);
    assert.equal(x.to('cpu'), x);
    assert.equal(x.cpu(), x);
    assert.equal(x.device, 'cpu');
    assert.equal(x.to('cpu', 'float64').dtype, 'float64');
    assert.equal(x.to({ device: 'cpu', dtype: 'int64' }).dtype, 'int32');
    assert.equal(lw.zeros(2, { device: 'cpu' }).shape[0], 2);
    assert.throws(() => x.to('cuda'), /device 'cuda' is not available.*only supported device is 'cpu'/);
    assert.throws(() => x.cuda(), /device 'cuda' is not available/);
    assert.throws(() => lw.zeros(2, { device: 'mps' } as never), /zeros: device 'mps' is not available/);
  });
});

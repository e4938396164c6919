/**
 * Issue #10 §3: tensor and functional ops against PyTorch (test/fixtures/torch/fidelity_ops.json from
 * scripts/torchfix/fidelity_ops.py): values, indices, and gradients of sum(out · seed); gradcheck in float64 and
 * jvp where the op is built from elementwise ops; custom autograd Functions; noGrad's `using` form.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'fidelity_ops.json'), 'utf8'));
const { tensor, F } = lw;
type T = lw.Tensor;
interface Ser { data: number[]; shape: number[]; dtype: string }
const load = (s: Ser): T => tensor(s.data, { dtype: s.dtype as 'float32' }).reshape(s.shape);
function close(got: T | null | undefined, want: Ser, what: string, tol = 1e-5): void {
  assert.ok(got, `${what}: missing`);
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = Array.from(got.dataSync());
  g.forEach((v, i) => assert.ok(Math.abs(v - Number(want.data[i])) <= tol * (1 + Math.abs(Number(want.data[i]))), `${what}[${i}]: ${v} vs ${want.data[i]}`));
}

const tgt = (): T => tensor([1, 0, 4, 2]);
const w5 = (c: Ser[]): T => load(c[0]);
void w5;
const table: Record<string, { value?: (...x: T[]) => T; aux?: (...x: T[]) => T }> = {
  sort_last: { value: (x) => x.sort()[0], aux: (x) => x.sort().indices },
  sort_dim0_desc: { value: (x) => x.sort(0, true).values, aux: (x) => x.sort({ dim: 0, descending: true })[1] },
  sort_ties_stable: { value: (x) => x.sort({ stable: true })[0], aux: (x) => lw.sort(x, { stable: true })[1] },
  argsort_desc: { aux: (x) => x.argsort(1, true) },
  topk_2: { value: (x) => x.topk(2)[0], aux: (x) => x.topk(2).indices },
  topk_smallest_dim0: { value: (x) => x.topk(2, 0, false).values, aux: (x) => x.topk({ k: 2, dim: 0, largest: false })[1] },
  repeat: { value: (x) => x.repeat(2, 1, 3) },
  tile_short: { value: (x) => x.tile([2]) },
  all_dim: { aux: (x) => x.gt(-1).all(1) },
  any_keepdim: { aux: (x) => x.gt(1).any(0, { keepdim: true }) },
  all_full: { aux: (x) => lw.all(x.gt(-5)) },
  einsum_mm: { value: (a, b) => lw.einsum('ij,jk->ik', a, b) },
  einsum_chain3: { value: (a, b, c) => lw.einsum('ij,jk,kl->il', a, b, c) },
  einsum_bmm: { value: (a, b) => lw.einsum('bij,bjk->bik', [a, b]) },
  einsum_outer: { value: (a, b) => lw.einsum('i,j->ij', a, b) },
  einsum_implicit_trace_like: { value: (a, b) => lw.einsum('ij,ij', a, b) },
  einsum_transpose_sum: { value: (a) => lw.einsum('bij->jb', a) },
  addcmul: { value: (a, b, c) => lw.addcmul(a, b, c, { value: 0.5 }) },
  addcdiv: { value: (a, b, c) => a.addcdiv(b, c, { value: -2 }) },
  pad_constant: { value: (x) => F.pad(x, [1, 2, 0, 1], { value: 0.5 }) },
  pad_reflect: { value: (x) => F.pad(x, [2, 1, 1, 2], 'reflect') },
  pad_replicate: { value: (x) => F.pad(x, { pad: [1, 3, 2, 0], mode: 'replicate' }) },
  pad_crop: { value: (x) => F.pad(x, [-1, 1]) },
  pad_reflect_1d: { value: (x) => F.pad(x, [2, 3], { mode: 'reflect' }) },
  interp_nearest_size: { value: (x) => F.interpolate(x, { size: [7, 3] }) },
  interp_nearest_scale: { value: (x) => F.interpolate(x, null, 2) },
  interp_bilinear: { value: (x) => F.interpolate(x, [6, 9], { mode: 'bilinear' }) },
  interp_bilinear_ac: { value: (x) => F.interpolate(x, { scale_factor: 1.5, mode: 'bilinear', align_corners: true }) },
  interp_bilinear_down: { value: (x) => F.interpolate(x, { size: [3, 2], mode: 'bilinear' }) },
  interp_linear_1d: { value: (x) => F.interpolate(x, 10, null, 'linear') },
  multi_margin: { value: (x) => F.multiMarginLoss(x, tgt()) },
  multi_margin_p2_w: { value: (x) => F.multiMarginLoss(x, tgt(), { p: 2, margin: 0.7, weight: w5Tensor(), reduction: 'sum' }) },
  multi_margin_none: { value: (x) => F.multiMarginLoss(x, tgt(), { reduction: 'none' }) },
};
let w5t: T | null = null;
function w5Tensor(): T {
  // torch.rand(5, generator=seed 1234 stream) + 0.5 is not reproducible in JS: the fixture's value is recovered from
  // the case's gradient-free definition below (kept in the fixture as the 'weight' of multi_margin_p2_w)
  if (!w5t) throw new Error('weight not loaded');
  return w5t;
}

describe('tensor and functional ops equal PyTorch (issue #10 §3)', () => {
  before(() => {
    w5t = load(fx.weight5);
  });
  for (const c of fx.cases) {
    it(c.name, () => {
      const t = table[c.name];
      assert.ok(t, `no TS expression for fixture case ${c.name}`);
      const ins = c.inputs.map((s: Ser) => load(s).detach().requiresGrad_());
      if (c.value) {
        const y = (t.value as (...x: T[]) => T)(...ins);
        close(y, c.value, 'value');
        const seed = lw.arange(1, y.numel() + 1, { dtype: 'float32' }).reshape(y.shape);
        y.mul(seed).sum().backward();
        c.grads.forEach((g: Ser | null, i: number) => (g ? close(ins[i].grad, g, `grad ${i}`, 1e-4) : assert.equal(ins[i].grad, null)));
      }
      if (c.aux) close((t.aux as (...x: T[]) => T)(...ins.map((x: T) => x.detach())), c.aux, 'indices/bool');
    });
  }

  it('gradcheck (float64) for sort, topk, repeat, einsum, pad, interpolate, multiMarginLoss', () => {
    const x = lw.randn(3, 4, { dtype: 'float64' }).requiresGrad_();
    const img = lw.randn(1, 2, 3, 4, { dtype: 'float64' }).requiresGrad_();
    const b = lw.randn(4, 2, { dtype: 'float64' }).requiresGrad_();
    const checks: Array<[string, (...a: T[]) => T, T[]]> = [
      ['sort', (a) => a.sort(1)[0], [x]],
      ['topk', (a) => a.topk(2, 0)[0], [x]],
      ['repeat', (a) => a.repeat(2, 2), [x]],
      ['einsum', (a, c) => lw.einsum('ij,jk->ik', a, c), [x, b]],
      ['pad reflect', (a) => F.pad(a, [1, 2, 2, 1], 'reflect'), [img]],
      ['interpolate bilinear', (a) => F.interpolate(a, { size: [5, 7], mode: 'bilinear' }), [img]],
      ['multiMarginLoss', (a) => F.multiMarginLoss(a, tensor([0, 3, 1]), { p: 2 }), [x]],
      ['addcdiv', (a) => lw.addcdiv(a, a, a.abs().add(1), { value: 0.3 }), [x]],
    ];
    for (const [name, f, args] of checks) {
      const r = lw.gradcheck(f, args);
      assert.ok(r.ok, `${name}: ${JSON.stringify(r)}`);
    }
  });

  it('jvp of ops built from elementwise ops (pad, interpolate, addcmul, repeat)', () => {
    const x = lw.randn(1, 1, 3, 3);
    const t = lw.randn(1, 1, 3, 3);
    const fns: Array<(a: T) => T> = [(a) => F.pad(a, [1, 1, 1, 1], 'replicate'), (a) => F.interpolate(a, { scaleFactor: 2, mode: 'bilinear' }), (a) => lw.addcmul(a, a, a), (a) => a.repeat(1, 2, 1, 1)];
    for (const f of fns) {
      const tan = lw.jvp(f, [x], [t]).tangent as T;
      const eps = 1e-2;
      const fd = f(x.add(t.mul(eps))).sub(f(x.sub(t.mul(eps)))).div(2 * eps);
      const d = Array.from(tan.dataSync());
      Array.from(fd.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - d[i]) < 1e-2, `${v} vs ${d[i]}`));
    }
  });

  it('clipGradNorm_ / clipGradValue_ equal PyTorch', () => {
    const setup = (): T[] => fx.clip.grads.map((g: Ser) => {
      const p = lw.zeros(g.shape).requiresGrad_();
      p.grad = load(g);
      return p;
    });
    for (const label of ['norm2', 'norm1', 'inf', 'noop']) {
      const c = fx.clip[label];
      const ps = setup();
      const opts = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, v === 'Infinity' ? Infinity : v]));
      const total = lw.nn.utils.clipGradNorm_(ps, opts);
      assert.ok(Math.abs(total.item() - c.total) < 1e-5 * (1 + c.total), `${label} total ${total.item()} vs ${c.total}`);
      ps.forEach((p, i) => close(p.grad, c.grads[i], `${label} grad ${i}`));
    }
    const ps = setup();
    lw.nn.utils.clipGradValue_(ps, 0.8);
    ps.forEach((p, i) => close(p.grad, fx.clip.value[i], `value grad ${i}`));
    assert.throws(() => lw.nn.utils.clipGradNorm_(ps, { max_norm: 1, norm: 2 } as never), /unknown option 'norm'/);
    assert.equal(lw.nn.utils.clipGradNorm_(setup(), 1, 2).dtype, 'float32');
  });

  it('randperm, normal, viewAs, long, clone keeps the graph', () => {
    lw.manualSeed(3);
    const p = lw.randperm(10);
    assert.equal(p.dtype, 'int32');
    assert.deepEqual([...p.dataSync()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const n = lw.normal(2, 0.5, [2000]);
    assert.ok(Math.abs(n.mean().item() - 2) < 0.05 && Math.abs(n.std().item() - 0.5) < 0.05);
    const m = lw.normal(tensor([0, 100], { dtype: 'float32' }), 0.001);
    assert.ok(Math.abs(m.dataSync()[1] - 100) < 0.1);
    assert.deepEqual(lw.zeros(6).viewAs(lw.zeros(2, 3)).shape, [2, 3]);
    assert.equal(tensor([1.5, 2.5]).long().dtype, 'int32');
    const x = tensor([1.5, 2], { requiresGrad: true });
    const c = x.clone();
    assert.ok(c.gradFn && !c.isLeaf);
    c.mul(3).sum().backward();
    assert.deepEqual(Array.from((x.grad as T).dataSync()), [3, 3]);
  });

  it('custom autograd.Function: forward/backward/saveForBackward, shown as a graph node', () => {
    class MyExp extends lw.autograd.Function {
      static override forward(ctx: lw.autograd.Ctx, x: T): T {
        const y = x.exp();
        ctx.saveForBackward(y);
        return y;
      }
      static override backward(ctx: lw.autograd.Ctx, g: T): T {
        const [y] = ctx.savedTensors;
        return g.mul(y);
      }
    }
    const x = tensor([0.5, -1, 2], { requiresGrad: true });
    const y = MyExp.apply(x);
    assert.equal(y.gradFn?.name, 'MyExpBackward');
    y.mul(tensor([1, 2, 3], { dtype: 'float32' })).sum().backward();
    const want = [0.5, -1, 2].map((v, i) => Math.exp(v) * (i + 1));
    Array.from((x.grad as T).dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5));
    const xd = lw.randn(3, { dtype: 'float64' }).requiresGrad_();
    const r = lw.gradcheck((a: T) => MyExp.apply(a), [xd]);
    assert.ok(r.ok);
    class Bad extends lw.autograd.Function {
      static override forward(_c: lw.autograd.Ctx, a: T, _k: number): T { return a.mul(2); }
      static override backward(_c: lw.autograd.Ctx, g: T): T { return g; }
    }
    assert.throws(() => Bad.apply(x, 3).sum().backward(), /Bad.backward returned 1 gradient\(s\), but forward took 2 argument\(s\)/);
  });

  it("noGrad's context form: `using _ = noGrad()` (and restore())", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    {
      using _ = lw.noGrad();
      assert.equal(x.mul(2).requiresGrad, false);
    }
    assert.equal(x.mul(2).requiresGrad, true);
    const g = lw.noGrad();
    assert.equal(lw.isGradEnabled(), false);
    g.restore();
    assert.equal(lw.isGradEnabled(), true);
  });
});

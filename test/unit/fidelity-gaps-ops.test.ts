/**
 * Issue #10 gaps against PyTorch 1.13 (fixtures: test/fixtures/torch/fidelity_gaps.json):
 * einsum with '...' (broadcast, summed, implicit) and letters repeated inside one operand (diagonals, traces),
 * values and gradients of sum(out * seed), plus float64 gradcheck; in-place writes into transposed, sliced,
 * stepped and permuted views land in the base as in PyTorch, bump its version, and overlapping views are refused.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';

type T = lw.Tensor;
interface Ser { data: number[]; shape: number[]; dtype: string }
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'fidelity_gaps.json'), 'utf8'));
const load = (s: Ser, dtype = s.dtype): T => lw.tensor(s.data, { dtype: dtype as 'float64' }).reshape(s.shape);
function close(got: T, want: Ser, what: string, tol = 1e-10): void {
  assert.deepEqual([...got.shape], want.shape, `${what}: shape`);
  Array.from(got.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want.data[i]) <= tol * (1 + Math.abs(want.data[i])), `${what}[${i}]: ${v} vs ${want.data[i]}`));
}

describe("einsum with '...' and repeated letters matches PyTorch (issue #10)", () => {
  for (const c of fx.einsum as Array<{ equation: string; inputs: Ser[]; value: Ser; grads: Ser[] }>) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`einsum('${c.equation}') ${dtype}: value and gradients`, () => {
        const xs = c.inputs.map((s) => load(s, dtype).requiresGrad_());
        const y = lw.einsum(c.equation, ...xs);
        const tol = dtype === 'float64' ? 1e-10 : 1e-5;
        close(y, c.value, 'value', tol);
        const seed = lw.arange(1, y.numel() + 1).to(dtype).reshape(y.shape);
        y.mul(seed).sum().backward();
        xs.forEach((x, i) => close(x.grad as T, c.grads[i], `grad ${i}`, tol));
      });
    }
  }

  it('float64 gradcheck (finite differences) for a diagonal, a trace and a broadcast ellipsis product', () => {
    const a = lw.randn([3, 3], { dtype: 'float64', requiresGrad: true });
    const b = lw.randn([2, 1, 3, 4], { dtype: 'float64', requiresGrad: true });
    const c = lw.randn([5, 4, 2], { dtype: 'float64', requiresGrad: true });
    for (const [f, ins] of [
      [(x: T) => lw.einsum('ii->i', x), [a]],
      [(x: T) => lw.einsum('ii', x), [a]],
      [(x: T, y: T) => lw.einsum('...ij,...jk->...ik', x, y), [b, c]],
    ] as Array<[(...t: T[]) => T, T[]]>) {
      const r = lw.gradcheck(f, ins);
      assert.equal(r.ok, true, `gradcheck ${String(f)}: max abs error ${r.maxAbsError}`);
    }
  });

  it('clear errors as PyTorch: mismatched diagonal sizes, two ellipses, non-broadcasting ellipsis dims, repeated output letters', () => {
    assert.throws(() => lw.einsum('ii->i', lw.randn(2, 3)), /subscript i is repeated for operand 0 but the sizes don't match, 3 != 2/);
    assert.throws(() => lw.einsum('...i...->i', lw.randn(2, 3)), /more than one '\.\.\.'/);
    assert.throws(() => lw.einsum('...i,...i->...', lw.randn(2, 3), lw.randn(4, 3)), /'\.\.\.' dims of operand 1 .* do not broadcast/);
    assert.throws(() => lw.einsum('ij->ii', lw.randn(2, 2)), /output subscript repeated/);
    assert.throws(() => lw.einsum('i.j', lw.randn(2, 2)), /invalid subscripts 'i\.j'/);
    assert.throws(() => lw.einsum('ijk...', lw.randn(2, 2)), /name 3 dims \(plus '\.\.\.'\) but operand 0 has shape \[2, 2\]/);
    assert.throws(() => lw.einsum(lw.randn(2) as never, [0]), /the first argument must be the equation string.*sublist form .* is not supported/);
  });
});

const INPLACE: Record<string, (x: T) => unknown> = {
  t_fill: (x) => x.t().fill_(7),
  narrow_fill: (x) => x.narrow(1, 1, 2).fill_(-1),
  step_rows_zero: (x) => x.index(lw.slice(null, null, 2)).zero_(),
  step_cols_fill: (x) => x.index(lw.slice(), lw.slice(1, null, 3)).fill_(5),
  t_narrow_mul: (x) => x.t().narrow(0, 1, 2).mul_(10),
  select_col_add: (x) => x.select(1, 2).add_(100),
  t_copy: (x) => x.t().copy_(lw.arange(24).float().reshape(6, 4).mul(-1)),
  step_add_tensor: (x) => x.index(lw.slice(1, null, 2), lw.slice(null, null, 2)).add_(lw.tensor([1, 2, 3]).to(x.dtype)),
  t_clamp: (x) => x.t().index(lw.slice(null, null, 2)).clamp_(3, 15),
  permute3d_sub: (x) => x.reshape(2, 3, 4).permute(2, 0, 1).narrow(0, 1, 2).sub_(0.5),
  masked_fill_view: (x) => x.t().maskedFill_(x.t().gt(11), 0),
  addcmul_view: (x) => x.index(lw.slice(), lw.slice(null, null, 2)).addcmul_(x.index(lw.slice(), lw.slice(1, null, 2)), x.index(lw.slice(), lw.slice(1, null, 2)), { value: 0.5 }),
};

describe('in-place writes into views land in the base as in PyTorch (issue #10)', () => {
  for (const c of fx.inplace as Array<{ name: string; base: Ser }>) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${c.name} (${dtype})`, () => {
        const x = lw.arange(24).to(dtype).reshape(4, 6);
        INPLACE[c.name](x);
        close(x, c.base, c.name, 1e-7);
      });
    }
  }

  it('every fixture case has its Layerwise twin', () => {
    assert.deepEqual(Object.keys(INPLACE).sort(), (fx.inplace as Array<{ name: string }>).map((c) => c.name).sort());
  });

  it('a write through a view bumps the version: backward through a saved base then fails as in PyTorch', () => {
    const w = lw.randn([3, 3], { requiresGrad: true });
    const x = lw.randn(3, 3);
    const y = w.mul(x); // saves x
    x.t().narrow(0, 0, 1).fill_(0);
    assert.throws(() => y.sum().backward(), /modified by an inplace operation/);
  });

  it('uniform_/normal_ fill a view and leave the rest of the base untouched', () => {
    const x = lw.zeros(4, 4);
    x.t().narrow(0, 1, 2).uniform_(1, 2);
    const a = x.toArray() as number[][];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(a[i][j] >= 1 && a[i][j] <= 2, j === 1 || j === 2, `[${i}][${j}] = ${a[i][j]}`);
    const y = lw.zeros(3, 4);
    y.index(lw.slice(), lw.slice(null, null, 3)).normal_();
    (y.toArray() as number[][]).forEach((r) => r.forEach((v, j) => assert.equal(v !== 0, j === 0 || j === 3)));
  });

  it('a view whose elements share memory (expand) is refused with PyTorch\'s message', () => {
    const e = lw.zeros(3).unsqueeze(0).expand(4, 3);
    assert.throws(() => e.fill_(1), /fill_: unsupported operation: more than one element of the written-to tensor .* refers to a single memory location; call \.clone\(\)/);
    assert.throws(() => e.add_(1), /add_: unsupported operation/);
    assert.throws(() => e.uniform_(), /unsupported operation/);
    assert.deepEqual(Array.from(lw.zeros(1, 3).expand(1, 3).fill_(2).dataSync()), [2, 2, 2], 'a size-1 dim with stride 0 is fine');
  });

  it("fill_ takes PyTorch's values (number, boolean, 0-d tensor) and refuses others instead of writing NaN", () => {
    const x = lw.zeros(2, 3);
    x.t().fill_(lw.tensor(3.5));
    assert.deepEqual(Array.from(x.dataSync()), [3.5, 3.5, 3.5, 3.5, 3.5, 3.5]);
    x.fill_(true);
    assert.deepEqual(Array.from(x.dataSync()), [1, 1, 1, 1, 1, 1]);
    assert.throws(() => x.fill_(lw.tensor([1, 2])), /fill_: only supports 0-dimension value tensor but got tensor with 1 dimensions/);
    assert.throws(() => x.fill_('a' as never), /fill_\(\): argument 'value' must be a number, a boolean or a 0-d tensor, got string/);
    assert.throws(() => x.t().fill_(null as never), /got null/);
    assert.deepEqual(Array.from(x.dataSync()), [1, 1, 1, 1, 1, 1], 'a refused fill writes nothing');
  });

  it('a leaf that requires grad is still refused (no silent write into the graph)', () => {
    const w = lw.randn([3, 3], { requiresGrad: true });
    assert.throws(() => w.t().fill_(0), /in-place/);
    lw.noGrad(() => w.t().narrow(0, 0, 1).fill_(0));
    assert.deepEqual((w.toArray() as number[][]).map((r) => r[0]), [0, 0, 0]);
  });
});

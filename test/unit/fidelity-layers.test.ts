/**
 * Issue #10 §3 layers against PyTorch (fixtures: layers section of test/fixtures/torch/fidelity_ops.json):
 * Upsample, Unflatten, PReLU, LocalResponseNorm in PyTorch's call forms; output, input and weight gradients.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'fidelity_ops.json'), 'utf8')).layers;
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
  it('reject what they cannot honour', () => {
    assert.throws(() => new lw.nn.Upsample({ scale_factor: 2, mode: 'bicubic' } as never), /mode must be one of/);
    assert.throws(() => new lw.nn.Upsample(), /exactly one of size and scaleFactor/);
    assert.throws(() => new lw.nn.PReLU({ num_parameters: 2, bogus: 1 } as never), /unknown option 'bogus'/);
    assert.throws(() => new lw.nn.PReLU(3).call(lw.zeros(2, 4)), /numParameters \(3\) must equal the number of channels/);
    assert.throws(() => new lw.nn.Unflatten(1, [3, 3]).call(lw.zeros(2, 4)), /does not multiply/);
    assert.throws(() => new lw.nn.LocalResponseNorm(), /size is required/);
  });
});

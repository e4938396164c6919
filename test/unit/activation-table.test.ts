/**
 * Every entry of the activation table (src/runtime/ops/activations.ts) gets, from the entry alone: forward (vs a
 * float64 scalar reference computed from the entry's own forward on the reference backend), backward and double
 * backward (gradcheck, float64), jvp (= the VJP's diagonal), wasm parity (same values and grads as the reference
 * backend), a stepper formula, F.<name> and an nn module. PyTorch parity: test/fixtures/torch/activations.json.
 */
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import { ACTIVATIONS, type Activation } from '../../src/runtime/ops/activations';
import { exprOf, localFormula } from '../../src/runtime/show/graph-formulas';

/** Inputs away from the kinks (|x ± 3|, |x ± 1|, x, x − 6 ≥ 0.05) so finite differences are meaningful. */
const XS = [-5.3, -3.2, -2.7, -1.4, -0.6, -0.2, 0.3, 0.9, 1.6, 2.4, 2.9, 3.4, 5.7, 6.6];

describe('activation table: every entry gets everything', () => {
  after(() => L.setBackend('wasm'));
  for (const [name, act] of Object.entries(ACTIVATIONS) as Array<[string, Activation]>) {
    describe(name, () => {
      const f = (x: L.Tensor): L.Tensor => (L.F as any)[name](x);

      it('is F.' + name + ' and has an nn module', () => {
        assert.equal(typeof (L.F as any)[name], 'function');
        const mods = Object.values(L.nn).filter((v: any) => typeof v === 'function' && v.prototype instanceof L.nn.SpecLayer);
        const y = String(f(L.tensor(XS)).toArray());
        const found = mods.some((M: any) => {
          try {
            return String(new M()(L.tensor(XS)).toArray()) === y;
          } catch {
            return false;
          }
        });
        assert.ok(found, `no nn module computes F.${name}`);
      });

      it('backward and double backward pass gradcheck (float64, reference backend)', () => {
        L.setBackend('reference');
        const x = L.tensor(XS, { dtype: 'float64', requiresGrad: true });
        assert.ok(L.gradcheck((t) => f(t), [x]).ok, 'first derivative');
        // finite differences call this without grad: give it a leaf of its own then
        const dfdx = (t: L.Tensor): L.Tensor =>
          L.enableGrad(() => {
            const u = t.requiresGrad ? t : t.detach().requiresGrad_();
            return L.grad(f(u).sum(), u, { createGraph: t.requiresGrad })[0]!;
          });
        const r = L.gradcheck(dfdx, [x]);
        assert.ok(r.ok, `second derivative: ${JSON.stringify(r.worst)}`);
      });

      it('jvp equals the gradient times the tangent', () => {
        L.setBackend('reference');
        const x = L.tensor(XS, { dtype: 'float64', requiresGrad: true });
        const t = L.tensor(
          XS.map((_, i) => (i % 3) - 1),
          { dtype: 'float64' },
        );
        const { tangent } = L.jvp(f, [x.detach()], [t]);
        const g = L.grad(f(x).sum(), x)[0]!;
        assert.deepEqual(
          (tangent!.toArray() as number[]).map((v) => +v.toFixed(12)),
          (L.mul(g, t).toArray() as number[]).map((v) => +v.toFixed(12)),
        );
      });

      it('wasm = reference backend (forward and backward, float32)', () => {
        const run = (b: 'wasm' | 'reference'): number[][] => {
          L.setBackend(b);
          const x = L.tensor(XS, { requiresGrad: true });
          const y = f(x);
          y.sum().backward();
          return [y.toArray() as number[], x.grad!.toArray() as number[]];
        };
        const [ref, wasm] = [run('reference'), run('wasm')];
        for (let k = 0; k < 2; k++)
          ref[k].forEach((v, i) =>
            assert.ok(Math.abs(v - wasm[k][i]) <= 1e-5 * (1 + Math.abs(v)), `${k ? 'grad' : 'value'}[${i}]: ${v} vs ${wasm[k][i]}`),
          );
      });

      it('shows one node in graphs, with its formula and local derivative', () => {
        const x = L.tensor([0.5], { requiresGrad: true });
        const node = f(x).gradFn!;
        assert.equal(node.op, act.name);
        assert.equal(node.edges.length, 1);
        const expr = exprOf(node, ['x'], 'y');
        assert.ok(expr.startsWith(`y = ${act.name}(x) = `), expr);
        assert.ok(localFormula(node, 0, ['x']), 'a local derivative formula');
      });

      it('rejects unknown options like every signature', () => {
        assert.throws(() => (L.F as any)[name](L.tensor(XS), { bogus: 1 }), new RegExp(`F\\.${name}: unknown option 'bogus'`));
      });
    });
  }
});

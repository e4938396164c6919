/**
 * Issue #10: optimizers and schedulers in PyTorch's call forms (positional, options, snake_case), the new ones
 * (Adadelta, Adamax, NAdam, RAdam, LBFGS, OneCycleLR, CyclicLR) against PyTorch trajectories
 * (test/fixtures/torch/fidelity_optim.json from scripts/torchfix/fidelity_optim.py), and the value checks.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'fidelity_optim.json'), 'utf8'));
const { tensor, optim } = lw;
type T = lw.Tensor;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const lossFn = (w: T): T => {
  const a = tensor(fx.A, { dtype: 'float32' });
  const b = tensor(fx.B, { dtype: 'float32' });
  return a.matmul(w).sub(b).pow(2).sum().add(w.pow(4).sum().mul(0.1));
};
const near = (got: number[], want: number[], tol: number, what: string): void =>
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${v} vs ${want[i]}`));

describe('optimizers and schedulers as PyTorch (issue #10)', () => {
  describe('trajectories equal PyTorch', () => {
    for (const c of fx.optim) {
      it(`${c.name}: ${c.optimizer}(${JSON.stringify(c.options)})`, () => {
        const w = tensor(fx.W0, { dtype: 'float32', requiresGrad: true });
        const opt = new (optim as Any)[c.optimizer]([w], c.options);
        c.trajectory.forEach((want: number[], k: number) => {
          if (c.optimizer === 'LBFGS') {
            const l = opt.step(() => {
              opt.zeroGrad();
              const loss = lossFn(w);
              loss.backward();
              return loss;
            });
            assert.ok(Math.abs(l - c.losses[k]) <= 1e-4 * (1 + Math.abs(c.losses[k])), `loss ${k}: ${l} vs ${c.losses[k]}`);
          } else {
            opt.zeroGrad();
            lossFn(w).backward();
            opt.step();
          }
          near(Array.from(w.dataSync()), want, c.optimizer === 'LBFGS' ? 1e-4 : 2e-5, `step ${k + 1}`);
        });
      });
    }
    for (const c of fx.sched) {
      it(`${c.name}: ${c.scheduler}(${JSON.stringify(c.options)})`, () => {
        const w = tensor(fx.W0, { dtype: 'float32', requiresGrad: true });
        const opt = new (optim as Any)[c.optimizer]([w], c.optimizerOptions);
        const sched = new (optim.lrScheduler as Any)[c.scheduler](opt, c.options);
        const g = opt.paramGroups[0];
        const mom = (): number => (g.betas ? g.betas[0] : g.momentum ?? 0);
        const lrs = [g.lr];
        const moms = [mom()];
        for (let i = 0; i < c.lrs.length - 1; i++) {
          opt.step();
          sched.step();
          lrs.push(g.lr);
          moms.push(mom());
        }
        near(lrs, c.lrs, 1e-9, 'lr');
        near(moms, c.momenta, 1e-9, 'momentum');
      });
    }
  });

  describe('call forms', () => {
    const w = (): T => tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    it('new optim.SGD(params, 0.1) and positional PyTorch order', () => {
      const o = new optim.SGD([w()], 0.1, 0.9, 0, 1e-4, true);
      const g = o.paramGroups[0] as Any;
      assert.deepEqual([g.lr, g.momentum, g.dampening, g.weightDecay, g.nesterov], [0.1, 0.9, 0, 1e-4, true]);
      const a = new optim.Adam([w()], 0.01, [0.8, 0.9]);
      assert.deepEqual((a.paramGroups[0] as Any).betas, [0.8, 0.9]);
    });
    it('snake_case options are honoured, unknown keys and missing lr throw', () => {
      const o = new optim.SGD([w()], { lr: 0.1, weight_decay: 1e-4 } as Any);
      assert.equal((o.paramGroups[0] as Any).weightDecay, 1e-4);
      assert.throws(() => new optim.SGD([w()], {} as Any), /SGD: lr is required/);
      assert.throws(() => new optim.SGD([w()], { lr: 0.1, wd: 1 } as Any), /SGD: unknown option 'wd'; valid options are lr, momentum/);
      assert.throws(() => new optim.Adam([w()], { lr: 0.1, weight_decay: 1, weightDecay: 1 } as Any), /weightDecay given twice/);
      assert.throws(() => new optim.Adam([w()], { foreach: true } as Any), /foreach must be false or null/);
      assert.throws(() => new optim.SGD([{ params: [w()], weight_decya: 1 }] as Any, 0.1), /unknown option 'weight_decya' in a parameter group/);
      const g = new optim.SGD([{ params: [w()], weight_decay: 0.5 }] as Any, 0.1);
      assert.equal((g.paramGroups[0] as Any).weightDecay, 0.5);
    });
    it('schedulers: {T_max: 10}, positional, unknown keys, and a non-finite lr names the epoch', () => {
      const o = new optim.SGD([w()], 0.1);
      const s = new optim.lrScheduler.CosineAnnealingLR(o, { T_max: 10 } as Any);
      s.step();
      assert.ok(Number.isFinite((o.paramGroups[0] as Any).lr));
      new optim.lrScheduler.StepLR(new optim.SGD([w()], 0.1), 5, 0.5);
      assert.throws(() => new optim.lrScheduler.StepLR(o, { step: 5 } as Any), /StepLR: unknown option 'step'/);
      const o2 = new optim.SGD([w()], 0.1);
      const lam = new optim.lrScheduler.LambdaLR(o2, (e: number) => 1 / (3 - e));
      lam.step();
      lam.step();
      assert.throws(() => lam.step(), /LambdaLR: the learning rate of parameter group 0 became Infinity at epoch 3/);
      assert.equal((o2.paramGroups[0] as Any).lr, 0.1);
      assert.throws(() => new optim.lrScheduler.ReduceLROnPlateau(o, { patience: 2, mode: 'avg' } as Any), /mode must be one of/);
    });
    it('an lr set to NaN by hand stops step() before any parameter changes', () => {
      const p = w();
      const o = new optim.SGD([p], 0.1);
      (o.paramGroups[0] as Any).lr = NaN;
      p.sum().backward();
      assert.throws(() => o.step(), /SGD: the learning rate became NaN/);
      assert.deepEqual(Array.from(p.dataSync()), [1, 2]);
    });
  });
});

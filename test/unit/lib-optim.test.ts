/**
 * optim: parameter groups, zeroGrad, stateDict/loadStateDict (a resumed run equals an uninterrupted one),
 * l1Prox, scheduler bookkeeping and option validation. Update-rule numbers are checked against PyTorch in
 * test/parity/library*.test.ts.
 */
import { strict as assert } from 'node:assert';

const rt = require('../../src/runtime');
const { optim } = rt;

function problem(): { X: any; y: any; w: any; b: any } {
  rt.manualSeed(42);
  const X = rt.randn([16, 3], { dtype: 'float64' });
  const y = rt.randn([16, 2], { dtype: 'float64' });
  const w = rt.randn([3, 2], { dtype: 'float64' }).requiresGrad_();
  const b = rt.zeros([2], { dtype: 'float64', requiresGrad: true });
  return { X, y, w, b };
}

function train(opt: any, p: ReturnType<typeof problem>, steps: number): void {
  for (let k = 0; k < steps; k++) {
    opt.zeroGrad();
    rt.matmul(p.X, p.w).add(p.b).sub(p.y).square().mean().backward();
    opt.step();
  }
}

const CONFIGS: Array<[string, Record<string, unknown>]> = [
  ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ['Adam', { lr: 0.05, amsgrad: true }],
  ['AdamW', { lr: 0.05 }],
  ['RMSprop', { lr: 0.01, momentum: 0.5, centered: true }],
  ['Adagrad', { lr: 0.3, lrDecay: 0.01 }],
];

describe('library: optim', () => {
  for (const [name, opts] of CONFIGS) {
    it(`${name}: stateDict()/loadStateDict() resumes exactly (10 + 10 steps == 20 steps)`, () => {
      const a = problem();
      const optA = new optim[name]([a.w, a.b], opts);
      train(optA, a, 20);
      const b = problem();
      const optB = new optim[name]([b.w, b.b], opts);
      train(optB, b, 10);
      const sd = optB.stateDict();
      train(optB, b, 3); // the snapshot must not move with later steps
      const c = problem();
      const src = problem();
      train(new optim[name]([src.w, src.b], opts), src, 10);
      rt.noGrad(() => { c.w.copy_(src.w); c.b.copy_(src.b); });
      const optC = new optim[name]([c.w, c.b], { ...opts, lr: 123 });
      optC.loadStateDict(sd);
      assert.equal(optC.paramGroups[0].lr, opts.lr, 'group options restored');
      train(optC, c, 10);
      assert.deepEqual(c.w.toArray(), a.w.toArray());
      assert.deepEqual(c.b.toArray(), a.b.toArray());
    });
  }

  it('stateDict() has PyTorch\'s packed shape: state by parameter index, groups with options and indices', () => {
    const p = problem();
    const opt = new optim.Adam([{ params: [p.w] }, { params: [p.b], lr: 0.5 }], { lr: 0.1 });
    train(opt, p, 2);
    const sd = opt.stateDict();
    assert.deepEqual(Object.keys(sd.state), ['0', '1']);
    assert.equal(sd.state[0].step, 2);
    assert.deepEqual(sd.state[1].expAvg.shape, [2]);
    assert.deepEqual(sd.paramGroups.map((g: any) => [g.lr, g.params]), [[0.1, [0]], [0.5, [1]]]);
    assert.equal(sd.paramGroups[0].eps, 1e-8);
    assert.throws(() => new optim.Adam([p.w], {}).loadStateDict(sd), /different number of parameter groups/);
  });

  it('parameter groups: per-group options override defaults; duplicates and non-leaves are rejected; addParamGroup', () => {
    const p = problem();
    const opt = new optim.SGD([{ params: [p.w], momentum: 0.9 }, { params: [p.b] }], { lr: 0.1 });
    assert.equal(opt.paramGroups[0].momentum, 0.9);
    assert.equal(opt.paramGroups[1].momentum, 0);
    assert.equal(opt.paramGroups[1].lr, 0.1);
    assert.throws(() => new optim.SGD([{ params: [p.w] }, { params: [p.w] }], { lr: 0.1 }), /more than one parameter group/);
    assert.throws(() => new optim.SGD([p.w.mul(2)], { lr: 0.1 }), /non-leaf/);
    assert.throws(() => new optim.SGD([], { lr: 0.1 }), /empty parameter list/);
    const q = rt.zeros([3], { requiresGrad: true });
    opt.addParamGroup({ params: [q], lr: 0.01 });
    assert.equal(opt.paramGroups.length, 3);
    assert.equal(opt.paramGroups[2].lr, 0.01);
    q.grad = rt.ones([3]);
    opt.step();
    assert.deepEqual(Array.from(q.dataSync()).map((v: any) => +v.toFixed(6)), [-0.01, -0.01, -0.01]);
  });

  it('zeroGrad() sets grads to null by default, or zeroes them in place with zeroGrad(false)', () => {
    const p = problem();
    const opt = new optim.SGD([p.w, p.b], { lr: 0.1 });
    train(opt, p, 1);
    rt.matmul(p.X, p.w).sum().backward();
    const g = p.w.grad;
    opt.zeroGrad(false);
    assert.equal(p.w.grad, g);
    assert.deepEqual(p.w.grad.toArray(), [[0, 0], [0, 0], [0, 0]]);
    opt.zeroGrad();
    assert.equal(p.w.grad, null);
  });

  it('parameters without a gradient are skipped and keep no state', () => {
    const p = problem();
    const unused = rt.ones([2], { requiresGrad: true });
    const opt = new optim.Adam([p.w, p.b, unused], { lr: 0.1 });
    train(opt, p, 2);
    assert.deepEqual(unused.toArray(), [1, 1]);
    assert.equal(opt.state.has(unused), false);
  });

  it('l1Prox: p ← p − sign(p)·min(|p|, λ) (soft thresholding), on tensors or parameter groups', () => {
    const t = rt.tensor([0.5, -0.5, 0.05, -0.05, 0, 2], { dtype: 'float64', requiresGrad: true });
    optim.l1Prox([t], 0.1);
    const got = (t.toArray() as number[]).map((v) => +v.toFixed(12));
    assert.deepEqual(got, [0.4, -0.4, 0, 0, 0, 1.9]);
    assert.equal(t.gradFn, null);
    const opt = new optim.SGD([t], { lr: 1 });
    optim.l1Prox(opt.paramGroups, 1);
    assert.deepEqual((t.toArray() as number[]).map((v) => +v.toFixed(12)), [0, 0, 0, 0, 0, 0.9]);
    assert.throws(() => optim.l1Prox([t], -1), /non-negative/);
  });

  it('Adagrad creates its state at construction with the constructor\'s initialAccumulatorValue (as PyTorch 1.13)', () => {
    const p = problem();
    const opt = new optim.Adagrad([{ params: [p.w] }, { params: [p.b], initialAccumulatorValue: 5 }], { initialAccumulatorValue: 0.25 });
    assert.deepEqual(opt.state.get(p.b).sum.toArray(), [0.25, 0.25]);
    assert.equal(opt.state.get(p.w).step, 0);
  });

  it('rejects invalid options with PyTorch\'s messages', () => {
    const p = problem();
    assert.throws(() => new optim.SGD([p.w], { lr: -1 }), /SGD: lr must be a non-negative number, got -1/);
    assert.throws(() => new optim.SGD([p.w], { lr: 0.1, nesterov: true }), /nesterov/);
    assert.throws(() => new optim.Adam([p.w], { betas: [1, 0.9] }), /Adam: betas must be a pair of numbers in \[0, 1\), got \[1, 0.9\]/);
    assert.throws(() => new optim.RMSprop([p.w], { alpha: -1 }), /RMSprop: alpha must be a non-negative number/);
    assert.throws(() => new optim.Adagrad([p.w], { lrDecay: -1 }), /lrDecay must be a non-negative number/);
    assert.throws(() => new optim.lrScheduler.ReduceLROnPlateau(new optim.SGD([p.w], { lr: 1 }), { factor: 1 }), /factor should be < 1.0/);
  });
});

describe('library: optim.lrScheduler bookkeeping', () => {
  const sgd = (lr = 1): any => new optim.SGD([rt.zeros([1], { requiresGrad: true })], { lr });

  it('the constructor records initialLr and performs the initial step; getLastLr() follows step()', () => {
    const opt = sgd(0.1);
    const s = new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: 0.5 });
    assert.equal(opt.paramGroups[0].initialLr, 0.1);
    assert.equal(s.lastEpoch, 0);
    const seq = [s.getLastLr()[0]];
    for (let i = 0; i < 4; i++) { s.step(); seq.push(s.getLastLr()[0]); }
    assert.deepEqual(seq, [0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('LambdaLR takes one lambda per group; per-group base lrs', () => {
    const a = rt.zeros([1], { requiresGrad: true });
    const b = rt.zeros([1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 10 }], { lr: 1 });
    const s = new optim.lrScheduler.LambdaLR(opt, { lrLambda: [(e: number) => e + 1, (e: number) => 0.5 ** e] });
    s.step();
    assert.deepEqual(s.getLastLr(), [2, 5]);
    assert.throws(() => new optim.lrScheduler.LambdaLR(opt, { lrLambda: [(e: number) => e] }), /expected 2 lrLambdas/);
  });

  it('stateDict()/loadStateDict() of a scheduler continues the sequence', () => {
    const optA = sgd();
    const a = new optim.lrScheduler.CosineAnnealingLR(optA, { tMax: 10, etaMin: 0.1 });
    for (let i = 0; i < 4; i++) a.step();
    const sd = a.stateDict();
    const optB = sgd();
    const b = new optim.lrScheduler.CosineAnnealingLR(optB, { tMax: 10 });
    b.loadStateDict(sd);
    optB.paramGroups[0].lr = optA.paramGroups[0].lr;
    for (let i = 0; i < 3; i++) { a.step(); b.step(); }
    assert.deepEqual(b.getLastLr(), a.getLastLr());
  });

  it('ReduceLROnPlateau: per-group minLr, accepts a 0-d tensor metric', () => {
    const opt = new optim.SGD([{ params: [rt.zeros([1], { requiresGrad: true })] }, { params: [rt.zeros([1], { requiresGrad: true })], lr: 0.01 }], { lr: 1 });
    const s = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, minLr: [0.3, 0.008] });
    s.step(rt.tensor(1));
    s.step(rt.tensor(1));
    assert.deepEqual(s.getLastLr(), [0.5, 0.008]);
    s.step(1); s.step(1);
    assert.deepEqual(s.getLastLr(), [0.3, 0.008]);
  });
});

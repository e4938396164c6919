import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';

const f64 = (data: unknown, requiresGrad = true): L.Tensor => L.tensor(data, { dtype: 'float64', requiresGrad });
const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);

describe('autograd engine', () => {
  before(() => L.setBackend('reference'));
  after(() => L.setBackend('wasm'));

  it('reproduces the lecture example f = y·log x + √(y·log x) at x=3, y=2 to 1e-9', () => {
    const x = f64([3]);
    const y = f64([2]);
    const a = y.mul(x.log());
    const f = a.add(a.sqrt());
    f.backward(L.onesLike(f));
    const l3 = Math.log(3);
    close(f.item(), Math.sqrt(2 * l3) + 2 * l3);
    close(x.grad!.item(), (1 / 3) * (2 + 1 / Math.sqrt(2 * l3)));
    close(y.grad!.item(), 0.5 * Math.sqrt(l3 / 2) + l3);
  });

  it('forward mode (jvp) gives the same partial derivatives on the lecture example', () => {
    const f = (x: L.Tensor, y: L.Tensor): L.Tensor => {
      const a = y.mul(x.log());
      return a.add(a.sqrt());
    };
    const one = f64([1], false);
    const zero = f64([0], false);
    const l3 = Math.log(3);
    close(L.jvp(f, [f64([3], false), f64([2], false)], [one, zero]).tangent!.item(), (1 / 3) * (2 + 1 / Math.sqrt(2 * l3)));
    close(L.jvp(f, [f64([3], false), f64([2], false)], [zero, one]).tangent!.item(), 0.5 * Math.sqrt(l3 / 2) + l3);
  });

  it('accumulates gradients where paths meet and across backward calls', () => {
    const x = f64([2]);
    x.mul(x).add(x).sum().backward(); // d/dx (x² + x) = 2x + 1 = 5
    close(x.grad!.item(), 5);
    x.mul(3).sum().backward();
    close(x.grad!.item(), 8);
  });

  it('frees saved values after backward and errors clearly on a second backward', () => {
    const x = f64([1, 2]);
    const y = x.exp().sum();
    y.backward();
    assert.throws(() => y.backward(), /second time.*retainGraph/);
    const z = x.exp().sum();
    z.backward(null, { retainGraph: true });
    z.backward();
    close(x.grad!.dataSync()[0], 3 * Math.E, 1e-9);
  });

  it('refuses an implicit gradient for non-scalar outputs', () => {
    assert.throws(() => f64([1, 2]).mul(2).backward(), /only for scalar outputs \(got shape \[2\]\)/);
  });

  it('noGrad records nothing; detach cuts the graph', () => {
    const x = f64([1]);
    const y = L.noGrad(() => x.mul(2));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradFn, null);
    assert.equal(x.mul(2).detach().requiresGrad, false);
  });

  it('runs tensor hooks and can replace the gradient; retainGrad keeps non-leaf grads', () => {
    const x = f64([1, 2]);
    const seen: number[] = [];
    x.registerHook((g) => {
      seen.push(...g.dataSync());
      return g.mul(10);
    });
    const h = x.mul(3).retainGrad();
    h.sum().backward();
    assert.deepEqual(seen, [3, 3]);
    assert.deepEqual([...x.grad!.dataSync()], [30, 30]);
    assert.deepEqual([...h.grad!.dataSync()], [1, 1]);
  });

  it('handles a 20,000-op deep graph without overflowing the JS stack', () => {
    const x = f64([1]);
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.add(1e-4);
    y.sum().backward();
    close(x.grad!.item(), 1);
  });

  it('exposes an inspectable graph: op names, next functions, attrs', () => {
    const x = f64([[1, 2]]);
    const w = f64([[3], [4]]);
    const out = x.matmul(w).relu().sum();
    assert.equal(out.gradFn!.op, 'sum');
    const relu = out.gradFn!.nextFunctions[0] as L.Node;
    assert.equal(relu.op, 'relu');
    assert.equal((relu.nextFunctions[0] as L.Node).op, 'mm');
  });

  it('grad() returns gradients without touching .grad', () => {
    const x = f64([2]);
    const [g] = L.grad(x.mul(x).sum(), x);
    close(g!.item(), 4);
    assert.equal(x.grad, null);
  });

  it('detectAnomaly names the op that produced NaN', () => {
    const x = f64([-1]);
    assert.throws(() => L.detectAnomaly(() => x.sqrt()), /Function 'sqrt' returned nan/);
  });
});

describe('gradcheck (float64 central differences, reference backend)', () => {
  before(() => L.setBackend('reference'));
  after(() => L.setBackend('wasm'));
  L.manualSeed(1);
  const r = (...s: number[]): L.Tensor => L.randn(s).double().requiresGrad_();
  const pos = (...s: number[]): L.Tensor => L.rand(s).add(0.5).double().requiresGrad_();
  const cases: Array<[string, () => L.Tensor[], (...xs: L.Tensor[]) => L.Tensor]> = [
    ['add broadcast', () => [r(2, 3), r(3)], (a, b) => a.add(b)],
    ['sub broadcast', () => [r(2, 1), r(1, 3)], (a, b) => a.sub(b)],
    ['mul broadcast', () => [r(2, 3), r(2, 1)], (a, b) => a.mul(b)],
    ['div', () => [r(2, 3), pos(2, 3)], (a, b) => a.div(b)],
    ['pow tensor', () => [pos(3), r(3)], (a, b) => a.pow(b)],
    ['pow scalar', () => [pos(4)], (a) => a.pow(2.5)],
    ['exp/log/sqrt', () => [pos(5)], (a) => a.exp().add(a.log()).add(a.sqrt())],
    ['sigmoid/tanh', () => [r(5)], (a) => a.sigmoid().mul(a.tanh())],
    ['gelu/elu/softplus', () => [r(6)], (a) => L.add(L.add(a.relu().mul(0), a.tanh()), a.sigmoid())],
    ['maximum/minimum', () => [r(4), r(4)], (a, b) => L.maximum(a, b).add(L.minimum(a, b.mul(2)))],
    ['clamp', () => [r(6)], (a) => a.clamp(-0.5, 0.5)],
    ['where', () => [r(5), r(5)], (a, b) => L.where(a.gt(0), a, b)],
    ['sum dims keepdim', () => [r(2, 3, 4)], (a) => a.sum([0, 2], { keepdim: true })],
    ['mean', () => [r(3, 4)], (a) => a.mean(1)],
    ['var unbiased / biased', () => [r(3, 5)], (a) => a.var(1).add(a.var(0, { unbiased: false }).sum())],
    ['max dim', () => [r(3, 4)], (a) => a.max(1).values],
    ['logsumexp', () => [r(3, 4)], (a) => a.logsumexp(1)],
    ['prod', () => [pos(3, 4)], (a) => a.prod(1)],
    ['matmul 2d', () => [r(3, 4), r(4, 2)], (a, b) => a.matmul(b)],
    ['matmul batched broadcast', () => [r(2, 3, 4), r(4, 5)], (a, b) => a.matmul(b)],
    ['matmul 1-d', () => [r(4), r(4, 3)], (a, b) => a.matmul(b)],
    ['matmul transposed view', () => [r(4, 3), r(4, 2)], (a, b) => a.t().matmul(b)],
    ['permute/reshape', () => [r(2, 3, 4)], (a) => a.permute(2, 0, 1).reshape(4, 6).mul(L.arange(6).double())],
    ['expand', () => [r(3, 1)], (a) => a.expand(3, 4).mul(L.arange(4).double())],
    ['slice / select / index', () => [r(4, 5)], (a) => a.index('1:3', '::2').sum(0).add(a.select(1, 2).sum())],
    ['indexSelect', () => [r(4, 3)], (a) => a.indexSelect(0, [3, 0, 3])],
    ['cat / stack', () => [r(2, 3), r(1, 3)], (a, b) => L.cat([a, b, a], 0).add(L.stack([a.sum(0), b.sum(0)], 0).sum(0))],
  ];
  for (const [name, make, fn] of cases) {
    it(name, () => {
      const res = L.gradcheck(fn, make());
      assert.ok(res.ok, `worst ${JSON.stringify(res.worst)}`);
    });
  }
});

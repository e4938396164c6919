import { strict as assert } from 'assert';
import * as rng from '../../src/runtime/random';
import { Generator } from '../../src/runtime/random';

const N = 1_000_000;

function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  return { mean, variance: v / (xs.length - 1) };
}

describe('random (xoshiro128**)', () => {
  it('matches the xoshiro128** reference outputs from state [1, 2, 3, 4]', () => {
    // Derived by hand from the algorithm: out = rotl(s1·5, 7)·9, then the state update.
    const g = new Generator();
    g.setState({ algorithm: 'xoshiro128**', s: [1, 2, 3, 4] });
    assert.deepEqual([g.nextUint32(), g.nextUint32(), g.nextUint32()], [11520, 0, 5927040]);
  });

  it('same seed gives the same stream; different seeds differ', () => {
    rng.manualSeed(1234);
    const a = [...rng.uniform(5), ...rng.normal(3), ...rng.randint(4, -3, 9), ...rng.permutation(6)];
    rng.manualSeed(1234);
    const b = [...rng.uniform(5), ...rng.normal(3), ...rng.randint(4, -3, 9), ...rng.permutation(6)];
    assert.deepEqual(a, b);
    rng.manualSeed(1235);
    assert.notDeepEqual([...rng.uniform(5)], a.slice(0, 5));
    assert.equal(rng.initialSeed(), 1235);
  });

  it('a fresh generator with a seed equals the default generator with that seed (no hidden state)', () => {
    rng.manualSeed(7);
    rng.normal(3); // odd count: nothing may be cached for the next call
    const next = [...rng.normal(4)];
    const g = new Generator(7);
    g.normal(3);
    assert.deepEqual([...g.normal(4)], next);
  });

  it('bigint and negative seeds are taken modulo 2^64', () => {
    const a = new Generator(-1);
    const b = new Generator((1n << 64n) - 1n);
    assert.deepEqual([...a.uniform(4)], [...b.uniform(4)]);
    assert.throws(() => new Generator(0.5), /integer seed/);
  });

  it('getState/setState resumes the stream exactly and survives JSON', () => {
    rng.manualSeed(99);
    rng.uniform(10);
    const st = JSON.parse(JSON.stringify(rng.getState()));
    const first = [...rng.uniform(8), ...rng.permutation(5)];
    rng.setState(st);
    assert.deepEqual([...rng.uniform(8), ...rng.permutation(5)], first);
    assert.throws(() => rng.setState({ algorithm: 'xoshiro128**', s: [0, 0, 0, 0] }), /all-zero/);
    assert.throws(() => rng.setState({ algorithm: 'xoshiro128**', s: [1, 2, 3, -1] } as never), /state word/);
  });

  it('uniform: in [lo, hi), mean 1/2 and variance 1/12 on 1e6 samples', () => {
    const g = new Generator(2024);
    const u = g.uniform(N);
    for (const x of u) assert.ok(x >= 0 && x < 1);
    const m = moments(u);
    // standard errors: mean √(1/12/N) ≈ 2.9e-4, variance ≈ 7.5e-5; bounds are 6 standard errors
    assert.ok(Math.abs(m.mean - 0.5) < 1.8e-3, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 1 / 12) < 4.5e-4, `variance ${m.variance}`);
    const s = g.uniform(1000, -3, 5);
    for (const x of s) assert.ok(x >= -3 && x < 5);
  });

  it('uniform with float32 precision never rounds up to hi', () => {
    const g = new Generator(5);
    const u = g.uniform(100_000, 0, 1, 'float32');
    for (const x of u) assert.ok(x >= 0 && x < 1 && Math.fround(x) === x);
    assert.deepEqual([...g.uniform(3, 2, 2)], [2, 2, 2]);
  });

  it('normal: mean, variance and kurtosis on 1e6 samples', () => {
    const g = new Generator(31337);
    const z = g.normal(N, 2, 3);
    const m = moments(z);
    // standard errors: mean 3/√N = 3e-3, variance 9·√(2/N) ≈ 1.3e-2
    assert.ok(Math.abs(m.mean - 2) < 1.8e-2, `mean ${m.mean}`);
    assert.ok(Math.abs(m.variance - 9) < 7.7e-2, `variance ${m.variance}`);
    let k = 0;
    for (const x of z) k += ((x - 2) / 3) ** 4;
    assert.ok(Math.abs(k / N - 3) < 0.06, `kurtosis ${k / N}`); // s.e. √(96/N) ≈ 9.8e-3
  });

  it('randint: range, every value hit, and a chi-square test of uniformity', () => {
    const g = new Generator(11);
    const r = g.randint(N, -5, 5);
    const counts = new Array<number>(10).fill(0);
    for (const x of r) {
      assert.ok(Number.isInteger(x) && x >= -5 && x < 5, `value ${x}`);
      counts[x + 5]++;
    }
    const e = N / 10;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    assert.ok(chi2 < 37.7, `chi2 ${chi2}`); // 9 degrees of freedom, p ≈ 1e-5
    const big = g.randint(1000, 0, 2 ** 40);
    for (const x of big) assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 40);
    assert.ok(big.some((x) => x >= 2 ** 32), 'ranges above 2^32 use more than 32 bits');
    assert.deepEqual([...g.randint(3, 7, 8)], [7, 7, 7]);
    assert.throws(() => g.randint(1, 3, 3), /low < high/);
  });

  it('bernoulli: frequency of ones, p = 0 and p = 1, per-element p', () => {
    const g = new Generator(3);
    const b = g.bernoulli(N, 0.3);
    const m = moments(b);
    assert.ok(Math.abs(m.mean - 0.3) < 2.8e-3, `mean ${m.mean}`); // s.e. √(0.21/N) ≈ 4.6e-4
    assert.ok(g.bernoulli(1000, 0).every((x) => x === 0));
    assert.ok(g.bernoulli(1000, 1).every((x) => x === 1));
    assert.deepEqual([...g.bernoulli(3, [1, 0, 1])], [1, 0, 1]);
    assert.throws(() => g.bernoulli(1, 1.5), /0 <= p <= 1/);
  });

  it('permutation: a valid permutation, and each position uniform', () => {
    const g = new Generator(8);
    for (const n of [0, 1, 2, 17, 1000]) {
      const p = g.permutation(n);
      assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
    }
    const firstCounts = new Array<number>(5).fill(0);
    const trials = 100_000;
    for (let t = 0; t < trials; t++) firstCounts[g.permutation(5)[0]]++;
    const e = trials / 5;
    const chi2 = firstCounts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    assert.ok(chi2 < 25.7, `chi2 ${chi2}`); // 4 degrees of freedom, p ≈ 4e-5
  });

  it('rejects invalid arguments clearly', () => {
    assert.throws(() => rng.uniform(-1), /non-negative integer count/);
    assert.throws(() => rng.uniform(2, 1, 0), /lo <= hi/);
    assert.throws(() => rng.normal(2, 0, -1), /std >= 0/);
  });
});

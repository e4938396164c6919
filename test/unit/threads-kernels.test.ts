/**
 * The worker pool's split kernels (src/runtime/backend/wasm/pool-split.ts) against one thread and a float64 oracle,
 * on awkward sizes: M not a multiple of the 4-row tile, fewer rows than threads, batch 1, odd channel counts,
 * small images batched into one GEMM with a partial last block. GEMM, conv forward / dX and the BatchNorm passes
 * must be bit-identical to one thread; the conv weight gradient within float tolerance (bit-identical under
 * useDeterministicAlgorithms(true)).
 */
import assert from 'node:assert/strict';
import type { Conv2dArgs, Storage } from '../../src/runtime/backend/types';
import { WasmCore } from '../../src/runtime/backend/wasm/core';
import { splitThresholds } from '../../src/runtime/backend/wasm/pool-split';
import { useDeterministicAlgorithms } from '../../src/runtime/backend/wasm/threads';
import { assertClose, randomArray, ref, upload } from './wasm-helpers';

const cores = new Map<number, WasmCore>();
function withThreads(n: number): WasmCore {
  let c = cores.get(n);
  if (!c) cores.set(n, (c = new WasmCore({ threads: n })));
  return c;
}

const f32 = (s: Storage): Float32Array => (s.view() as Float32Array).slice();

function gemmOn(be: WasmCore, ta: boolean, tb: boolean, m: number, n: number, k: number, batch: number, beta: number, seed: number): Float32Array {
  const A = upload(be, randomArray(batch * m * k, seed)), B = upload(be, randomArray(batch * k * n, seed + 1));
  const C = upload(be, randomArray(batch * m * n, seed + 2));
  be.gemm({ transA: ta, transB: tb, m, n, k, a: ref(A), lda: ta ? m : k, b: ref(B), ldb: tb ? k : n, c: ref(C), ldc: n,
    alpha: 0.75, beta, batch, strideA: m * k, strideB: k * n, strideC: m * n });
  const out = f32(C);
  for (const s of [A, B, C]) s.release();
  return out;
}

function naiveGemm(ta: boolean, tb: boolean, m: number, n: number, k: number, seed: number, beta: number): Float64Array {
  const A = randomArray(m * k, seed), B = randomArray(k * n, seed + 1), C = randomArray(m * n, seed + 2);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (ta ? A[p * m + i] : A[i * k + p]) * (tb ? B[j * k + p] : B[p * n + j]);
    out[i * n + j] = 0.75 * s + beta * C[i * n + j];
  }
  return out;
}

describe('threads: split kernels vs one thread', function () {
  this.timeout(300000);
  before(function () {
    if (!withThreads(1).split) this.skip(); // no shared memory here: nothing is split (the fallback test covers it)
  });

  const gemmCases: [string, number, number, number, number][] = [
    ['M = 130 (not a multiple of 4)', 130, 257, 140, 1],
    ['fewer rows than threads (M = 3, split over N)', 3, 4001, 360, 1],
    ['M = 9, N = 9: few tiles', 9, 9, 60000, 1],
    ['batched (3 items)', 61, 100, 250, 3],
  ];
  for (const [what, m, n, k, batch] of gemmCases) {
    it(`GEMM ${what}: 2 and 3 threads bit-identical to 1, all transposes`, () => {
      assert.ok(m * n * k * batch >= splitThresholds().macs, 'the case must be big enough to be split');
      const before = withThreads(2).split!.splits;
      let seed = 1, done = 0;
      for (const ta of [false, true]) for (const tb of [false, true]) {
        const beta = seed % 2;
        const one = gemmOn(withThreads(1), ta, tb, m, n, k, batch, beta, seed);
        for (const t of [2, 3]) {
          const got = gemmOn(withThreads(t), ta, tb, m, n, k, batch, beta, seed);
          assert.deepEqual(got, one, `${t} threads, transA=${ta} transB=${tb}`);
        }
        assert.equal(withThreads(2).split!.splits, before + ++done, 'the 2-thread call was split');
        if (batch === 1) assertClose(one, naiveGemm(ta, tb, m, n, k, seed, beta), 2e-6, k, `oracle ${ta} ${tb}`);
        seed += 3;
      }
    });
  }

  it('GEMM blocking set on the backend reaches the workers (KC changes rounding, so a stale worker would show)', () => {
    const one = withThreads(1), two = withThreads(2);
    const base = gemmOn(two, false, false, 130, 257, 140, 1, 0, 41);
    try {
      for (const be of [one, two]) be.ctx.ex.gemm_set_blocking(8, 12, 16);
      const want = gemmOn(one, false, false, 130, 257, 140, 1, 0, 41);
      assert.notDeepEqual(want, base, 'the blocking must change the rounding for this test to mean anything');
      assert.deepEqual(gemmOn(two, false, false, 130, 257, 140, 1, 0, 41), want);
    } finally {
      for (const be of [one, two]) be.ctx.ex.gemm_set_blocking(0, 0, 0);
    }
    assert.deepEqual(gemmOn(two, false, false, 130, 257, 140, 1, 0, 41), base);
  });

  it('GEMM matches the non-shared relaxed build', () => {
    const plain = new WasmCore({ flavor: 'relaxed' });
    assert.equal(plain.split, null);
    const a = gemmOn(plain, false, true, 130, 257, 140, 1, 0, 7), b = gemmOn(withThreads(2), false, true, 130, 257, 140, 1, 0, 7);
    assertClose(b, a, 1e-6, 140, 'relaxed vs threads');
  });

  const convCases: [string, Conv2dArgs][] = [
    ['odd batch and channels, 33×31, pad 1', conv(5, 5, 33, 31, 19, 3, 1, 1, 1)],
    ['small images batched into one GEMM (N = 131, 6×6)', conv(131, 6, 8, 8, 17, 3, 1, 0, 1)],
    ['stride 2, groups 2', conv(27, 8, 40, 38, 12, 3, 2, 1, 2)],
    ['1×1 pointwise', conv(15, 32, 20, 20, 24, 1, 1, 0, 1)],
    ['batch 1 (not split)', conv(1, 8, 40, 40, 16, 3, 1, 1, 1)],
  ];
  for (const [what, a] of convCases) {
    it(`conv2d ${what}: forward and dX bit-identical, dW close (bit-identical when deterministic)`, () => {
      const one = convAll(withThreads(1), a);
      const before = withThreads(2).split!.splits;
      const two = convAll(withThreads(2), a), three = convAll(withThreads(3), a);
      assert.equal(withThreads(2).split!.splits - before, a.n > 1 ? 3 : 0, 'forward, dX and dW split (not for batch 1)');
      for (const [name, got] of [['2', two], ['3', three]] as const) {
        assert.deepEqual(got.y, one.y, `forward, ${name} threads`);
        assert.deepEqual(got.dx, one.dx, `dX, ${name} threads`);
        assertClose(got.dw, one.dw, 1e-6, a.n * a.oh * a.ow, `dW, ${name} threads`);
      }
      useDeterministicAlgorithms(true);
      try {
        assert.deepEqual(convAll(withThreads(3), a).dw, one.dw, 'dW deterministic');
      } finally {
        useDeterministicAlgorithms(false);
      }
    });
  }

  const bnCases: [string, number, number, number][] = [
    ['odd channels, hw not a multiple of 4 and over a 4096 chunk', 4, 5, 4099],
    ['batch 1 (apply split over channels)', 1, 7, 10001],
    ['[N, C] features (hw = 1)', 4097, 33, 1],
  ];
  for (const [what, n, c, hw] of bnCases) {
    it(`BatchNorm passes, ${what}: bit-identical to 1 thread`, () => {
      assert.ok(n * c * hw >= splitThresholds().elements);
      const one = bnAll(withThreads(1), n, c, hw);
      const before = withThreads(2).split!.splits;
      assert.deepEqual(bnAll(withThreads(2), n, c, hw), one);
      assert.equal(withThreads(2).split!.splits - before, 7, 'all four passes and the three BatchNorm → ReLU passes split');
      for (const t of [2, 3]) assert.deepEqual(bnAll(withThreads(t), n, c, hw), one, `${t} threads`);
    });
  }

  it('a round the calling thread abandoned (it threw inside its share) is finished before the next one', () => {
    const be = withThreads(2);
    const want = gemmOn(be, false, false, 130, 257, 140, 1, 0, 31);
    const m = 256, k = 512, n = 512;
    const A = upload(be, randomArray(m * k, 1)), B = upload(be, randomArray(k * n, 2)), C = be.alloc('float32', m * n);
    const s = be.ctx.scratch(be.ctx.ex.gemm_scratch_bytes(m, n, k) * 2 + 32);
    const args = [0, 0, m, n, k, be.ctx.addr(ref(A)), k, be.ctx.addr(ref(B)), n, be.ctx.addr(ref(C)), n, 1, 0, 1, 0, 0, 0, s + 16];
    assert.throws(() => be.split!.pool.run([{ fn: 'no_such_export', args: [] }, { fn: 'gemm_batched', args }]));
    assert.deepEqual(gemmOn(be, false, false, 130, 257, 140, 1, 0, 31), want);
    for (const x of [A, B, C]) x.release();
  });

  it('when worker threads cannot start, the split op still completes on this thread, and later ops run serially', () => {
    const be = new WasmCore({ threads: 2 });
    const want = gemmOn(withThreads(1), true, true, 130, 257, 140, 1, 1, 51);
    be.split!.pool.resize = () => { throw new Error('ERR_WORKER_INIT_FAILED (simulated)'); };
    assert.deepEqual(gemmOn(be, true, true, 130, 257, 140, 1, 1, 51), want);
    assert.match(be.split!.startError ?? '', /simulated/);
    assert.equal(be.split!.threads(), 1);
    assert.deepEqual(gemmOn(be, true, true, 130, 257, 140, 1, 1, 51), want);
    assert.equal(be.split!.splits, 0);
  });

  it('workers restart after being stopped, and see memory grown between ops', () => {
    const be = withThreads(2);
    const before = gemmOn(be, true, false, 130, 257, 140, 1, 1, 21);
    be.stopThreads();
    assert.equal(be.split!.pool.workerCount, 0);
    const big = be.alloc('float32', 64 * 1024 * 1024); // grows the shared memory by 256 MB
    try {
      assert.deepEqual(gemmOn(be, true, false, 130, 257, 140, 1, 1, 21), before);
      assert.equal(be.split!.pool.workerCount, 1);
    } finally {
      big.release();
    }
  });
});

function conv(n: number, c: number, h: number, w: number, o: number, k: number, s: number, p: number, groups: number): Conv2dArgs {
  const oh = Math.floor((h + 2 * p - k) / s) + 1, ow = Math.floor((w + 2 * p - k) / s) + 1;
  return { n, c, h, w, o, kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: 1, dw: 1, groups, oh, ow };
}

function convAll(be: WasmCore, a: Conv2dArgs): { y: Float32Array; dx: Float32Array; dw: Float32Array } {
  const xs = a.n * a.c * a.h * a.w, ws = a.o * (a.c / a.groups) * a.kh * a.kw, ys = a.n * a.o * a.oh * a.ow;
  const x = upload(be, randomArray(xs, 3)), w = upload(be, randomArray(ws, 4)), bias = upload(be, randomArray(a.o, 5));
  const dy = upload(be, randomArray(ys, 6));
  const y = be.alloc('float32', ys), dx = be.alloc('float32', xs), dw = be.alloc('float32', ws);
  be.conv2d(ref(x), ref(w), ref(bias), ref(y), a);
  be.conv2dBackwardData(ref(dy), ref(w), ref(dx), a);
  be.conv2dBackwardFilter(ref(x), ref(dy), ref(dw), a);
  const out = { y: f32(y), dx: f32(dx), dw: f32(dw) };
  for (const s of [x, w, bias, dy, y, dx, dw]) s.release();
  return out;
}

function bnAll(be: WasmCore, n: number, c: number, hw: number): Float32Array[] {
  const x = upload(be, randomArray(n * c * hw, 8).map((v) => v * 3 + 100)), dy = upload(be, randomArray(n * c * hw, 9));
  const per = () => be.alloc('float32', c);
  const [mean, variance, invstd, sumDy, sumDyXm] = [per(), per(), per(), per(), per()];
  const scale = upload(be, randomArray(c, 10)), shift = upload(be, randomArray(c, 11)), K = upload(be, randomArray(c, 12));
  const y = be.alloc('float32', n * c * hw), dx = be.alloc('float32', n * c * hw);
  const f = be.fused;
  f.bnStats(ref(x), n, c, hw, ref(mean), ref(variance), ref(invstd), 1e-5);
  f.bnApply(ref(x), ref(y), n, c, hw, ref(scale), ref(shift));
  f.bnBackwardReduce(ref(dy), ref(x), n, c, hw, ref(mean), ref(sumDy), ref(sumDyXm));
  f.bnBackwardApply(ref(dy), ref(x), ref(dx), n, c, hw, ref(scale), ref(K), ref(shift), ref(mean));
  // the BatchNorm → ReLU epilogue's passes (x·scale + shift has both signs here, so the mask is mixed)
  const [yr, dxr] = [be.alloc('float32', n * c * hw), be.alloc('float32', n * c * hw)];
  const [sumDyR, sumDyXmR] = [per(), per()];
  f.bnApplyRelu(ref(x), ref(yr), n, c, hw, ref(scale), ref(shift));
  f.bnBackwardReduceRelu(ref(dy), ref(x), n, c, hw, ref(mean), ref(scale), ref(shift), ref(sumDyR), ref(sumDyXmR));
  f.bnBackwardApplyRelu(ref(dy), ref(x), ref(dxr), n, c, hw, ref(scale), ref(K), ref(shift), ref(mean), ref(scale), ref(shift));
  const all = [mean, variance, invstd, y, sumDy, sumDyXm, dx, yr, sumDyR, sumDyXmR, dxr];
  const out = all.map(f32);
  for (const s of [...all, x, dy, scale, shift, K]) s.release();
  return out;
}

/**
 * Reference-backend properties beyond the conformance tables: float64 exactness, derivative kernels against
 * central differences, adjoint identities of the conv / pool backward kernels on awkward configurations,
 * and storage accounting.
 */
import { strict as assert } from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';
import type { Backend, Conv2dArgs, Pool2dArgs, Ref, StorageType, UnaryOp } from '../../src/runtime/backend/types';
import { createReferenceBackend, referenceBackend } from '../../src/runtime/backend/reference';
import { Generator } from '../../src/runtime/random';

const be: Backend = createReferenceBackend();
const g = new Generator(20240601);

function put(vals: ArrayLike<number>, t: StorageType = 'float64'): Ref {
  const s = be.alloc(t, vals.length);
  for (let i = 0; i < vals.length; i++) s.view()[i] = vals[i];
  return { s, off: 0 };
}
const zeros = (n: number, t: StorageType = 'float64'): Ref => put(new Float64Array(n), t);
const read = (r: Ref, n: number): number[] => Array.from(r.s.view().subarray(r.off, r.off + n));
const rand = (n: number): Float64Array => g.uniform(n, -1, 1);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('reference backend: float64 precision', () => {
  it('gemm is exact on integers whose products need all 53 bits', () => {
    const c = zeros(2);
    const a = 2 ** 26 + 1;
    be.gemm({ transA: false, transB: false, m: 1, n: 2, k: 1, a: put([a]), lda: 1, b: put([a - 2, a]), ldb: 2, c,
      ldc: 2, alpha: 1, beta: 0, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
    assert.deepEqual(read(c, 2), [2 ** 52 - 1, 2 ** 52 + 2 ** 27 + 1]);
  });

  it('softmax rows sum to 1 within 1e-15; log-softmax rows logsumexp to 0', () => {
    const rows = 50;
    const cols = 37;
    const x = put(g.normal(rows * cols, 0, 10));
    const y = zeros(rows * cols);
    be.softmax(x, y, rows, cols, false);
    const ly = zeros(rows * cols);
    be.softmax(x, ly, rows, cols, true);
    const yv = read(y, rows * cols);
    const lv = read(ly, rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = yv.slice(r * cols, (r + 1) * cols);
      assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) <= 1e-15, `row ${r}`);
      const lrow = lv.slice(r * cols, (r + 1) * cols);
      assert.ok(Math.abs(lrow.reduce((s, v) => s + Math.exp(v), 0) - 1) <= 1e-14, `log row ${r}`);
    }
  });

  it('float32 storages round once on store; int32 storages wrap', () => {
    const o = zeros(1, 'float32');
    be.binary('add', put([0.1], 'float32'), [1], put([0.2], 'float32'), [1], o, [1]);
    assert.equal(read(o, 1)[0], Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    const s = zeros(1, 'int32');
    be.reduce('sum', put([2147483647, 1, 5], 'int32'), 1, 3, 1, s, null);
    assert.deepEqual(read(s, 1), [-2147483643]);
  });

  it('gemm with alpha = 0 still propagates NaN from A (documented choice)', () => {
    const c = zeros(1);
    be.gemm({ transA: false, transB: false, m: 1, n: 1, k: 1, a: put([NaN]), lda: 1, b: put([1]), ldb: 1, c, ldc: 1,
      alpha: 0, beta: 0, batch: 1, strideA: 0, strideB: 0, strideC: 0 });
    assert.ok(Number.isNaN(read(c, 1)[0]));
  });

  it('maxPool2d with several NaNs reports the last NaN, as ATen (later NaNs also "win")', () => {
    const a: Pool2dArgs = { n: 1, c: 1, h: 1, w: 4, kh: 1, kw: 4, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, oh: 1,
      ow: 1, countIncludePad: true, divisorOverride: 0 };
    const y = zeros(1);
    const idx = zeros(1, 'int32');
    be.maxPool2d(put([1, NaN, 7, NaN]), y, idx, a);
    assert.ok(Number.isNaN(read(y, 1)[0]));
    assert.deepEqual(read(idx, 1), [3]);
  });
});

describe('reference backend: strided addressing (copy / binary / where) on random shapes', () => {
  /** Offset of linear index i by decoding the multi-index (independent of the kernels' row walk). */
  const offsetOf = (i: number, shape: number[], strides: number[], base: number): number => {
    let o = base;
    for (let d = shape.length - 1; d >= 0; d--) {
      o += (i % shape[d]) * strides[d];
      i = Math.floor(i / shape[d]);
    }
    return o;
  };
  it('200 random shapes (0-4 dims, sizes 0-3, broadcast and permuted strides)', () => {
    for (let trial = 0; trial < 200; trial++) {
      const nd = g.below(5);
      const shape = Array.from({ length: nd }, () => g.below(4));
      const stridesFor = (): number[] => shape.map(() => (g.below(3) === 0 ? 0 : 1 + g.below(7)));
      const [sa, sb, sc] = [stridesFor(), stridesFor(), stridesFor()];
      const n = shape.reduce((p, d) => p * d, 1);
      const src = Array.from(g.randint(200, -50, 50));
      const [a, b, c] = [put(src), put(src.map((v) => v * 3 + 1)), put(src.map((v) => v & 1), 'int32')];
      const [base, o1, o2, o3] = [g.below(5), zeros(n), zeros(n), zeros(n)];
      be.copy({ s: a.s, off: base }, sa, o1, shape);
      be.binary('sub', { s: a.s, off: base }, sa, b, sb, o2, shape);
      be.where({ s: c.s, off: 1 }, sc, a, sa, b, sb, o3, shape);
      for (let i = 0; i < n; i++) {
        const [ai, bi, ci] = [offsetOf(i, shape, sa, base), offsetOf(i, shape, sb, 0), offsetOf(i, shape, sc, 1)];
        const aBase = src[offsetOf(i, shape, sa, 0)];
        assert.equal(read(o1, n)[i], src[ai], `copy ${JSON.stringify({ shape, sa, base, i })}`);
        assert.equal(read(o2, n)[i], src[ai] - (src[bi] * 3 + 1), 'binary');
        assert.equal(read(o3, n)[i], (src[ci] & 1) !== 0 ? aBase : src[bi] * 3 + 1, 'where');
      }
    }
  });
});

describe('reference backend: unaryGrad agrees with central differences (float64)', () => {
  const ops: Array<[UnaryOp, number, number, number[]]> = [
    ['exp', 0, 0, [-1.3, 0.2, 2]], ['log', 0, 0, [0.3, 2.5]], ['sqrt', 0, 0, [0.3, 4.2]], ['rsqrt', 0, 0, [0.3, 2]],
    ['abs', 0, 0, [-1.5, 0.7]], ['square', 0, 0, [-1.5, 0.7]], ['reciprocal', 0, 0, [-1.5, 0.7]],
    ['sin', 0, 0, [-1, 2]], ['cos', 0, 0, [-1, 2]], ['erf', 0, 0, [-1.2, 0.4, 2.7]], ['log1p', 0, 0, [-0.5, 3]],
    ['expm1', 0, 0, [-2, 0.5]], ['relu', 0, 0, [-1, 1]], ['leakyRelu', 0.02, 0, [-1, 1]], ['elu', 1.5, 0, [-1, 1]],
    ['gelu', 0, 0, [-2.1, -0.3, 0.8, 3]], ['geluTanh', 0, 0, [-2.1, -0.3, 0.8, 3]], ['sigmoid', 0, 0, [-3, 0.4]],
    ['tanh', 0, 0, [-0.9, 1.7]], ['softplus', 1, 20, [-3, 0.5, 4]], ['softplus', 3, 2, [-1, 0.2, 0.9]],
    ['clamp', -0.5, 0.5, [-1, 0.2, 0.9]], ['powScalar', 2.5, 0, [0.4, 1.9]], ['powScalar', -1.5, 0, [0.4, 1.9]],
    ['powScalar', 3, 0, [-1.2, 0.7]], ['affine', -2, 5, [0.1, 3]],
  ];
  for (const [op, p0, p1, xs] of ops) {
    it(`${op}(${p0}, ${p1}) at ${xs.join(', ')}`, () => {
      const n = xs.length;
      const f = (v: number[]): number[] => {
        const y = zeros(n);
        be.unary(op, put(v), y, n, p0, p1);
        return read(y, n);
      };
      const y = put(f(xs));
      const dx = zeros(n);
      be.unaryGrad(op, put(xs), y, put(new Array<number>(n).fill(1)), dx, n, p0, p1);
      const h = 1e-6;
      const up = f(xs.map((v) => v + h));
      const dn = f(xs.map((v) => v - h));
      read(dx, n).forEach((d, i) => {
        const fd = (up[i] - dn[i]) / (2 * h);
        assert.ok(Math.abs(d - fd) <= 1e-6 * Math.max(1, Math.abs(fd)), `x=${xs[i]}: kernel ${d}, differences ${fd}`);
      });
    });
  }
});

describe('reference backend: backward kernels are the adjoints of the forward ones', () => {
  const convConfigs: Array<Omit<Conv2dArgs, 'oh' | 'ow'> & { padAfter: number }> = [
    { n: 2, c: 3, h: 7, w: 5, o: 4, kh: 3, kw: 2, sh: 2, sw: 1, ph: 1, pw: 0, dh: 1, dw: 2, groups: 1, padAfter: 0 },
    { n: 1, c: 4, h: 6, w: 6, o: 6, kh: 3, kw: 3, sh: 1, sw: 2, ph: 2, pw: 1, dh: 2, dw: 1, groups: 2, padAfter: 1 },
    { n: 3, c: 2, h: 4, w: 5, o: 2, kh: 2, kw: 2, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, groups: 2, padAfter: 1 },
  ];
  for (const cfg of convConfigs) {
    it(`conv2d ${JSON.stringify(cfg)}`, () => {
      const oh = Math.floor((cfg.h + cfg.ph + cfg.padAfter - cfg.dh * (cfg.kh - 1) - 1) / cfg.sh) + 1;
      const ow = Math.floor((cfg.w + cfg.pw + cfg.padAfter - cfg.dw * (cfg.kw - 1) - 1) / cfg.sw) + 1;
      const a: Conv2dArgs = { ...cfg, oh, ow };
      const [nx, nw, ny] = [a.n * a.c * a.h * a.w, a.o * (a.c / a.groups) * a.kh * a.kw, a.n * a.o * oh * ow];
      const [x, w, dy] = [rand(nx), rand(nw), rand(ny)];
      const y = zeros(ny);
      be.conv2d(put(x), put(w), null, y, a);
      const dx = zeros(nx);
      be.conv2dBackwardData(put(dy), put(w), dx, a);
      const dw = zeros(nw);
      be.conv2dBackwardFilter(put(x), put(dy), dw, a);
      const ydy = dot(read(y, ny), dy);
      assert.ok(Math.abs(ydy - dot(x, read(dx, nx))) < 1e-12 * Math.max(1, Math.abs(ydy)), '<conv(x), dy> = <x, dX>');
      assert.ok(Math.abs(ydy - dot(w, read(dw, nw))) < 1e-12 * Math.max(1, Math.abs(ydy)), '<conv(x), dy> = <w, dW>');
    });
  }

  const poolCfg = (p: Partial<Pool2dArgs>): Pool2dArgs => ({ n: 2, c: 2, h: 5, w: 7, kh: 3, kw: 2, sh: 2, sw: 3, ph: 1,
    pw: 1, dh: 1, dw: 1, oh: 3, ow: 3, countIncludePad: true, divisorOverride: 0, ...p });
  for (const p of [poolCfg({}), poolCfg({ countIncludePad: false }), poolCfg({ divisorOverride: 5 }),
    poolCfg({ ph: 0, pw: 0, oh: 3, ow: 3 })]) {
    it(`avgPool2d ${JSON.stringify(p)}`, () => {
      const [nx, ny] = [p.n * p.c * p.h * p.w, p.n * p.c * p.oh * p.ow];
      const [x, dy] = [rand(nx), rand(ny)];
      const y = zeros(ny);
      be.avgPool2d(put(x), y, p);
      const dx = zeros(nx);
      be.avgPool2dBackward(put(dy), dx, p);
      assert.ok(Math.abs(dot(read(y, ny), dy) - dot(x, read(dx, nx))) < 1e-12);
    });
  }

  for (const [h, w, oh, ow] of [[5, 7, 3, 2], [4, 4, 4, 4], [3, 5, 5, 7]]) {
    it(`adaptiveAvgPool2d ${h}x${w} → ${oh}x${ow}`, () => {
      const [nx, ny] = [2 * h * w, 2 * oh * ow];
      const [x, dy] = [rand(nx), rand(ny)];
      const y = zeros(ny);
      be.adaptiveAvgPool2d(put(x), y, 1, 2, h, w, oh, ow);
      const dx = zeros(nx);
      be.adaptiveAvgPool2dBackward(put(dy), dx, 1, 2, h, w, oh, ow);
      assert.ok(Math.abs(dot(read(y, ny), dy) - dot(x, read(dx, nx))) < 1e-12);
    });
  }

  it('softmaxBackward matches central differences of <softmax(x), dy>', () => {
    for (const log of [false, true]) {
      const x = Array.from(rand(6));
      const dy = Array.from(rand(6));
      const lossAt = (v: number[]): number => {
        const y = zeros(6);
        be.softmax(put(v), y, 2, 3, log);
        return dot(read(y, 6), dy);
      };
      const y = zeros(6);
      be.softmax(put(x), y, 2, 3, log);
      const dx = zeros(6);
      be.softmaxBackward(y, put(dy), dx, 2, 3, log);
      read(dx, 6).forEach((d, i) => {
        const h = 1e-6;
        const bump = (e: number): number[] => x.map((v, j) => (j === i ? v + e : v));
        const fd = (lossAt(bump(h)) - lossAt(bump(-h))) / (2 * h);
        assert.ok(Math.abs(d - fd) < 1e-8, `log=${log} [${i}]: ${d} vs ${fd}`);
      });
    }
  });
});

describe('reference backend: storages', () => {
  it('view() of a released storage throws; release is idempotent; stats count bytes', () => {
    const b = createReferenceBackend();
    const s = b.alloc('float64', 4);
    const t = b.alloc('int32', 3);
    assert.deepEqual(b.stats(), { bytesInUse: 44, bytesReserved: 44, liveStorages: 2 });
    assert.equal(s.ptr, -1);
    assert.equal(s.backend, b);
    s.release();
    s.release();
    assert.throws(() => s.view(), /released/);
    assert.deepEqual(b.stats(), { bytesInUse: 12, bytesReserved: 12, liveStorages: 1 });
    t.release();
    assert.throws(() => b.alloc('float32', -1), /invalid storage length/);
  });

  it('referenceBackend() is a singleton and supports all three storage types', () => {
    assert.equal(referenceBackend(), referenceBackend());
    const types = ['float32', 'float64', 'int32'] as const;
    assert.deepEqual(types.map((t) => referenceBackend().supports(t)), [true, true, true]);
  });

  it('unreleased storages that become unreachable are uncounted after garbage collection', async function () {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc !== 'function') this.skip();
    const b = createReferenceBackend();
    (() => { for (let i = 0; i < 10; i++) b.alloc('float32', 1000); })();
    assert.equal(b.stats().liveStorages, 10);
    for (let round = 0; round < 50 && b.stats().liveStorages > 0; round++) {
      gc!();
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(b.stats(), { bytesInUse: 0, bytesReserved: 0, liveStorages: 0 });
  });
});

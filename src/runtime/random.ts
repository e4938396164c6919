/**
 * The seeded random number generator behind every random op (rand, randn, randint, dropout, init, shuffling).
 *
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna, 2018) — 128-bit state, period 2^128 − 1, passes BigCrush and
 * PractRand, and needs only 32-bit integer operations (Math.imul, shifts), which JavaScript does natively and fast.
 * Seeding: the 64-bit seed (an integer, negative values taken modulo 2^64 as PyTorch does) is expanded into the
 * 128-bit state with SplitMix64, the seeding procedure the xoshiro authors recommend, so nearby seeds give
 * unrelated streams. The stream for a seed is fixed forever: same seed ⇒ same numbers, on every run and platform.
 * It is NOT PyTorch's stream (PyTorch's CPU generator is mt19937); only the distributions match.
 *
 * Derived distributions:
 * - uniform: 53 random bits per float64 ((a>>>5)·2^26 + (b>>>6)) / 2^53 ∈ [0, 1), or 24 bits when the values are
 *   destined for float32 (so that rounding to float32 can never produce `hi`); results are always in [lo, hi).
 * - normal: Box–Muller on pairs, both outputs used, nothing cached between calls (an odd count discards the last
 *   sine output), so a call's output depends only on the state at the start of the call.
 * - randint: unbiased rejection sampling (32-bit draws for ranges ≤ 2^32, 53-bit draws above).
 * - permutation: Fisher–Yates with unbiased randint.
 */

export interface RandomState {
  readonly algorithm: 'xoshiro128**';
  /** The four 32-bit state words, as unsigned integers. */
  readonly s: readonly [number, number, number, number];
}

/** PyTorch's default seed (c10::default_rng_seed_val), used until manualSeed is called. */
export const DEFAULT_SEED = 67280421310721;

const MASK64 = (1n << 64n) - 1n;
const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

function checkUint32(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= TWO32) {
    throw new Error(`random: invalid state word ${String(v)} (expected an integer in [0, 2^32))`);
  }
  return v;
}

const float32Scratch = new Float32Array(1);
const fround = Math.fround;

/** The largest float64 below x (x finite). */
function nextDown64(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += x > 0 ? -1n : 1n;
  return f[0];
}

/** The largest float32 below x (x a finite float32). */
function nextDown32(x: number): number {
  if (x === 0) return -1.401298464324817e-45;
  float32Scratch[0] = x;
  const i = new Int32Array(float32Scratch.buffer);
  i[0] += x > 0 ? -1 : 1;
  return float32Scratch[0];
}

export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private seed = DEFAULT_SEED;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Reseed. Any integer (number or bigint); taken modulo 2^64. */
  manualSeed(seed: number | bigint): void {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new Error(`manualSeed: expected an integer seed, got ${seed}`);
    }
    let st = BigInt.asUintN(64, BigInt(seed));
    let a: bigint;
    let b: bigint;
    [st, a] = splitMix64(st);
    [st, b] = splitMix64(st);
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
    this.seed = typeof seed === 'number' ? seed : Number(BigInt.asIntN(64, seed));
  }

  /** The seed last given to manualSeed (or the default). */
  initialSeed(): number {
    return this.seed;
  }

  /** Next 32 random bits as an unsigned integer (one xoshiro128** step). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float64 uniform in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO53;
  }

  /**
   * n uniforms in [lo, hi). With `precision: 'float32'` every value is a float32 in [lo, hi) (24-bit draws),
   * so storing them into a float32 tensor never rounds up to hi.
   */
  uniform(n: number, lo = 0, hi = 1, precision: 'float64' | 'float32' = 'float64'): Float64Array {
    checkCount(n, 'uniform');
    if (!(lo <= hi) || !Number.isFinite(hi - lo)) {
      throw new Error(`uniform: expected finite lo <= hi, got [${lo}, ${hi})`);
    }
    const out = new Float64Array(n);
    const f32 = precision === 'float32';
    const top = lo === hi ? lo : f32 ? nextDown32(fround(hi)) : nextDown64(hi);
    for (let i = 0; i < n; i++) {
      const u = f32 ? (this.nextUint32() >>> 8) / 16777216 : this.random();
      let v = lo + (hi - lo) * u;
      if (f32) v = fround(v);
      out[i] = v > top ? top : v < lo ? (f32 ? fround(lo) : lo) : v;
    }
    return out;
  }

  /** n normals N(mean, std²) by Box–Muller; nothing is carried over between calls. */
  normal(n: number, mean = 0, std = 1): Float64Array {
    checkCount(n, 'normal');
    if (!(std >= 0)) throw new Error(`normal: expected std >= 0, got ${std}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - this.random(); // (0, 1]: log is finite
      const u2 = this.random();
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      out[i] = mean + std * r * Math.cos(theta);
      if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(theta);
    }
    return out;
  }

  /** One integer uniformly in [0, range), unbiased; 1 ≤ range ≤ 2^53. */
  below(range: number): number {
    if (range <= TWO32) {
      const limit = TWO32 - (TWO32 % range);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % range;
    }
    const limit = TWO53 - (TWO53 % range);
    let x = this.bits53();
    while (x >= limit) x = this.bits53();
    return x % range;
  }

  /** n integers uniformly in [low, high) (integers, high − low ≤ 2^53), as exact float64 values. */
  randint(n: number, low: number, high: number): Float64Array {
    checkCount(n, 'randint');
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || !(high > low) || high - low > TWO53) {
      throw new Error(`randint: expected integers low < high with high - low <= 2^53, got [${low}, ${high})`);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = low + this.below(high - low);
    return out;
  }

  /** n draws of 0/1 with P(1) = p (a scalar, or one probability per draw). */
  bernoulli(n: number, p: number | ArrayLike<number>): Float64Array {
    checkCount(n, 'bernoulli');
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const pi = typeof p === 'number' ? p : p[i];
      if (!(pi >= 0 && pi <= 1)) throw new Error(`bernoulli: expected 0 <= p <= 1, got ${pi}`);
      out[i] = this.random() < pi ? 1 : 0;
    }
    return out;
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    checkCount(n, 'permutation');
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** A snapshot of the state (plain JSON-serialisable data). */
  getState(): RandomState {
    return { algorithm: 'xoshiro128**', s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] };
  }

  /** Restore a snapshot taken by getState; the stream continues exactly where it was. */
  setState(state: RandomState): void {
    if (!state || state.algorithm !== 'xoshiro128**' || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new Error('setState: expected a state from getState() ({ algorithm: "xoshiro128**", s: [4 words] })');
    }
    const w = state.s.map(checkUint32);
    if ((w[0] | w[1] | w[2] | w[3]) === 0) throw new Error('setState: the all-zero state is invalid for xoshiro128**');
    [this.s0, this.s1, this.s2, this.s3] = [w[0] | 0, w[1] | 0, w[2] | 0, w[3] | 0];
  }

  private bits53(): number {
    return (this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkCount(n: number, op: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${op}: expected a non-negative integer count, got ${n}`);
}

/** The process-wide default generator (torch.default_generator). */
export const defaultGenerator = new Generator();

export const manualSeed = (seed: number | bigint): void => defaultGenerator.manualSeed(seed);
export const initialSeed = (): number => defaultGenerator.initialSeed();
export const uniform = (n: number, lo = 0, hi = 1, precision: 'float64' | 'float32' = 'float64'): Float64Array =>
  defaultGenerator.uniform(n, lo, hi, precision);
export const normal = (n: number, mean = 0, std = 1): Float64Array => defaultGenerator.normal(n, mean, std);
export const randint = (n: number, low: number, high: number): Float64Array => defaultGenerator.randint(n, low, high);
export const bernoulli = (n: number, p: number | ArrayLike<number>): Float64Array => defaultGenerator.bernoulli(n, p);
export const permutation = (n: number): Int32Array => defaultGenerator.permutation(n);
export const getState = (): RandomState => defaultGenerator.getState();
export const setState = (state: RandomState): void => defaultGenerator.setState(state);

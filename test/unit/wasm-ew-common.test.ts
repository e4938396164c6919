/**
 * Shared helpers for the wasm elementwise-family tests (wasm-ew-*.test.ts), plus the check that the opcode
 * table in src/runtime/backend/wasm/ew-opcodes.ts agrees with the constants exported by the compiled kernels.
 *
 * The kernels are rebuilt first when their sources changed (scripts/build-kernels.mjs is hash-based, so this is a
 * no-op when dist/kernels is current), so these tests always exercise the current AssemblyScript.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { Backend, Ref, StorageType } from '../../src/runtime/backend/types';
import { createWasmBackend, type WasmBackend } from '../../src/runtime/backend/wasm/index';
import { warmUpElementwise } from '../../src/runtime/backend/wasm/ew-warmup';
import {
  BINARY_OPCODES, REDUCE_OPCODES, UNARY_OPCODES, asConstName,
} from '../../src/runtime/backend/wasm/ew-opcodes';

/** Sizes that exercise every SIMD tail (and a few multi-vector bodies). */
export const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 33, 65];

let built = false;
let backend: WasmBackend | undefined;

/** The wasm backend over freshly built kernels (one per test process). */
export function wasm(): WasmBackend {
  if (!built) {
    execFileSync(process.execPath, [path.join(__dirname, '../../scripts/build-kernels.mjs')], { stdio: 'pipe' });
    built = true;
  }
  return (backend ??= createWasmBackend());
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** n float32-representable values uniform in [lo, hi). */
export function randf(n: number, seed: number, lo = -1, hi = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}

export function randi(n: number, seed: number, lo: number, hi: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor((hi - lo) * r()));
}

const GUARD = 7; // guard elements before and after every operand
const GUARD_VALUE = -12345;

/** A Ref at element offset GUARD inside a storage with GUARD guard elements on both sides. */
export function put(be: Backend, type: StorageType, data: ArrayLike<number>): Ref {
  const s = be.alloc(type, data.length + 2 * GUARD);
  const v = s.view();
  v.fill(GUARD_VALUE);
  for (let i = 0; i < data.length; i++) v[GUARD + i] = data[i];
  return { s, off: GUARD };
}

/** An output Ref of n elements, pre-filled with `fillWith` (NaN by default, to catch unwritten elements). */
export function out(be: Backend, type: StorageType, n: number, fillWith = NaN): Ref {
  return put(be, type, new Array(n).fill(type === 'int32' && Number.isNaN(fillWith) ? 777777 : fillWith));
}

/** The n values of r, after checking its guard elements are intact. */
export function get(r: Ref, n: number): number[] {
  const v = r.s.view();
  for (let i = 0; i < GUARD; i++) {
    assert.equal(v[i], GUARD_VALUE, `guard before operand overwritten at ${i}`);
    assert.equal(v[GUARD + n + i], GUARD_VALUE, `guard after operand overwritten at ${i}`);
  }
  return Array.from(v.subarray(r.off, r.off + n));
}

export function release(...refs: Ref[]): void {
  for (const r of refs) r.s.release();
}

/** NaN matches NaN, ±Inf must match exactly, otherwise |got − want| <= rtol·|want| + atol. */
export function assertNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 2e-6,
  atol = 1e-6): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w)) { assert.ok(Number.isNaN(g), `${what}[${i}]: got ${g}, want NaN`); continue; }
    if (!Number.isFinite(w)) { assert.equal(g, w, `${what}[${i}]`); continue; }
    assert.ok(Math.abs(g - w) <= rtol * Math.abs(w) + atol, `${what}[${i}]: got ${g}, want ${w}`);
  }
}

/** Exact equality, NaN matching NaN (int results, moves, max/min). */
export function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Object.is(got[i], want[i]) || got[i] === want[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    assert.ok(ok, `${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

/** Row-major contiguous strides of a shape. */
export function contiguous(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
  return st;
}

/** Element offsets (relative to the operand) of every output element in row-major order. */
export function offsets(shape: readonly number[], strides: readonly number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const res: number[] = [];
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += idx[d] * strides[d];
    res.push(o);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return res;
}

describe('wasm-ew: warm-up', () => {
  it('runs every kernel on scratch memory without touching storages', () => {
    const be = wasm();
    const x = put(be, 'float32', [1, 2, 3]);
    warmUpElementwise(be.ctx);
    assertSame(get(x, 3), [1, 2, 3], 'storage untouched');
    release(x);
  });
});

describe('wasm-ew: opcode table', () => {
  it('every TS opcode equals the constant exported by the kernels', () => {
    const ex = (wasm().ctx as { ex: Record<string, WebAssembly.Global> }).ex;
    const tables: Array<['EW_UN_' | 'EW_BIN_' | 'EW_RED_', Record<string, number>]> = [
      ['EW_UN_', UNARY_OPCODES], ['EW_BIN_', BINARY_OPCODES], ['EW_RED_', REDUCE_OPCODES],
    ];
    for (const [prefix, table] of tables) {
      const codes = new Set<number>();
      for (const [op, code] of Object.entries(table)) {
        const g = ex[asConstName(prefix, op)];
        assert.ok(g, `kernels export no ${asConstName(prefix, op)}`);
        assert.equal(g.value, code, `${op}`);
        codes.add(code);
      }
      assert.equal(codes.size, Object.keys(table).length, `${prefix} opcodes are distinct`);
      const exported = Object.keys(ex).filter((k) => k.startsWith(prefix));
      assert.equal(exported.length, Object.keys(table).length, `${prefix}: the kernels export no extra opcodes`);
    }
  });
});

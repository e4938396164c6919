/**
 * Every entry of the elementwise op tables gets, from the entry alone (the loops iterate the tables, so a new entry
 * is covered without touching this file): forward (float64 reference backend vs the entry's definition, or vs the
 * reference backend's scalar kernel through wasm parity), backward and double backward (float64 gradcheck, finite
 * differences of the gradient), jvp (vs central finite differences), wasm parity with the reference backend (values
 * and gradients, float32) and a stepper formula. Tables: ops/unary-table.ts, ops/binary-table.ts,
 * ops/reduce-table.ts (activations: test/unit/activation-table.test.ts).
 */
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import type { BinaryOp, UnaryOp } from '../../src/runtime/backend/types';
import { binaryOp, coerce, unaryOp } from '../../src/runtime/ops/basic';
import { BINARY } from '../../src/runtime/ops/binary-table';
import { REDUCTIONS, type NodeReduction, type ReductionName } from '../../src/runtime/ops/reduce-table';
import { UNARY } from '../../src/runtime/ops/unary-table';
import { BINARY_OPCODES, REDUCE_OPCODES, UNARY_OPCODES } from '../../src/runtime/backend/wasm/ew-opcodes';
import { exprOf, localFormula, vjpFormula } from '../../src/runtime/show/graph-formulas';
import type { Node } from '../../src/runtime/autograd/node';

type Fn = (...xs: L.Tensor[]) => L.Tensor;
const f64 = (v: number[][]): L.Tensor => L.tensor(v, { dtype: 'float64' });
const flat = (t: L.Tensor): number[] => Array.from(t.dataSync());
const close = (a: number[], b: number[], tol: number, what: string): void => {
  assert.equal(a.length, b.length, `${what}: length`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${v} vs ${b[i]}`));
};

/** Backward and double backward (finite differences of the gradient w.r.t. every input) in float64. */
function checkFirstAndSecond(fn: Fn, xs: L.Tensor[]): void {
  L.setBackend('reference');
  const inputs = xs.map((x) => x.detach().requiresGrad_());
  const r = L.gradcheck(fn, inputs);
  assert.ok(r.ok, `first derivative: ${JSON.stringify(r.worst)}`);
  for (let i = 0; i < xs.length; i++) {
    // finite differences call this without grad: give it leaves of its own then
    const dfdxi = (...ts: L.Tensor[]): L.Tensor =>
      L.enableGrad(() => {
        const us = ts.map((t) => (t.requiresGrad ? t : t.detach().requiresGrad_()));
        const g = L.grad(L.sum(fn(...us)), us, { createGraph: ts.some((t) => t.requiresGrad), allowUnused: true })[i];
        return g ?? L.zerosLike(us[i]);
      });
    const r2 = L.gradcheck(dfdxi, inputs);
    assert.ok(r2.ok, `second derivative through input ${i}: ${JSON.stringify(r2.worst)}`);
  }
}

/** jvp = (f(x + εt) − f(x − εt)) / 2ε, float64. */
function checkJvp(fn: Fn, xs: L.Tensor[]): void {
  L.setBackend('reference');
  const ts = xs.map((x, k) =>
    L.tensor(
      flat(x).map((_, i) => (((i + k) % 3) - 1) * 0.5),
      { dtype: 'float64' },
    ).reshape(x.shape),
  );
  const { tangent } = L.jvp(fn, xs, ts);
  const eps = 1e-6;
  const at = (s: number): number[] => flat(fn(...xs.map((x, k) => L.add(x, L.mul(ts[k], s * eps)))));
  const [hi, lo] = [at(1), at(-1)];
  const fd = hi.map((v, i) => (v - lo[i]) / (2 * eps));
  close(tangent ? flat(tangent.expand(...fn(...xs).shape).contiguous()) : fd.map(() => 0), fd, 1e-6, 'jvp');
}

/** Forward values and input gradients agree between the wasm and reference backends (float32). */
function checkWasm(fn: Fn, xs: L.Tensor[], differentiable: boolean): void {
  const run = (b: 'wasm' | 'reference'): number[][] => {
    L.setBackend(b);
    const ins = xs.map((x) => L.tensor(flat(x)).reshape(x.shape).requiresGrad_(differentiable));
    const y = fn(...ins);
    if (!differentiable) return [flat(y.float())];
    L.sum(y).backward();
    return [flat(y), ...ins.map((x) => flat(x.grad!))];
  };
  const [ref, wasm] = [run('reference'), run('wasm')];
  ref.forEach((r, k) => close(wasm[k], r, 1e-5, k ? `grad ${k - 1}` : 'value'));
}

/** Every node of y's graph. */
function nodesOf(y: L.Tensor): Node[] {
  const seen = new Set<Node>();
  const walk = (n: Node | null | undefined): void => {
    if (!n || seen.has(n)) return;
    seen.add(n);
    for (const e of n.edges) walk(e?.node);
  };
  walk(y.gradFn as Node | null);
  return [...seen];
}

describe('op tables: every entry gets forward, backward, double backward, jvp, wasm parity and a formula', () => {
  after(() => L.setBackend('wasm'));

  describe('the tables cover the backend unions', () => {
    it('every wasm opcode has a table entry and vice versa', () => {
      assert.deepEqual(Object.keys(UNARY).sort(), Object.keys(UNARY_OPCODES).sort());
      assert.deepEqual(Object.keys(BINARY).sort(), Object.keys(BINARY_OPCODES).sort());
      const kernels = new Set(Object.values(REDUCTIONS).map((e) => e.kernel));
      for (const k of Object.keys(REDUCE_OPCODES)) assert.ok(kernels.has(k as never), `reduce kernel ${k} has no entry`);
    });
  });

  describe('unary (ops/unary-table.ts)', () => {
    /** Parameters (p0, p1) and the input domain where an op is smooth. */
    const params: Partial<Record<UnaryOp, [number, number]>> = {
      leakyRelu: [0.1, 0],
      elu: [1.3, 0],
      softplus: [1.5, 20],
      clamp: [-1, 1],
      powScalar: [3, 0],
      affine: [2, 1],
    };
    const positive = new Set<UnaryOp>(['log', 'sqrt', 'rsqrt', 'log1p', 'reciprocal']);
    const piecewiseConstant = new Set<UnaryOp>(['sign', 'floor', 'ceil', 'round']);
    for (const op of Object.keys(UNARY) as UnaryOp[]) {
      describe(op, () => {
        const [p0, p1] = params[op] ?? [0, 0];
        const fn: Fn = (x) => unaryOp(op, x, p0, p1);
        const xs = [f64([positive.has(op) ? [0.3, 0.7, 1.4, 2.2, 3.1] : [-2.3, -1.4, -0.35, 0.45, 0.8, 1.6]])];
        if (!piecewiseConstant.has(op)) {
          it('backward and double backward pass gradcheck (float64)', () => checkFirstAndSecond(fn, xs));
        } else {
          it('has a zero derivative', () => {
            const x = xs[0].detach().requiresGrad_();
            assert.deepEqual(flat(L.grad(L.sum(fn(x)), x)[0]!), [0, 0, 0, 0, 0, 0]);
          });
        }
        it('jvp = finite differences', () => checkJvp(fn, xs));
        it('wasm = reference backend', () => checkWasm(fn, xs, true));
        it('stepper formulas', () => {
          const node = fn(L.tensor([0.5], { requiresGrad: true })).gradFn as Node;
          assert.equal(exprOf(node, ['x'], 'y'), `y = ${UNARY[op].text('x', p0, p1)}`);
          assert.ok(localFormula(node, 0, ['x']) !== null || UNARY[op].derivText('x', p0, p1) === null);
        });
      });
    }
  });

  describe('binary (ops/binary-table.ts)', () => {
    // broadcast [3, 1] against [1, 4]; positive, no ties (maximum/minimum), away from the kinks
    const X = f64([[0.4], [1.3], [2.6]]);
    const Y = f64([[0.7, 1.9, 0.25, 2.2]]);
    for (const op of Object.keys(BINARY) as BinaryOp[]) {
      const e = BINARY[op];
      describe(op, () => {
        const fn: Fn = (x, y) => binaryOp(op, ...coerce(op, x, y));
        if (e.chain) {
          it('backward and double backward pass gradcheck (float64, broadcast operands)', () => checkFirstAndSecond(fn, [X, Y]));
          it('jvp = finite differences', () => checkJvp(fn, [X, Y]));
          it('stepper formulas: node, local derivatives, VJPs', () => {
            const node = fn(L.tensor([[0.5]], { requiresGrad: true }), L.tensor([[1.5, 2]], { requiresGrad: true })).gradFn as Node;
            assert.equal(node.op, op);
            assert.equal(exprOf(node, ['x', 'y'], 'z'), `z = ${e.text('x', 'y')}`);
            for (const i of [0, 1]) {
              assert.equal(localFormula(node, i, ['x', 'y']), e.derivText![i]('x', 'y'));
              assert.ok(!vjpFormula(node, i, ['x', 'y'], 'g').startsWith('VJP of'));
            }
            assert.match(vjpFormula(node, 0, ['x', 'y'], 'g'), /summed over broadcast dims$/);
          });
        } else {
          it('has no gradient (a bool result outside the graph, as PyTorch)', () => {
            const z = fn(X.detach().requiresGrad_(), Y);
            assert.equal(z.dtype, 'bool');
            assert.equal(z.requiresGrad, false);
            assert.equal(e.text('x', 'y').includes('x'), true);
          });
        }
        it('wasm = reference backend', () => checkWasm(fn, [X, Y], e.chain !== null));
      });
    }
  });

  describe('reductions (ops/reduce-table.ts)', () => {
    const X = f64([
      [0.3, -1.2, 2.1, 0.7],
      [1.5, -0.4, -2.2, 0.9],
      [-0.8, 1.1, 0.6, -1.7],
    ]);
    const lanes = (dim: number | null): number[][] => {
      const v = X.toArray() as number[][];
      if (dim === null) return [v.flat()];
      return dim === 0 ? v[0].map((_, j) => v.map((r) => r[j])) : v;
    };
    for (const name of Object.keys(REDUCTIONS) as ReductionName[]) {
      const e = REDUCTIONS[name];
      for (const dim of [null, 0, 1]) {
        describe(`${name} over ${dim === null ? 'every dim' : `dim ${dim}`}`, () => {
          const fn: Fn = (x) => e.apply(x, dim);
          it('forward = the lane definition (float64, reference backend)', () => {
            L.setBackend('reference');
            close(
              flat(fn(X)),
              lanes(dim).map((l) => e.lane(l)),
              1e-12,
              'value',
            );
          });
          it('backward and double backward pass gradcheck (float64)', () => checkFirstAndSecond(fn, [X]));
          it('jvp = finite differences', () => checkJvp(fn, [X]));
          it('wasm = reference backend', () => checkWasm(fn, [X], true));
          it('stepper formulas', () => {
            L.setBackend('reference');
            const nodes = nodesOf(fn(X.detach().requiresGrad_()));
            if ('composed' in e) {
              assert.ok(nodes.length > 0 && e.text('x', {}).length > 0);
              return;
            }
            const node = nodes.find((n) => n.op === name);
            assert.ok(node, `${name} records a node named after its entry`);
            assert.equal(exprOf(node, ['x'], 'y'), `y = ${e.text('x', node.attrs)}`);
            assert.equal(localFormula(node, 0, ['x']), (e as NodeReduction).derivText('x', node.attrs));
            assert.equal(vjpFormula(node, 0, ['x'], 'g'), (e as NodeReduction).vjpText('g', 'x', node.edges[0]!.shape, node.attrs));
          });
        });
      }
    }
  });
});

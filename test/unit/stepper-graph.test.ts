// show.graph: the backprop stepper's payload is the runtime's own autograd, step by step (float64 lecture example,
// MLP and conv gradients against .backward()).
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import type { GraphPayload, GraphStep } from '../../src/protocol';
import { fmtNum } from '../../src/runtime/show/graph';

const close = (a: number | null | undefined, b: number, tol = 1e-9): void =>
  assert.ok(a != null && Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);
const lectureFn = (x: L.Tensor, y: L.Tensor): L.Tensor => {
  const b = y.mul(x.log());
  return b.add(b.sqrt());
};
const l3 = Math.log(3);
const F = Math.sqrt(2 * l3) + 2 * l3;
const DX = (1 / 3) * (2 + 1 / Math.sqrt(2 * l3));
const DY = 0.5 * Math.sqrt(l3 / 2) + l3;

const byLabel = (p: GraphPayload, label: string) => p.nodes.find((n) => n.label === label)!;

/** Every step propagating from node X comes after every step adding into X (reverse topological order). */
function assertReverseTopological(p: GraphPayload): void {
  const firstFrom = new Map<string, number>();
  p.steps.forEach((s, i) => { if (s.node !== s.target && !firstFrom.has(s.node)) firstFrom.set(s.node, i); });
  p.steps.forEach((s, i) => {
    const f = firstFrom.get(s.target);
    if (f !== undefined) assert.ok(i < f, `step ${i} adds into ${s.target} after it already propagated at step ${f}`);
  });
  assert.equal(p.steps[0].node, p.output, 'the seed comes first');
}

/** A forward step's node comes after the steps of all the inputs it uses. */
function assertTopological(steps: GraphStep[]): void {
  const at = new Map(steps.map((s, i) => [s.node, i]));
  steps.forEach((s, i) => s.edges.forEach((e) => assert.ok((at.get(e.from) ?? Infinity) < i, `forward step ${i} uses ${e.from} before it`)));
}

describe('stepper: show.graph payload', () => {
  before(() => L.setBackend('reference'));
  after(() => L.setBackend('wasm'));

  it('lecture example: values and leaf gradients to 1e-9 in the numeric fields', () => {
    const p = L.show.graph(lectureFn, [3, 2]).payload;
    close(byLabel(p, 'f').value!.scalar, F);
    close(byLabel(p, 'b').value!.scalar, 2 * l3);
    close(byLabel(p, 'c').value!.scalar, Math.sqrt(2 * l3));
    const leaves = Object.fromEntries(p.leaves.map((l) => [l.label, l.grad!.scalar]));
    close(leaves.x, DX);
    close(leaves.y, DY);
    close(byLabel(p, 'x').grad!.scalar, DX);
    close(byLabel(p, 'b').grad!.scalar, 1 + 1 / (2 * Math.sqrt(2 * l3)));
    assert.deepEqual(p.nodes.map((n) => n.expr).filter((e) => e.includes('=')), ['a = log x', 'b = y · a', 'c = √b', 'f = b + c']);
  });

  it('reverse steps: reverse topological order, the "+=" where two paths meet, each term the runtime\'s value', () => {
    const p = L.show.graph(lectureFn, [3, 2]).payload;
    assertReverseTopological(p);
    assert.equal(p.steps.length, 7);
    const sq = p.steps.find((s) => s.accumulate)!;
    assert.equal(sq.term, '∂f/∂b += ∂f/∂c · ∂c/∂b = 1 × 1/(2√b) = 0.3373');
    close(sq.local!.scalar, 1 / (2 * Math.sqrt(2 * l3)), 1e-12);
    close(sq.prev!.scalar, 1, 0);
    close(sq.acc!.scalar, 1 + 1 / (2 * Math.sqrt(2 * l3)), 1e-12);
    assert.match(sq.detail.join('\n'), /two paths meet at b: ∂f\/∂b = 1 \+ 0\.3373 = 1\.337/);
    assert.equal(p.steps.filter((s) => s.accumulate).length, 1, 'only b has two paths');
    for (const s of p.steps.slice(1)) {
      // the printed result is the payload's number, and that number is upstream × local
      assert.ok(s.term.endsWith(`= ${fmtNum(s.contribution.scalar!)}`), s.term);
      close(s.contribution.scalar, s.upstream!.scalar! * s.local!.scalar!, 1e-12);
      close(s.acc.scalar, (s.prev?.scalar ?? 0) + s.contribution.scalar!, 1e-12);
    }
    // intermediate gradients equal the runtime's own (retainGrad on an independent run)
    const x = L.tensor(3, { dtype: 'float64', requiresGrad: true });
    const y = L.tensor(2, { dtype: 'float64', requiresGrad: true });
    const a = x.log();
    const b = y.mul(a);
    const c = b.sqrt();
    for (const t of [a, b, c]) t.retainGrad();
    b.add(c).backward();
    for (const [label, t] of [['a', a], ['b', b], ['c', c], ['x', x], ['y', y]] as const) close(byLabel(p, label).grad!.scalar, t.grad!.item(), 0);
  });

  it('forward mode: topological order, tangents equal jvp, and each term sums local × tangent', () => {
    const p = L.show.graph(lectureFn, [3, 2]).payload;
    assert.deepEqual(p.forward.map((f) => p.nodes.find((n) => n.id === f.wrt)!.label), ['x', 'y']);
    const one = L.tensor(1, { dtype: 'float64' });
    const zero = L.tensor(0, { dtype: 'float64' });
    for (const [k, tangents, expect] of [[0, [one, zero], DX], [1, [zero, one], DY]] as const) {
      const steps = p.forward[k].steps;
      assertTopological(steps);
      const last = steps[steps.length - 1];
      assert.equal(last.node, p.output);
      const jvp = L.jvp(lectureFn, [L.tensor(3, { dtype: 'float64' }), L.tensor(2, { dtype: 'float64' })], [...tangents]);
      close(last.acc.scalar, jvp.tangent!.item(), 0);
      close(last.acc.scalar, expect);
      assert.ok(last.term.endsWith(`= ${fmtNum(last.acc.scalar!)}`), last.term);
      const tangent = new Map(steps.map((s) => [s.node, s.acc.scalar!]));
      for (const s of steps.filter((q) => q.edges.length === 1)) close(s.acc.scalar, s.local!.scalar! * tangent.get(s.edges[0].from)!, 1e-12);
    }
    const fx = p.forward[0].steps.map((s) => s.term);
    assert.equal(fx[3], '∂c/∂x = ∂c/∂b · ∂b/∂x = 1/(2√b) × 0.6667 = 0.2249');
    assert.equal(fx[4], '∂f/∂x = ∂f/∂b · ∂b/∂x + ∂f/∂c · ∂c/∂x = 1 × 0.6667 + 1 × 0.2249 = 0.8915');
  });

  it('labels come from record keys, tensor names or the function\'s parameter names; .grad is left alone', () => {
    const w = L.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    w.name = 'w1';
    const p = L.show.graph((input: L.Tensor, z: L.Tensor) => input.mul(z).sum(), { input: w, z: [3, 4] }).payload;
    assert.deepEqual(p.leaves.map((l) => l.label), ['input', 'z']);
    const q = L.show.graph((u: L.Tensor) => u.mul(u).sum(), [w]).payload;
    assert.deepEqual(q.leaves.map((l) => l.label), ['w1']);
    assert.deepEqual(q.leaves[0].grad!.data, [2, 4]);
    assert.equal(w.grad, null, 'show.graph does not touch .grad');
    const r = L.show.graph((first: L.Tensor, second: L.Tensor) => first.add(second), [1, 2]).payload;
    assert.deepEqual(r.leaves.map((l) => l.label), ['first', 'second']);
  });

  it('a loss tensor recorded with traced values steps too (no forward mode), and can still backward', () => {
    const x = L.tensor(3, { dtype: 'float64', requiresGrad: true });
    x.name = 'x';
    const f = L.show.graph.trace(() => x.mul(x).exp());
    const fig = L.show.graph(f);
    assert.equal(fig.payload.forward.length, 0);
    assert.match(fig.payload.forwardNote!, /needs the function/);
    close(fig.payload.leaves[0].grad!.scalar, 6 * Math.exp(9), 1e-3);
    f.backward();
    close(x.grad!.item(), 6 * Math.exp(9), 1e-3);
    assert.match(fig.text, /∂f\/∂x = /);
  });
});

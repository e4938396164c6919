// show.graph on small networks: the stepped gradients of an MLP and a tiny conv net equal .grad after .backward().
import { strict as assert } from 'node:assert';
import * as L from '../../src/runtime';
import type { GraphPayload } from '../../src/protocol';

/** The accumulated value after the last step that adds into `id`. */
function steppedGrad(p: GraphPayload, id: string): Array<number | null> {
  const last = [...p.steps].reverse().find((s) => s.target === id)!;
  return last.acc.data ?? [last.acc.scalar ?? null];
}

function checkAgainstBackward(p: GraphPayload, model: L.nn.Module, loss: () => L.Tensor): void {
  for (const q of model.parameters()) assert.equal(q.grad, null, 'show.graph leaves .grad alone');
  loss().backward();
  const params = new Map([...model.namedParameters()]);
  assert.equal(p.leaves.length, params.size);
  for (const leaf of p.leaves) {
    const want = Array.from(params.get(leaf.label)!.grad!.dataSync());
    assert.deepEqual(steppedGrad(p, leaf.id), want, `stepped ∂L/∂${leaf.label}`);
    assert.deepEqual(leaf.grad!.data, want, `final ∂L/∂${leaf.label}`);
  }
}

describe('stepper: networks', () => {
  it('two-layer MLP + MSE: stepped gradients equal .grad after .backward()', () => {
    L.manualSeed(11);
    const model = new L.nn.Sequential(new L.nn.Linear(3, 4), new L.nn.ReLU(), new L.nn.Linear(4, 2));
    const x = L.randn([5, 3]);
    const t = L.randn([5, 2]);
    const loss = () => L.F.mseLoss(model.forward(x) as L.Tensor, t);
    const fig = L.show.graph(loss, [], { model, output: 'L' });
    const p = fig.payload;
    assert.ok(p.nodes.some((n) => n.op === 'relu') && p.nodes.some((n) => n.op === 'mm'));
    assert.equal(p.nodes.find((n) => n.id === p.output)!.value!.scalar, loss().item());
    assert.match(p.nodes.find((n) => n.label === '0.weight')!.value!.text, /^\[4, 3\] μ=-?[\d.e-]+ σ=[\d.e-]+$/);
    const relu = p.steps.find((s) => p.nodes.find((n) => n.id === s.node)!.op === 'relu')!;
    assert.match(relu.term, /^∂L\/∂\w+ = ∂L\/∂\w+ · ∂\w+\/∂\w+ = ∂L\/∂\w+ ⊙ 𝟙\[\w+ > 0\] = \[5, 4\] μ=/);
    assert.equal(p.forward.length, 1, 'forward mode for the first leaf when no input requires grad');
    checkAgainstBackward(p, model, loss);
  });

  it('tiny conv + max-pool + linear: stepped gradients equal .grad after .backward()', () => {
    L.manualSeed(5);
    const net = new L.nn.Sequential(new L.nn.Conv2d(1, 2, 3), new L.nn.ReLU(), new L.nn.MaxPool2d(2), new L.nn.Flatten(), new L.nn.Linear(18, 2));
    const img = L.randn([1, 1, 8, 8]);
    const loss = () => (net.forward(img) as L.Tensor).pow(2).mean();
    const p = L.show.graph(loss, [], { model: net, output: 'L' }).payload;
    assert.ok(p.nodes.some((n) => n.op === 'conv2d') && p.nodes.some((n) => n.op === 'maxPool2d'));
    checkAgainstBackward(p, net, loss);
  });

  it('forward mode on a tensor graph: the output\'s tangent equals jvp()', () => {
    L.manualSeed(2);
    const v = L.randn([3, 2]);
    const fn = (w: L.Tensor) => w.matmul(v).tanh().sum();
    const w = L.randn([4, 3], { requiresGrad: true });
    const p = L.show.graph(fn, { w }).payload;
    const steps = p.forward[0].steps;
    const ops = steps.map((s) => p.nodes.find((n) => n.id === s.node)!.op);
    assert.deepEqual(ops.filter((o) => !['unsqueeze', 'reshape'].includes(o)), ['leaf', 'mm', 'tanh', 'sum']);
    const want = L.jvp(fn, [w.detach()], [L.onesLike(w)]).tangent!.item();
    assert.equal(steps[steps.length - 1].acc.scalar, want);
    assert.match(steps[ops.indexOf('tanh')].term, /^∂\w\/∂w = ∂\w\/∂\w · ∂\w\/∂w = \[4, 2\] μ=/);
  });

  it('values above maxValues are summarised by shape and stats only', () => {
    const w = L.randn([20, 20], { requiresGrad: true });
    const p = L.show.graph((m: L.Tensor) => m.tanh().sum(), [w], { maxValues: 100 }).payload;
    const leaf = p.nodes.find((n) => n.label === 'm')!;
    assert.equal(leaf.value!.data, undefined);
    assert.ok(leaf.value!.stats!.std! > 0.5);
    assert.match(leaf.value!.text, /^\[20, 20\] μ=/);
  });
});

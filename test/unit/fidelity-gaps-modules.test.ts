/**
 * Issue #10 gaps in modules against PyTorch 1.13 (fixtures: sequential + hooks of test/fixtures/torch/fidelity_gaps.json):
 * nn.Sequential's named (OrderedDict) form, addModule/registerModule, names kept by slices and append, checkpoints
 * loading with PyTorch's keys; forward hooks whose return value replaces the output as in PyTorch, with a clear
 * error when the next module cannot take it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lw from '../../src/runtime';
import { modelPy } from '../../src/runtime/export/pytorch';

type T = lw.Tensor;
interface Ser { data: number[]; shape: number[]; dtype: string }
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'torch', 'fidelity_gaps.json'), 'utf8'));
const load = (s: Ser): T => lw.tensor(s.data, { dtype: s.dtype as 'float32' }).reshape(s.shape);
const { nn } = lw;

const named = (): lw.nn.Sequential =>
  new nn.Sequential(new Map<string, lw.nn.Module>([['conv1', new nn.Conv2d(1, 2, 3)], ['relu1', new nn.ReLU()], ['bn', new nn.BatchNorm2d(2)], ['flat', new nn.Flatten()], ['fc', new nn.Linear(8, 3)]]));

describe("nn.Sequential's named form and addModule as PyTorch (issue #10)", () => {
  it('Map form: stateDict keys equal PyTorch\'s; a PyTorch state dict loads strictly and reproduces its output', () => {
    const sq = fx.sequential;
    const seq = named();
    assert.deepEqual([...seq.stateDict().keys()], sq.namedKeys);
    const sd = new Map<string, T>(Object.entries(sq.namedState as Record<string, Ser>).map(([k, v]) => [k, load(v)]));
    const r = seq.loadStateDict(sd, { strict: false });
    assert.deepEqual(r.unexpectedKeys, []);
    const y = seq(load(sq.x)) as T;
    Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - sq.y.data[i]) < 1e-5, `y[${i}]: ${v} vs ${sq.y.data[i]}`));
  });

  it('pairs and object-literal forms equal the Map form; names are attributes; at(name) and at(i) work', () => {
    const a = new nn.Linear(2, 3);
    const b = new nn.ReLU();
    const fromPairs = new nn.Sequential([['fc', a], ['act', b]]);
    const fromObject = new nn.Sequential({ fc: a, act: b });
    for (const s of [fromPairs, fromObject]) {
      assert.deepEqual([...s.stateDict().keys()], ['fc.weight', 'fc.bias']);
      assert.equal((s as unknown as Record<string, unknown>).fc, a);
      assert.equal(s.at('act'), b);
      assert.equal(s.at(-1), b);
      assert.equal(s.length, 2);
      assert.deepEqual([...s], [a, b]);
    }
    assert.equal(String(fromPairs).split('\n').slice(1, 3).map((l) => l.trim().split(':')[0]).join(' '), '(fc) (act)');
    assert.match(fx.sequential.repr, /\(fc\): Linear[\s\S]*\(act\): ReLU/);
  });

  it('addModule / registerModule / append / slice keep PyTorch\'s names and order', () => {
    const plain = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    plain.addModule('head', new nn.Sigmoid());
    plain.registerModule('extra', new nn.Linear(1, 1));
    plain.append(new nn.Tanh());
    assert.deepEqual([...plain.namedChildren()].map(([k]) => k), fx.sequential.addModuleChildren);
    assert.deepEqual([...plain.stateDict().keys()], fx.sequential.addModuleKeys);
    assert.deepEqual([...plain.slice(1).stateDict().keys()], fx.sequential.sliceOfPlainKeys);
    assert.deepEqual([...named().slice(2).stateDict().keys()], fx.sequential.sliceKeys);
    assert.deepEqual((plain(lw.randn(4, 2)) as T).shape, [4, 1], 'runs in insertion order');
    // re-adding a registered name replaces it in place, as PyTorch's OrderedDict
    const s = new nn.Linear(1, 1);
    plain.addModule('head', s);
    assert.equal(plain.at(3), s);
    assert.equal(plain.length, 6);
  });

  it('pop / insert / extend rename as PyTorch 1.13; assigning a registered name replaces that module', () => {
    const sq = fx.sequential;
    const popped = new nn.Sequential(new Map<string, lw.nn.Module>([['a', new nn.Linear(1, 1)], ['b', new nn.ReLU()], ['c', new nn.Linear(1, 2)]]));
    assert.ok(popped.pop(1) instanceof nn.ReLU);
    assert.deepEqual([...popped.stateDict().keys()], sq.popNamedKeys);
    assert.equal((popped as unknown as Record<string, unknown>).c, undefined, 'the old names are gone');
    const ins = new nn.Sequential(new nn.Linear(1, 1), new nn.Linear(1, 2));
    ins.insert(0, new nn.Linear(3, 1));
    ins.insert(-1, new nn.ReLU());
    ins.extend([new nn.Tanh()]);
    assert.deepEqual([...ins.namedChildren()].map(([k, m]) => [k, m.constructor.name]), sq.insertChildren);
    assert.deepEqual((ins(lw.randn(2, 3)) as T).shape, [2, 2]);
    const ml = new nn.ModuleList([new nn.Linear(1, 1), new nn.ReLU(), new nn.Linear(1, 2)]);
    ml.pop(0);
    assert.deepEqual([...ml.stateDict().keys()], sq.moduleListPopKeys);
    const atEnd = new nn.Sequential({ a: new nn.ReLU(), b: new nn.Tanh() });
    atEnd.insert(2, new nn.Sigmoid());
    assert.deepEqual([...atEnd.namedChildren()].map(([k]) => k), sq.insertAtEndOfNamed);
    assert.throws(() => atEnd.insert(0, new nn.ReLU()), /Sequential.insert: needs the names 0, 1, \.\.\. but this Sequential has a module named 'a'/);
    assert.throws(() => ins.insert(9, new nn.ReLU()), /Index out of range: 9/);
    const fc = new nn.Linear(4, 4);
    const named = new nn.Sequential({ fc: new nn.Linear(2, 2) });
    (named as unknown as Record<string, lw.nn.Module>).fc = fc;
    assert.equal(named.at(0), fc);
    assert.equal(named.length, 1);
  });

  it("a module assigned as a plain field (seq.head = m, a subclass's field) is registered at the end, as PyTorch's setattr", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3));
    (seq as unknown as Record<string, lw.nn.Module>).head = new nn.Linear(3, 1);
    seq.append(new nn.Sigmoid());
    assert.deepEqual([...seq.namedChildren()].map(([k]) => k), ['0', 'head', '2']);
    assert.deepEqual([...seq.stateDict().keys()], ['0.weight', '0.bias', 'head.weight', 'head.bias']);
    assert.deepEqual((seq(lw.randn(4, 2)) as T).shape, [4, 1], 'and runs in forward, as in PyTorch');
    class Block extends nn.Sequential {
      extra = new nn.ReLU();
      constructor() {
        super(new nn.Linear(2, 2));
      }
    }
    const b = new Block();
    assert.deepEqual([...b.namedChildren()].map(([k]) => k), ['0', 'extra']);
    assert.equal(b.length, 2);
  });

  it('names are checked as PyTorch checks them', () => {
    const seq = new nn.Sequential(new nn.ReLU());
    assert.throws(() => seq.addModule('a.b', new nn.ReLU()), /Sequential.addModule: module name can't contain "\.", got: a\.b/);
    assert.throws(() => seq.addModule('', new nn.ReLU()), /module name can't be empty string ""/);
    assert.throws(() => seq.addModule('forward', new nn.ReLU()), /attribute 'forward' already exists/);
    assert.throws(() => seq.addModule('training', new nn.ReLU()), /attribute 'training' already exists/);
    assert.throws(() => seq.addModule(3 as never, new nn.ReLU()), /module name should be a string. Got number/);
    assert.throws(() => seq.addModule('x', 3 as never), /number is not a Module subclass/);
    assert.throws(() => new nn.Sequential([new nn.ReLU(), new nn.Tanh()] as never), /got an array of modules; pass them as separate arguments/);
    assert.throws(() => new nn.Sequential({ 0: new nn.ReLU() } as never), /the object key '0' is an integer.*use a Map/);
    assert.throws(() => seq.at(5), /index 5 is out of range/);
    assert.throws(() => seq.at('nope'), /no module named 'nope'/);
  });

  it('Module.addModule registers a child of any module; models.NamedSequential is a Sequential', () => {
    class Net extends nn.Module {
      forward(x: T): T {
        return (this as unknown as Record<string, lw.nn.Module>).fc(x);
      }
    }
    const net = new Net();
    net.addModule('fc', new nn.Linear(2, 2));
    assert.deepEqual([...net.stateDict().keys()], ['fc.weight', 'fc.bias']);
    assert.throws(() => net.addModule('train', new nn.ReLU()), /attribute 'train' already exists/);
    assert.ok(new lw.models.NamedSequential([['a', new nn.ReLU()]]) instanceof nn.Sequential);
  });

  it('exportPyTorch writes a named Sequential as nn.Sequential(OrderedDict(...)) so the keys match', () => {
    const { source } = modelPy(named(), { sampleInput: lw.randn(2, 1, 4, 4) });
    assert.match(source, /super\(\).__init__\(collections.OrderedDict\(\[\n\s+\("conv1", nn.Conv2d/);
    assert.match(source, /^import collections$/m);
  });
});

describe('forward hook return values as PyTorch (issue #10)', () => {
  it('any non-undefined return replaces the output (PyTorch: any non-None), undefined and null keep it', () => {
    const h = fx.hooks;
    assert.deepEqual([h.numberReplaces, h.stringReplaces, h.noneKeeps], [true, true, true]);
    const lin = new nn.Linear(2, 2);
    let handle = lin.registerForwardHook(() => 3);
    assert.equal(lin(lw.zeros(1, 2)), 3);
    handle.remove();
    handle = lin.registerForwardHook(() => 'text');
    assert.equal(lin(lw.zeros(1, 2)), 'text');
    handle.remove();
    for (const keep of [undefined, null]) {
      handle = lin.registerForwardHook(() => keep);
      assert.ok(lin(lw.zeros(1, 2)) instanceof lw.Tensor);
      handle.remove();
    }
  });

  it('a non-Tensor that reaches the next module is a clear error naming the hook and the module', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 1));
    seq.at(0).registerForwardHook(function countHook() {
      return 3;
    });
    assert.match(fx.hooks.nextLayerError, /must be Tensor, not int/);
    assert.throws(() => seq(lw.zeros(1, 2)), /ReLU: its input is a number \(3\) that the forward hook 'countHook' of Linear returned; a forward hook's return value replaces the module's output/);
    const seq2 = new nn.Sequential(new nn.ReLU(), new nn.Linear(2, 1));
    seq2.at(0).registerForwardHook(() => 'oops');
    assert.throws(() => seq2(lw.zeros(1, 2)), /Linear: its input is the string "oops" that the forward hook 'an anonymous function' of ReLU returned/);
  });

  it('a forward pre-hook returning a single value (not an array) is the one input, as PyTorch', () => {
    const pre = new nn.Linear(2, 2);
    pre.registerForwardPreHook(() => lw.ones(1, 2));
    const y = pre(lw.zeros(1, 2)) as T;
    const want = lw.noGrad(() => pre.bias!.add(pre.weight.sum(1)));
    Array.from(y.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want.dataSync()[i]) < 1e-6));
    assert.deepEqual(fx.hooks.preHookSingle.data, [0, 0]);
  });
});

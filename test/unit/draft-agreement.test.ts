/**
 * The three answers agree: for every layer type, every zoo model and nn.Module subclasses written the PyTorch way,
 * the Draft's rows (static analysis of the source) = the live summary() rows = the shapes of a real forward.
 */
import { strict as assert } from 'node:assert';
import * as lw from '../../src/runtime';
import { analyze } from '../../src/extension/inspector/analyzer';
import { CASES } from './nn-spec-cases';

const draft = (text: string): ReturnType<typeof analyze> => analyze([{ key: 'c1', text, cellIndex: 0 }], { rt: lw });
const rowsOf = (
  rows: Array<{
    name: string;
    type: string;
    outputShape: number[] | null;
    params: number;
    macs: number;
    formulas: string[];
    warnings: string[];
  }>,
) =>
  rows.map((r) => ({
    name: r.name,
    type: r.type,
    out: r.outputShape,
    params: r.params,
    macs: r.macs,
    formulas: r.formulas,
    warnings: r.warnings,
  }));
const lit = (v: unknown): string => JSON.stringify(v);

/** Output shape of every module in a real (non-meta) forward, by name. */
function forwardShapes(model: lw.nn.Module, input: number[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const handles = [...model.namedModules()].map(([n, m]) =>
    m.registerForwardHook((_m, _a, o) => void (lw.isTensor(o) && !out.has(n) && out.set(n, [...o.shape]))),
  );
  model.eval();
  lw.noGrad(() => model(lw.randn(input)));
  handles.forEach((h) => h.remove());
  return out;
}

describe('Draft = live summary = forward', () => {
  for (const [type, cases] of Object.entries(CASES)) {
    if (type === 'Embedding') continue; // integer input: covered below
    cases.forEach((c, i) => {
      it(`${type} #${i} ${lit(c.pos)} on ${lit(c.input)}`, () => {
        const src = `const m = new nn.${type}(${c.pos.map(lit).join(', ')});\nm.inputShape = ${lit(c.input)};`;
        const d = draft(src).models.find((x) => x.name === 'm')!;
        const live = lw.summary(new (lw.nn as any)[type](...c.pos), c.input);
        assert.deepEqual(rowsOf(d.rows), rowsOf(live.rows));
        assert.deepEqual(d.rows[0].outputShape, c.out);
        const fwd = forwardShapes(new (lw.nn as any)[type](...c.pos), c.input);
        assert.deepEqual(fwd.get(''), c.out);
      });
    });
  }

  it('Embedding: integer input declared with randint', () => {
    const d = draft('const e = new nn.Embedding(10, 3, { padding_idx: 0 });\nconst idx = randint(0, 10, [2, 5]);\nconst y = e(idx);')
      .models[0];
    assert.deepEqual(d.rows[0].outputShape, [2, 5, 3]);
    assert.equal(d.totals.params, 30);
  });

  const ZOO: Array<[string, number[]]> = [
    ['lenet5', [1, 1, 28, 28]],
    ['alexnet', [1, 3, 224, 224]],
    ['vgg11', [1, 3, 224, 224]],
    ['vgg11Bn', [1, 3, 224, 224]],
    ['vggCifar10', [1, 3, 32, 32]],
    ['nin', [1, 3, 224, 224]],
    ['resnet18', [1, 3, 224, 224]],
    ['resnet50', [1, 3, 224, 224]],
    ['resnext50_32x4d', [1, 3, 224, 224]],
    ['resnet18Cifar10', [1, 3, 32, 32]],
    ['googlenet', [1, 3, 224, 224]],
    ['densenet121', [1, 3, 224, 224]],
    ['mobilenetV2', [1, 3, 224, 224]],
    ['squeezenet1_0', [1, 3, 224, 224]],
    ['vgg16', [1, 3, 224, 224]],
    ['vgg19', [1, 3, 224, 224]],
    ['vgg16Bn', [1, 3, 224, 224]],
    ['vgg19Bn', [1, 3, 224, 224]],
    ['resnet34', [1, 3, 224, 224]],
    ['resnet101', [1, 3, 224, 224]],
    ['resnet152', [1, 3, 224, 224]],
    ['resnet34Cifar10', [1, 3, 32, 32]],
    ['resnet50Cifar10', [1, 3, 32, 32]],
    ['preactResnet18', [1, 3, 32, 32]],
  ];

  it('every zoo constructor in the runtime is listed here', () => {
    const names = Object.entries(lw.models)
      .filter(([n, f]) => typeof f === 'function' && /^[a-z]/.test(n) && n !== 'convBnAct')
      .map(([n]) => n)
      .sort();
    assert.deepEqual(ZOO.map(([n]) => n).sort(), names);
  });

  for (const [name, input] of ZOO) {
    it(`models.${name}(): Draft rows = live summary rows (${lit(input)})`, function () {
      this.timeout(60_000);
      const d = draft(`const m = models.${name}();\nsummary(m, ${lit(input)});`).models[0];
      const live = lw.summary(
        lw.nn.meta(() => (lw.models as any)[name]()),
        input,
      );
      assert.equal(d.error, undefined);
      assert.deepEqual(rowsOf(d.rows), rowsOf(live.rows));
      assert.deepEqual(d.totals, live.totals);
    });
  }

  it('models.lenet5() drafts to [1, 10]', () => {
    const d = draft('const net = models.lenet5();\nnet.inputShape = [1, 1, 28, 28];').models[0];
    assert.deepEqual(d.rows[0].outputShape, [1, 10]);
    assert.equal(d.rows.length, 13);
  });

  const NET = `class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, 1);
  conv2: nn.Conv2d;
  dropout = new nn.Dropout(0.25);
  fc1: nn.Linear;
  fc2: nn.Linear;
  constructor(hidden = 128) {
    super();
    this.conv2 = new nn.Conv2d(32, 64, 3, 1);
    this.fc1 = new nn.Linear(9216, hidden);
    this.fc2 = new nn.Linear(hidden, 10);
  }
  forward(x: Tensor): Tensor {
    x = F.relu(this.conv1(x));
    x = this.conv2(x).relu();
    x = F.maxPool2d(x, 2);
    x = this.dropout(x);
    x = x.flatten(1);
    x = F.relu(this.fc1(x));
    return F.logSoftmax(this.fc2(x), 1);
  }
}
const model = new Net();
const x = randn([4, 1, 28, 28]);
const out = model(x);`;

  it('an nn.Module subclass (pytorch/examples mnist): fields, constructor, forward with F.* and tensor methods', () => {
    const d = draft(NET).models.find((m) => m.name === 'model')!;
    assert.equal(d.type, 'Net');
    assert.equal(d.error, undefined);
    assert.deepEqual(d.rows[0].outputShape, [4, 10]);
    assert.deepEqual(
      d.rows.map((r) => [r.name, r.type, r.outputShape]),
      [
        ['', 'Net', [4, 10]],
        ['conv1', 'Conv2d', [4, 32, 26, 26]],
        ['conv2', 'Conv2d', [4, 64, 24, 24]],
        ['dropout', 'Dropout', [4, 64, 12, 12]],
        ['fc1', 'Linear', [4, 128]],
        ['fc2', 'Linear', [4, 10]],
      ],
    );
    assert.equal(d.totals.params, 1_199_882);
    assert.equal(d.rows[1].constructedAt, 'Cell 1:2:11');
  });

  const RES = `class Block extends nn.Module {
  constructor(c: number, stride = 1) {
    super();
    this.c1 = new nn.Conv2d(c, c, 3, { padding: 'same', bias: false });
    this.bn = new nn.BatchNorm2d(c);
    this.c2 = new nn.Conv2d(c, c, 3, 1, 2, 2);
    this.pool = new nn.MaxPool2d(3, stride, 1, { ceil_mode: true });
  }
  forward(x) {
    const identity = x;
    let y = this.bn(this.c1(x)).relu();
    y = this.c2(y);
    y = y.add(identity);
    return this.pool(F.relu(y + identity));
  }
}
class Net2 extends nn.Module {
  constructor() {
    super();
    this.stem = new nn.Conv2d(3, 8, 3, { groups: 1, padding: 1 });
    this.blocks = new nn.ModuleList([new Block(8), new Block(8, 2)]);
    this.head = new nn.Linear(8 * 5 * 5, 10);
  }
  forward(x) {
    x = this.stem(x);
    for (const b of this.blocks) x = b(x);
    return this.head(x.view(x.shape[0], -1));
  }
}
const net = new Net2();
summary(net, [2, 3, 8, 8]);`;

  it('residual blocks with "same" padding, dilation, ceil mode, ModuleList loops and view(): Draft = live summary = forward', () => {
    const d = draft(RES).models.find((m) => m.name === 'net')!;
    assert.equal(d.error, undefined);
    // the same classes written for the runtime, to compare with
    const { nn } = lw;
    class Block extends nn.Module {
      c1: lw.nn.Conv2d;
      bn: lw.nn.BatchNorm2d;
      c2: lw.nn.Conv2d;
      pool: lw.nn.MaxPool2d;
      constructor(c: number, stride = 1) {
        super();
        this.c1 = new nn.Conv2d(c, c, 3, { padding: 'same', bias: false });
        this.bn = new nn.BatchNorm2d(c);
        this.c2 = new nn.Conv2d(c, c, 3, 1, 2, 2);
        this.pool = new nn.MaxPool2d(3, stride, 1, { ceil_mode: true });
      }
      forward(x: lw.Tensor): lw.Tensor {
        let y = this.bn(this.c1(x)).relu();
        y = this.c2(y).add(x);
        return this.pool(lw.relu(lw.add(y, x)));
      }
    }
    class Net2 extends nn.Module {
      stem = new nn.Conv2d(3, 8, 3, { groups: 1, padding: 1 });
      blocks = new nn.ModuleList([new Block(8), new Block(8, 2)]);
      head = new nn.Linear(8 * 5 * 5, 10);
      forward(x: lw.Tensor): lw.Tensor {
        x = this.stem(x);
        for (const b of this.blocks) x = b(x);
        return this.head(x.view(x.shape[0], -1));
      }
    }
    const live = lw.summary(new Net2(), [2, 3, 8, 8]);
    assert.deepEqual(rowsOf(d.rows), rowsOf(live.rows));
    const fwd = forwardShapes(new Net2(), [2, 3, 8, 8]);
    for (const r of d.rows) assert.deepEqual(r.outputShape, fwd.get(r.name) ?? null, r.name);
    assert.deepEqual(d.rows[0].outputShape, [2, 10]);
  });

  it('"?" only where a value is unknown, with the reason in the hover', () => {
    const text = 'const net = new nn.Sequential(new nn.Linear(4, 8), new nn.Linear(8, width));\nnet.inputShape = [2, 4];';
    const r = draft(text);
    const [first, second] = r.hints.sort((a, b) => a.offset - b.offset);
    assert.equal(first.label, '→ [2, 8] · 40 params');
    assert.equal(second.label, '→ ? · ? params');
    assert.ok(second.tooltip.includes("'width' is not known before running"), second.tooltip);
    const noInput = draft('const m = new nn.Linear(4, 2);').hints[0];
    assert.ok(noInput.tooltip.includes('no input shape known before running'), noInput.tooltip);
  });

  it("the runtime's argument errors show on the expression (the same checks as running it)", () => {
    const h = draft('const c = new nn.Conv2d(1, 2, 3, "2");').hints[0];
    assert.equal(h.state, 'error');
    assert.equal(h.label, '→ ✗ Conv2d: stride must be a positive integer or a pair, got "2"');
  });
});

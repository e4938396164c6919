/**
 * Issue #10 §1/§4, continued from fidelity-api-walk.test.ts: the `models`, `show` and `shape` namespaces.
 * - models: every builder checks its options (unknown key → error listing the valid ones), accepts snake_case
 *   (`num_classes`), refuses what it cannot honour (pretrained weights, positional numbers torchvision does not
 *   take), and every option it declares changes the model; every class takes torchvision's positional order.
 * - show: every view rejects unknown options and extra arguments, and every option it lists changes the figure.
 * - shape: the option objects are checked (snake_case accepted) and every argument and option changes the result.
 * An export without an entry fails the test, so new API cannot skip the rule.
 */
import * as assert from 'node:assert/strict';
import * as lw from '../../src/runtime';
import { builderSigs, resnetSig, vggBnSig, vggSig } from '../../src/runtime/models/sigs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const M = lw.models as Any;
const BOGUS = { bogusKey: 1 };
const meta = <T>(fn: () => T): T => lw.nn.meta(fn);
/** What a model is: its repr (layer arguments) and its parameter shapes. */
const modelPrint = (m: lw.nn.Module): string => `${m.toString()}\n${m.namedParameters ? [...m.namedParameters()].map(([k, p]) => `${k}:${p.shape}`).join(',') : ''}`;
const lastParam = (m: lw.nn.Module): lw.Tensor => m.parameters()[m.parameters().length - 1];

type Sig = { name: string; params: Record<string, { default?: unknown; keywordOnly?: boolean }> };
/** Builder → its signature and, for every option it declares, a non-default value (or why it changes nothing). */
const NO_EFFECT = {
  weights: 'only null is accepted (= the default)',
  pretrained: 'only false is accepted (= the default)',
  progress: "torchvision's download progress bar: nothing is downloaded",
};
const tv = (): Record<string, unknown> => ({});
const builders: Record<string, { sig: Sig; changes: Record<string, unknown> }> = {
  lenet5: { sig: builderSigs.lenet5, changes: { numClasses: 7, inChannels: 3 } },
  alexnet: { sig: builderSigs.alexnet, changes: { ...tv(), numClasses: 7, dropout: 0.3 } },
  vgg11: { sig: vggSig('vgg11'), changes: { numClasses: 7, dropout: 0.3, batchNorm: true } },
  vgg16: { sig: vggSig('vgg16'), changes: { numClasses: 7, dropout: 0.3, batchNorm: true } },
  vgg19: { sig: vggSig('vgg19'), changes: { numClasses: 7, dropout: 0.3, batchNorm: true } },
  vgg11Bn: { sig: vggBnSig('vgg11Bn'), changes: { numClasses: 7, dropout: 0.3 } },
  vgg16Bn: { sig: vggBnSig('vgg16Bn'), changes: { numClasses: 7, dropout: 0.3 } },
  vgg19Bn: { sig: vggBnSig('vgg19Bn'), changes: { numClasses: 7, dropout: 0.3 } },
  vggCifar10: { sig: builderSigs.vggCifar10, changes: { numClasses: 7, batchNorm: false } },
  nin: { sig: builderSigs.nin, changes: { numClasses: 7 } },
  googlenet: { sig: builderSigs.googlenet, changes: { numClasses: 7 } },
  densenet121: { sig: builderSigs.densenet121, changes: { numClasses: 7 } },
  mobilenetV2: { sig: builderSigs.mobilenetV2, changes: { numClasses: 7, widthMult: 0.5 } },
  squeezenet1_0: { sig: builderSigs.squeezenet1_0, changes: { numClasses: 7, dropout: 0.3 } },
  preactResnet18: { sig: builderSigs.preactResnet18, changes: { numClasses: 7 } },
};
const resnetChanges = { numClasses: 7, groups: 2, widthPerGroup: 32, v1: true, cifar: true };
for (const n of ['resnet18', 'resnet34', 'resnet50', 'resnext50_32x4d', 'resnet101', 'resnet152', 'resnet18Cifar10', 'resnet34Cifar10', 'resnet50Cifar10']) {
  const basic = /resnet(18|34)/.test(n);
  builders[n] = {
    sig: resnetSig(n, /Cifar10/.test(n) ? { cifar: true } : {}),
    changes: {
      ...resnetChanges,
      // BasicBlock has no grouped/wider variant (torchvision raises too) and no v1/v1.5 difference
      ...(basic ? { groups: 'BasicBlock: groups must be 1', widthPerGroup: 'BasicBlock: base width must be 64', v1: 'BasicBlock has no 1×1 stride to move' } : {}),
      ...(/Cifar10/.test(n) ? { cifar: false } : {}),
    },
  };
}

describe('the exported API rejects what it cannot honour, continued (issue #10 §1): models', () => {
  const classes = ['AlexNet', 'VGG', 'ResNet', 'BasicBlock', 'Bottleneck', 'GoogLeNet', 'DenseNet', 'MobileNetV2', 'SqueezeNet', 'PreActResNet', 'PreActBlock'];
  // building blocks with positional numbers only (torchvision's order): one argument too many throws (tested below)
  const blocks: Record<string, unknown[]> = { Inception: [8, 2, 2, 2, 2, 2, 2], BasicConv2d: [3, 4, 3, 1, 1], InvertedResidual: [4, 4, 1, 2], Fire: [4, 2, 2, 2] };
  const exempt: Record<string, string> = { NamedSequential: 'a list of [name, module] pairs', ReLU6: 'zoo-internal; nn.ReLU6 is the checked public layer' };
  it('every exported builder and class has an entry', () => {
    const missing = Object.keys(M).filter((k) => typeof M[k] === 'function' && !(k in builders) && !classes.includes(k) && !(k in blocks) && !(k in exempt));
    assert.deepEqual(missing, [], `add ${missing.join(', ')} to the models walk`);
  });
  for (const [name, { sig, changes }] of Object.entries(builders)) {
    it(`models.${name}: unknown option listed, snake_case accepted, positional numbers refused, every option has an effect`, () => {
      const b = M[name];
      assert.throws(() => b(BOGUS), (e: Error) => /unknown option 'bogusKey'; valid options are .*numClasses.*num_classes/.test(e.message), name);
      const base = meta(() => modelPrint(b()));
      if (name === 'preactResnet18') assert.equal(meta(() => lastParam(b(7)).shape[0]), 7);
      else assert.throws(() => b(7), /takes at most 0 positional arguments/);
      assert.equal(meta(() => lastParam(b({ num_classes: 7 })).shape[0]), 7, 'num_classes');
      if ('weights' in sig.params) {
        meta(() => b({ weights: null, progress: false }));
        assert.throws(() => b({ weights: 'DEFAULT' }), /weights must be null \(Layerwise's zoo has no pretrained weights/);
        assert.throws(() => b({ pretrained: true }), /pretrained must be false/);
      }
      for (const key of Object.keys(sig.params)) {
        const why = (NO_EFFECT as Record<string, string>)[key];
        if (why) continue;
        assert.ok(key in changes, `models.${name}: option ${key} has no test value`);
        const v = changes[key];
        if (typeof v === 'string' && typeof sig.params[key].default !== 'string') continue; // a documented no-effect reason
        assert.notEqual(meta(() => modelPrint(b({ [key]: v }))), base, `models.${name}({${key}: ${JSON.stringify(v)}}) built the same model`);
      }
    });
  }

  it("classes take torchvision's positional order, the options form, snake_case, and refuse extra or unknown arguments", () => {
    const feat = (): lw.nn.Sequential => new lw.nn.Sequential(new lw.nn.Conv2d(3, 512, 3, { padding: 1 }));
    const fc = (m: Any): number => lastParam(m).shape[0];
    const cases: Array<[string, (...a: unknown[]) => Any, unknown[], object, number]> = [
      ['AlexNet', (...a) => new M.AlexNet(...a), [7, 0.3], { num_classes: 7, dropout: 0.3 }, 2],
      ['VGG', (...a) => new M.VGG(feat(), ...a), [7, false, 0.3], { num_classes: 7, init_weights: false, dropout: 0.3 }, 3],
      ['ResNet', (...a) => new M.ResNet(M.BasicBlock, [1, 1, 1, 1], ...a), [7, false, 1, 64], { num_classes: 7, zero_init_residual: false, groups: 1, width_per_group: 64 }, 4],
      ['GoogLeNet', (...a) => new M.GoogLeNet(...a), [7, false, false], { num_classes: 7, aux_logits: false, transform_input: false }, 3],
      ['DenseNet', (...a) => new M.DenseNet(...a), [8, [1, 1], 16, 2, 0, 7, false], { growth_rate: 8, block_config: [1, 1], num_init_features: 16, bn_size: 2, drop_rate: 0, num_classes: 7, memory_efficient: false }, 7],
      ['MobileNetV2', (...a) => new M.MobileNetV2(...a), [7, 0.5], { num_classes: 7, width_mult: 0.5 }, 2],
      ['SqueezeNet', (...a) => new M.SqueezeNet(...a), ['1_0', 7, 0.3], { version: '1_0', num_classes: 7, dropout: 0.3 }, 3],
      ['PreActResNet', (...a) => new M.PreActResNet([1, 1, 1, 1], ...a), [7], { num_classes: 7 }, 1],
    ];
    for (const [name, make, pos, opts, n] of cases) {
      const a = meta(() => modelPrint(make(...pos)));
      assert.equal(meta(() => modelPrint(make(opts))), a, `${name}: the options form builds what the positional form builds`);
      assert.equal(meta(() => fc(make(...pos))), 7, `${name}: num_classes`);
      assert.throws(() => make(...pos, 1), new RegExp(`${name}: takes at most ${n} positional argument`), `${name}: one argument too many`);
      assert.throws(() => make(BOGUS), new RegExp(`${name}: unknown option 'bogusKey'; valid options are`), name);
    }
    // torchvision's order where Layerwise used to differ: drop_rate before num_classes, version before num_classes
    assert.throws(() => M.vgg11Bn({ batchNorm: false }), /models.vgg11Bn: unknown option 'batchNorm'/); // the Bn variant cannot drop its BatchNorm
    assert.throws(() => new M.DenseNet(32, [6, 12, 24, 16], 64, 4, 0.2), /DenseNet: dropRate must be 0/);
    assert.throws(() => new M.SqueezeNet(10), /SqueezeNet: version must be "1_0"/);
    assert.throws(() => new M.ResNet(M.BasicBlock, [1, 1, 1, 1], 10, true), /zeroInitResidual must be false/);
    assert.throws(() => new M.GoogLeNet(10, true), /auxLogits must be false \(Layerwise's GoogLeNet has no auxiliary classifiers\)/);
  });

  it('blocks: stride, downsample, groups and base_width positionally; BasicBlock refuses what torchvision refuses', () => {
    const down = (): lw.nn.Module => new lw.nn.Sequential(new lw.nn.Conv2d(8, 16, 1, { stride: 2, bias: false }), new lw.nn.BatchNorm2d(16));
    const x = lw.randn(1, 8, 8, 8);
    assert.deepEqual((new M.BasicBlock(8, 16, 2, down()).call(x) as lw.Tensor).shape, [1, 16, 4, 4]);
    assert.deepEqual((new M.Bottleneck(8, 4, 2, down(), 2, 64).call(x) as lw.Tensor).shape, [1, 16, 4, 4]);
    assert.deepEqual((new M.PreActBlock(8, 16, 2).call(x) as lw.Tensor).shape, [1, 16, 4, 4]);
    assert.deepEqual((new M.PreActBlock(8, 16, { stride: 2 }).call(x) as lw.Tensor).shape, [1, 16, 4, 4]);
    assert.throws(() => new M.BasicBlock(8, 8, 1, null, 2), /BasicBlock only supports groups=1 and base_width=64/);
    assert.throws(() => new M.Bottleneck(8, 4, 1, null, 1, 64, 2), /dilation must be 1/);
    assert.throws(() => new M.Bottleneck(8, 4, 1, null, 1, 64, 1, null), /Bottleneck: takes at most 5 positional arguments/);
    assert.throws(() => new M.PreActBlock(8, 16, 2, 1), /PreActBlock: takes at most 1 positional argument/);
    for (const [name, args] of Object.entries(blocks)) {
      meta(() => new M[name](...args));
      assert.throws(() => new M[name](...args, null), new RegExp(`${name}: takes at most ${args.length} arguments`), `${name}: an extra argument (norm_layer) was ignored`);
    }
  });
});

// ---------- show ----------
const S = lw.show as Any;
const net = (): lw.nn.Module => {
  lw.manualSeed(3);
  return new lw.nn.Sequential(new lw.nn.Conv2d(1, 4, 3), new lw.nn.ReLU(), new lw.nn.Conv2d(4, 4, 3), new lw.nn.Tanh(), new lw.nn.Flatten(), new lw.nn.Linear(64, 3));
};
const img = (): lw.Tensor => {
  lw.manualSeed(4);
  return lw.randn(2, 1, 8, 8);
};
/** A model after one backward pass (for the gradient views). */
const trained = (): lw.nn.Module => {
  const m = net();
  (m.call(img()) as lw.Tensor).square().sum().backward();
  return m;
};
// graph node ids come from a global counter: numbered ids are replaced so that two equal figures print alike
const figPrint = (f: Any): string => (JSON.stringify(f.payload) + '\n' + f.text).replace(/"[nt]\d+"/g, '"id"');
/** A view: its sample call with an options object, and a non-default value for every option it lists. */
interface View { call: (o?: object) => Any; args: number; changes: Record<string, unknown> }
const lin = new lw.nn.Linear(2, 1);
const views: Record<string, View> = {
  // a budget small enough to summarise, so that maxBytes and full have something to change
  featureMaps: { call: (o) => S.featureMaps(net(), img(), { maxBytes: 400, ...o }), args: 3, changes: { layer: '0', normalize: 'shared', maxChannels: 2, maxBytes: 1e6, full: true } },
  weights: { call: (o) => S.weights(net(), { maxBytes: 100, ...o }), args: 2, changes: { bins: 5, maxBytes: 1e6, full: true } },
  gradFlow: { call: (o) => S.gradFlow(trained(), o), args: 2, changes: { vanish: 1e6, explode: 1e-9 } },
  activations: { call: (o) => S.activations(net(), img(), o), args: 3, changes: { layers: 'all' } },
  graph: {
    call: (o) => S.graph((x: lw.Tensor) => (lin.call(x) as lw.Tensor).sum(), [lw.tensor([1, 2], { dtype: 'float32' })], o),
    args: 3,
    changes: { title: 'T', output: 'loss', model: lin, names: { W: lin.weight }, forward: false, maxValues: 0, maxNodes: 2 },
  },
  curves: {
    call: (o) => S.curves({ tanh: (x: lw.Tensor) => x.tanh() }, o),
    args: 2,
    changes: { range: [-1, 1], points: 11, derivative: false, at: [0.5], title: 'T', logY: true, dtype: 'float32' },
  },
  depth: { call: (o) => S.depth({ a: net() }, img(), o), args: 3, changes: { stat: 'mean', logY: true, title: 'T', layers: 'all', xLabel: 'block' } },
  histograms: { call: (o) => S.histograms({ a: img() }, o), args: 2, changes: { title: 'T', kind: 'weights' } },
  trajectory: {
    call: (o) => S.trajectory((x: lw.Tensor, y: lw.Tensor) => x.square().add(y.square().mul(3)), { SGD: (ps: lw.Tensor[]) => new lw.optim.SGD(ps, 0.1) }, { x: [-2, 2], y: [-2, 2], start: [1.5, 1], steps: 5, grid: 9, ...o }),
    args: 3,
    changes: { x: [-3, 3], y: [-3, 3], start: [-1, 1], steps: 3, grid: 7, levels: 4, logLevels: true, title: 'T', xLabel: 'w1', yLabel: 'w2' },
  },
  live: { call: (o) => S.live(['loss'], o).push(1, { loss: 2 }).push(2, { loss: 0.5 }), args: 2, changes: { title: 'T', xLabel: 'epoch', yLabel: 'L', logY: true } },
  'gradFlow.watch': {
    call: (o) => {
      const m = net();
      const w = S.gradFlow.watch(m, o);
      for (let i = 0; i < 4; i++) (m.call(img()) as lw.Tensor).square().sum().backward();
      return w.stop();
    },
    args: 2,
    changes: { every: 2, maxSteps: 2 },
  },
};
const validOf = (v: View): string[] => {
  try {
    v.call(BOGUS);
  } catch (e) {
    const m = /valid options:? (?:are )?(.*)$/.exec((e as Error).message);
    if (m) return m[1].split(/,\s*/).map((s) => s.replace(/'/g, ''));
  }
  return [];
};

describe('the exported API rejects what it cannot honour, continued (issue #10 §1): show', () => {
  const optionless: Record<string, () => Any> = { gradients: () => S.gradients(trained()), tensor: () => S.tensor(img()) };
  it('every show view has an entry', () => {
    const names = Object.keys(S).filter((k) => typeof S[k] === 'function' && !(k in views) && !(k in optionless));
    assert.deepEqual(names, [], `add ${names.join(', ')} to the show walk`);
  });
  for (const [name, v] of Object.entries(views)) {
    it(`show.${name}: unknown options and extra arguments throw, and every option it lists changes the figure`, () => {
      const valid = validOf(v);
      assert.ok(valid.length > 0, `show.${name} accepted {bogusKey: 1} or did not list the valid options`);
      assert.deepEqual([...valid].sort(), Object.keys(v.changes).sort(), `show.${name}: the options it lists vs the ones this walk changes`);
      const base = figPrint(v.call());
      assert.equal(figPrint(v.call()), base, `show.${name} is deterministic for the same call`);
      for (const [k, val] of Object.entries(v.changes)) {
        let got: string;
        try {
          got = figPrint(v.call({ [k]: val }));
        } catch (e) {
          got = `error: ${(e as Error).message}`; // a refused value is an effect too (e.g. maxNodes below the graph size)
        }
        assert.notEqual(got, base, `show.${name}({${k}: ${JSON.stringify(val)}}) drew the same figure`);
      }
    });
  }
  it('extra arguments throw instead of being ignored', () => {
    const extra: Array<[string, () => unknown]> = [
      ['show.featureMaps', () => S.featureMaps(net(), img(), {}, {})], ['show.featureMaps', () => S.featureMaps(img(), {}, {})],
      ['show.weights', () => S.weights(net(), {}, 1)], ['show.gradFlow', () => S.gradFlow(trained(), {}, 1)],
      ['show.activations', () => S.activations(net(), img(), {}, 1)], ['show.gradients', () => S.gradients(trained(), { bins: 3 })],
      ['show.tensor', () => S.tensor(img(), { title: 'x' })], ['show.curves', () => S.curves({ a: (x: lw.Tensor) => x }, {}, 1)],
      ['show.depth', () => S.depth({ a: [1, 2] }, {}, {})], ['show.histograms', () => S.histograms({ a: img() }, {}, 1)],
      ['show.trajectory', () => S.trajectory((x: lw.Tensor, y: lw.Tensor) => x.add(y), {}, {}, 1)], ['show.live', () => S.live(['a'], {}, 1)],
      ['show.gradFlow.watch', () => S.gradFlow.watch(net(), {}, 1)], ['show.graph', () => S.graph((x: lw.Tensor) => x.sum(), [[1]], {}, 1)],
      ['show.graph', () => S.graph(lw.tensor([1, 2], { requiresGrad: true }).sum(), {}, {})],
    ];
    for (const [name, call] of extra) assert.throws(call, (e: Error) => e.message.startsWith(name) && /takes|not a Tensor/.test(e.message), `${name} ignored an extra argument`);
    assert.throws(() => S.activations(net(), img(), { layers: 'All' }), /show.activations: layers must be 'activations' or 'all'/);
  });
});

// ---------- shape ----------
describe('the exported API rejects what it cannot honour, continued (issue #10 §1): shape', () => {
  const sh = lw.shape as Any;
  /** Every numeric argument changes the result (none is ignored); `args` is a sample call, `alt` a changed value per position. */
  const pure: Record<string, [unknown[], unknown[]]> = {
    numel: [[[2, 3]], [[2, 4]]], contiguousStrides: [[[2, 3]], [[2, 4]]], normDim: [[-1, 3, 'op'], [-2, 4, 'op']],
    broadcastShapes: [[[2, 1], [1, 3]], [[3, 1], [1, 4]]], convOutSize: [[32, 3, 1, 1, 1], [31, 5, 2, 0, 2]],
    poolOutSize: [[7, 2, 2, 0, 1, false], [9, 4, 1, 1, 3, true]], samePadding: [[4, 1], [5, 2]], pair: [[3], [[3, 4]]],
    adaptivePoolOutSize: [[[1, 1, 8, 8], [2, null]], [[1, 1, 8, 9], [3, 3]]], thousands: [[34944], [1234]],
    convParams: [[[3, 3], 4, 8, 1, true], [[5, 5], 8, 16, 2, false]], linearParams: [[4, 3, true], [5, 4, false]],
    normParams: [[4, true], [5, false]], convMacs: [[2, 8, [4, 4], 4, 1, [3, 3]], [3, 16, [5, 5], 8, 2, [5, 5]]], linearMacs: [[2, 4, 3], [3, 5, 4]],
  };
  const exempt: Record<string, string> = { ShapeError: 'error class', fmtShape: 'one shape → text', checkShape: 'validates one shape (throws or returns nothing)' };
  const withOptions = ['conv2dGeometry', 'pool2dGeometry', 'axisFormula'];
  it('every shape function has an entry', () => {
    const missing = Object.keys(sh).filter((k) => typeof sh[k] === 'function' && !(k in pure) && !(k in exempt) && !withOptions.includes(k));
    assert.deepEqual(missing, [], `add ${missing.join(', ')} to the shape walk`);
  });
  for (const [name, [args, alt]] of Object.entries(pure)) {
    it(`shape.${name}: every argument changes the result`, () => {
      const base = JSON.stringify(sh[name](...args));
      alt.forEach((v, i) => {
        if (typeof args[i] === 'string') return; // the op name only labels errors
        const a = [...args];
        a[i] = v;
        assert.notEqual(JSON.stringify(sh[name](...a)), base, `shape.${name}: argument ${i} (${JSON.stringify(v)}) changed nothing`);
      });
    });
  }
  it('shape.conv2dGeometry / pool2dGeometry / axisFormula: unknown keys throw, snake_case is accepted, every option has an effect', () => {
    const safe = (f: () => unknown): string => {
      try {
        return JSON.stringify(f());
      } catch (e) {
        return `error: ${(e as Error).message}`; // groups only validates: a refused value is its effect
      }
    };
    const conv = (o: object): string => safe(() => sh.conv2dGeometry([1, 4, 9, 9], [8, 2, 3, 3], { groups: 2, ...o }));
    const pool = (o: object): string => safe(() => sh.pool2dGeometry([1, 1, 8, 8], 3, o));
    const ax = (o: object): string => safe(() => sh.axisFormula('H', 8, 3, 2, 1, 1, o));
    assert.match(conv(BOGUS), /conv2d: unknown option 'bogusKey'; valid options are stride, padding, dilation, groups/);
    assert.match(pool(BOGUS), /maxPool2d: unknown option 'bogusKey'; valid options are stride, padding, dilation, ceilMode/);
    assert.match(ax(BOGUS), /axisFormula: unknown option 'bogusKey'; valid options are padAfter, ceil/);
    for (const [f, base, changes] of [
      [conv, {}, { stride: 2, padding: 1, dilation: 2, groups: 1 }],
      [pool, {}, { stride: 1, padding: 1, dilation: 2, ceilMode: true, ceil_mode: true }],
      [ax, {}, { padAfter: 2, ceil: true }],
    ] as Array<[(o: object) => string, object, Record<string, unknown>]>) {
      for (const [k, v] of Object.entries(changes)) assert.notEqual(f({ [k]: v }), f(base), `option ${k} changed nothing`);
    }
    assert.equal(pool({ ceil_mode: true }), pool({ ceilMode: true }));
    assert.match(pool({ ceil_mode: true, ceilMode: true }), /given twice/);
  });
});

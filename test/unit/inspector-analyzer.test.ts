// Layer inspector, static side: the analyser that feeds the Draft section and the inline hints, on snippets
// (valid, partial, invalid, non-literal). Shapes come from the runtime's pure shape functions.
import { strict as assert } from 'node:assert';
import * as lw from '../../src/runtime';
import { analyze, type DraftResult } from '../../src/extension/inspector/analyzer';
import { parseConstructedAt } from '../../src/extension/inspector/location';

const run = (text: string, extra: Array<{ key: string; text: string }> = []): DraftResult =>
  analyze([{ key: 'c1', text, cellIndex: 0 }, ...extra.map((e, i) => ({ ...e, cellIndex: i + 1 }))], { rt: lw });
/** The hint labels in source order, each with the text of the line it sits on. */
function hints(r: DraftResult, text: string, key = 'c1'): Array<[string, string]> {
  return r.hints.filter((h) => h.key === key).sort((a, b) => a.offset - b.offset).map((h) => {
    const lineStart = text.lastIndexOf('\n', h.offset - 1) + 1;
    return [text.slice(lineStart, h.offset).trim(), h.label];
  });
}

const VALID = `const model = new nn.Sequential(
  new nn.Conv2d(3, 64, 3, {padding: 1}),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Conv2d(64, 128, 3, { stride: 2, padding: 1 }),
  new nn.AdaptiveAvgPool2d(1),
  new nn.Flatten(),
  new nn.Linear(128, 10),
);
model.inputShape = [1, 3, 224, 224];`;

describe('inspector: static analysis of cells', () => {
  it('propagates a declared input shape through a Sequential with the pure shape functions', () => {
    const r = run(VALID);
    assert.deepEqual(hints(r, VALID), [
      ['new nn.Conv2d(3, 64, 3, {padding: 1})', '→ [1, 64, 224, 224] · 1,792 params'],
      ['new nn.ReLU()', '→ [1, 64, 224, 224]'],
      ['new nn.MaxPool2d(2)', '→ [1, 64, 112, 112]'],
      ['new nn.Conv2d(64, 128, 3, { stride: 2, padding: 1 })', '→ [1, 128, 56, 56] · 73,856 params'],
      ['new nn.AdaptiveAvgPool2d(1)', '→ [1, 128, 1, 1]'],
      ['new nn.Flatten()', '→ [1, 128]'],
      ['new nn.Linear(128, 10)', '→ [1, 10] · 1,290 params'],
      [')', '→ [1, 10] · 76,938 params'],
    ]);
    const m = r.models[0];
    assert.equal(m.name, 'model');
    assert.equal(m.totals.params, 76_938);
    assert.equal(m.rows[1].constructedAt, 'Cell 1:2:3');
    assert.ok(m.rows[1].formulas.includes('H_out = ⌊(224 − 3 + 2·1)/1⌋ + 1 = 224'));
    assert.ok(m.rows[1].formulas.includes('params = 3²·3·64 + 64 = 1,792'));
  });

  it('an unbatched input shape gives per-sample shapes; summary(model, [...]) declares the input too', () => {
    const text = `const net = new nn.Sequential(new nn.Conv2d(3, 64, 3, {padding: 1}), new nn.ReLU());\nsummary(net, [3, 224, 224]);`;
    assert.deepEqual(hints(run(text), text).map((h) => h[1]), ['→ [64, 224, 224] · 1,792 params', '→ [64, 224, 224]', '→ [64, 224, 224] · 1,792 params']);
  });

  it('the declaration may live in another cell, and a forward call with randn([...]) counts as one', () => {
    const r = run('const net = new nn.Sequential(new nn.Linear(8, 4));', [{ key: 'c2', text: 'const y = net(randn([16, 8]));' }]);
    assert.equal(r.hints.find((h) => h.key === 'c1')!.label, '→ [16, 4] · 36 params');
  });

  it('a stride that does not fit is flagged with what it drops', () => {
    const text = 'const m = new nn.Sequential(new nn.Conv2d(3, 8, 3, { stride: 3 }));\nm.inputShape = [1, 3, 7, 7];';
    const h = run(text).hints.find((x) => x.label.startsWith('→ [1, 8, 2, 2] · 224'))!;
    assert.equal(h.state, 'warning');
    assert.ok(h.tooltip.includes('the last 1 row of the input is never covered by a window'), h.tooltip);
  });

  it('grouped convolutions, pooling with ceilMode, norms', () => {
    const text = `const m = new nn.Sequential(new nn.Conv2d(32, 64, 3, { groups: 4, padding: 1 }), new nn.BatchNorm2d(64), new nn.MaxPool2d(3, { stride: 2, ceilMode: true }));
m.inputShape = [2, 32, 8, 8];`;
    const r = run(text);
    assert.deepEqual(hints(r, text).map((h) => h[1]), ['→ [2, 64, 8, 8] · 4,672 params', '→ [2, 64, 8, 8] · 128 params', '→ [2, 64, 4, 4]', '→ [2, 64, 4, 4] · 4,800 params']);
    assert.ok(r.models[0].rows[1].formulas.includes('params = 3²·(32/4)·64 + 64 = 4,672'));
    assert.ok(r.models[0].rows[3].formulas.includes('H_out = ⌈(8 − 3)/2⌉ + 1 = 4'));
  });

  it('non-literal arguments give "?", never a guess; literal consts are followed', () => {
    const text = `const C = 64;
const net = new nn.Sequential(new nn.Conv2d(3, C, 3), new nn.Conv2d(C, width, 3), new nn.ReLU(), new nn.Linear(10, 2));
net.inputShape = [1, 3, 32, 32];`;
    const r = run(text);
    assert.deepEqual(hints(r, text).map((h) => h[1]), ['→ [1, 64, 30, 30] · 1,792 params', '→ ? · ? params', '→ ?', '→ ? · 22 params', '→ ? · ? params']);
    assert.ok(Number.isNaN(r.models[0].totals.params));
  });

  it('unknown classes and unknown options are "?"', () => {
    const text = 'const net = new nn.Sequential(new MyBlock(3), new nn.Conv2d(3, 8, 3, opts));\nnet.inputShape = [1, 3, 8, 8];';
    assert.deepEqual(hints(run(text), text).map((h) => h[1]), ['→ ? · ? params', '→ ? · ? params', '→ ? · ? params']);
  });

  it('other classes are not models: `new Map()` is ignored, a user block is `?` inside a model', () => {
    const r = run('const seen = new Map();\nconst blk = new MyBlock(3);\nconst net = new nn.Sequential(blk, new Conv2d(3, 4, 3));');
    assert.deepEqual(r.models.map((m) => m.name), ['net']);
    assert.deepEqual(r.models[0].rows.map((x) => x.type), ['Sequential', 'MyBlock', 'Conv2d']);
  });

  it('a channel mismatch is reported on the layer, later shapes are "?"', () => {
    const text = 'const net = new nn.Sequential(new nn.Conv2d(3, 16, 3), new nn.Conv2d(32, 8, 3), new nn.ReLU());\nnet.inputShape = [1, 3, 8, 8];';
    const labels = hints(run(text), text).map((h) => h[1]);
    assert.equal(labels[1], '→ ✗ conv2d: expected input [1, 16, 6, 6] to have 32 channels (weight [8, 32, 3, 3], groups=1), but got 16 channels instead');
    assert.equal(labels[2], '→ ?');
  });

  it('partial code while typing: an unfinished last line still yields the layers before it', () => {
    const text = 'const net = new nn.Sequential(\n  new nn.Linear(4, 8),\n  new nn.ReLU(),\n  new nn.Lin';
    const r = run(text, [{ key: 'c2', text: 'net.inputShape = [2, 4];' }]);
    assert.equal(r.models.length, 1);
    assert.equal(hints(r, text)[0][1], '→ [2, 8] · 40 params');
  });

  it('syntax errors never throw; garbage yields nothing', () => {
    for (const text of ['const = = ;;; new nn.(', '}}}{{{', 'new nn.Conv2d(3,', '', 'model.inputShape = [1, 2', '@@@ summary(']) {
      assert.doesNotThrow(() => run(text));
    }
    assert.equal(run('}}}{{{').models.length, 0);
  });

  it('models.resnet18()-style calls: the real zoo constructor on meta tensors, output [N, numClasses]', () => {
    const text = 'const r = models.resnet18({ numClasses: 10 });\nsummary(r, [4, 3, 224, 224]);\nconst v = nn.meta(() => models.vgg19());\nconst w = models.resnet18({ cifar: true });';
    const r = run(text);
    assert.equal(r.models.find((m) => m.name === 'r')!.totals.params, 11_181_642);
    assert.deepEqual(hints(r, text).map((h) => h[1]), ['→ [4, 10] · 11,181,642 params', '→ ? · 143,667,240 params', '→ ? · 11,173,962 params']);
  });

  it('plain .ts files: rows carry the file path so clicking reveals it', () => {
    const r = analyze([{ key: 'f', text: 'export const net = new nn.Linear(4, 2);', file: '/ws/net.ts' }], { rt: lw });
    assert.equal(r.models[0].rows[0].constructedAt, '/ws/net.ts:1:20');
    assert.deepEqual(parseConstructedAt('/ws/net.ts:1:20'), { file: '/ws/net.ts', line: 1, column: 20 });
    assert.deepEqual(parseConstructedAt('Object.<anonymous> (/ws/a b.ts:4:7)'), { file: '/ws/a b.ts', line: 4, column: 7 });
    assert.equal(parseConstructedAt('lw-cell-3.js:1:2'), undefined);
    assert.equal(parseConstructedAt('node:internal/x:1:2'), undefined);
    assert.equal(parseConstructedAt(null), undefined);
  });

  it('benchmark: analysing a 40-cell notebook (printed, not asserted)', () => {
    const cells = Array.from({ length: 40 }, (_, i) => ({ key: `c${i}`, text: i % 2 ? VALID.replace(/model/g, `m${i}`) : `const x${i} = ${i};\nconsole.log(x${i});` }));
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) analyze(cells, { rt: lw });
    console.log(`      analyser: ${((performance.now() - t0) / 10).toFixed(1)} ms per pass over 40 cells`);
  });
});

// Layer inspector, live side: summary rows from the real runtime (models + summary on meta tensors, through the
// runtime's inspect handlers) → tree nodes, descriptions and Markdown tooltips (src/extension/inspector, pure).
import { strict as assert } from 'node:assert';
import * as lw from '../../src/runtime';
import { inspectModel } from '../../src/runtime/inspect';
import { flatten, liveNodes, modelNode } from '../../src/extension/inspector/tree';
import { layerTooltip, summaryMarkdown } from '../../src/extension/inspector/format';
import { draftSection, liveSection, PLACEHOLDER } from '../../src/extension/inspector/sections';
import type { InspectModel, InspectorNode } from '../../src/extension/inspector/types';

const { nn, models } = lw;

function inspect(name: string, build: () => lw.nn.Module, inputShape: number[]): InspectModel {
  const m = nn.meta(build);
  m.inputShape = inputShape;
  return JSON.parse(JSON.stringify(inspectModel(name, m))) as InspectModel; // exactly what crosses the IPC channel
}

const byId = (nodes: InspectorNode[], id: string): InspectorNode => {
  const n = flatten(nodes).find((x) => x.id === id);
  assert.ok(n, `no node ${id}; have ${flatten(nodes).map((x) => x.id).slice(0, 30).join(', ')}`);
  return n;
};

describe('inspector: tree items from summary rows', () => {
  it('AlexNet: totals 61,100,840, the conv stack 2,469,696, leaf shapes and params in descriptions', () => {
    const alex = inspect('alex', () => models.alexnet(), [1, 3, 224, 224]);
    const nodes = liveNodes({ models: [alex], elapsedMs: 0 });
    const root = nodes[0];
    assert.equal(root.label, 'alex');
    assert.equal(root.description, 'AlexNet · 61,100,840 params → [1, 1000]');
    assert.equal(byId(nodes, 'live/alex/#totals/Parameters').description, '61,100,840');
    assert.equal(byId(nodes, 'live/alex/#totals/Trainable').description, '61,100,840');
    assert.equal(byId(nodes, 'live/alex/#totals/Non-trainable').description, '0');
    assert.match(byId(nodes, 'live/alex/#totals/MACs').description!, /^714,188,480 \(714\.19 M\)$/);
    assert.match(byId(nodes, 'live/alex/#totals/Activations').description!, /MB$/);
    const features = byId(nodes, 'live/alex/features');
    assert.equal(features.label, 'features: Sequential');
    assert.equal(features.description, '→ [1, 256, 6, 6] · 2,469,696 params');
    const conv1 = byId(nodes, 'live/alex/features.0');
    assert.equal(conv1.label, '0: Conv2d');
    // (224 − 11 + 2·2)/4 = 54.25: torchvision's AlexNet never reads the last input column/row at 224×224
    assert.equal(conv1.description, '[1, 64, 55, 55] · 23,296 params ⚠');
    assert.equal(conv1.icon, 'warning');
    assert.equal(byId(nodes, 'live/alex/features.3').icon, 'layer');
    assert.equal(features.children.length, 13);
    assert.equal(byId(nodes, 'live/alex/classifier.6').description, '[1, 1000] · 4,097,000 params');
  });

  it('VGG19: 143,667,240 parameters', () => {
    const vgg = inspect('vgg', () => models.vgg19(), [1, 3, 224, 224]);
    const root = modelNode(vgg);
    assert.equal(root.description, 'VGG · 143,667,240 params → [1, 1000]');
    assert.equal(root.children[0].children[0].description, '143,667,240');
  });

  it('grouped and depthwise convolutions show the grouped parameter arithmetic', () => {
    const m = inspect('g', () => new nn.Sequential(new nn.Conv2d(64, 128, 3, { padding: 1, groups: 4 }), new nn.Conv2d(128, 128, 3, { padding: 1, groups: 128, bias: false })), [2, 64, 32, 32]);
    const nodes = liveNodes({ models: [m], elapsedMs: 0 });
    const grouped = byId(nodes, 'live/g/0');
    assert.equal(grouped.description, '[2, 128, 32, 32] · 18,560 params');
    assert.ok(grouped.tooltip!.includes('params = 3²·(64/4)·128 + 128 = 18,560'), grouped.tooltip);
    const dw = byId(nodes, 'live/g/1');
    assert.ok(dw.tooltip!.includes('params = 3²·(128/128)·128 = 1,152 (depthwise)'), dw.tooltip);
    const resnext = inspect('rx', () => models.resnext50_32x4d(), [1, 3, 224, 224]);
    assert.equal(modelNode(resnext).description, 'ResNet · 25,028,904 params → [1, 1000]');
  });

  it('tooltips show the arithmetic with numbers plugged in (conv, linear, pooling with ceilMode)', () => {
    const alex = inspect('alex', () => models.alexnet(), [1, 3, 224, 224]);
    const tip = layerTooltip(alex.rows.find((r) => r.name === 'features.0')!, alex);
    assert.ok(tip.startsWith('**alex.features.0** — `Conv2d`'), tip);
    assert.ok(tip.includes('[1, 3, 224, 224] → [1, 64, 55, 55]'));
    assert.ok(tip.includes('H_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55'));
    assert.ok(tip.includes('W_out = ⌊(224 − 11 + 2·2)/4⌋ + 1 = 55'));
    assert.ok(tip.includes('params = 11²·3·64 + 64 = 23,296'));
    const lin = layerTooltip(alex.rows.find((r) => r.name === 'classifier.1')!, alex);
    assert.ok(lin.includes('params = 9216·4096 + 4096 = 37,752,832'), lin);
    const pool = inspect('p', () => new nn.Sequential(new nn.MaxPool2d(3, { stride: 2, ceilMode: true })), [1, 8, 8, 8]);
    const ptip = layerTooltip(pool.rows[1], pool);
    assert.ok(ptip.includes('H_out = ⌈(8 − 3)/2⌉ + 1 = 4'), ptip);
    assert.equal(pool.rows[1].outputShape!.join(), '1,8,4,4');
  });

  it('a stride that does not fit: warning icon, and the tooltip says what is dropped', () => {
    const m = inspect('bad', () => new nn.Sequential(new nn.Conv2d(3, 8, 3, { stride: 3 }), new nn.ReLU()), [1, 3, 7, 7]);
    const nodes = liveNodes({ models: [m], elapsedMs: 0 });
    const conv = byId(nodes, 'live/bad/0');
    assert.equal(conv.icon, 'warning');
    assert.equal(conv.description, '[1, 8, 2, 2] · 224 params ⚠');
    assert.ok(conv.tooltip!.includes('H_out = ⌊(7 − 3)/3⌋ + 1 = 2'));
    assert.ok(conv.tooltip!.includes('the last 1 row of the input is never covered by a window'), conv.tooltip);
    assert.ok(conv.tooltip!.includes('the last 1 column of the input is never covered by a window'));
    assert.equal(nodes[0].icon, 'warning', 'the model row flags it too');
    assert.equal(byId(nodes, 'live/bad/1').icon, 'layer');
  });

  it('without an input shape: structure and parameters, shapes "?"', () => {
    const m = JSON.parse(JSON.stringify(inspectModel('net', nn.meta(() => new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU()))))) as InspectModel;
    assert.equal(m.source, null);
    const nodes = liveNodes({ models: [m], elapsedMs: 0 });
    assert.equal(nodes[0].description, 'Sequential · 15 params · shapes ?');
    assert.equal(byId(nodes, 'live/net/0').description, '? · 15 params');
    assert.ok(byId(nodes, 'live/net/0').tooltip!.includes('params = 4·3 + 3 = 15'));
    assert.ok(byId(nodes, 'live/net/0').tooltip!.includes('set net.inputShape'));
  });

  it('clicking reveals where the module was constructed (cell and line from constructedAt)', () => {
    const m = inspect('net', () => new nn.Sequential(new nn.Linear(4, 3)), [2, 4]);
    m.rows[0].constructedAt = 'Cell 3:2:13';
    m.rows[1].constructedAt = 'mk (Cell 1:5:10)';
    const nodes = liveNodes({ models: [m], elapsedMs: 0 });
    assert.deepEqual(nodes[0].location, { cellIndex: 2, line: 2, column: 13 });
    assert.deepEqual(byId(nodes, 'live/net/0').location, { cellIndex: 0, line: 5, column: 10 });
    assert.ok(byId(nodes, 'live/net/0').tooltip!.includes('constructed at cell 1, line 5'));
  });

  it('copies a model summary as a Markdown table', () => {
    const m = inspect('bad', () => new nn.Sequential(new nn.Conv2d(3, 8, 3, { stride: 3 }), new nn.Flatten(), new nn.Linear(32, 10)), [1, 3, 7, 7]);
    const md = summaryMarkdown(m);
    assert.ok(md.includes('| Layer (type) | Input shape | Output shape | Param # | MACs |'));
    assert.ok(md.includes('| 0 (Conv2d) ⚠ | [1, 3, 7, 7] | [1, 8, 2, 2] | 224 | 864 |'), md);
    assert.ok(md.includes('| 2 (Linear) | [1, 32] | [1, 10] | 330 | 320 |'), md);
    assert.ok(md.includes('- Parameters: 554'));
  });
});

describe('inspector: sections', () => {
  it('Live shows the placeholder until a model exists, then one node per model; Draft says where it reads', () => {
    assert.equal(liveSection({}).children[0].label, PLACEHOLDER);
    assert.equal(liveSection({ note: 'No kernel running' }).children[0].label, 'No kernel running');
    const m = inspect('net', () => new nn.Sequential(new nn.Linear(4, 3)), [2, 4]);
    const live = liveSection({ response: { models: [m, { ...m, name: 'b' }], elapsedMs: 1 } });
    assert.deepEqual(live.children.map((c) => c.label), ['net', 'b']);
    assert.equal(live.description, '2 models · after the last run');
    assert.equal(draftSection(undefined, 'nb.ipynb').children[0].label, 'No layer constructions with literal arguments in nb.ipynb');
    assert.equal(draftSection({ models: [m], elapsedMs: 0 }, 'nb.ipynb').children[0].id, 'draft/net');
  });
});

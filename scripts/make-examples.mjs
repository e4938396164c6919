#!/usr/bin/env node
// Writes the example notebooks in examples/ from the cell sources below (run after editing a cell here).
// Each notebook is plain nbformat 4 with the Layerwise kernelspec and no outputs; `npm run demo` / CI execute them.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeNotebook } from './nbformat-examples.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const md = (s) => ({ cell_type: 'markdown', metadata: {}, source: s.trim() });
const code = (s) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: s.trim() });

function notebook(cells) {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'layerwise', display_name: 'Layerwise (TypeScript)', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts' },
    },
    cells: cells.map((c) => ({ ...c, source: c.source.split('\n').map((l, i, a) => (i < a.length - 1 ? l + '\n' : l)) })),
  };
}

const notebooks = {
  'getting-started': [
    md(`# Getting started: LeNet-5 on drawn digits
Everything runs here, in TypeScript, on Layerwise's WASM runtime: no Python, no download. The digits are drawn
procedurally (strokes under random affine jitter), so the notebook works offline.`),
    code(`manualSeed(0);
const digits = data.digits(3000);
const [train, test] = data.randomSplit(digits, [2500, 500]);
// the first 16 digits, shown as a 16-channel image grid
show.featureMaps(digits.tensors[0].narrow(0, 0, 16).reshape(16, 28, 28))`),
    md(`## The model and its arithmetic
\`summary\` propagates shapes without computing anything; each row carries the formula behind its shape and parameter count.`),
    code(`const model = models.lenet5();
summary(model, [1, 1, 28, 28])`),
    md('## Training, with a live loss curve, a progress bar and a gradient-norm heatmap'),
    code(`const opt = new optim.Adam(model.parameters(), { lr: 2e-3 });
const loader = new data.DataLoader(train, { batchSize: 64, shuffle: true });
const chart = show.live({ loss: {}, accuracy: { axis: 'y2' } }, { title: 'LeNet-5 on drawn digits' });
const watch = show.gradFlow.watch(model, { every: 2 });
const epochs = 2;
const bar = progress(epochs * loader.length, { label: 'training' });
let step = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const [x, y] of loader) {
    opt.zeroGrad();
    const logits = model(x);
    const loss = F.crossEntropy(logits, y);
    loss.backward();
    opt.step();
    const accuracy = logits.argmax(1).eq(y).float().mean().item();
    chart.push(step++, { loss: loss.item(), accuracy });
    bar.tick({ loss: loss.item(), accuracy });
  }
}
bar.done();
chart.done();
watch.stop();`),
    code(`model.eval();
const [xTest, yTest] = test.getBatch([...Array(test.length).keys()]);
const testAccuracy = noGrad(() => model(xTest).argmax(1).eq(yTest).float().mean().item());
console.log(\`held-out accuracy: \${(100 * testAccuracy).toFixed(1)}%\`);`),
    md('## What the network sees: feature maps of one test digit'),
    code('show.featureMaps(model, xTest.narrow(0, 0, 1))'),
    md('## The learned filters'),
    code('show.weights(model)'),
    md('## Gradient flow after the last step'),
    code('show.gradFlow(model)'),
    md(`## Taking the model elsewhere: ONNX and PyTorch
The same model as an ONNX file (onnxruntime, TensorRT, OpenVINO, a browser) and as PyTorch code + weights + a
\`torchrun\`-ready \`train.py\` with the same optimizer and loss, for GPUs and clusters. The commands are in docs/export.md.`),
    code(`const sample = xTest.narrow(0, 0, 1);
const pt = exportPyTorch(model, 'exported/lenet5-pytorch', { sampleInput: sample, optimizer: opt, loss: 'crossEntropy' });
const ox = onnx.export(model, sample, 'exported/lenet5.onnx', {
  inputNames: ['image'], outputNames: ['logits'], dynamicAxes: { image: { 0: 'batch' }, logits: { 0: 'batch' } },
});
for (const f of [{ path: ox.path, bytes: ox.bytes }, ...pt.files]) console.log(\`\${f.path.padEnd(44)} \${(f.bytes / 1024).toFixed(1).padStart(7)} KiB\`);
console.log(\`ONNX opset \${ox.opset}: \${Object.entries(ox.ops).map(([op, n]) => \`\${op} ×\${n}\`).join(', ')}\`);`),
  ],
  'conv-arithmetic': [
    md(`# Convolution arithmetic and parameter counts
W_out = ⌊(W_in − F + 2P)/S⌋ + 1 and params = F²·Cin·Cout + Cout, checked on AlexNet (61,100,840 parameters) and VGG19
(143,667,240). \`nn.meta\` builds the models without allocating a single weight.`),
    code(`const alex = nn.meta(() => models.alexnet());
const s = summary(alex, [1, 3, 224, 224]);
s`),
    code(`const convParams = s.rows.filter((r) => r.type === 'Conv2d').reduce((a, r) => a + r.params, 0);
const linearParams = s.rows.filter((r) => r.type === 'Linear').reduce((a, r) => a + r.params, 0);
console.log({ total: s.totals.params, convParams, linearParams });
console.log(s.rows.find((r) => r.type === 'Conv2d').formulas.join('\\n'));`),
    code(`summary(nn.meta(() => models.vgg19()), [1, 3, 224, 224]).totals`),
    md('A stride that does not fit: a 7×7 input, a 3×3 kernel, stride 3 and no padding drop the last row and column.'),
    code(`const odd = summary(new nn.Sequential(new nn.Conv2d(1, 1, 3, { stride: 3 })), [1, 1, 7, 7]);
odd.rows[1].warnings`),
  ],
  pooling: [
    md('# 2×2 max and average pooling (the lecture example)'),
    code(`const x = tensor([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], { dtype: 'float32' }).reshape(1, 1, 4, 4);
F.maxPool2d(x, 2, { stride: 2 })`),
    code('F.avgPool2d(x, 2, { stride: 2 })'),
  ],
  'cross-entropy': [
    md(`# Cross-entropy on the lecture's logits
−½ (log e⁻¹/(e⁻¹ + e⁻³ + e⁴) + log e³/(e⁻³ + e³ + e⁻¹)) ≃ 2.5141`),
    code(`const f = tensor([[-1, -3, 4], [-3, 3, -1]], { dtype: 'float32' });
const target = tensor([0, 1], { dtype: 'int32' });
new nn.CrossEntropyLoss()(f, target)`),
  ],
  initialization: [
    md(`# Initialisation and variance across 30 layers
With too small weights the activations shrink to zero layer after layer; with too large they saturate. Xavier
keeps tanh's variance, Kaiming keeps ReLU's.`),
    code(`manualSeed(0);
function deep(act, initFn) {
  const layers = [];
  for (let i = 0; i < 30; i++) {
    const lin = new nn.Linear(256, 256);
    initFn(lin.weight);
    nn.init.zeros_(lin.bias);
    layers.push(lin, act());
  }
  return new nn.Sequential(...layers);
}
const x = randn([512, 256]);
show.activations(deep(() => new nn.Tanh(), (w) => nn.init.normal_(w, 0, 0.01)), x)`),
    code('show.activations(deep(() => new nn.Tanh(), (w) => nn.init.xavierNormal_(w, nn.init.calculateGain("tanh"))), x)'),
    code('show.activations(deep(() => new nn.ReLU(), (w) => nn.init.kaimingNormal_(w, { nonlinearity: "relu" })), x)'),
  ],
  batchnorm: [
    md('# Batch norm: batch statistics in training, running statistics in eval'),
    code(`manualSeed(0);
const bn = new nn.BatchNorm1d(3);
const x = randn([64, 3]).mul(tensor([1, 5, 10])).add(tensor([0, -2, 7]));
const y = bn(x);
console.log('per-feature mean after BN:', y.mean(0).toArray());
console.log('per-feature std after BN:', y.std(0, { unbiased: false }).toArray());
console.log('running mean:', bn.runningMean.toArray(), 'running var:', bn.runningVar.toArray());`),
    code(`bn.eval();
bn(x).mean(0)`),
  ],
  optimizers: [
    md('# Optimizers on a badly conditioned quadratic'),
    code(`function run(makeOpt, steps = 100) {
  const p = tensor([2, 2], { requiresGrad: true });
  const opt = makeOpt([p]);
  const losses = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = p.mul(tensor([1, 25])).mul(p).sum();
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}
const chart = show.live(['sgd', 'momentum', 'adam', 'rmsprop'], { title: 'loss', xLabel: 'step' });
const curves = {
  sgd: run((ps) => new optim.SGD(ps, { lr: 0.01 })),
  momentum: run((ps) => new optim.SGD(ps, { lr: 0.01, momentum: 0.9 })),
  adam: run((ps) => new optim.Adam(ps, { lr: 0.1 })),
  rmsprop: run((ps) => new optim.RMSprop(ps, { lr: 0.01 })),
};
for (let i = 0; i < 100; i++) chart.push(i, { sgd: curves.sgd[i], momentum: curves.momentum[i], adam: curves.adam[i], rmsprop: curves.rmsprop[i] });
chart.done();`),
  ],
  autodiff: [
    md(`# Automatic differentiation, node by node
f(x, y) = y·log x + √(y·log x) at x = 3, y = 2: step through reverse mode ("+=" where two paths meet) and forward mode.`),
    code(`const x = tensor(3, { dtype: 'float64', requiresGrad: true });
const y = tensor(2, { dtype: 'float64', requiresGrad: true });
show.graph((x, y) => { const a = y.mul(x.log()); return a.add(a.sqrt()); }, [x, y])`),
  ],
};

mkdirSync(join(root, 'examples'), { recursive: true });
for (const [name, cells] of Object.entries(notebooks)) {
  writeFileSync(join(root, 'examples', `${name}.ipynb`), JSON.stringify(normalizeNotebook(notebook(cells), name), null, 1) + '\n');
  console.log(`examples/${name}.ipynb`);
}

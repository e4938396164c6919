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

// Only getting-started is written from here. The lecture lessons (activations, initialization, batchnorm, residual,
// architectures, cross-entropy, optimizers, regularization, autodiff, conv-arithmetic, pooling) are edited as notebooks:
// their numbers are checked by test/unit/examples-numbers.ts and `npm run gallery` renders them (docs/gallery.md).
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
};

mkdirSync(join(root, 'examples'), { recursive: true });
for (const [name, cells] of Object.entries(notebooks)) {
  writeFileSync(join(root, 'examples', `${name}.ipynb`), JSON.stringify(normalizeNotebook(notebook(cells), name), null, 1) + '\n');
  console.log(`examples/${name}.ipynb`);
}

#!/usr/bin/env node
// Benchmark (printed, never asserted): size of a saved .ipynb after a 20-epoch live-plotted training run
// (live loss/accuracy curves + a gradient-norm watch + progress bar), executed headlessly by the CLI.
// Target: under 1 MB. Run `npm run build` first.
import { mkdtempSync, writeFileSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'lw-nbsize-'));
const cell = `manualSeed(0);
const ds = data.moons(2048, { noise: 0.2 });
const model = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 2));
const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
const loader = new data.DataLoader(ds, { batchSize: 32, shuffle: true });
const chart = show.live({ loss: {}, accuracy: { axis: 'y2' } });
const watch = show.gradFlow.watch(model, { every: 1 });
const epochs = 20;
const bar = progress(epochs * loader.length);
let step = 0;
for (let e = 0; e < epochs; e++) for (const [x, y] of loader) {
  opt.zeroGrad();
  const logits = model(x);
  const loss = F.crossEntropy(logits, y);
  loss.backward(); opt.step();
  chart.push(step++, { loss: loss.item(), accuracy: logits.argmax(1).eq(y).float().mean().item() });
  bar.tick();
}
chart.done(); watch.stop(); bar.done();`;
const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'layerwise', display_name: 'Layerwise (TypeScript)', language: 'typescript' } },
  cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: cell }] };
const input = join(dir, 'live.ipynb');
const out = join(dir, 'live.executed.ipynb');
writeFileSync(input, JSON.stringify(nb));
const t0 = Date.now();
execFileSync(process.execPath, [join(root, 'bin/layerwise.js'), 'run', input, '--out', out], { stdio: 'inherit' });
const size = statSync(out).size;
const outputs = JSON.parse(readFileSync(out, 'utf8')).cells[0].outputs.length;
console.log(`notebook size after a 20-epoch live-plotted run (${(Date.now() - t0) / 1000}s, ${outputs} outputs): ${(size / 1024).toFixed(1)} KiB (target < 1024 KiB) ${size < 1 << 20 ? 'ok' : 'OVER'}`);

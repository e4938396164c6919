#!/usr/bin/env node
// Renderer benchmark (printed, never asserted): first paint of a 64-channel 28×28 feature-map grid in headless
// Chromium through the real renderer entry, cold (first output) and warm (median of later outputs); target ≤ 100 ms.
// Also the first Plotly chart (includes loading the lazy Plotly chunk). Usage: node bench/renderers.mjs
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.LAYERWISE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.log(`bench/renderers: skipped (${CHROMIUM} not found)`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'lw-bench-'));
await build({ entryPoints: [join(root, 'renderers/index.ts')], bundle: true, format: 'esm', splitting: true, minify: true,
  platform: 'browser', target: 'es2022', outdir: dir, logLevel: 'silent', absWorkingDir: root });
writeFileSync(join(dir, 'bench.html'), `<!doctype html><html><body><div id="o"></div><script type="module">
import { activate } from './index.js';
const api = activate({ getState() {}, setState() {} });
const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
window.paint = async (id, mime, payload, until) => {
  const el = document.createElement('div');
  el.style.width = '900px';
  document.getElementById('o').append(el);
  const item = { id, mime, json: () => payload, text: () => '', data: () => new Uint8Array() };
  const t0 = performance.now();
  api.renderOutputItem(item, el);
  const sync = performance.now() - t0;
  while (until && !el.querySelector(until)) await new Promise((r) => setTimeout(r, 5));
  await frame();
  return { sync, paint: performance.now() - t0 };
};
window.ready = true;
</script></body></html>`);

const server = createServer((req, res) => {
  const f = join(dir, (req.url ?? '/').split('?')[0].slice(1));
  if (!existsSync(f)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': extname(f) === '.js' ? 'text/javascript' : 'text/html' }).end(readFileSync(f));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));

function featureMaps(seed) {
  const C = 64, H = 28, W = 28, d = new Float32Array(C * H * W);
  let s = seed;
  for (let i = 0; i < d.length; i++) d[i] = Math.max(0, ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.3);
  return { v: 1, selected: 0, layers: [{ name: 'conv1', type: 'ReLU', colormap: 'sequential', normalize: 'channel',
    data: { dtype: 'float32', shape: [C, H, W], b64: Buffer.from(d.buffer).toString('base64') } }] };
}
const gradFlow = { v: 1, vanishThreshold: 1e-6, explodeThreshold: 1e3, layers: Array.from({ length: 12 }, (_, i) => ({
  name: `layer${i}`, meanAbs: 10 ** -(i % 9), maxAbs: 10 ** -(i % 9) * 5, status: i % 9 > 6 ? 'vanishing' : 'ok' })) };

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
  await page.waitForFunction(() => window.ready === true);
  const FM = 'application/vnd.layerwise.featuremaps+json';
  const runs = [];
  for (let i = 0; i < 11; i++) runs.push(await page.evaluate(([id, p]) => window.paint(id, 'application/vnd.layerwise.featuremaps+json', p, 'canvas'), [`fm${i}`, featureMaps(i + 1)]));
  const warm = runs.slice(1).map((r) => r.paint).sort((a, b) => a - b);
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`feature maps 64×28×28, first paint: cold ${ms(runs[0].paint)} (render call ${ms(runs[0].sync)}), warm median ${ms(warm[5])} (target ≤ 100 ms) [${FM}]`);
  const chart = await page.evaluate((p) => window.paint('gf', 'application/vnd.layerwise.gradflow+json', p, '.lw-plot[data-rendered]'), gradFlow);
  console.log(`gradient flow chart (12 layers), first paint incl. lazy Plotly chunk: ${ms(chart.paint)}`);
  const chart2 = await page.evaluate((p) => window.paint('gf2', 'application/vnd.layerwise.gradflow+json', p, '.lw-plot[data-rendered]'), gradFlow);
  console.log(`gradient flow chart, Plotly already loaded: ${ms(chart2.paint)}`);
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

// Outputs travel: every example, executed by the CLI, converted by Jupyter's own nbconvert (Debian
// python3-nbconvert) to HTML, must show every rich output as an image (or a table for table-like outputs), and
// the HTML is screenshotted in headless Chromium for a human to look at (artifacts/e2e/nbconvert-*.png).
// Skips with a note when nbconvert is not installed. Run alone: node test/e2e/portable.mjs [example.ipynb ...]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, ROOT } from './server.mjs';

const PYTHON = '/usr/bin/python3';
const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
const TABLE_MIMES = ['application/vnd.layerwise.summary+json', 'application/vnd.layerwise.progress+json'];

export function hasNbconvert() {
  return spawnSync(PYTHON, ['-m', 'nbconvert', '--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Rich outputs of an executed notebook: {cell, rich MIME types, kind}. kind 'table' (summary, progress, a small
 * tensor: text/html), 'text' (a tensor in its statistics view: PyTorch's printout in text/plain is its static
 * form), else 'figure' (an image).
 */
export function richOutputs(nb) {
  const out = [];
  nb.cells.forEach((c, i) => (c.outputs ?? []).forEach((o) => {
    const rich = Object.keys(o.data ?? {}).filter((m) => m.startsWith('application/vnd.'));
    if (!rich.length) return;
    const tensor = rich.includes('application/vnd.layerwise.tensor+json');
    const kind = rich.some((m) => TABLE_MIMES.includes(m)) || (tensor && o.data['text/html']) ? 'table'
      : tensor && !o.data['image/png'] ? 'text' : 'figure';
    out.push({ cell: i, rich, kind });
  }));
  return out;
}

/** Images nbconvert put in the page (PNG or SVG data URIs, from image/png or our text/html wrappers). */
export const countImages = (html) => (html.match(/<img[^>]+src="data:image\/(png|svg\+xml);base64,/g) ?? []).length;

export async function portableSteps(artifacts, only = []) {
  const dir = join(artifacts, 'nbconvert');
  mkdirSync(dir, { recursive: true });
  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed.'))
    .filter((f) => !only.length || only.includes(f));
  return examples.map((name) => [`${name}: nbconvert HTML shows every figure as an image`, async (browser) => {
    const stem = basename(name, '.ipynb');
    const executed = join(dir, `${stem}.ipynb`);
    execFileSync(process.execPath, [join(ROOT, 'bin/layerwise.js'), 'run', join(ROOT, 'examples', name), '--out', executed],
      { stdio: 'pipe', timeout: 600_000 });
    execFileSync(PYTHON, ['-m', 'nbconvert', '--to', 'html', executed, '--output-dir', dir], { stdio: 'pipe', timeout: 120_000 });
    const html = readFileSync(join(dir, `${stem}.html`), 'utf8');
    const rich = richOutputs(JSON.parse(readFileSync(executed, 'utf8')));
    const figures = rich.filter((r) => r.kind === 'figure').length;
    const images = countImages(html);
    if (images < figures) throw new Error(`${images} images in the nbconvert HTML for ${figures} figures`);
    const tables = rich.filter((r) => r.kind === 'table').length;
    const htmlTables = (html.match(/<table/g) ?? []).length + (html.match(/width:\d+%;height:8px/g) ?? []).length;
    if (htmlTables < tables) throw new Error(`${htmlTables} tables in the nbconvert HTML for ${tables} table-like outputs`);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.goto(pathToFileURL(join(dir, `${stem}.html`)).href);
      await page.waitForTimeout(200);
      // every <img> decoded (a broken data URI has naturalWidth 0)
      const broken = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.naturalWidth).length);
      if (broken) throw new Error(`${broken} images do not decode`);
      await page.screenshot({ path: join(artifacts, `nbconvert-${stem}.png`), fullPage: true });
    } finally {
      await page.close();
    }
    return `${figures} figures, ${images} images, ${tables} tables`;
  }]);
}

/** Runs the steps in one browser; returns {passed, failed} like the code-server sessions. */
export async function runPortable(artifacts, only = []) {
  if (!hasNbconvert()) {
    console.log('e2e: - skipped: nbconvert checks (python3-nbconvert is not installed)');
    return { passed: 0, failed: 0 };
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  let passed = 0;
  let failed = 0;
  try {
    for (const [name, fn] of await portableSteps(artifacts, only)) {
      try {
        const what = await fn(browser);
        passed++;
        console.log(`e2e: ✓ ${name} (${what})`);
      } catch (err) {
        failed++;
        console.log(`e2e: ✗ ${name}\n      ${err.message.split('\n').slice(0, 6).join('\n      ')}`);
      }
    }
  } finally {
    await browser.close();
  }
  return { passed, failed };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runPortable(join(ROOT, 'artifacts/e2e'), process.argv.slice(2));
  console.log(`e2e: ${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed ? 1 : 0);
}

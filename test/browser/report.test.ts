// The standalone HTML report: same renderer code, Plotly inlined only when needed, everything escaped.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { MIME } from '../../src/protocol';
import { writeHtmlReport, type NotebookJson } from '../../src/cli/html';
import { ARTIFACTS, CHROMIUM, LAUNCH_ARGS, requireChromium } from './harness';
import * as S from './samples';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function notebook(withCharts: boolean): NotebookJson {
  const rich = (mime: string, payload: unknown, text: string) => ({ output_type: 'display_data', metadata: {}, data: { [mime]: payload, 'text/plain': text } });
  return {
    metadata: { title: 'Report test' },
    cells: [
      { cell_type: 'markdown', source: ['# Feature maps\n', 'Not HTML: <script>window.__pwned = 1</script>'] },
      { cell_type: 'code', execution_count: 1, source: 'const x = layerwise.randn([2, 3]);\nshow.featureMaps(model, x);', outputs: [
        { output_type: 'stream', name: 'stdout', text: ['epoch 1 <done>\n'] },
        rich(MIME.featureMaps, S.featureMaps(16, 12, 12, 1), 'FeatureMaps(features.1)'),
        ...(withCharts ? [rich(MIME.gradFlow, S.gradFlow(), 'GradFlow(7 layers)')] : []),
        { output_type: 'display_data', metadata: {}, data: { 'image/png': PNG_1x1, 'text/plain': '<Image>' } },
        { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': 'tensor([1, 2, 3])' } },
      ] },
      { cell_type: 'code', execution_count: 2, source: 'throw new Error("boom")', outputs: [
        { output_type: 'error', ename: 'Error', evalue: 'boom', traceback: ['\u001b[31mError: boom <at cell 2>\u001b[0m', '    at cell2:1:7'] },
      ] },
    ],
  };
}

describe('HTML report in Chromium', function () {
  let browser: Browser;
  let dir: string;
  before(async function () {
    requireChromium(this);
    this.timeout(120000);
    dir = mkdtempSync(join(tmpdir(), 'lw-report-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws rich outputs with the renderer code, and shows sources, streams, images and errors as text', async () => {
    const out = join(dir, 'with-charts.html');
    await writeHtmlReport(notebook(true), out);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /plotly\.js v\d/, 'Plotly inlined for the gradient-flow chart');
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('.lw-plot[data-rendered]');
    assert.equal(await page.locator('.lw-root').count(), 2);
    assert.equal(await page.locator('.lw-root canvas').count(), 1);
    assert.equal(await page.locator('.barlayer .trace').count(), 2);
    assert.equal(await page.evaluate(() => (window as any).__pwned), undefined, 'markdown is text, not HTML');
    assert.match((await page.textContent('.cell.md'))!, /<script>window.__pwned = 1<\/script>/, 'raw HTML in markdown shows as text');
    assert.match((await page.textContent('.stream'))!, /epoch 1 <done>/);
    assert.equal((await page.textContent('.out.error'))!, 'Error: boom <at cell 2>\n    at cell2:1:7');
    assert.equal(await page.locator('img[src^="data:image/png;base64,"]').count(), 1);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.querySelector('.gtitle')?.getAttribute('style')?.includes('rgb(204, 204, 204)'));
    await page.screenshot({ path: join(ARTIFACTS, 'report-dark.png'), fullPage: true });
    await page.close();
  });

  it('leaves Plotly out when no output needs it', async () => {
    const out = join(dir, 'plain.html');
    await writeHtmlReport(notebook(false), out);
    assert.doesNotMatch(readFileSync(out, 'utf8'), /plotly\.js v\d/);
    assert.ok(statSync(out).size < 400_000, `report is ${statSync(out).size} bytes`);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('.lw-root canvas');
    assert.equal(await page.evaluate(() => typeof (window as any).Plotly), 'undefined');
    await page.close();
  });

  it('renders markdown with KaTeX math offline, and shows static fallbacks for outputs without a view', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#1a85ff"/></svg>';
    const nb: NotebookJson = { metadata: {}, cells: [
      { cell_type: 'markdown', source: '## Softmax\nInline $\\sigma(x) = \\frac{1}{1+e^{-x}}$ and a display:\n\n$$\\sum_i p_i = 1$$\n\n| a | b |\n|---|---|\n| 1 | 2 |' },
      { cell_type: 'code', execution_count: 1, source: 'show.trajectory(...)', outputs: [
        // a view this report does not know (a newer gallery view): its static SVG shows
        { output_type: 'display_data', metadata: {}, data: { 'application/vnd.layerwise.future+json': { v: 1 }, 'image/svg+xml': svg, 'text/plain': 'future view' } },
      ] },
    ] };
    const out = join(dir, 'math.html');
    await writeHtmlReport(nb, out);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /@font-face\{[^}]*font-family:KaTeX_Main;[^}]*src:url\(data:font\/woff2;base64,/, 'KaTeX fonts inlined');
    assert.doesNotMatch(html, /url\((?!data:)[^)]*\.woff/, 'no font fetched from disk or network');
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('data:') && !r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(out).href);
    assert.equal(await page.locator('.cell.md h2').textContent(), 'Softmax');
    assert.equal(await page.locator('.cell.md .katex').count(), 2);
    assert.equal(await page.locator('.cell.md .katex-display').count(), 1);
    assert.equal(await page.locator('.cell.md table td').count(), 2);
    await page.waitForFunction(() => document.fonts.check('16px KaTeX_Main'));
    const img = page.locator('img[src^="data:image/svg+xml;base64,"]');
    assert.equal(await img.count(), 1);
    assert.ok(await img.evaluate((i: HTMLImageElement) => i.naturalWidth === 40));
    assert.deepEqual(requests, []);
    await page.screenshot({ path: join(ARTIFACTS, 'report-markdown.png'), fullPage: true });
    await page.close();
  });
});

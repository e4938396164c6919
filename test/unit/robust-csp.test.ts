// CSP on the HTML reports (issue #11): a strict Content-Security-Policy is a second line of defence behind the
// escaping. In headless Chromium: the report still draws (renderers, Plotly) with no violation, while inline
// scripts and handlers smuggled into the page (as if escaping had failed) do not run.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MIME } from '../../src/protocol';
import { buildHtmlReport, type NotebookJson } from '../../src/cli/html';
import { fallbackReportHtml } from '../../src/cli/report-fallback';
import { ARTIFACTS, CHROMIUM, LAUNCH_ARGS, requireChromium } from '../browser/harness';
import * as S from '../browser/samples';

const nb: NotebookJson = {
  metadata: { title: 'CSP test' },
  cells: [{ cell_type: 'code', execution_count: 1, source: 'show.gradFlow(model)', outputs: [
    { output_type: 'display_data', metadata: {}, data: { [MIME.featureMaps]: S.featureMaps(4, 8, 8, 1), 'text/plain': 'FeatureMaps' } },
    { output_type: 'display_data', metadata: {}, data: { [MIME.gradFlow]: S.gradFlow(), 'text/plain': 'GradFlow' } },
    { output_type: 'display_data', metadata: {}, data: { 'text/html': '<b>bold</b><script>parent.__pwnedFrame = 1</script>', 'text/plain': 'html' } },
  ] }],
};

const SMUGGLED = '<script>window.__pwned = 1</script><img id="evil" src="data:," onerror="window.__pwned2 = 1">' +
  '<script src="data:text/javascript,window.__pwned3=1"></script>';

describe('robust: Content-Security-Policy of the HTML reports (Chromium)', function () {
  let browser: Browser;
  let dir: string;
  before(async function () {
    requireChromium(this);
    this.timeout(120000);
    dir = mkdtempSync(join(tmpdir(), 'lw-csp-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(html: string, name: string): Promise<{ page: Page; errors: string[]; violations: string[] }> {
    const file = join(dir, name);
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    const violations: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
    return { page, errors, violations };
  }

  it('the report carries a strict policy and still draws every view with no violation', async () => {
    const html = await buildHtmlReport(nb, 'CSP test');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; /);
    const { page, errors, violations } = await open(html, 'report.html');
    await page.waitForSelector('.lw-plot[data-rendered]');
    assert.equal(await page.locator('.lw-root canvas').count(), 1, 'feature maps drawn');
    assert.ok(await page.locator('.barlayer .trace').count() > 0, 'Plotly chart drawn');
    assert.deepEqual(errors, []);
    assert.deepEqual(violations, []);
    assert.equal(await page.evaluate(() => (window as any).__pwnedFrame), undefined, 'scripts of HTML outputs do not run');
    await page.screenshot({ path: join(ARTIFACTS, 'report-csp.png'), fullPage: true });
    await page.close();
  });

  it('inline scripts, handlers and script URLs smuggled into the page are blocked', async () => {
    const html = (await buildHtmlReport(nb, 'CSP test')).replace('<main>', `<main>${SMUGGLED}`);
    const { page, violations } = await open(html, 'smuggled.html');
    await page.waitForSelector('.lw-plot[data-rendered]'); // the page's own scripts still run
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned4 = 1';
      document.body.append(s);
    });
    await page.waitForTimeout(200);
    const flags = await page.evaluate(() => [1, 2, 3, 4].map((k) => (window as any)[`__pwned${k === 1 ? '' : k}`]));
    assert.deepEqual(flags, [undefined, undefined, undefined, undefined]);
    assert.ok(violations.length >= 3, `violations reported: ${violations.length}`);
    await page.close();
  });

  it('the fallback report has the policy too (no script at all)', async () => {
    const html = fallbackReportHtml({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }).replace('<body>', `<body>${SMUGGLED}`);
    assert.match(html, /script-src 'none'/);
    const { page } = await open(html, 'fallback.html');
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => [(window as any).__pwned, (window as any).__pwned2, (window as any).__pwned3]), [undefined, undefined, undefined]);
    await page.close();
  });
});

// Browser-test harness: bundles the real renderer entry (renderers/index.ts, ESM + lazy Plotly chunk) into a
// temp dir, serves it on 127.0.0.1 and opens it in headless Chromium with VS Code-like theme variables.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { themeDeclarations, type ThemeKind } from '../../renderers/pageTheme';

export const ROOT = join(__dirname, '..', '..');
/** Debian's chromium; LAYERWISE_CHROMIUM points elsewhere on other machines. */
export const CHROMIUM = process.env.LAYERWISE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'artifacts', 'renderers');
export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

/** Skips the calling suite when Chromium is missing on a dev machine; on CI (CI=true) that is a failure. */
export function requireChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI === 'true') throw new Error(`browser tests need ${CHROMIUM} on CI (apt-get install chromium)`);
  console.warn(`    (skipping browser tests: ${CHROMIUM} not found; install Debian's chromium to run them)`);
  ctx.skip();
}

export const themeCss = (kind: ThemeKind) => `:root { ${themeDeclarations(kind)} } body { background: var(--vscode-editor-background); color: var(--vscode-foreground); margin: 16px; }`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style id="theme">${themeCss('light')}</style></head>
<body class="vscode-light" data-vscode-theme-kind="vscode-light"><div id="outputs"></div>
<script type="module">
import { activate } from './index.js';
// A context shaped like VS Code's RendererContext, with messaging: posted messages are kept for the tests, and
// window.lwHost(message) plays the extension host sending a message to the renderer.
const posted = [];
const listeners = [];
const api = await activate({ getState() {}, setState() {}, getRenderer: async () => undefined,
  workspace: { isTrusted: true }, postMessage: (m) => posted.push(m),
  onDidReceiveMessage: (fn) => { listeners.push(fn); return { dispose() {} }; } });
window.lwPosted = posted;
window.lwHost = (m) => listeners.forEach((fn) => fn(m));
window.lw = {
  render(id, mime, payload, opts = {}) {
    const key = opts.target ?? id;
    let el = document.getElementById('out-' + key);
    if (!el) {
      el = document.createElement('div');
      el.id = 'out-' + key;
      el.className = 'output';
      el.style.width = (opts.width ?? 900) + 'px';
      el.style.padding = '8px';
      document.getElementById('outputs').append(el);
    }
    const item = { id, mime, json: () => { if (opts.badJson) throw new SyntaxError('Unexpected token'); return payload; },
      text: () => JSON.stringify(payload), data: () => new TextEncoder().encode(JSON.stringify(payload)) };
    api.renderOutputItem(item, el);
  },
  dispose(id) { api.disposeOutputItem(id); },
};
window.lwReady = true;
</script></body></html>`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

export interface Harness {
  browser: Browser;
  page: Page;
  dir: string;
  server: Server;
  close(): Promise<void>;
}

export async function bundleRenderer(dir: string): Promise<void> {
  await build({ entryPoints: [join(ROOT, 'renderers', 'index.ts')], bundle: true, format: 'esm', splitting: true,
    platform: 'browser', target: 'es2022', outdir: dir, minify: true, logLevel: 'silent', absWorkingDir: ROOT });
}

export async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '') || 'index.html');
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, url: `http://127.0.0.1:${port}/harness.html` };
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'lw-renderers-'));
  await bundleRenderer(dir);
  writeFileSync(join(dir, 'harness.html'), PAGE);
  const { server, url } = await serve(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error('    page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as any).lwReady === true);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser, page, dir, server,
    async close() {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function setTheme(page: Page, kind: ThemeKind): Promise<void> {
  await page.evaluate(([css, k]) => {
    document.getElementById('theme')!.textContent = css;
    const cls = k === 'high-contrast' ? 'vscode-high-contrast' : `vscode-${k}`;
    document.body.className = cls;
    document.body.dataset.vscodeThemeKind = cls;
  }, [themeCss(kind), kind] as const);
}

export async function render(page: Page, id: string, mime: string, payload: unknown,
  opts: { width?: number; badJson?: boolean; target?: string } = {}): Promise<void> {
  await page.evaluate(([i, m, p, o]) => (window as any).lw.render(i, m, p, o), [id, mime, payload, opts] as const);
}

/** Waits until the chart in output `id` has been drawn `times` times by Plotly. */
export async function waitForPlot(page: Page, id: string, times = 1): Promise<void> {
  await page.waitForFunction(([i, n]) => Number(document.querySelector<HTMLElement>(`#out-${i} .lw-plot`)?.dataset.rendered ?? 0) >= n,
    [id, times] as const, { timeout: 30000 });
}

/** The on-screen colour at (dx, dy) inside an element (negative = from the right/bottom edge). */
export async function pixelIn(page: Page, selector: string | Locator, dx: number, dy: number): Promise<[number, number, number]> {
  const loc = typeof selector === 'string' ? page.locator(selector) : selector;
  await loc.scrollIntoViewIfNeeded();
  const b = (await loc.boundingBox())!;
  return pixelAt(page, dx < 0 ? b.x + b.width + dx : b.x + dx, dy < 0 ? b.y + b.height + dy : b.y + dy);
}

/** The on-screen colour at a viewport pixel, read from a real screenshot (decoded by the browser). */
export async function pixelAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.round(x), y: Math.round(y), width: 1, height: 1 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, png.toString('base64'));
}

export async function shot(page: Page, id: string, name: string): Promise<string> {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.locator(`#out-${id}`).screenshot({ path: file });
  return file;
}

export const near = (a: readonly number[], b: readonly number[], tol = 3) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

/**
 * `layerwise run --html`: one standalone HTML page for an executed notebook. Code cells are escaped text;
 * markdown cells are rendered by markdown-it with KaTeX math (./markdown.ts). Rich Layerwise outputs are drawn in
 * the page by the same renderer code as in VS Code (renderers/report.ts, bundled here into one IIFE), over their
 * static fallback (PNG/SVG/HTML from the executor), which is what shows if scripts do not run; an output whose
 * MIME type has no view shows its fallback. Plotly and KaTeX's CSS are inlined only when needed: no network.
 */
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIME } from '../protocol';
import { cspMeta } from './csp';
import { hasMath, katexCss, renderMarkdown } from './markdown';

/** An nbformat output as read from any notebook file: every field is checked before use. */
export interface LooseOutput {
  output_type?: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
  data?: Record<string, unknown>;
}

export interface NotebookJson {
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: LooseOutput[]; execution_count?: number | null }>;
  metadata?: { title?: string; [key: string]: unknown };
}

const LAYERWISE_PREFIX = 'application/vnd.layerwise.';
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
/** Rich MIME types drawn with Plotly (weights only for its histograms, but that is the common case). */
const PLOTLY_USERS = ['gradflow+json', 'gradflow-watch+json', 'distributions+json', 'live+json', 'weights+json']
  .map((s) => LAYERWISE_PREFIX + s).concat(PLOTLY_MIME);

const joinSource = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside <script type="application/json">. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** JS that is safe inside <script>: only "</script" could end the element early. */
const scriptJs = (js: string) => js.replace(/<\/(script)/gi, '<\\/$1');

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

/** Layerwise MIME types the report's renderer has a view for (the protocol's list; unknown ones use fallbacks). */
const DRAWN = new Set<string>(Object.values(MIME).filter((m) => m.startsWith(LAYERWISE_PREFIX)));
const SVG_MIME = 'image/svg+xml';
/** Static forms in order of preference, as Jupyter front ends pick them. */
const STATIC_ORDER = ['image/png', SVG_MIME, 'text/html', 'text/markdown', 'text/plain'];

/** The MIME chosen for a display output: a drawable rich payload first, then the static forms. */
function pickMime(data: Record<string, unknown>): string | undefined {
  const keys = Object.keys(data);
  return keys.find((k) => DRAWN.has(k)) ?? (PLOTLY_MIME in data ? PLOTLY_MIME : undefined) ?? STATIC_ORDER.find((k) => k in data);
}

const b64Utf8 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The static form of an output (image, sanitised-by-sandbox HTML, or text), as shown without scripts. */
function staticHtml(data: Record<string, unknown>): string {
  const mime = STATIC_ORDER.find((k) => k in data);
  const text = joinSource(data['text/plain'] as string | string[] | undefined);
  const value = mime ? joinSource(data[mime] as string | string[]) : '';
  if (mime === 'image/png') return `<img alt="${escapeHtml(text || 'image output')}" src="data:image/png;base64,${escapeHtml(value.replace(/\s/g, ''))}">`;
  if (mime === SVG_MIME) return `<img alt="${escapeHtml(text || 'image output')}" src="data:image/svg+xml;base64,${b64Utf8(value)}">`;
  if (mime === 'text/html') return `<iframe class="out html" sandbox title="HTML output" srcdoc="${escapeHtml(value)}"></iframe>`;
  return `<pre class="fallback">${escapeHtml(stripAnsi(text || value))}</pre>`;
}

function renderOutput(o: LooseOutput): string {
  if (o.output_type === 'stream') {
    return `<pre class="out stream ${o.name === 'stderr' ? 'stderr' : ''}">${escapeHtml(stripAnsi(joinSource(o.text)))}</pre>`;
  }
  if (o.output_type === 'error') {
    const tb = Array.isArray(o.traceback) && o.traceback.length ? o.traceback.join('\n') : `${o.ename}: ${o.evalue}`;
    return `<pre class="out error" role="alert">${escapeHtml(stripAnsi(tb))}</pre>`;
  }
  const data: Record<string, unknown> = o.data ?? {};
  const mime = pickMime(data);
  if (!mime) return '';
  const value = data[mime];
  if (DRAWN.has(mime) || mime === PLOTLY_MIME) {
    const payload = typeof value === 'string' ? safeParse(value) : value;
    return `<div class="out rich">${staticHtml(data)}</div>` +
      `<script type="application/json" data-lw-mime="${escapeHtml(mime)}">${scriptJson(payload)}</script>`;
  }
  if (mime === 'text/plain' || mime === 'text/markdown') return `<pre class="out">${escapeHtml(stripAnsi(joinSource(value as string)))}</pre>`;
  return mime === 'text/html' ? staticHtml(data) : `<div class="out">${staticHtml(data)}</div>`;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function renderCell(c: NotebookJson['cells'][number]): string {
  if (c.cell_type === 'markdown') return `<section class="cell md">${renderMarkdown(joinSource(c.source))}</section>`;
  const src = escapeHtml(joinSource(c.source));
  if (c.cell_type !== 'code') return `<section class="cell raw"><pre class="md-src">${src}</pre></section>`;
  const n = c.execution_count == null ? ' ' : String(c.execution_count);
  const outs = (c.outputs ?? []).map(renderOutput).join('\n');
  return `<section class="cell code"><div class="prompt">[${n}]</div><pre class="src"><code>${src}</code></pre>` +
    (outs ? `<div class="outputs">${outs}</div>` : '') + '</section>';
}

/** Whether any output will be drawn with Plotly. */
export function needsPlotly(nb: NotebookJson): boolean {
  return nb.cells.some((c) => (c.outputs ?? []).some((o) => {
    const m = o?.data ? pickMime(o.data) : undefined;
    return m !== undefined && PLOTLY_USERS.includes(m);
  }));
}

const PAGE_CSS = `
body { margin: 0; font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 13px; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { font-size: 18px; font-weight: 600; }
.cell { margin: 14px 0; }
.prompt { font-family: var(--vscode-editor-font-family, monospace); font-size: 11px; color: var(--vscode-descriptionForeground); }
.src, .out, .md-src { font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; white-space: pre-wrap; margin: 4px 0; }
.src { background: var(--vscode-textCodeBlock-background); border: 1px solid var(--vscode-editorWidget-border); border-radius: 4px; padding: 8px 10px; }
.md-src { color: var(--vscode-descriptionForeground); }
.md { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 14px; line-height: 1.5; }
.md code { font-family: var(--vscode-editor-font-family, monospace); background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; }
.md pre code { display: block; padding: 8px 10px; }
.md table { border-collapse: collapse; } .md th, .md td { border: 1px solid var(--vscode-editorWidget-border); padding: 2px 8px; }
.md .katex-display { overflow-x: auto; overflow-y: hidden; }
.out.rich img, .out img { max-width: 100%; }
.outputs { padding-left: 10px; border-left: 2px solid var(--vscode-editorWidget-border); }
.out.stderr { color: var(--vscode-editorWarning-foreground); }
.out.error { color: var(--vscode-errorForeground); }
.out.html { width: 100%; min-height: 120px; border: 1px solid var(--vscode-editorWidget-border); background: white; }
.out img { max-width: 100%; }
`;

/** The project root (the folder holding renderers/ or dist/renderers/), found from this file's location. */
function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'renderers', 'report.ts')) || existsSync(join(dir, 'dist', 'renderers', 'report.js'))) return dir;
  }
  throw new Error('layerwise html report: cannot find renderers/report.ts or dist/renderers/report.js');
}

/** The report renderer as one IIFE: a prebuilt dist/renderers/report.js, else bundled now from source. */
export async function reportBundle(root = findRoot()): Promise<string> {
  const prebuilt = join(root, 'dist', 'renderers', 'report.js');
  if (existsSync(prebuilt)) return fs.readFile(prebuilt, 'utf8');
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(root, 'renderers', 'report.ts')], bundle: true, format: 'iife', platform: 'browser',
    target: 'es2022', write: false, minify: true, absWorkingDir: root, logLevel: 'silent',
    plugins: [{ name: 'plotly-global', setup(b) {
      // The page inlines plotly.min.js (a global) only when needed, so the bundle never contains it.
      b.onResolve({ filter: /^plotly\.js-dist-min$/ }, () => ({ path: 'plotly', namespace: 'plotly-global' }));
      b.onLoad({ filter: /.*/, namespace: 'plotly-global' }, () => ({
        contents: 'if (!globalThis.Plotly) throw new Error("Plotly is not in this page"); export default globalThis.Plotly;',
        loader: 'js',
      }));
    } }],
  });
  return out.outputFiles[0].text;
}

export async function plotlySource(root = findRoot()): Promise<string> {
  const candidates = [join(root, 'dist', 'renderers', 'plotly.min.js')];
  try {
    candidates.unshift(require.resolve('plotly.js-dist-min/plotly.min.js', { paths: [root] }));
  } catch { /* not installed: the copy next to the built renderers, if any */ }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('layerwise html report: plotly.js-dist-min is not available');
  return fs.readFile(found, 'utf8');
}

/** The whole page as a string (exported for tests). */
export async function buildHtmlReport(nb: NotebookJson, title = 'Layerwise notebook'): Promise<string> {
  const scripts = [await reportBundle()];
  if (needsPlotly(nb)) scripts.unshift(await plotlySource());
  const cells = nb.cells.map(renderCell).join('\n');
  const katex = hasMath(cells) ? katexCss() : null;
  const bodies = scripts.map(scriptJs);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${cspMeta(bodies)}<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Layerwise"><title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style>
${katex ? `<style>${katex.replace(/<\/(style)/gi, '<\\/$1')}</style>` : ''}</head>
<body><main><h1>${escapeHtml(title)}</h1>
${cells}
</main>
${bodies.map((s) => `<script>${s}</script>`).join('\n')}
</body></html>
`;
}

export async function writeHtmlReport(notebook: NotebookJson, outPath: string): Promise<void> {
  const title = notebook.metadata?.title ?? outPath.split(/[\\/]/).pop()?.replace(/\.html?$/i, '') ?? 'Layerwise notebook';
  await fs.mkdir(dirname(outPath), { recursive: true });
  await fs.writeFile(outPath, await buildHtmlReport(notebook, String(title)), 'utf8');
}

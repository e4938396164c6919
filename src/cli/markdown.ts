/**
 * Markdown cells of the HTML report: markdown-it with math rendered by KaTeX at build time through the same
 * plugin VS Code's notebook markdown uses (@vscode/markdown-it-katex), so $x$ and $$…$$ look as they do in
 * VS Code. Raw HTML in cells is escaped (the report is a file people open from disk). KaTeX's stylesheet goes into
 * the page with its fonts as data URIs, only when a cell has math, so the report stays one offline file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import MarkdownIt from 'markdown-it';
import katexPlugin from '@vscode/markdown-it-katex';

type Md = ReturnType<typeof MarkdownIt>;
let md: Md | null = null;

function renderer(): Md {
  if (!md) {
    md = new MarkdownIt({ html: false, linkify: true, typographer: false });
    const plugin = (katexPlugin as unknown as { default?: typeof katexPlugin }).default ?? katexPlugin;
    md.use(plugin, { enableFencedBlocks: true, throwOnError: false });
  }
  return md;
}

/** One markdown cell as HTML, math typeset by KaTeX (a formula KaTeX cannot parse shows as red TeX source). */
export function renderMarkdown(source: string): string {
  return renderer().render(source);
}

/** Whether rendered markdown contains KaTeX output (and so needs KaTeX's stylesheet). */
export const hasMath = (html: string): boolean => html.includes('class="katex');

const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf' };

/**
 * KaTeX's CSS with every font it references inlined as a data URI (woff2 only: every browser that runs the report
 * reads it), or null when the katex package is not installed next to Layerwise.
 */
export function katexCss(): string | null {
  let dir: string;
  try {
    dir = dirname(require.resolve('katex/dist/katex.min.css'));
  } catch {
    return null;
  }
  const css = readFileSync(join(dir, 'katex.min.css'), 'utf8');
  // each @font-face lists woff2, woff and ttf sources: keep the woff2 one, inlined
  return css.replace(/src:([^;}]*)/g, (all, list: string) => {
    const woff2 = /url\(([^)]+\.woff2)\)/.exec(list);
    if (!woff2) return all;
    const file = join(dir, woff2[1].replace(/["']/g, ''));
    if (!existsSync(file)) return all;
    const ext = file.split('.').pop()!;
    return `src:url(data:${FONT_TYPES[ext]};base64,${readFileSync(file).toString('base64')}) format("woff2")`;
  });
}

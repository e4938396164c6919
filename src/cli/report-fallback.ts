/**
 * A minimal standalone HTML report, used only when src/cli/html.ts (the full report with the renderers) is not
 * available. Shows sources, text outputs, PNG images and errors; rich Layerwise outputs show their text/plain.
 */
import { promises as fs } from 'node:fs';
import { cspMeta } from './csp';
import { sourceText, type NotebookJson, type NotebookOutput } from './notebook';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

function outputHtml(o: NotebookOutput): string {
  if (o.output_type === 'stream') return `<pre class="${o.name}">${esc(stripAnsi(sourceText(o.text)))}</pre>`;
  if (o.output_type === 'error') return `<pre class="error">${esc(stripAnsi(o.traceback.join('\n')))}</pre>`;
  const png = o.data['image/png'];
  if (typeof png === 'string') return `<img alt="output" src="data:image/png;base64,${esc(png.replace(/\s/g, ''))}">`;
  return `<pre>${esc(sourceText(o.data['text/plain'] as string | string[] | undefined))}</pre>`;
}

export function fallbackReportHtml(nb: NotebookJson, title = 'Layerwise notebook'): string {
  const cells = nb.cells.map((c) => {
    if (c.cell_type !== 'code') return `<section class="md"><pre>${esc(sourceText(c.source))}</pre></section>`;
    const count = c.execution_count ?? ' ';
    return `<section class="code"><div class="in">In [${count}]:</div><pre class="src">${esc(sourceText(c.source))}</pre>` +
      `${c.outputs.map(outputHtml).join('')}</section>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8">${cspMeta([])}<title>${esc(title)}</title><style>
body{font:14px system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
pre{white-space:pre-wrap;margin:.3em 0;padding:.4em;background:#f6f6f6}.src{background:#eef3fb}
.stderr{background:#fff4e5}.error{background:#fdecea;color:#8a1c1c}.in{color:#777;font-size:12px}
section{margin:1em 0}img{max-width:100%}</style></head><body>${cells.join('\n')}</body></html>\n`;
}

export async function writeFallbackReport(nb: NotebookJson, outPath: string): Promise<void> {
  await fs.writeFile(outPath, fallbackReportHtml(nb));
}

import * as vscode from 'vscode';
import type { MimeBundle } from '../protocol';

/** Order of preference inside one output: rich Layerwise/Plotly views first, plain text last. */
const RANK: [RegExp, number][] = [
  [/^application\/vnd\./, 0],
  [/^text\/html$/, 1],
  [/^image\//, 2],
  [/^text\/markdown$/, 3],
  [/^application\/json$/, 4],
  [/^text\/plain$/, 9],
];

function rank(mime: string): number {
  return RANK.find(([re]) => re.test(mime))?.[1] ?? 5;
}

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** One MIME bundle value → one output item: JSON mimes as JSON, images from base64 bytes, the rest as text. */
export function toOutputItem(mime: string, value: unknown): vscode.NotebookCellOutputItem {
  if (mime.startsWith('image/') && mime !== 'image/svg+xml' && typeof value === 'string') {
    return new vscode.NotebookCellOutputItem(Buffer.from(value, 'base64'), mime);
  }
  if (typeof value === 'string') return vscode.NotebookCellOutputItem.text(value, mime);
  if (isJsonMime(mime) || (typeof value === 'object' && value !== null)) {
    return vscode.NotebookCellOutputItem.json(value, mime);
  }
  return vscode.NotebookCellOutputItem.text(String(value), mime);
}

/** Every key of a bundle becomes an item, ordered richest first. */
export function bundleToItems(bundle: MimeBundle): vscode.NotebookCellOutputItem[] {
  return Object.keys(bundle)
    .filter((mime) => bundle[mime] !== undefined)
    .sort((a, b) => rank(a) - rank(b))
    .map((mime) => toOutputItem(mime, bundle[mime]));
}

/** Output metadata in the shape the built-in ipynb serializer writes back as nbformat outputs. */
export function displayOutput(bundle: MimeBundle, displayId?: string): vscode.NotebookCellOutput {
  const metadata = displayId ? { outputType: 'display_data', transient: { display_id: displayId } } : { outputType: 'display_data' };
  return new vscode.NotebookCellOutput(bundleToItems(bundle), metadata);
}

export function resultOutput(bundle: MimeBundle, executionCount: number | undefined): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(bundleToItems(bundle), { outputType: 'execute_result', executionCount });
}

export function errorOutput(error: { name: string; message: string; stack?: string }): vscode.NotebookCellOutput {
  const item = vscode.NotebookCellOutputItem.error({ name: error.name, message: error.message, stack: error.stack });
  return new vscode.NotebookCellOutput([item], { outputType: 'error' });
}

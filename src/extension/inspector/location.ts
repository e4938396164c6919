/**
 * constructedAt ("Cell 3:2:5", "mk (Cell 2:2:10)", "Object.<anonymous> (/ws/net.ts:4:7)") → a place to reveal.
 * The executor names cells with the cell id the kernel session gives them ("Cell N" = the cell's 1-based index
 * when it ran) and maps positions back to the cell's own line and column.
 */
import type { SourceLocation } from './types';

const FRAME = /^(?:.*?\()?(.+?):(\d+):(\d+)\)?$/;

export function parseConstructedAt(at: string | null | undefined): SourceLocation | undefined {
  if (!at) return undefined;
  const m = FRAME.exec(at.trim());
  if (!m) return undefined;
  const [, where, line, column] = m;
  const pos = { line: Number(line), column: Number(column) };
  const cell = /^Cell (\d+)$/.exec(where.trim());
  if (cell) return { cellIndex: Number(cell[1]) - 1, ...pos };
  if (/^lw-cell-\d+\.js$/.test(where) || where.startsWith('node:')) return undefined;
  const file = where.replace(/^file:\/\//, '');
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) ? { file, ...pos } : undefined;
}

/** "Cell 3, line 2" / "net.ts:4" for tooltips. */
export function describeLocation(loc: SourceLocation | undefined): string | undefined {
  if (!loc) return undefined;
  if (loc.cellIndex !== undefined) return `cell ${loc.cellIndex + 1}, line ${loc.line}`;
  return `${loc.file?.split(/[\\/]/).pop()}:${loc.line}`;
}

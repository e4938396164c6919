/**
 * Position mapping from the code the executor actually runs back to the cell the user wrote:
 * final script → (edit pieces) → esbuild output → (esbuild source map) → cell TS.
 * Plus stack rewriting (cell files → `cellId:line:col`) and trimming of executor frames.
 */
import { SourceMap } from 'node:module';

/** A run of the final code: either copied from the esbuild output at `src`, or inserted (maps to `src`). */
export interface Piece {
  out: number;
  len: number;
  src: number;
  copied: boolean;
}

export interface CellPosition {
  /** 1-based line and column in the cell. */
  line: number;
  column: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetToLineCol(starts: number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, col: offset - starts[lo] };
}

export class CellMapper {
  private readonly finalStarts: number[];
  private readonly jsStarts: number[];
  private readonly map: SourceMap | null;

  constructor(
    readonly cellId: string,
    readonly source: string,
    finalCode: string,
    private readonly pieces: Piece[],
    jsCode: string,
    rawMap: string,
  ) {
    this.finalStarts = lineStarts(finalCode);
    this.jsStarts = lineStarts(jsCode);
    let map: SourceMap | null = null;
    try {
      map = new SourceMap(JSON.parse(rawMap));
    } catch {
      map = null;
    }
    this.map = map;
  }

  /** Maps a 1-based (line, column) of the running script to the cell, or null for executor-added code. */
  toCell(line: number, column: number): CellPosition | null {
    if (line < 1 || line > this.finalStarts.length) return null;
    const offset = this.finalStarts[line - 1] + column - 1;
    const piece = this.findPiece(offset);
    if (!piece) return null;
    const jsOffset = piece.copied ? piece.src + (offset - piece.out) : piece.src;
    const js = offsetToLineCol(this.jsStarts, jsOffset);
    if (!this.map) return { line: js.line + 1, column: js.col + 1 };
    const e = this.map.findEntry(js.line, js.col) as { originalLine?: number; originalColumn?: number };
    if (typeof e.originalLine !== 'number' || typeof e.originalColumn !== 'number') return null;
    return { line: e.originalLine + 1, column: e.originalColumn + 1 };
  }

  /** The cell's source line (1-based), for code frames. */
  sourceLine(line: number): string | undefined {
    return this.source.split(/\r?\n/)[line - 1];
  }

  private findPiece(offset: number): Piece | undefined {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.pieces[mid];
      if (offset < p.out) hi = mid - 1;
      else if (offset >= p.out + Math.max(p.len, 1)) lo = mid + 1;
      else return p;
    }
    return undefined;
  }
}

/** Registry of every cell script run in this process (functions defined in old cells still throw from them). */
export class CellRegistry {
  private readonly mappers = new Map<string, CellMapper>();
  private readonly order: string[] = [];

  constructor(private readonly limit = 2000) {}

  add(filename: string, mapper: CellMapper): void {
    this.mappers.set(filename, mapper);
    this.order.push(filename);
    while (this.order.length > this.limit) this.mappers.delete(this.order.shift()!);
  }

  get(filename: string): CellMapper | undefined {
    return this.mappers.get(filename);
  }
}

export const CELL_FILE_RE = /lw-cell-\d+\.js/;
const CELL_LOC_RE = /(lw-cell-\d+\.js):(\d+):(\d+)/g;

/** Rewrites every `lw-cell-N.js:L:C` in a stack string to `cellId:line:col`. */
export function mapStackText(stack: string, registry: CellRegistry): string {
  return stack.replace(CELL_LOC_RE, (all, file: string, l: string, c: string) => {
    const m = registry.get(file);
    const pos = m?.toCell(Number(l), Number(c));
    return m && pos ? `${m.cellId}:${pos.line}:${pos.column}` : all;
  });
}

/** Drops frames of the executor itself, Node internals and generator plumbing; keeps cell and library frames. */
export function trimStack(stack: string, internalFiles: string[]): string {
  const lines = stack.split('\n');
  const kept = lines.filter((l) => {
    if (!/^\s+at /.test(l)) return true;
    if (l.includes('node:internal') || l.includes('node:vm') || l.includes('lw-step.js')) return false;
    if (/at (Generator|AsyncGenerator)\.(next|throw|return) /.test(l) || /\(<anonymous>\)$/.test(l)) return false;
    if (/ \(?lw-cell-\d+\.js/.test(l)) return false; // unmapped executor-added wrapper code
    if (/^\s+at (new )?Promise( |$)/.test(l) || /^\s+at process\.processTicksAndRejections/.test(l)) return false;
    return !internalFiles.some((f) => f && l.includes(f));
  });
  return kept.join('\n');
}

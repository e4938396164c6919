/**
 * The one TypeScript program a notebook's cells form, laid out as a single virtual module in run order:
 *
 *     <imports of every cell, hoisted>        // import declarations must sit at the top level
 *     cell 1
 *     ;{ cell 2
 *     ;{ cell 3
 *     }} export {};
 *
 * Each later cell is a block nested inside the previous ones, so it sees every earlier declaration and may
 * declare a name again (it shadows the earlier one, as re-running a cell that declares `const model` reassigns it
 * in the executor). `export {}` makes the file a module, where top-level await is allowed. Cell text is copied
 * verbatim (imports are blanked in place, same length), so a position maps back to its cell by a segment table.
 */
import type * as TS from 'typescript';

export interface Segment {
  /** Offset in the virtual file. */
  start: number;
  length: number;
  cell: number;
  /** Offset in the cell's text. */
  cellStart: number;
  /** The segment holds an import declaration hoisted from its cell. */
  hoisted: boolean;
}

export interface Layout {
  text: string;
  segments: Segment[];
  /** Cells left out because they do not parse (the TypeScript extension already reports their syntax errors). */
  skipped: number[];
}

/**
 * Lays out the cells (texts in run order; null for cells that are not TypeScript). A cell that does not parse
 * stops the layout there: checking later cells without its declarations would report names as unknown.
 */
export function layoutCells(ts: typeof TS, cells: readonly (string | null)[]): Layout {
  const head: string[] = [];
  const body: string[] = [];
  const headSegs: Omit<Segment, 'start'>[] = [];
  const bodySegs: { at: number; cell: number; length: number }[] = [];
  const skipped: number[] = [];
  let bodyLen = 0;
  let depth = 0;
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i];
    if (text === null) continue;
    const sf = ts.createSourceFile(`cell${i}.ts`, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    if ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length) {
      for (let j = i; j < cells.length; j++) if (cells[j] !== null) skipped.push(j);
      break;
    }
    let cellText = text;
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) && !ts.isImportEqualsDeclaration(st)) continue;
      const s = st.getStart(sf);
      const piece = text.slice(s, st.end);
      headSegs.push({ length: piece.length, cell: i, cellStart: s, hoisted: true });
      head.push(piece);
      cellText = cellText.slice(0, s) + piece.replace(/[^\n]/g, ' ') + cellText.slice(st.end);
    }
    const open = depth++ === 0 ? '' : ';{\n';
    body.push(open);
    bodyLen += open.length;
    bodySegs.push({ at: bodyLen, cell: i, length: cellText.length });
    body.push(cellText, '\n');
    bodyLen += cellText.length + 1;
  }
  let text = '';
  const segments: Segment[] = [];
  for (let k = 0; k < head.length; k++) {
    segments.push({ ...headSegs[k], start: text.length });
    text += head[k] + ';\n';
  }
  const base = text.length;
  text += body.join('') + '}'.repeat(Math.max(0, depth - 1)) + '\nexport {};\n';
  for (const b of bodySegs) segments.push({ start: base + b.at, length: b.length, cell: b.cell, cellStart: 0, hoisted: false });
  return { text, segments, skipped };
}

/** The segment holding a virtual-file offset, if the offset lies in cell text. */
export function segmentAt(layout: Layout, offset: number): Segment | undefined {
  return layout.segments.find((s) => offset >= s.start && offset <= s.start + s.length);
}

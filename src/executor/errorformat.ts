/**
 * How a cell's error reads in the notebook (and in the saved .ipynb): the user's frames only, Layerwise's own
 * frames (the runtime bundle, the executor) folded into one line, paths relative to the notebook, the message
 * wrapped. Pure text in, text out: used by the extension host before the error becomes a cell output.
 */
import * as path from 'node:path';

export interface ErrorFormatOptions {
  /** Files whose frames are Layerwise internals (dist/runtime.js, dist/executor.js, the extension folder…). */
  internal: string[];
  /** The notebook's folder: paths under it are shown relative to it. */
  notebookDir: string;
  /** The user's home folder: other absolute paths under it are shown as ~/… */
  home?: string;
  /** Wrap width of the message lines. */
  width?: number;
}

export interface FormattedError {
  name: string;
  message: string;
  stack: string;
}

const FRAME = /^\s+at /;
const WIDTH = 100;

/** Hard-wraps a line at word boundaries (words longer than the width stay whole). */
export function wrapLine(line: string, width = WIDTH): string[] {
  if (line.length <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const out: string[] = [];
  let cur = '';
  for (const word of line.trim().split(/\s+/)) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = indent + word;
    } else cur = cur ? `${cur} ${word}` : indent + word;
  }
  if (cur) out.push(cur);
  return out;
}

function isInternal(frame: string, internal: string[]): boolean {
  return internal.some((f) => f && frame.includes(f));
}

/** Rewrites absolute paths in a frame: under the notebook folder → relative, under home → ~/… */
export function relativizePaths(text: string, notebookDir: string, home?: string): string {
  const abs = /(?:file:\/\/)?(\/[^\s():]+)/g;
  return text.replace(abs, (all, p: string) => {
    const rel = path.relative(notebookDir, p);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
    if (home && (p === home || p.startsWith(home + path.sep))) return `~${p.slice(home.length)}`;
    return all;
  });
}

/** Drops internal frames, leaving one `at … (N Layerwise frames)` line where a run of them was. */
export function foldInternalFrames(lines: string[], internal: string[]): string[] {
  const out: string[] = [];
  let folded = 0;
  const flush = () => {
    if (folded) out.push(`    at … (${folded} Layerwise runtime frame${folded === 1 ? '' : 's'} hidden)`);
    folded = 0;
  };
  for (const line of lines) {
    if (FRAME.test(line) && isInternal(line, internal)) {
      folded++;
      continue;
    }
    flush();
    out.push(line);
  }
  // a trailing run after the last user frame says nothing the user can act on
  folded = 0;
  return out;
}

/**
 * The error as the cell shows it. The stack's head (everything before the first frame, i.e. "Name: message")
 * is wrapped; frames are folded and relativized; the code frame after the stack is kept as it is.
 */
export function formatCellError(error: { name: string; message: string; stack?: string }, opts: ErrorFormatOptions): FormattedError {
  const width = opts.width ?? WIDTH;
  const rel = (s: string) => relativizePaths(s, opts.notebookDir, opts.home);
  const message = rel(error.message).split('\n').flatMap((l) => wrapLine(l, width)).join('\n');
  const raw = error.stack ?? `${error.name}: ${error.message}`;
  const lines = raw.split('\n');
  const firstFrame = lines.findIndex((l) => FRAME.test(l));
  const headEnd = firstFrame < 0 ? lines.length : firstFrame;
  const head = lines.slice(0, headEnd).map(rel).flatMap((l) => wrapLine(l, width));
  const rest = lines.slice(headEnd);
  const frameEnd = rest.findIndex((l) => !FRAME.test(l));
  const frames = frameEnd < 0 ? rest : rest.slice(0, frameEnd);
  const after = frameEnd < 0 ? [] : rest.slice(frameEnd).map(rel);
  const kept = foldInternalFrames(frames, opts.internal).map(rel);
  return { name: error.name, message, stack: [...head, ...kept, ...after].join('\n') };
}

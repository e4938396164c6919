/**
 * Bounded stream output of one cell. Text is sent as soon as it is written (a cell spinning in a synchronous loop
 * never yields, so nothing may wait for the event loop) and capped per cell: past `limit` bytes the text is dropped,
 * except the last `tail` bytes, which are sent when the cell ends after a note saying how much was dropped. The
 * cap therefore holds everywhere the output goes: VS Code, the saved notebook and the HTML report.
 */
import type { ExecEvent } from './messages';

type Name = 'stdout' | 'stderr';

export const DEFAULT_MAX_OUTPUT_BYTES = 5 * 1024 * 1024;

function fmt(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${n} bytes`;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export class StreamLimiter {
  private used = 0;
  private dropped = 0;
  private droppedLines = 0;
  private tail: Array<{ name: Name; text: string; bytes: number }> = [];
  private t0 = 0; // first live entry of `tail` (entries before it were trimmed away)
  private tailBytes = 0;

  /** `limit` bytes of stream text per cell (0 or Infinity: no limit); the last `tail` bytes past it are kept. */
  constructor(private readonly send: (e: ExecEvent) => void, readonly limit = DEFAULT_MAX_OUTPUT_BYTES,
    private readonly tailLimit = Math.min(64 * 1024, Math.floor(limit / 10))) {}

  write(name: Name, text: string): void {
    if (!text) return;
    const bytes = Buffer.byteLength(text);
    const limited = this.limit > 0 && Number.isFinite(this.limit);
    if (!limited || this.used + bytes <= this.limit) {
      this.used += bytes;
      this.buffer(name, text);
      return;
    }
    const room = Math.max(0, this.limit - this.used);
    if (room > 0) {
      const head = text.slice(0, room);
      const headBytes = Buffer.byteLength(head);
      this.used += headBytes;
      this.buffer(name, head);
      this.drop(name, text.slice(head.length));
    } else this.drop(name, text);
  }

  /** Any other event (sent at once, like the text: the order is kept). */
  event(e: ExecEvent): void {
    this.send(e);
  }

  /** The cell ended: flush, then the truncation note and the kept tail; the next cell starts a fresh budget. */
  endCell(): void {
    const tail = this.tail.slice(this.t0);
    const dropped = this.dropped - this.tailBytes;
    if (this.dropped > 0) {
      const lines = this.droppedLines - tail.reduce((n, t) => n + countLines(t.text), 0);
      this.send({ type: 'stream', name: 'stderr', text: `\n[layerwise: output truncated: ${fmt(dropped)} (${lines} line${lines === 1 ? '' : 's'}) ` +
        `dropped after the first ${fmt(this.limit)} of this cell's output` +
        `${tail.length ? `; the last ${fmt(this.tailBytes)} follow` : ''}. The limit is set by maxOutputBytes / --max-output.]\n` });
      for (const t of tail) this.send({ type: 'stream', name: t.name, text: t.text });
    }
    this.used = 0;
    this.dropped = 0;
    this.droppedLines = 0;
    this.tail = [];
    this.t0 = 0;
    this.tailBytes = 0;
  }

  private buffer(name: Name, text: string): void {
    this.send({ type: 'stream', name, text });
  }

  /** Past the limit: count it, keep only the most recent tailLimit bytes. */
  private drop(name: Name, text: string): void {
    const bytes = Buffer.byteLength(text);
    this.dropped += bytes;
    this.droppedLines += countLines(text);
    if (this.tailLimit <= 0) return;
    this.tail.push({ name, text, bytes });
    this.tailBytes += bytes;
    while (this.tail.length - this.t0 > 1 && this.tailBytes - this.tail[this.t0].bytes >= this.tailLimit) {
      this.tailBytes -= this.tail[this.t0++].bytes;
    }
    if (this.t0 > 1024 && this.t0 * 2 > this.tail.length) {
      this.tail = this.tail.slice(this.t0);
      this.t0 = 0;
    }
    if (this.tailBytes > this.tailLimit) {
      // trim the oldest kept chunk to fit (at a line start when there is one)
      const first = this.tail[this.t0];
      const over = this.tailBytes - this.tailLimit;
      let cut = first.text.slice(over);
      const nl = cut.indexOf('\n');
      if (first.text[over - 1] !== '\n' && nl >= 0 && nl < cut.length - 1) cut = cut.slice(nl + 1);
      const cutBytes = Buffer.byteLength(cut);
      this.tailBytes += cutBytes - first.bytes;
      this.tail[this.t0] = { name: first.name, text: cut, bytes: cutBytes };
    }
  }
}

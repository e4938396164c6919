/**
 * Figures: values whose notebook display is a Layerwise MIME payload (plus a text/plain fallback), and the live
 * channel through which a figure redraws in place while a cell runs. Inside the executor, `display` and
 * `updateDisplay` are globals; elsewhere (plain Node) live updates are simply not sent.
 */
import { MIME, type MimeBundle } from '../../protocol';
import { toPlotlyFigure } from '../../protocol/plotly';

/** Plain-chart figures also travel as standard Plotly JSON (for other Jupyter front ends) when small enough. */
const MAX_PLOTLY_CHARS = 200_000;

const DISPLAY = Symbol.for('layerwise.display');

export class Figure<P = unknown> {
  constructor(readonly mime: string, public payload: P, public text: string) {}

  [DISPLAY](): MimeBundle {
    const bundle: MimeBundle = { [this.mime]: this.payload };
    const fig = toPlotlyFigure(this.mime, this.payload);
    if (fig && JSON.stringify(fig).length <= MAX_PLOTLY_CHARS) bundle[MIME.plotly] = fig;
    bundle[MIME.text] = this.text;
    return bundle;
  }

  toString(): string {
    return this.text;
  }

  toJSON(): MimeBundle {
    return this[DISPLAY]();
  }
}

interface DisplayGlobals {
  display?: (x: unknown, opts?: { displayId?: string }) => { displayId: string } | void;
  updateDisplay?: (id: string, x: unknown) => void;
}

let counter = 0;

/** A figure shown once and then updated in place, at most every `minIntervalMs` (the last update always goes). */
export class LiveFigure<P> extends Figure<P> {
  private displayId: string | null = null;
  private lastSent = 0;
  private pending = false;

  constructor(mime: string, payload: P, text: string, private readonly minIntervalMs = 250) {
    super(mime, payload, text);
  }

  /** Shows the figure now (inside the executor); further update() calls redraw the same output. */
  show(): this {
    const g = globalThis as DisplayGlobals;
    if (this.displayId === null && typeof g.display === 'function') {
      const id = `lw-live-${process.pid}-${++counter}`;
      const r = g.display(this, { displayId: id });
      this.displayId = (r && r.displayId) || id;
      this.lastSent = Date.now();
    }
    return this;
  }

  /** Replace payload/text and redraw (throttled). `force` sends immediately. */
  update(payload: P, text: string, force = false): void {
    this.payload = payload;
    this.text = text;
    const g = globalThis as DisplayGlobals;
    if (this.displayId === null || typeof g.updateDisplay !== 'function') return;
    const now = Date.now();
    if (force || now - this.lastSent >= this.minIntervalMs) {
      g.updateDisplay(this.displayId, this);
      this.lastSent = now;
      this.pending = false;
    } else this.pending = true;
  }

  /** Sends any throttled update. */
  flush(): void {
    if (this.pending) this.update(this.payload, this.text, true);
  }
}

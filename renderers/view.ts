// The contract between the dispatcher and each view: built once per output, updated in place on new payloads.

export interface View {
  /** Redraw with a newer payload of the same MIME type, reusing the same elements. */
  update(payload: unknown): void;
  /** Re-read theme colours (charts only; CSS follows the theme by itself). */
  retheme?(): void;
  dispose(): void;
}

export type ViewFactory = (root: HTMLElement, payload: any) => View;

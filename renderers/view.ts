// The contract between the dispatcher and each view: built once per output, updated in place on new payloads.

export interface View {
  /** Redraw with a newer payload of the same MIME type, reusing the same elements. */
  update(payload: unknown): void;
  /** Re-read theme colours (charts only; CSS follows the theme by itself). */
  retheme?(): void;
  dispose(): void;
}

/**
 * Builds a view. Each factory names its own payload type (validate.ts has checked the payload against it before any
 * factory or update() sees it); declared as a method so a factory's narrower payload parameter is accepted.
 */
export type ViewFactory = { build(root: HTMLElement, payload: unknown): View }['build'];

// Stepper CSS, added once per document beside the renderer stylesheet. Colours only from VS Code theme variables.
export const GRAPH_STYLE = `
.lw-stepper { display: flex; flex-direction: column; gap: 6px; outline: none; }
.lw-stepper:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
.lw-stepper .lw-controls { margin: 0; }
.lw-stepper button[aria-pressed="true"] { border-color: var(--vscode-focusBorder); }
.lw-stepper button.lw-primary { font-weight: 600; border-color: var(--vscode-focusBorder); }
.lw-stepper button:disabled { opacity: 0.5; cursor: default; }
.lw-step-count { color: var(--vscode-descriptionForeground); font-variant-numeric: tabular-nums; }
.lw-term-box { border-left: 3px solid var(--vscode-charts-orange); background: var(--vscode-textBlockQuote-background);
  padding: 6px 10px; min-height: 3.4em; }
.lw-term { font-family: var(--vscode-editor-font-family, monospace); font-size: 14px; font-weight: 600; white-space: pre-wrap; }
.lw-term-detail { font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; color: var(--vscode-descriptionForeground);
  white-space: pre-wrap; }
.lw-term-detail.lw-acc { color: var(--vscode-charts-orange); font-weight: 600; }
.lw-stepper-body { display: flex; gap: 12px; align-items: flex-start; }
.lw-graph-wrap { flex: 1 1 auto; min-width: 0; overflow: auto; }
.lw-graph-svg { display: block; margin: 0 auto; }
.lw-gnode rect { fill: var(--vscode-editor-background); stroke: var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)); stroke-width: 1; }
.lw-gnode.lw-leaf rect { fill: var(--vscode-textCodeBlock-background, var(--vscode-editor-background)); }
.lw-gnode.lw-output rect { stroke-width: 2; }
.lw-gnode text { font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; fill: var(--vscode-foreground); }
.lw-gnode .lw-g-head { font-weight: 600; }
.lw-gnode .lw-g-val { fill: var(--vscode-descriptionForeground); }
.lw-gnode .lw-g-grad { fill: var(--vscode-charts-blue); }
.lw-gnode .lw-g-none { fill: var(--vscode-descriptionForeground); }
.lw-gnode.lw-current rect { stroke: var(--vscode-focusBorder); stroke-width: 3; }
.lw-gnode.lw-target rect { stroke: var(--vscode-charts-orange); stroke-width: 3; stroke-dasharray: 7 3; }
.lw-gnode.lw-compact .lw-g-head { font-weight: 400; fill: var(--vscode-descriptionForeground); }
.lw-gnode.lw-current.lw-target rect { stroke: var(--vscode-focusBorder); }
.lw-gnode.lw-changed .lw-g-grad { fill: var(--vscode-charts-orange); font-weight: 600; }
.lw-gedge path { fill: none; stroke: var(--vscode-descriptionForeground); stroke-width: 1.2; opacity: 0.75; }
.lw-gedge.lw-hot path { stroke: var(--vscode-charts-orange); stroke-width: 2.6; opacity: 1; }
.lw-arrow { fill: var(--vscode-descriptionForeground); }
.lw-arrow-hot { fill: var(--vscode-charts-orange); }
.lw-gedge-label rect { fill: var(--vscode-editor-background); stroke: var(--vscode-charts-orange); }
.lw-gedge-label text { font-family: var(--vscode-editor-font-family, monospace); font-size: 11px; fill: var(--vscode-charts-orange); font-weight: 600; }
.lw-leaf-panel { flex: 0 0 260px; }
.lw-legend { font-size: 11px; margin-top: 8px; }
.lw-stepper-body.lw-stacked { flex-direction: column; align-items: stretch; }
.lw-stacked .lw-leaf-panel { flex: none; }
.lw-stacked .lw-leaf-list { flex-direction: row; flex-wrap: wrap; gap: 6px 18px; }
.lw-leaf-list { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.lw-leaf-item { border-left: 3px solid var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)); padding: 2px 8px; }
.lw-leaf-name { font-family: var(--vscode-editor-font-family, monospace); font-weight: 600; }
.lw-leaf-val { font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; overflow-wrap: anywhere; }
.lw-leaf-final { color: var(--vscode-descriptionForeground); }
.lw-leaf-item.lw-done { border-left-color: var(--vscode-charts-green); }
.lw-leaf-item.lw-done .lw-leaf-name::after { content: ' ✓'; color: var(--vscode-charts-green); }
.lw-leaf-item.lw-changed { border-left-color: var(--vscode-charts-orange); }
.lw-leaf-item.lw-changed .lw-leaf-val:not(.lw-leaf-final) { color: var(--vscode-charts-orange); font-weight: 600; }
`;

export function ensureGraphStyle(doc: Document): void {
  if (doc.getElementById('layerwise-graph-style')) return;
  const style = doc.createElement('style');
  style.id = 'layerwise-graph-style';
  style.textContent = GRAPH_STYLE;
  doc.head.append(style);
}

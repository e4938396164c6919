// The renderer stylesheet. Chrome colours come only from VS Code theme variables (the HTML report defines the
// same variables for light and dark pages); colormaps are data colours and live in colormap.ts.
export const STYLE = `
.lw-root { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground);
  padding: 4px 0; line-height: 1.4; max-width: 100%; overflow-x: auto; }
.lw-title { font-weight: 600; margin: 0 0 2px; }
.lw-note { font-size: 11px; opacity: 0.8; margin-top: 4px; }
.lw-sub, .lw-muted { color: var(--vscode-descriptionForeground); }
.lw-mono, .lw-pre, .lw-stats { font-family: var(--vscode-editor-font-family, monospace); font-size: var(--vscode-editor-font-size, 12px); }
.lw-pre { white-space: pre; margin: 4px 0; overflow-x: auto; }
.lw-stats { display: flex; flex-wrap: wrap; gap: 2px 14px; margin: 2px 0 6px; }
.lw-stats b { font-weight: 600; }
.lw-controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 4px 0 6px; }
.lw-control { display: inline-flex; gap: 6px; align-items: center; }
.lw-root select, .lw-root button { font: inherit; color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background);
  border: 1px solid var(--vscode-dropdown-border, var(--vscode-contrastBorder, transparent)); border-radius: 2px; padding: 1px 4px; }
.lw-root button { cursor: pointer; }
.lw-root select:focus-visible, .lw-root button:focus-visible, .lw-root canvas:focus-visible, .lw-root summary:focus-visible {
  outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.lw-canvas-wrap { position: relative; display: inline-block; line-height: 0; }
.lw-canvas-wrap canvas { image-rendering: pixelated; display: block; }
.lw-cursor { position: absolute; pointer-events: none; outline: 2px solid var(--vscode-focusBorder); display: none; }
.lw-readout { min-height: 1.4em; margin-top: 4px; font-family: var(--vscode-editor-font-family, monospace); }
.lw-colorbar { display: flex; align-items: center; gap: 6px; margin-top: 4px; font-size: 11px; color: var(--vscode-descriptionForeground); }
.lw-colorbar-ramp { width: 140px; height: 10px; border: 1px solid var(--vscode-contrastBorder, transparent); }
.lw-error { border: 1px solid var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground));
  background: var(--vscode-inputValidation-errorBackground, transparent); padding: 6px 10px; margin: 4px 0; }
.lw-error-title { font-weight: 600; color: var(--vscode-errorForeground); }
.lw-info { border-left: 3px solid var(--vscode-textLink-foreground); background: var(--vscode-textBlockQuote-background);
  padding: 6px 10px; margin: 4px 0; }
.lw-warn { color: var(--vscode-editorWarning-foreground); font-weight: 600; }
.lw-bad { color: var(--vscode-errorForeground); font-weight: 600; }
.lw-flags { margin: 4px 0; display: flex; flex-direction: column; gap: 2px; }
.lw-plot { width: 100%; min-height: 80px; }
.lw-plot-loading { color: var(--vscode-descriptionForeground); padding: 8px 0; }
.lw-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.lw-table th, .lw-table td { padding: 2px 10px; text-align: right; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-contrastBorder, transparent)); }
.lw-table th { font-weight: 600; border-bottom-width: 2px; }
.lw-table th:first-child, .lw-table td:first-child { text-align: left; }
.lw-table tfoot td { border-bottom: none; font-weight: 600; }
.lw-table tbody tr:hover { background: var(--vscode-list-hoverBackground); }
.lw-values td { font-family: var(--vscode-editor-font-family, monospace); }
.lw-formulas td { text-align: left; font-family: var(--vscode-editor-font-family, monospace); color: var(--vscode-descriptionForeground); white-space: pre; }
.lw-fx { margin-left: 6px; padding: 0 4px !important; font-size: 11px; }
.lw-totals { margin-top: 6px; display: grid; grid-template-columns: max-content max-content; gap: 0 16px; font-variant-numeric: tabular-nums; }
.lw-totals span:nth-child(even) { text-align: right; }
.lw-progress { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; font-variant-numeric: tabular-nums; }
.lw-progress-track { width: 220px; height: 8px; border-radius: 4px; overflow: hidden;
  background: var(--vscode-editorWidget-border, var(--vscode-input-background)); border: 1px solid var(--vscode-contrastBorder, transparent); }
.lw-progress-fill { height: 100%; width: 0; background: var(--vscode-progressBar-background); transition: width 120ms linear; }
.lw-metric b { font-weight: 600; }
`;

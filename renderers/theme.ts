// Reads the VS Code theme (CSS variables on the webview body) into a ChartTheme for Plotly, which needs
// concrete colour strings rather than var(--…).
import { DEFAULT_THEME, type ChartTheme } from '../src/protocol/plotly';

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim();
}

/** "#rrggbb" or "rgb(r, g, b)" → "rgba(r, g, b, a)"; anything else is returned unchanged. */
export function withAlpha(colour: string, a: number): string {
  const hex = /^#([0-9a-f]{6})/i.exec(colour);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(colour);
  return rgb ? `rgba(${rgb[1].trim()}, ${rgb[2].trim()}, ${rgb[3].trim()}, ${a})` : colour;
}

export function readChartTheme(el: Element): ChartTheme {
  const v = (name: string, fallback: string) => cssVar(el, name) || fallback;
  const fg = v('--vscode-foreground', DEFAULT_THEME.fg);
  const s = DEFAULT_THEME.series;
  return {
    fg,
    grid: withAlpha(fg, 0.18),
    font: v('--vscode-font-family', DEFAULT_THEME.font),
    series: [
      v('--vscode-charts-blue', s[0]), v('--vscode-charts-orange', s[1]), v('--vscode-charts-green', s[2]),
      v('--vscode-charts-purple', s[3]), v('--vscode-charts-red', s[4]), v('--vscode-charts-yellow', s[5]),
    ],
    ok: v('--vscode-charts-blue', DEFAULT_THEME.ok),
    vanishing: v('--vscode-charts-yellow', DEFAULT_THEME.vanishing),
    exploding: v('--vscode-charts-red', DEFAULT_THEME.exploding),
    none: v('--vscode-descriptionForeground', DEFAULT_THEME.none),
    dead: v('--vscode-charts-purple', DEFAULT_THEME.dead),
  };
}

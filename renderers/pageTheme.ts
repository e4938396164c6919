// VS Code theme variables for pages outside VS Code (the HTML report, browser tests): the values of the
// default Light Modern, Dark Modern and High Contrast themes for every variable the views read.

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', system-ui, Ubuntu, 'Droid Sans', sans-serif";
const MONO = "'SF Mono', Monaco, Menlo, Consolas, 'Ubuntu Mono', 'Liberation Mono', 'DejaVu Sans Mono', 'Courier New', monospace";

export const THEMES: Record<ThemeKind, Record<string, string>> = {
  light: {
    'foreground': '#3b3b3b', 'descriptionForeground': '#6e6e6e', 'editor-background': '#ffffff',
    'focusBorder': '#005fb8', 'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
    'errorForeground': '#e51400', 'inputValidation-errorBorder': '#be1100', 'inputValidation-errorBackground': '#f2dede',
    'editorWarning-foreground': '#bf8803', 'textLink-foreground': '#005fb8', 'textBlockQuote-background': '#f8f8f8',
    'textCodeBlock-background': '#f3f3f3', 'editorWidget-border': '#d4d4d4', 'progressBar-background': '#005fb8',
    'list-hoverBackground': '#f2f2f2', 'charts-blue': '#1a85ff', 'charts-red': '#e51400', 'charts-yellow': '#bf8803',
    'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90',
  },
  dark: {
    'foreground': '#cccccc', 'descriptionForeground': '#9d9d9d', 'editor-background': '#1f1f1f',
    'focusBorder': '#0078d4', 'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
    'errorForeground': '#f85149', 'inputValidation-errorBorder': '#be1100', 'inputValidation-errorBackground': '#5a1d1d',
    'editorWarning-foreground': '#cca700', 'textLink-foreground': '#4daafc', 'textBlockQuote-background': '#2b2b2b',
    'textCodeBlock-background': '#2b2b2b', 'editorWidget-border': '#454545', 'progressBar-background': '#0078d4',
    'list-hoverBackground': '#2a2d2e', 'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
    'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
  },
  'high-contrast': {
    'foreground': '#ffffff', 'descriptionForeground': '#ffffff', 'editor-background': '#000000', 'contrastBorder': '#6fc3df',
    'focusBorder': '#f38518', 'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
    'errorForeground': '#f48771', 'inputValidation-errorBorder': '#f38518', 'inputValidation-errorBackground': '#000000',
    'editorWarning-foreground': '#ffd370', 'textLink-foreground': '#21a6ff', 'textBlockQuote-background': '#000000',
    'textCodeBlock-background': '#000000', 'editorWidget-border': '#6fc3df', 'progressBar-background': '#6fc3df',
    'list-hoverBackground': '#000000', 'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-yellow': '#ffd370',
    'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7',
  },
};

/** CSS declarations (`--vscode-x: v;`) of one theme, plus fonts. */
export function themeDeclarations(kind: ThemeKind): string {
  const vars = Object.entries(THEMES[kind]).map(([k, v]) => `--vscode-${k}: ${v};`);
  vars.push(`--vscode-font-family: ${FONT};`, '--vscode-font-size: 13px;', `--vscode-editor-font-family: ${MONO};`,
    '--vscode-editor-font-size: 12px;');
  return vars.join(' ');
}

/** A stylesheet that follows the OS light/dark preference. */
export function pageThemeCss(): string {
  return `:root { ${themeDeclarations('light')} color-scheme: light; }
@media (prefers-color-scheme: dark) { :root { ${themeDeclarations('dark')} color-scheme: dark; } }
body { background: var(--vscode-editor-background); color: var(--vscode-foreground); }`;
}

/**
 * Layer findings of the static analyser (the same DraftHint output the Draft section and the inline hints show)
 * as diagnostics: a stride or pool window that does not fit → warning, a shape mismatch the analyser proves
 * (e.g. Linear's inFeatures) → error, with the fix where one is obvious. Pure: no vscode (tested directly).
 */
import type * as TS from 'typescript';
import type { DraftHint } from '../inspector/analyzer';

export interface LayerFix {
  title: string;
  /** Offsets in the cell's text; an insertion has start === end. */
  start: number;
  end: number;
  text: string;
}

export interface LayerFinding {
  key: string;
  start: number;
  end: number;
  severity: 'error' | 'warning';
  code: 'layer-stride' | 'layer-shape';
  message: string;
  fixes: LayerFix[];
}

/** "(H_in − F + 2P)/S = (9 − 2 + 0)/2 is not an integer…" → the numbers. */
const STRIDE = /\(([\d]+) − ([\d]+) \+ ([\d]+)\)\/([\d]+)/;
/** A Linear's input-feature mismatch, as the runtime's shape check words it (the number the input has). */
const IN_FEATURES = [/has (\d+) features in its last dim, but weight \[\d+, \d+\] expects \d+ \(in_features\)/, /expects \d+ input features, got (\d+)/];

/** The ⚠/✗ lines of a hint's tooltip, without Markdown emphasis. */
function problems(tooltip: string): { severity: 'error' | 'warning'; text: string }[] {
  return tooltip.split('\n').flatMap((line) => {
    const m = /^\s*(⚠|✗)\s*(.*)$/.exec(line);
    if (!m) return [];
    return [{ severity: m[1] === '✗' ? ('error' as const) : ('warning' as const), text: m[2].replace(/\*\*/g, '').trim() }];
  });
}

/** The `new nn.X(...)` expression ending at `offset` (the outermost one, as the hint sits after it). */
function layerExpression(ts: typeof TS, sf: TS.SourceFile, offset: number): TS.NewExpression | TS.CallExpression | undefined {
  let found: TS.NewExpression | TS.CallExpression | undefined;
  const visit = (node: TS.Node): void => {
    if (node.pos > offset || node.end < offset) return;
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.end === offset && !found) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** An edit that sets `name: value` in the layer's options object (the last argument), adding it if needed. */
function setOption(ts: typeof TS, sf: TS.SourceFile, expr: TS.NewExpression | TS.CallExpression, name: string, value: string, title: string): LayerFix {
  const args = expr.arguments ?? ts.factory.createNodeArray();
  const last = args[args.length - 1];
  if (last && ts.isObjectLiteralExpression(last)) {
    const prop = last.properties.find((q) => q.name && ts.isIdentifier(q.name) && q.name.text === name);
    if (prop && ts.isPropertyAssignment(prop)) return { title, start: prop.initializer.getStart(sf), end: prop.initializer.end, text: value };
    const at = last.properties.length ? last.properties[last.properties.length - 1].end : last.getStart(sf) + 1;
    return { title, start: at, end: at, text: last.properties.length ? `, ${name}: ${value}` : ` ${name}: ${value} ` };
  }
  const at = last ? last.end : expr.end - 1;
  return { title, start: at, end: at, text: last ? `, { ${name}: ${value} }` : `{ ${name}: ${value} }` };
}

/**
 * For a window that does not fit: the smallest padding that makes it fit (PyTorch allows up to half the
 * window); else, for a pool, ceilMode (the last window takes the rest of the input); else, for a convolution
 * with an odd kernel, the "same" padding (k−1)/2, which keeps the size (÷ stride).
 */
function strideFix(ts: typeof TS, sf: TS.SourceFile, expr: TS.NewExpression | TS.CallExpression, text: string): LayerFix | undefined {
  const m = STRIDE.exec(text);
  if (!m) return undefined;
  const [h, f, twoP, s] = m.slice(1, 5).map(Number);
  for (let p = twoP / 2 + 1; p <= Math.floor(f / 2); p++) {
    if ((h - f + 2 * p) % s !== 0) continue;
    return setOption(ts, sf, expr, 'padding', String(p), `Set padding: ${p} so the window fits (output ${(h - f + 2 * p) / s + 1})`);
  }
  const type = expr.expression.getText(sf);
  if (/Pool/.test(type)) {
    return setOption(ts, sf, expr, 'ceilMode', 'true', `Set ceilMode: true (the last window covers the remaining input; output ${Math.ceil((h - f + twoP) / s) + 1})`);
  }
  if (/Conv/.test(type) && f % 2 === 1 && twoP / 2 !== (f - 1) / 2) {
    const p = (f - 1) / 2;
    return setOption(ts, sf, expr, 'padding', String(p), `Set padding: ${p}, which keeps the size (output ${Math.floor((h - f + 2 * p) / s) + 1})`);
  }
  return undefined;
}

function inFeaturesFix(sf: TS.SourceFile, expr: TS.NewExpression | TS.CallExpression, text: string): LayerFix | undefined {
  const got = IN_FEATURES.map((re) => re.exec(text)?.[1]).find((x) => x !== undefined);
  const first = expr.arguments?.[0];
  if (!got || !first || !/Linear/.test(expr.expression.getText(sf))) return undefined;
  return { title: `Set inFeatures to ${got} (what the previous layer gives)`, start: first.getStart(sf), end: first.end, text: got };
}

/** Findings for the cells (key → text) from the analyser's hints. */
export function layerFindings(ts: typeof TS, hints: readonly DraftHint[], texts: ReadonlyMap<string, string>): LayerFinding[] {
  const parsed = new Map<string, TS.SourceFile>();
  const out: LayerFinding[] = [];
  for (const h of hints) {
    if (h.state !== 'warning' && h.state !== 'error') continue;
    const text = texts.get(h.key);
    if (text === undefined) continue;
    let sf = parsed.get(h.key);
    if (!sf) parsed.set(h.key, (sf = ts.createSourceFile('cell.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)));
    const expr = layerExpression(ts, sf, h.offset);
    const start = expr ? expr.getStart(sf) : Math.max(0, h.offset - 1);
    const seen = new Set<string>();
    for (const p of problems(h.tooltip)) {
      // the H and W warnings often say the same; one diagnostic per distinct text
      const same = STRIDE.exec(p.text)?.[0] ?? p.text;
      if (seen.has(same)) continue;
      seen.add(same);
      const fix = expr && (p.severity === 'warning' ? strideFix(ts, sf, expr, p.text) : inFeaturesFix(sf, expr, p.text));
      out.push({ key: h.key, start, end: h.offset, severity: p.severity, code: p.severity === 'warning' ? 'layer-stride' : 'layer-shape',
        message: p.text, fixes: fix ? [fix] : [] });
    }
  }
  return out;
}

/**
 * Evaluates the literal parts of an expression with the TypeScript AST: numbers, strings, booleans, null, arrays,
 * object literals, arithmetic on those, names bound to such a literal by `const`, and layer constructions
 * (`new nn.Conv2d(...)`, `nn.meta(() => …)`, `models.resnet18()`, names bound to an earlier layer). Anything
 * else is UNKNOWN.
 */
import type * as TS from 'typescript';
import { isLayer, KNOWN_LAYERS, makeLayer, UNKNOWN, unknownLayer, type DraftLayer, type Value } from './layers';
import { zooModel } from './zoo';

export interface Scope {
  /** `const` names bound to literals, and names bound to layers. */
  values: Map<string, Value>;
  /** Called for every layer construction met, with its source range. */
  onLayer?: (layer: DraftLayer, node: TS.Node) => void;
  key: string;
  sf: TS.SourceFile;
}

/** `nn.Conv2d`, `layerwise.nn.Conv2d`, bare `Conv2d` → "Conv2d"; `models.resnet18` → "models.resnet18". */
function calleeName(ts: typeof TS, e: TS.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const owner = ts.isIdentifier(e.expression) ? e.expression.text : ts.isPropertyAccessExpression(e.expression) ? e.expression.name.text : '';
  if (owner === 'nn') return e.name.text;
  if (owner === 'models') return `models.${e.name.text}`;
  return undefined;
}

function arith(op: TS.SyntaxKind, a: Value, b: Value, ts: typeof TS): Value {
  if (typeof a !== 'number' || typeof b !== 'number') return UNKNOWN;
  switch (op) {
    case ts.SyntaxKind.PlusToken: return a + b;
    case ts.SyntaxKind.MinusToken: return a - b;
    case ts.SyntaxKind.AsteriskToken: return a * b;
    case ts.SyntaxKind.SlashToken: return a / b;
    default: return UNKNOWN;
  }
}

function construct(ts: typeof TS, node: TS.NewExpression | TS.CallExpression, s: Scope): Value {
  const name = calleeName(ts, node.expression);
  if (!name) return UNKNOWN;
  const args = (node.arguments ?? []).map((a) => (ts.isSpreadElement(a) ? UNKNOWN : evaluate(ts, a, s)));
  let layer: DraftLayer | undefined;
  if (ts.isNewExpression(node)) {
    // `new nn.X(...)`: a layer (unknown X → `?`); a bare `new X(...)`: only a known layer class, else an opaque block
    const bare = ts.isIdentifier(node.expression);
    if (name.startsWith('models.') || !/^[A-Z]/.test(name)) return UNKNOWN;
    layer = !bare || KNOWN_LAYERS.has(name) ? makeLayer(name, args) : unknownLayer(name);
  }
  else if (name === 'meta' && node.arguments.length === 1) {
    const fn = node.arguments[0];
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !ts.isBlock(fn.body)) return evaluate(ts, fn.body, s);
    return UNKNOWN;
  } else if (name.startsWith('models.')) layer = zooModel(name.slice(7), args[0]);
  if (!layer) return UNKNOWN;
  layer.at = { key: s.key, pos: node.getStart(s.sf), end: node.end };
  s.onLayer?.(layer, node);
  return layer;
}

export function evaluate(ts: typeof TS, node: TS.Expression, s: Scope): Value {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) {
    return evaluate(ts, node.expression, s);
  }
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isIdentifier(node)) return node.text === 'undefined' ? undefined : s.values.has(node.text) ? s.values.get(node.text)! : UNKNOWN;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const v = evaluate(ts, node.operand, s);
    return typeof v === 'number' ? -v : UNKNOWN;
  }
  if (ts.isBinaryExpression(node)) return arith(node.operatorToken.kind, evaluate(ts, node.left, s), evaluate(ts, node.right, s), ts);
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => (ts.isSpreadElement(e) || ts.isOmittedExpression(e) ? UNKNOWN : evaluate(ts, e, s)));
  if (ts.isObjectLiteralExpression(node)) return objectLiteral(ts, node, s);
  if (ts.isNewExpression(node) || ts.isCallExpression(node)) return construct(ts, node, s);
  return UNKNOWN;
}

function objectLiteral(ts: typeof TS, node: TS.ObjectLiteralExpression, s: Scope): Value {
  const out: Record<string, Value> = {};
  for (const p of node.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) out[p.name.text] = evaluate(ts, p.initializer, s);
    else if (ts.isShorthandPropertyAssignment(p)) out[p.name.text] = s.values.get(p.name.text) ?? UNKNOWN;
    else return UNKNOWN; // spreads, computed keys, methods: the options are not known
  }
  return out;
}

/** A literal shape ([1, 3, 224, 224]) or undefined. */
export function literalShape(v: Value): number[] | undefined {
  return Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0) ? (v as number[]) : undefined;
}

export { isLayer };

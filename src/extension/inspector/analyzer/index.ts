/**
 * The static analyser behind the Draft section and the inline hints: reads cell/file sources as the user types
 * (TypeScript's parser recovers from syntax errors, so partial code still yields what it can), finds layer
 * constructions with literal arguments and an input shape declaration (`model.inputShape = [...]`,
 * `summary(model, [...])`, or `model(randn([...]))`), and propagates shapes through Sequential chains with the
 * runtime's pure shape functions. Pure: no VS Code, never throws.
 */
import type * as TS from 'typescript';
import type { InspectModel } from '../types';
import { evaluate, literalShape, type Scope } from './evaluate';
import { isLayer, UNKNOWN, type DraftLayer, type Value } from './layers';
import { modelFromDraft, type SourceInfo } from './propagate';

export interface DraftSource {
  /** Identifies the document (a cell's or file's URI). */
  key: string;
  text: string;
  /** 0-based index of the cell in its notebook (constructedAt "Cell N:…" for reveal). */
  cellIndex?: number;
  /** Path of a plain .ts file. */
  file?: string;
}

export interface DraftHint {
  key: string;
  /** Offset in the source right after the layer expression. */
  offset: number;
  label: string;
  /** Markdown: the arithmetic. */
  tooltip: string;
  state: 'known' | 'unknown' | 'error' | 'warning';
}

export interface DraftResult {
  models: InspectModel[];
  hints: DraftHint[];
}

let tsModule: typeof TS | undefined;
function getTs(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tsModule ??= require('typescript') as typeof TS;
  return tsModule;
}

const FORWARD_INPUTS = new Set(['randn', 'rand', 'zeros', 'ones', 'empty']);

interface State {
  ts: typeof TS;
  values: Map<string, Value>;
  defs: Map<string, { layer: DraftLayer; key: string }>;
  inputs: Map<string, number[]>;
}

function bind(st: State, name: string, v: Value, key: string, isConst: boolean): void {
  if (isLayer(v)) {
    st.values.set(name, v);
    if (v.opaque) st.defs.delete(name);
    else st.defs.set(name, { layer: v, key });
  } else {
    st.defs.delete(name);
    if (isConst && v !== UNKNOWN) st.values.set(name, v);
    else st.values.delete(name);
  }
}

/** `X.inputShape = [...]`, `X = expr`, `X.append(layer)` at statement level. */
function expressionStatement(st: State, e: TS.Expression, s: Scope): void {
  const { ts } = st;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    if (ts.isIdentifier(e.left)) return bind(st, e.left.text, evaluate(ts, e.right, s), s.key, false);
    if (ts.isPropertyAccessExpression(e.left) && ts.isIdentifier(e.left.expression) && e.left.name.text === 'inputShape') {
      const v = evaluate(ts, e.right, s);
      const shape = literalShape(v) ?? (Array.isArray(v) ? literalShape(v[0]) : undefined);
      if (shape) st.inputs.set(e.left.expression.text, shape);
    }
    return;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'append' && ts.isIdentifier(e.expression.expression)) {
    const target = st.values.get(e.expression.expression.text);
    const child = e.arguments[0] ? evaluate(ts, e.arguments[0], s) : UNKNOWN;
    if (isLayer(target) && target.type === 'Sequential' && isLayer(child)) {
      target.children.push(child);
      target.params += child.params;
    }
  }
}

/** Input shapes from `summary(X, [...])` and `X(randn([...]))` anywhere in the source. */
function findInputs(st: State, node: TS.Node, s: Scope): void {
  const { ts } = st;
  if (ts.isCallExpression(node) && node.arguments.length >= 1) {
    const callee = node.expression;
    const fname = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const a0 = node.arguments[0];
    if (fname === 'summary' && ts.isIdentifier(a0) && node.arguments[1]) {
      const v = evaluate(ts, node.arguments[1], s);
      const shape = literalShape(v) ?? (Array.isArray(v) ? literalShape(v[0]) : undefined);
      if (shape) st.inputs.set(a0.text, shape);
    } else if (ts.isIdentifier(callee) && st.defs.has(callee.text) && ts.isCallExpression(a0) && a0.arguments[0]) {
      const inner = a0.expression;
      const maker = ts.isIdentifier(inner) ? inner.text : ts.isPropertyAccessExpression(inner) ? inner.name.text : '';
      const shape = FORWARD_INPUTS.has(maker) ? literalShape(evaluate(ts, a0.arguments[0], s)) : undefined;
      if (shape && !st.inputs.has(callee.text)) st.inputs.set(callee.text, shape);
    }
  }
  ts.forEachChild(node, (c) => findInputs(st, c, s));
}

function readSource(st: State, src: DraftSource): SourceInfo {
  const { ts } = st;
  const sf = ts.createSourceFile(`${src.key}.ts`, src.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const s: Scope = { values: st.values, key: src.key, sf };
  for (const stmt of sf.statements) {
    try {
      if (ts.isVariableStatement(stmt)) {
        const isConst = (stmt.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const d of stmt.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) bind(st, d.name.text, d.initializer ? evaluate(ts, d.initializer, s) : UNKNOWN, src.key, isConst);
        }
      } else if (ts.isExpressionStatement(stmt)) expressionStatement(st, stmt.expression, s);
      findInputs(st, stmt, s);
    } catch {
      // one odd statement never breaks the rest
    }
  }
  return { sf, src };
}

export function analyze(sources: DraftSource[], ts: typeof TS = getTs()): DraftResult {
  const st: State = { ts, values: new Map(), defs: new Map(), inputs: new Map() };
  const infos = new Map<string, SourceInfo>();
  for (const src of sources) {
    try {
      infos.set(src.key, readSource(st, src));
    } catch {
      // a source the parser cannot even read contributes nothing
    }
  }
  const hints = new Map<string, DraftHint>();
  const models: InspectModel[] = [];
  for (const [name, def] of st.defs) {
    try {
      models.push(modelFromDraft(name, def.layer, st.inputs.get(name) ?? null, infos, hints));
    } catch {
      // keep the other models
    }
  }
  return { models, hints: [...hints.values()] };
}

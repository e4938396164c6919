/**
 * The static analyser behind the Draft section and the inline hints: reads cell/file sources as the user types
 * (TypeScript's parser recovers from syntax errors, so partial code still yields what it can), builds the models
 * they describe with the REAL runtime in meta mode (layer constructors, user nn.Module subclasses, zoo models,
 * tensors of literal shapes), and runs the same summary() the live tree runs. Input shapes come from
 * `model.inputShape = [...]`, `summary(model, [...])`, `model(randn([...]))` or `model(x)` with a known `x`.
 * Pure of VS Code; never throws.
 */
import type * as TS from 'typescript';
import type { InspectModel } from '../types';
import { evaluate, type Env } from './evaluate';
import { globals } from './scope';
import { callFunction, classFor, userMethod, type ClassInfo, type Program } from './exec';
import { draftModel, failureHints, type Drafting, type SourceInfo } from './propagate';
import { loadRuntime, type Module, type RT } from './runtime';
import { Failure, literalShape, placeholderReason } from './values';

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
  /** Markdown: the arithmetic, or why a value is `?`. */
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

interface State {
  prog: Program;
  env: Env;
  /** top-level names bound to modules, in binding order */
  defs: Map<string, Module>;
  inputs: Map<string, Input>;
  keys: Map<TS.SourceFile, string>;
}

/** A declared input: its shapes and, for a tensor held in a variable, its dtype (integer indices for Embedding). */
interface Input {
  shapes: number[][];
  dtype?: 'float32' | 'float64' | 'int32';
}

function shapesOf(v: unknown, rt: RT): Input | undefined {
  if (rt.isTensor(v))
    return { shapes: [[...v.shape]], dtype: v.dtype === 'float64' ? 'float64' : v.dtype === 'float32' ? 'float32' : 'int32' };
  const one = literalShape(v);
  if (one) return { shapes: [one] };
  if (Array.isArray(v) && v.length && v.every((x) => literalShape(x))) return { shapes: v as number[][] };
  return undefined;
}

/** Input shapes from `summary(X, [...])` and `X(tensor)` anywhere in the source. */
function findInputs(st: State, node: TS.Node): void {
  const { ts, rt } = st.prog;
  if (ts.isCallExpression(node) && node.arguments.length >= 1) {
    const callee = node.expression;
    const fname = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const a0 = node.arguments[0];
    try {
      if (fname === 'summary' && ts.isIdentifier(a0) && node.arguments[1]) {
        const s = shapesOf(evaluate(st.env, node.arguments[1]), rt);
        if (s) st.inputs.set(a0.text, s);
      } else if (ts.isIdentifier(callee) && st.defs.has(callee.text) && !st.inputs.has(callee.text)) {
        const s = shapesOf(evaluate({ ...st.env, vars: new Map(st.env.vars) }, a0), rt);
        if (s) st.inputs.set(callee.text, s);
      }
    } catch {
      // not an input declaration
    }
  }
  ts.forEachChild(node, (c) => findInputs(st, c));
}

function bind(st: State, name: string, v: unknown): void {
  st.env.vars.set(name, v);
  if (v instanceof st.prog.rt.nn.Module && !placeholderReason(v)) st.defs.set(name, v);
  else st.defs.delete(name);
}

function statement(st: State, stmt: TS.Statement): void {
  const { ts } = st.prog;
  if (ts.isImportDeclaration(stmt)) return; // `import { nn } from 'layerwise'`: the globals already say so
  if (ts.isClassDeclaration(stmt) && stmt.name) {
    const ext = stmt.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    const base = ext ? (ts.isIdentifier(ext) && st.prog.classes.get(ext.text)) || evaluate(st.env, ext) : undefined;
    const rt = st.prog.rt;
    const ok =
      base &&
      (typeof base === 'object'
        ? 'node' in base
        : base === rt.nn.Module || (base as { prototype?: unknown }).prototype instanceof rt.nn.Module);
    if (ok) st.prog.classes.set(stmt.name.text, { name: stmt.name.text, node: stmt, base: base as ClassInfo['base'] });
    return;
  }
  if (ts.isFunctionDeclaration(stmt) && stmt.name) {
    st.prog.functions.set(stmt.name.text, stmt);
    return;
  }
  if (ts.isVariableStatement(stmt)) {
    for (const d of stmt.declarationList.declarations)
      if (ts.isIdentifier(d.name)) bind(st, d.name.text, d.initializer ? evaluate(st.env, d.initializer) : undefined);
    return;
  }
  if (ts.isExpressionStatement(stmt)) {
    const e = stmt.expression;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(e.left))
      bind(st, e.left.text, evaluate(st.env, e.right));
    else if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && st.defs.has(e.expression.text))
      return; // a forward call: an input, not an effect
    else evaluate(st.env, e);
  }
}

function readSource(st: State, src: DraftSource): SourceInfo {
  const { ts } = st.prog;
  const sf = ts.createSourceFile(`${src.key}.ts`, src.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  st.keys.set(sf, src.key);
  for (const stmt of sf.statements) {
    try {
      statement(st, stmt);
      findInputs(st, stmt);
    } catch {
      // one odd statement never breaks the rest
    }
  }
  return { sf, src };
}

export interface AnalyzeEnv {
  ts?: typeof TS;
  /** The runtime to build drafts with (default: the bundle beside the extension). */
  rt?: RT;
}

export function analyze(sources: DraftSource[], opts: AnalyzeEnv = {}): DraftResult {
  const ts = opts.ts ?? getTs();
  let rt: RT;
  try {
    rt = opts.rt ?? loadRuntime();
  } catch {
    return { models: [], hints: [] };
  }
  const sites: Drafting['sites'] = new Map();
  const keys = new Map<TS.SourceFile, string>();
  const g = globals(rt);
  const prog: Program = {
    ts,
    rt,
    classes: new Map(),
    functions: new Map(),
    globals: g,
    onLayer: (v, node) => {
      const sf = node.getSourceFile();
      const key = keys.get(sf);
      if (key !== undefined && (v instanceof rt.nn.Module || v instanceof Failure) && !sites.has(v as Module))
        sites.set(v as Module, { key, pos: node.getStart(sf), end: node.end });
    },
    onInputShape: (name, v) => {
      const s = shapesOf(v, rt);
      if (s) st.inputs.set(name, s);
    },
    instantiate: (info, a) => new (classFor(prog, info))(...a),
    userMethod: (self, name) => userMethod(prog, self, name),
    callFunction: (name, a, env) => callFunction(prog, name, a, env),
  };
  const st: State = { prog, env: { prog, vars: g, strict: false }, defs: new Map(), inputs: new Map(), keys };
  const infos = new Map<string, SourceInfo>();
  for (const src of sources) {
    try {
      infos.set(src.key, readSource(st, src));
    } catch {
      // a source the parser cannot even read contributes nothing
    }
  }
  const d: Drafting = { rt, infos, sites, hints: new Map() };
  const models: InspectModel[] = [];
  for (const [name, model] of st.defs) {
    try {
      const input = st.inputs.get(name) ?? (model.inputShape ? { shapes: [model.inputShape] } : undefined);
      models.push(draftModel(d, name, model, input?.shapes ?? null, input?.dtype));
    } catch {
      // keep the other models
    }
  }
  failureHints(d);
  return { models, hints: [...d.hints.values()] };
}

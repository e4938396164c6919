/**
 * Evaluates expressions of cell code with the TypeScript AST against the real runtime in meta mode: literals and
 * arithmetic, `const` names, layer constructions (`new nn.Conv2d(...)`, user `nn.Module` subclasses, `models.*()`,
 * `nn.meta(() => …)`), tensors of a literal shape (`randn([1, 3, 32, 32])`), `F.*` and tensor methods on meta
 * tensors, module calls. Anything else is an Unknown carrying the reason. Never runs user code: only the AST is
 * interpreted, and only shape-level runtime functions are reachable (allow-lists in scope.ts).
 */
import type * as TS from 'typescript';
import { metaRun, type Module } from './runtime';
import { isModule, isNs, isTensor, MODULE_METHODS, NS, ns, nsMember, TENSOR_DENY, text } from './scope';
import { Failure, isPlainObject, isUnknown, placeholder, Unknown, UnknownSignal } from './values';
import type { Program } from './exec';

export interface Env {
  prog: Program;
  vars: Map<string, unknown>;
  /** `this` inside a class body. */
  self?: Module;
  /** Inside forward(): an unknown value stops the pass (UnknownSignal) instead of flowing on. */
  strict: boolean;
}

/** An Unknown inside forward() stops the pass with its reason. */
export function check(env: Env, v: unknown): unknown {
  if (env.strict && isUnknown(v)) throw new UnknownSignal(v.reason);
  return v;
}

/** Runs a runtime call in meta mode; a runtime error becomes a Failure at top level and propagates inside forward(). */
function call(env: Env, fn: () => unknown): unknown {
  if (env.strict) return metaRun(env.prog.rt, fn);
  try {
    return metaRun(env.prog.rt, fn);
  } catch (e) {
    if (e instanceof UnknownSignal) return new Unknown(e.reason);
    return new Failure((e as Error)?.message ?? String(e));
  }
}

function args(env: Env, list: readonly TS.Expression[] | undefined): unknown[] | Unknown {
  const out: unknown[] = [];
  for (const a of list ?? []) {
    if (env.prog.ts.isSpreadElement(a)) {
      const v = evaluate(env, a.expression);
      if (!Array.isArray(v)) return new Unknown(`the spread '${text(env, a)}' is not a known array`);
      out.push(...v);
      continue;
    }
    const v = evaluate(env, a);
    if (isUnknown(v)) return new Unknown(`argument '${text(env, a)}': ${v.reason}`);
    if (v instanceof Failure) return v as unknown as Unknown;
    out.push(v);
  }
  return out;
}

function binary(env: Env, node: TS.BinaryExpression): unknown {
  const { ts } = env.prog;
  const op = node.operatorToken.kind;
  if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.PlusEqualsToken) {
    const right =
      op === ts.SyntaxKind.EqualsToken
        ? evaluate(env, node.right)
        : arith(env, ts.SyntaxKind.PlusToken, evaluate(env, node.left), evaluate(env, node.right));
    assign(env, node.left, right);
    return right;
  }
  if (op === ts.SyntaxKind.QuestionQuestionToken) {
    const l = evaluate(env, node.left);
    return l === null || l === undefined ? evaluate(env, node.right) : l;
  }
  if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
    const l = evaluate(env, node.left);
    if (isUnknown(l)) return l;
    return (op === ts.SyntaxKind.BarBarToken ? l : !l) ? l : evaluate(env, node.right);
  }
  return arith(env, op, evaluate(env, node.left), evaluate(env, node.right));
}

function arith(env: Env, op: TS.SyntaxKind, a: unknown, b: unknown): unknown {
  const { ts, rt } = env.prog;
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  if (isTensor(env, a) || isTensor(env, b)) {
    const f =
      op === ts.SyntaxKind.PlusToken
        ? rt.add
        : op === ts.SyntaxKind.MinusToken
          ? rt.sub
          : op === ts.SyntaxKind.AsteriskToken
            ? rt.mul
            : op === ts.SyntaxKind.SlashToken
              ? rt.div
              : null;
    return f ? call(env, () => f(a as never, b as never)) : new Unknown('this operator on tensors is not evaluated');
  }
  if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) return a === b;
  if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return a !== b;
  if (typeof a === 'string' && typeof b === 'string' && op === ts.SyntaxKind.PlusToken) return a + b;
  if (typeof a !== 'number' || typeof b !== 'number') return new Unknown('arithmetic on values that are not known numbers');
  switch (op) {
    case ts.SyntaxKind.PlusToken:
      return a + b;
    case ts.SyntaxKind.MinusToken:
      return a - b;
    case ts.SyntaxKind.AsteriskToken:
      return a * b;
    case ts.SyntaxKind.SlashToken:
      return a / b;
    case ts.SyntaxKind.PercentToken:
      return a % b;
    case ts.SyntaxKind.AsteriskAsteriskToken:
      return a ** b;
    case ts.SyntaxKind.LessThanToken:
      return a < b;
    case ts.SyntaxKind.LessThanEqualsToken:
      return a <= b;
    case ts.SyntaxKind.GreaterThanToken:
      return a > b;
    case ts.SyntaxKind.GreaterThanEqualsToken:
      return a >= b;
    default:
      return new Unknown('this operator is not evaluated');
  }
}

/** `x = v`, `this.fc = v`, `arr[i] = v`. */
export function assign(env: Env, target: TS.Expression, v: unknown): void {
  const { ts } = env.prog;
  if (ts.isIdentifier(target)) env.vars.set(target.text, v);
  else if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword && env.self) {
    (env.self as unknown as Record<string, unknown>)[target.name.text] = isUnknown(v) ? placeholder(env.prog.rt, '?', v.reason) : v;
  } else if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && target.name.text === 'inputShape') {
    env.prog.onInputShape?.(target.expression.text, v);
  }
}

function member(env: Env, obj: unknown, name: string): unknown {
  if (isUnknown(obj)) return obj;
  if (isNs(obj)) return nsMember(env.prog.rt, obj, name) ?? new Unknown(`'${name}' is not something the Draft evaluates`);
  if (isTensor(env, obj)) {
    if (name === 'shape') return [...obj.shape];
    if (name === 'ndim' || name === 'dtype') return obj[name];
    return new Unknown(`tensor property '${name}' is not known before running`);
  }
  if (Array.isArray(obj) && name === 'length') return obj.length;
  if (isModule(env, obj) || isPlainObject(obj)) {
    const v = (obj as unknown as Record<string, unknown>)[name];
    return v === undefined && !(name in (obj as object)) ? new Unknown(`'${name}' is not set`) : v;
  }
  return new Unknown(`'.${name}' of a value that is not known`);
}

function callExpression(env: Env, node: TS.CallExpression): unknown {
  const { ts, rt } = env.prog;
  const callee = node.expression;
  // method calls: tensor methods, module methods, user-class methods, array push
  if (ts.isPropertyAccessExpression(callee)) {
    const target = evaluate(env, callee.expression);
    const name = callee.name.text;
    if (isNs(target) && target[NS] === 'nn' && name === 'meta') {
      const fn = node.arguments[0];
      if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !ts.isBlock(fn.body)) return evaluate(env, fn.body);
      return new Unknown('nn.meta() of a function with a body');
    }
    if (isTensor(env, target) && !TENSOR_DENY.has(name) && typeof (target as unknown as Record<string, unknown>)[name] === 'function') {
      const a = args(env, node.arguments);
      return isUnknown(a) || a instanceof Failure
        ? a
        : call(env, () => (target as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a));
    }
    if (isModule(env, target)) {
      const a = args(env, node.arguments);
      if (isUnknown(a) || a instanceof Failure) return a;
      const child = (target as unknown as Record<string, unknown>)[name];
      if (isModule(env, child)) return call(env, () => (child as unknown as (...x: unknown[]) => unknown)(...a));
      const user = env.prog.userMethod(target, name);
      if (user) return user(a);
      if (MODULE_METHODS.has(name)) return call(env, () => (target as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a));
      return new Unknown(`module method '${name}' is not evaluated`);
    }
    if (Array.isArray(target) && name === 'push') {
      const a = args(env, node.arguments);
      if (isUnknown(a)) return a;
      return target.push(...(a as unknown[]));
    }
  }
  if (ts.isIdentifier(callee) && env.prog.functions.has(callee.text) && !env.vars.has(callee.text)) {
    const a = args(env, node.arguments);
    return isUnknown(a) || a instanceof Failure ? a : env.prog.callFunction(callee.text, a, env);
  }
  const fn = evaluate(env, callee);
  if (isUnknown(fn)) return fn;
  const a = args(env, node.arguments);
  if (isUnknown(a) || a instanceof Failure) return a;
  if (isModule(env, fn)) return call(env, () => (fn as unknown as (...x: unknown[]) => unknown)(...a));
  if (typeof fn === 'function' && !(fn.prototype instanceof rt.nn.Module)) {
    const made = call(env, () => (fn as (...x: unknown[]) => unknown)(...a));
    if (isModule(env, made)) env.prog.onLayer?.(made, node);
    return made;
  }
  return new Unknown(`'${text(env, callee)}' is not something the Draft evaluates`);
}

function newExpression(env: Env, node: TS.NewExpression): unknown {
  const { ts, rt } = env.prog;
  const e = node.expression;
  const typeName = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '?';
  const user = ts.isIdentifier(e) ? env.prog.classes.get(e.text) : undefined;
  const cls = user ? undefined : ts.isIdentifier(e) && !env.vars.has(e.text) ? nsMember(rt, ns('nn'), e.text) : evaluate(env, e);
  if (!user && typeof cls !== 'function') {
    // `new Map()` and other non-layer classes are not layers; an unknown capitalised class inside a model is `?`
    return /^[A-Z]/.test(typeName) && (ts.isPropertyAccessExpression(e) || !globalThis[typeName as keyof typeof globalThis])
      ? record(env, node, placeholder(rt, typeName, `'${typeName}' is not a class the Draft knows (defined elsewhere or not a layer)`))
      : new Unknown(`'new ${typeName}' is not a layer`);
  }
  const a = args(env, node.arguments);
  if (isUnknown(a)) return record(env, node, placeholder(rt, typeName, a.reason));
  if (a instanceof Failure) return a;
  const made = user ? call(env, () => env.prog.instantiate(user, a)) : call(env, () => new (cls as new (...x: unknown[]) => unknown)(...a));
  return record(env, node, made);
}

function record(env: Env, node: TS.Node, v: unknown): unknown {
  if (isModule(env, v) || v instanceof Failure) env.prog.onLayer?.(v, node);
  return v;
}

function objectLiteral(env: Env, node: TS.ObjectLiteralExpression): unknown {
  const { ts } = env.prog;
  const out: Record<string, unknown> = {};
  for (const p of node.properties) {
    let key: string;
    let v: unknown;
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
      [key, v] = [p.name.text, evaluate(env, p.initializer)];
    else if (ts.isShorthandPropertyAssignment(p)) [key, v] = [p.name.text, evaluate(env, p.name)];
    else return new Unknown('an options object with spreads, computed keys or methods');
    if (isUnknown(v)) return new Unknown(`option '${key}': ${v.reason}`);
    out[key] = v;
  }
  return out;
}

export function evaluate(env: Env, node: TS.Expression): unknown {
  const { ts } = env.prog;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node))
    return evaluate(env, node.expression);
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
      return true;
    case ts.SyntaxKind.FalseKeyword:
      return false;
    case ts.SyntaxKind.NullKeyword:
      return null;
    case ts.SyntaxKind.ThisKeyword:
      return env.self ?? new Unknown('`this` outside a class');
    default:
      break; // every other kind is handled below
  }
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return undefined;
    return env.vars.has(node.text) ? env.vars.get(node.text) : new Unknown(`'${node.text}' is not known before running`);
  }
  if (ts.isPrefixUnaryExpression(node)) {
    const v = evaluate(env, node.operand);
    if (node.operator === ts.SyntaxKind.MinusToken)
      return typeof v === 'number'
        ? -v
        : isTensor(env, v)
          ? call(env, () => env.prog.rt.neg(v))
          : new Unknown('negation of an unknown value');
    if (node.operator === ts.SyntaxKind.ExclamationToken) return isUnknown(v) ? v : !v;
    if (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) {
      const r = arith(env, node.operator === ts.SyntaxKind.PlusPlusToken ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken, v, 1);
      assign(env, node.operand, r);
      return r;
    }
    return new Unknown('this unary operator is not evaluated');
  }
  if (ts.isPostfixUnaryExpression(node)) {
    const v = evaluate(env, node.operand);
    assign(
      env,
      node.operand,
      arith(env, node.operator === ts.SyntaxKind.PlusPlusToken ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken, v, 1),
    );
    return v;
  }
  if (ts.isBinaryExpression(node)) return binary(env, node);
  if (ts.isConditionalExpression(node)) {
    const c = evaluate(env, node.condition);
    return isUnknown(c) ? c : evaluate(env, c ? node.whenTrue : node.whenFalse);
  }
  if (ts.isArrayLiteralExpression(node)) {
    const a = args(
      env,
      node.elements.filter((e) => !ts.isOmittedExpression(e)),
    );
    return isUnknown(a) ? new Unknown(`an array element is not known (${a.reason})`) : a;
  }
  if (ts.isObjectLiteralExpression(node)) return objectLiteral(env, node);
  if (ts.isPropertyAccessExpression(node)) return member(env, evaluate(env, node.expression), node.name.text);
  if (ts.isElementAccessExpression(node)) {
    const o = evaluate(env, node.expression);
    const i = evaluate(env, node.argumentExpression);
    if (Array.isArray(o) && typeof i === 'number') return o[i < 0 ? o.length + i : i];
    if (isModule(env, o) && typeof i === 'number' && typeof (o as unknown as { at?: unknown }).at === 'function')
      return call(env, () => (o as unknown as { at(i: number): unknown }).at(i));
    return new Unknown(`'${text(env, node)}' is not known`);
  }
  if (ts.isNewExpression(node)) return newExpression(env, node);
  if (ts.isCallExpression(node)) return callExpression(env, node);
  return new Unknown(`'${text(env, node)}' is not evaluated before running`);
}

/**
 * Statements, user functions and user `nn.Module` subclasses. A class declared in a cell becomes a real runtime
 * Module subclass whose constructor and forward() are interpreted from the AST (fields, `super(...)`, loops,
 * `if`, calls of fields, `F.*`, tensor methods, residual adds), so summary() of it runs exactly as the live one.
 */
import type * as TS from 'typescript';
import { assign, check, evaluate, type Env } from './evaluate';
import type { Module, RT } from './runtime';
import { isUnknown, Unknown, UnknownSignal } from './values';

export interface Program {
  ts: typeof TS;
  rt: RT;
  classes: Map<string, ClassInfo>;
  functions: Map<string, TS.FunctionDeclaration>;
  /** The top-level scope the classes and functions close over. */
  globals: Map<string, unknown>;
  onLayer?: (v: unknown, node: TS.Node) => void;
  onInputShape?: (name: string, v: unknown) => void;
  instantiate(info: ClassInfo, args: unknown[]): Module;
  userMethod(self: Module, name: string): ((args: unknown[]) => unknown) | undefined;
  callFunction(name: string, args: unknown[], env: Env): unknown;
}

export interface ClassInfo {
  name: string;
  node: TS.ClassDeclaration;
  /** The runtime class it extends (nn.Module, nn.Sequential, …) or another user class. */
  base: (new (...a: unknown[]) => Module) | ClassInfo;
  made?: new (...a: unknown[]) => Module;
}

const MAX_STEPS = 10_000;
type Flow = { returned: true; value: unknown } | { returned: false };

function bindParams(env: Env, params: readonly TS.ParameterDeclaration[], args: unknown[]): void {
  const { ts } = env.prog;
  params.forEach((p, i) => {
    const given = p.dotDotDotToken ? args.slice(i) : args[i];
    const v = given === undefined && p.initializer ? evaluate(env, p.initializer) : given;
    if (ts.isIdentifier(p.name)) env.vars.set(p.name.text, v);
    else if (ts.isObjectBindingPattern(p.name)) {
      const o = (v ?? {}) as Record<string, unknown>;
      for (const el of p.name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const key = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        env.vars.set(el.name.text, o[key] === undefined && el.initializer ? evaluate(env, el.initializer) : o[key]);
      }
    }
  });
}

function declare(env: Env, d: TS.VariableDeclaration): void {
  const { ts } = env.prog;
  const v = d.initializer ? check(env, evaluate(env, d.initializer)) : undefined;
  if (ts.isIdentifier(d.name)) env.vars.set(d.name.text, v);
  else if (ts.isArrayBindingPattern(d.name)) {
    d.name.elements.forEach((el, i) => {
      if (ts.isBindingElement(el) && ts.isIdentifier(el.name))
        env.vars.set(el.name.text, Array.isArray(v) ? v[i] : new Unknown('destructuring of an unknown value'));
    });
  }
}

/** Runs statements; inside forward() (env.strict) anything not understood stops the pass with the reason. */
export function exec(env: Env, stmts: readonly TS.Statement[], steps = { n: 0 }): Flow {
  const { ts } = env.prog;
  for (const s of stmts) {
    if (++steps.n > MAX_STEPS) throw new UnknownSignal('too many steps (a loop the Draft does not follow)');
    const unknown = (why: string): Flow | null => {
      if (env.strict) throw new UnknownSignal(why);
      return null;
    };
    if (ts.isVariableStatement(s)) s.declarationList.declarations.forEach((d) => declare(env, d));
    else if (ts.isExpressionStatement(s)) {
      if (ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword) continue;
      check(env, evaluate(env, s.expression));
    } else if (ts.isReturnStatement(s))
      return { returned: true, value: s.expression ? check(env, evaluate(env, s.expression)) : undefined };
    else if (ts.isBlock(s)) {
      const f = exec(env, s.statements, steps);
      if (f.returned) return f;
    } else if (ts.isIfStatement(s)) {
      const c = evaluate(env, s.expression);
      if (isUnknown(c)) {
        unknown(`the condition '${s.expression.getText().slice(0, 40)}' is not known`);
        continue;
      }
      const branch = c ? s.thenStatement : s.elseStatement;
      const f = branch ? exec(env, [branch], steps) : { returned: false as const };
      if (f.returned) return f;
    } else if (ts.isForOfStatement(s)) {
      const it = evaluate(env, s.expression);
      const items = Array.isArray(it)
        ? it
        : it instanceof env.prog.rt.nn.Module && Symbol.iterator in it
          ? [...(it as unknown as Iterable<unknown>)]
          : null;
      if (!items) {
        unknown(`the loop over '${s.expression.getText().slice(0, 40)}' is not known`);
        continue;
      }
      const init = s.initializer;
      for (const item of items) {
        if (ts.isVariableDeclarationList(init) && ts.isIdentifier(init.declarations[0].name))
          env.vars.set(init.declarations[0].name.text, item);
        else if (ts.isExpression(init)) assign(env, init, item);
        const f = exec(env, [s.statement], steps);
        if (f.returned) return f;
      }
    } else if (ts.isForStatement(s)) {
      if (s.initializer && ts.isVariableDeclarationList(s.initializer)) s.initializer.declarations.forEach((d) => declare(env, d));
      else if (s.initializer) evaluate(env, s.initializer);
      for (;;) {
        const c = s.condition ? evaluate(env, s.condition) : true;
        if (isUnknown(c)) {
          unknown('a loop condition that is not known');
          break;
        }
        if (!c) break;
        if (++steps.n > MAX_STEPS) throw new UnknownSignal('too many loop steps');
        const f = exec(env, [s.statement], steps);
        if (f.returned) return f;
        if (s.incrementor) evaluate(env, s.incrementor);
      }
    } else if (ts.isEmptyStatement(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) continue;
    else unknown(`'${s.getText().slice(0, 40)}' is not followed by the Draft`);
  }
  return { returned: false };
}

const methodOf = (prog: Program, info: ClassInfo, name: string): TS.MethodDeclaration | undefined => {
  const { ts } = prog;
  const m = info.node.members.find((x): x is TS.MethodDeclaration => ts.isMethodDeclaration(x) && !!x.body && x.name.getText() === name);
  return m ?? (typeof info.base === 'function' ? undefined : methodOf(prog, info.base, name));
};

function runMethod(prog: Program, info: ClassInfo, self: Module, m: TS.MethodDeclaration, args: unknown[], strict: boolean): unknown {
  const env: Env = { prog, vars: new Map(prog.globals), self, strict };
  bindParams(env, m.parameters, args);
  const f = exec(env, m.body!.statements);
  return f.returned ? f.value : undefined;
}

/** The real runtime class for a user class declaration (made once per analysis). */
export function classFor(prog: Program, info: ClassInfo): new (...a: unknown[]) => Module {
  if (info.made) return info.made;
  const { ts } = prog;
  const Base = typeof info.base === 'function' ? info.base : classFor(prog, info.base);
  const ctor = info.node.members.find((m): m is TS.ConstructorDeclaration => ts.isConstructorDeclaration(m));
  // class fields in declaration order (ES2022 define semantics: a field without initialiser still takes its place)
  const fields = info.node.members.filter(
    (m): m is TS.PropertyDeclaration =>
      ts.isPropertyDeclaration(m) &&
      !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword || x.kind === ts.SyntaxKind.DeclareKeyword),
  );
  const C = class extends (Base as new (...a: unknown[]) => Module) {
    constructor(...args: unknown[]) {
      const env: Env = { prog, vars: new Map(prog.globals), strict: false };
      if (ctor) bindParams(env, ctor.parameters, args);
      const superCall = ctor?.body?.statements
        .map((s) =>
          ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === ts.SyntaxKind.SuperKeyword
            ? s.expression
            : null,
        )
        .find((x) => x);
      const superArgs = superCall ? superCall.arguments.map((a) => evaluate(env, a)) : ctor ? [] : args;
      super(...superArgs.map((v) => (isUnknown(v) ? undefined : v)));
      env.self = this as unknown as Module;
      for (const f of fields) {
        if (f.initializer)
          assign(
            env,
            ts.factory.createPropertyAccessExpression(ts.factory.createThis(), f.name.getText()) as TS.Expression,
            evaluate(env, f.initializer),
          );
        else Object.defineProperty(this, f.name.getText(), { value: undefined, writable: true, enumerable: true, configurable: true });
      }
      if (ctor?.body) exec(env, ctor.body.statements);
    }
    forward(...xs: unknown[]): unknown {
      if (forward) return runMethod(prog, info, this as unknown as Module, forward, xs, true);
      const inherited = (Base.prototype as { forward?: (...a: unknown[]) => unknown }).forward;
      if (!inherited) throw new UnknownSignal(`${info.name} has no forward()`);
      return inherited.apply(this, xs);
    }
  };
  const forward = methodOf(prog, info, 'forward');
  Object.defineProperty(C, 'name', { value: info.name });
  info.made = C;
  return C;
}

/** A user-defined method of a module made from a class declaration, run by the interpreter. */
export function userMethod(prog: Program, self: Module, name: string): ((args: unknown[]) => unknown) | undefined {
  for (const info of prog.classes.values()) {
    if (info.made && self instanceof info.made) {
      const m = methodOf(prog, info, name);
      return m ? (args) => runMethod(prog, info, self, m, args, false) : undefined;
    }
  }
  return undefined;
}

/** A top-level `function make(...) { ... return model }` called from a cell. */
export function callFunction(prog: Program, name: string, args: unknown[], caller: Env): unknown {
  const fn = prog.functions.get(name)!;
  if (!fn.body) return new Unknown(`'${name}' has no body`);
  const env: Env = { prog, vars: new Map(prog.globals), strict: caller.strict };
  bindParams(env, fn.parameters, args);
  try {
    const f = exec(env, fn.body.statements);
    return f.returned ? f.value : undefined;
  } catch (e) {
    if (e instanceof UnknownSignal && !caller.strict) return new Unknown(e.reason);
    throw e;
  }
}

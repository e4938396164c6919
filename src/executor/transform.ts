/**
 * Cell compilation: TypeScript → JavaScript with esbuild (transform API, source map; see transpile.ts), then a
 * small rewrite over the TypeScript AST of that output so the cell runs as a script in the executor's global scope:
 * - top-level const/let/var/class/function/import bindings become global variables (re-running a cell that
 *   declares `const model = …` simply reassigns it);
 * - the body is wrapped in a generator function whose top-level `await x` become `(yield x)`, so the executor
 *   drives every synchronous stretch of the cell under vm's breakOnSigint (interrupt works after awaits too);
 *   cells with a top-level `for await` use an async function instead;
 * - nested awaits become `await __lw_ck(x)` (rejected on interrupt); `import()` → `__lw_imp()`; the last
 *   expression statement is returned (unless the cell ends with `;`, as in IPython).
 */
import type * as TS from 'typescript';
import { CellMapper, type Piece } from './sourcemap';
import { CellCompileError, getTs, transpileCell } from './transpile';

export { CellCompileError };

// Loaded on first use (~0.2 s): the executor answers 'ready' first and warms this up right after.
let ts: typeof TS;

/** Globals installed by the worker that rewritten cells call. */
export const HELPERS = { check: '__lw_ck', importFn: '__lw_imp', meta: '__lw_meta', tmp: '__lw_tmp' } as const;

export interface CompiledCell {
  code: string;
  filename: string;
  mode: 'generator' | 'async';
  /** Names the cell binds at top level (variables, functions, classes, imports). */
  declared: string[];
  mapper: CellMapper;
}

interface Edit {
  pos: number;
  end: number;
  text: string;
  kind: 'start' | 'end';
  seq: number;
}

class Edits {
  private readonly list: Edit[] = [];
  private seq = 0;
  replace(pos: number, end: number, text: string): void {
    this.list.push({ pos, end, text, kind: 'start', seq: this.seq++ });
  }
  before(pos: number, text: string): void {
    this.replace(pos, pos, text);
  }
  after(pos: number, text: string): void {
    this.list.push({ pos, end: pos, text, kind: 'end', seq: this.seq++ });
  }
  /** Applies the edits; `base` is where the body starts in the final script. */
  apply(src: string, base: number): { code: string; pieces: Piece[] } {
    const sorted = [...this.list].sort((a, b) => {
      if (a.pos !== b.pos) return a.pos - b.pos;
      if (a.kind !== b.kind) return a.kind === 'end' ? -1 : 1;
      return a.kind === 'end' ? b.seq - a.seq : a.seq - b.seq;
    });
    let code = '';
    let cursor = 0;
    const pieces: Piece[] = [];
    const push = (text: string, src: number, copied: boolean) => {
      if (!text) return;
      pieces.push({ out: base + code.length, len: text.length, src, copied });
      code += text;
    };
    for (const e of sorted) {
      if (e.pos < cursor) throw new Error(`executor: overlapping cell rewrite at ${e.pos}`);
      push(src.slice(cursor, e.pos), cursor, true);
      push(e.text, e.pos, false);
      cursor = e.end;
    }
    push(src.slice(cursor), cursor, true);
    return { code, pieces };
  }
}

function bindingNames(name: TS.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

function hasTopLevelForAwait(node: TS.Node): boolean {
  if (ts.isForOfStatement(node) && node.awaitModifier) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, hasTopLevelForAwait) ?? false;
}

/** Whether the last (non type-only) statement of the TS cell is an expression statement ending with `;`. */
function endsWithSemicolon(source: string): boolean {
  const sf = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const typeOnly = (s: TS.Statement) => ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) ||
    (ts.canHaveModifiers(s) && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword));
  const stmts = sf.statements.filter((s) => !typeOnly(s));
  const last = stmts[stmts.length - 1];
  return !!last && source.slice(last.pos, last.end).trimEnd().endsWith(';');
}

function stripExportModifiers(st: TS.Statement, sf: TS.SourceFile, edits: Edits): void {
  for (const m of (ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined) ?? []) {
    if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
      edits.replace(m.getStart(sf), m.end, '');
    }
  }
}

interface RewriteState {
  sf: TS.SourceFile;
  edits: Edits;
  mode: 'generator' | 'async';
  declared: string[];
  functions: string[];
}

function awaitText(s: RewriteState): string {
  return s.mode === 'generator' ? 'yield ' : 'await ';
}

function rewriteImport(st: TS.ImportDeclaration, s: RewriteState): void {
  const spec = JSON.stringify((st.moduleSpecifier as TS.StringLiteral).text);
  const load = `(${awaitText(s)}${HELPERS.importFn}(${spec}))`;
  const clause = st.importClause;
  const parts: string[] = [];
  if (clause && !clause.isTypeOnly) {
    if (clause.name) parts.push(`${clause.name.text} = ${HELPERS.tmp}.default`);
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) parts.push(`${nb.name.text} = ${HELPERS.tmp}`);
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        const from = el.propertyName ?? el.name;
        parts.push(`${el.name.text} = ${HELPERS.tmp}[${JSON.stringify(from.text)}]`);
      }
    }
  }
  for (const p of parts) s.declared.push(p.slice(0, p.indexOf(' =')));
  const text = parts.length ? `void (${HELPERS.tmp} = ${load}, ${parts.join(', ')});` : `void ${load};`;
  s.edits.replace(st.getStart(s.sf), st.end, text);
}

function rewriteVariables(st: TS.VariableStatement, s: RewriteState): void {
  const list = st.declarationList;
  const kind = list.flags & ts.NodeFlags.BlockScoped; // 0 var, Let, Const, Using, AwaitUsing
  if (kind !== 0 && kind !== ts.NodeFlags.Let && kind !== ts.NodeFlags.Const) return;
  const decls = list.declarations;
  if (!decls.length) return;
  // `export const a = 1, {b} = o;` → `void (a = 1, {b} = o);` (the closing paren is registered first so that
  // a ` = void 0` inserted at the same offset lands inside it)
  s.edits.after(decls[decls.length - 1].end, ')');
  s.edits.replace(st.getStart(s.sf), decls[0].getStart(s.sf), 'void (');
  for (const d of decls) {
    bindingNames(d.name, s.declared);
    if (!d.initializer && kind !== 0) s.edits.after(d.name.end, ' = void 0');
  }
}

function rewriteClass(st: TS.ClassDeclaration, s: RewriteState): void {
  if (!st.name) return;
  stripExportModifiers(st, s.sf, s.edits);
  const mods = st.modifiers;
  const from = mods && mods.length ? mods[mods.length - 1].end : st.getStart(s.sf);
  const classPos = s.sf.text.indexOf('class', from);
  s.declared.push(st.name.text);
  s.edits.before(classPos, `${st.name.text} = `);
  s.edits.after(st.end, ';');
}

function rewriteStatement(st: TS.Statement, isLast: boolean, display: boolean, s: RewriteState): void {
  const { sf, edits } = s;
  if (ts.isImportDeclaration(st)) return rewriteImport(st, s);
  if (ts.isVariableStatement(st)) {
    rewriteVariables(st, s);
  } else if (ts.isFunctionDeclaration(st) && st.name) {
    stripExportModifiers(st, sf, edits);
    s.declared.push(st.name.text);
    s.functions.push(st.name.text);
  } else if (ts.isClassDeclaration(st)) {
    rewriteClass(st, s);
  } else if (ts.isExportDeclaration(st)) {
    edits.replace(st.getStart(sf), st.end, '');
    return;
  } else if (ts.isExportAssignment(st)) {
    edits.replace(st.getStart(sf), st.expression.getStart(sf), '');
  } else if (ts.isExpressionStatement(st) && isLast && display) {
    edits.before(st.getStart(sf), 'return (');
    edits.after(st.expression.end, ')');
  }
  visitNested(st, false, s);
}

function visitNested(node: TS.Node, nested: boolean, s: RewriteState): void {
  const { sf, edits } = s;
  if (ts.isAwaitExpression(node)) {
    if (!nested && s.mode === 'generator') {
      edits.replace(node.getStart(sf), node.expression.getStart(sf), '(yield ');
      edits.after(node.end, ')');
    } else {
      edits.before(node.expression.getStart(sf), `${HELPERS.check}(`);
      edits.after(node.end, ')');
    }
  } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    edits.replace(node.expression.getStart(sf), node.expression.end, HELPERS.importFn);
  } else if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
    edits.replace(node.getStart(sf), node.end, HELPERS.meta);
    return;
  }
  const inner = nested || ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node);
  ts.forEachChild(node, (c) => visitNested(c, inner, s));
}

export async function compileCell(source: string, cellId: string, seq: number): Promise<CompiledCell> {
  ts ??= getTs();
  const js = await transpileCell(source, cellId);
  const sf = ts.createSourceFile('cell.js', js.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const mode = sf.statements.some(hasTopLevelForAwait) ? 'async' : 'generator';
  const s: RewriteState = { sf, edits: new Edits(), mode, declared: [], functions: [] };
  const display = !endsWithSemicolon(source);
  const stmts = sf.statements;
  let last = stmts.length - 1;
  while (last >= 0 && ts.isExportDeclaration(stmts[last])) last--;
  stmts.forEach((st, i) => rewriteStatement(st, i === last, display, s));
  const declared = [...new Set(s.declared)];
  const hoist = declared.length ? `var ${declared.join(', ')};` : '';
  const fnAssign = s.functions.map((f) => `globalThis.${f} = ${f};`).join(' ');
  const head = `${hoist}(${mode === 'generator' ? 'function*' : 'async function'} () {var ${HELPERS.tmp}; ${fnAssign}\n`;
  const body = s.edits.apply(js.code, head.length);
  const code = `${head}${body.code}\n})`;
  const mapper = new CellMapper(cellId, source, code, body.pieces, js.code, js.map);
  return { code, filename: `lw-cell-${seq}.js`, mode, declared, mapper };
}

/**
 * TypeScript → JavaScript for cells and local helper files. esbuild (transform API) when it can be loaded;
 * otherwise, or with LAYERWISE_TRANSPILER=typescript, TypeScript's own transpileModule (slower, pure JS, so the
 * executor still works where the esbuild binary is not installed). Both produce a source map back to the cell.
 */
import type * as ESB from 'esbuild';
import type * as TS from 'typescript';

export class CellCompileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly lineText: string,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

let tsModule: typeof TS | undefined;
let esbuildModule: typeof ESB | null | undefined;

/** The TypeScript compiler API, loaded on first use (~0.2 s). */
export function getTs(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tsModule ??= require('typescript') as typeof TS;
  return tsModule;
}

function getEsbuild(): typeof ESB | null {
  if (esbuildModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      esbuildModule = process.env.LAYERWISE_TRANSPILER === 'typescript' ? null : (require('esbuild') as typeof ESB);
    } catch {
      esbuildModule = null;
    }
  }
  return esbuildModule;
}

export function transpilerName(): 'esbuild' | 'typescript' {
  return getEsbuild() ? 'esbuild' : 'typescript';
}

export interface Transpiled {
  code: string;
  /** Source map (JSON) from `code` back to the cell. */
  map: string;
}

async function viaEsbuild(esbuild: typeof ESB, source: string, cellId: string): Promise<Transpiled> {
  try {
    return await esbuild.transform(source, {
      loader: 'ts', sourcefile: cellId, sourcemap: 'external', target: 'es2022', logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
    });
  } catch (e) {
    const first = (e as { errors?: ESB.Message[] }).errors?.[0];
    if (!first) throw e;
    const loc = first.location;
    throw new CellCompileError(first.text, loc?.line ?? 1, (loc?.column ?? 0) + 1, loc?.lineText ?? '');
  }
}

function viaTypescript(source: string, cellId: string): Transpiled {
  const ts = getTs();
  const out = ts.transpileModule(source, {
    fileName: `${cellId.replace(/[^\w.-]/g, '_')}.ts`, reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true,
      verbatimModuleSyntax: true, useDefineForClassFields: true },
  });
  const diag = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (diag) {
    const pos = diag.file && diag.start !== undefined ? diag.file.getLineAndCharacterOfPosition(diag.start) : undefined;
    const line = (pos?.line ?? 0) + 1;
    throw new CellCompileError(ts.flattenDiagnosticMessageText(diag.messageText, '\n'), line,
      (pos?.character ?? 0) + 1, source.split(/\r?\n/)[line - 1] ?? '');
  }
  const code = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  return { code, map: out.sourceMapText ?? '' };
}

export async function transpileCell(source: string, cellId: string): Promise<Transpiled> {
  const esbuild = getEsbuild();
  return esbuild ? viaEsbuild(esbuild, source, cellId) : viaTypescript(source, cellId);
}

/** A local .ts helper file as CommonJS (with an inline source map), for the require hook. */
export function transpileFileToCjs(source: string, filename: string): string {
  const esbuild = getEsbuild();
  if (esbuild) {
    return esbuild.transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: filename,
      sourcemap: 'inline' }).code;
  }
  const ts = getTs();
  return ts.transpileModule(source, { fileName: filename, compilerOptions: { target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS, inlineSourceMap: true, esModuleInterop: true } }).outputText;
}

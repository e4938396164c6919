/**
 * Semantic type checking of notebooks: one TypeScript LanguageService (in the extension host) over one virtual
 * module per notebook (layout.ts), with the runtime's declarations (dist/types: the notebook globals and the
 * module 'layerwise') and the executor's Node globals (env.ts). No `vscode` here, so tests use it directly.
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { CELL_ENV_DTS } from './env';
import { layoutCells, segmentAt, type Layout } from './layout';

export interface CheckerPaths {
  /** dist/types: globals.d.ts and runtime/index.d.ts. */
  typesDir: string;
  /** Folder holding TypeScript's lib.*.d.ts files. */
  libDir: string;
}

export interface CellDiagnostic {
  /** Index of the cell in the list given to check(). */
  cell: number;
  /** Offsets in the cell's text. */
  start: number;
  end: number;
  message: string;
  code: number;
  severity: 'error' | 'warning';
}

export interface CheckResult {
  diagnostics: CellDiagnostic[];
  /** Cells not checked because a cell at or before them does not parse. */
  skipped: number[];
}

/** Cannot find module / no declaration file: not reported for Node's built-in modules (no @types/node here). */
const MODULE_NOT_FOUND = 2307;
const NO_DECLARATION_FILE = 7016;
/** Duplicate identifier / cannot redeclare: two cells importing the same name (imports are hoisted together). */
const DUPLICATES = new Set([2300, 2451]);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface VirtualFile {
  text: string;
  version: number;
}

export class NotebookChecker {
  private readonly files = new Map<string, VirtualFile>();
  private readonly service: TS.LanguageService;
  private readonly envFile: string;
  private readonly options: TS.CompilerOptions;

  constructor(
    private readonly ts: typeof TS,
    private readonly paths: CheckerPaths,
  ) {
    this.envFile = path.join(paths.typesDir, '__layerwise_cell_env.d.ts');
    this.files.set(this.envFile, { text: CELL_ENV_DTS, version: 1 });
    const entry = path.join(paths.typesDir, 'runtime', 'index.d.ts');
    this.options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts'],
      types: [],
      // strict without the two checks that flag working notebook code: untyped helper parameters (`(w) =>`)
      // and optional runtime fields (`bn.runningMean`, `rows.find(...)`) that the cell knows are there.
      strict: true,
      noImplicitAny: false,
      strictNullChecks: false,
      // `catch (e) { console.log(e.message) }` is how notebooks report errors
      useUnknownInCatchVariables: false,
      skipLibCheck: true,
      noEmit: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      useDefineForClassFields: true,
      allowJs: true,
      paths: { layerwise: [entry] },
    };
    this.service = ts.createLanguageService(this.host(), ts.createDocumentRegistry());
  }

  /**
   * Type-checks the cells of one notebook (texts in run order, null for non-TypeScript cells). `dir` is the
   * notebook's folder: relative imports and node_modules resolve from there.
   */
  check(dir: string, key: string, cells: readonly (string | null)[]): CheckResult {
    const layout = layoutCells(this.ts, cells);
    const file = this.fileName(dir, key);
    const prev = this.files.get(file);
    if (prev?.text !== layout.text) this.files.set(file, { text: layout.text, version: (prev?.version ?? 0) + 1 });
    const diags = this.service.getSemanticDiagnostics(file);
    return { diagnostics: diags.flatMap((d) => this.toCell(d, layout)), skipped: layout.skipped };
  }

  /** Forgets a closed notebook. */
  forget(dir: string, key: string): void {
    this.files.delete(this.fileName(dir, key));
  }

  dispose(): void {
    this.service.dispose();
  }

  private fileName(dir: string, key: string): string {
    return path.join(dir, `__layerwise_notebook_${key.replace(/[^\w.-]/g, '_')}.ts`);
  }

  private toCell(d: TS.Diagnostic, layout: Layout): CellDiagnostic[] {
    const { ts } = this;
    if (d.start === undefined || d.length === undefined) return [];
    if (d.category !== ts.DiagnosticCategory.Error && d.category !== ts.DiagnosticCategory.Warning) return [];
    const seg = segmentAt(layout, d.start);
    if (!seg) return [];
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.code === NO_DECLARATION_FILE) return [];
    if (d.code === MODULE_NOT_FOUND && BUILTINS.has(/'([^']+)'/.exec(message)?.[1] ?? '')) return [];
    if (seg.hoisted && DUPLICATES.has(d.code)) return [];
    const start = seg.cellStart + (d.start - seg.start);
    const end = Math.min(seg.cellStart + seg.length, start + d.length);
    const severity = d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning';
    return [{ cell: seg.cell, start, end, message, code: d.code, severity }];
  }

  private host(): TS.LanguageServiceHost {
    const { ts, files } = this;
    const read = (f: string): string | undefined => files.get(f)?.text ?? ts.sys.readFile(f);
    return {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [path.join(this.paths.typesDir, 'globals.d.ts'), ...files.keys()],
      getScriptVersion: (f) => String(files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const text = read(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => this.paths.typesDir,
      getDefaultLibFileName: (o) => path.join(this.paths.libDir, ts.getDefaultLibFileName(o)),
      fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
      readFile: read,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
  }
}

/** Where TypeScript's lib files are: next to the bundled compiler (dist/typescript) or in node_modules. */
export function findLibDir(ts: typeof TS, candidates: string[]): string {
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'lib.es2023.d.ts')));
  return found ?? path.dirname(ts.getDefaultLibFilePath({}));
}

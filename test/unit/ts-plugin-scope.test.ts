// The TypeScript server plugin (ts-plugin/) gives notebook cells the runtime's globals and the 'layerwise' module,
// and nothing to ordinary .ts files: a plain project keeps its normal errors (a forgotten import is reported, a
// top-level `const data` is no redeclaration), also when its files share an inferred project with cells.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ts from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugin = require('../../ts-plugin/index.js') as (m: { typescript: typeof ts }) => {
  create(info: unknown): ts.LanguageService;
  getExternalFiles(project: unknown): string[];
};

const ROOT = join(__dirname, '../..');
const PLAIN = '/proj/src/stats.ts';
const PLAIN_SRC = 'const data = [3, 1, 2];\nconst top: number = max(data);\n';
// tsserver names a cell '^/vscode-notebook-cell/...' (a dynamic file); a plain LanguageService needs a rooted name with an extension
const CELL = '/^/vscode-notebook-cell/ts-nul-authority/proj/nb.ipynb#W0.ts';
const CELL_SRC = "const t = max(tensor([1, 2, 3]));\nimport { nn } from 'layerwise';\nconst l = new nn.Linear(2, 3);\n";

function project(files: Record<string, string>): ts.LanguageService {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], strict: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => {
      const text = files[f] ?? ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '/proj',
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f in files || ts.sys.fileExists(f),
    readFile: (f) => files[f] ?? ts.sys.readFile(f),
    resolveModuleNameLiterals: (lits, containing, _r, opts) =>
      lits.map((l) => ts.resolveModuleName(l.text, containing, opts, { fileExists: (f) => f in files || ts.sys.fileExists(f), readFile: (f) => files[f] ?? ts.sys.readFile(f) })),
  };
  const ls = ts.createLanguageService(host);
  const info = { languageServiceHost: host, languageService: ls, project: { projectService: { logger: { info: () => undefined } } } };
  return plugin({ typescript: ts }).create(info);
}

const codes = (ls: ts.LanguageService, f: string) => ls.getSemanticDiagnostics(f).map((d) => d.code);

describe('ts-plugin: typings scoped to notebook cells', () => {
  before(() => assert.ok(require('node:fs').existsSync(join(ROOT, 'dist/types/globals.d.ts')), 'run npm run build first'));

  it('a plain project keeps its normal errors: forgotten import reported, no false redeclaration', () => {
    const ls = project({ [PLAIN]: PLAIN_SRC });
    assert.deepEqual(codes(ls, PLAIN), [2304]); // Cannot find name 'max'
    assert.match(ts.flattenDiagnosticMessageText(ls.getSemanticDiagnostics(PLAIN)[0].messageText, '\n'), /Cannot find name 'max'/);
    assert.ok(!ls.getProgram()!.getSourceFiles().some((s) => s.fileName.endsWith('globals.d.ts')));
  });

  it('notebook cells see the globals and the layerwise module', () => {
    const ls = project({ [CELL]: CELL_SRC });
    assert.deepEqual(codes(ls, CELL), []);
  });

  it('an ordinary file sharing an inferred project with cells still sees no globals', () => {
    const ls = project({ [CELL]: CELL_SRC, [PLAIN]: PLAIN_SRC });
    assert.deepEqual(codes(ls, CELL), []);
    assert.deepEqual(codes(ls, PLAIN), [2304]);
    const names = ls.getCompletionsAtPosition(PLAIN, PLAIN_SRC.indexOf('max'), {})!.entries.map((e) => e.name);
    assert.ok(!names.includes('tensor') && names.includes('data'));
  });

  it('adds the globals file to projects with cells only', () => {
    const p = plugin({ typescript: ts });
    assert.deepEqual(p.getExternalFiles({ getRootFiles: () => [PLAIN] }), []);
    assert.equal(p.getExternalFiles({ getRootFiles: () => [PLAIN, CELL] }).length, 1);
  });
});

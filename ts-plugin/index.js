// TypeScript server plugin (contributed by the Layerwise extension through contributes.typescriptServerPlugins).
// VS Code gives TypeScript notebook cells inferred projects, where no tsconfig applies; this plugin gives the
// projects that hold notebook cells the runtime's declarations: the notebook globals (tensor, nn, F, show,
// display, progress ...) and the module 'layerwise' (import { nn } from 'layerwise'), built into dist/types/.
// Ordinary .ts files never see them: projects without cells are left alone, and in a project that mixes cells
// and ordinary files (loose files of one folder share an inferred project) requests about an ordinary file are
// answered by a second language service over the project's ordinary files, without the globals.
'use strict';
const fs = require('fs');
const path = require('path');

/** dist/types of the extension: next to the plugin when packaged (<ext>/node_modules/<plugin>), or in the repo. */
function typesDir() {
  const candidates = [path.join(__dirname, '..', '..', 'dist', 'types'), path.join(__dirname, '..', 'dist', 'types')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'globals.d.ts'))) || null;
}

/** VS Code hands tsserver a cell as `^/vscode-notebook-cell/<authority>/<path of the notebook>`. */
function isCell(fileName) {
  return typeof fileName === 'string' && fileName.includes('vscode-notebook-cell');
}

function init(modules) {
  const ts = modules.typescript;
  const dir = typesDir();
  const globals = dir ? path.join(dir, 'globals.d.ts') : null;
  const entry = dir ? path.join(dir, 'runtime', 'index.d.ts') : null;
  return {
    create(info) {
      const host = info.languageServiceHost;
      const log = (m) => info.project.projectService.logger.info(`[layerwise] ${m}`);
      log(dir ? `declarations in ${dir}` : 'declarations not found (dist/types missing)');
      if (!entry) return info.languageService;
      const original = {
        getScriptFileNames: host.getScriptFileNames.bind(host),
        resolveModuleNameLiterals: host.resolveModuleNameLiterals && host.resolveModuleNameLiterals.bind(host),
        resolveModuleNames: host.resolveModuleNames && host.resolveModuleNames.bind(host),
      };
      const hasCells = () => original.getScriptFileNames().some(isCell);
      host.getScriptFileNames = () => {
        const files = original.getScriptFileNames();
        return !files.some(isCell) || files.includes(globals) ? files : [...files, globals];
      };
      const resolved = { resolvedFileName: entry, extension: '.d.ts', isExternalLibraryImport: false };
      if (original.resolveModuleNameLiterals) {
        host.resolveModuleNameLiterals = (literals, containingFile, ...rest) =>
          original.resolveModuleNameLiterals(literals, containingFile, ...rest).map((r, i) =>
            isCell(containingFile) && literals[i].text === 'layerwise' ? { resolvedModule: resolved } : r);
      } else if (original.resolveModuleNames) {
        host.resolveModuleNames = (names, containingFile, ...rest) =>
          original.resolveModuleNames(names, containingFile, ...rest).map((r, i) =>
            isCell(containingFile) && names[i] === 'layerwise' ? resolved : r);
      }
      return scoped(ts, info.languageService, host, original, hasCells);
    },
    getExternalFiles(project) {
      const roots = project && typeof project.getRootFiles === 'function' ? project.getRootFiles() : [];
      return globals && roots.some(isCell) ? [globals] : [];
    },
  };
}

/**
 * The project's service, except that requests about an ordinary file of a project that also holds cells go to
 * a service over the project's ordinary files alone (TypeScript's own module resolution, no globals).
 */
function scoped(ts, ls, host, original, hasCells) {
  let clean;
  const cleanService = () => {
    if (!clean) {
      // a plain host over the project's own files (a Project is not meant to serve as another service's host)
      const h = {
        getCompilationSettings: () => host.getCompilationSettings(),
        getScriptFileNames: () => original.getScriptFileNames().filter((f) => !isCell(f)),
        getScriptVersion: (f) => host.getScriptVersion(f),
        getScriptSnapshot: (f) => host.getScriptSnapshot(f),
        getScriptKind: host.getScriptKind ? (f) => host.getScriptKind(f) : undefined,
        getCurrentDirectory: () => host.getCurrentDirectory(),
        getDefaultLibFileName: (o) => host.getDefaultLibFileName(o),
        useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
        fileExists: (f) => host.fileExists(f),
        readFile: (f, enc) => host.readFile(f, enc),
        readDirectory: host.readDirectory ? (...a) => host.readDirectory(...a) : undefined,
        directoryExists: host.directoryExists ? (d) => host.directoryExists(d) : undefined,
        getDirectories: host.getDirectories ? (d) => host.getDirectories(d) : undefined,
        realpath: host.realpath ? (p) => host.realpath(p) : undefined,
      };
      clean = ts.createLanguageService(h, ts.createDocumentRegistry());
    }
    return clean;
  };
  const proxy = Object.create(null);
  for (const k of Object.keys(ls)) {
    const fn = ls[k];
    if (typeof fn !== 'function') {
      proxy[k] = fn;
      continue;
    }
    proxy[k] = (...args) => {
      const file = args[0];
      if (typeof file === 'string' && !isCell(file) && hasCells() && typeof cleanService()[k] === 'function') {
        return cleanService()[k](...args);
      }
      return fn.apply(ls, args);
    };
  }
  proxy.dispose = () => {
    if (clean) clean.dispose();
    ls.dispose();
  };
  return proxy;
}

module.exports = init;

// TypeScript server plugin (contributed by the Layerwise extension through contributes.typescriptServerPlugins).
// VS Code gives every TypeScript notebook cell its own inferred project, where no tsconfig applies; this plugin adds
// the runtime's declarations to every project: the notebook globals (tensor, nn, F, show, display, progress ...)
// and the module 'layerwise' (import { nn } from 'layerwise'). The declarations are built into dist/types/.
'use strict';
const fs = require('fs');
const path = require('path');

/** dist/types of the extension: next to the plugin when packaged (<ext>/node_modules/<plugin>), or in the repo. */
function typesDir() {
  const candidates = [path.join(__dirname, '..', '..', 'dist', 'types'), path.join(__dirname, '..', 'dist', 'types')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'globals.d.ts'))) || null;
}

function init() {
  const dir = typesDir();
  const globals = dir ? path.join(dir, 'globals.d.ts') : null;
  const entry = dir ? path.join(dir, 'runtime', 'index.d.ts') : null;
  return {
    create(info) {
      const host = info.languageServiceHost;
      const log = (m) => info.project.projectService.logger.info(`[layerwise] ${m}`);
      log(dir ? `declarations in ${dir}` : 'declarations not found (dist/types missing)');
      if (!entry) return info.languageService;
      // make the globals part of every program (getExternalFiles alone only attaches them for watching)
      const names = host.getScriptFileNames.bind(host);
      host.getScriptFileNames = () => {
        const files = names();
        return files.includes(globals) ? files : [...files, globals];
      };
      const resolved = { resolvedFileName: entry, extension: '.d.ts', isExternalLibraryImport: false };
      if (typeof host.resolveModuleNameLiterals === 'function') {
        const orig = host.resolveModuleNameLiterals.bind(host);
        host.resolveModuleNameLiterals = (literals, ...rest) =>
          orig(literals, ...rest).map((r, i) => (literals[i].text === 'layerwise' ? { resolvedModule: resolved } : r));
      } else if (typeof host.resolveModuleNames === 'function') {
        const orig = host.resolveModuleNames.bind(host);
        host.resolveModuleNames = (names, ...rest) => orig(names, ...rest).map((r, i) => (names[i] === 'layerwise' ? resolved : r));
      }
      return info.languageService;
    },
    getExternalFiles() {
      return globals ? [globals] : [];
    },
  };
}

module.exports = init;

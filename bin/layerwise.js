#!/usr/bin/env node
'use strict';
// `npx layerwise run notebook.ipynb …` — see src/cli/command.ts. Requires a build (npm run build).
require('../dist/cli.js');

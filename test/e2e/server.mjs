// code-server lifecycle for the e2e run: package the extension, install it into a fresh extensions dir, start a
// server on a free port with a temp workspace, and stop it by pid. See /work/shared/recipes/code-server-e2e.md.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const ENTRY = join(ROOT, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');

function sh(cmd, args, opts = {}) {
  console.log(`e2e: $ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}

export const CHROMIUM = '/usr/bin/chromium';

/** Installs code-server offline (and Chromium, when root) when they are not there yet (idempotent). */
export function ensureCodeServer() {
  if (!existsSync(ENTRY) || !existsSync(CHROMIUM)) sh('bash', [join(ROOT, 'scripts/setup-code-server.sh')]);
}

/** `npm run build`, then the .vsix into `dir`. */
export function buildVsix(dir) {
  sh('npm', ['run', 'build']);
  const vsix = join(dir, 'layerwise.vsix');
  sh('npx', ['vsce', 'package', '--follow-symlinks', '--readme-path', 'media/marketplace/README.md', '--skip-license', '-o', vsix]);
  return vsix;
}

/**
 * Fresh user-data, extensions and workspace folders under one temp dir; the fixtures are the workspace.
 * `trusted: false` turns Workspace Trust on without its start-up prompt, so the folder opens in Restricted Mode.
 */
export function makeSandbox({ trusted = true } = {}) {
  const base = mkdtempSync(join(tmpdir(), 'layerwise-e2e-'));
  const dirs = { trusted, base, userData: join(base, 'user-data'), extensions: join(base, 'extensions'), workspace: join(base, 'workspace') };
  for (const d of [dirs.userData, dirs.extensions, dirs.workspace]) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
  };
  writeFileSync(join(dirs.userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  cpSync(join(ROOT, 'test/e2e/fixtures'), dirs.workspace, { recursive: true });
  // the examples the figures session runs (test/e2e/figures.mjs)
  for (const nb of ['getting-started.ipynb', 'autodiff.ipynb']) cpSync(join(ROOT, 'examples', nb), join(dirs.workspace, nb));
  return dirs;
}

export function installExtension(dirs, vsix) {
  sh(process.execPath, [ENTRY, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix]);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts code-server and resolves once it answers HTTP; its log goes to `logFile`. */
export async function startServer(dirs, logFile) {
  const port = await freePort();
  const args = [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', ...(dirs.trusted ? ['--disable-workspace-trust'] : []), '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions, dirs.workspace];
  // LAYERWISE_E2E_NODE_PATH: a diagnostic escape hatch that lets the installed extension's processes resolve
  // modules the .vsix does not ship (e.g. the repo's node_modules); never needed by a correct package.
  const env = { ...process.env };
  if (process.env.LAYERWISE_E2E_NODE_PATH) env.NODE_PATH = process.env.LAYERWISE_E2E_NODE_PATH;
  const child = spawn(process.execPath, args, { cwd: dirs.base, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { child, url, port };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stopServer(child);
  throw new Error(`code-server did not answer on ${url}; see ${logFile}`);
}

/** Pids of every process below `pid` (code-server's server, extension host, the notebook executors...). */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const walk = (p) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

function kill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Stops code-server by its pid, then any of its descendants still alive, by theirs. */
export async function stopServer(child) {
  if (!child || child.exitCode !== null) return;
  const below = descendants(child.pid);
  kill(child.pid, 'SIGTERM');
  for (let i = 0; i < 20 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 250));
  if (child.exitCode === null) kill(child.pid, 'SIGKILL');
  below.forEach((pid) => kill(pid, 'SIGKILL'));
}

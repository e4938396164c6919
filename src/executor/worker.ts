/**
 * The executor process (bundled to dist/executor.js, started with child_process.fork by ExecutorClient).
 * Holds the notebook's global state: the runtime's exports as globals, `display`/`updateDisplay`/`progress`,
 * `require`, and every top-level binding of the cells run so far. See messages.ts for the protocol.
 */
import { fstatSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { CONFIG_ENV, type ExecEvent, type ExecutorConfig, type HostMessage, type WorkerMessage } from './messages';
import { createDisplayApi, toBundle } from './display';
import { Engine, InterruptError, installStackMapping, newExecution, type Execution } from './engine';
import { InterruptChannel } from './interrupt-channel';
import { DEFAULT_MAX_OUTPUT_BYTES, StreamLimiter } from './output-limit';
import { ModuleLoader } from './modules';
import { compileCell, HELPERS } from './transform';
import { describeVariables } from './variables';

const config: ExecutorConfig = JSON.parse(process.env[CONFIG_ENV] ?? '{}');
const cwd = config.cwd || process.cwd();
const runtimePath = config.runtimePath || path.join(__dirname, 'runtime.js');
const g = globalThis as Record<string, unknown>;
let current: Execution | undefined;
const interrupts = new InterruptChannel();

/** Whether the running cell was interrupted (IPC, SIGINT or the stdin flag); marks it so. */
function interrupted(): boolean {
  if (!current) return false;
  if (!current.interrupted && interrupts.requested(current.id)) current.interrupt();
  return current.interrupted;
}

function send(msg: WorkerMessage, cb?: () => void): void {
  if (!process.connected || !process.send) return;
  try {
    process.send(msg, undefined, {}, cb);
  } catch {
    /* channel closed: the host is gone; 'disconnect' exits */
  }
}

/** Stream text is batched and capped per cell (output-limit.ts); other events flush it first, keeping the order. */
const streams = new StreamLimiter((event) => send({ type: 'event', id: current?.id ?? null, event }),
  config.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);

function emit(event: ExecEvent): void {
  if (event.type === 'stream') streams.write(event.name, event.text);
  else streams.event(event);
}

function patchStream(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr'): void {
  stream.write = ((chunk: unknown, enc?: unknown, cb?: unknown) => {
    const text = typeof chunk === 'string' ? chunk
      : Buffer.from(chunk as Uint8Array).toString(typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
    if (text) emit({ type: 'stream', name, text });
    const done = typeof enc === 'function' ? enc : cb;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
}

function loadRuntime(): { runtime: unknown; error?: string } {
  try {
    return { runtime: require(runtimePath) };
  } catch (e) {
    return { runtime: undefined, error: `${(e as Error)?.message ?? e}`.split('\n')[0] };
  }
}

const PROTECTED = new Set(['console', 'process', 'require', 'globalThis', 'Buffer', 'setTimeout', 'setInterval',
  'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask', 'default', '__esModule']);

function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

const displayApi = createDisplayApi(emit, checkInterrupt);

function installGlobals(runtime: unknown, runtimeError: string | undefined, loader: ModuleLoader): void {
  if (runtime && typeof runtime === 'object') {
    for (const k of Object.keys(runtime)) if (!PROTECTED.has(k)) defineGlobal(k, (runtime as Record<string, unknown>)[k]);
  }
  defineGlobal('display', displayApi.display);
  defineGlobal('updateDisplay', displayApi.updateDisplay);
  defineGlobal('progress', displayApi.progress);
  defineGlobal('require', loader.require);
  defineGlobal('__dirname', cwd);
  defineGlobal('__filename', path.join(cwd, '__notebook__.ts'));
  defineGlobal(HELPERS.check, checkAwait);
  defineGlobal(HELPERS.importFn, (spec: string) => loader.import(String(spec)));
  defineGlobal(HELPERS.meta, { url: pathToFileURL(path.join(cwd, '__notebook__.ts')).href, dirname: cwd,
    filename: path.join(cwd, '__notebook__.ts') });
  defineGlobal('__layerwise_executor', {
    checkInterrupt,
    get interrupted() { return interrupted(); },
    runtimePath, runtimeError,
  });
}

/** Throws InterruptError when the running cell was interrupted (called by progress() and the runtime). */
function checkInterrupt(): void {
  if (interrupted()) throw new InterruptError();
}

/** Every nested `await x` in a cell becomes `await __lw_ck(x)`: rejected as soon as the cell is interrupted. */
function checkAwait<T>(x: T): T | Promise<T> {
  if (!current) return x;
  if (interrupted()) throw new InterruptError();
  return Promise.race([x, current.interruptPromise]);
}

const engine = new Engine([__filename]);
let queue: Promise<void> = Promise.resolve();
let runtimeWarning: string | undefined;

async function execute(msg: Extract<HostMessage, { type: 'execute' }>): Promise<void> {
  const exec = newExecution(msg.id, msg.cellId, () => interrupts.requested(msg.id));
  current = exec;
  interrupts.setRunning(msg.id);
  if (runtimeWarning) {
    emit({ type: 'stream', name: 'stderr', text: `${runtimeWarning}\n` });
    runtimeWarning = undefined;
  }
  for (const text of lateErrors.splice(0)) emit({ type: 'stream', name: 'stderr', text });
  const outcome = await engine.run(exec, msg.code);
  if (outcome.status === 'ok' && outcome.hasValue) {
    try {
      emit({ type: 'result', bundle: toBundle(outcome.value) });
    } catch (e) {
      emit({ type: 'stream', name: 'stderr', text: `display failed: ${inspect(e)}\n` });
    }
  }
  try {
    displayApi.flushPending();
  } catch {
    /* a failing display must not lose the result */
  }
  streams.endCell();
  current = undefined;
  interrupts.setRunning(0);
  send({ type: 'done', id: msg.id, status: outcome.status, error: outcome.error });
}

const BUILTIN_REQUESTS: Record<string, (args: unknown) => unknown> = {
  ping: () => ({ pid: process.pid }),
  drain: (args) => drain(Number((args as { timeoutMs?: unknown } | undefined)?.timeoutMs ?? 2000)),
  variables: () => describeVariables(engine.declared, g),
};

async function request(msg: Extract<HostMessage, { type: 'request' }>): Promise<void> {
  try {
    const handlers = g.__layerwise_requests as Record<string, (args: unknown) => unknown> | undefined;
    const h = typeof handlers?.[msg.kind] === 'function' ? handlers[msg.kind] : BUILTIN_REQUESTS[msg.kind];
    if (!h) throw new Error(`no handler for executor request '${msg.kind}'`);
    const value = await h(msg.args);
    send({ type: 'response', id: msg.id, ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (e) {
    send({ type: 'response', id: msg.id, ok: false, error: engine.errorInfo(e) });
  }
}

function onMessage(msg: HostMessage): void {
  if (msg.type === 'execute') queue = queue.then(() => execute(msg));
  else if (msg.type === 'interrupt') {
    send({ type: 'interrupt-ack', id: msg.id });
    if (current && current.id === msg.id) current.interrupt();
  } else if (msg.type === 'request') void request(msg);
}

/** Errors of timers, callbacks and promises nobody awaited that surfaced after their cell ended: shown in the next cell. */
const lateErrors: string[] = [];

/**
 * As Jupyter: an error thrown by a timer or callback, or a promise rejection nobody handles, does not end the
 * kernel. It is shown in the running cell, or — when no cell runs — kept for the next cell's output; the host is
 * told at once either way (the CLI exits non-zero, the extension can show it).
 */
function backgroundError(kind: 'uncaught' | 'unhandled-rejection', err: unknown): void {
  if (err instanceof InterruptError) return;
  const info = engine.errorInfo(err);
  send({ type: 'background-error', id: current?.id ?? null, kind, error: info });
  const what = kind === 'uncaught' ? `Uncaught ${info.name} thrown by a timer or callback` : 'Unhandled promise rejection';
  if (current) emit({ type: 'stream', name: 'stderr', text: `${what}:\n${info.stack}\n` });
  else lateErrors.push(`${what} after the previous cell had finished:\n${info.stack}\n`);
}

/** Resolves once no (ref'd) timer or immediate is pending, or after timeoutMs: lets the CLI see late errors. */
async function drain(timeoutMs: number): Promise<{ settled: boolean }> {
  const limit = Date.now() + Math.min(Math.max(0, timeoutMs || 0), 600_000);
  const busy = (): boolean => process.getActiveResourcesInfo().some((r) => r === 'Timeout' || r === 'Immediate');
  while (busy() && Date.now() < limit) await new Promise((r) => setTimeout(r, 10).unref());
  await new Promise((r) => setImmediate(r)); // let an error thrown by the last timer arrive first
  return { settled: !busy() };
}

function installProcessHandlers(): void {
  process.on('SIGINT', () => current?.interrupt());
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (err) => backgroundError('uncaught', err));
  process.on('unhandledRejection', (reason) => backgroundError('unhandled-rejection', reason));
}

/** Forked by a host that holds our stdin pipe (ExecutorClient): then its closing means the host is gone. */
function hostPipedStdin(): boolean {
  try {
    const st = fstatSync(0);
    return typeof process.send === 'function' && (st.isFIFO() || st.isSocket());
  } catch {
    return false;
  }
}

function main(): void {
  installStackMapping(engine.registry);
  Error.stackTraceLimit = 50;
  patchStream(process.stdout, 'stdout');
  patchStream(process.stderr, 'stderr');
  installProcessHandlers();
  let runtime: unknown;
  const loader = new ModuleLoader(cwd, () => {
    if (runtime === undefined) throw new Error(`Cannot load 'layerwise': the runtime is not available (${runtimePath})`);
    return runtime;
  }, runtimePath);
  loader.hookRequire();
  loader.registerTsLoader();
  const loaded = loadRuntime();
  runtime = loaded.runtime;
  if (loaded.error) runtimeWarning = `layerwise: runtime not loaded from ${runtimePath}: ${loaded.error}`;
  installGlobals(runtime, loaded.error, loader);
  process.on('message', (m) => onMessage(m as HostMessage));
  send({ type: 'ready', pid: process.pid, runtime: { path: runtimePath, loaded: !loaded.error, error: loaded.error } });
  // Warm up the compiler (TypeScript parser, esbuild service) while the host is still getting the first cell.
  setImmediate(() => {
    interrupts.start(hostPipedStdin());
    void compileCell('0', 'warmup', 0).catch(() => undefined);
  });
}

main();

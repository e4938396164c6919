/**
 * Runs compiled cells in the executor process: drives the cell generator step by step, each step under vm's
 * breakOnSigint (SIGINT terminates synchronous code and keeps every global), races awaits against the
 * interrupt, and turns failures into ErrorInfo with cell positions and executor frames trimmed.
 */
import * as vm from 'node:vm';
import { inspect } from 'node:util';
import type { ErrorInfo, ExecStatus } from './messages';
import { CellCompileError, compileCell } from './transform';
import { CellRegistry, mapStackText, trimStack, type CellMapper } from './sourcemap';

export class InterruptError extends Error {
  constructor(message = 'Execution interrupted') {
    super(message);
    this.name = 'InterruptError';
  }
}

export interface Execution {
  id: number;
  cellId: string;
  /** Set once interrupted (never reset); also raised from `requested` (the stdin flag) when checked. */
  interrupted: boolean;
  check(): boolean;
  interruptPromise: Promise<never>;
  interrupt(): void;
}

export function newExecution(id: number, cellId: string, requested: () => boolean = () => false): Execution {
  let reject!: (e: unknown) => void;
  const interruptPromise = new Promise<never>((_, rej) => (reject = rej));
  interruptPromise.catch(() => undefined);
  const exec: Execution = {
    id, cellId, interrupted: false, interruptPromise,
    check() {
      if (!exec.interrupted && requested()) exec.interrupt();
      return exec.interrupted;
    },
    interrupt() {
      if (exec.interrupted) return;
      exec.interrupted = true;
      reject(new InterruptError());
    },
  };
  return exec;
}

const STEP_KEY = Symbol.for('layerwise.step');
const STEP_SCRIPT = new vm.Script('globalThis[Symbol.for("layerwise.step")]()', { filename: 'lw-step.js' });

function isSigintTermination(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
}

/** Runs `fn` as one vm script execution with breakOnSigint: SIGINT to the process throws InterruptError here. */
export function step<T>(exec: Execution, fn: () => T): T {
  const g = globalThis as Record<symbol, unknown>;
  g[STEP_KEY] = fn;
  try {
    return STEP_SCRIPT.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
  } catch (e) {
    if (isSigintTermination(e)) {
      exec.interrupt();
      throw new InterruptError();
    }
    throw e;
  } finally {
    g[STEP_KEY] = undefined;
  }
}

function race<T>(exec: Execution, value: T | Promise<T>): Promise<T> {
  if (exec.check()) return Promise.reject(new InterruptError());
  return Promise.race([value, exec.interruptPromise]);
}

async function drive(exec: Execution, gen: Generator<unknown, unknown, unknown>): Promise<unknown> {
  let input: unknown;
  let threw = false;
  for (;;) {
    if (exec.check()) throw new InterruptError();
    const r = step(exec, () => (threw ? gen.throw(input) : gen.next(input)));
    if (r.done) return r.value;
    try {
      input = await race(exec, r.value);
      threw = false;
    } catch (e) {
      if (e instanceof InterruptError) throw e;
      input = e;
      threw = true;
    }
  }
}

export interface CellOutcome {
  status: Exclude<ExecStatus, 'died'>;
  value?: unknown;
  hasValue: boolean;
  error?: ErrorInfo;
}

export class Engine {
  readonly registry = new CellRegistry();
  readonly declared = new Set<string>();
  private seq = 0;
  private currentMapper: CellMapper | undefined;
  private currentCellId = 'cell';

  constructor(private readonly internalFiles: string[]) {}

  async run(exec: Execution, code: string): Promise<CellOutcome> {
    this.currentMapper = undefined;
    this.currentCellId = exec.cellId;
    try {
      const cell = await compileCell(code, exec.cellId, ++this.seq);
      this.registry.add(cell.filename, cell.mapper);
      this.currentMapper = cell.mapper;
      const script = new vm.Script(cell.code, { filename: cell.filename });
      const fn = step(exec, () => script.runInThisContext({ displayErrors: false })) as (this: unknown) => unknown;
      for (const n of cell.declared) this.declared.add(n);
      const value = cell.mode === 'generator'
        ? await drive(exec, fn.call(globalThis) as Generator<unknown, unknown, unknown>)
        : await race(exec, step(exec, () => fn.call(globalThis)));
      return { status: 'ok', value, hasValue: value !== undefined };
    } catch (e) {
      if (e instanceof InterruptError || exec.interrupted) {
        // Cooperative interrupts (progress(), awaits) carry the cell frames where the cell was stopped.
        const info = e instanceof InterruptError ? this.errorInfo(e) : undefined;
        const stack = info?.stack ?? 'InterruptError: Execution interrupted';
        return { status: 'interrupted', hasValue: false, error: { name: 'InterruptError',
          message: 'Execution interrupted; every variable defined so far is kept.', stack } };
      }
      return { status: 'error', hasValue: false, error: this.errorInfo(e) };
    }
  }

  /** Name, message and a stack whose cell frames point at the cell's own line:column. */
  errorInfo(e: unknown): ErrorInfo {
    if (e instanceof CellCompileError) return this.compileErrorInfo(e, this.currentCellId);
    const err = e as { name?: unknown; message?: unknown; stack?: unknown } | null;
    if (!err || typeof err !== 'object' || typeof err.message !== 'string') {
      const text = inspect(e, { depth: 2 });
      return { name: 'Error', message: `Uncaught ${text}`, stack: `Uncaught ${text}` };
    }
    const name = typeof err.name === 'string' ? err.name : 'Error';
    const raw = typeof err.stack === 'string' ? err.stack : `${name}: ${err.message}`;
    const stack = trimStack(mapStackText(raw, this.registry), this.internalFiles);
    return { name, message: err.message, stack: stack + this.codeFrameFor(stack) };
  }

  private compileErrorInfo(e: CellCompileError, cellId: string): ErrorInfo {
    const frame = codeFrame(e.line, e.column, e.lineText);
    return { name: 'SyntaxError', message: e.message,
      stack: `SyntaxError: ${e.message}\n    at ${cellId}:${e.line}:${e.column}\n\n${frame}` };
  }

  private codeFrameFor(stack: string): string {
    const m = this.currentMapper;
    if (!m) return '';
    const id = m.cellId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const hit = new RegExp(`${id}:(\\d+):(\\d+)`).exec(stack);
    if (!hit) return '';
    const line = Number(hit[1]);
    const text = m.sourceLine(line);
    return text === undefined ? '' : `\n\n${codeFrame(line, Number(hit[2]), text)}`;
  }
}

export function codeFrame(line: number, column: number, text: string): string {
  const gutter = String(line);
  return `> ${gutter} | ${text}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`;
}

/** Maps cell positions in every stack trace (console.error(err), util.inspect…), not only in reported errors. */
export function installStackMapping(registry: CellRegistry): void {
  Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
    let head: string;
    try {
      head = Error.prototype.toString.call(err);
    } catch {
      head = 'Error';
    }
    return [head, ...frames.map((f) => `    at ${mapStackText(String(f), registry)}`)].join('\n');
  };
}

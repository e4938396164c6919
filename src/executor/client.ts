/**
 * Host side of the executor: spawns one executor process per notebook (child_process.fork), queues cell
 * executions one at a time, streams their events, interrupts, restarts, and reports process death.
 * Used by the VS Code extension and the headless CLI. Never loads the runtime itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { MimeBundle } from '../protocol';
import {
  CONFIG_ENV, isWorkerMessage, type ErrorInfo, type ExecEvent, type ExecStatus, type ExecutorConfig,
  type HostMessage, type WorkerMessage,
} from './messages';

export type { ExecEvent } from './messages';
export type { MimeBundle };

export interface ExecuteResult {
  status: ExecStatus;
  error?: ErrorInfo;
  durationMs: number;
}

export interface ExecutorOptions {
  cwd: string;
  executorPath?: string;
  runtimePath?: string;
  env?: Record<string, string>;
  execArgv?: string[];
  /** Stream output kept per cell (bytes; default 5 MB, 0 = unlimited): the rest is dropped with a note saying how much. */
  maxOutputBytes?: number;
}

export interface DeathInfo {
  code: number | null;
  signal: string | null;
  stderrTail: string;
  /** No cell was running: nothing showed the death, so the host should (the next run also starts with a notice). */
  whileIdle: boolean;
  /** One sentence for the user, e.g. "The kernel exited with code 1 while idle; its variables are lost. …". */
  message: string;
}

/** An error thrown by a timer/callback or an unhandled rejection in the executor (the process went on). */
export interface BackgroundError {
  kind: 'uncaught' | 'unhandled-rejection';
  error: ErrorInfo;
  /** True when a cell was running (its output shows the error); false when idle (the next cell's output shows it). */
  duringCell: boolean;
}

interface Running {
  id: number;
  /** The executor acknowledged an interrupt request: it is responsive, no SIGINT needed. */
  acked?: boolean;
  /** The execute message has been posted (the process was ready). */
  sent?: boolean;
  onEvent: (e: ExecEvent) => void;
  resolve: (r: Omit<ExecuteResult, 'durationMs'>) => void;
}

interface Proc {
  child: ChildProcess;
  ready: Promise<void>;
  exited: boolean;
  intentional: boolean;
  /** Why the host killed it (restart/dispose). */
  reason?: string;
  failReady: (e: Error) => void;
  fatal?: ErrorInfo;
  stderrTail: string;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

const STDERR_TAIL = 4000;
/** How long a cell may take to react to the cooperative interrupt before it gets SIGINT. */
const SIGINT_DELAY_MS = 150;

function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}

export class ExecutorClient {
  private proc: Proc | undefined;
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;
  private readonly deathListeners = new Set<(info: DeathInfo) => void>();
  private readonly backgroundListeners = new Set<(e: BackgroundError) => void>();
  /** Set by a death nobody saw (idle): the next run starts in a new process and its output says so first. */
  private lostState: string | undefined;
  /** Every background error reported by this client's processes, oldest first. */
  readonly backgroundErrors: BackgroundError[] = [];

  constructor(private readonly opts: ExecutorOptions) {}

  get alive(): boolean {
    return !!this.proc && !this.proc.exited;
  }

  execute(code: string, opts: { cellId: string; onEvent: (e: ExecEvent) => void }): Promise<ExecuteResult> {
    const run = this.queue.then(() => this.run(code, opts.cellId, opts.onEvent));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Interrupts the running cell, keeping the process and its state. First cooperatively: an IPC message (ends
   * async waits at once) and a line on the child's stdin (raises a shared flag that progress(), the runtime and
   * awaits check even while the main thread is busy). If the cell is still running shortly after, it is stuck in
   * synchronous code (it did not even acknowledge the request), so SIGINT is sent, which vm's breakOnSigint
   * turns into an exception. SIGINT is not sent eagerly: a signal that arrives while no synchronous cell code
   * runs stays pending in Node and would hit the next cell.
   */
  interrupt(): void {
    const p = this.proc;
    const r = this.running;
    if (!p || p.exited || !r) return;
    if (!r.sent) {
      // Still starting: the cell never runs.
      r.resolve({ status: 'interrupted', error: { name: 'InterruptError', message: 'Interrupted before it started',
        stack: 'InterruptError: Interrupted before it started' } });
      return;
    }
    this.post(p, { type: 'interrupt', id: r.id });
    try {
      p.child.stdin?.write(`${r.id}\n`); // raises the executor's interrupt flag even while it is busy
    } catch {
      /* exit handler reports it */
    }
    if (process.platform === 'win32') return;
    setTimeout(() => {
      if (p.exited || this.running?.id !== r.id || r.acked) return;
      try {
        p.child.kill('SIGINT');
      } catch {
        /* already gone */
      }
    }, SIGINT_DELAY_MS).unref();
  }

  async restart(): Promise<void> {
    this.kill('The executor was restarted; its state is gone.');
    if (this.disposed) return;
    await this.ensure().ready.catch(() => undefined);
  }

  dispose(reason = 'The executor was disposed.'): void {
    this.disposed = true;
    this.kill(reason);
  }

  onDidDie(cb: (info: DeathInfo) => void): { dispose(): void } {
    this.deathListeners.add(cb);
    return { dispose: () => this.deathListeners.delete(cb) };
  }

  /** Fires when a timer/callback throws or a rejection goes unhandled in the executor (see BackgroundError). */
  onBackgroundError(cb: (e: BackgroundError) => void): { dispose(): void } {
    this.backgroundListeners.add(cb);
    return { dispose: () => this.backgroundListeners.delete(cb) };
  }

  /**
   * Waits until the executor has no pending timer/immediate (or timeoutMs passed), so errors thrown by timers
   * after the last cell are reported (backgroundErrors) before the host stops. False when it did not settle.
   */
  async drain(timeoutMs = 2000): Promise<boolean> {
    if (!this.alive) return true;
    try {
      const r = (await this.request('drain', { timeoutMs })) as { settled?: boolean } | null;
      return r?.settled !== false;
    } catch {
      return !this.alive;
    }
  }

  request(kind: string, args?: unknown): Promise<unknown> {
    const p = this.proc;
    if (!p || p.exited) return Promise.reject(new Error('executor is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      p.pending.set(id, { resolve, reject });
      p.ready.then(() => this.post(p, { type: 'request', id, kind, args }), reject);
    });
  }

  private async run(code: string, cellId: string, onEvent: (e: ExecEvent) => void): Promise<ExecuteResult> {
    const t0 = Date.now();
    if (this.disposed) return { status: 'died', error: diedError('The executor was disposed.'), durationMs: 0 };
    const p = this.ensure();
    const id = this.nextId++;
    if (this.lostState) {
      const notice = this.lostState;
      this.lostState = undefined;
      try {
        onEvent({ type: 'stream', name: 'stderr', text: `${notice}\n` });
      } catch {
        /* a failing listener must not stop the run */
      }
    }
    const result = await new Promise<Omit<ExecuteResult, 'durationMs'>>((resolve) => {
      const running: Running = { id, onEvent, resolve };
      this.running = running;
      p.ready.then(() => {
        if (this.running !== running) return;
        running.sent = true;
        this.post(p, { type: 'execute', id, cellId, code });
      }, () => undefined);
    });
    this.running = undefined;
    return { ...result, durationMs: Date.now() - t0 };
  }

  private ensure(): Proc {
    if (this.proc && !this.proc.exited) return this.proc;
    const executorPath = this.opts.executorPath ?? path.join(__dirname, 'executor.js');
    const config: ExecutorConfig = {
      cwd: this.opts.cwd,
      runtimePath: this.opts.runtimePath ?? path.join(__dirname, 'runtime.js'),
      maxOutputBytes: this.opts.maxOutputBytes,
    };
    const child = fork(executorPath, [], {
      cwd: this.opts.cwd,
      env: { ...process.env, ...this.opts.env, [CONFIG_ENV]: JSON.stringify(config) },
      execArgv: this.opts.execArgv ?? ['--expose-gc'],
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => ((markReady = res), (failReady = rej)));
    ready.catch(() => undefined);
    const p: Proc = { child, ready, exited: false, intentional: false, failReady, stderrTail: '', pending: new Map() };
    this.proc = p;
    child.on('message', (m) => isWorkerMessage(m) && this.onMessage(p, m, markReady));
    child.stdin?.on('error', () => undefined);
    child.stdout?.on('data', (d: Buffer) => this.forwardNative(p, 'stdout', d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      p.stderrTail = (p.stderrTail + text).slice(-STDERR_TAIL);
      this.forwardNative(p, 'stderr', text);
    });
    child.on('error', (err) => this.onExit(p, null, null, `Could not start the executor (${executorPath}): ${err.message}`));
    child.on('exit', (code, signal) => this.onExit(p, code, signal));
    return p;
  }

  private forwardNative(p: Proc, name: 'stdout' | 'stderr', text: string): void {
    if (this.proc === p && this.running) this.deliver({ type: 'stream', name, text });
  }

  private deliver(e: ExecEvent): void {
    try {
      this.running?.onEvent(e);
    } catch {
      /* a failing listener must not break the executor */
    }
  }

  private onMessage(p: Proc, m: WorkerMessage, markReady: () => void): void {
    if (m.type === 'ready') markReady();
    else if (m.type === 'event') {
      if (this.proc === p) this.deliver(m.event);
    } else if (m.type === 'interrupt-ack') {
      if (this.running && this.running.id === m.id) this.running.acked = true;
    } else if (m.type === 'done') {
      if (this.running && this.running.id === m.id) this.running.resolve({ status: m.status, error: m.error });
    } else if (m.type === 'response') {
      const req = p.pending.get(m.id);
      p.pending.delete(m.id);
      if (!req) return;
      if (m.ok) req.resolve(m.value);
      else req.reject(Object.assign(new Error(m.error?.message ?? 'request failed'), { name: m.error?.name ?? 'Error' }));
    } else if (m.type === 'fatal') p.fatal = m.error;
    else if (m.type === 'background-error') {
      const e: BackgroundError = { kind: m.kind, error: m.error, duringCell: m.id !== null };
      this.backgroundErrors.push(e);
      for (const cb of [...this.backgroundListeners]) {
        try {
          cb(e);
        } catch {
          /* ignore listener errors */
        }
      }
    }
  }

  private onExit(p: Proc, code: number | null, signal: string | null, startError?: string): void {
    if (p.exited) return;
    p.exited = true;
    const why = startError ?? `The executor process ${describeExit(code, signal)}`;
    p.failReady(new Error(why));
    for (const req of p.pending.values()) req.reject(new Error(`${why}.`));
    p.pending.clear();
    if (this.proc !== p) return;
    this.proc = undefined;
    const reason = p.intentional ? p.reason ?? why : this.deathMessage(p, why);
    const whileIdle = !this.running;
    if (this.running) this.running.resolve({ status: 'died', error: diedError(reason, p.stderrTail) });
    if (!p.intentional) {
      const message = whileIdle
        ? `Kernel restarted: the previous executor process ${describeExit(code, signal)} while idle, so every variable of the earlier cells is lost.`
        : reason.split('\n')[0];
      if (whileIdle && !this.disposed) this.lostState = message;
      const info: DeathInfo = { code, signal, stderrTail: p.stderrTail, whileIdle, message };
      for (const cb of [...this.deathListeners]) {
        try {
          cb(info);
        } catch {
          /* ignore listener errors */
        }
      }
    }
  }

  private deathMessage(p: Proc, why: string): string {
    const cause = p.fatal ? ` after an uncaught ${p.fatal.name}: ${p.fatal.message}` : '';
    const oom = /out of memory|heap limit|RangeError: WebAssembly\.Memory/i.test(p.stderrTail) ? ' (out of memory)' : '';
    return `${why}${cause}${oom} while this cell was running. All variables are lost; the next run starts a new process.` +
      (p.fatal ? `\n\n${p.fatal.stack}` : '');
  }

  private kill(reason: string): void {
    const p = this.proc;
    if (!p || p.exited) return;
    p.intentional = true;
    p.reason = reason;
    try {
      p.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    // Resolve now rather than waiting for 'exit', so restart() can start the next process at once.
    this.onExit(p, null, 'SIGKILL');
  }

  private post(p: Proc, msg: HostMessage): void {
    if (p.exited || !p.child.connected) return;
    try {
      p.child.send(msg);
    } catch {
      /* exit handler reports it */
    }
  }
}

function diedError(message: string, stderrTail = ''): ErrorInfo {
  const tail = stderrTail.trim() ? `\n\nexecutor stderr:\n${stderrTail.trim().split('\n').slice(-15).join('\n')}` : '';
  return { name: 'ExecutorDied', message, stack: `ExecutorDied: ${message}${tail}` };
}

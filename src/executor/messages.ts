/**
 * The typed JSON message protocol between the ExecutorClient (host side) and the executor process
 * (src/executor/worker.ts, bundled to dist/executor.js), carried over the `child_process.fork` IPC channel.
 * Configuration travels in the LAYERWISE_EXECUTOR_CONFIG environment variable (ExecutorConfig as JSON).
 */
import type { MimeBundle } from '../protocol';

export type ExecEvent =
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; bundle: MimeBundle; displayId?: string }
  | { type: 'update'; bundle: MimeBundle; displayId: string }
  | { type: 'result'; bundle: MimeBundle };

export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
}

export type ExecStatus = 'ok' | 'error' | 'interrupted' | 'died';

export const CONFIG_ENV = 'LAYERWISE_EXECUTOR_CONFIG';

export interface ExecutorConfig {
  /** The notebook's directory: imports and require() resolve from here; it is also the process cwd. */
  cwd: string;
  /** The runtime bundle (CommonJS). A missing file is reported once on stderr; the kernel still runs. */
  runtimePath: string;
  /** Stream output kept per cell, in bytes (default 5 MB; 0 = no limit); the rest is dropped with a note. */
  maxOutputBytes?: number;
}

/** Host → executor. */
export type HostMessage =
  | { type: 'execute'; id: number; cellId: string; code: string }
  | { type: 'interrupt'; id: number }
  | { type: 'request'; id: number; kind: string; args?: unknown };

/** Executor → host. */
export type WorkerMessage =
  | { type: 'ready'; pid: number; runtime: { path: string; loaded: boolean; error?: string } }
  /** `id` is the execution the event belongs to, null when no cell was running (background timers). */
  | { type: 'event'; id: number | null; event: ExecEvent }
  /** The executor's event loop saw the interrupt request (so it is not stuck in synchronous code). */
  | { type: 'interrupt-ack'; id: number }
  | { type: 'done'; id: number; status: Exclude<ExecStatus, 'died'>; error?: ErrorInfo }
  | { type: 'response'; id: number; ok: boolean; value?: unknown; error?: ErrorInfo }
  /**
   * A timer/callback threw, or a promise rejection went unhandled (the process goes on). `id` is the cell running
   * then (its output shows it), null when idle (the next cell's output shows it).
   */
  | { type: 'background-error'; id: number | null; kind: 'uncaught' | 'unhandled-rejection'; error: ErrorInfo }
  /** Sent just before the process exits because of an uncaught exception. */
  | { type: 'fatal'; error: ErrorInfo };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

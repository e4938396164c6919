/**
 * An interrupt flag the host can raise while the executor's main thread is busy in synchronous code (where
 * neither IPC messages nor process.on('SIGINT') handlers can run): the host writes `<execution id>\n` to the
 * child's stdin; a small worker thread reads it and sets a SharedArrayBuffer flag that `progress()`, the runtime
 * (via `__layerwise_executor.checkInterrupt()`) and every rewritten `await` check.
 */
import { Worker } from 'node:worker_threads';

const READER = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const state = new Int32Array(workerData);
let pending = '';
const input = new net.Socket({ fd: 0, readable: true, writable: false });
input.on('data', (d) => {
  pending += d.toString('latin1');
  for (let i = pending.indexOf('\\n'); i >= 0; i = pending.indexOf('\\n')) {
    const id = Number(pending.slice(0, i));
    pending = pending.slice(i + 1);
    if (id > 0 && Atomics.load(state, 1) === id) Atomics.store(state, 0, id);
  }
});
input.on('error', () => undefined);
`;

export class InterruptChannel {
  /** [0]: id of the execution whose interrupt was requested; [1]: id of the running execution. */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private worker: Worker | undefined;

  /** Starts the reader thread (only when stdin is a pipe from the host). */
  start(): void {
    if (this.worker) return;
    try {
      this.worker = new Worker(READER, { eval: true, workerData: this.state.buffer, stdout: false, stderr: false });
      this.worker.on('error', () => undefined);
      this.worker.unref();
    } catch {
      this.worker = undefined;
    }
  }

  setRunning(id: number): void {
    Atomics.store(this.state, 1, id);
  }

  requested(id: number): boolean {
    return id > 0 && Atomics.load(this.state, 0) === id;
  }
}

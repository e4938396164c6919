/**
 * An interrupt flag the host can raise while the executor's main thread is busy in synchronous code (where
 * neither IPC messages nor process.on('SIGINT') handlers can run): the host writes `<execution id>\n` to the
 * child's stdin; a small worker thread reads it and sets a SharedArrayBuffer flag that `progress()`, the runtime
 * (via `__layerwise_executor.checkInterrupt()`) and every rewritten `await` check.
 * The same thread is the executor's watchdog: it ends the process when the host dies, even mid-loop.
 */
import { Worker } from 'node:worker_threads';

const READER = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const state = new Int32Array(workerData.state);
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
// Watchdog: this thread runs even while a cell spins in a synchronous loop on the main thread. When the host goes
// away (its end of our stdin closes, or we are re-parented) nothing is left to report to: end the whole process.
const die = () => process.kill(process.pid, 'SIGKILL');
if (workerData.watchParent) {
  input.on('end', die);
  input.on('close', die);
  const ppid = workerData.ppid;
  setInterval(() => { if (process.ppid !== ppid) die(); }, 500);
}
`;

export class InterruptChannel {
  /** [0]: id of the execution whose interrupt was requested; [1]: id of the running execution. */
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private worker: Worker | undefined;

  /**
   * Starts the reader thread. With `watchParent` (the process was forked by a host with a stdin pipe) it is also
   * the watchdog: the process is killed as soon as the host's end of stdin closes or the parent pid changes.
   */
  start(watchParent = false): void {
    if (this.worker) return;
    try {
      const workerData = { state: this.state.buffer, watchParent, ppid: process.ppid };
      this.worker = new Worker(READER, { eval: true, workerData, stdout: false, stderr: false });
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

/**
 * setNumThreads / getNumThreads / useDeterministicAlgorithms (PyTorch's names), the one-thread fallback, and the
 * worker pool's lifecycle: a process that ran split ops exits on its own (workers are unref()'d).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as rt from '../../src/runtime';
import { WasmCore } from '../../src/runtime/backend/wasm/core';
import { wasmBackend } from '../../src/runtime/backend/wasm';
import { setThreadsCapable } from '../../src/runtime/backend/wasm/threads';
import { threadsKernelFile } from '../../src/runtime/backend/wasm/module';

describe('threads: API', () => {
  it('setNumThreads / getNumThreads round-trip; 1 is allowed; values above 16 are capped', () => {
    const prev = rt.getNumThreads();
    try {
      rt.setNumThreads(3);
      assert.equal(rt.getNumThreads(), wasmBackend().split ? 3 : 1);
      rt.setNumThreads(1);
      assert.equal(rt.getNumThreads(), 1);
      rt.setNumThreads(1000);
      assert.equal(rt.getNumThreads(), wasmBackend().split ? 16 : 1);
    } finally {
      rt.setNumThreads(prev);
    }
  });

  it('setNumThreads rejects 0, negative, non-integer and non-number values with a clear error', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, '2', null, undefined]) {
      assert.throws(() => rt.setNumThreads(bad as number), /setNumThreads: n must be a positive integer/, String(bad));
    }
  });

  it('extra arguments throw (no ignored arguments)', () => {
    const any = rt as unknown as Record<string, (...a: unknown[]) => unknown>;
    assert.throws(() => any.setNumThreads(2, 3), /setNumThreads takes one argument/);
    assert.throws(() => any.getNumThreads(1), /getNumThreads takes no arguments/);
    assert.throws(() => any.useDeterministicAlgorithms(true, { warnOnly: true }), /warnOnly is not supported/);
    assert.throws(() => any.areDeterministicAlgorithmsEnabled(1), /takes no arguments/);
  });

  it('useDeterministicAlgorithms takes a boolean', () => {
    assert.equal(rt.areDeterministicAlgorithmsEnabled(), false);
    rt.useDeterministicAlgorithms(true);
    assert.equal(rt.areDeterministicAlgorithmsEnabled(), true);
    rt.useDeterministicAlgorithms(false);
    assert.throws(() => rt.useDeterministicAlgorithms(1 as unknown as boolean), /must be a boolean/);
  });

  it('a backend that cannot run threads reports 1 thread', () => {
    wasmBackend();
    try {
      setThreadsCapable(false);
      assert.equal(rt.getNumThreads(), 1);
    } finally {
      setThreadsCapable(wasmBackend().split !== null);
    }
  });

  it('falls back to one thread over an ordinary memory for the simd / relaxed builds, and computes the same', () => {
    const plain = new WasmCore({ flavor: 'simd' });
    assert.equal(plain.split, null);
    assert.ok(!(plain.allocator.memory.buffer instanceof SharedArrayBuffer));
    assert.throws(() => new WasmCore({ threads: 0 }), /threads must be a positive integer/);
  });

  it('the default wasm backend uses the threads build over a shared memory when the platform allows it', () => {
    const be = wasmBackend();
    if (!threadsKernelFile()) return void assert.equal(be.split, null); // no shared memory or no threads build here
    assert.equal(be.flavor, 'threads');
    assert.ok(be.allocator.memory.buffer instanceof SharedArrayBuffer);
  });

  it('a process that ran split ops exits by itself, with LAYERWISE_THREADS=2', function () {
    this.timeout(120000);
    const root = path.join(__dirname, '../..');
    const script = `
      const rt = require('./src/runtime');
      const { wasmBackend } = require('./src/runtime/backend/wasm');
      const a = rt.randn([256, 512]), b = rt.randn([512, 256]);
      const c = rt.matmul(a, b);
      const conv = new rt.nn.Conv2d(8, 16, 3, { padding: 1 });
      const y = conv.forward(rt.randn([8, 8, 32, 32]));
      y.sum().backward();
      console.log(JSON.stringify({ threads: rt.getNumThreads(), splits: wasmBackend().split?.splits ?? -1, c: c.shape }));
    `;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], {
      cwd: root, encoding: 'utf8', timeout: 100000, env: { ...process.env, LAYERWISE_THREADS: '2' },
    });
    assert.equal(r.error, undefined, `did not exit: ${String(r.error)}`);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    if (out.splits === -1) return; // no shared memory on this platform
    assert.equal(out.threads, 2);
    // matmul, conv forward and conv dW (the input needs no gradient, so there is no dX)
    assert.equal(out.splits, 3);
  });

  it('LAYERWISE_THREADS must be a positive integer', () => {
    const root = path.join(__dirname, '../..');
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', "console.log(require('./src/runtime').getNumThreads())"], {
      cwd: root, encoding: 'utf8', timeout: 100000, env: { ...process.env, LAYERWISE_THREADS: 'two' },
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /LAYERWISE_THREADS must be a positive integer, got "two"/);
  });
});

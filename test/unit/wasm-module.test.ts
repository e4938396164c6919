/** Locating, validating and instantiating the kernel artifacts. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findKernelsDir, loadKernels, pickKernelFile } from '../../src/runtime/backend/wasm/module';
import { wasmBackend } from '../../src/runtime/backend/wasm';

const repoKernels = path.resolve(__dirname, '../../dist/kernels');

describe('wasm kernel module', () => {
  it('finds dist/kernels from source, and honours LAYERWISE_KERNELS_DIR first', () => {
    const saved = process.env.LAYERWISE_KERNELS_DIR;
    try {
      delete process.env.LAYERWISE_KERNELS_DIR;
      assert.equal(findKernelsDir(), repoKernels);
      process.env.LAYERWISE_KERNELS_DIR = repoKernels + path.sep + '.';
      assert.equal(findKernelsDir(), repoKernels);
    } finally {
      if (saved === undefined) delete process.env.LAYERWISE_KERNELS_DIR;
      else process.env.LAYERWISE_KERNELS_DIR = saved;
    }
  });

  it('prefers the relaxed-SIMD build when the engine validates it; simd on request', () => {
    const best = pickKernelFile(repoKernels); // sets --experimental-wasm-relaxed-simd on Node 20 first
    const relaxedOk = WebAssembly.validate(fs.readFileSync(path.join(repoKernels, 'kernels.relaxed.wasm')));
    assert.equal(best.flavor, relaxedOk ? 'relaxed' : 'simd');
    assert.match(best.file, /kernels\.(relaxed|simd)\.wasm$/);
    assert.equal(pickKernelFile(repoKernels, 'simd').flavor, 'simd');
  });

  it('instantiates over a JS-owned memory and exports the GEMM / conv entry points', () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 1024 });
    const k = loadKernels(memory, 'simd');
    assert.equal(k.memory, memory);
    for (const name of ['gemm', 'gemm_batched', 'gemm_scratch_bytes', 'conv2d_forward', 'conv2d_backward_data',
      'conv2d_backward_filter', 'conv_scratch_bytes']) {
      assert.equal(typeof k.ex[name], 'function', name);
    }
    assert.ok(!('memory' in k.ex) || k.ex.memory === memory, 'the module uses the imported memory');
  });

  it('wasmBackend() is a singleton implementing the Backend surface (float32 / int32 only)', () => {
    const be = wasmBackend();
    assert.equal(be, wasmBackend());
    assert.equal(be.name, 'wasm');
    assert.equal(be.supports('float32') && be.supports('int32'), true);
    assert.equal(be.supports('float64'), false);
    assert.throws(() => be.alloc('float64', 4), /not supported/);
    for (const m of ['fill', 'copy', 'cast', 'unary', 'unaryGrad', 'binary', 'where', 'reduce', 'gather', 'scatterAdd',
      'indexSelect', 'indexAdd', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward',
      'adaptiveAvgPool2d', 'adaptiveAvgPool2dBackward', 'softmax', 'softmaxBackward', 'gemm', 'conv2d',
      'conv2dBackwardData', 'conv2dBackwardFilter', 'alloc', 'stats']) {
      assert.equal(typeof (be as any)[m], 'function', m);
    }
  });
});

import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleModule, I32, op } from '../../../../src-main/engine/wasm/assembler';
import { KernelHelpers, PARALLEL_MIN_ELEMENTS } from '../../../../src-main/engine/wasm/kernel-helpers';
import { compileSimdKernels, kernelsModule } from '../../../../src-main/engine/wasm/simd-kernels';
import { assertClose, useEngineBackend } from '../helpers';

useEngineBackend();

/** softplus in double precision, without overflow. */
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

test('the assembler builds a module WebAssembly accepts, over an imported memory', () => {
  const bytes = assembleModule([{ name: 'add', params: [I32, I32], results: [I32], locals: [], body: [op.localGet(0), op.localGet(1), op.i32Add] }], false);
  const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
  assert.ok(wasm.validate(bytes));
});

test('on wasm, Softplus runs the SIMD kernel and matches log(1 + eˣ) to float32 precision across its range', () => {
  // Lengths 1…9 cover the 4-lane body and every tail; the wide range covers both asymptotes.
  for (let n = 1; n <= 9; n++) {
    const xs = Array.from({ length: n }, (_, i) => (i - 4) * 3.7);
    const ys = tf.tidy(() => tf.softplus(tf.tensor1d(xs)).dataSync());
    xs.forEach((x, i) => assertClose(ys[i], softplus(x), 3e-7 * Math.max(1, softplus(x)), `softplus(${x}), n = ${n}`));
  }
  const xs = Float32Array.from({ length: 4096 }, (_, i) => -90 + (180 * i) / 4095);
  const ys = tf.tidy(() => tf.softplus(tf.tensor1d(xs)).dataSync());
  let worst = 0;
  xs.forEach((x, i) => {
    const exact = softplus(x);
    // Below −87.3 the kernel holds at e^−87.3 ≈ 1.2e-38 instead of going subnormal.
    worst = Math.max(worst, exact > 1e-37 ? Math.abs(ys[i] - exact) / exact : Math.abs(ys[i] - exact));
  });
  assert.ok(worst < 3e-7, `worst relative error ${worst}`);
  const special = tf.tidy(() => Array.from(tf.softplus(tf.tensor1d([NaN, Infinity, 0, 100, -100, 1e-3])).dataSync()));
  assert.ok(Number.isNaN(special[0]));
  assert.equal(special[1], Infinity);
  assertClose(special[2], Math.LN2, 1e-7, 'softplus(0)');
  assert.equal(special[3], 100);
  assert.ok(special[4] >= 0 && special[4] < 2e-38);
  assertClose(special[5], softplus(1e-3), 2e-7, 'softplus(1e-3)');
});

test("Softplus's gradient is still sigmoid(x), to second order", () => {
  const [g1, g2] = tf.tidy(() => {
    const x = tf.tensor1d([-3, -0.5, 0, 0.5, 3]);
    const first = tf.grad((v: tf.Tensor) => tf.sum(tf.softplus(v)))(x);
    const second = tf.grad((v: tf.Tensor) => tf.sum(tf.grad((w: tf.Tensor) => tf.sum(tf.softplus(w)))(v)))(x);
    return [Array.from(first.dataSync()), Array.from(second.dataSync())];
  });
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  [-3, -0.5, 0, 0.5, 3].forEach((v, i) => {
    assertClose(g1[i], sigmoid(v), 1e-6, `softplus'(${v})`);
    assertClose(g2[i], sigmoid(v) * (1 - sigmoid(v)), 1e-6, `softplus''(${v})`);
  });
});

for (const [name, op, exact] of [
  ['Sin', tf.sin, Math.sin],
  ['Cos', tf.cos, Math.cos],
] as const) {
  test(`on wasm, ${name} runs the SIMD kernel to within 1e-6 of the exact value, and leaves huge or NaN inputs to tfjs's kernel`, () => {
    const xs = Float32Array.from({ length: 20_001 }, (_, i) => -1000 + i * 0.1);
    const ys = tf.tidy(() => op(tf.tensor1d(xs)).dataSync());
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(ys[i] - exact(x)))));
    assert.ok(worst < 1e-6, `worst absolute error ${worst}`);
    // One lane out of range sends the whole op to tfjs's kernel, which reduces 1e6 exactly.
    const [big, nan, small] = tf.tidy(() => Array.from(op(tf.tensor1d([1e6, NaN, 0.25, 2, 3])).dataSync()));
    assertClose(big, exact(1e6), 1e-6, `${name}(1e6)`);
    assert.ok(Number.isNaN(nan));
    assertClose(small, exact(0.25), 1e-7, `${name}(0.25)`);
  });
}

test('on wasm, Transpose swaps rows and columns of any float matrix (SIMD for sides that are multiples of 4)', () => {
  for (const [rows, cols] of [[4, 4], [8, 12], [128, 64], [12, 34], [3, 5], [128, 2]]) {
    const x = Float32Array.from({ length: rows * cols }, (_, i) => i);
    const y = tf.tidy(() => {
      const t = tf.transpose(tf.tensor2d(x, [rows, cols]));
      assert.deepEqual(t.shape, [cols, rows]);
      return t.dataSync();
    });
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.equal(y[j * rows + i], x[i * cols + j], `[${rows}, ${cols}] at (${i}, ${j})`);
  }
});

test('spread over helper threads, an element-wise kernel gives exactly what one thread gives, every part and tail included', () => {
  const WasmJs = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: ArrayBufferLike } } }).WebAssembly;
  const memory = new WasmJs.Memory({ initial: 64, maximum: 64, shared: true });
  const kernels = compileSimdKernels(memory);
  const helpers = KernelHelpers.start(kernelsModule(memory), memory, ['softplus', 'sin', 'cos'], 2);
  assert.ok(helpers, 'the helper threads started');
  try {
    assert.equal(helpers.threads, 3);
    // Sizes below the threshold, at it, and uneven splits; inputs over softplus's whole range.
    for (const n of [PARALLEL_MIN_ELEMENTS - 4, PARALLEL_MIN_ELEMENTS, 3 * PARALLEL_MIN_ELEMENTS + 44]) {
      const heap = new Float32Array(memory.buffer);
      const [src, dst, ref] = [0, n, 2 * n];
      for (let i = 0; i < n; i++) heap[src + i] = -90 + ((180 * i) / n) * 1.0001;
      kernels.softplus(4 * src, 4 * ref, n);
      heap.fill(NaN, dst, dst + n);
      assert.equal(helpers.run('softplus', kernels.softplus, 4 * src, 4 * dst, n), 0);
      const mismatch = heap.subarray(dst, dst + n).findIndex((y, i) => !Object.is(y, heap[ref + i]));
      assert.equal(mismatch, -1, `n = ${n}: element ${mismatch} differs`);
    }
    // An out-of-range input in a helper's part is reported like one in the caller's.
    const heap = new Float32Array(memory.buffer);
    const n = 2 * PARALLEL_MIN_ELEMENTS;
    heap.fill(1, 0, n);
    heap[n - 10] = 1e9;
    assert.notEqual(helpers.run('sin', kernels.sin, 0, 4 * n, n), 0);
  } finally {
    helpers.stop();
  }
});

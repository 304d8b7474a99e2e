import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleModule, I32, op } from '../../../src-main/engine/wasm/assembler';
import { assertClose, useEngineBackend } from './helpers';

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

/** Shared by the engine tests: one backend per test process, and closeness with a tolerance. */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before } from 'node:test';
import { initBackend } from '../../../src-main/engine/backend';

/** Picks the engine's backend before the file's tests (wasm here unless SCOREBENCH_BACKEND says otherwise). */
export function useEngineBackend(): void {
  before(async () => {
    await initBackend();
  });
}

export function assertClose(actual: number, expected: number, tolerance: number, what = 'value'): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected} ± ${tolerance}, got ${actual} (off by ${Math.abs(actual - expected)})`,
  );
}

export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tolerance, `${what}[${i}]`);
}

/** d loss/dθ for each variable, read back; zeros for a variable the loss does not depend on (tfjs gives it no gradient). */
export function gradientsOf(loss: () => tf.Scalar, variables: tf.Variable[]): number[][] {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, variables);
    return variables.map((v) => (grads[v.name] ? Array.from(grads[v.name].dataSync()) : new Array<number>(v.size).fill(0)));
  });
}

/**
 * Checks `analytic` (gradientsOf `loss`) against central differences of `loss` at three entries of
 * every variable (first, middle, last), step 1e-2, restoring each entry after. float32: a loss of
 * O(1–10) terms carries ~1e-7–1e-6 of rounding, which over 2h is up to ~1e-4; the second
 * derivatives tfjs gets wrong are 5–40% of these gradients.
 */
export function assertMatchesCentralDifferences(variables: tf.Variable[], loss: () => tf.Scalar, analytic: number[][]): void {
  const h = 1e-2;
  for (const [k, variable] of variables.entries()) {
    const base = variable.dataSync().slice();
    for (const index of new Set([0, Math.floor(base.length / 2), base.length - 1])) {
      const at = (delta: number) => {
        const shifted = base.slice();
        shifted[index] += delta;
        tf.tidy(() => variable.assign(tf.tensor(shifted, variable.shape)));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      tf.tidy(() => variable.assign(tf.tensor(base, variable.shape)));
      const g = analytic[k][index];
      assert.ok(Math.abs(g - fd) <= 2e-4 + 2e-3 * Math.abs(fd), `∂/∂θ of variable ${k} [${index}]: autodiff ${g}, central difference ${fd}`);
    }
  }
}

/**
 * |autodiff − central difference| of dG/dw at w = 1, for G(w) = Σ_x dᵏ⁻¹/dxᵏ⁻¹ f(w·x) over a few
 * points: a k-th derivative of f, the order tfjs takes when an objective differentiates (k − 1)
 * derivatives in x once more in θ (k = 2: ISM/SSM on a score network; k = 3: on an energy network).
 */
export function derivativeMismatch(f: (t: tf.Tensor) => tf.Tensor, order: 2 | 3): number {
  const xs = tf.tensor1d([-1.3, 0.2, 0.9]);
  const w = tf.variable(tf.scalar(1));
  const dx = (g: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.sum(g(u)))(t);
  let inner = (t: tf.Tensor) => f(tf.mul(t, w));
  for (let k = 1; k < order; k++) inner = dx(inner);
  const G = () => tf.sum(inner(xs)) as tf.Scalar;
  try {
    const autodiff = tf.tidy(() => tf.variableGrads(G, [w]).grads[w.name].dataSync()[0]);
    const h = 1e-3;
    const at = (value: number) => {
      w.assign(tf.scalar(value));
      return tf.tidy(() => G().dataSync()[0]);
    };
    return Math.abs(autodiff - (at(1 + h) - at(1 - h)) / (2 * h));
  } finally {
    tf.dispose([xs, w]);
  }
}

/** Points and per-row noise levels at which gradients are compared with finite differences. */
export const FD_POINTS = [
  [0.3, -0.8],
  [1.1, 0.4],
  [-0.6, 1.5],
  [-1.2, -0.9],
];
export const FD_SIGMAS = [[0.5], [0.8], [1.2], [2]];

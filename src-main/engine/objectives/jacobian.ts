import * as tf from '@tensorflow/tfjs';
import type { ScoreFn } from '../networks/types';

/**
 * Derivatives of the score in x, by reverse mode, for objectives that differentiate the score's
 * Jacobian J = ∇ₓs_θ(x, σ). Both rely on the rows being independent (row j of s depends on row j of
 * x only, true of the MLP), so one backward pass of Σ_rows gives every row's own derivative. The
 * results stay on the gradient tape: the training step differentiates them again in θ, which is
 * only right where every op's gradient is itself differentiable (see the objectives' gradient test).
 */

/**
 * The score and the vector–Jacobian product per row, vᵀJ = ∇ₓ(vᵀs), in one forward and one backward
 * pass (`v` [n, D], like `x`).
 */
export function scoreAndVjp(score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D, v: tf.Tensor2D): { s: tf.Tensor2D; vjp: tf.Tensor2D } {
  const { value, grad } = tf.valueAndGrad((xx: tf.Tensor2D) => score(xx, sigma))(x, v);
  return { s: value, vjp: grad };
}

/**
 * The score and tr(∇ₓs) per row [n], exactly: D backward passes, the i-th giving ∂s_i/∂x_i as the
 * i-th coordinate of e_iᵀJ (D is small for point data).
 */
export function scoreAndJacobianTrace(score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D): { s: tf.Tensor2D; trace: tf.Tensor1D } {
  const [n, dim] = x.shape;
  let s: tf.Tensor2D | null = null;
  const diagonal: tf.Tensor1D[] = [];
  for (let i = 0; i < dim; i++) {
    const unit = tf.tensor2d(unitColumn(n, dim, i), [n, dim]);
    const { s: value, vjp } = scoreAndVjp(score, x, sigma, unit);
    s ??= value;
    diagonal.push(tf.sum(tf.mul(vjp, unit), 1));
  }
  return { s: s as tf.Tensor2D, trace: tf.addN(diagonal) };
}

/** e_i on every one of n rows, row-major [n, D]. */
function unitColumn(n: number, dim: number, i: number): Float32Array {
  const e = new Float32Array(n * dim);
  for (let j = 0; j < n; j++) e[j * dim + i] = 1;
  return e;
}

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
 * The score and tr(∇ₓs) per row [n], exactly, as Σ_i e_iᵀJe_i: the points are repeated D times
 * (block i holds every row's i-th copy) and block i's vector–Jacobian product is taken with e_i, so
 * one forward and one backward pass over D·n rows give every diagonal entry (D is small for point
 * data). `sigma` is [n, 1].
 */
export function scoreAndJacobianTrace(score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D): { s: tf.Tensor2D; trace: tf.Tensor1D } {
  const [n, dim] = x.shape;
  const repeat = (t: tf.Tensor2D) => (dim === 1 ? t : tf.tile(t, [dim, 1]));
  const basis = tf.tensor2d(unitBlocks(n, dim), [dim * n, dim]);
  const { s, vjp } = scoreAndVjp(score, repeat(x), repeat(sigma), basis);
  const diagonal = tf.sum(tf.mul(vjp, basis), 1).reshape([dim, n]); // [i, j]: ∂s_i/∂x_i at row j
  return { s: tf.slice(s, [0, 0], [n, -1]), trace: tf.sum(diagonal, 0) };
}

/** D blocks of n rows, block i holding e_i in every row: [D·n, D], row-major. */
function unitBlocks(n: number, dim: number): Float32Array {
  const e = new Float32Array(dim * n * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < n; j++) e[(i * n + j) * dim + i] = 1;
  return e;
}

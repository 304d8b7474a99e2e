import * as tf from '@tensorflow/tfjs';
import type { ObjectiveConfig } from '../../../src-shared/config';
import type { ScoreFn } from '../networks/types';
import type { Rng } from '../random';
import { scoreAndVjp } from './jacobian';
import { perturbed, type LevelEstimator } from './levels';

type SlicedConfig = Extract<ObjectiveConfig, { kind: 'ssm' | 'noisy-ssm' | 'fd-ssm' }>;
export type Projection = SlicedConfig['projection'];

/**
 * `length` coordinates of projection vectors, each with E[v] = 0 and E[vvᵀ] = I (what sliced score
 * matching needs): standard normal ('gaussian'), or ±1 with equal odds ('rademacher', Hutchinson's
 * choice: the trace term's variance is lower, 2Σ_{i≠j}J_ij² against 2‖J‖_F² for symmetric J).
 */
export function drawProjections(projection: Projection, length: number, rng: Rng): Float32Array {
  if (projection === 'gaussian') return rng.normals(length);
  const v = new Float32Array(length);
  for (let i = 0; i < length; i++) v[i] = rng.uniform() < 0.5 ? -1 : 1;
  return v;
}

/**
 * Sliced score matching (Song, Garg, Shi & Ermon 2019, eq. 7), one projection v per row:
 *
 *   ℓ(x, v) = vᵀ∇ₓ(vᵀs_θ(x, σ)) + ½(vᵀs_θ)²      (SSM)
 *   ℓ(x, v) = vᵀ∇ₓ(vᵀs_θ(x, σ)) + ½‖s_θ‖²        (SSM-VR, eq. 8: E_v[(vᵀs)²] = ‖s‖² taken exactly)
 *
 * vᵀ∇ₓ(vᵀs) = vᵀJv costs one backward pass. Over v both have mean tr(J) + ½‖s‖², the ISM loss.
 * Returns ℓ per row, [n].
 */
export function ssmLoss(score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D, v: tf.Tensor2D, varianceReduced: boolean): tf.Tensor1D {
  return tf.tidy(() => {
    const { s, vjp } = scoreAndVjp(score, x, sigma, v);
    const quadratic = varianceReduced ? tf.sum(tf.square(s), 1) : tf.square(tf.sum(tf.mul(v, s), 1));
    return tf.add(tf.sum(tf.mul(vjp, v), 1), tf.mul(0.5, quadratic));
  });
}

/** A sliced loss with one projection per row (ssmLoss, fdSsmLoss). */
export type SlicedLoss = (score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor1D;

/**
 * A sliced objective of each level's perturbed density, on its samples x̃ = x + σz, with M
 * projections per sample: x̃ is repeated M times (block b holds every sample's b-th copy), each copy
 * gets its own v, and a sample's loss is the mean over its M copies.
 */
export function slicedEstimator(config: Pick<SlicedConfig, 'projection' | 'projections'>, loss: SlicedLoss): LevelEstimator {
  const copies = config.projections;
  return (model, batch, rng) => {
    const [n, dim] = batch.x.shape;
    const v = drawProjections(config.projection, copies * n * dim, rng);
    return tf.tidy(() => {
      const repeat = (t: tf.Tensor2D) => (copies === 1 ? t : tf.tile(t, [copies, 1]));
      const perCopy = loss(model.score, repeat(perturbed(batch)), repeat(batch.sigma), tf.tensor2d(v, [copies * n, dim]));
      return copies === 1 ? perCopy : tf.mean(perCopy.reshape([copies, n]), 0);
    });
  };
}

/** SSM (or SSM-VR) per level, as configured. */
export function ssmEstimator(config: SlicedConfig): LevelEstimator {
  return slicedEstimator(config, (score, x, sigma, v) => ssmLoss(score, x, sigma, v, config.varianceReduced));
}

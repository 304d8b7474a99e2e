import * as tf from '@tensorflow/tfjs';
import type { ObjectiveConfig } from '../../../src-shared/config';
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ScoreFn } from '../networks/types';
import { perLevelObjective } from './levels';
import type { Objective } from './types';

type DsmConfig = Extract<ObjectiveConfig, { kind: 'dsm' }>;

/**
 * The per-sample denoising score matching loss (Song & Ermon 2019, eq. 2, one Monte Carlo draw per
 * sample): with x̃ = x + σ·z, z ~ N(0, I), the target ∇ log q_σ(x̃ | x) = −(x̃ − x)/σ² = −z/σ, so
 *
 *   ℓ = ½·λ(σ)·‖s_θ(x̃, σ) + (x̃ − x)/σ²‖² = ½·λ(σ)·‖s_θ(x̃, σ) + z/σ‖²
 *
 * (for λ = σ² this is ½‖σ·s_θ + z‖²). `sigma` and `weight` are [n, 1]: each row its own level.
 * Returns ℓ per row, [n].
 *
 * At the optimum s_θ = ∇ log p_σ the loss does not vanish: for p = N(0, s²I) in D dimensions and
 * λ = 1, s* = −x̃/(s² + σ²) and E‖s* + z/σ‖² = E‖s*‖² + (2/σ)·E[s*·z] + E‖z‖²/σ²
 * = D/(s² + σ²) − 2D/(s² + σ²) + D/σ², so the irreducible value is ½·D·(1/σ² − 1/(s² + σ²)).
 */
export function dsmLoss(
  score: ScoreFn,
  x: tf.Tensor2D,
  sigma: tf.Tensor2D,
  z: tf.Tensor2D,
  weight: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const perturbed = tf.add(x, tf.mul(sigma, z)) as tf.Tensor2D;
    const residual = tf.add(score(perturbed, sigma), tf.div(z, sigma));
    return tf.mul(tf.mul(weight, 0.5).reshape([-1]), tf.sum(tf.square(residual), 1)) as tf.Tensor1D;
  });
}

/** Multi-scale DSM: the per-level objective with DSM's conditional target. */
export function createDsm(_config: DsmConfig, levels: ScheduleLevel[]): Objective {
  // λ is applied by perLevelObjective, so the estimator's own weight is 1.
  return perLevelObjective(levels, (model, batch) => dsmLoss(model.score, batch.x, batch.sigma, batch.z, tf.onesLike(batch.sigma)));
}

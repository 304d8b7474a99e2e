import * as tf from '@tensorflow/tfjs';
import type { Mixture } from '../data/types';
import type { ScoreFn } from '../networks/types';
import { perturbedMixtureScoreTensor } from '../targets';
import { perturbed, type LevelEstimator } from './levels';

/**
 * Explicit score matching against a known score, one sample per row:
 *
 *   ℓ(x) = ½‖s_θ(x, σ) − ∇ₓ log p_σ(x)‖²,
 *
 * zero at the true score. `target` [n, D] is ∇ log p_σ at the rows of `x`. Returns ℓ per row, [n].
 */
export function esmLoss(score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.square(tf.sub(score(x, sigma), target)), 1)));
}

/**
 * ESM of each level's perturbed density on its samples x̃ = x + σz: the target is the score of the
 * mixture perturbed at that σ (stds √(s_k² + σ²)), in closed form.
 */
export function esmEstimator(mixture: Mixture): LevelEstimator {
  return (model, batch) =>
    tf.tidy(() => {
      const x = perturbed(batch);
      return esmLoss(model.score, x, batch.sigma, perturbedMixtureScoreTensor(mixture, x, batch.sigma));
    });
}

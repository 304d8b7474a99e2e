import * as tf from '@tensorflow/tfjs';
import type { ScoreFn } from '../networks/types';
import { scoreAndJacobianTrace } from './jacobian';
import { perturbed, type LevelEstimator } from './levels';

/**
 * Implicit score matching (Hyvärinen 2005, Thm. 1), one sample per row, with the exact trace:
 *
 *   ℓ(x) = tr(∇ₓs_θ(x, σ)) + ½‖s_θ(x, σ)‖²,
 *
 * which equals ½‖s_θ − ∇ log p‖² less a constant in θ when x ~ p. At the true score of
 * p = N(μ, Σ) its mean is −tr(Σ⁻¹) + ½·tr(Σ⁻¹) = −½·tr(Σ⁻¹). Returns ℓ per row, [n].
 */
export function ismLoss(score: ScoreFn, x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const { s, trace } = scoreAndJacobianTrace(score, x, sigma);
    return tf.add(trace, tf.mul(0.5, tf.sum(tf.square(s), 1)));
  });
}

/** ISM of each level's perturbed density p_σ, on its samples x̃ = x + σz. */
export const ismEstimator: LevelEstimator = (model, batch) => ismLoss(model.score, perturbed(batch), batch.sigma);

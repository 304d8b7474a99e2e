import * as tf from '@tensorflow/tfjs';
import type { ObjectiveConfig } from '../../../src-shared/config';
import type { ScoreFn } from '../networks/types';
import type { LevelEstimator } from './levels';
import { slicedEstimator } from './ssm';

type FdSsmConfig = Extract<ObjectiveConfig, { kind: 'fd-ssm' }>;

/**
 * Finite-difference sliced score matching (Pang, Xu, Li, Song, Ermon & Zhu 2020, §3): SSM with the
 * directional derivative replaced by a central difference, so training needs first-order gradients
 * only. With δ = step·σ per row and s_± = s_θ(x ± δv, σ) from one forward pass over both:
 *
 *   vᵀ∇ₓ(vᵀs) ≈ vᵀ(s_+ − s_−)/(2δ),      s ≈ s̄ = ½(s_+ + s_−),
 *   ℓ(x, v) = vᵀ(s_+ − s_−)/(2δ) + ½(vᵀs̄)²      (or ½‖s̄‖², variance-reduced)
 *
 * Both approximations are exact for a score linear in x and off by O(δ²) otherwise. The step is
 * in units of σ because p_σ varies on scales of at least σ. Returns ℓ per row, [n].
 */
export function fdSsmLoss(
  score: ScoreFn,
  x: tf.Tensor2D,
  sigma: tf.Tensor2D,
  v: tf.Tensor2D,
  step: number,
  varianceReduced: boolean,
): tf.Tensor1D {
  return tf.tidy(() => {
    const n = x.shape[0];
    const delta = tf.mul(sigma, step);
    const offset = tf.mul(delta, v);
    const both = score(tf.concat([tf.add(x, offset), tf.sub(x, offset)], 0), tf.concat([sigma, sigma], 0));
    const plus = tf.slice(both, [0, 0], [n, -1]);
    const minus = tf.slice(both, [n, 0], [n, -1]);
    const directional = tf.div(tf.sum(tf.mul(v, tf.sub(plus, minus)), 1), tf.mul(2, delta).reshape([-1]));
    const mean = tf.mul(0.5, tf.add(plus, minus));
    const quadratic = varianceReduced ? tf.sum(tf.square(mean), 1) : tf.square(tf.sum(tf.mul(v, mean), 1));
    return tf.add(directional, tf.mul(0.5, quadratic));
  });
}

/** FD-SSM (or its variance-reduced form) per level, as configured. */
export function fdSsmEstimator(config: FdSsmConfig): LevelEstimator {
  return slicedEstimator(config, (score, x, sigma, v) => fdSsmLoss(score, x, sigma, v, config.step, config.varianceReduced));
}

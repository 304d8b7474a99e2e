import * as tf from '@tensorflow/tfjs';
import type { ObjectiveConfig } from '../../common/config';
import type { ScheduleLevel } from '../../common/api';
import type { ScoreFn } from '../networks/types';
import type { Objective } from './types';

type DsmConfig = Extract<ObjectiveConfig, { kind: 'dsm' }>;

/** λ(σ), the weight of level σ in eq. 2; 'sigma2' (λ = σ²) is NCSN's choice, making each level's loss O(1). */
export function dsmWeight(weighting: DsmConfig['weighting'], sigma: number): number {
  switch (weighting) {
    case 'sigma2':
      return sigma * sigma;
    case 'sigma':
      return sigma;
    case 'one':
      return 1;
  }
}

/**
 * The per-sample denoising score matching loss (Song & Ermon 2019, eq. 2, one Monte Carlo draw per
 * sample): with x̃ = x + σ·z, z ~ N(0, I), the target ∇ log q_σ(x̃ | x) = −(x̃ − x)/σ² = −z/σ, so
 *
 *   ℓ = ½·λ(σ)·‖s_θ(x̃, σ) + (x̃ − x)/σ²‖² = ½·λ(σ)·‖s_θ(x̃, σ) + z/σ‖²
 *
 * (for λ = σ² this is ½‖σ·s_θ + z‖²). `sigma` and `weight` are [n, 1]: each row its own level.
 * Returns ℓ per row, [n].
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

/**
 * Multi-scale DSM: every sample of a batch gets a level i drawn uniformly from the schedule and its
 * own noise z, both from the seeded stream.
 */
export function createDsm(_config: DsmConfig, levels: ScheduleLevel[]): Objective {
  const count = levels.length;
  return {
    sampleLoss(score, x, rng) {
      const [n, dim] = x.shape;
      const level = new Int32Array(n);
      const sigma = new Float32Array(n);
      const weight = new Float32Array(n);
      for (let j = 0; j < n; j++) {
        const i = rng.int(count);
        level[j] = i;
        sigma[j] = levels[i].sigma;
        weight[j] = levels[i].weight;
      }
      const z = rng.normals(n * dim);
      const perSample = tf.tidy(() =>
        dsmLoss(score, x, tf.tensor2d(sigma, [n, 1]), tf.tensor2d(z, [n, dim]), tf.tensor2d(weight, [n, 1])),
      );
      return { perSample, levels: level };
    },
  };
}

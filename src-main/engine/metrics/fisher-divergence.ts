import * as tf from '@tensorflow/tfjs';
import { sampleMixture } from '../data/gaussian-mixture';
import type { Mixture } from '../data/types';
import type { ScoreFn } from '../networks/types';
import type { Rng } from '../random';
import { perturbedMixtureScoreTensor } from '../targets';

/**
 * The Fisher divergence at each noise level, ½E_{x̃~p_σ}‖s_θ(x̃, σ) − ∇log p_σ(x̃)‖², where the
 * data is a known mixture so that ∇log p_σ is exact: x ~ p (n fresh points per level), x̃ = x + σz,
 * the mean over the n points. A non-finite score gives null for that level.
 */
export async function fisherDivergence(score: ScoreFn, mixture: Mixture, sigmas: readonly number[], n: number, rng: Rng): Promise<(number | null)[]> {
  const dim = mixture.means[0].length;
  const values: (number | null)[] = [];
  // One level after another: each draws from `rng` in turn, so the draws repeat exactly.
  for (const sigma of sigmas) {
    const points = sampleMixture(mixture, n, rng);
    const noise = rng.normals(n * dim);
    for (let i = 0; i < points.length; i++) points[i] += sigma * noise[i];
    const value = tf.tidy(() => {
      const x = tf.tensor2d(points, [n, dim]);
      const s = tf.fill([n, 1], sigma) as tf.Tensor2D;
      const diff = tf.sub(score(x, s), perturbedMixtureScoreTensor(mixture, x, s));
      return tf.mul(0.5, tf.mean(tf.sum(tf.square(diff), 1)));
    });
    const result = (await value.data())[0];
    value.dispose();
    values.push(Number.isFinite(result) ? result : null);
  }
  return values;
}

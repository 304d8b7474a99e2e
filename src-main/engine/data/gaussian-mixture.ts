import type { Rng } from '../random';
import type { Dataset, Mixture } from './types';

/**
 * Draws n points from the mixture: a component by its weight (inverse CDF on one uniform), then
 * μ_k + σ_k·z.
 */
export function sampleMixture(mixture: Mixture, n: number, rng: Rng): Float32Array {
  const dim = mixture.means[0].length;
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of mixture.weights) cumulative.push((acc += w));
  const points = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform() * acc;
    let k = 0;
    while (k < cumulative.length - 1 && u >= cumulative[k]) k++;
    const mean = mixture.means[k];
    const std = mixture.stds[k];
    for (let j = 0; j < dim; j++) points[i * dim + j] = mean[j] + std * rng.normal();
  }
  return points;
}

export function gaussianMixtureDataset(config: Mixture & { n: number }, rng: Rng): Dataset {
  const mixture: Mixture = { means: config.means, stds: config.stds, weights: config.weights };
  return {
    points: sampleMixture(mixture, config.n, rng),
    n: config.n,
    dim: config.means[0].length,
    mixture,
    draw: (n, r) => sampleMixture(mixture, n, r),
  };
}

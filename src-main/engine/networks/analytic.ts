/**
 * The analytic "network": the closed-form score ∇log p_σ and log-density log p_σ of the data's own
 * Gaussian mixture at every σ (p_σ is the mixture with stds √(s_k² + σ²)). It has no weights, so a
 * run with it skips training and studies the sampler alone.
 */
import type { ModelConfig } from '../../../src-shared/config';
import type { Dataset } from '../data/types';
import type { Rng } from '../random';
import { perturbedMixtureLogDensityTensor, perturbedMixtureScoreTensor } from '../targets';
import type { ScoreNetwork } from './types';

export function createAnalytic(
  _config: Extract<ModelConfig, { kind: 'analytic' }>,
  dim: number,
  _rng: Rng,
  data?: Pick<Dataset, 'mixture'>,
): ScoreNetwork {
  const mixture = data?.mixture;
  // The config's cross-check refuses other data; this guards callers that build networks directly.
  if (!mixture) throw new Error('model.kind analytic needs data drawn from a known mixture (data.kind gaussian-mixture)');
  if (mixture.means[0].length !== dim) throw new Error(`the mixture has ${mixture.means[0].length} coordinates, the data ${dim}`);
  return {
    score: (x, sigma) => perturbedMixtureScoreTensor(mixture, x, sigma),
    logDensity: (x, sigma) => perturbedMixtureLogDensityTensor(mixture, x, sigma),
    variables: [],
    weightNames: [],
    getWeights: () => Promise.resolve([]),
    setWeights: (weights) => {
      if (weights.length > 0) throw new Error(`the analytic model has no weights; got ${weights.length} tensors`);
    },
    dispose: () => undefined,
  };
}

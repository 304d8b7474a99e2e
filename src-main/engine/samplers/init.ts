import type { SamplerConfig } from '../../../src-shared/config';
import { dataMean, paddedBoundingBox } from '../data/stats';
import type { Dataset } from '../data/types';
import type { Rng } from '../random';

/** Each side of the data's bounding box is padded by this fraction of its width (the score field's grid uses it too). */
export const BOX_PADDING = 0.1;

/**
 * Starting points for n chains, row-major [n, D]:
 * - 'uniform-data-box': uniform on the training data's bounding box, padded by 10% per side (NCSN
 *   starts from a uniform distribution too, on the pixel range);
 * - 'gaussian-sigma-max': data mean + σ_1·z. At σ_1 ≫ the data's spread the perturbed data density
 *   q_σ1 is close to N(mean, σ_1²·I), so the chains start (almost) in the first level's equilibrium.
 */
export function initialChains(
  init: SamplerConfig['init'],
  n: number,
  data: Pick<Dataset, 'points' | 'n' | 'dim'>,
  sigmaMax: number,
  rng: Rng,
): Float32Array {
  const dim = data.dim;
  const out = new Float32Array(n * dim);
  if (init === 'uniform-data-box') {
    const { lo, hi } = paddedBoundingBox(data, BOX_PADDING);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = lo[j] + (hi[j] - lo[j]) * rng.uniform();
  } else {
    const mean = dataMean(data);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = mean[j] + sigmaMax * rng.normal();
  }
  return out;
}

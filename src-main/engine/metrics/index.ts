/** Sample-quality metrics: whichever the data supports. */
import type { SampleMetrics } from '../../../src-shared/api';
import type { Dataset } from '../data/types';
import { modeShares } from './mode-shares';

export { modeShares } from './mode-shares';
export { energyDistance, energyDistanceEstimate, medianPairwiseDistance, mmd2Unbiased, mmd2UnbiasedEstimate, rbfKernel, rbfMmd2, type Mmd2Estimate } from './kernel-discrepancy';
export { slicedWasserstein } from './sliced-wasserstein';
export { fisherDivergence } from './fisher-divergence';

/** Mode shares when the data came from a known mixture; otherwise only the count. */
export function sampleMetrics(samples: Float32Array, data: Pick<Dataset, 'dim' | 'mixture'>): SampleMetrics {
  if (data.mixture) return modeShares(samples, data.dim, data.mixture);
  return { n: samples.length / data.dim };
}

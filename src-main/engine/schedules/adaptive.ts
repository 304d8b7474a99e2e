import type { ScheduleConfig } from '../../../src-shared/config';
import type { Dataset } from '../data';
import type { Rng } from '../random';
import { pairRows, pairwiseDistances, percentile } from './pairwise';
import { spacedLevels } from './spacings';

type AdaptiveConfig = Extract<ScheduleConfig, { kind: 'adaptive' }>;

/**
 * σ_max and σ_min from the data's own scale: the `highPercentile`-th and `lowPercentile`-th
 * percentiles of its pairwise distances, spaced by `spacing`. The top one plays the role of
 * NCSNv2's Technique 1 (σ_max comparable to the largest distance, so the first level mixes every
 * mode); the bottom one puts σ_min at the distance between close neighbours, below which noise no
 * longer changes what the data looks like.
 */
export function adaptiveSigmas(config: AdaptiveConfig, data: Pick<Dataset, 'points' | 'n' | 'dim'>, rng: Rng): number[] {
  const rows = pairRows(data, rng);
  const distances = pairwiseDistances(rows.points, rows.n, data.dim);
  const sigmaMin = percentile(distances, config.lowPercentile);
  const sigmaMax = percentile(distances, config.highPercentile);
  if (!(sigmaMin > 0))
    throw new Error(
      `schedule.lowPercentile: the ${config.lowPercentile}th percentile of the data's pairwise distances is ${sigmaMin} (repeated points); raise lowPercentile`,
    );
  if (!(sigmaMax > sigmaMin))
    throw new Error(
      `schedule.lowPercentile: the ${config.lowPercentile}th and ${config.highPercentile}th percentiles of the data's pairwise distances are both ${sigmaMin}; widen the range`,
    );
  return spacedLevels(config.spacing, sigmaMax, sigmaMin, config.levels);
}

/** Samples of a run's model at one checkpoint: the run's own sampler, with fewer chains. */
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ExperimentConfig } from '../../../src-shared/config';
import type { InspectOptions, InspectResult } from '../jobs';
import type { Dataset } from '../data';
import type { ScoreNetwork } from '../networks';
import { ProgressThrottle } from '../pacing';
import { evaluateSamples } from '../run/evaluation';
import { sample } from '../run/sampling';

/**
 * Runs the run's sampler (its seeds included) for `n` chains with `net`'s weights. Every checkpoint
 * thus starts from the same chains and draws the same noise, so what differs between two
 * checkpoints' samples is the weights alone.
 */
export async function sampleWithWeights(
  config: ExperimentConfig,
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  n: number,
  baseDir: string,
  opts: InspectOptions,
): Promise<InspectResult> {
  const progress = new ProgressThrottle((p) => opts.emit({ type: 'progress', ...p }));
  // No trajectory: the slider shows each checkpoint's end state. The sets a task sends beside its
  // output (inpainting's references) are the run's already, and are not sent again.
  const sized: ExperimentConfig = { ...config, sampler: { ...config.sampler, n, trajectory: undefined } };
  const points = await sample(sized, data, schedule, net, { baseDir, isCancelled: opts.isCancelled, emit: () => {} }, progress);
  // The final samples' metrics, so the galleries compare like with like along the slider.
  const metrics = await evaluateSamples(points, data, { score: net.score, schedule, seed: config.seed });
  return { kind: 'samples', n, dim: data.dim, points, metrics };
}

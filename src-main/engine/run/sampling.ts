/** The sampling phase of a run: the configured sampler from its initial chains, with progress and cancel. */
import type { ScheduleLevel } from '../../common/api';
import type { ExperimentConfig } from '../../common/config';
import type { Dataset } from '../data';
import type { ScoreNetwork } from '../networks';
import type { ProgressThrottle } from '../pacing';
import { EventLoopYielder } from '../pacing';
import { createRng } from '../random';
import { initialChains, sampleChains, sampleChainsSteps } from '../samplers';
import { Cancelled } from './failures';
import type { RunOptions } from './run-experiment';

/** Runs the configured sampler from its initial chains; throws Cancelled when the run is cancelled. */
export async function sample(
  config: ExperimentConfig,
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  opts: RunOptions,
  progress: ProgressThrottle,
): Promise<Float32Array> {
  const n = config.sampler.n;
  const total = sampleChainsSteps(config.sampler, schedule, n);
  const init = initialChains(config.sampler.init, n, data, schedule[0].sigma, createRng(config.seed, 'sampler-init'));
  const yielder = new EventLoopYielder();
  progress.report({ phase: 'sampling', done: 0, total, loss: null }, true);
  const samples = await sampleChains(net.score, init, data.dim, schedule, config.sampler, createRng(config.seed, 'sampler-noise'), async (p) => {
    progress.report({ phase: 'sampling', done: p.done, total: p.total, loss: null }, p.done === p.total);
    await yielder.maybeYield();
    if (opts.isCancelled()) throw new Cancelled();
  });
  return samples;
}

/** The `train` section: the optimisation budget and what is logged and kept. */
import { z } from 'zod';
import { positive, positiveInt } from './fields';

export const trainSchema = z.strictObject({
  steps: positiveInt('steps').max(10_000_000, 'steps must be ≤ 10,000,000').default(2000),
  batchSize: positiveInt('batchSize').max(65_536, 'batchSize must be ≤ 65,536').default(256),
  /** Adam's (peak) learning rate. */
  lr: positive('lr').max(1, 'lr must be ≤ 1').default(3e-3),
  /**
   * 'cosine': the learning rate decays from `lr` to 0 over the run, lr·½(1 + cos(π·t/steps))
   * (Loshchilov & Hutter 2017). 'constant': `lr` throughout. The decay is what lets a short run's
   * score reach the accuracy that annealed Langevin needs to recover the mixture's mode weights.
   */
  lrSchedule: z.enum(['cosine', 'constant']).default('cosine'),
  /** A metric point is logged every `logEvery` steps. */
  logEvery: positiveInt('logEvery').default(10),
  /** A resumable checkpoint (weights, optimizer and random state) is kept every this many steps, and at the end. */
  checkpointEvery: positiveInt('checkpointEvery').default(500),
});

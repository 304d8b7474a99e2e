/** The `train` section: the optimisation budget and what is logged and kept. */
import { z } from 'zod';
import { bounded, fraction, positiveInt } from './fields';

export const trainSchema = z.strictObject({
  steps: positiveInt('steps').max(10_000_000, 'steps must be ≤ 10,000,000').default(2000),
  batchSize: positiveInt('batchSize').max(65_536, 'batchSize must be ≤ 65,536').default(256),
  /** Adam's (peak) learning rate. */
  lr: bounded('lr', 1e-10, 1, { min: '1e-10', max: '1' }).default(3e-3),
  /**
   * 'constant' (the default): `lr` throughout, as PyTorch's Adam runs without a scheduler, so a
   * learning rate a person gives is the one used. 'cosine': the rate decays from `lr` to 0 over the
   * run, lr·½(1 + cos(π·t/steps)) (Loshchilov & Hutter 2017). The decay freezes the network
   * before the narrow modes of a mixture are learned (README, "Narrow modes"), so it is opt-in.
   */
  lrSchedule: z.enum(['cosine', 'constant']).default('constant'),
  /**
   * Rate of an exponential moving average of the weights, θ̄ ← ema·θ̄ + (1 − ema)·θ after every step,
   * from θ̄ = the initial weights (NCSNv2 uses 0.999: an average over the last ~1/(1 − ema) steps).
   * 0 turns it off. When on, samples are drawn with the average, and the weights kept at the end
   * of the run are the average; checkpoints hold both, so a resume goes on exactly.
   * The default, 0.99 (about the last 100 steps; 0.99²⁰⁰⁰ ≈ 2·10⁻⁹ of the initial weights remain
   * after the default 2000 steps, where 0.999 would leave 14%), takes out the last steps' noise
   * that the constant lr leaves: without it the default mixture's mode-share error was 0.09 for
   * seed 0; with it 0.03 or less over seeds 0–2, and the narrow mode stays learned (README,
   * "Narrow modes"). Runs much shorter than ~500 steps should set it lower or to 0.
   */
  ema: fraction('ema').default(0.99),
  /** A metric point is logged every `logEvery` steps. */
  logEvery: positiveInt('logEvery').max(10_000_000, 'logEvery must be ≤ 10,000,000').default(10),
  /** A resumable checkpoint (weights, optimizer and random state) is kept every this many steps, and at the end. */
  checkpointEvery: positiveInt('checkpointEvery').max(10_000_000, 'checkpointEvery must be ≤ 10,000,000').default(500),
});

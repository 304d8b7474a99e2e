/**
 * The loop every sampler runs, k-diffusion's `for i in range(len(sigmas) - 1)` (Crowson,
 * k_diffusion/sampling.py): for each noise level σ_i, largest first, the sampler's steps at σ_i;
 * then, where the sampler has one, a move down to the next level (predictor–corrector's predictor);
 * after the last level, where it has one, a last move to σ = 0 (Tweedie's denoising). The loop
 * holds the chains' state (one tensor), applies the task's constraint, makes the σ tensor the
 * model conditions on, reports progress and counts the model's evaluations: a sampler says only
 * what its steps are (its LevelPlan).
 */
import * as tf from '@tensorflow/tfjs';
import type { SamplingStats } from '../../../src-shared/api';
import { advance, constrained } from './state';
import type { SamplerCallback, SamplerContext, SamplerModel } from './types';

/** The level a step is taken at. */
export interface LoopLevel {
  /** Index into the sampler's sigmas. */
  i: number;
  sigma: number;
  /** σ_i as one [1, 1] tensor: the network conditions on it once per step, not once per chain. */
  sigmaTensor: tf.Tensor2D;
}

/** One sampler's steps, built on the model the loop hands it (so the loop counts its evaluations). */
export interface LevelPlan {
  /** Steps at each level. */
  stepsPerLevel: number;
  /** One step at `level` from x: the new state (a new tensor; the loop frees x). */
  step(x: tf.Tensor2D, level: LoopLevel): tf.Tensor2D;
  /** After level i's steps, the move to `next`: σ_{i+1}, or 0 after the last level. */
  descend?(x: tf.Tensor2D, level: LoopLevel, next: number): tf.Tensor2D;
  /** After every level, a last move to σ = 0 from the last level's σ. */
  finish?(x: tf.Tensor2D, sigma: number): tf.Tensor2D;
  /**
   * Step size and acceptance rate after a step at `level` (null: after `finish`); the loop adds NFE.
   * May read the device, so asynchronously (a synchronous read cannot run on WebGPU in Node).
   */
  stats?(level: LoopLevel | null): SamplingStats | Promise<SamplingStats>;
  /** Frees what the plan holds beside the state; called once, however the loop ends. */
  dispose?(): void;
}

/** The shape of a plan that fixes how many steps the loop takes over `levels` levels. */
export interface LoopShape {
  stepsPerLevel: number;
  /** Whether the plan has `descend` (one more step per level) and `finish` (one more at the end). */
  descends: boolean;
  finishes: boolean;
}

/** Steps the loop takes (what its progress counts to). */
export function loopSteps(shape: LoopShape, levels: number): number {
  return levels * (shape.stepsPerLevel + (shape.descends ? 1 : 0)) + (shape.finishes ? 1 : 0);
}

/** `model` with each score or log-density call counted (one call evaluates every chain once). */
function countingModel(model: SamplerModel, count: () => void): SamplerModel {
  const { logDensity } = model;
  return {
    score: (x, sigma) => {
      count();
      return model.score(x, sigma);
    },
    ...(logDensity
      ? {
          logDensity: (x: tf.Tensor2D, sigma: tf.Tensor2D) => {
            count();
            return logDensity.call(model, x, sigma);
          },
        }
      : {}),
  };
}

/**
 * Runs `plan(model)` from x0 (left to the caller to dispose) over `sigmas` and returns the final
 * chains. Progress reports level i + `firstLevel` (a one-level sampler runs at one level of a
 * longer schedule), −1 after a move to σ = 0.
 */
export async function levelLoop(
  model: SamplerModel,
  x0: tf.Tensor2D,
  sigmas: number[],
  context: Pick<SamplerContext, 'hooks'> & { firstLevel?: number },
  plan: (model: SamplerModel) => LevelPlan,
  callback?: SamplerCallback,
): Promise<tf.Tensor2D> {
  const { hooks, firstLevel = 0 } = context;
  let nfe = 0;
  const steps = plan(
    countingModel(model, () => {
      nfe++;
    }),
  );
  const total = loopSteps({ stepsPerLevel: steps.stepsPerLevel, descends: !!steps.descend, finishes: !!steps.finish }, sigmas.length);
  let x = tf.clone(x0);
  let done = 0;
  const report = async (taken: LoopLevel | null, level: number, sigma: number) => {
    const stats = { ...(await steps.stats?.(taken)), nfe };
    return callback?.({ done: ++done, total, level, sigma, x, stats });
  };
  try {
    for (const [i, sigma] of sigmas.entries()) {
      x = constrained(x, sigma, hooks);
      const level: LoopLevel = { i, sigma, sigmaTensor: tf.tensor2d([[sigma]]) };
      try {
        for (let t = 0; t < steps.stepsPerLevel; t++) {
          x = advance(x, steps.step(x, level));
          x = constrained(x, sigma, hooks);
          await report(level, firstLevel + i, sigma);
        }
        if (steps.descend) {
          const last = i === sigmas.length - 1;
          const next = last ? 0 : sigmas[i + 1];
          x = advance(x, steps.descend(x, level, next));
          if (!last) x = constrained(x, next, hooks);
          await report(level, last ? -1 : firstLevel + i, next);
        }
      } finally {
        level.sigmaTensor.dispose();
      }
    }
    if (steps.finish) {
      x = advance(x, steps.finish(x, sigmas[sigmas.length - 1]));
      await report(null, -1, 0);
    }
    return x;
  } catch (err) {
    x.dispose();
    throw err;
  } finally {
    steps.dispose?.();
  }
}

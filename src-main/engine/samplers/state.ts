/** Small pieces every sampler shares: the chain state's hand-over, and which level a one-level sampler runs at. */
import type * as tf from '@tensorflow/tfjs';
import type { SamplerHooks } from './types';

/** Replaces the state by `next` and frees the old one: samplers hold exactly one state tensor. */
export function advance(x: tf.Tensor2D, next: tf.Tensor2D): tf.Tensor2D {
  if (next !== x) x.dispose();
  return next;
}

/** The state with the task's constraint at σ applied (the state itself when there is none). */
export function constrained(x: tf.Tensor2D, sigma: number, hooks?: SamplerHooks): tf.Tensor2D {
  return hooks?.constrain ? advance(x, hooks.constrain(x, sigma)) : x;
}

/**
 * The level a one-level sampler (Langevin, MALA, RWMH) runs at: `sigma` when given, else the
 * smallest σ_L. Its number is the index of that σ in `sigmas`, or the last level's.
 */
export function samplingLevel(sigmas: number[], sigma: number | undefined): { level: number; sigma: number } {
  const last = sigmas.length - 1;
  if (sigma === undefined) return { level: last, sigma: sigmas[last] };
  const at = sigmas.indexOf(sigma);
  return { level: at >= 0 ? at : last, sigma };
}

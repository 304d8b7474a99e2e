/**
 * Samplers, chosen by the config's `sampler.kind`. Each is one function in the style of
 * k-diffusion's samplers (k_diffusion/sampling.py): (model, x0, sigmas, options, callback) → final
 * chains, computing its own step sizes from the sigmas and running the shared level loop
 * (level-loop.ts); it knows nothing about runs or the UI. `sampleChains` runs one over many chains
 * in chunks so memory stays bounded.
 */
import * as tf from '@tensorflow/tfjs';
import type { SamplerConfig } from '../../../src-shared/config';
import type { ScoreFn } from '../networks/types';
import type { Rng } from '../random';
import { annealedLangevin, annealedLangevinSteps, langevinStepSizes } from './annealed-langevin';
import { langevin, langevinSteps, plainLangevinStepSizes } from './langevin';
import { mala, malaStepSizes, rwmh, rwmhStepSizes } from './metropolis';
import { predictorCorrector, predictorCorrectorSteps, predictorSteps } from './predictor-corrector';
import { samplingLevel } from './state';
import type { SamplerCallback, SamplerContext, SamplerHooks, SamplerModel, SamplerProgress } from './types';

export type { SamplerCallback, SamplerContext, SamplerHooks, SamplerModel, SamplerProgress } from './types';
export { initialChains } from './init';

interface SamplerEntry<C> {
  /** The step size α_i the sampler uses at each level σ_i (the run's schedule table shows it). */
  stepSizes(config: C, sigmas: number[]): number[];
  /** Steps one call of `sample` takes, for progress. */
  steps(config: C, sigmas: number[]): number;
  /** The level the chains start at: the first level for annealed samplers, their one level for the others. */
  start(config: C, sigmas: number[]): { level: number; sigma: number };
  sample(model: SamplerModel, x0: tf.Tensor2D, sigmas: number[], options: C & SamplerContext, callback?: SamplerCallback): Promise<tf.Tensor2D>;
}

/** A sampler's own settings: the task and the trajectory are the run's business (run/sampling.ts). */
export type SamplerOptions = SamplerConfig extends infer C ? (C extends unknown ? Omit<C, 'task' | 'trajectory'> : never) : never;

type Entries = { [K in SamplerConfig['kind']]: SamplerEntry<Extract<SamplerOptions, { kind: K }>> };

const first = (_config: unknown, sigmas: number[]) => ({ level: 0, sigma: sigmas[0] });
const one = (config: { sigma?: number }, sigmas: number[]) => samplingLevel(sigmas, config.sigma);

const SAMPLERS: Entries = {
  'annealed-langevin': {
    stepSizes: (config, sigmas) => langevinStepSizes(config.eps, sigmas),
    steps: annealedLangevinSteps,
    start: first,
    sample: annealedLangevin,
  },
  langevin: { stepSizes: plainLangevinStepSizes, steps: langevinSteps, start: one, sample: langevin },
  'predictor-corrector': {
    stepSizes: (_config, sigmas) => predictorSteps(sigmas),
    steps: predictorCorrectorSteps,
    start: first,
    sample: predictorCorrector,
  },
  mala: { stepSizes: malaStepSizes, steps: (config) => config.steps, start: one, sample: mala },
  rwmh: { stepSizes: rwmhStepSizes, steps: (config) => config.steps, start: one, sample: rwmh },
};

function entry(config: SamplerOptions): SamplerEntry<SamplerOptions> {
  return SAMPLERS[config.kind] as SamplerEntry<SamplerOptions>;
}

/** Where the chains start: the level (and its σ) of frame 0 of a trajectory. */
export function samplerStart(config: SamplerOptions, sigmas: number[]): { level: number; sigma: number } {
  return entry(config).start(config, sigmas);
}

/** α_i at each σ_i, as the sampler computes it: what the run's schedule table stores beside σ_i. */
export function samplerStepSizes(config: SamplerOptions, sigmas: number[]): number[] {
  return entry(config).stepSizes(config, sigmas);
}

/**
 * Chains per chunk: 16384 chains through a 4096-wide layer (the widest the config allows) is
 * 256 MiB of activations. A chunk this size keeps the matrix products large, and runs the usual
 * 10,000 chains as one batch: ≈ 3% faster per step than 8192 + 1808 (bench/run.ts, 2D MLP), as
 * every op is dispatched once instead of twice.
 */
export const DEFAULT_CHUNK = 16384;

/** How sampleChains runs the sampler, beside the chains and the sigmas. */
export interface SampleChainsOptions {
  /** The sampler's settings. */
  config: SamplerOptions;
  /** Coordinates per chain. */
  dim: number;
  rng: Rng;
  /** The schedule's level number of sigmas[0] (0 unless the sigmas are the tail of a schedule). */
  firstLevel?: number;
  /** Chains per chunk at most. */
  chunk?: number;
  /** The task's hooks (inpainting) for the chunk of `rows` chains from `offset`. */
  hooks?: (offset: number, rows: number) => SamplerHooks & { dispose?(): void };
}

/**
 * Runs the configured sampler from `init` (row-major [n, dim]) over `sigmas` in chunks of at most
 * `chunk` chains. Progress counts steps over all chunks; `x` in the callback is the current chunk's
 * state, `offset` its first chain and `stats` the chunk's sampler statistics. `model` is a score
 * (enough for every sampler but MALA and RWMH) or a model with its log-density. The chunk's hooks'
 * constraint is applied at σ = 0 to the output too.
 */
export async function sampleChains(
  model: ScoreFn | SamplerModel,
  init: Float32Array,
  sigmas: number[],
  options: SampleChainsOptions,
  callback?: (progress: SamplerProgress & { offset: number }) => void | Promise<void>,
): Promise<Float32Array> {
  const { config, dim, rng, firstLevel = 0, chunk = DEFAULT_CHUNK, hooks } = options;
  const sampler = entry(config);
  const samplerModel: SamplerModel = typeof model === 'function' ? { score: model } : model;
  const n = init.length / dim;
  const chunks = Math.max(1, Math.ceil(n / chunk));
  const perChunk = sampler.steps(config, sigmas);
  const out = new Float32Array(n * dim);
  for (let c = 0; c < chunks; c++) {
    const offset = c * chunk;
    const rows = Math.min(chunk, n - offset);
    const x0 = tf.tensor2d(init.subarray(offset * dim, (offset + rows) * dim), [rows, dim]);
    const chunkHooks = hooks?.(offset, rows);
    try {
      let x = await sampler.sample(samplerModel, x0, sigmas, { ...config, rng, hooks: chunkHooks }, (p) =>
        callback?.({
          ...p,
          done: c * perChunk + p.done,
          total: chunks * perChunk,
          level: p.level >= 0 ? firstLevel + p.level : p.level,
          offset,
        }),
      );
      if (chunkHooks?.constrain) {
        const exact = chunkHooks.constrain(x, 0);
        x.dispose();
        x = exact;
      }
      out.set(await x.data(), offset * dim);
      x.dispose();
    } finally {
      x0.dispose();
      chunkHooks?.dispose?.();
    }
  }
  return out;
}

/** Total steps sampleChains takes for n chains (what its progress counts to). */
export function sampleChainsSteps(config: SamplerOptions, sigmas: number[], n: number, chunk = DEFAULT_CHUNK): number {
  return Math.max(1, Math.ceil(n / chunk)) * entry(config).steps(config, sigmas);
}

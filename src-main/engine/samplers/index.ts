/**
 * Samplers, chosen by the config's `sampler.kind`. Each is one function in the style of k-diffusion's
 * samplers: (model, x0, levels, options, rng, callback, hooks) → final chains; it knows nothing
 * about runs or the UI. `sampleChains` runs one over many chains in chunks so memory stays bounded.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../common/api';
import { samplerStepsPerChain, type SamplerConfig } from '../../common/config';
import type { ScoreFn } from '../networks/types';
import type { Rng } from '../random';
import { annealedLangevin, annealedLangevinSteps, langevinStepSizes } from './annealed-langevin';
import { langevin, langevinSteps } from './langevin';
import { mala, rwmh } from './metropolis';
import { predictorCorrector, predictorCorrectorSteps, predictorSteps } from './predictor-corrector';
import { samplingLevel } from './state';
import type { SamplerCallback, SamplerHooks, SamplerModel, SamplerProgress } from './types';

export type { SamplerCallback, SamplerHooks, SamplerModel, SamplerProgress } from './types';
export { initialChains } from './init';

interface SamplerEntry<C> {
  /** The step size α_i the sampler uses at each level σ_i (shown with the schedule). */
  stepSizes(config: C, sigmas: number[]): number[];
  /** Steps one call of `sample` takes, for progress. */
  steps(config: C, levels: ScheduleLevel[]): number;
  /** The level the chains start at: the first level for annealed samplers, their one level for the others. */
  start(config: C, levels: ScheduleLevel[]): { level: number; sigma: number };
  sample(model: SamplerModel, x0: tf.Tensor2D, levels: ScheduleLevel[], config: C, rng: Rng, callback?: SamplerCallback, hooks?: SamplerHooks): Promise<tf.Tensor2D>;
}

/** A sampler's own settings: the task and the trajectory are the run's business (run/sampling.ts). */
export type SamplerOptions = SamplerConfig extends infer C ? (C extends unknown ? Omit<C, 'task' | 'trajectory'> : never) : never;

type Entries = { [K in SamplerConfig['kind']]: SamplerEntry<Extract<SamplerOptions, { kind: K }>> };

const SAMPLERS: Entries = {
  'annealed-langevin': {
    stepSizes: (config, sigmas) => langevinStepSizes(config.eps, sigmas),
    steps: annealedLangevinSteps,
    start: (_config, levels) => levels[0],
    sample: (model, ...rest) => annealedLangevin(model.score, ...rest),
  },
  // One-level samplers take the same step at whichever level they run: the schedule shows it at each.
  langevin: {
    stepSizes: (config, sigmas) => sigmas.map(() => config.eps),
    steps: langevinSteps,
    start: (config, levels) => samplingLevel(levels, config.sigma),
    sample: langevin,
  },
  'predictor-corrector': {
    stepSizes: (_config, sigmas) => predictorSteps(sigmas),
    steps: predictorCorrectorSteps,
    start: (_config, levels) => levels[0],
    sample: predictorCorrector,
  },
  mala: {
    stepSizes: (config, sigmas) => sigmas.map(() => config.eps),
    steps: (config) => samplerStepsPerChain(config, 1),
    start: (config, levels) => samplingLevel(levels, config.sigma),
    sample: mala,
  },
  // No Langevin step: the schedule records the proposal's variance τ² (a 'full' Langevin step α has 2α).
  rwmh: {
    stepSizes: (config, sigmas) => sigmas.map(() => config.proposalStd ** 2),
    steps: (config) => samplerStepsPerChain(config, 1),
    start: (config, levels) => samplingLevel(levels, config.sigma),
    sample: rwmh,
  },
};

function entry(config: SamplerOptions): SamplerEntry<SamplerOptions> {
  return SAMPLERS[config.kind] as SamplerEntry<SamplerOptions>;
}

/** Where the chains start: the level (and its σ) of frame 0 of a trajectory. */
export function samplerStart(config: SamplerOptions, levels: ScheduleLevel[]): { level: number; sigma: number } {
  const { level, sigma } = entry(config).start(config, levels);
  return { level, sigma };
}

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

/**
 * Runs the configured sampler from `init` (row-major [n, dim]) in chunks of at most `chunk` chains.
 * Progress counts steps over all chunks; `x` in the callback is the current chunk's state and
 * `offset` its first chain. `model` is a score (enough for every sampler but MALA and RWMH) or a
 * model with its log-density. `hooks(offset, rows)` gives the chunk's task hooks (inpainting); its
 * constraint is applied at σ = 0 to the output too.
 */
export async function sampleChains(
  model: ScoreFn | SamplerModel,
  init: Float32Array,
  dim: number,
  levels: ScheduleLevel[],
  config: SamplerOptions,
  rng: Rng,
  callback?: (progress: SamplerProgress & { offset: number }) => void | Promise<void>,
  chunk = DEFAULT_CHUNK,
  hooks?: (offset: number, rows: number) => SamplerHooks & { dispose?(): void },
): Promise<Float32Array> {
  const sampler = entry(config);
  const samplerModel: SamplerModel = typeof model === 'function' ? { score: model } : model;
  const n = init.length / dim;
  const chunks = Math.max(1, Math.ceil(n / chunk));
  const perChunk = sampler.steps(config, levels);
  const out = new Float32Array(n * dim);
  for (let c = 0; c < chunks; c++) {
    const offset = c * chunk;
    const rows = Math.min(chunk, n - offset);
    const x0 = tf.tensor2d(init.subarray(offset * dim, (offset + rows) * dim), [rows, dim]);
    const chunkHooks = hooks?.(offset, rows);
    try {
      let x = await sampler.sample(
        samplerModel,
        x0,
        levels,
        config,
        rng,
        (p) => callback?.({ ...p, done: c * perChunk + p.done, total: chunks * perChunk, offset }),
        chunkHooks,
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
export function sampleChainsSteps(config: SamplerOptions, levels: ScheduleLevel[], n: number, chunk = DEFAULT_CHUNK): number {
  return Math.max(1, Math.ceil(n / chunk)) * entry(config).steps(config, levels);
}

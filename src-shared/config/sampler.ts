/**
 * The `sampler` section: how samples are drawn from the score, what the run does with them (its
 * task), and whether it streams its trajectory. One schema per sampler kind; the fields every kind
 * shares are defined once below.
 */
import { z } from 'zod';
import { MAX_DATA_DIM, bounded, coordinate, kindError, kindsWith, length, positiveInt, stepSize } from './fields';

/**
 * 'half': x ← x + (α/2)·s + √α·z (NCSN's Alg. 1). 'full': x ← x + α·s + √(2α)·z. Published step
 * sizes differ by exactly this factor of two, so every Langevin-type sampler states its own.
 */
const convention = z.enum(['half', 'full']);

/** Draw fresh samples (the default). */
export const generateTaskSchema = z.strictObject({ kind: z.literal('generate') });

/**
 * Keep the coordinates where `mask` is true and sample the rest (NCSN's inpainting: at each level
 * the known coordinates are set to their value plus σ_i·z, and at the end to the value itself).
 * The known values are `values` (one point, the same for every chain) or, without it, one training
 * point per chain, drawn with the run's seed.
 */
export const inpaintTaskSchema = z
  .strictObject({
    kind: z.literal('inpaint'),
    mask: z
      .array(z.boolean({ error: 'mask entries must be true (known) or false (sampled)' }))
      .min(1, 'mask must not be empty')
      .max(MAX_DATA_DIM, `mask holds at most ${MAX_DATA_DIM} entries (the most coordinates data may have)`),
    values: z.array(coordinate('values')).min(1).optional(),
  })
  .superRefine((task, ctx) => {
    if (!task.mask.includes(false)) ctx.addIssue({ code: 'custom', path: ['mask'], message: 'mask must leave at least one coordinate to sample (false)' });
    if (!task.mask.includes(true)) ctx.addIssue({ code: 'custom', path: ['mask'], message: 'mask must keep at least one coordinate (true)' });
    if (task.values && task.values.length !== task.mask.length)
      ctx.addIssue({ code: 'custom', path: ['values'], message: `needs one value per mask entry (${task.mask.length})` });
  });

/**
 * Generate as usual, then interpolate between consecutive pairs of the samples (0 and 1, 2 and 3,
 * …): each path point is the pair's linear mix plus σ_m times the spherical interpolation of two
 * noise draws, annealed back from σ_m by the sampler. `sigma` is σ_m; default: the schedule's
 * middle level.
 */
export const interpolateTaskSchema = z.strictObject({
  kind: z.literal('interpolate'),
  pairs: positiveInt('pairs').max(1000, 'pairs must be ≤ 1000').default(8),
  /** Points per path, both endpoints included. */
  points: positiveInt('points').min(2, 'points must be ≥ 2 (the two endpoints)').max(1000, 'points must be ≤ 1000').default(10),
  sigma: length('sigma').optional(),
});

const taskOptions = [generateTaskSchema, inpaintTaskSchema, interpolateTaskSchema] as const;
export const samplerTaskSchema = z.discriminatedUnion('kind', [...taskOptions], {
  error: kindError(['generate', 'inpaint', 'interpolate']),
});

/**
 * Stream the first `chains` chains' states at `frames` steps spread evenly over the sampling (frame
 * 0 the initial state, the last the output) as sample sets `trajectory/<index>`.
 */
export const trajectorySchema = z.strictObject({
  chains: positiveInt('chains').max(10_000, 'chains must be ≤ 10,000').default(200),
  frames: positiveInt('frames').min(2, 'frames must be ≥ 2 (the initial and the final state)').max(1000, 'frames must be ≤ 1000').default(50),
});

/** Fields every sampler kind has. */
const shared = {
  /** Number of chains = number of samples. */
  n: positiveInt('n').max(1_000_000, 'n must be ≤ 1,000,000').default(1000),
  /** Chains start uniform on this box, per coordinate; default: the data's bounding box, padded. */
  init: z.enum(['uniform-data-box', 'gaussian-sigma-max']).default('uniform-data-box'),
  task: samplerTaskSchema.prefault({ kind: 'generate' }),
  trajectory: trajectorySchema.optional(),
};

/** Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1). */
export const annealedLangevinSchema = z.strictObject({
  kind: z.literal('annealed-langevin'),
  stepsPerLevel: positiveInt('stepsPerLevel').max(100_000, 'stepsPerLevel must be ≤ 100,000').default(100),
  /** ε: the step at level i is α_i = ε·σ_i²/σ_L². */
  eps: stepSize('eps').default(2.5e-4),
  convention: convention.default('half'),
  /** Tweedie denoising after the last level: x ← x + σ_L²·s_θ(x, σ_L). */
  finalDenoise: z.boolean().default(true),
  ...shared,
});

/** Langevin dynamics at one noise level σ (default: the schedule's smallest), step α = `eps`. */
export const langevinSchema = z.strictObject({
  kind: z.literal('langevin'),
  steps: positiveInt('steps').max(1_000_000, 'steps must be ≤ 1,000,000').default(1000),
  eps: stepSize('eps').default(1e-2),
  sigma: length('sigma').optional(),
  convention: convention.default('half'),
  finalDenoise: z.boolean().default(true),
  ...shared,
});

/**
 * Predictor–corrector sampling of the VE SDE (Song et al. 2021, Alg. 2): at each level i,
 * `correctorSteps` Langevin steps with α = 2·(snr·‖z‖/‖s‖)², then the reverse-diffusion predictor
 * x ← x + (σ_i² − σ_{i+1}²)·s + √(σ_i² − σ_{i+1}²)·z. The default 'full' convention is the paper's.
 */
export const predictorCorrectorSchema = z.strictObject({
  kind: z.literal('predictor-corrector'),
  /** The corrector's α = 2·(snr·‖z‖/‖s‖)²; the paper's ratios are below 1. */
  snr: bounded('snr', 1e-4, 10).default(0.16),
  correctorSteps: z.number({ error: 'correctorSteps must be a number' }).int('correctorSteps must be an integer').min(0, 'correctorSteps must be ≥ 0').max(10_000, 'correctorSteps must be ≤ 10,000').default(1),
  convention: convention.default('full'),
  /** The last predictor step, to σ = 0, without its noise: Tweedie's x + σ_L²·s (the paper's `denoise`). */
  finalDenoise: z.boolean().default(true),
  ...shared,
  init: shared.init.unwrap().default('gaussian-sigma-max'),
});

/**
 * Metropolis-adjusted Langevin at one level σ: the Langevin proposal, accepted with the
 * Metropolis–Hastings ratio, so the chain leaves p_σ exactly invariant. Needs a density.
 */
export const malaSchema = z.strictObject({
  kind: z.literal('mala'),
  steps: positiveInt('steps').max(1_000_000, 'steps must be ≤ 1,000,000').default(1000),
  eps: stepSize('eps').default(5e-2),
  sigma: length('sigma').optional(),
  convention: convention.default('half'),
  ...shared,
});

/** Random-walk Metropolis–Hastings at one level σ, proposal x + proposalStd·z. Needs a density. */
export const rwmhSchema = z.strictObject({
  kind: z.literal('rwmh'),
  steps: positiveInt('steps').max(1_000_000, 'steps must be ≤ 1,000,000').default(1000),
  proposalStd: length('proposalStd').default(0.5),
  sigma: length('sigma').optional(),
  ...shared,
});

const samplerOptions = [annealedLangevinSchema, langevinSchema, predictorCorrectorSchema, malaSchema, rwmhSchema] as const;

export type SamplerKind = z.output<(typeof samplerOptions)[number]>['kind'];

/** What each sampler needs of the model: a density (`ScoreNetwork.logDensity`) for a Metropolis–Hastings correction. */
export const SAMPLER_KIND_TRAITS: Record<SamplerKind, { needsDensity: boolean }> = {
  'annealed-langevin': { needsDensity: false },
  langevin: { needsDensity: false },
  'predictor-corrector': { needsDensity: false },
  mala: { needsDensity: true },
  rwmh: { needsDensity: true },
};
export const DENSITY_SAMPLER_KINDS = kindsWith(SAMPLER_KIND_TRAITS, (t) => t.needsDensity);

export const samplerSchema = z
  .discriminatedUnion('kind', [...samplerOptions], { error: kindError(samplerOptions.map((o) => o.shape.kind.value)) })
  .superRefine((sampler, ctx) => {
    if (sampler.task.kind === 'interpolate' && 2 * sampler.task.pairs > sampler.n)
      ctx.addIssue({
        code: 'custom',
        path: ['task', 'pairs'],
        message: `${sampler.task.pairs} pairs need 2 × ${sampler.task.pairs} samples; sampler.n is ${sampler.n}`,
      });
    // A Metropolis–Hastings step would have to propose and correct in the free coordinates only.
    if (sampler.task.kind === 'inpaint' && DENSITY_SAMPLER_KINDS.includes(sampler.kind))
      ctx.addIssue({ code: 'custom', path: ['task', 'kind'], message: `inpaint is not supported by the ${sampler.kind} sampler` });
  });

/**
 * Steps one chain takes through `levels` noise levels, each a score evaluation: annealed Langevin
 * `stepsPerLevel` per level, predictor–corrector a predictor and `correctorSteps` per level, the
 * one-level samplers `steps`; the optional Tweedie denoising adds one. What the sampling phase's
 * progress counts, and what the size checks bound.
 */
export function samplerStepsPerChain(sampler: SamplerSteps, levels: number): number {
  switch (sampler.kind) {
    case 'annealed-langevin':
      return levels * sampler.stepsPerLevel + (sampler.finalDenoise ? 1 : 0);
    case 'langevin':
      return sampler.steps + (sampler.finalDenoise ? 1 : 0);
    case 'predictor-corrector':
      return levels * (sampler.correctorSteps + 1);
    case 'mala':
    case 'rwmh':
      return sampler.steps;
  }
}

/** The fields of each sampler kind that fix its number of steps. */
export type SamplerSteps =
  | { kind: 'annealed-langevin'; stepsPerLevel: number; finalDenoise: boolean }
  | { kind: 'langevin'; steps: number; finalDenoise: boolean }
  | { kind: 'predictor-corrector'; correctorSteps: number }
  | { kind: 'mala' | 'rwmh'; steps: number };

/** The config field that sets a sampler kind's number of steps (what to lower when there are too many). */
export const SAMPLER_STEPS_FIELD: Record<SamplerSteps['kind'], string> = {
  'annealed-langevin': 'stepsPerLevel',
  langevin: 'steps',
  'predictor-corrector': 'correctorSteps',
  mala: 'steps',
  rwmh: 'steps',
};

/**
 * The experiment config: one JSON document, validated once at the edge (UI form, HTTP, IPC, CLI)
 * and typed everywhere inside. Every section has a documented default, so `{}` is a valid config
 * (the default mixture experiment). Unknown keys are rejected so that a typo never silently
 * falls back to a default.
 *
 * This module is pure: it runs in the renderer (inline validation), the shell and the engine.
 */
import { z } from 'zod';

const positive = (what: string) => z.number({ error: `${what} must be a number` }).positive(`${what} must be > 0`);
const positiveInt = (what: string) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be an integer`).positive(`${what} must be > 0`);

/**
 * A Gaussian mixture with isotropic components, in any dimension. `stds` may be one number for
 * every component; `weights` are normalised to sum to 1. Without `means`, the default mixture:
 * three modes at (4,4), (−4,4), (0,−4) with weights 0.5, 0.3, 0.2. With `means` but no
 * `weights`, the weights are uniform.
 */
export const DEFAULT_MIXTURE = {
  means: [
    [4, 4],
    [-4, 4],
    [0, -4],
  ],
  weights: [0.5, 0.3, 0.2],
};

export const gaussianMixtureSchema = z
  .strictObject({
    kind: z.literal('gaussian-mixture'),
    means: z.array(z.array(z.number()).min(1)).min(1).optional(),
    stds: z.union([positive('std'), z.array(positive('std')).min(1)]).default(0.7),
    weights: z.array(positive('weight')).min(1).optional(),
    /** How many training points are drawn from the mixture (once, with the run's seed). */
    n: positiveInt('n').max(1_000_000, 'n must be ≤ 1,000,000').default(5000),
  })
  .superRefine((d, ctx) => {
    const means = d.means ?? DEFAULT_MIXTURE.means;
    const k = means.length;
    // zod runs refinements after a failed .min(1) too: no means is already reported.
    if (k === 0) return;
    if (Array.isArray(d.stds) && d.stds.length !== k)
      ctx.addIssue({ code: 'custom', path: ['stds'], message: `needs one std per mean (${k}) or a single number` });
    if (d.weights && d.weights.length !== k)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `needs one weight per mean (${k})` });
    const dim = means[0].length;
    means.forEach((m, i) => {
      if (m.length !== dim)
        ctx.addIssue({ code: 'custom', path: ['means', i], message: `has ${m.length} coordinates, expected ${dim}` });
    });
  })
  .transform((d) => {
    const means = d.means ?? DEFAULT_MIXTURE.means;
    const k = means.length;
    const raw = d.weights ?? (d.means ? new Array<number>(k).fill(1) : DEFAULT_MIXTURE.weights);
    const total = raw.reduce((a, b) => a + b, 0);
    return {
      kind: d.kind,
      means,
      stds: Array.isArray(d.stds) ? d.stds : new Array<number>(k).fill(d.stds),
      weights: raw.map((w) => w / total),
      n: d.n,
    };
  });

/** A headerless CSV of N points × D numbers. Relative paths resolve against the config file's folder. */
export const csvDataSchema = z.strictObject({
  kind: z.literal('csv'),
  path: z.string().min(1, 'path must not be empty'),
});

export const dataSchema = z.discriminatedUnion('kind', [gaussianMixtureSchema, csvDataSchema], {
  error: (iss) => (iss.code === 'invalid_union' ? 'kind must be one of: gaussian-mixture, csv' : undefined),
});

/**
 * Activations whose second derivative TensorFlow.js 4.22 computes correctly (tanh and exp do not:
 * their gradients reuse the op's output). Objectives that differentiate the score's Jacobian need this.
 */
export const ACTIVATIONS = ['softplus', 'swish', 'elu', 'relu'] as const;

export const mlpSchema = z.strictObject({
  kind: z.literal('mlp'),
  hidden: z.array(positiveInt('hidden width').max(4096, 'hidden width must be ≤ 4096')).min(1).max(16).default([128, 128, 128]),
  activation: z.enum(ACTIVATIONS).default('softplus'),
  /**
   * How σ enters the network, concatenated to the input: 'concat' is log σ itself; 'sinusoidal' is
   * sin and cos of log σ at `embeddingDim`/2 frequencies (the transformer's position embedding).
   */
  conditioning: z.enum(['concat', 'sinusoidal']).default('concat'),
  /** Width of the 'sinusoidal' embedding (sin and cos at embeddingDim/2 frequencies); unused by 'concat'. */
  embeddingDim: positiveInt('embeddingDim')
    .max(1024, 'embeddingDim must be ≤ 1024')
    .refine((d) => d % 2 === 0, 'embeddingDim must be even')
    .default(32),
  /** NCSNv2's s_θ(x, σ) = f_θ(x, σ)/σ, which keeps the output's scale right across levels. */
  scaleBySigma: z.boolean().default(true),
});

export const modelSchema = z.discriminatedUnion('kind', [mlpSchema]);

/**
 * Every objective is a sum over the schedule's levels, Σ_i λ(σ_i)·ℓ(σ_i), one level drawn per
 * example; λ(σ): 'sigma2' is λ(σ) = σ², which makes every level's loss O(1).
 */
const weighting = z.enum(['sigma2', 'sigma', 'one']).default('sigma2');

/** Denoising score matching across the schedule (NCSN, Song & Ermon 2019, eq. 2). */
export const dsmSchema = z.strictObject({
  kind: z.literal('dsm'),
  weighting,
});

/**
 * Explicit score matching, ½E‖s_θ(x̃, σ) − ∇ log p_σ(x̃)‖², against the closed-form score of the
 * perturbed target: needs data whose density is known (`gaussian-mixture`).
 */
export const esmSchema = z.strictObject({ kind: z.literal('esm'), weighting });

/** Implicit (Hyvärinen 2005) score matching with the exact Jacobian trace: E[tr(∇ₓs_θ) + ½‖s_θ‖²]. */
export const ismSchema = z.strictObject({ kind: z.literal('ism'), weighting });

/** The random projections v of sliced score matching (Song et al. 2019), E[vvᵀ] = I. */
const slicedFields = {
  weighting,
  projection: z.enum(['rademacher', 'gaussian']).default('rademacher'),
  /** M, the projections drawn per sample (their losses are averaged). */
  projections: positiveInt('projections').max(64, 'projections must be ≤ 64').default(1),
  /** SSM-VR: ½‖s‖² in place of ½(vᵀs)², its expectation over v. */
  varianceReduced: z.boolean().default(true),
};

/** Sliced score matching, E[vᵀ∇ₓ(vᵀs_θ) + ½(vᵀs_θ)²] (or SSM-VR's ½‖s_θ‖²). */
export const ssmSchema = z.strictObject({ kind: z.literal('ssm'), ...slicedFields });

/** Sliced score matching on the noise-perturbed data: DSM's x̃ = x + σ_i·z with SSM's estimator. */
export const noisySsmSchema = z.strictObject({ kind: z.literal('noisy-ssm'), ...slicedFields });

/** Finite-difference sliced score matching (Pang et al. 2020): no second-order gradient. */
export const fdSsmSchema = z.strictObject({
  kind: z.literal('fd-ssm'),
  ...slicedFields,
  /** The difference step along v, in units of the level's σ: x̃ ± step·σ·v. */
  step: positive('step').max(1, 'step must be ≤ 1').default(0.05),
});

const objectiveOptions = [dsmSchema, esmSchema, ismSchema, ssmSchema, fdSsmSchema, noisySsmSchema] as const;

export const objectiveSchema = z.discriminatedUnion('kind', [...objectiveOptions], {
  error: (iss) =>
    iss.code === 'invalid_union' ? `kind must be one of: ${objectiveOptions.map((o) => o.shape.kind.value).join(', ')}` : undefined,
});

export const geometricScheduleSchema = z
  .strictObject({
    kind: z.literal('geometric'),
    sigmaMin: positive('sigmaMin').default(0.05),
    sigmaMax: positive('sigmaMax').default(10),
    levels: positiveInt('levels').max(10_000, 'levels must be ≤ 10,000').default(10),
  })
  .refine((s) => s.sigmaMin < s.sigmaMax, { path: ['sigmaMin'], message: 'sigmaMin must be < sigmaMax' });

export const scheduleSchema = z.discriminatedUnion('kind', [geometricScheduleSchema]);

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

/** Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1). */
export const annealedLangevinSchema = z.strictObject({
  kind: z.literal('annealed-langevin'),
  stepsPerLevel: positiveInt('stepsPerLevel').max(100_000).default(100),
  /** ε: the step at level i is α_i = ε·σ_i²/σ_L². */
  eps: positive('eps').default(2.5e-4),
  /** Number of chains = number of samples. */
  n: positiveInt('n').max(1_000_000, 'n must be ≤ 1,000,000').default(1000),
  /**
   * 'half': x ← x + (α/2)·s + √α·z (NCSN's Alg. 1). 'full': x ← x + α·s + √(2α)·z.
   * Published step sizes differ by exactly this factor of two.
   */
  convention: z.enum(['half', 'full']).default('half'),
  /** Tweedie denoising after the last level: x ← x + σ_L²·s_θ(x, σ_L). */
  finalDenoise: z.boolean().default(true),
  /** Chains start uniform on this box, per coordinate; default: the data's bounding box, padded. */
  init: z.enum(['uniform-data-box', 'gaussian-sigma-max']).default('uniform-data-box'),
});

export const samplerSchema = z.discriminatedUnion('kind', [annealedLangevinSchema]);

export const experimentConfigSchema = z.strictObject({
  seed: z.number().int('seed must be an integer').min(0, 'seed must be ≥ 0').max(2 ** 31 - 1).default(0),
  data: dataSchema.prefault({ kind: 'gaussian-mixture' }),
  model: modelSchema.prefault({ kind: 'mlp' }),
  objective: objectiveSchema.prefault({ kind: 'dsm' }),
  schedule: scheduleSchema.prefault({ kind: 'geometric' }),
  train: trainSchema.prefault({}),
  sampler: samplerSchema.prefault({ kind: 'annealed-langevin' }),
}).superRefine((config, ctx) => {
  if (config.objective.kind === 'esm' && config.data.kind !== 'gaussian-mixture')
    ctx.addIssue({
      code: 'custom',
      path: ['objective', 'kind'],
      message: 'esm needs data whose score is known in closed form (data.kind gaussian-mixture)',
    });
}).superRefine((config, ctx) => {
  // A mixture's size is known here; a CSV's is checked the same way once the engine has read it.
  // zod runs this after continuable issues inside too, when the mixture's transform has not
  // filled in its means: then its size is left unchecked (the config is refused anyway).
  const means = config.data.kind === 'gaussian-mixture' ? (config.data.means as number[][] | undefined) : undefined;
  const known = config.data.kind === 'gaussian-mixture' && means?.[0] ? { n: config.data.n, dim: means[0].length } : null;
  for (const issue of sizeIssues(config, known)) ctx.addIssue({ code: 'custom', ...issue });
});

/**
 * Bounds that keep one run within a desktop's memory (float32 counts). Training holds a few
 * copies of the activations (forward values, their gradients) and four of the parameters
 * (weights, gradients, Adam's two moments); the data and the samples are held whole.
 */
export const SIZE_LIMITS = {
  /** batchSize × the hidden widths' sum: 2²⁵ floats is 128 MiB per copy. */
  activations: 2 ** 25,
  parameters: 2 ** 25,
  /** Training points × dimension: 256 MiB. */
  data: 2 ** 26,
  /** Samples × dimension: they travel to the UI and the store as one array. */
  samples: 2 ** 24,
};

const grouped = (n: number): string => n.toLocaleString('en-US');

/**
 * What makes a config too large to run, or too large for its data: each with the path of the
 * field to change. `data` is the training set's size when known (null for a CSV not read yet).
 */
export function sizeIssues(
  config: Pick<ExperimentConfig, 'model' | 'train' | 'sampler'>,
  data: { n: number; dim: number } | null,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const { batchSize } = config.train;
  if (config.model.kind === 'mlp') {
    const hidden = config.model.hidden;
    const widthSum = hidden.reduce((a, b) => a + b, 0);
    if (batchSize * widthSum > SIZE_LIMITS.activations)
      issues.push({
        path: ['train', 'batchSize'],
        message: `batchSize × the hidden widths (${grouped(batchSize)} × ${grouped(widthSum)}) exceeds ${grouped(SIZE_LIMITS.activations)} activations; lower train.batchSize or model.hidden`,
      });
    const dim = data?.dim ?? 1;
    const widths = [dim + 1, ...hidden, dim];
    let parameters = 0;
    for (let l = 0; l + 1 < widths.length; l++) parameters += (widths[l] + 1) * widths[l + 1];
    if (parameters > SIZE_LIMITS.parameters)
      issues.push({
        path: ['model', 'hidden'],
        message: `${grouped(parameters)} parameters exceed ${grouped(SIZE_LIMITS.parameters)}; use fewer or narrower hidden layers`,
      });
  }
  if (data) {
    if (batchSize > data.n)
      issues.push({ path: ['train', 'batchSize'], message: `batchSize (${grouped(batchSize)}) is larger than the data (${grouped(data.n)} points)` });
    if (data.n * data.dim > SIZE_LIMITS.data)
      issues.push({
        path: ['data', 'n'],
        message: `${grouped(data.n)} points × ${grouped(data.dim)} dimensions exceed ${grouped(SIZE_LIMITS.data)} numbers`,
      });
    if (config.sampler.n * data.dim > SIZE_LIMITS.samples)
      issues.push({
        path: ['sampler', 'n'],
        message: `${grouped(config.sampler.n)} samples × ${grouped(data.dim)} dimensions exceed ${grouped(SIZE_LIMITS.samples)} numbers`,
      });
  }
  return issues;
}

export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
export type DataConfig = ExperimentConfig['data'];
export type ModelConfig = ExperimentConfig['model'];
export type ObjectiveConfig = ExperimentConfig['objective'];
export type ScheduleConfig = ExperimentConfig['schedule'];
export type TrainConfig = ExperimentConfig['train'];
export type SamplerConfig = ExperimentConfig['sampler'];

/** One problem with a config: the dotted path of the field and why it is wrong. */
export interface ConfigIssue {
  field: string;
  message: string;
}

export type ConfigResult = { ok: true; config: ExperimentConfig } | { ok: false; issues: ConfigIssue[] };

/** Formats a zod path the way a person writes a JSON field: `data.means[2]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(config)';
}

/** Validates and fills defaults. Never throws for bad input: the issues name each field at fault. */
export function parseExperimentConfig(input: unknown): ConfigResult {
  const result = experimentConfigSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((iss) => ({
      field: formatFieldPath(iss.path),
      message: iss.code === 'unrecognized_keys' ? `unknown key(s): ${iss.keys.join(', ')}` : iss.message,
    })),
  };
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid config: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Like parseExperimentConfig, for callers that treat a bad config as an error. */
export function requireExperimentConfig(input: unknown): ExperimentConfig {
  const result = parseExperimentConfig(input);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

/** The `model` section: the score network (or score model) and how σ enters it. */
import { z } from 'zod';
import { bounded, kindError, kindsWith, positiveInt } from './fields';

/**
 * Activations whose second derivative TensorFlow.js 4.22 computes correctly (tanh and exp do not:
 * their gradients reuse the op's output). Objectives that differentiate the score's Jacobian need this.
 */
export const ACTIVATIONS = ['softplus', 'swish', 'elu', 'relu'] as const;

/**
 * How a dense layer's weights are drawn: 'pytorch' is nn.Linear's default, kernel and bias
 * U(±1/√fan_in); 'glorot' is a Glorot-uniform kernel, U(±√(6/(fan_in + fan_out))), and a zero bias
 * (Scorebench before 2026-12). On a mixture with a narrow, light mode beside wide ones, 'glorot'
 * (with a decaying lr) left the narrow mode at a fifth of its weight where 'pytorch' recovers it
 * (README, "Narrow modes").
 */
export const DENSE_INITS = ['pytorch', 'glorot'] as const;
export type DenseInit = (typeof DENSE_INITS)[number];

export const mlpSchema = z.strictObject({
  kind: z.literal('mlp'),
  hidden: z.array(positiveInt('hidden width').max(4096, 'hidden width must be ≤ 4096')).min(1).max(16).default([128, 128, 128]),
  activation: z.enum(ACTIVATIONS).default('softplus'),
  /**
   * How σ enters the network. Concatenated to the input: 'concat' is log σ itself; 'sinusoidal' is
   * sin and cos of log σ at `embeddingDim`/2 frequencies (the transformer's position embedding).
   * 'film' (Perez et al. 2018) leaves the input x alone and modulates every hidden layer's
   * pre-activation h as (1 + γ_l(σ))⊙h + β_l(σ), γ_l and β_l affine in the sinusoidal embedding.
   */
  conditioning: z.enum(['concat', 'sinusoidal', 'film']).default('concat'),
  /** Width of the sinusoidal embedding of 'sinusoidal' and 'film' (sin and cos at embeddingDim/2 frequencies); unused by 'concat'. */
  embeddingDim: positiveInt('embeddingDim')
    .max(1024, 'embeddingDim must be ≤ 1024')
    .refine((d) => d % 2 === 0, 'embeddingDim must be even')
    .default(32),
  /** NCSNv2's s_θ(x, σ) = f_θ(x, σ)/σ, which keeps the output's scale right across levels. */
  scaleBySigma: z.boolean().default(true),
  /** How every dense layer's weights are drawn (see DENSE_INITS). */
  init: z.enum(DENSE_INITS).default('pytorch'),
});

/**
 * The analytic score of the data's Gaussian mixture, ∇log p_σ at each σ, and its log-density: no
 * weights, no training; for studying samplers on their own (needs data.kind gaussian-mixture).
 */
export const analyticModelSchema = z.strictObject({ kind: z.literal('analytic') });

/**
 * An energy network (an energy-based model, Du & Mordatch 2019): the MLP's architecture with one
 * output E_θ(x, σ) and a temperature τ, p_σ(x) ∝ exp(−E_θ(x, σ)/τ). Its score is −∇ₓE_θ/τ and its
 * log-density −E_θ/τ (up to a constant), so Metropolis samplers apply; `scaleBySigma` makes
 * E_θ = f_θ/σ. τ only rescales what DSM learns (E_θ/τ is fitted); contrastive divergence samples
 * its negatives from exp(−E_θ/τ).
 */
export const energyMlpSchema = z.strictObject({
  ...mlpSchema.shape,
  kind: z.literal('energy-mlp'),
  /** Within [1e-4, 1e4], so E/τ stays within float32 for energies of the data's scale. */
  temperature: bounded('temperature', 1e-4, 1e4).default(1),
});

/**
 * A small noise-conditional U-Net for images (28×28 MNIST): 3×3 convolutions at each resolution
 * (`channels[i]` wide at the i-th, each half the side of the one before: 28 → 14 → 7), skips
 * joined by concatenation on the way up, and σ entering every block FiLM-style, as a per-channel
 * scale and shift computed from a sinusoidal embedding of log σ. Needs image data (data.kind mnist).
 */
export const unetSchema = z.strictObject({
  kind: z.literal('unet'),
  channels: z
    .array(positiveInt('channel width').max(256, 'channel widths must be ≤ 256'))
    .min(2, 'channels needs a width for at least 2 resolutions')
    .max(4, 'channels holds at most 4 resolutions')
    .default([8, 16, 32]),
  /** Width of the sinusoidal embedding of log σ (sin and cos at embeddingDim/2 frequencies). */
  embeddingDim: positiveInt('embeddingDim')
    .max(256, 'embeddingDim must be ≤ 256')
    .refine((d) => d % 2 === 0, 'embeddingDim must be even')
    .default(32),
  /** NCSNv2's s_θ(x, σ) = f_θ(x, σ)/σ. */
  scaleBySigma: z.boolean().default(true),
});

const modelOptions = [mlpSchema, analyticModelSchema, energyMlpSchema, unetSchema] as const;

export const modelSchema = z.discriminatedUnion('kind', [...modelOptions], {
  error: kindError(modelOptions.map((o) => o.shape.kind.value)),
});

export type ModelKind = z.output<typeof modelSchema>['kind'];

/**
 * What each model kind gives beyond a score: an energy (`ScoreNetwork.energy`, what contrastive
 * divergence trains) and a log-density up to a constant (`ScoreNetwork.logDensity`, what a
 * Metropolis–Hastings correction evaluates).
 */
export const MODEL_KIND_TRAITS: Record<ModelKind, { energy: boolean; density: boolean }> = {
  mlp: { energy: false, density: false },
  analytic: { energy: false, density: true },
  'energy-mlp': { energy: true, density: true },
  unet: { energy: false, density: false },
};
export const ENERGY_MODEL_KINDS = kindsWith(MODEL_KIND_TRAITS, (t) => t.energy);
export const DENSITY_MODEL_KINDS = kindsWith(MODEL_KIND_TRAITS, (t) => t.density);

/** The `objective` section: the training loss (score matching, or contrastive divergence for energy models). */
import { z } from 'zod';
import { bounded, fraction, kindError, kindsWith, positiveInt } from './fields';

/**
 * Every objective is a sum over the schedule's levels, Σ_i λ(σ_i)·ℓ(σ_i), one level drawn per
 * example; λ(σ): 'sigma2' is λ(σ) = σ², which makes every level's loss O(1).
 */
const WEIGHTINGS = ['sigma2', 'sigma', 'one'] as const;
const weighting = z.enum(WEIGHTINGS).default('sigma2');

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
  /** At least 1e-4: a smaller difference of two float32 scores is rounding, not a derivative. */
  step: bounded('step', 1e-4, 1).default(0.05),
});

/**
 * Contrastive divergence for energy models (Hinton 2002; Du & Mordatch 2019), at every level:
 * E_θ(x⁺) − E_θ(x⁻) + α(E_θ(x⁺)² + E_θ(x⁻)²), x⁺ the perturbed data at the row's σ, x⁻ the end of
 * `langevinSteps` Langevin steps on the model at that σ, step α = stepSize·σ² (x ← x + (α/2)·s + √α·z),
 * started from a persistent replay buffer of `bufferSize` chains per level (0: from uniform noise
 * over the data box every step), a `reinitFraction` of them restarted from that noise.
 */
export const cdSchema = z.strictObject({
  kind: z.literal('cd'),
  /** λ(σ) = σ by default: with σ-scaled energies (E = f/σ), σ·∇θE = ∇θf is O(1) at every level. */
  weighting: z.enum(WEIGHTINGS).default('sigma'),
  langevinSteps: positiveInt('langevinSteps').max(1000, 'langevinSteps must be ≤ 1000').default(20),
  stepSize: bounded('stepSize', 1e-12, 2, { min: '1e-12', max: '2 (the step is stepSize·σ²)' }).default(0.1),
  /** α of the energy regulariser α(E⁺² + E⁻²), which keeps energies near 0 (Du & Mordatch 2019, §3.3). */
  regularization: z
    .number({ error: 'regularization must be a number' })
    .min(0, 'regularization must be ≥ 0')
    .max(1e4, 'regularization must be ≤ 1e4')
    .default(0.1),
  /**
   * Chains kept per level. The default is the default batch size, the smallest a batch allows (its
   * rows may all draw one level): the smaller the buffer, the more often each chain runs on.
   */
  bufferSize: z
    .number({ error: 'bufferSize must be a number' })
    .int('bufferSize must be an integer')
    .min(0, 'bufferSize must be ≥ 0 (0: no replay buffer)')
    .max(1_000_000, 'bufferSize must be ≤ 1,000,000')
    .default(256),
  reinitFraction: fraction('reinitFraction').default(0.05),
});

const objectiveOptions = [dsmSchema, esmSchema, ismSchema, ssmSchema, fdSsmSchema, noisySsmSchema, cdSchema] as const;

export const objectiveSchema = z.discriminatedUnion('kind', [...objectiveOptions], {
  error: kindError(objectiveOptions.map((o) => o.shape.kind.value)),
});

export type ObjectiveKind = z.output<typeof objectiveSchema>['kind'];

/**
 * Whether each objective differentiates the score's Jacobian (its trace, or projections of it):
 * such an objective trains the network through a second derivative of its output, which the
 * U-Net's convolution gradient does not give and which is a third derivative of an energy.
 */
export const OBJECTIVE_KIND_TRAITS: Record<ObjectiveKind, { secondOrder: boolean }> = {
  dsm: { secondOrder: false },
  esm: { secondOrder: false },
  ism: { secondOrder: true },
  ssm: { secondOrder: true },
  'fd-ssm': { secondOrder: false },
  'noisy-ssm': { secondOrder: true },
  cd: { secondOrder: false },
};
export const SECOND_ORDER_OBJECTIVE_KINDS = kindsWith(OBJECTIVE_KIND_TRAITS, (t) => t.secondOrder);

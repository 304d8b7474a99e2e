/** The `objective` section: the score-matching loss a run trains with. */
import { z } from 'zod';
import { kindError, positive, positiveInt } from './fields';

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
  error: kindError(objectiveOptions.map((o) => o.shape.kind.value)),
});

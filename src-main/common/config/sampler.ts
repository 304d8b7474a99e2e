/** The `sampler` section: how samples are drawn from the trained score. */
import { z } from 'zod';
import { positive, positiveInt } from './fields';

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

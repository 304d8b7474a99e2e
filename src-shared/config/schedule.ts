/**
 * The `schedule` section: the noise levels σ_1 > … > σ_L. Four kinds span a σ range given in the
 * config, differing in how the levels are spaced; two take the range (and NCSNv2 the number of
 * levels) from the training data. The formulas are in src-main/engine/schedules/.
 */
import { z } from 'zod';
import { kindError, length, positiveInt } from './fields';

/**
 * How levels are spaced between σ_max and σ_min, with t_i = i/(L−1), i = 0 … L−1:
 * - geometric: σ_i = σ_max·(σ_min/σ_max)^t_i (NCSN: a constant ratio);
 * - linear: σ_i = σ_max + (σ_min − σ_max)·t_i;
 * - quadratic: σ_i = (√σ_max + (√σ_min − √σ_max)·t_i)², √σ linear in i (DDPM's "quad" schedule, applied to σ);
 * - cosine: σ_i = tan(θ_max + (θ_min − θ_max)·t_i), θ = arctan σ: the σ of Nichol & Dhariwal's cosine
 *   schedule, σ(t) = √((1 − ᾱ(t))/ᾱ(t)) = tan(π/2·(t + s)/(1 + s)), linear in t between the endpoints.
 */
export const SPACINGS = ['geometric', 'linear', 'quadratic', 'cosine'] as const;
export type Spacing = (typeof SPACINGS)[number];

/** The most levels a schedule may have (the config's, or the number NCSNv2's rule picks). */
export const MAX_LEVELS = 10_000;

const levels = positiveInt('levels').max(MAX_LEVELS, `levels must be ≤ ${MAX_LEVELS.toLocaleString('en-US')}`);

const percentile = (what: string) =>
  z.number({ error: `${what} must be a number` }).min(0, `${what} must be ≥ 0`).max(100, `${what} must be ≤ 100`);

/** One schedule kind per spacing, over a σ range the config gives. */
function rangeSchedule<K extends Spacing>(kind: K) {
  return z
    .strictObject({
      kind: z.literal(kind),
      sigmaMin: length('sigmaMin').default(0.05),
      sigmaMax: length('sigmaMax').default(10),
      levels: levels.default(10),
    })
    .refine((s) => s.sigmaMin < s.sigmaMax, { path: ['sigmaMin'], message: 'sigmaMin must be < sigmaMax' });
}

export const geometricScheduleSchema = rangeSchedule('geometric');
export const linearScheduleSchema = rangeSchedule('linear');
export const quadraticScheduleSchema = rangeSchedule('quadratic');
export const cosineScheduleSchema = rangeSchedule('cosine');

/**
 * σ_min and σ_max are percentiles of the training data's pairwise distances (Type 7, linear between
 * order statistics, over at most 5000 rows: a seeded subsample beyond), spaced by `spacing`.
 */
export const adaptiveScheduleSchema = z
  .strictObject({
    kind: z.literal('adaptive'),
    lowPercentile: percentile('lowPercentile').default(0.1),
    highPercentile: percentile('highPercentile').default(100),
    levels: levels.default(10),
    spacing: z.enum(SPACINGS).default('geometric'),
  })
  .refine((s) => s.lowPercentile < s.highPercentile, { path: ['lowPercentile'], message: 'lowPercentile must be < highPercentile' });

/**
 * NCSNv2 (Song & Ermon 2020): σ_max is the largest pairwise distance of the data (Technique 1); the
 * levels are geometric down to `sigmaMin`, their number the fewest whose ratio γ keeps adjacent
 * levels' overlap Φ(√(2D)(γ−1)+3γ) − Φ(√(2D)(γ−1)−3γ) at least ½ (Technique 2). Below D = 5 no ratio
 * brings that overlap down to ½ (the formula's shells then cover the origin), so the rule picks no
 * number: `levels` must be given there; when given, it replaces Technique 2 in any dimension.
 */
export const ncsnv2ScheduleSchema = z.strictObject({
  kind: z.literal('ncsnv2'),
  sigmaMin: length('sigmaMin').default(0.01),
  levels: levels.optional(),
});

const scheduleOptions = [
  geometricScheduleSchema,
  linearScheduleSchema,
  quadraticScheduleSchema,
  cosineScheduleSchema,
  adaptiveScheduleSchema,
  ncsnv2ScheduleSchema,
] as const;

export const scheduleSchema = z.discriminatedUnion('kind', [...scheduleOptions], {
  error: kindError(scheduleOptions.map((o) => o.shape.kind.value)),
});

/** The smallest dimension at which NCSNv2's Technique 2 chooses a number of levels. */
export const NCSNV2_MIN_DIM = 5;

/**
 * What the config alone fixes of the schedule: the number of levels and the σ range where it gives
 * them (the data-driven kinds take the rest from the data).
 */
export function knownScheduleSpan(schedule: { kind: string; levels?: number; sigmaMin?: number; sigmaMax?: number }): {
  levels: number | null;
  sigmaMax: number | null;
  sigmaMin: number | null;
} {
  return { levels: schedule.levels ?? null, sigmaMax: schedule.sigmaMax ?? null, sigmaMin: schedule.sigmaMin ?? null };
}

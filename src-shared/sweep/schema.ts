/**
 * The sweep document: a base experiment config and the axes that vary it. Validated once at the
 * edge (CLI file, API call) by this schema; expand.ts turns it into the configs it stands for.
 *
 *   { "name": "lr-by-schedule", "base": { …config… }, "combine": "grid", "seeds": 2,
 *     "axes": [ { "path": "train.lr", "range": { "from": 1e-4, "to": 1e-2, "count": 3, "scale": "log" } },
 *               { "path": "schedule", "values": [ { "kind": "geometric" }, { "kind": "linear" } ] } ] }
 */
import { z } from 'zod';

/** The most configs one sweep expands to: each is a run, and a typo in a grid should not queue a million. */
export const MAX_SWEEP_RUNS = 1000;

/** A dotted config path of identifiers: `train.lr`, `schedule`, `model.hidden`. */
const configPath = z
  .string()
  .max(200)
  .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, 'must be a dotted config path like train.lr or schedule');

const count = z.number().int('count must be an integer').min(1, 'count must be ≥ 1').max(MAX_SWEEP_RUNS);
const finite = (what: string) => z.number({ error: `${what} must be a number` }).finite(`${what} must be finite`);

/** `count` evenly spaced values from `from` to `to` (both included); 'log': evenly spaced in log. */
const rangeSchema = z
  .strictObject({
    from: finite('from'),
    to: finite('to'),
    count,
    scale: z.enum(['linear', 'log']).default('linear'),
    /** Rounds each value to the nearest integer (widths, steps). */
    integer: z.boolean().default(false),
  })
  .refine((r) => r.scale === 'linear' || (r.from > 0 && r.to > 0), { message: 'a log range needs from > 0 and to > 0', path: ['from'] });

/** `count` independent draws; 'log-uniform': uniform in log between min and max. Seeded by the document's `seed`. */
const randomSchema = z
  .strictObject({
    distribution: z.enum(['uniform', 'log-uniform']),
    min: finite('min'),
    max: finite('max'),
    count,
    integer: z.boolean().default(false),
  })
  .refine((r) => r.min <= r.max, { message: 'min must be ≤ max', path: ['max'] })
  .refine((r) => r.distribution === 'uniform' || r.min > 0, { message: 'a log-uniform draw needs min > 0', path: ['min'] });

/** One axis: a config path and exactly one way of giving its values. */
export const axisSchema = z
  .strictObject({
    path: configPath,
    /** The values as given: numbers, strings, or whole objects (a section with its kind: `schedule` ← { kind, … }). */
    values: z.array(z.unknown()).min(1, 'values must list at least one value').max(MAX_SWEEP_RUNS).optional(),
    range: rangeSchema.optional(),
    random: randomSchema.optional(),
  })
  .refine((a) => [a.values, a.range, a.random].filter((v) => v !== undefined).length === 1, {
    message: 'an axis needs exactly one of values, range or random',
  });

export const sweepDocumentSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).default('sweep'),
  /** The experiment config every run starts from (validated with each axis value applied). */
  base: z.record(z.string(), z.unknown()).default({}),
  axes: z.array(axisSchema).max(20).default([]),
  /** 'grid': every combination (first axis outermost); 'zip': the i-th value of every axis together. */
  combine: z.enum(['grid', 'zip']).default('grid'),
  /** Repeats of every combination, with config seeds seed, seed + 1, …. */
  seeds: z.number().int('seeds must be an integer').min(1, 'seeds must be ≥ 1').max(100).default(1),
  /** Seed of the random axes' draws: the same document always expands to the same configs. */
  seed: z.number().int('seed must be an integer').min(0).max(2 ** 31 - 1).default(0),
});

export type SweepAxis = z.output<typeof axisSchema>;
export type SweepDocument = z.output<typeof sweepDocumentSchema>;
export type SweepDocumentInput = z.input<typeof sweepDocumentSchema>;

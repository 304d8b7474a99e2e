/**
 * The run bundle: one JSON document that carries a whole run from one Scorebench to another (its
 * config, outcome, curves at full resolution, schedule, training data, sample sets and weights).
 *
 * Import is strict: the schema names the field at fault for anything missing, extra, mistyped or
 * inconsistent (a truncated array, a shape that does not match its data), a version this code
 * does not read is refused before anything else is looked at, and the digest over the content
 * catches edits that keep the document well-formed. Pure module: the renderer reads the types.
 */
import { z } from 'zod';
import { experimentConfigSchema, formatFieldPath, type ConfigIssue } from './config';
import { zodFieldIssues } from './issues';
import { isSampleSetLabel, SAMPLE_SET_LABEL_RULE } from './labels';

export const BUNDLE_FORMAT = 'scorebench-run-bundle';
/** Bump on any change an older reader would misread; readers refuse versions they do not know. */
export const BUNDLE_FORMAT_VERSION = 1;
/** The file name ending the UI offers and accepts. */
export const BUNDLE_FILE_SUFFIX = '.scorebench-run.json';
/**
 * The most bytes an importRunBundle request may take: the HTTP server's body limit for that call,
 * and what export refuses beyond (measured as the UI sends a bundle: its file's text as a JSON
 * string in `{"bundle": …}`), so every bundle that exports also imports.
 */
export const MAX_BUNDLE_REQUEST_BYTES = 256 * 2 ** 20;

// zod 4's number() refuses NaN and ±Infinity.
const finite = z.number();
/** Sample coordinates: a diverged sampler leaves NaN, which JSON writes as null. */
const floatOrNull = z.union([finite, z.null()]);
const count = z.number().int('must be an integer').min(0, 'must be ≥ 0');
const isoTime = z.iso.datetime({ error: 'must be an ISO 8601 time' });

const sampleMetricsSchema = z.strictObject({
  modeShares: z.array(z.strictObject({ share: finite, weight: finite })).optional(),
  modeShareError: finite.optional(),
  offSupport: finite.optional(),
  n: count,
  distances: z
    .strictObject({
      nSamples: count,
      nReference: count,
      nonFinite: count,
      reference: z.enum(['held-out', 'training']),
      mmd2: finite,
      mmd2StdErr: finite.optional(),
      mmdBandwidth: finite,
      slicedWasserstein: finite,
      projections: count,
      energyDistance: finite,
      energyDistanceStdErr: finite.optional(),
    })
    .optional(),
  fisher: z.strictObject({ nPerLevel: count, levels: z.array(z.strictObject({ sigma: finite, value: finite.nullable() })) }).optional(),
});

const backendSchema = z.strictObject({
  name: z.string(),
  package: z.string(),
  gpu: z.boolean(),
  threads: z.number().int().positive().optional(),
  fallbacks: z.array(z.string()),
});

/** A point's dimension: at least one coordinate (with 0, any n would match an empty array). */
const dimension = count.min(1, 'must be ≥ 1');

/** n points of dimension dim, row-major: the array must hold exactly n·dim numbers. */
const holdsNByDim: [(s: { n: number; dim: number; points: unknown[] }) => boolean, { path: string[]; message: string }] = [
  (s) => s.points.length === s.n * s.dim,
  { path: ['points'], message: 'does not hold n × dim numbers (truncated or altered)' },
];

/** Columnar, so a long curve stays compact: three arrays of one length, steps increasing. */
const curveSchema = z
  .strictObject({
    key: z.string().min(1).max(100),
    steps: z.array(z.number().int('must hold integers')),
    times: z.array(finite),
    /** null is a diverged (NaN) loss. */
    values: z.array(floatOrNull),
  })
  .superRefine((c, ctx) => {
    if (c.times.length !== c.steps.length)
      ctx.addIssue({ code: 'custom', path: ['times'], message: `holds ${c.times.length} times for ${c.steps.length} steps` });
    if (c.values.length !== c.steps.length)
      ctx.addIssue({ code: 'custom', path: ['values'], message: `holds ${c.values.length} values for ${c.steps.length} steps` });
    const i = c.steps.findIndex((s, k) => k > 0 && s <= c.steps[k - 1]);
    if (i > 0) ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'steps must increase' });
  });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Bytes a base64 string decodes to, without decoding it. */
export const base64Bytes = (text: string): number => (text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);

const tensorSchema = z
  .strictObject({
    name: z.string(),
    shape: z.array(count),
    /** Little-endian float32, base64. */
    data: z.string().refine((d) => d.length % 4 === 0 && BASE64.test(d), 'must be base64'),
  })
  .refine((t) => base64Bytes(t.data) === 4 * t.shape.reduce((a, b) => a * b, 1), {
    path: ['data'],
    message: 'does not hold one float32 per element of shape (truncated or altered)',
  });

const FINISHED = ['completed', 'failed', 'cancelled', 'interrupted', 'paused'] as const;

export const runBundleSchema = z
  .strictObject({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    exportedAt: isoTime,
    /** sha256 over the canonical JSON of every other field (see canonicalJson). */
    digest: z.strictObject({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits') }),
    experiment: z.strictObject({ name: z.string().min(1).max(200), config: experimentConfigSchema }),
    run: z.strictObject({
      name: z.string().min(1).max(200),
      status: z.enum(FINISHED, { error: `must be one of: ${FINISHED.join(', ')} (a live run cannot be exported)` }),
      createdAt: isoTime,
      startedAt: isoTime.nullable(),
      finishedAt: isoTime.nullable(),
      backend: backendSchema.nullable(),
      seed: count,
      steps: count,
      totalSteps: count,
      trainSeconds: finite.nullable(),
      sampleSeconds: finite.nullable(),
      finalLoss: floatOrNull,
      metrics: sampleMetricsSchema.nullable(),
      error: z.string().nullable(),
      tags: z.array(z.string().min(1).max(60)).max(50),
      notes: z.string().max(100_000),
    }),
    curves: z.array(curveSchema),
    schedule: z.array(z.strictObject({ level: count, sigma: finite, alpha: finite, weight: finite })),
    trainingData: z
      .strictObject({ n: count, dim: dimension, points: z.array(finite) })
      .refine(...holdsNByDim)
      .nullable(),
    sampleSets: z.array(
      z
        .strictObject({
          label: z.string().refine(isSampleSetLabel, SAMPLE_SET_LABEL_RULE),
          frame: z.strictObject({ index: count, step: count, total: count, level: z.number().int(), sigma: finite }).optional(),
          n: count,
          dim: dimension,
          points: z.array(floatOrNull),
          metrics: sampleMetricsSchema,
        })
        .refine(...holdsNByDim),
    ),
    weights: z.array(z.strictObject({ step: count, tensors: z.array(tensorSchema) })),
  })
  .superRefine((b, ctx) => {
    if (b.run.seed !== b.experiment.config.seed)
      ctx.addIssue({ code: 'custom', path: ['run', 'seed'], message: `is ${b.run.seed}, the config's seed ${b.experiment.config.seed}` });
    if (b.run.totalSteps !== b.experiment.config.train.steps)
      ctx.addIssue({
        code: 'custom',
        path: ['run', 'totalSteps'],
        message: `is ${b.run.totalSteps}, the config's train.steps ${b.experiment.config.train.steps}`,
      });
    const keys = new Set<string>();
    b.curves.forEach((c, i) => {
      if (keys.has(c.key)) ctx.addIssue({ code: 'custom', path: ['curves', i, 'key'], message: `repeats "${c.key}"` });
      keys.add(c.key);
    });
    b.schedule.forEach((l, i) => {
      if (l.level !== i) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'level'], message: `must be ${i}: levels run 0, 1, …` });
    });
  });

/** What a bundle file holds, as written. */
export type RunBundle = z.input<typeof runBundleSchema>;
/** A bundle that passed every check (its config with defaults filled). */
export type ParsedRunBundle = z.output<typeof runBundleSchema>;

export type BundleResult = { ok: true; bundle: ParsedRunBundle } | { ok: false; issues: ConfigIssue[] };

const issue = (field: string, message: string): BundleResult => ({ ok: false, issues: [{ field, message }] });

/**
 * Validates a bundle (an object, or its JSON text). The format and its version are checked first,
 * so a file from a newer Scorebench gets one clear answer rather than a list of what changed.
 * Field names are prefixed with `bundle.`, the argument that carries it.
 */
export function parseRunBundle(input: unknown): BundleResult {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (err) {
      return issue('bundle', `is not JSON (${(err as Error).message}): the file is truncated or not a run bundle`);
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return issue('bundle', 'must be a JSON object');
  const head = raw as { format?: unknown; formatVersion?: unknown };
  if (head.format !== BUNDLE_FORMAT) return issue('bundle.format', `must be "${BUNDLE_FORMAT}": this is not a Scorebench run bundle`);
  const version = head.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return issue('bundle.formatVersion', 'must be a positive integer');
  if (version > BUNDLE_FORMAT_VERSION)
    return issue(
      'bundle.formatVersion',
      `is ${version}: the bundle was written by a newer Scorebench (this one reads format version ${BUNDLE_FORMAT_VERSION}); update Scorebench to import it`,
    );
  const result = runBundleSchema.safeParse(raw);
  if (result.success) return { ok: true, bundle: result.data };
  return {
    ok: false,
    issues: zodFieldIssues(result.error, (path) => formatFieldPath(['bundle', ...path])),
  };
}

/**
 * JSON with every object's keys in sorted order and no whitespace: the same content always gives
 * the same text, however the file was formatted, so a digest of it survives re-indentation.
 * Numbers print as JSON.stringify prints them (the shortest text that reads back as the same
 * double), non-finite numbers as null, as in the file itself.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort())
      if (record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The text the digest is computed over: the canonical JSON of every field but the digest. */
export function digestInput(bundle: object): string {
  const { digest: _digest, ...content } = bundle as { digest?: unknown };
  return canonicalJson(content);
}

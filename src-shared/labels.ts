/**
 * The two string grammars that several layers share, built and parsed here alone: sample-set
 * labels (`final`, `trajectory/<index>`, `checkpoint/<step>`, and the task sets) and metric keys
 * (`loss`, `loss/level/<i>`). The engine builds them, the store keeps them (and picks sets by
 * prefix in SQL), the API and bundle validation refuse anything else, and the renderer reads
 * them back; all of them go through this module so a new label is one edit here.
 */

/** The prefix of a trajectory frame's label, `trajectory/<index>`. */
export const TRAJECTORY_PREFIX = 'trajectory/';
/** The prefix of the label of samples drawn with the weights of a training step, `checkpoint/<step>`. */
export const CHECKPOINT_PREFIX = 'checkpoint/';
/** The prefix of a per-level loss key, `loss/level/<i>`. */
export const LOSS_LEVEL_PREFIX = 'loss/level/';

/** Builders of every sample-set label. */
export const sampleSetLabel = {
  /** The sampler's output. */
  final: 'final',
  /** Inpainting: each chain's known values (full rows; the masked coordinates are the ones kept). */
  inpaintReference: 'inpaint/reference',
  /** Interpolation: the paths, pair-major, `points` rows per pair from sample 2p to sample 2p + 1. */
  interpolation: 'interpolation',
  /** Frame `index` of the sampling trajectory (0 the initial state, the last the output). */
  trajectory: (index: number): string => `${TRAJECTORY_PREFIX}${index}`,
  /** Samples drawn on demand with the weights of training step `step`. */
  checkpoint: (step: number): string => `${CHECKPOINT_PREFIX}${step}`,
} as const;

/** A sample-set label, read. */
export type ParsedSampleSetLabel =
  | { kind: 'final' }
  | { kind: 'inpaint-reference' }
  | { kind: 'interpolation' }
  | { kind: 'trajectory'; index: number }
  | { kind: 'checkpoint'; step: number };

/** Builders of every metric key. */
export const metricKey = {
  /** The total training loss. */
  loss: 'loss',
  /** The DSM loss at noise level `level`. */
  lossAtLevel: (level: number): string => `${LOSS_LEVEL_PREFIX}${level}`,
} as const;

/** A metric key, read. */
export type ParsedMetricKey = { kind: 'loss' } | { kind: 'loss-level'; level: number };

/**
 * A count as the builders write it: decimal digits without a leading zero, so that parsing and
 * building again gives the same string (`checkpoint/05` would name the set `checkpoint/5` too).
 */
function parseCount(text: string): number | null {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** What `label` names, or null when it is no label this program writes. */
export function parseSampleSetLabel(label: string): ParsedSampleSetLabel | null {
  switch (label) {
    case sampleSetLabel.final:
      return { kind: 'final' };
    case sampleSetLabel.inpaintReference:
      return { kind: 'inpaint-reference' };
    case sampleSetLabel.interpolation:
      return { kind: 'interpolation' };
  }
  if (label.startsWith(TRAJECTORY_PREFIX)) {
    const index = parseCount(label.slice(TRAJECTORY_PREFIX.length));
    return index === null ? null : { kind: 'trajectory', index };
  }
  if (label.startsWith(CHECKPOINT_PREFIX)) {
    const step = parseCount(label.slice(CHECKPOINT_PREFIX.length));
    return step === null ? null : { kind: 'checkpoint', step };
  }
  return null;
}

/** Whether `label` is one this program writes: the check of the API's arguments and of bundles. */
export const isSampleSetLabel = (label: string): boolean => parseSampleSetLabel(label) !== null;

/** Why a string is refused as a sample-set label: one message for the API and for bundles. */
export const SAMPLE_SET_LABEL_RULE = 'is not a sample-set label (final, inpaint/reference, interpolation, trajectory/<i>, checkpoint/<step>)';

/** What `key` names, or null when it is no metric key this program logs. */
export function parseMetricKey(key: string): ParsedMetricKey | null {
  if (key === metricKey.loss) return { kind: 'loss' };
  if (!key.startsWith(LOSS_LEVEL_PREFIX)) return null;
  const level = parseCount(key.slice(LOSS_LEVEL_PREFIX.length));
  return level === null ? null : { kind: 'loss-level', level };
}

/** The level of a per-level loss key, or null for any other key. */
export function lossLevelOf(key: string): number | null {
  const parsed = parseMetricKey(key);
  return parsed?.kind === 'loss-level' ? parsed.level : null;
}

// Built once: constructing a collator costs milliseconds.
const KEY_ORDER = new Intl.Collator('en', { numeric: true });

/** Natural order of metric keys: 'loss' first, then 'loss/level/2' before 'loss/level/10'. */
export const compareMetricKeys = (a: string, b: string): number => KEY_ORDER.compare(a, b);

/**
 * Expanding a sweep document into its runs' configs, and checking every one of them before
 * anything runs. Deterministic: the same document gives the same configs in the same order
 * (random axes draw from a PRNG seeded by the document's `seed` and the axis's index).
 */
import { formatFieldPath, parseExperimentConfig, type ConfigIssue, type ExperimentConfig } from '../config';
import { clip } from '../excerpt';
import { MAX_SWEEP_RUNS, sweepDocumentSchema, type SweepAxis, type SweepDocument } from './schema';

/** One problem with a sweep: where (the axis and value, or the document field) and why. */
export interface SweepIssue {
  /** `axes[1] (train.lr) = 0.3` for a value's problem, or the document field (`axes[0].range.count`). */
  where: string;
  /** The config field at fault, when an expanded config is invalid. */
  field?: string;
  message: string;
}

export interface ExpandedSweep {
  document: SweepDocument;
  /** Valid configs, defaults filled, one per run: combinations in order, each repeated `seeds` times. */
  configs: ExperimentConfig[];
  /** A short name per run: the axis values that set it apart (`lr=0.001 schedule=linear seed=1`). */
  names: string[];
}

export type SweepResult = { ok: true; sweep: ExpandedSweep } | { ok: false; issues: SweepIssue[] };

/** One value of one axis in one combination. */
interface AxisValue {
  axis: number;
  value: unknown;
}

/** mulberry32: a small seeded PRNG (32-bit state), uniform on [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The values an axis takes, in order. */
export function axisValues(axis: SweepAxis, axisIndex: number, seed: number): unknown[] {
  if (axis.values) return axis.values;
  const round = (x: number, integer: boolean) => (integer ? Math.round(x) : x);
  if (axis.range) {
    const { from, to, count, scale, integer } = axis.range;
    // Linear: from + (to − from)·i/(n − 1); log: from·(to/from)^(i/(n − 1)), so equal ratios between neighbours.
    return Array.from({ length: count }, (_, i) => {
      const t = count === 1 ? 0 : i / (count - 1);
      return round(scale === 'log' ? from * Math.pow(to / from, t) : from + (to - from) * t, integer);
    });
  }
  const { distribution, min, max, count, integer } = axis.random!;
  // Each axis its own stream, so adding an axis does not change another's draws.
  const next = mulberry32((seed ^ Math.imul(axisIndex + 1, 0x9e3779b1)) >>> 0);
  return Array.from({ length: count }, () => {
    const u = next();
    return round(distribution === 'log-uniform' ? min * Math.pow(max / min, u) : min + (max - min) * u, integer);
  });
}

/** `base` with `value` at the dotted `path` (intermediate objects made as needed); `base` is not changed. */
export function setPath(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...base, [head]: structuredClone(value) };
  const inner = base[head];
  const child = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...base, [head]: setPath(child, rest.join('.'), value) };
}

/** How a value reads in a run's name and an error: a section by its kind, a number or string as written, clipped. */
export function valueLabel(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { kind?: unknown }).kind === 'string')
    return clip((value as { kind: string }).kind);
  if (typeof value === 'number') return String(Number(value.toPrecision(6)));
  return clip(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
}

/** Why a sweep of `runs` runs is refused, or null when it is not. */
function sizeIssue(runs: number): SweepIssue | null {
  return runs > MAX_SWEEP_RUNS ? { where: 'axes', message: `the sweep has ${runs} runs; at most ${MAX_SWEEP_RUNS}` } : null;
}

/** The combinations, as lists of one value per axis; first axis outermost in a grid. */
function combinations(doc: SweepDocument, values: unknown[][]): AxisValue[][] | SweepIssue {
  if (values.length === 0) return [[]];
  if (doc.combine === 'zip') {
    const n = values[0].length;
    const other = values.findIndex((v) => v.length !== n);
    if (other >= 0)
      return { where: 'combine', message: `zip needs axes of one length: axes[0] has ${n} values, axes[${other}] has ${values[other].length}` };
    return Array.from({ length: n }, (_, i) => values.map((v, axis) => ({ axis, value: v[i] })));
  }
  // Checked before the grid is built, so a typo that asks for a billion runs never allocates them.
  const tooMany = sizeIssue(values.reduce((n, v) => n * v.length, 1) * doc.seeds);
  if (tooMany) return tooMany;
  let out: AxisValue[][] = [[]];
  values.forEach((axisValues, axis) => {
    out = out.flatMap((prefix) => axisValues.map((value) => [...prefix, { axis, value }]));
  });
  return out;
}

/** Which of a combination's values an issue in `field` belongs to: the axis whose path is, or contains, the field. */
function blame(doc: SweepDocument, combo: AxisValue[], field: string): AxisValue | undefined {
  const within = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return combo.find((c) => within(doc.axes[c.axis].path, field) || within(field, doc.axes[c.axis].path));
}

function describe(doc: SweepDocument, v: AxisValue): string {
  return `axes[${v.axis}] (${doc.axes[v.axis].path}) = ${valueLabel(v.value)}`;
}

/**
 * Validates the document, expands it, and validates every expanded config. Never throws for bad
 * input: each issue names the axis and value (or the combination) and the config field at fault.
 */
export function expandSweep(input: unknown): SweepResult {
  const parsed = sweepDocumentSchema.safeParse(input ?? {});
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((iss) => ({
        where: formatFieldPath(iss.path),
        message: iss.code === 'unrecognized_keys' ? `unknown key(s): ${iss.keys.map((k) => clip(k)).join(', ')}` : iss.message,
      })),
    };
  const doc = parsed.data;
  const repeated = doc.axes.findIndex((a, i) => doc.axes.findIndex((b) => b.path === a.path) !== i);
  if (repeated >= 0) return { ok: false, issues: [{ where: `axes[${repeated}].path`, message: `${doc.axes[repeated].path} is already an axis` }] };
  const combos = combinations(doc, doc.axes.map((axis, i) => axisValues(axis, i, doc.seed)));
  if (!Array.isArray(combos)) return { ok: false, issues: [combos] };
  const tooMany = sizeIssue(combos.length * doc.seeds);
  if (tooMany) return { ok: false, issues: [tooMany] };

  const configs: ExperimentConfig[] = [];
  const names: string[] = [];
  const issues: SweepIssue[] = [];
  const seen = new Set<string>();
  // Axes apply to the base with its defaults filled, so `model.hidden` needs no `model.kind` in the
  // base; a base that is invalid alone (an axis may fix it) is used as written.
  const base = parseExperimentConfig(doc.base);
  const start = base.ok ? (base.config as Record<string, unknown>) : doc.base;
  for (const combo of combos) {
    let raw: Record<string, unknown> = start;
    for (const { axis, value } of combo) raw = setPath(raw, doc.axes[axis].path, value);
    const checked = parseExperimentConfig(raw);
    if (!checked.ok) {
      for (const issue of checked.issues) addIssue(issues, seen, doc, combo, issue);
      continue;
    }
    const label = combo.map((c) => `${doc.axes[c.axis].path.split('.').at(-1)}=${valueLabel(c.value)}`).join(' ');
    for (let r = 0; r < doc.seeds; r++) {
      // Repeats differ in the config's own seed (data draws, initial weights, sampler noise).
      const seed = checked.config.seed + r;
      configs.push({ ...structuredClone(checked.config), seed });
      names.push([label, doc.seeds > 1 ? `seed=${seed}` : ''].filter(Boolean).join(' ') || `run ${configs.length}`);
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, sweep: { document: doc, configs, names } };
}

/** Adds an expanded config's issue once: a value that is wrong in every combination is reported once. */
function addIssue(issues: SweepIssue[], seen: Set<string>, doc: SweepDocument, combo: AxisValue[], issue: ConfigIssue): void {
  const culprit = blame(doc, combo, issue.field);
  const where = culprit ? describe(doc, culprit) : combo.length ? combo.map((c) => describe(doc, c)).join(', ') : 'base';
  const key = `${where}\u0000${issue.field}\u0000${issue.message}`;
  if (seen.has(key)) return;
  seen.add(key);
  issues.push({ where, field: issue.field, message: issue.message });
}

/** Issues as lines for a person: `axes[0] (train.lr) = 5: train.lr: lr must be ≤ 1`. */
export function formatSweepIssues(issues: readonly SweepIssue[]): string {
  return issues.map((i) => `${i.where}: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n');
}

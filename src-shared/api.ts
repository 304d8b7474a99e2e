/**
 * The one typed API between the workbench UI (or the CLI) and the backend. Every call and event is
 * listed here once; the Electron preload bridge, the browser-mode HTTP server, its client and the
 * CLI are all derived from these types, so a new call is one entry here plus its handler.
 *
 * Each call's arguments have a zod schema: the receiving side (main process, HTTP server) validates
 * every message before a handler sees it.
 */
import { z } from 'zod';
import type { RunBundle } from './bundle';
import type { ConfigIssue, ExperimentConfig, ExperimentConfigInput } from './config';
import { formatIssues, zodFieldIssues } from './issues';
import { isSampleSetLabel, metricKey, SAMPLE_SET_LABEL_RULE } from './labels';
import type { SweepDocument } from './sweep';

/**
 * 'paused': stopped at a person's request with a checkpoint of where it stood, to be resumed;
 * 'interrupted': its process died (a crash, a kill) and a later start found it so.
 */
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'paused';

/** A run in these is owned by a live process: queued on its engine, or training there. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

/** The runs `resumeRun` continues from their last checkpoint. */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ['paused', 'interrupted', 'failed', 'cancelled'];

/** A WebGPU adapter as it describes itself (fields it leaves empty are ''), and whether it computes on the CPU. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software adapter (lavapipe/llvmpipe, SwiftShader): used only when SCOREBENCH_BACKEND=webgpu asks for it. */
  software: boolean;
}

export interface BackendInfo {
  /** tfjs backend name as TensorFlow.js reports it: 'tensorflow' (native), 'webgpu', 'wasm', 'cpu'. */
  name: string;
  /** Which package provided it: '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs'. */
  package: string;
  /** Computing on a GPU (a software WebGPU adapter is not one). */
  gpu: boolean;
  /** The WebGPU adapter, on the 'webgpu' backend only. */
  adapter?: GpuAdapterInfo;
  /** Threads it computes on (wasm: XNNPACK's pool, the calling thread included); absent for native TensorFlow. */
  threads?: number;
  /** Why faster backends were not used, one line each (e.g. "tfjs-node: libtensorflow missing"). */
  fallbacks: string[];
}

export interface ExperimentSummary {
  id: number;
  name: string;
  createdAt: string;
  config: ExperimentConfig;
}

/** Sample-quality metrics of one sample set; every field optional because it depends on the data. */
export interface SampleMetrics {
  /** Per mixture component: the share of samples nearest that component, and its true weight. */
  modeShares?: { share: number; weight: number }[];
  /** max_k |share_k − weight_k|. */
  modeShareError?: number;
  /** Mixtures: the fraction of samples farther than 4 stds from every component's mean (or not finite). */
  offSupport?: number;
  /** Number of samples the metrics were computed on. */
  n: number;
  /** Point data: distances between the samples and a reference set from the data (engine/run/evaluation.ts). */
  distances?: SampleDistances;
  /** Where the data's score is known (a mixture): the network's Fisher divergence at each noise level. */
  fisher?: FisherDivergenceMetrics;
  /** Image data (MNIST): FID and KID in a digit classifier's features (engine/metrics/image-quality.ts). */
  image?: ImageQualityMetrics;
}

/** Sample quality of generated images, compared with held-out images in a classifier's features. */
export interface ImageQualityMetrics {
  /** Fréchet distance between Gaussians fitted to the two feature sets (FID's statistic, Heusel et al. 2017). */
  fid: number;
  /** Unbiased MMD² with the kernel (xᵀy/d + 1)³ (KID, Bińkowski et al. 2018); may dip below 0 by sampling error. */
  kid: number;
  /** Generated images compared: the finite ones (clipped to the data's [0, 1]), at most a cap (seeded subsample). */
  nSamples: number;
  /** Held-out images compared (the test-split digits the run did not train on), at most the same cap. */
  nReference: number;
  /** Samples left out because a value was not finite. */
  nonFinite: number;
  /** What the features are: the classifier, its feature width. */
  features: string;
  featureDim: number;
  /** The classifier's accuracy on its test split, and that split's size. */
  classifierAccuracy: number;
  classifierTestN: number;
}

/** Two-sample distances between the final samples and a reference set of the same size. */
export interface SampleDistances {
  /** Samples compared: the finite ones, subsampled (seeded) to at most a cap when there are more. */
  nSamples: number;
  /** Reference points compared: as many as samples. */
  nReference: number;
  /** Samples left out because a coordinate was not finite (diverged chains). */
  nonFinite: number;
  /** 'held-out': fresh draws from the data's generator (a mixture, a toy); 'training': rows of the training set (a file). */
  reference: 'held-out' | 'training';
  /** Unbiased MMD² (Gretton et al. 2012, eq. 3), kernel exp(−‖x − y‖²/(2h²)); may dip below 0 by sampling error. */
  mmd2: number;
  /** The standard error of that estimate (Hoeffding's U-statistic variance, estimated without bias); absent in records from before it was kept. */
  mmd2StdErr?: number;
  /** h: the median pairwise distance over the pooled samples and reference points. */
  mmdBandwidth: number;
  /** Sliced W₂: √(mean over random unit directions of the 1-D W₂²). */
  slicedWasserstein: number;
  /** Random directions the sliced distance averages over (seeded). */
  projections: number;
  /** Energy distance 2E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖, unbiased estimate. */
  energyDistance: number;
  /** Its standard error, as mmd2StdErr's. */
  energyDistanceStdErr?: number;
}

/** ½E_{x̃~p_σ}‖s_θ(x̃, σ) − ∇log p_σ(x̃)‖² at each schedule level. */
export interface FisherDivergenceMetrics {
  /** Fresh data points drawn (and perturbed) per level. */
  nPerLevel: number;
  /** In schedule order; null where the network's score was not finite. */
  levels: { sigma: number; value: number | null }[];
}

export interface RunSummary {
  id: number;
  experimentId: number;
  name: string;
  status: RunStatus;
  createdAt: string;
  /** When the engine began training it (null while queued): "Duration" counts from here, not from createdAt. */
  startedAt: string | null;
  finishedAt: string | null;
  backend: BackendInfo | null;
  seed: number;
  /** Training steps completed (the last logged step). */
  steps: number;
  totalSteps: number;
  trainSeconds: number | null;
  sampleSeconds: number | null;
  finalLoss: number | null;
  metrics: SampleMetrics | null;
  error: string | null;
  /** Short labels for the table: dataset, objective, schedule, sampler kinds. */
  dataKind: string;
  objectiveKind: string;
  scheduleKind: string;
  samplerKind: string;
  /** The run's config: the runs table searches its values, the compare view diffs it. */
  config: ExperimentConfig;
  /** Labels a person gave the run, in the order given; no duplicates. */
  tags: string[];
  notes: string;
  /** Hidden from the runs table unless archived runs are shown; reversible. */
  archived: boolean;
  /**
   * Bumped by the store on every change of the run, starting at 1. Events and replies can arrive
   * out of order (a reply carries the run as it was when the call read it): of two copies of a
   * run, the one with the higher version is the newer.
   */
  version: number;
  /** The sweep the run is part of; absent for a run started on its own. */
  sweepId?: number;
}

/** A sweep as stored: its document as validated, and its runs (one per expanded config). */
export interface SweepSummary {
  id: number;
  name: string;
  createdAt: string;
  document: SweepDocument;
  /** Oldest first: the order of the expanded configs. */
  runIds: number[];
}

export interface RunDetail extends RunSummary {
  config: ExperimentConfig;
}

export interface CurvePoint {
  step: number;
  /** Seconds since the run started training. */
  time: number;
  value: number;
}

export interface Curve {
  runId: number;
  /** 'loss' for the total; 'loss/level/<i>' for the DSM loss at level i. */
  key: string;
  points: CurvePoint[];
}

export interface ScheduleLevel {
  level: number;
  sigma: number;
  /** The run's sampler's step α_i at this level, as the sampler computes it from the σ's (samplerStepSizes). */
  alpha: number;
  /** Loss weight λ(σ_i). */
  weight: number;
}

/**
 * Where a sample set sits on a sampling trajectory: the chains' state after `step` of `total`
 * sampler steps, at schedule level `level` (noise σ). Frames are numbered from 0 (the initial chains).
 */
export interface TrajectoryFrame {
  index: number;
  step: number;
  total: number;
  level: number;
  sigma: number;
}

export interface SampleSet {
  runId: number;
  /**
   * 'final' for the sampler's output; `trajectory/<index>` for a frame of its trajectory;
   * `checkpoint/<step>` for samples drawn on demand with the weights of that training step.
   */
  label: string;
  /** Set on trajectory frames. */
  frame?: TrajectoryFrame;
  n: number;
  dim: number;
  /** Row-major n × dim. */
  points: number[];
  metrics: SampleMetrics;
}

/** A sample set without its points: what a gallery lists before it fetches the one it shows. */
export type SampleSetInfo = Omit<SampleSet, 'points'> & { createdAt: string };

/** Progress of an on-demand engine job on a run (sampling at a checkpoint, a score field). */
export interface InspectProgress {
  runId: number;
  /** What is computed: the sample set's label (`checkpoint/<step>`) or `score-field/<step>/<level>`. */
  job: string;
  /** Sampler steps done / total; 0 / 0 while the job waits for the engine. */
  done: number;
  total: number;
}

/**
 * A run's learned score s_θ(x, σ_i) on a regular grid over the (2-D) data's box, beside the true
 * score ∇ log p_σ where the data's density is known, over the σ-perturbed density.
 */
export interface ScoreField {
  runId: number;
  /** Training step of the weights evaluated. */
  step: number;
  level: number;
  sigma: number;
  /** The region drawn: the training data's bounding box, padded like the sampler's initial box. */
  box: { x: [number, number]; y: [number, number] };
  /** Arrows per side: arrow (i, j) sits at the centre of cell i along x and j along y; row-major, j outer. */
  grid: number;
  /** grid² × 2 numbers: s_θ at each arrow's point. */
  learned: number[];
  /** grid² × 2 numbers: ∇ₓ log p_σ(x), for data whose density is known (a Gaussian mixture); else null. */
  true: number[] | null;
  /**
   * p_σ on a resolution × resolution grid of cell centres over `box` (same layout as the arrows):
   * exact for a mixture; for other data the training points convolved with N(0, σ²I).
   */
  density: { resolution: number; values: number[]; source: 'mixture' | 'training-data' };
}

export interface PointSet {
  n: number;
  dim: number;
  points: number[];
}

export interface Preset {
  id: string;
  title: string;
  description: string;
  config: ExperimentConfigInput;
}

export type ValidationResult = { ok: true; config: ExperimentConfig } | { ok: false; issues: ConfigIssue[] };

/** A run's resumable checkpoint, as the UI shows it. */
export interface CheckpointInfo {
  /** Training steps done at the checkpoint: a resume continues with step + 1. */
  step: number;
  trainSeconds: number;
  loss: number | null;
}

export type RunPhase = 'starting' | 'training' | 'sampling' | 'saving' | 'done';

export interface RunProgress {
  runId: number;
  phase: RunPhase;
  /** Progress inside the phase: done / total (steps, or sampler steps). */
  done: number;
  total: number;
  /** Latest training loss, when training. */
  loss: number | null;
  /** Seconds left in the whole run, estimated from the rate so far; null until known. */
  etaSeconds: number | null;
  /** While sampling: what the sampler reports of itself. */
  stats?: SamplingStats;
}

/**
 * A sampler's running statistics, reported with its progress (over the current batch of chains,
 * since it started). Each is present where the sampler has it.
 */
export interface SamplingStats {
  /** Fraction of proposals accepted so far, over all chains (Metropolis–Hastings samplers). */
  acceptanceRate?: number;
  /** The step the sampler takes now: α_i of a Langevin-type step, the proposal's std τ of random-walk MH. */
  stepSize?: number;
  /** Model evaluations (score or log-density calls) each chain has had so far. */
  nfe?: number;
}

const runId = z.number().int().positive();
/** An array whose repeats are dropped (the first kept): a repeated id or key asks for nothing more. */
const distinct = <T>(items: T[]): T[] => [...new Set(items)];

/**
 * The most curve points one getCurves reply may hold (a point is about 50 bytes of JSON, so about
 * 100 MB): the reply is built whole, and runs × keys × maxPoints can ask for far more than a
 * server's heap holds. A reply past it is refused with a message saying what to ask for instead.
 */
export const MAX_CURVE_REPLY_POINTS = 2 ** 21;
/** 'final', `trajectory/<i>`, `checkpoint/<step>`, ...: a label of src-shared/labels. */
const sampleLabel = z
  .string()
  .max(100)
  .refine(isSampleSetLabel, SAMPLE_SET_LABEL_RULE);
const checkpointStep = z.number().int().min(0);

/**
 * Argument schemas, one per call. The handler's argument type is the schema's output. The table
 * must have exactly the methods of ApiResults (`satisfies` below): a schema for a call with no
 * result type, or a result type without a schema, does not compile.
 */
export const apiArgSchemas = {
  listPresets: z.strictObject({}),
  validateConfig: z.strictObject({ config: z.unknown() }),
  createExperiment: z.strictObject({ name: z.string().trim().min(1).max(200), config: z.unknown() }),
  startRun: z.strictObject({ experimentId: z.number().int().positive() }),
  cancelRun: z.strictObject({ runId }),
  /** Stops a live run at its next step with a checkpoint there; `resumeRun` continues it. */
  pauseRun: z.strictObject({ runId }),
  /**
   * Trains a paused, interrupted, failed or cancelled run on from its last checkpoint, on the same curve.
   * `overrides` replaces fields of the run's train or sampler settings (e.g. a lower lr, more
   * steps); the result is validated like any config. The model, data and schedule stay.
   */
  resumeRun: z.strictObject({
    runId,
    overrides: z
      .strictObject({
        train: z.record(z.string(), z.unknown()).optional(),
        sampler: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  }),
  /** Where a resume would start: the run's last checkpoint (without its tensors), or null. */
  getCheckpointInfo: z.strictObject({ runId }),
  /** Newest first; with `sweepId`, only that sweep's runs. */
  listRuns: z.strictObject({ sweepId: z.number().int().positive().optional() }),
  /**
   * Expands a sweep document (src-shared/sweep), checks every config it gives, stores the sweep with
   * one queued run per config, and runs them `concurrency` at a time (default: from the cores),
   * each in its own engine process. A bad document is refused whole ('invalid-config'), naming
   * the axis, the value and the field.
   */
  createSweep: z.strictObject({
    document: z.unknown(),
    name: z.string().trim().min(1).max(100).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
  }),
  listSweeps: z.strictObject({}),
  getSweep: z.strictObject({ sweepId: z.number().int().positive() }),
  /** Cancels the sweep's live runs and those still waiting for a slot. */
  cancelSweep: z.strictObject({ sweepId: z.number().int().positive() }),
  /** Pauses the sweep's live runs (a checkpoint each) and those still waiting; resumeSweep goes on. */
  pauseSweep: z.strictObject({ sweepId: z.number().int().positive() }),
  /** Runs the sweep's paused and interrupted runs again (from their checkpoints), `concurrency` at a time. */
  resumeSweep: z.strictObject({ sweepId: z.number().int().positive(), concurrency: z.number().int().min(1).max(64).optional() }),
  getRun: z.strictObject({ runId }),
  getCurves: z
    .strictObject({
      runIds: z.array(runId).min(1).max(100).transform(distinct),
      keys: z.array(z.string().min(1).max(100)).max(1000).default([metricKey.loss]).transform(distinct),
      /** Downsample to about this many points per curve. */
      maxPoints: z.number().int().min(10).max(100_000).default(2000),
      /** Only the points with fromStep ≤ step ≤ toStep (a zoomed chart), downsampled within that range. */
      fromStep: z.number().int().optional(),
      toStep: z.number().int().optional(),
    })
    .refine((a) => a.fromStep === undefined || a.toStep === undefined || a.fromStep <= a.toStep, {
      path: ['toStep'],
      message: 'must be ≥ fromStep',
    }),
  listMetricKeys: z.strictObject({ runId }),
  /** What a person edits about a run; fields left out stay as they are. */
  updateRunMeta: z.strictObject({
    runId,
    name: z.string().trim().min(1).max(200).optional(),
    /** Replaces the run's tags; repeats are dropped, the first kept. */
    tags: z
      .array(z.string().trim().min(1).max(60))
      .max(50)
      .transform((tags) => [...new Set(tags)])
      .optional(),
    notes: z.string().max(100_000).optional(),
    archived: z.boolean().optional(),
  }),
  /** Permanent: the run and everything it logged. A live run must be cancelled first. */
  deleteRun: z.strictObject({ runId }),
  exportRunBundle: z.strictObject({ runId }),
  /** The bundle as exportRunBundle gave it, or the text of its file; validated strictly (see bundle.ts). */
  importRunBundle: z.strictObject({ bundle: z.unknown() }),
  getSchedule: z.strictObject({ runId }),
  getSamples: z.strictObject({ runId }),
  getTrainingData: z.strictObject({ runId, maxPoints: z.number().int().min(1).max(100_000).default(2000) }),
  getEngineInfo: z.strictObject({}),
  /** The run's sample sets (final, trajectory frames, checkpoint sets), without their points: the latest per label. */
  listSampleSets: z.strictObject({ runId }),
  /** One sample set by label (the latest with it), or null. */
  getSampleSet: z.strictObject({ runId, label: sampleLabel }),
  /** Steps at which the run's weights were kept: the positions of the checkpoint slider. */
  listCheckpointSteps: z.strictObject({ runId }),
  /**
   * Samples the run's model with the weights of step `step` (a job on the engine, progress as
   * `inspectProgress` events) and keeps the set as `checkpoint/<step>`; `n` chains (default: the
   * run's sampler.n, at most 500 for 2-D data and 64 for larger dimensions).
   */
  sampleCheckpoint: z.strictObject({ runId, step: checkpointStep, n: z.number().int().min(1).max(2000).optional() }),
  /** The learned (and, where known, true) score at level `level` on a grid × grid lattice; `step` defaults to the last weights. */
  getScoreField: z.strictObject({
    runId,
    step: checkpointStep.optional(),
    level: z.number().int().min(0).max(10_000),
    grid: z.number().int().min(4).max(64).default(20),
  }),
} as const satisfies ApiArgSchemaTable;

/** One argument schema per method of ApiResults, no more and no fewer. */
export type ApiArgSchemaTable = { [M in ApiMethod]: z.ZodType };

/**
 * Every call's result: the one list of the API's methods, which the argument schemas (above), the
 * handlers (ApiHandlers) and the client (ScorebenchApi) are all keyed by.
 */
export interface ApiResults {
  listPresets: Preset[];
  validateConfig: ValidationResult;
  createExperiment: ExperimentSummary;
  startRun: RunSummary;
  cancelRun: RunSummary;
  pauseRun: RunSummary;
  resumeRun: RunSummary;
  getCheckpointInfo: CheckpointInfo | null;
  listRuns: RunSummary[];
  createSweep: { sweep: SweepSummary; runs: RunSummary[] };
  listSweeps: SweepSummary[];
  getSweep: SweepSummary;
  cancelSweep: RunSummary[];
  pauseSweep: RunSummary[];
  resumeSweep: RunSummary[];
  getRun: RunDetail;
  getCurves: Curve[];
  getSchedule: ScheduleLevel[];
  getSamples: SampleSet | null;
  getTrainingData: PointSet;
  getEngineInfo: { backend: BackendInfo | null; running: number[] };
  listSampleSets: SampleSetInfo[];
  getSampleSet: SampleSet | null;
  listCheckpointSteps: number[];
  sampleCheckpoint: SampleSet;
  getScoreField: ScoreField;
  listMetricKeys: string[];
  updateRunMeta: RunSummary;
  deleteRun: { runId: number };
  exportRunBundle: RunBundle;
  importRunBundle: RunSummary;
}

export type ApiMethod = keyof ApiResults;
/** The methods at run time: the argument table's keys, which the compiler holds equal to ApiResults' keys. */
export const API_METHODS = Object.keys(apiArgSchemas) as ApiMethod[];

/** Every call: its arguments (as the caller writes them) and its result. */
export type ApiCalls = { [M in ApiMethod]: { args: z.input<(typeof apiArgSchemas)[M]>; result: ApiResults[M] } };

/** Events pushed from the backend to every client. */
export interface ApiEvents {
  runProgress: RunProgress;
  /** A run's row changed (status, metrics, finished). */
  runUpdated: RunSummary;
  /** A run and everything it logged were deleted. */
  runDeleted: { runId: number };
  /** An on-demand job on a run (sampleCheckpoint, getScoreField) moved on. */
  inspectProgress: InspectProgress;
}

export type ApiEventName = keyof ApiEvents;
export type ApiEvent = { [K in ApiEventName]: { name: K; payload: ApiEvents[K] } }[ApiEventName];

/** The client-side view: one promise-returning function per call. */
export type ScorebenchApi = {
  [K in ApiMethod]: (args: ApiCalls[K]['args']) => Promise<ApiCalls[K]['result']>;
};

/** The server-side view of one call: its handler receives validated (defaults filled) arguments. */
export type ApiHandler<M extends ApiMethod> = (args: z.output<(typeof apiArgSchemas)[M]>, call: CallContext) => Promise<ApiResults[M]>;

/** One handler per method: a handler map missing a call does not compile. */
export type ApiHandlers = { [M in ApiMethod]: ApiHandler<M> };

/** What a handler knows of the call beside its arguments. */
export interface CallContext {
  /** Aborted when the caller has gone (an HTTP client that disconnected): long work stops there. */
  signal?: AbortSignal;
}

/** Error carried across every transport: `field` names the argument or config field at fault. */
export interface ApiErrorShape {
  code: 'invalid-argument' | 'invalid-config' | 'not-found' | 'conflict' | 'internal';
  message: string;
  issues?: ConfigIssue[];
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorShape['code'],
    message: string,
    readonly issues?: ConfigIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toShape(): ApiErrorShape {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }

  /** What a transport answers for a call that threw: an ApiError as it is, anything else as 'internal'. */
  static from(err: unknown): ApiError {
    return err instanceof ApiError ? err : new ApiError('internal', err instanceof Error ? err.message : String(err));
  }

  static fromShape(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.issues);
  }
}

/** Validates a call's raw arguments; throws ApiError('invalid-argument') naming the field. */
export function validateArgs<K extends ApiMethod>(method: K, raw: unknown): z.output<(typeof apiArgSchemas)[K]> {
  const schema = apiArgSchemas[method];
  if (!schema) throw new ApiError('invalid-argument', `unknown method: ${String(method)}`);
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const issues = zodFieldIssues(result.error, (path) => path.map(String).join('.') || '(arguments)');
    throw new ApiError('invalid-argument', `${method}: ${formatIssues(issues)}`, issues);
  }
  return result.data as z.output<(typeof apiArgSchemas)[K]>;
}

/** Routes every call through validation before its handler: the one place transports dispatch. */
export async function dispatch<K extends ApiMethod>(
  handlers: ApiHandlers,
  method: K,
  raw: unknown,
  call: CallContext = {},
): Promise<ApiCalls[K]['result']> {
  if (!Object.prototype.hasOwnProperty.call(apiArgSchemas, method))
    throw new ApiError('invalid-argument', `unknown method: ${String(method)}`);
  const args = validateArgs(method, raw);
  return (handlers[method] as (a: typeof args, c: CallContext) => Promise<ApiCalls[K]['result']>)(args, call);
}

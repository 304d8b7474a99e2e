/**
 * The store's own small interface. Everything above it (API handlers, run manager, CLI) talks to
 * this, never to sqlite3 directly, so the driver can be swapped (sqlite3's README calls it
 * unmaintained; better-sqlite3 or node:sqlite would fit behind the same interface).
 */
import type {
  BackendInfo,
  CheckpointInfo,
  CurvePoint,
  ExperimentSummary,
  PointSet,
  RunDetail,
  RunStatus,
  RunSummary,
  SampleMetrics,
  SampleSet,
  SampleSetInfo,
  ScheduleLevel,
  SweepSummary,
} from '../../src-shared/api';
import type { ExperimentConfig } from '../../src-shared/config';
import type { SweepDocument } from '../../src-shared/sweep';
import type { MetricPoint, NamedTensor, TrainingCheckpoint } from '../engine/types';

export interface RunPatch {
  status?: RunStatus;
  startedAt?: string | null;
  finishedAt?: string | null;
  backend?: BackendInfo | null;
  steps?: number;
  trainSeconds?: number | null;
  sampleSeconds?: number | null;
  finalLoss?: number | null;
  metrics?: SampleMetrics | null;
  error?: string | null;
  /** What a person edits in the runs table; the engine never writes these. */
  name?: string;
  tags?: string[];
  notes?: string;
  archived?: boolean;
}

/** Which runs listRuns returns: those of one sweep, or (empty) all. */
export interface RunFilter {
  sweepId?: number;
}

/** A new sweep and its runs, in the order of its expanded configs. */
export interface SweepCreated {
  sweep: SweepSummary;
  runs: RunDetail[];
}

/** An inclusive step range; a missing end is open. */
export interface StepRange {
  fromStep?: number;
  toStep?: number;
}

/** One weights checkpoint: every variable's floats at that step. */
export interface WeightsCheckpoint {
  step: number;
  tensors: NamedTensor[];
}

/**
 * Everything a run holds, as it is written back in one piece (a bundle another Scorebench
 * exported): a new experiment and a new run, with the run's outcome as it was recorded.
 */
export interface RunRecord {
  experiment: { name: string; config: ExperimentConfig };
  run: Pick<
    RunSummary,
    | 'name'
    | 'status'
    | 'createdAt'
    | 'startedAt'
    | 'finishedAt'
    | 'backend'
    | 'seed'
    | 'steps'
    | 'totalSteps'
    | 'trainSeconds'
    | 'sampleSeconds'
    | 'finalLoss'
    | 'metrics'
    | 'error'
    | 'tags'
    | 'notes'
  >;
  curves: { key: string; points: CurvePoint[] }[];
  schedule: ScheduleLevel[];
  trainingData: PointSet | null;
  sampleSets: Omit<SampleSet, 'runId'>[];
  weights: WeightsCheckpoint[];
}

/**
 * A point set as the store is handed it: the engine's Float32Array, written to its blob as it is,
 * or plain numbers (a bundle's, a test's). Reads give number[]: they go out to the API as JSON.
 */
export type PointsInput<T extends { points: number[] }> = Omit<T, 'points'> & { points: Float32Array | readonly number[] };

export interface Store {
  createExperiment(name: string, config: ExperimentConfig): Promise<ExperimentSummary>;
  getExperiment(id: number): Promise<ExperimentSummary | null>;

  /**
   * Creates a run of an experiment in status 'queued', owned by this store's process (see
   * markAbandonedRuns); the run copies the experiment's config.
   */
  createRun(experimentId: number): Promise<RunDetail>;
  /** Changes the fields given, and bumps the run's version; an empty patch changes nothing. */
  updateRun(runId: number, patch: RunPatch): Promise<void>;
  getRun(runId: number): Promise<RunDetail | null>;
  /** Newest first; with a filter, only the runs it matches. */
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  /**
   * Creates a sweep and, in the same transaction, one experiment and one queued run (owned by this
   * store's process, like createRun's) per entry of `runs`, in order.
   */
  createSweep(name: string, document: SweepDocument, runs: readonly { name: string; config: ExperimentConfig }[]): Promise<SweepCreated>;
  getSweep(sweepId: number): Promise<SweepSummary | null>;
  /** Newest first. */
  listSweeps(): Promise<SweepSummary[]>;
  /**
   * Removes the run and every row it owns (metrics, schedule, data, samples, weights), and its
   * experiment once no other run uses it. False when there was no such run.
   */
  deleteRun(runId: number): Promise<boolean>;
  /** Writes a whole run (and a new experiment for it) in one transaction: all of it or nothing. */
  importRun(record: RunRecord): Promise<RunDetail>;
  /**
   * Marks every run left 'running' or 'queued' by a process that is gone as 'interrupted': runs
   * whose owner no longer holds its lock (it died, however, or closed the store before they
   * ended), and runs without an owner. Another live process's runs (the app's, while the CLI
   * opens the same file) are left to it. Returns the ids it marked.
   */
  markAbandonedRuns(): Promise<number[]>;

  /** Appends metric points; callers batch them (one transaction per call). */
  appendMetrics(runId: number, points: MetricPoint[]): Promise<void>;
  /**
   * The curve for `key` within `range` (default: all of it), downsampled to at most `maxPoints`
   * keeping first/min/max/last per bucket; `maxPoints` Infinity gives every point.
   */
  getCurve(runId: number, key: string, maxPoints: number, range?: StepRange): Promise<CurvePoint[]>;
  /** Every metric key logged for a run ('loss', 'loss/level/0', ...). */
  listMetricKeys(runId: number): Promise<string[]>;

  saveSchedule(runId: number, levels: ScheduleLevel[]): Promise<void>;
  getSchedule(runId: number): Promise<ScheduleLevel[]>;

  saveTrainingData(runId: number, data: PointsInput<PointSet>): Promise<void>;
  getTrainingData(runId: number): Promise<PointSet | null>;

  saveSampleSet(set: PointsInput<SampleSet>): Promise<void>;
  /** The latest sample set with this label, or null. */
  getSampleSet(runId: number, label: string): Promise<SampleSet | null>;
  /** Every sample set of the run, oldest first. */
  listSampleSets(runId: number): Promise<SampleSet[]>;
  /** The newest set of each label, without points (frames keep their frame), oldest first. */
  listSampleSetInfos(runId: number): Promise<SampleSetInfo[]>;

  /** Trained weights as one flat float32 buffer per variable, in the network's own order; one snapshot per step. */
  saveWeights(runId: number, step: number, tensors: NamedTensor[]): Promise<void>;
  /** The snapshot at `step`, or the latest one without it; null when there is none. */
  getWeights(runId: number, step?: number): Promise<WeightsCheckpoint | null>;
  /** The steps of the kept snapshots, ascending (the checkpoint slider's positions). */
  listWeightSteps(runId: number): Promise<number[]>;
  /** Every saved checkpoint, by step. */
  listWeights(runId: number): Promise<WeightsCheckpoint[]>;

  /** Keeps `checkpoint` as the run's one resumable state, replacing the one before. */
  saveCheckpoint(runId: number, checkpoint: TrainingCheckpoint): Promise<void>;
  getCheckpoint(runId: number): Promise<TrainingCheckpoint | null>;
  /** The checkpoint's step and progress without its tensors. */
  getCheckpointInfo(runId: number): Promise<CheckpointInfo | null>;
  /**
   * Readies a stopped run to train on from `fromStep` (its checkpoint's step, or 0), in one
   * transaction: metric points, weight snapshots and checkpoint samples after that step and
   * trajectory frames are dropped (the resumed run writes them again), and
   * the run is 'queued' under this store's process with `config` (which may differ in its train or
   * sampler settings), its error and outcome cleared.
   */
  prepareResume(runId: number, resume: { config: ExperimentConfig; fromStep: number }): Promise<void>;

  close(): Promise<void>;
}

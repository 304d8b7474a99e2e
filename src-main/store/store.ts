/**
 * The store's own small interface. Everything above it (API handlers, run manager, CLI) talks to
 * this, never to sqlite3 directly, so the driver can be swapped (sqlite3's README calls it
 * unmaintained; better-sqlite3 or node:sqlite would fit behind the same interface).
 */
import type {
  BackendInfo,
  CurvePoint,
  ExperimentSummary,
  PointSet,
  RunDetail,
  RunStatus,
  RunSummary,
  SampleMetrics,
  SampleSet,
  ScheduleLevel,
} from '../common/api';
import type { ExperimentConfig } from '../common/config';

/** One logged scalar: `key` is 'loss' or 'loss/level/<i>'. */
export interface MetricPoint {
  key: string;
  step: number;
  /** Seconds since training started. */
  time: number;
  value: number;
}

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
}

export interface Store {
  createExperiment(name: string, config: ExperimentConfig): Promise<ExperimentSummary>;
  getExperiment(id: number): Promise<ExperimentSummary | null>;

  /** Creates a run of an experiment in status 'queued'; the run copies the experiment's config. */
  createRun(experimentId: number): Promise<RunDetail>;
  updateRun(runId: number, patch: RunPatch): Promise<void>;
  getRun(runId: number): Promise<RunDetail | null>;
  /** Newest first. */
  listRuns(): Promise<RunSummary[]>;
  /**
   * Marks every run left 'running' or 'queued' by a process that died as 'interrupted'.
   * Called once when the backend starts. Returns the ids it marked.
   */
  markAbandonedRuns(): Promise<number[]>;

  /** Appends metric points; callers batch them (one transaction per call). */
  appendMetrics(runId: number, points: MetricPoint[]): Promise<void>;
  /** The curve for `key`, downsampled to about `maxPoints` keeping first/min/max/last per bucket. */
  getCurve(runId: number, key: string, maxPoints: number): Promise<CurvePoint[]>;
  /** Every metric key logged for a run ('loss', 'loss/level/0', ...). */
  listMetricKeys(runId: number): Promise<string[]>;

  saveSchedule(runId: number, levels: ScheduleLevel[]): Promise<void>;
  getSchedule(runId: number): Promise<ScheduleLevel[]>;

  saveTrainingData(runId: number, data: PointSet): Promise<void>;
  getTrainingData(runId: number): Promise<PointSet | null>;

  saveSampleSet(set: SampleSet): Promise<void>;
  /** The latest sample set with this label, or null. */
  getSampleSet(runId: number, label: string): Promise<SampleSet | null>;

  /** Trained weights as one flat float32 buffer per variable, in the network's own order. */
  saveWeights(runId: number, step: number, tensors: NamedTensor[]): Promise<void>;
  getWeights(runId: number): Promise<{ step: number; tensors: NamedTensor[] } | null>;

  close(): Promise<void>;
}

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

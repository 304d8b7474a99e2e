/**
 * Messages between the host (Electron main, browser-mode server, CLI) and the engine process that
 * owns TensorFlow. The engine is a pure compute worker: it never touches the store; it streams
 * what it computes and the host persists it (one writer for the database).
 *
 * Messages are structured-cloned (utilityProcess postMessage, or child_process with
 * serialization: 'advanced'), so Float32Arrays cross without JSON.
 */
import type { BackendInfo, PointSet, RunPhase, SampleMetrics, SamplingStats, ScheduleLevel, ScoreField, TrajectoryFrame } from '../common/api';
import type { ExperimentConfig } from '../common/config';
import type { MetricPoint, NamedTensor, TrainingCheckpoint } from '../store/store';

/**
 * An on-demand job on a trained (or stopped) run's model: the network is built from the run's
 * config and given `weights` (one of the run's kept snapshots); the data are loaded as the run
 * loaded them (same seed), so the sampler's initial box and the score field's grid are the run's.
 */
export type InspectRequest =
  | { kind: 'sample'; config: ExperimentConfig; baseDir: string; weights: NamedTensor[]; n: number }
  | { kind: 'score-field'; config: ExperimentConfig; baseDir: string; weights: NamedTensor[]; level: number; grid: number };

/** What an inspect job answers with (its last message, unless it fails). */
export type InspectResult =
  | { kind: 'samples'; n: number; dim: number; points: Float32Array; metrics: SampleMetrics }
  | { kind: 'score-field'; field: Omit<ScoreField, 'runId' | 'step'> };

export type HostToEngine =
  | {
      type: 'start';
      jobId: number;
      config: ExperimentConfig;
      /** Folder that relative data paths (CSV) resolve against. */
      baseDir: string;
      /** Train on from this checkpoint of the same run (same model and data) instead of from scratch. */
      resume?: TrainingCheckpoint;
    }
  /** Queued like a run; answered with 'progress' messages, then 'inspected' or 'failed'. */
  | { type: 'inspect'; jobId: number; request: InspectRequest }
  | { type: 'cancel'; jobId: number }
  | { type: 'shutdown' };

export type EngineToHost =
  | { type: 'ready'; backend: BackendInfo }
  /** Sent once per job before training: what the run will train on and with. */
  | { type: 'prepared'; jobId: number; schedule: ScheduleLevel[]; trainingData: PointSet }
  /** Batched metric points (the engine buffers and flushes every few hundred ms). */
  | { type: 'metrics'; jobId: number; points: MetricPoint[] }
  | { type: 'progress'; jobId: number; phase: RunPhase; done: number; total: number; loss: number | null; stats?: SamplingStats }
  | { type: 'weights'; jobId: number; step: number; tensors: NamedTensor[] }
  /** Sent every `train.checkpointEvery` steps, at the end of training and on cancel; its parameters are finite. */
  | { type: 'checkpoint'; jobId: number; checkpoint: TrainingCheckpoint }
  | {
      type: 'samples';
      jobId: number;
      label: string;
      n: number;
      dim: number;
      points: Float32Array;
      metrics: SampleMetrics;
      /** Set when the set is a frame of the sampling trajectory. */
      frame?: TrajectoryFrame;
    }
  | {
      type: 'finished';
      jobId: number;
      status: 'completed' | 'cancelled';
      steps: number;
      trainSeconds: number;
      sampleSeconds: number;
      finalLoss: number | null;
    }
  | { type: 'failed'; jobId: number; error: string; step: number | null }
  | { type: 'inspected'; jobId: number; result: InspectResult }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** A job's events as a job computes them, before the engine process stamps the job id on (per union member). */
export type WithoutJobId<T> = T extends unknown ? Omit<T, 'jobId'> : never;

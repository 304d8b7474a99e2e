/**
 * The engine's jobs as a host sees them: what a job is given (its request and options) and what it
 * streams back (its events). A job never touches the store; the host persists what it is sent. The
 * engine process (engine-process/protocol.ts) carries these events to the host, stamped with a job id.
 */
import type { RunPhase, SampleMetrics, SamplingStats, ScheduleLevel, ScoreField, TrajectoryFrame } from '../../src-shared/api';
import type { ExperimentConfig } from '../../src-shared/config';
import type { MetricPoint, NamedTensor, PointRows, TrainingCheckpoint } from './types';

/** A job's progress through its phase (training steps, or sampler steps). */
export interface ProgressEvent {
  type: 'progress';
  phase: RunPhase;
  done: number;
  total: number;
  loss: number | null;
  /** While sampling: the sampler's running statistics. */
  stats?: SamplingStats;
}

/** What a training run streams, in order: prepared, then metrics/progress/weights/checkpoints, samples, and finished or failed. */
export type RunEvent =
  /** Sent once per job before training: what the run will train on and with. */
  | { type: 'prepared'; schedule: ScheduleLevel[]; trainingData: PointRows }
  /** Batched metric points (the engine buffers and flushes every few hundred ms). */
  | { type: 'metrics'; points: MetricPoint[] }
  | ProgressEvent
  | { type: 'weights'; step: number; tensors: NamedTensor[] }
  /** Sent every `train.checkpointEvery` steps, at the end of training and on cancel; its parameters are finite. */
  | { type: 'checkpoint'; checkpoint: TrainingCheckpoint }
  | {
      type: 'samples';
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
      status: 'completed' | 'cancelled';
      steps: number;
      trainSeconds: number;
      sampleSeconds: number;
      finalLoss: number | null;
    }
  | { type: 'failed'; error: string; step: number | null };

export interface RunOptions {
  /** Folder that relative data paths (CSV) resolve against. */
  baseDir: string;
  /** Polled between steps; once true, training stops (weights are still sent) and sampling is skipped. */
  isCancelled(): boolean;
  emit(event: RunEvent): void;
  /** A checkpoint of this same run to train on from, instead of from step 0. */
  resume?: TrainingCheckpoint;
}

/**
 * An on-demand job on a trained (or stopped) run's model: the network is built from the run's
 * config and given `weights` (one of the run's kept snapshots); the data are loaded as the run
 * loaded them (same seed), so the sampler's initial box and the score field's grid are the run's.
 */
export type InspectRequest =
  | { kind: 'sample'; config: ExperimentConfig; baseDir: string; weights: NamedTensor[]; n: number }
  | { kind: 'score-field'; config: ExperimentConfig; baseDir: string; weights: NamedTensor[]; level: number; grid: number };

/** What an inspect job answers with (its last event, unless it fails). */
export type InspectResult =
  | { kind: 'samples'; n: number; dim: number; points: Float32Array; metrics: SampleMetrics }
  | { kind: 'score-field'; field: Omit<ScoreField, 'runId' | 'step'> };

/** What an inspect job streams: progress, then its result (a failure is the job's rejection). */
export type InspectEvent = ProgressEvent | { type: 'inspected'; result: InspectResult };

export interface InspectOptions {
  /** Polled between sampler steps; once true, the job stops (and fails as cancelled). */
  isCancelled(): boolean;
  emit(event: InspectEvent): void;
}

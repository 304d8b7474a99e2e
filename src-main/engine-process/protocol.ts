/**
 * Messages between the host (Electron main, browser-mode server, CLI) and the engine process that
 * owns TensorFlow. The engine is a pure compute worker: it never touches the store; it streams
 * what it computes and the host persists it (one writer for the database).
 *
 * Messages are structured-cloned (utilityProcess postMessage, or child_process with
 * serialization: 'advanced'), so Float32Arrays cross without JSON.
 */
import type { BackendInfo } from '../../src-shared/api';
import type { ExperimentConfig } from '../../src-shared/config';
import type { InspectEvent, InspectRequest, RunEvent } from '../engine/jobs';
import type { TrainingCheckpoint } from '../engine/types';

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

/** A job's event with the id of the job that sent it, stamped on by the engine process (per union member). */
export type WithJobId<T> = T extends unknown ? T & { jobId: number } : never;

export type EngineToHost =
  | { type: 'ready'; backend: BackendInfo }
  /** Every job event (engine/jobs.ts) carries its job's id; an inspect job that rejects is sent as 'failed'. */
  | WithJobId<RunEvent | InspectEvent>
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

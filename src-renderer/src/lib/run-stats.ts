/** The run page's headline numbers, from the run's record and, while it runs, its progress events. */
import type { RunSummary } from '../../../src-shared/api';
import { DATA_KIND_TRAITS } from '../../../src-shared/config';
import type { LiveProgress } from './run-store';

export interface RunStats {
  /** Training steps done: while sampling, where training got to. */
  steps: number;
  /** The training loss: the last logged (or live) value. */
  loss: number | null;
  /** Whether training has reached its last step, so `loss` is the final one. */
  lossIsFinal: boolean;
  /** Training speed: measured from the progress events while training, else the recorded steps over training time. */
  stepsPerSecond: number | null;
  /** Whether the data has modes to share samples among (a mixture); elsewhere there is no mode-share error to show. */
  hasModes: boolean;
}

export function runStats(run: RunSummary, progress: LiveProgress | undefined): RunStats {
  // The record is written at the run's start and end; in between the progress events are fresher.
  const training = progress?.lastTraining ?? null;
  const steps = training?.done ?? run.steps;
  const recordedRate = run.trainSeconds && run.trainSeconds > 0 ? run.steps / run.trainSeconds : null;
  return {
    steps,
    loss: training?.loss ?? run.finalLoss,
    lossIsFinal: run.totalSteps > 0 && steps >= run.totalSteps,
    stepsPerSecond: progress?.stepsPerSecond ?? recordedRate,
    hasModes: DATA_KIND_TRAITS[run.config.data.kind].modes,
  };
}

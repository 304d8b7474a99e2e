/**
 * Which training checkpoints keep a copy of their weights for the checkpoint slider. The resumable
 * checkpoint is replaced each time; a slider needs the weights of earlier steps too. A run with
 * many checkpoints (checkpointEvery 1 over 10⁵ steps) would fill the disk, so at most about
 * MAX_SNAPSHOTS evenly spaced ones are kept, plus the last (the run's final weights).
 */
import type { TrainConfig } from '../../src-shared/config';
import type { NamedTensor, TrainingCheckpoint } from '../engine/types';

export const MAX_SNAPSHOTS = 40;

/** Whether the checkpoint at `step` keeps its weights: every k-th checkpoint, k so that at most MAX_SNAPSHOTS are kept. */
export function keepsWeightSnapshot(train: Pick<TrainConfig, 'steps' | 'checkpointEvery'>, step: number): boolean {
  if (step >= train.steps) return true;
  const checkpoints = Math.ceil(train.steps / train.checkpointEvery);
  const every = train.checkpointEvery * Math.max(1, Math.ceil(checkpoints / MAX_SNAPSHOTS));
  return step % every === 0;
}

/**
 * Where the engine keeps the weights' moving average (`train.ema`) in a checkpoint: among its
 * training states, named `state/ema/<weight name>` (engine/checkpoint.ts, engine/training/ema.ts).
 */
const EMA_STATE_PREFIX = 'state/ema/';

/**
 * The weights a run samples with at a checkpoint: the moving average when it keeps one (the run's
 * final samples are drawn with it), else the trained weights themselves.
 */
export function samplingWeights(checkpoint: Pick<TrainingCheckpoint, 'weights' | 'optimizer'>): NamedTensor[] {
  const average = new Map(
    checkpoint.optimizer.filter((t) => t.name.startsWith(EMA_STATE_PREFIX)).map((t) => [t.name.slice(EMA_STATE_PREFIX.length), t]),
  );
  if (average.size === 0) return checkpoint.weights;
  return checkpoint.weights.map((w) => {
    const t = average.get(w.name);
    if (!t) throw new Error(`checkpoint: the weights' average has no ${w.name}`);
    return { name: w.name, shape: t.shape, data: t.data };
  });
}

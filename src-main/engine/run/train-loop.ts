/**
 * The training phase of a run: fused steps from step 0 or a checkpoint, logged metrics, periodic
 * checkpoints, divergence and cancel checks.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ExperimentConfig } from '../../../src-shared/config';
import { metricKey } from '../../../src-shared/labels';
import { captureCheckpoint, firstNonFinite, restoreTrainingStates } from '../checkpoint';
import type { Dataset } from '../data';
import type { ScoreNetwork } from '../networks';
import { createObjective } from '../objectives';
import type { ProgressThrottle } from '../pacing';
import { EventLoopYielder, MetricBuffer } from '../pacing';
import type { Rng } from '../random';
import { sampleBatch } from '../training/batches';
import { levelMeans } from '../training/level-losses';
import { learningRateAt, setLearningRate } from '../training/lr-schedule';
import { createEma } from '../training/ema';
import type { TrainingState } from '../training/state';
import { trainStep } from '../training/train-step';
import { RunFailure } from './failures';
import type { RunOptions } from '../jobs';

/** The random streams training draws from, by name: a checkpoint keeps where each one is. */
export interface TrainingStreams extends Record<string, Rng> {
  batches: Rng;
  objective: Rng;
}

/**
 * The training loop: `train.steps` fused steps, from step 0 or from the checkpoint resumed. Losses
 * are read back only on logged steps (every `logEvery`, plus the first and the last), which is
 * also where a non-finite loss is caught; parameters are checked at each checkpoint (every
 * `checkpointEvery`, the last step, and on cancel), so a checkpoint sent is always finite.
 * With `train.ema` the network is left holding the weights' moving average when this returns.
 */
export async function train(
  config: ExperimentConfig,
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  optimizer: tf.Optimizer,
  streams: TrainingStreams,
  opts: RunOptions,
  progress: ProgressThrottle,
  onStep: (step: number) => void,
): Promise<{ cancelled: boolean; finalLoss: number | null }> {
  const { steps, batchSize, logEvery, checkpointEvery } = config.train;
  const objective = createObjective(config.objective, schedule, data);
  // The objective's own state (CD's replay buffer) goes into checkpoints, so a resume is exact.
  const states: Record<string, TrainingState> = objective.state ? { objective: objective.state } : {};
  if (opts.resume) restoreTrainingStates(opts.resume, states);
  const metrics = new MetricBuffer((points) => opts.emit({ type: 'metrics', points }));
  const yielder = new EventLoopYielder();
  const batchBuffer = new Float32Array(batchSize * data.dim);
  const from = opts.resume?.step ?? 0;
  // A resumed run's metric times go on from where its checkpoint left them.
  const start = performance.now() - (opts.resume?.trainSeconds ?? 0) * 1000;
  let loss: number | null = opts.resume?.loss ?? null;
  let saved = from;

  /** Sends the state after `step` steps, once its points are on their way; refuses non-finite parameters. */
  const checkpoint = async (step: number) => {
    if (step === saved) return;
    metrics.flush();
    const state = await captureCheckpoint({ step, trainSeconds: (performance.now() - start) / 1000, loss }, net, optimizer, streams, states);
    const badWeight = firstNonFinite(state.weights);
    const badState = firstNonFinite(state.optimizer);
    if (badWeight || badState)
      throw new RunFailure(`training diverged: ${badWeight ? `parameter ${badWeight}` : `optimizer state ${badState}`} at step ${step}`, step);
    opts.emit({ type: 'checkpoint', checkpoint: state });
    saved = step;
  };

  // The weights' average goes into checkpoints too; switched on at a resume, it starts from the
  // checkpoint's weights. Whatever ends the loop, it is then loaded into the network, which so
  // leaves holding the weights to sample with and keep.
  const ema = config.train.ema > 0 ? createEma(net, config.train.ema) : null;
  if (ema) states.ema = ema;

  progress.report({ phase: 'training', done: from, total: steps, loss }, true);
  try {
    if (ema && opts.resume) restoreTrainingStates(opts.resume, { ema }, ['ema']);
    for (let step = from + 1; step <= steps; step++) {
      if (opts.isCancelled()) {
        await checkpoint(step - 1);
        return { cancelled: true, finalLoss: loss };
      }
      setLearningRate(optimizer, learningRateAt(config.train, step));
      const logged = step === 1 || step === steps || step % logEvery === 0;
      const batch = tf.tensor2d(sampleBatch(data, batchSize, streams.batches, batchBuffer), [batchSize, data.dim]);
      const result = trainStep(net, objective, optimizer, batch, streams.objective, logged, ema);
      batch.dispose();
      if (result.perSample) {
        const [value] = await result.loss.data();
        const perSample = await result.perSample.losses.data();
        tf.dispose([result.loss, result.perSample.losses]);
        if (!Number.isFinite(value)) throw new RunFailure(`training diverged: the loss is ${value} at step ${step}`, step);
        loss = value;
        const time = (performance.now() - start) / 1000;
        metrics.push({ key: metricKey.loss, step, time, value });
        levelMeans(perSample, result.perSample.levels, schedule.length).forEach((mean, level) => {
          if (mean !== null) metrics.push({ key: metricKey.lossAtLevel(level), step, time, value: mean });
        });
      } else {
        result.loss.dispose();
      }
      onStep(step);
      if (step % checkpointEvery === 0 || step === steps) await checkpoint(step);
      progress.report({ phase: 'training', done: step, total: steps, loss }, step === steps);
      await yielder.maybeYield();
    }
    return { cancelled: false, finalLoss: loss };
  } finally {
    // Whatever ends the loop (done, cancelled, diverged), the points logged so far reach the host.
    metrics.flush();
    if (ema) {
      ema.copyInto(net);
      ema.dispose();
    }
  }
}


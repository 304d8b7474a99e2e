/**
 * One experiment run, start to finish: data → schedule → network → training → sampling → metrics.
 * It streams what it computes through `emit` (the engine protocol's events, without the job id) and
 * never touches the store; the host persists.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleMetrics, ScheduleLevel } from '../common/api';
import { formatFieldPath, sizeIssues } from '../common/config';
import type { ExperimentConfig } from '../common/config';
import type { EngineToHost } from '../engine-process/protocol';
import type { TrainingCheckpoint } from '../store/store';
import { captureCheckpoint, firstNonFinite, restoreCheckpoint } from './checkpoint';
import { loadDataset, subsampleRows } from './data';
import type { Dataset } from './data';
import { sampleMetrics } from './metrics';
import { createNetwork } from './networks';
import type { ScoreNetwork } from './networks';
import { createObjective } from './objectives';
import { EventLoopYielder, MetricBuffer, ProgressThrottle } from './pacing';
import { createRng } from './random';
import type { Rng } from './random';
import { initialChains, sampleChains, sampleChainsSteps } from './samplers';
import { buildSchedule } from './schedules';
import { sampleBatch } from './training/batches';
import { levelMeans } from './training/level-losses';
import { learningRateAt, setLearningRate } from './training/lr-schedule';
import { trainStep } from './training/train-step';

type WithoutJobId<T> = T extends unknown ? Omit<T, 'jobId'> : never;

/** The per-job events of the engine protocol, before the engine process stamps the job id on. */
export type RunEvent = WithoutJobId<Extract<EngineToHost, { jobId: number }>>;

export interface RunOptions {
  /** Folder that relative data paths (CSV) resolve against. */
  baseDir: string;
  /** Polled between steps; once true, training stops (weights are still sent) and sampling is skipped. */
  isCancelled(): boolean;
  emit(event: RunEvent): void;
  /** A checkpoint of this same run to train on from, instead of from step 0. */
  resume?: TrainingCheckpoint;
}

/** The random streams training draws from, by name: a checkpoint keeps where each one is. */
interface TrainingStreams extends Record<string, Rng> {
  batches: Rng;
  objective: Rng;
}

export interface RunOutcome {
  status: 'completed' | 'cancelled' | 'failed';
  /** Training steps completed. */
  steps: number;
  finalLoss: number | null;
  /** The final samples (row-major n × dim) and their metrics, when the run completed. */
  samples?: Float32Array;
  metrics?: SampleMetrics;
  error?: string;
}

/** The UI plots the training data; a few thousand points show its shape. */
const MAX_DISPLAY_POINTS = 5000;

/** Thrown (and caught below) when the run must end as 'failed' at a known step. */
class RunFailure extends Error {
  constructor(
    message: string,
    readonly step: number | null,
  ) {
    super(message);
  }
}

class Cancelled extends Error {}

/**
 * Runs one experiment and resolves with how it ended. Never rejects: every error is reported as a
 * 'failed' event (and outcome) with a message meant for the user.
 */
export async function runExperiment(config: ExperimentConfig, opts: RunOptions): Promise<RunOutcome> {
  const { emit } = opts;
  const progress = new ProgressThrottle((p) => emit({ type: 'progress', ...p }));
  let net: ScoreNetwork | null = null;
  let optimizer: tf.Optimizer | null = null;
  let step = 0;
  let phase: 'preparing' | 'training' | 'sampling' = 'preparing';
  let finalLoss: number | null = null;
  try {
    const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: opts.baseDir });
    // The schema checks a mixture's sizes; a CSV's are known only now.
    const misfit = sizeIssues(config, data);
    if (misfit.length > 0)
      throw new Error(`the config does not fit this data: ${misfit.map((i) => `${formatFieldPath(i.path)}: ${i.message}`).join('; ')}`);
    const schedule = buildSchedule(config);
    const display = subsampleRows(data, MAX_DISPLAY_POINTS, createRng(config.seed, 'display'));
    emit({
      type: 'prepared',
      schedule,
      trainingData: { n: display.length / data.dim, dim: data.dim, points: Array.from(display) },
    });

    net = createNetwork(config.model, data.dim, createRng(config.seed, 'weights'));
    optimizer = tf.train.adam(config.train.lr);
    const streams: TrainingStreams = { batches: createRng(config.seed, 'batches'), objective: createRng(config.seed, 'objective') };
    if (opts.resume) {
      await restoreCheckpoint(opts.resume, net, optimizer, streams);
      step = opts.resume.step;
    }

    phase = 'training';
    const trainStart = performance.now();
    const training = await train(config, data, schedule, net, optimizer, streams, opts, progress, (s) => (step = s));
    finalLoss = training.finalLoss;
    const trainSeconds = (opts.resume?.trainSeconds ?? 0) + (performance.now() - trainStart) / 1000;
    emit({ type: 'weights', step, tensors: net.getWeights() });

    const finish = (status: 'completed' | 'cancelled', sampleSeconds: number) =>
      emit({ type: 'finished', status, steps: step, trainSeconds, sampleSeconds, finalLoss });
    if (training.cancelled) {
      finish('cancelled', 0);
      return { status: 'cancelled', steps: step, finalLoss };
    }

    phase = 'sampling';
    const sampleStart = performance.now();
    let samples: Float32Array;
    try {
      samples = await sample(config, data, schedule, net, opts, progress);
    } catch (err) {
      if (!(err instanceof Cancelled)) throw err;
      finish('cancelled', (performance.now() - sampleStart) / 1000);
      return { status: 'cancelled', steps: step, finalLoss };
    }
    const sampleSeconds = (performance.now() - sampleStart) / 1000;
    const metrics = sampleMetrics(samples, data);
    emit({ type: 'samples', label: 'final', n: samples.length / data.dim, dim: data.dim, points: samples, metrics });
    finish('completed', sampleSeconds);
    return { status: 'completed', steps: step, finalLoss, samples, metrics };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const failedAt = err instanceof RunFailure ? err.step : phase === 'training' ? step : null;
    emit({ type: 'failed', error, step: failedAt });
    return { status: 'failed', steps: step, finalLoss, error };
  } finally {
    net?.dispose();
    optimizer?.dispose();
  }
}

/**
 * The training loop: `train.steps` fused steps, from step 0 or from the checkpoint resumed. Losses
 * are read back only on logged steps (every `logEvery`, plus the first and the last), which is
 * also where a non-finite loss is caught; parameters are checked at each checkpoint (every
 * `checkpointEvery`, the last step, and on cancel), so a checkpoint sent is always finite.
 */
async function train(
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
    const state = await captureCheckpoint({ step, trainSeconds: (performance.now() - start) / 1000, loss }, net, optimizer, streams);
    const badWeight = firstNonFinite(state.weights);
    const badState = firstNonFinite(state.optimizer);
    if (badWeight || badState)
      throw new RunFailure(`training diverged: ${badWeight ? `parameter ${badWeight}` : `optimizer state ${badState}`} at step ${step}`, step);
    opts.emit({ type: 'checkpoint', checkpoint: state });
    saved = step;
  };

  progress.report({ phase: 'training', done: from, total: steps, loss }, true);
  try {
    for (let step = from + 1; step <= steps; step++) {
      if (opts.isCancelled()) {
        await checkpoint(step - 1);
        return { cancelled: true, finalLoss: loss };
      }
      setLearningRate(optimizer, learningRateAt(config.train, step));
      const logged = step === 1 || step === steps || step % logEvery === 0;
      const batch = tf.tensor2d(sampleBatch(data, batchSize, streams.batches, batchBuffer), [batchSize, data.dim]);
      const result = trainStep(net, objective, optimizer, batch, streams.objective, logged);
      batch.dispose();
      if (result.perSample) {
        const [value] = await result.loss.data();
        const perSample = await result.perSample.losses.data();
        tf.dispose([result.loss, result.perSample.losses]);
        if (!Number.isFinite(value)) throw new RunFailure(`training diverged: the loss is ${value} at step ${step}`, step);
        loss = value;
        const time = (performance.now() - start) / 1000;
        metrics.push({ key: 'loss', step, time, value });
        levelMeans(perSample, result.perSample.levels, schedule.length).forEach((mean, level) => {
          if (mean !== null) metrics.push({ key: `loss/level/${level}`, step, time, value: mean });
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
  }
}

/** Runs the configured sampler from its initial chains; throws Cancelled when the run is cancelled. */
async function sample(
  config: ExperimentConfig,
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  opts: RunOptions,
  progress: ProgressThrottle,
): Promise<Float32Array> {
  const n = config.sampler.n;
  const total = sampleChainsSteps(config.sampler, schedule, n);
  const init = initialChains(config.sampler.init, n, data, schedule[0].sigma, createRng(config.seed, 'sampler-init'));
  const yielder = new EventLoopYielder();
  progress.report({ phase: 'sampling', done: 0, total, loss: null }, true);
  const samples = await sampleChains(net.score, init, data.dim, schedule, config.sampler, createRng(config.seed, 'sampler-noise'), async (p) => {
    progress.report({ phase: 'sampling', done: p.done, total: p.total, loss: null }, p.done === p.total);
    await yielder.maybeYield();
    if (opts.isCancelled()) throw new Cancelled();
  });
  return samples;
}

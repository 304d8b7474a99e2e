/**
 * One experiment run, start to finish: data → schedule → network → training → sampling → metrics.
 * It streams what it computes through `emit` (the engine protocol's events, without the job id) and
 * never touches the store; the host persists.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleMetrics, ScheduleLevel } from '../common/api';
import type { ExperimentConfig } from '../common/config';
import type { EngineToHost } from '../engine-process/protocol';
import { loadDataset, subsampleRows } from './data';
import type { Dataset } from './data';
import { sampleMetrics } from './metrics';
import { createNetwork } from './networks';
import type { ScoreNetwork } from './networks';
import { createObjective } from './objectives';
import { EventLoopYielder, MetricBuffer, ProgressThrottle } from './pacing';
import { createRng } from './random';
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
    const schedule = buildSchedule(config);
    const display = subsampleRows(data, MAX_DISPLAY_POINTS, createRng(config.seed, 'display'));
    emit({
      type: 'prepared',
      schedule,
      trainingData: { n: display.length / data.dim, dim: data.dim, points: Array.from(display) },
    });

    net = createNetwork(config.model, data.dim, createRng(config.seed, 'weights'));
    optimizer = tf.train.adam(config.train.lr);

    phase = 'training';
    const trainStart = performance.now();
    const training = await train(config, data, schedule, net, optimizer, opts, progress, (s) => (step = s));
    finalLoss = training.finalLoss;
    const trainSeconds = (performance.now() - trainStart) / 1000;
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
 * The training loop: `train.steps` fused steps. Losses are read back only on logged steps (every
 * `logEvery`, plus the first and the last), which is also where a non-finite loss is caught.
 */
async function train(
  config: ExperimentConfig,
  data: Dataset,
  schedule: ScheduleLevel[],
  net: ScoreNetwork,
  optimizer: tf.Optimizer,
  opts: RunOptions,
  progress: ProgressThrottle,
  onStep: (step: number) => void,
): Promise<{ cancelled: boolean; finalLoss: number | null }> {
  const { steps, batchSize, logEvery } = config.train;
  const objective = createObjective(config.objective, schedule);
  const batchRng = createRng(config.seed, 'batches');
  const noiseRng = createRng(config.seed, 'objective');
  const metrics = new MetricBuffer((points) => opts.emit({ type: 'metrics', points }));
  const yielder = new EventLoopYielder();
  const batchBuffer = new Float32Array(batchSize * data.dim);
  const start = performance.now();
  let loss: number | null = null;

  progress.report({ phase: 'training', done: 0, total: steps, loss }, true);
  try {
    for (let step = 1; step <= steps; step++) {
      if (opts.isCancelled()) return { cancelled: true, finalLoss: loss };
      setLearningRate(optimizer, learningRateAt(config.train, step));
      const logged = step === 1 || step === steps || step % logEvery === 0;
      const batch = tf.tensor2d(sampleBatch(data, batchSize, batchRng, batchBuffer), [batchSize, data.dim]);
      const result = trainStep(net, objective, optimizer, batch, noiseRng, logged);
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

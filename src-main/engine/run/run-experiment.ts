/**
 * One experiment run, start to finish: data → schedule → network → training → sampling → metrics.
 * It streams what it computes through `emit` (the run events of engine/jobs.ts) and
 * never touches the store; the host persists.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleMetrics } from '../../../src-shared/api';
import type { ExperimentConfig } from '../../../src-shared/config';
import { sampleSetLabel } from '../../../src-shared/labels';
import type { RunOptions } from '../jobs';
import { restoreCheckpoint } from '../checkpoint';
import { subsampleRows } from '../data';
import { createNetwork } from '../networks';
import type { ScoreNetwork } from '../networks';
import { ProgressThrottle } from '../pacing';
import { createRng } from '../random';
import { evaluateSamples } from './evaluation';
import { Cancelled, RunFailure } from './failures';
import { loadRunData } from './prepare';
import { sample } from './sampling';
import { train } from './train-loop';
import type { TrainingStreams } from './train-loop';

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
/** Images are shown as a grid; each is hundreds of values, so a few dozen show the data. */
const MAX_DISPLAY_IMAGES = 64;

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
    const { data, schedule } = await loadRunData(config, opts.baseDir);
    const display = subsampleRows(data, data.image ? MAX_DISPLAY_IMAGES : MAX_DISPLAY_POINTS, createRng(config.seed, 'display'));
    emit({
      type: 'prepared',
      schedule,
      trainingData: { n: display.length / data.dim, dim: data.dim, points: display },
    });

    net = createNetwork(config.model, data.dim, createRng(config.seed, 'weights'), data);
    optimizer = tf.train.adam(config.train.lr);
    const streams: TrainingStreams = { batches: createRng(config.seed, 'batches'), objective: createRng(config.seed, 'objective') };
    if (opts.resume) {
      await restoreCheckpoint(opts.resume, net, optimizer, streams);
      step = opts.resume.step;
    }

    phase = 'training';
    const trainStart = performance.now();
    // A model without weights (the analytic score) has nothing to train: straight to sampling.
    const training =
      net.variables.length === 0
        ? { cancelled: false, finalLoss: null }
        : await train(config, data, schedule, net, optimizer, streams, opts, progress, (s) => (step = s));
    finalLoss = training.finalLoss;
    const trainSeconds = (opts.resume?.trainSeconds ?? 0) + (performance.now() - trainStart) / 1000;
    emit({ type: 'weights', step, tensors: await net.getWeights() });

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
    const metrics = await evaluateSamples(samples, data, { score: net.score, schedule, seed: config.seed });
    emit({ type: 'samples', label: sampleSetLabel.final, n: samples.length / data.dim, dim: data.dim, points: samples, metrics });
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

/**
 * The benchmark's Scorebench side of the compute workloads, each one timed round at a time, and the
 * same workload described for the PyTorch reference (bench/reference.py) from one config.
 */
import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../src-shared/api';
import { requireExperimentConfig, type ExperimentConfig } from '../src-shared/config';
import { PRESETS } from '../src-shared/presets';
import { loadDataset } from '../src-main/engine/data';
import { createNetwork, type ScoreNetwork } from '../src-main/engine/networks';
import { EventLoopYielder } from '../src-main/engine/pacing';
import { createRng } from '../src-main/engine/random';
import type { RunEvent } from '../src-main/engine/jobs';
import { runExperiment } from '../src-main/engine/run/run-experiment';
import { buildSchedule, sigmasOf } from '../src-main/engine/run/schedule-table';
import { initialChains, sampleChains } from '../src-main/engine/samplers';
import type { MetricPoint, NamedTensor } from '../src-main/engine/types';

/** Workload 1's network and training: 3 hidden layers of 128, sinusoidal σ embedding, batch 512, Adam. */
export function trainingConfig(steps: number, logEvery: number): ExperimentConfig {
  return requireExperimentConfig({
    model: { kind: 'mlp', hidden: [128, 128, 128], activation: 'softplus', conditioning: 'sinusoidal', embeddingDim: 32, scaleBySigma: true },
    objective: { kind: 'dsm', weighting: 'sigma2' },
    train: { steps, batchSize: 512, logEvery },
    // Sampling after training is not part of this workload: one chain, one step.
    sampler: { kind: 'annealed-langevin', n: 1, stepsPerLevel: 1, finalDenoise: false },
  });
}

/** Workload 3: annealed Langevin over 10,000 chains on workload 1's network. */
export function samplingConfig(stepsPerLevel: number): ExperimentConfig {
  return requireExperimentConfig({
    ...trainingConfig(1, 1),
    sampler: { kind: 'annealed-langevin', n: 10_000, stepsPerLevel, finalDenoise: false, convention: 'half' },
  });
}

export interface Timed {
  seconds: number;
  /** Units of work done: training steps, or chain-steps. */
  work: number;
}

/**
 * One training round through the engine's own run loop (runExperiment: batches, the fused step,
 * the learning-rate schedule, loss read-back on logged steps, progress), from a fresh network.
 * Logged points go to `onMetrics` (dropped when absent). Timed by the run itself (trainSeconds).
 */
export async function trainRound(
  config: ExperimentConfig,
  onMetrics?: (points: MetricPoint[]) => void,
): Promise<Timed & { weights: NamedTensor[] }> {
  let seconds: number | null = null;
  let weights: NamedTensor[] = [];
  const outcome = await runExperiment(config, {
    baseDir: process.cwd(),
    isCancelled: () => false,
    emit: (event: RunEvent) => {
      if (event.type === 'metrics') onMetrics?.(event.points);
      if (event.type === 'weights') weights = event.tensors;
      if (event.type === 'finished') seconds = event.trainSeconds;
    },
  });
  if (outcome.status !== 'completed' || seconds === null) throw new Error(`training round ${outcome.status}: ${outcome.error ?? 'no finish event'}`);
  return { seconds, work: outcome.steps, weights };
}

/** The network the sampling rounds run, with trained weights (so the chains settle as in a real run). */
export function samplingNetwork(config: ExperimentConfig, weights: NamedTensor[]): ScoreNetwork {
  const net = createNetwork(config.model, 2, createRng(config.seed, 'weights'));
  net.setWeights(weights);
  return net;
}

/** One sampling round: every level of the schedule, `stepsPerLevel` steps each, all chains. */
export async function sampleRound(config: ExperimentConfig, net: ScoreNetwork): Promise<Timed> {
  if (config.sampler.kind !== 'annealed-langevin') throw new Error('the sampling workload is annealed Langevin');
  const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: process.cwd() });
  const schedule = buildSchedule(config, data);
  const init = initialChains(config.sampler.init, config.sampler.n, data, schedule[0].sigma, createRng(config.seed, 'sampler-init'));
  const yielder = new EventLoopYielder();
  const before = tf.memory().numTensors;
  const start = performance.now();
  // The same per-step callback a run uses: yield to the event loop now and then.
  await sampleChains(net.score, init, sigmasOf(schedule), { config: config.sampler, dim: data.dim, rng: createRng(config.seed, 'sampler-noise') }, () => yielder.maybeYield());
  const seconds = (performance.now() - start) / 1000;
  if (tf.memory().numTensors !== before) throw new Error(`sampling leaked ${tf.memory().numTensors - before} tensors`);
  return { seconds, work: config.sampler.n * schedule.length * config.sampler.stepsPerLevel };
}

/** The workload as the PyTorch reference receives it (bench/reference.py), with the weights to sample with. */
export async function referenceWorkload(config: ExperimentConfig, weights: NamedTensor[] = []): Promise<Record<string, unknown>> {
  const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: process.cwd() });
  const schedule: ScheduleLevel[] = buildSchedule(config, data);
  if (config.model.kind !== 'mlp') throw new Error('the reference implements the MLP only');
  if (config.sampler.kind !== 'annealed-langevin') throw new Error('the reference implements annealed Langevin only');
  const init = initialChains(config.sampler.init, config.sampler.n, data, schedule[0].sigma, createRng(config.seed, 'sampler-init'));
  return {
    dim: data.dim,
    hidden: config.model.hidden,
    embeddingDim: config.model.embeddingDim,
    data: Array.from(data.points),
    sigmas: schedule.map((l) => l.sigma),
    levels: schedule.map((l) => ({ sigma: l.sigma, alpha: l.alpha })),
    batch: config.train.batchSize,
    steps: config.train.steps,
    lr: config.train.lr,
    logEvery: config.train.logEvery,
    chains: config.sampler.n,
    stepsPerLevel: config.sampler.stepsPerLevel,
    init: Array.from(init),
    weights: weights.map((w) => ({ shape: w.shape, data: Array.from(w.data) })),
  };
}

/** Workload 2: the 'mnist-unet-dsm' preset's network and training, batch 64; sampling left out (one chain, one step). */
export function imageTrainingConfig(steps: number): ExperimentConfig {
  const preset = PRESETS.find((p) => p.id === 'mnist-unet-dsm');
  if (!preset) throw new Error("the image workload needs the 'mnist-unet-dsm' preset");
  return requireExperimentConfig({
    ...preset.config,
    train: { ...preset.config.train, steps, batchSize: 64, logEvery: 10 },
    sampler: { kind: 'annealed-langevin', n: 1, stepsPerLevel: 1, finalDenoise: false, init: 'gaussian-sigma-max' },
  });
}

/**
 * Rows of the training set sent to the PyTorch reference for the image workload: a step's cost does
 * not depend on which digits its batch draws, and the whole set would be a 50 MB JSON line.
 */
const REFERENCE_IMAGE_ROWS = 1024;

/** Workload 2 as the PyTorch reference receives it: the same U-Net widths, schedule, batch and Adam. */
export async function imageReferenceWorkload(config: ExperimentConfig): Promise<Record<string, unknown>> {
  const data = await loadDataset(config.data, { rng: createRng(config.seed, 'data'), baseDir: process.cwd() });
  if (config.model.kind !== 'unet' || !data.image) throw new Error('the image workload is the U-Net on image data');
  const rows = Math.min(data.n, REFERENCE_IMAGE_ROWS);
  return {
    model: 'unet',
    dim: data.dim,
    image: data.image,
    channels: config.model.channels,
    embeddingDim: config.model.embeddingDim,
    data: Array.from(data.points.subarray(0, rows * data.dim)),
    sigmas: buildSchedule(config, data).map((l) => l.sigma),
    batch: config.train.batchSize,
    steps: config.train.steps,
    lr: config.train.lr,
    logEvery: config.train.logEvery,
  };
}

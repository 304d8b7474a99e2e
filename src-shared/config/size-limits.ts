/** Bounds that keep one run within a desktop's memory and time, checked before anything runs. */
import type { ExperimentConfig } from './sections';
import { FLOAT_BOUNDS, MAX_DATA_DIM } from './fields';
import { SAMPLER_STEPS_FIELD, samplerStepsPerChain } from './sampler';

/**
 * Bounds that keep one run within a desktop's memory (float32 counts). Training holds a few
 * copies of the activations (forward values, their gradients) and four of the parameters
 * (weights, gradients, Adam's two moments); the data and the samples are held whole.
 */
export const SIZE_LIMITS = {
  /** batchSize × the hidden widths' sum: 2²⁵ floats is 128 MiB per copy. */
  activations: 2 ** 25,
  parameters: 2 ** 25,
  /** Training points × dimension: 256 MiB. */
  data: 2 ** 26,
  /**
   * Samples × dimension (the final set, a trajectory's frames, an interpolation's paths): each set
   * travels to the UI and the store as one JSON array, about 20 bytes a number.
   */
  samples: 2 ** 22,
  /** Chains × steps per chain: every one a score evaluation. */
  chainSteps: 2 ** 33,
  /** Weights kept in the store: a snapshot of every parameter at every checkpoint and at the end (1 GiB). */
  keptWeights: 2 ** 28,
  /** Logged metric points (the loss and one per level at every logged step): the curves the store keeps. */
  metricPoints: 2 ** 24,
};

/** What the size checks know of the schedule: null where it depends on the data not yet read. */
export interface ScheduleSpan {
  levels: number | null;
  sigmaMax: number | null;
  sigmaMin: number | null;
}

const grouped = (n: number): string => n.toLocaleString('en-US');

type Issue = { path: (string | number)[]; message: string };

/** Relative slack for σ and α computed from the config's σ range rather than read from it. */
const ROUNDING = 1e-9;

/**
 * What makes a config too large to run, or too large for its data: each with the path of the
 * field to change. `data` is the training set's size when known (null for a CSV not read yet);
 * `schedule` what is known of the levels (all of it once the engine has built them).
 */
export function sizeIssues(
  config: Pick<ExperimentConfig, 'data' | 'model' | 'objective' | 'train' | 'sampler'>,
  data: { n: number; dim: number; image?: ImageSize } | null,
  schedule: ScheduleSpan,
): Issue[] {
  const issues: Issue[] = [...workIssues(config, data?.dim ?? null, schedule)];
  const { batchSize } = config.train;
  // The energy MLP is the score MLP with a one-wide output: the score MLP's count bounds it.
  if (config.model.kind === 'mlp' || config.model.kind === 'energy-mlp') {
    const hidden = config.model.hidden;
    const widthSum = hidden.reduce((a, b) => a + b, 0);
    if (batchSize * widthSum > SIZE_LIMITS.activations)
      issues.push({
        path: ['train', 'batchSize'],
        message: `batchSize × the hidden widths (${grouped(batchSize)} × ${grouped(widthSum)}) exceeds ${grouped(SIZE_LIMITS.activations)} activations; lower train.batchSize or model.hidden`,
      });
    const dim = data?.dim ?? 1;
    const widths = [dim + 1, ...hidden, dim];
    let parameters = 0;
    for (let l = 0; l + 1 < widths.length; l++) parameters += (widths[l] + 1) * widths[l + 1];
    // FiLM's scale and shift maps: 2·(embeddingDim + 1) weights per hidden unit.
    if (config.model.conditioning === 'film') parameters += 2 * (config.model.embeddingDim + 1) * widthSum;
    if (parameters > SIZE_LIMITS.parameters)
      issues.push({
        path: ['model', 'hidden'],
        message: `${grouped(parameters)} parameters exceed ${grouped(SIZE_LIMITS.parameters)}; use fewer or narrower hidden layers`,
      });
    issues.push(...keptWeightsIssues(parameters, config.train));
  }
  if (config.model.kind === 'unet' && data?.image) {
    issues.push(...unetSizeIssues(config.model, batchSize, data.image));
    issues.push(...keptWeightsIssues(unetParameterCount(config.model, data.image.channels), config.train));
  }
  if (data) {
    if (data.dim > MAX_DATA_DIM)
      issues.push({
        path: config.data.kind === 'csv' ? ['data', 'path'] : ['data', 'means'],
        message: `the data has ${grouped(data.dim)} coordinates per point; at most ${grouped(MAX_DATA_DIM)}`,
      });
    if (batchSize * data.dim > SIZE_LIMITS.activations)
      issues.push({
        path: ['train', 'batchSize'],
        message: `batchSize × the data's dimension (${grouped(batchSize)} × ${grouped(data.dim)}) exceeds ${grouped(SIZE_LIMITS.activations)} numbers`,
      });
    if (batchSize > data.n)
      issues.push({ path: ['train', 'batchSize'], message: `batchSize (${grouped(batchSize)}) is larger than the data (${grouped(data.n)} points)` });
    if (data.n * data.dim > SIZE_LIMITS.data)
      issues.push({
        path: ['data', 'n'],
        message: `${grouped(data.n)} points × ${grouped(data.dim)} dimensions exceed ${grouped(SIZE_LIMITS.data)} numbers`,
      });
    if (config.sampler.n * data.dim > SIZE_LIMITS.samples)
      issues.push({
        path: ['sampler', 'n'],
        message: `${grouped(config.sampler.n)} samples × ${grouped(data.dim)} dimensions exceed ${grouped(SIZE_LIMITS.samples)} numbers`,
      });
  }
  return issues;
}

/**
 * The sampler's work and output, CD's replay buffer and the training's logs, as far as the schedule and the data's
 * dimension are known: the chains' score evaluations, the largest Langevin step α_1 = ε·σ_1²/σ_L²
 * (Song & Ermon 2019, Alg. 1) against FLOAT_BOUNDS.step, the trajectory's and the interpolation's
 * points, and the metric points logged.
 */
function workIssues(config: Pick<ExperimentConfig, 'objective' | 'train' | 'sampler'>, dim: number | null, schedule: ScheduleSpan): Issue[] {
  const issues: Issue[] = [];
  const { objective, sampler, train } = config;
  const { task } = sampler;
  const levels = schedule.levels;
  const perChain = (span: number | null) => (span === null ? null : samplerStepsPerChain(sampler, span));
  // Interpolation's paths run from the middle level down: at most every level again.
  const chainSteps = [
    [sampler.n, perChain(levels)],
    ...(task.kind === 'interpolate' ? [[task.pairs * task.points, perChain(levels)]] : []),
  ] as [number, number | null][];
  if (chainSteps.every(([, steps]) => steps !== null)) {
    const total = chainSteps.reduce((sum, [chains, steps]) => sum + chains * steps!, 0);
    if (total > SIZE_LIMITS.chainSteps)
      issues.push({
        path: ['sampler', SAMPLER_STEPS_FIELD[sampler.kind]],
        message: `${grouped(total)} score evaluations (chains × steps per chain${levels === null ? '' : `, over ${grouped(levels)} levels`}) exceed ${grouped(SIZE_LIMITS.chainSteps)}; lower sampler.n or sampler.${SAMPLER_STEPS_FIELD[sampler.kind]}`,
      });
  }
  // The config's σ are bounded field by field; a schedule drawn from the data (adaptive, ncsnv2) is
  // checked here once built. A spacing's formula may put an end an ulp past the config's value
  // (cosine's tan(arctan σ)): a relative slack of ROUNDING lets that through.
  for (const [end, sigma] of [['σ_max', schedule.sigmaMax], ['σ_min', schedule.sigmaMin]] as const)
    if (sigma !== null && !(sigma >= FLOAT_BOUNDS.length.min * (1 - ROUNDING) && sigma <= FLOAT_BOUNDS.length.max * (1 + ROUNDING)))
      issues.push({
        path: ['schedule'],
        message: `the schedule's ${end} is ${sigma.toPrecision(3)}, outside [${FLOAT_BOUNDS.length.text.min}, ${FLOAT_BOUNDS.length.text.max}] where σ² stays a float32 normal; give the σ range or change the data`,
      });
  if (sampler.kind === 'annealed-langevin' && schedule.sigmaMax !== null && schedule.sigmaMin !== null) {
    const alpha = (sampler.eps * schedule.sigmaMax ** 2) / schedule.sigmaMin ** 2;
    if (!(alpha <= FLOAT_BOUNDS.step.max * (1 + ROUNDING)))
      issues.push({
        path: ['sampler', 'eps'],
        message: `the first level's step ε·σ_max²/σ_min² is ${alpha.toPrecision(3)}, above ${FLOAT_BOUNDS.step.text.max}; lower sampler.eps or narrow the schedule's σ range`,
      });
  }
  if (dim !== null && sampler.trajectory) {
    const { chains, frames } = sampler.trajectory;
    const points = Math.min(chains, sampler.n) * frames * dim;
    if (points > SIZE_LIMITS.samples)
      issues.push({
        path: ['sampler', 'trajectory', 'frames'],
        message: `${grouped(Math.min(chains, sampler.n))} chains × ${grouped(frames)} frames × ${grouped(dim)} dimensions exceed ${grouped(SIZE_LIMITS.samples)} numbers`,
      });
  }
  if (dim !== null && task.kind === 'interpolate' && task.pairs * task.points * dim > SIZE_LIMITS.samples)
    issues.push({
      path: ['sampler', 'task', 'points'],
      message: `${grouped(task.pairs)} pairs × ${grouped(task.points)} points × ${grouped(dim)} dimensions exceed ${grouped(SIZE_LIMITS.samples)} numbers`,
    });
  // Contrastive divergence's replay buffer: bufferSize chains at every level, held whole.
  if (objective.kind === 'cd' && levels !== null && dim !== null && objective.bufferSize * levels * dim > SIZE_LIMITS.data)
    issues.push({
      path: ['objective', 'bufferSize'],
      message: `${grouped(objective.bufferSize)} chains × ${grouped(levels)} levels × ${grouped(dim)} dimensions exceed ${grouped(SIZE_LIMITS.data)} numbers`,
    });
  if (levels !== null) {
    // The first and the last step are logged besides every logEvery-th.
    const logged = Math.floor(train.steps / train.logEvery) + 2;
    if (logged * (levels + 1) > SIZE_LIMITS.metricPoints)
      issues.push({
        path: ['train', 'logEvery'],
        message: `${grouped(logged)} logged steps × ${grouped(levels + 1)} curves (the loss and one per level) exceed ${grouped(SIZE_LIMITS.metricPoints)} metric points; raise train.logEvery`,
      });
  }
  return issues;
}

/** An image's sides and channels, as the data reports them. */
interface ImageSize {
  height: number;
  width: number;
  channels: number;
}

type UnetSize = Pick<Extract<ExperimentConfig['model'], { kind: 'unet' }>, 'channels' | 'embeddingDim'>;

/**
 * The U-Net's parameters (engine/networks/unet.ts): a 3×3 convolution with bias per block, each
 * block's FiLM map from the embedding (E + 1)·2C, the embedding's own E×E layer, the head and the
 * output convolutions. Down block i maps channels[i−1] (channels[0] at i = 0) to channels[i]; up
 * block i maps channels[i+1] + channels[i] to channels[i].
 */
export function unetParameterCount(model: UnetSize, imageChannels: number): number {
  const { channels, embeddingDim: e } = model;
  const conv = (cIn: number, cOut: number) => 9 * cIn * cOut + cOut;
  const block = (cIn: number, cOut: number) => conv(cIn, cOut) + (e + 1) * 2 * cOut;
  let count = (e + 1) * e + conv(imageChannels, channels[0]) + conv(channels[0], imageChannels);
  channels.forEach((c, i) => (count += block(i === 0 ? channels[0] : channels[i - 1], c)));
  channels.slice(0, -1).forEach((c, i) => (count += block(channels[i + 1] + c, c)));
  return count;
}

/** The weight snapshots a run keeps (every checkpointEvery steps, and at the end), against SIZE_LIMITS.keptWeights. */
function keptWeightsIssues(parameters: number, train: Pick<ExperimentConfig['train'], 'steps' | 'checkpointEvery'>): Issue[] {
  const snapshots = Math.floor(train.steps / train.checkpointEvery) + 1;
  return snapshots * parameters > SIZE_LIMITS.keptWeights
    ? [
        {
          path: ['train', 'checkpointEvery'],
          message: `${grouped(snapshots)} weight snapshots × ${grouped(parameters)} parameters exceed ${grouped(SIZE_LIMITS.keptWeights)} numbers kept; raise train.checkpointEvery`,
        },
      ]
    : [];
}

/**
 * Per example, the U-Net's blocks output Σ pixels_i·channels[i] values on the way down and again
 * on the way up (all but the lowest resolution); training keeps a few copies of each, as the
 * MLP's check counts its hidden widths once.
 */
function unetSizeIssues(model: UnetSize, batchSize: number, image: ImageSize): Issue[] {
  const issues: Issue[] = [];
  let perExample = 0;
  model.channels.forEach((c, i) => {
    const pixels = Math.ceil(image.height / 2 ** i) * Math.ceil(image.width / 2 ** i);
    perExample += pixels * c * (i + 1 < model.channels.length ? 2 : 1);
  });
  if (batchSize * perExample > SIZE_LIMITS.activations)
    issues.push({
      path: ['train', 'batchSize'],
      message: `batchSize × the U-Net's feature maps (${grouped(batchSize)} × ${grouped(perExample)}) exceeds ${grouped(SIZE_LIMITS.activations)} activations; lower train.batchSize or model.channels`,
    });
  const parameters = unetParameterCount(model, image.channels);
  if (parameters > SIZE_LIMITS.parameters)
    issues.push({
      path: ['model', 'channels'],
      message: `${grouped(parameters)} parameters exceed ${grouped(SIZE_LIMITS.parameters)}; use narrower channels`,
    });
  return issues;
}

/** Bounds that keep one run within a desktop's memory, checked before anything runs. */
import type { ExperimentConfig } from './sections';

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
  /** Samples × dimension: they travel to the UI and the store as one array. */
  samples: 2 ** 24,
};

const grouped = (n: number): string => n.toLocaleString('en-US');

/**
 * What makes a config too large to run, or too large for its data: each with the path of the
 * field to change. `data` is the training set's size when known (null for a CSV not read yet).
 */
export function sizeIssues(
  config: Pick<ExperimentConfig, 'model' | 'train' | 'sampler'>,
  data: { n: number; dim: number; image?: ImageSize } | null,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
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
  }
  if (config.model.kind === 'unet' && data?.image) issues.push(...unetSizeIssues(config.model, batchSize, data.image));
  if (data) {
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

/**
 * Per example, the U-Net's blocks output Σ pixels_i·channels[i] values on the way down and again
 * on the way up (all but the lowest resolution); training keeps a few copies of each, as the
 * MLP's check counts its hidden widths once.
 */
function unetSizeIssues(model: UnetSize, batchSize: number, image: ImageSize): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
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

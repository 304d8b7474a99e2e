/** Bounds that keep one run within a desktop's memory, checked before anything runs. */
import type { ExperimentConfig } from './index';

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
  data: { n: number; dim: number } | null,
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const { batchSize } = config.train;
  if (config.model.kind === 'mlp') {
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
    if (parameters > SIZE_LIMITS.parameters)
      issues.push({
        path: ['model', 'hidden'],
        message: `${grouped(parameters)} parameters exceed ${grouped(SIZE_LIMITS.parameters)}; use fewer or narrower hidden layers`,
      });
  }
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

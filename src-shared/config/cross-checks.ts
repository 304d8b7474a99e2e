/**
 * Rules that span sections (an objective that needs a known density, a sampler that needs an
 * energy, …). Each returns the issues it finds, with the path of the field to change; the
 * experiment schema reports them all.
 */
import { IMAGE_DATA_KINDS, KNOWN_DENSITY_KINDS, knownDataSize } from './data';
import { DENSITY_MODEL_KINDS, ENERGY_MODEL_KINDS } from './model';
import { SECOND_ORDER_OBJECTIVE_KINDS } from './objective';
import { DENSITY_SAMPLER_KINDS } from './sampler';
import { NCSNV2_MIN_DIM } from './schedule';
import type { ExperimentConfig } from './sections';

export interface CrossIssue {
  path: (string | number)[];
  message: string;
}

type CrossCheck = (config: ExperimentConfig) => CrossIssue[];

const needsKnownDensity: CrossCheck = (config) =>
  config.objective.kind === 'esm' && !KNOWN_DENSITY_KINDS.includes(config.data.kind)
    ? [{ path: ['objective', 'kind'], message: 'esm needs data whose score is known in closed form (data.kind gaussian-mixture)' }]
    : [];

/** The analytic model is the closed-form score of the data's own distribution. */
const analyticNeedsKnownData: CrossCheck = (config) =>
  config.model.kind === 'analytic' && !KNOWN_DENSITY_KINDS.includes(config.data.kind)
    ? [{ path: ['model', 'kind'], message: 'analytic needs data whose score is known in closed form (data.kind gaussian-mixture)' }]
    : [];

const densitySamplerNeedsDensity: CrossCheck = (config) =>
  DENSITY_SAMPLER_KINDS.includes(config.sampler.kind) && !DENSITY_MODEL_KINDS.includes(config.model.kind)
    ? [
        {
          path: ['sampler', 'kind'],
          message: `${config.sampler.kind} needs a model with a density known up to a constant (model.kind ${DENSITY_MODEL_KINDS.join(' or ')}); ${config.model.kind} gives only a score`,
        },
      ]
    : [];

/** An inpainting mask has one entry per data coordinate (a CSV's dimension is checked once it is read). */
const maskFitsData: CrossCheck = (config) => {
  const { task } = config.sampler;
  if (task.kind !== 'inpaint' || config.data.kind !== 'gaussian-mixture') return [];
  const dim = (config.data.means as number[][] | undefined)?.[0]?.length;
  return dim !== undefined && task.mask.length !== dim
    ? [{ path: ['sampler', 'task', 'mask'], message: `has ${task.mask.length} entries; the data has ${dim} coordinates` }]
    : [];
};

/**
 * The U-Net convolves images; and its convolution's gradient is written for first-order use only
 * (engine/networks/conv.ts), so objectives that differentiate the score's Jacobian cannot train it.
 */
const unetNeedsImagesAndFirstOrder: CrossCheck = (config) => {
  if (config.model.kind !== 'unet') return [];
  const issues: CrossIssue[] = [];
  if (!IMAGE_DATA_KINDS.includes(config.data.kind))
    issues.push({ path: ['model', 'kind'], message: `unet needs image data (data.kind ${IMAGE_DATA_KINDS.join(' or ')}); ${config.data.kind} gives points` });
  if (SECOND_ORDER_OBJECTIVE_KINDS.includes(config.objective.kind))
    issues.push({
      path: ['objective', 'kind'],
      message: `${config.objective.kind} differentiates the score's Jacobian, which the unet does not support; use dsm or fd-ssm`,
    });
  return issues;
};

/**
 * NCSNv2's ratio rule chooses no number of levels below 5 dimensions (schedule.ts), so there the
 * config must give it; a CSV's dimension is checked once the engine has read it.
 */
const ncsnv2LevelsFitDimension: CrossCheck = (config) => {
  if (config.schedule.kind !== 'ncsnv2' || config.schedule.levels !== undefined) return [];
  const dim = knownDataSize(config.data)?.dim;
  return dim !== undefined && dim < NCSNV2_MIN_DIM
    ? [{ path: ['schedule', 'levels'], message: `ncsnv2 chooses the number of levels only from ${NCSNV2_MIN_DIM} dimensions on (the data has ${dim}); give levels` }]
    : [];
};

/** Contrastive divergence trains an energy, and its replay buffer must hold a batch's chains at one level. */
const cdNeedsEnergy: CrossCheck = (config) => {
  if (config.objective.kind !== 'cd') return [];
  const issues: CrossIssue[] = [];
  if (!ENERGY_MODEL_KINDS.includes(config.model.kind))
    issues.push({ path: ['objective', 'kind'], message: `cd trains an energy: it needs model.kind ${ENERGY_MODEL_KINDS.join(' or ')}, not ${config.model.kind}` });
  const { bufferSize } = config.objective;
  if (bufferSize > 0 && bufferSize < config.train.batchSize)
    issues.push({
      path: ['objective', 'bufferSize'],
      message: `must be 0 (no buffer) or ≥ train.batchSize (${config.train.batchSize}): a batch's chains at one level each take their own slot`,
    });
  return issues;
};

/**
 * An energy's score is already a gradient, so objectives of the score's Jacobian train it by a
 * third derivative, which TensorFlow.js 4.22 gets wrong through every smooth activation offered
 * (a guard test in energy.test.ts shows it).
 */
const energyNotThirdOrder: CrossCheck = (config) =>
  ENERGY_MODEL_KINDS.includes(config.model.kind) && SECOND_ORDER_OBJECTIVE_KINDS.includes(config.objective.kind)
    ? [
        {
          path: ['objective', 'kind'],
          message: `${config.objective.kind} on an energy model needs third derivatives, which TensorFlow.js computes wrongly; use dsm, esm, fd-ssm or cd`,
        },
      ]
    : [];

export const CROSS_CHECKS: CrossCheck[] = [cdNeedsEnergy, energyNotThirdOrder, needsKnownDensity, analyticNeedsKnownData, densitySamplerNeedsDensity, maskFitsData, unetNeedsImagesAndFirstOrder, ncsnv2LevelsFitDimension];

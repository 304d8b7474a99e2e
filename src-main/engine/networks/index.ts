/** Score networks, chosen by the config's `model.kind`. */
import type { ModelConfig } from '../../../src-shared/config';
import type { Dataset } from '../data/types';
import type { Rng } from '../random';
import { createAnalytic } from './analytic';
import { createEnergyMlp } from './energy-mlp';
import { createMlp } from './mlp';
import { createUnet } from './unet';
import type { ScoreNetwork } from './types';

export type { EnergyFn, ScoreFn, ScoreNetwork } from './types';

/** `data` is the training set, for models defined by it (the analytic score of its mixture) or shaped by it (the U-Net's image). */
type Builders = {
  [K in ModelConfig['kind']]: (config: Extract<ModelConfig, { kind: K }>, dim: number, rng: Rng, data?: Pick<Dataset, 'mixture' | 'image'>) => ScoreNetwork;
};

const BUILDERS: Builders = {
  mlp: createMlp,
  'energy-mlp': createEnergyMlp,
  analytic: createAnalytic,
  unet: createUnet,
};

/** Builds the network for data of dimension `dim`, its initial weights drawn from `rng`. */
export function createNetwork(config: ModelConfig, dim: number, rng: Rng, data?: Pick<Dataset, 'mixture' | 'image'>): ScoreNetwork {
  // The table pairs each kind with its own builder; indexing it by a union kind loses that pairing.
  const build = BUILDERS[config.kind] as (c: ModelConfig, d: number, r: Rng, x?: Pick<Dataset, 'mixture' | 'image'>) => ScoreNetwork;
  return build(config, dim, rng, data);
}

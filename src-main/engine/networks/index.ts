/** Score networks, chosen by the config's `model.kind`. */
import type { ModelConfig } from '../../common/config';
import type { Rng } from '../random';
import { createMlp } from './mlp';
import type { ScoreNetwork } from './types';

export type { ScoreFn, ScoreNetwork } from './types';

type Builders = { [K in ModelConfig['kind']]: (config: Extract<ModelConfig, { kind: K }>, dim: number, rng: Rng) => ScoreNetwork };

const BUILDERS: Builders = {
  mlp: createMlp,
};

/** Builds the network for data of dimension `dim`, its initial weights drawn from `rng`. */
export function createNetwork(config: ModelConfig, dim: number, rng: Rng): ScoreNetwork {
  return BUILDERS[config.kind](config, dim, rng);
}

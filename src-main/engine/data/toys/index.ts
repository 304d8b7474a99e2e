/**
 * The 2-D toy datasets, chosen by `data.kind`. Each is a generator, so beside the training set the
 * dataset can draw fresh points from the same distribution (the held-out reference of the metrics).
 */
import type { DataConfig } from '../../../../src-shared/config';
import type { Rng } from '../../random';
import type { Dataset } from '../types';
import { checkerboard } from './checkerboard';
import { pinwheel } from './pinwheel';
import { rings } from './rings';
import { spirals } from './spirals';
import { swissRoll } from './swiss-roll';
import type { ToyGenerator } from './types';
import { twoMoons } from './two-moons';

export type ToyConfig = Extract<DataConfig, { kind: 'two-moons' | 'swiss-roll' | 'rings' | 'checkerboard' | 'spirals' | 'pinwheel' }>;

type Generators = { [K in ToyConfig['kind']]: ToyGenerator<Extract<ToyConfig, { kind: K }>> };

export const TOY_GENERATORS: Generators = {
  'two-moons': twoMoons,
  'swiss-roll': swissRoll,
  rings,
  checkerboard,
  spirals,
  pinwheel,
};

/** The toy's n training points, drawn from `rng`, and a way to draw more. */
export function toyDataset(config: ToyConfig, rng: Rng): Dataset {
  const generate = TOY_GENERATORS[config.kind] as ToyGenerator<ToyConfig>;
  return { points: generate(config, config.n, rng), n: config.n, dim: 2, draw: (n, r) => generate(config, n, r) };
}

/**
 * Datasets, chosen by the config's `data.kind`. A loader gets its config section and what it may
 * need from the run (the seed's data stream, the folder relative paths resolve against).
 */
import type { DataConfig } from '../../../src-shared/config';
import type { Rng } from '../random';
import { loadCsv } from './csv';
import { gaussianMixtureDataset } from './gaussian-mixture';
import { mnistDataset } from './mnist';
import { toyDataset } from './toys';
import type { Dataset } from './types';

export type { Dataset, ImageShape, Mixture } from './types';
export { CsvError, parseCsv } from './csv';
export { sampleMixture } from './gaussian-mixture';
export { boundingBox, dataMean } from './stats';
export { subsampleRows } from './subsample';

export interface DataContext {
  rng: Rng;
  baseDir: string;
}

type Loaders = { [K in DataConfig['kind']]: (config: Extract<DataConfig, { kind: K }>, ctx: DataContext) => Promise<Dataset> };

const LOADERS: Loaders = {
  'gaussian-mixture': async (config, ctx) => gaussianMixtureDataset(config, ctx.rng),
  csv: (config, ctx) => loadCsv(config, ctx.baseDir),
  mnist: async (config, ctx) => mnistDataset(config, ctx.rng),
  'two-moons': async (config, ctx) => toyDataset(config, ctx.rng),
  'swiss-roll': async (config, ctx) => toyDataset(config, ctx.rng),
  rings: async (config, ctx) => toyDataset(config, ctx.rng),
  checkerboard: async (config, ctx) => toyDataset(config, ctx.rng),
  spirals: async (config, ctx) => toyDataset(config, ctx.rng),
  pinwheel: async (config, ctx) => toyDataset(config, ctx.rng),
};

export function loadDataset(config: DataConfig, ctx: DataContext): Promise<Dataset> {
  const load = LOADERS[config.kind] as (c: DataConfig, ctx: DataContext) => Promise<Dataset>;
  return load(config, ctx);
}

/**
 * Rules that span sections (an objective that needs a known density, a sampler that needs an
 * energy, …). Each returns the issues it finds, with the path of the field to change; the
 * experiment schema reports them all.
 */
import { KNOWN_DENSITY_KINDS } from './data';
import type { ExperimentConfig } from './index';

export interface CrossIssue {
  path: (string | number)[];
  message: string;
}

type CrossCheck = (config: ExperimentConfig) => CrossIssue[];

const needsKnownDensity: CrossCheck = (config) =>
  config.objective.kind === 'esm' && !KNOWN_DENSITY_KINDS.includes(config.data.kind)
    ? [{ path: ['objective', 'kind'], message: 'esm needs data whose score is known in closed form (data.kind gaussian-mixture)' }]
    : [];

export const CROSS_CHECKS: CrossCheck[] = [needsKnownDensity];

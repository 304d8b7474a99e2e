/** Training objectives, chosen by the config's `objective.kind`. */
import type { ScheduleLevel } from '../../common/api';
import type { ObjectiveConfig } from '../../common/config';
import { createDsm, dsmWeight } from './dsm';
import type { Objective } from './types';

export type { Objective } from './types';

interface ObjectiveEntry<C> {
  /** λ(σ): how much level σ weighs in the loss (shown with the schedule). */
  weight(config: C, sigma: number): number;
  create(config: C, levels: ScheduleLevel[]): Objective;
}

type Entries = { [K in ObjectiveConfig['kind']]: ObjectiveEntry<Extract<ObjectiveConfig, { kind: K }>> };

const OBJECTIVES: Entries = {
  dsm: { weight: (config, sigma) => dsmWeight(config.weighting, sigma), create: createDsm },
};

function entry(config: ObjectiveConfig): ObjectiveEntry<ObjectiveConfig> {
  return OBJECTIVES[config.kind] as ObjectiveEntry<ObjectiveConfig>;
}

export function lossWeight(config: ObjectiveConfig, sigma: number): number {
  return entry(config).weight(config, sigma);
}

/** The objective over the schedule `levels` (their σ_i and λ(σ_i)). */
export function createObjective(config: ObjectiveConfig, levels: ScheduleLevel[]): Objective {
  return entry(config).create(config, levels);
}

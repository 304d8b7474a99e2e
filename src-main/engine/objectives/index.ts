/**
 * Training objectives, chosen by the config's `objective.kind`.
 *
 * Every objective is a sum over the schedule, Σ_i λ(σ_i)·E[ℓ(x̃; σ_i)] with x̃ = x + σ_i·z and one
 * level drawn per example (levels.ts): the network is noise-conditional and annealed Langevin
 * samples it at every σ_i, so each objective fits s_θ(·, σ_i) to the score of the perturbed density
 * p_σᵢ, each with its own estimator ℓ of that one density's Fisher divergence:
 *
 *   dsm        ½‖s_θ(x̃, σ) + (x̃ − x)/σ²‖²                     (Vincent 2011; NCSN)
 *   esm        ½‖s_θ(x̃, σ) − ∇ log p_σ(x̃)‖²                   (closed-form target score)
 *   ism        tr(∇ₓs_θ(x̃, σ)) + ½‖s_θ(x̃, σ)‖²                 (Hyvärinen 2005, exact trace)
 *   ssm        vᵀ∇ₓ(vᵀs_θ) + ½(vᵀs_θ)², or + ½‖s_θ‖² (VR)      (Song et al. 2019)
 *   fd-ssm     ssm with vᵀ∇ₓ(vᵀs_θ) as a central difference     (Pang et al. 2020)
 *   noisy-ssm  ssm on DSM's perturbation: the same estimator, under the name NCSN gives it
 *   cd         E_θ(x̃) − E_θ(x⁻) + α(E_θ(x̃)² + E_θ(x⁻)²), x⁻ from Langevin   (energy models only;
 *              contrastive divergence, Hinton 2002; Du & Mordatch 2019)
 *
 * ESM, ISM and the sliced forms are objectives of a single density; applying them per level on
 * samples x̃ of p_σᵢ is what makes them train the same noise-conditional score as DSM, so with
 * a one-level schedule they are the classical single-σ objectives. CD is not a score-matching
 * objective: it fits each level's energy by maximum likelihood, with the model's own samples.
 */
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ObjectiveConfig } from '../../../src-shared/config';
import type { Dataset } from '../data/types';
import { paddedBoundingBox } from '../data/stats';
import { BOX_PADDING } from '../samplers/init';
import { createCd } from './cd';
import { createDsm } from './dsm';
import { esmEstimator } from './esm';
import { fdSsmEstimator } from './fd-ssm';
import { ismEstimator } from './ism';
import { levelWeight, perLevelObjective } from './levels';
import { ssmEstimator } from './ssm';
import type { Objective } from './types';

export type { Objective } from './types';

/**
 * What an objective may need from the run beyond its config and levels: the data's known density
 * (esm), the training points (cd's chains restart uniformly on their padded bounding box, the
 * sampler's uniform start).
 */
export type ObjectiveTarget = Pick<Dataset, 'mixture'> & Partial<Pick<Dataset, 'points' | 'n' | 'dim'>>;

type Creators = {
  [K in ObjectiveConfig['kind']]: (config: Extract<ObjectiveConfig, { kind: K }>, levels: ScheduleLevel[], target: ObjectiveTarget) => Objective;
};

const CREATORS: Creators = {
  dsm: createDsm,
  esm: (_config, levels, target) => {
    if (!target.mixture) throw new Error('objective esm needs data whose score is known in closed form (data.kind gaussian-mixture)');
    return perLevelObjective(levels, esmEstimator(target.mixture));
  },
  ism: (_config, levels) => perLevelObjective(levels, ismEstimator),
  ssm: (config, levels) => perLevelObjective(levels, ssmEstimator(config)),
  'noisy-ssm': (config, levels) => perLevelObjective(levels, ssmEstimator(config)),
  'fd-ssm': (config, levels) => perLevelObjective(levels, fdSsmEstimator(config)),
  cd: (config, levels, target) => {
    const { points, n, dim } = target;
    if (!points || !n || !dim) throw new Error('objective cd needs the training data (its chains restart uniformly over the data box)');
    return createCd(config, levels, paddedBoundingBox({ points, n, dim }, BOX_PADDING));
  },
};

/** λ(σ): how much level σ weighs in the loss (shown with the schedule). */
export function lossWeight(config: ObjectiveConfig, sigma: number): number {
  return levelWeight(config.weighting, sigma);
}

/** The objective over the schedule `levels` (their σ_i and λ(σ_i)); `target` is the data's known density, if any. */
export function createObjective(config: ObjectiveConfig, levels: ScheduleLevel[], target: ObjectiveTarget = {}): Objective {
  const create = CREATORS[config.kind] as (c: ObjectiveConfig, l: ScheduleLevel[], t: ObjectiveTarget) => Objective;
  return create(config, levels, target);
}

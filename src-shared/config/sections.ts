/**
 * The experiment config's sections joined into one object, before the checks that cross them
 * (index.ts adds those). The config's type is this schema's output, so the cross-section checks
 * (cross-checks.ts, size-limits.ts) read it without importing the module that runs them.
 */
import { z } from 'zod';
import { dataSchema } from './data';
import { modelSchema } from './model';
import { objectiveSchema } from './objective';
import { samplerSchema } from './sampler';
import { scheduleSchema } from './schedule';
import { trainSchema } from './train';

export const experimentSectionsSchema = z.strictObject({
  seed: z.number().int('seed must be an integer').min(0, 'seed must be ≥ 0').max(2 ** 31 - 1).default(0),
  data: dataSchema.prefault({ kind: 'gaussian-mixture' }),
  model: modelSchema.prefault({ kind: 'mlp' }),
  objective: objectiveSchema.prefault({ kind: 'dsm' }),
  schedule: scheduleSchema.prefault({ kind: 'geometric' }),
  train: trainSchema.prefault({}),
  sampler: samplerSchema.prefault({ kind: 'annealed-langevin' }),
});

/** A validated config, defaults filled (the cross-section checks do not change its type). */
export type ExperimentConfig = z.output<typeof experimentSectionsSchema>;

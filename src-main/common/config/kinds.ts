/**
 * The kinds each config section offers (`data.kind`, `model.kind`, …), read from the schemas
 * themselves, so a form that lists them lists every kind the validator accepts, no more.
 */
import { dataSchema } from './data';
import { modelSchema } from './model';
import { objectiveSchema } from './objective';
import { samplerSchema } from './sampler';
import { scheduleSchema } from './schedule';

/** The sections that are discriminated unions on `kind`. */
export const KIND_SECTIONS = ['data', 'model', 'objective', 'schedule', 'sampler'] as const;
export type KindSection = (typeof KIND_SECTIONS)[number];

const UNIONS = { data: dataSchema, model: modelSchema, objective: objectiveSchema, schedule: scheduleSchema, sampler: samplerSchema };

/**
 * Every `kind` the section's schema accepts, in the schema's order. zod 4 keeps a discriminated
 * union's discriminator values in `_zod.propValues`; reading them (rather than keeping a list by
 * hand) keeps this in step with the schemas.
 */
export function sectionKinds(section: KindSection): string[] {
  const values = (UNIONS[section] as unknown as { _zod: { propValues?: Record<string, Set<unknown>> } })._zod.propValues?.kind;
  return values ? [...values].filter((v): v is string => typeof v === 'string') : [];
}

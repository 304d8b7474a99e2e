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

type AnySchema = { _zod: { def: { type: string; shape?: Record<string, AnySchema>; in?: AnySchema; options?: AnySchema[] } } };

/** The object schema's fields, looking through a transform (a pipe's input is the object as written). */
function objectShape(schema: AnySchema): Record<string, AnySchema> | null {
  const def = schema._zod.def;
  if (def.type === 'object') return def.shape ?? null;
  if (def.type === 'pipe' && def.in) return objectShape(def.in);
  return null;
}

/** The fields of the section's option whose `kind` is `kind`; null when no option has it. */
function kindShape(section: KindSection, kind: string): Record<string, AnySchema> | null {
  for (const option of (UNIONS[section] as unknown as AnySchema)._zod.def.options ?? []) {
    const shape = objectShape(option);
    const literal = shape?.kind as unknown as { _zod: { def: { values?: unknown[] } } } | undefined;
    if (shape && literal?._zod.def.values?.includes(kind)) return shape;
  }
  return null;
}

/**
 * The section as written, switched to `kind`: every field the new kind's schema also has, and whose
 * value that field accepts, is kept (a schedule's σ_min, σ_max and levels survive a switch from
 * geometric to cosine, so the two compare over one range); the rest are dropped, so the new kind's
 * defaults apply. A field the new kind names but rejects would only turn into an error the user did
 * not make, so it goes too.
 */
export function switchKind(section: KindSection, written: unknown, kind: string): Record<string, unknown> {
  const shape = kindShape(section, kind);
  const out: Record<string, unknown> = { kind };
  if (!shape || typeof written !== 'object' || written === null || Array.isArray(written)) return out;
  for (const [field, value] of Object.entries(written)) {
    const schema = shape[field] as unknown as { safeParse(v: unknown): { success: boolean } } | undefined;
    if (field !== 'kind' && schema && schema.safeParse(value).success) out[field] = value;
  }
  return out;
}

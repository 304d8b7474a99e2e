/**
 * The capability tables (which data have a known density, which models give an energy or a
 * density, which objectives are second order, which samplers need a density) are records keyed by
 * each section's kind union. The compiler refuses a kind left out or misspelt (the `@ts-expect-error`
 * lines: the tests are type-checked, and an expected error that stops occurring fails that check);
 * at run time each table covers exactly the kinds its section's schema accepts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DATA_KIND_TRAITS,
  MODEL_KIND_TRAITS,
  OBJECTIVE_KIND_TRAITS,
  SAMPLER_KIND_TRAITS,
  sectionKinds,
  type DataConfig,
  type DataKind,
  type ModelConfig,
  type ModelKind,
  type ObjectiveConfig,
  type ObjectiveKind,
  type SamplerConfig,
  type SamplerKind,
} from '../../../src-shared/config';

/** True when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

test("each table's key type is its section's kind union, not string", () => {
  const keyedByKinds: [
    Equal<DataKind, DataConfig['kind']>,
    Equal<ModelKind, ModelConfig['kind']>,
    Equal<ObjectiveKind, ObjectiveConfig['kind']>,
    Equal<SamplerKind, SamplerConfig['kind']>,
  ] = [true, true, true, true];
  assert.deepEqual(keyedByKinds, [true, true, true, true]);

  // @ts-expect-error a misspelt kind is not a sampler kind
  const misspelt: typeof SAMPLER_KIND_TRAITS = { ...SAMPLER_KIND_TRAITS, langevn: { needsDensity: false } };
  const { mala: _mala, ...withoutMala } = SAMPLER_KIND_TRAITS;
  // @ts-expect-error every sampler kind must say whether it needs a density
  const incomplete: typeof SAMPLER_KIND_TRAITS = withoutMala;
  const { cd: _cd, ...withoutCd } = OBJECTIVE_KIND_TRAITS;
  // @ts-expect-error every objective must say whether it is second order
  const incompleteObjectives: typeof OBJECTIVE_KIND_TRAITS = withoutCd;
  void [misspelt, incomplete, incompleteObjectives];
});

test('each table covers exactly the kinds its section accepts', () => {
  const tables = { data: DATA_KIND_TRAITS, model: MODEL_KIND_TRAITS, objective: OBJECTIVE_KIND_TRAITS, sampler: SAMPLER_KIND_TRAITS };
  for (const [section, table] of Object.entries(tables))
    assert.deepEqual(Object.keys(table).sort(), sectionKinds(section as keyof typeof tables).sort(), section);
});

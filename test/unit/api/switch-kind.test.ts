/**
 * Switching a config section's kind (the new-experiment form's kind menus) keeps every field the
 * new kind's schema also has, so the obvious comparison (the same σ range, spaced two ways)
 * compares what it says; fields the new kind lacks or rejects are dropped, so its defaults apply.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KIND_SECTIONS, parseExperimentConfig, requireExperimentConfig, sectionKinds, switchKind } from '../../../src-shared/config';

test('a schedule switched from geometric to cosine keeps σ_min, σ_max and levels', () => {
  const written = { kind: 'geometric', sigmaMin: 0.01, sigmaMax: 50, levels: 20 };
  assert.deepEqual(switchKind('schedule', written, 'cosine'), { kind: 'cosine', sigmaMin: 0.01, sigmaMax: 50, levels: 20 });
  // Parsed, the two configs differ in the spacing only.
  const a = requireExperimentConfig({ schedule: written });
  const b = requireExperimentConfig({ schedule: switchKind('schedule', written, 'cosine') });
  assert.deepEqual({ ...b.schedule, kind: 'geometric' }, a.schedule);
});

test('fields the new kind lacks are dropped: NCSNv2 keeps σ_min and levels, takes σ_max from the data', () => {
  assert.deepEqual(switchKind('schedule', { kind: 'linear', sigmaMin: 0.02, sigmaMax: 5, levels: 7 }, 'ncsnv2'), {
    kind: 'ncsnv2',
    sigmaMin: 0.02,
    levels: 7,
  });
  assert.deepEqual(switchKind('schedule', { kind: 'adaptive', lowPercentile: 1, spacing: 'linear', levels: 12 }, 'geometric'), {
    kind: 'geometric',
    levels: 12,
  });
});

test('every section keeps its shared fields: data n and noise across toys, sampler n and steps across samplers', () => {
  assert.deepEqual(switchKind('data', { kind: 'two-moons', n: 800, noise: 0.05 }, 'swiss-roll'), { kind: 'swiss-roll', n: 800, noise: 0.05 });
  // A mixture's schema is a transform over the object as written: its fields are still seen.
  assert.deepEqual(switchKind('data', { kind: 'two-moons', n: 800, noise: 0.05 }, 'gaussian-mixture'), { kind: 'gaussian-mixture', n: 800 });
  assert.deepEqual(switchKind('data', { kind: 'gaussian-mixture', stds: 0.3, n: 900 }, 'rings'), { kind: 'rings', n: 900 });
  const sampler = switchKind('sampler', { kind: 'langevin', n: 300, steps: 400, eps: 0.01 }, 'mala');
  assert.equal(sampler.kind, 'mala');
  assert.equal(sampler.n, 300);
  assert.equal(sampler.steps, 400);
});

test('a field the new kind has but whose value it rejects is dropped rather than turned into an error', () => {
  // The toys allow n up to 10⁶; MNIST ships 10,000 digits.
  assert.deepEqual(switchKind('data', { kind: 'two-moons', n: 50_000 }, 'mnist'), { kind: 'mnist' });
  assert.deepEqual(switchKind('data', { kind: 'two-moons', n: 5_000 }, 'mnist'), { kind: 'mnist', n: 5_000 });
});

test('an unwritten or malformed section becomes just { kind }', () => {
  assert.deepEqual(switchKind('schedule', undefined, 'cosine'), { kind: 'cosine' });
  assert.deepEqual(switchKind('schedule', [1, 2], 'cosine'), { kind: 'cosine' });
  assert.deepEqual(switchKind('schedule', { sigmaMin: 0.1 }, 'no-such-kind'), { kind: 'no-such-kind' });
});

test('switching any section between any two kinds of a valid config never adds an error of its own making', () => {
  // Each section at its default, written out in full, switched to every kind: the kept fields are
  // valid for the new kind, so any issue is one the new kind raises with { kind } alone (a kept
  // field may even settle one: NCSNv2 in 2-D needs the levels a geometric schedule carries over).
  const defaults = requireExperimentConfig({}) as unknown as Record<string, Record<string, unknown>>;
  for (const section of KIND_SECTIONS)
    for (const kind of sectionKinds(section)) {
      const issues = (config: unknown) => {
        const result = parseExperimentConfig(config);
        return result.ok ? [] : result.issues.filter((i) => i.field.startsWith(`${section}.`)).map((i) => i.field);
      };
      const kept = issues({ [section]: switchKind(section, defaults[section], kind) });
      const bare = issues({ [section]: { kind } });
      assert.deepEqual(kept.filter((field) => !bare.includes(field)), [], `${section} → ${kind}`);
    }
});

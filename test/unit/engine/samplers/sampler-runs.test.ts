/**
 * Samplers in a run: the analytic model skips training; the trajectory arrives as frames (frame 0
 * the initial chains, the last the output); inpainting and interpolation emit their labelled sets;
 * a seeded run repeats exactly; and the config refuses what cannot run, naming the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExperimentConfig, requireExperimentConfig } from '../../../../src-shared/config';
import type { ExperimentConfigInput } from '../../../../src-shared/config';
import { PRESETS } from '../../../../src-shared/presets';
import { createRng } from '../../../../src-main/engine/random';
import { loadRunData } from '../../../../src-main/engine/run/prepare';
import { runExperiment } from '../../../../src-main/engine/run/run-experiment';
import type { RunEvent } from '../../../../src-main/engine/jobs';
import { frameSteps } from '../../../../src-main/engine/run/trajectory';
import { initialChains } from '../../../../src-main/engine/samplers';
import { useEngineBackend } from '../helpers';

useEngineBackend();

async function run(input: ExperimentConfigInput) {
  const events: RunEvent[] = [];
  const config = requireExperimentConfig(input);
  const outcome = await runExperiment(config, { baseDir: '/', isCancelled: () => false, emit: (e) => events.push(e) });
  assert.equal(outcome.status, 'completed', outcome.error);
  const sets = events.filter((e): e is Extract<RunEvent, { type: 'samples' }> => e.type === 'samples');
  return { config, events, outcome, sets };
}

const ANALYTIC: ExperimentConfigInput = {
  seed: 5,
  data: { kind: 'gaussian-mixture', n: 500 },
  model: { kind: 'analytic' },
  schedule: { kind: 'geometric', levels: 5 },
};

test('a run with the analytic model trains nothing and samples the mixture', async () => {
  const { events, outcome } = await run({ ...ANALYTIC, sampler: { kind: 'annealed-langevin', n: 100, stepsPerLevel: 3 } });
  assert.equal(outcome.steps, 0);
  assert.equal(events.filter((e) => e.type === 'metrics' || e.type === 'checkpoint').length, 0, 'no training metrics or checkpoints');
  const weights = events.find((e) => e.type === 'weights');
  assert.deepEqual(weights && weights.type === 'weights' ? weights.tensors : null, []);
  assert.equal(outcome.samples?.length, 200);
});

test('frame steps spread evenly from 0 to the last step, without repeats', () => {
  assert.deepEqual(frameSteps(5, 100), [0, 25, 50, 75, 100]);
  assert.deepEqual(frameSteps(3, 7), [0, 4, 7]); // 3.5 rounds up
  assert.deepEqual(frameSteps(10, 3), [0, 1, 2, 3], 'fewer steps than frames: one frame per step');
});

for (const sampler of [
  { kind: 'annealed-langevin', n: 30, stepsPerLevel: 4 },
  { kind: 'predictor-corrector', n: 30, correctorSteps: 1 },
  { kind: 'mala', n: 30, steps: 17 },
] as const) {
  test(`${sampler.kind}: the trajectory has its frames, frame 0 is the initial chains and the last is the output`, async () => {
    const input = { ...ANALYTIC, sampler: { ...sampler, trajectory: { chains: 7, frames: 6 } } };
    const { config, sets, outcome } = await run(input);
    const frames = sets.filter((s) => s.label.startsWith('trajectory/'));
    const total = sampler.kind === 'annealed-langevin' ? 5 * 4 + 1 : sampler.kind === 'predictor-corrector' ? 5 * 2 : 17;
    assert.deepEqual(
      frames.map((f) => [f.label, f.frame?.index, f.frame?.step, f.frame?.total, f.n, f.dim]),
      frameSteps(6, total).map((step, i) => [`trajectory/${i}`, i, step, total, 7, 2]),
    );
    const { data, schedule } = await loadRunData(config, '/');
    const init = initialChains(config.sampler.init, 30, data, schedule[0].sigma, createRng(config.seed, 'sampler-init'));
    assert.deepEqual(frames[0].points, init.slice(0, 14), 'frame 0: the initial chains');
    assert.deepEqual(frames[frames.length - 1].points, outcome.samples!.slice(0, 14), 'last frame: the output');
    assert.notDeepEqual(frames[2].points, frames[3].points, 'frames in between move');
    // Frames precede the final set; the final set is the output.
    assert.equal(sets[sets.length - 1].label, 'final');
  });
}

test('an inpainting run keeps the known coordinate of each reference point and emits the references', async () => {
  const { sets } = await run({ ...ANALYTIC, sampler: { kind: 'annealed-langevin', n: 40, stepsPerLevel: 5, task: { kind: 'inpaint', mask: [false, true] } } });
  const reference = sets.find((s) => s.label === 'inpaint/reference')!;
  const final = sets.find((s) => s.label === 'final')!;
  assert.equal(reference.n, 40);
  for (let i = 0; i < 40; i++) assert.equal(final.points[2 * i + 1], reference.points[2 * i + 1], `chain ${i}: y kept`);
  assert.ok(final.points.some((v, i) => i % 2 === 0 && v !== reference.points[i]), 'x is sampled');
});

test('an interpolation run emits its paths, pair after pair', async () => {
  const { sets } = await run({
    ...ANALYTIC,
    sampler: { kind: 'annealed-langevin', n: 10, stepsPerLevel: 5, task: { kind: 'interpolate', pairs: 3, points: 4 } },
  });
  const paths = sets.find((s) => s.label === 'interpolation')!;
  assert.deepEqual([paths.n, paths.dim], [12, 2]);
  assert.ok(paths.points.every(Number.isFinite));
});

test('a seeded run repeats exactly: samples, frames and task sets', async () => {
  const input: ExperimentConfigInput = {
    ...ANALYTIC,
    sampler: { kind: 'predictor-corrector', n: 20, trajectory: { chains: 3, frames: 4 }, task: { kind: 'inpaint', mask: [true, false] } },
  };
  const [a, b] = [await run(input), await run(input)];
  assert.deepEqual(
    a.sets.map((s) => [s.label, s.points]),
    b.sets.map((s) => [s.label, s.points]),
  );
});

test('the config refuses what a sampler cannot run, naming the field', () => {
  const issues = (input: unknown) => {
    const result = parseExperimentConfig(input);
    assert.equal(result.ok, false, JSON.stringify(input));
    return result.ok ? [] : result.issues;
  };
  const has = (input: unknown, field: string, message: RegExp) => {
    const found = issues(input);
    assert.ok(found.some((i) => i.field === field && message.test(i.message)), `${field} ~ ${message}: ${JSON.stringify(found)}`);
  };
  has({ sampler: { kind: 'mala' } }, 'sampler.kind', /mala needs a model with a density/);
  has({ sampler: { kind: 'rwmh' } }, 'sampler.kind', /rwmh needs a model with a density/);
  has({ data: { kind: 'csv', path: 'x.csv' }, model: { kind: 'analytic' } }, 'model.kind', /analytic needs data/);
  has({ sampler: { kind: 'annealed-langevin', task: { kind: 'inpaint', mask: [true, false, true] } } }, 'sampler.task.mask', /3 entries; the data has 2/);
  has({ sampler: { kind: 'annealed-langevin', task: { kind: 'inpaint', mask: [true, true] } } }, 'sampler.task.mask', /at least one coordinate to sample/);
  has({ sampler: { kind: 'annealed-langevin', task: { kind: 'inpaint', mask: [true, false], values: [1] } } }, 'sampler.task.values', /one value per mask entry/);
  has({ model: { kind: 'analytic' }, sampler: { kind: 'mala', task: { kind: 'inpaint', mask: [true, false] } } }, 'sampler.task.kind', /not supported by the mala/);
  has({ sampler: { kind: 'annealed-langevin', n: 5, task: { kind: 'interpolate', pairs: 3 } } }, 'sampler.task.pairs', /3 pairs need 2 × 3 samples/);
  has({ sampler: { kind: 'annealed-langevin', trajectory: { frames: 1 } } }, 'sampler.trajectory.frames', /≥ 2/);
  has({ sampler: { kind: 'predictor-corrector', snr: 0 } }, 'sampler.snr', /snr must be > 0/);
  has({ sampler: { kind: 'langevin', convention: 'third' } }, 'sampler.convention', /./);
  has({ sampler: { kind: 'gibbs' } }, 'sampler.kind', /kind must be one of: annealed-langevin, langevin, predictor-corrector, mala, rwmh/);
  assert.ok(parseExperimentConfig({ model: { kind: 'analytic' }, sampler: { kind: 'mala' } }).ok, 'MALA on the analytic model');
});

test('every sampler preset is a valid config', () => {
  for (const preset of PRESETS.filter((p) => p.id.startsWith('mixture-analytic-')))
    assert.ok(parseExperimentConfig(preset.config).ok, `${preset.id}: ${JSON.stringify(parseExperimentConfig(preset.config))}`);
});

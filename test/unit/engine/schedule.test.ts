import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../src-main/common/config';
import { buildSchedule } from '../../../src-main/engine/schedules';
import { assertClose } from './helpers';

const relClose = (actual: number, expected: number, what: string) => assertClose(actual, expected, 1e-12 * Math.abs(expected), what);

test('geometric levels run from sigmaMax down to sigmaMin with a constant ratio', () => {
  // σ_i = 10·(0.1/10)^(i/2): 10, 1, 0.1.
  const levels = buildSchedule(
    requireExperimentConfig({ schedule: { kind: 'geometric', sigmaMax: 10, sigmaMin: 0.1, levels: 3 } }),
  );
  assert.deepEqual(levels.map((l) => l.level), [0, 1, 2]);
  [10, 1, 0.1].forEach((sigma, i) => relClose(levels[i].sigma, sigma, `σ_${i}`));
});

test('the default schedule is σ_i = 10·(0.05/10)^(i/9) over 10 levels, with α_i = ε·σ_i²/σ_L² and λ = σ²', () => {
  const levels = buildSchedule(requireExperimentConfig({}));
  assert.equal(levels.length, 10);
  for (let i = 0; i < 10; i++) {
    const sigma = 10 * Math.pow(0.05 / 10, i / 9);
    relClose(levels[i].sigma, sigma, `σ_${i}`);
    relClose(levels[i].alpha, (2.5e-4 * sigma * sigma) / (0.05 * 0.05), `α_${i}`);
    relClose(levels[i].weight, sigma * sigma, `λ_${i}`);
  }
  assert.equal(levels[9].sigma, 0.05, 'the last level is exactly sigmaMin');
  relClose(levels[0].alpha, 10, 'α_1 = 2.5e-4 · 10² / 0.05²');
  relClose(levels[9].alpha, 2.5e-4, 'α_L = ε');
});

test("the loss weight follows the objective's weighting: σ², σ or 1", () => {
  const schedule = { kind: 'geometric', sigmaMax: 4, sigmaMin: 1, levels: 3 } as const; // σ = 4, 2, 1
  const weights = (weighting: 'sigma2' | 'sigma' | 'one') =>
    buildSchedule(requireExperimentConfig({ schedule, objective: { kind: 'dsm', weighting } })).map((l) => l.weight);
  assert.deepEqual(weights('sigma2'), [16, 4, 1]);
  assert.deepEqual(weights('sigma'), [4, 2, 1]);
  assert.deepEqual(weights('one'), [1, 1, 1]);
});

test("the step sizes scale with the sampler's ε", () => {
  const config = requireExperimentConfig({
    schedule: { kind: 'geometric', sigmaMax: 4, sigmaMin: 1, levels: 3 },
    sampler: { kind: 'annealed-langevin', eps: 0.01 },
  });
  assert.deepEqual(buildSchedule(config).map((l) => l.alpha), [0.16, 0.04, 0.01]);
});

test('a one-level schedule is the single level sigmaMin, with α = ε', () => {
  const [only, ...rest] = buildSchedule(requireExperimentConfig({ schedule: { kind: 'geometric', levels: 1 } }));
  assert.equal(rest.length, 0);
  assert.equal(only.sigma, 0.05);
  relClose(only.alpha, 2.5e-4, 'α');
});

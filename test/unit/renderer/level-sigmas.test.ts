/**
 * A level index in the compare view means σ_i of each run's own schedule: the helpers give each
 * run's σ at an index, one σ only where every run has it, and a note naming the first index at
 * which the schedules part.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleLevel } from '../../../src-shared/api';
import { describeLevel, firstDifferingLevel, scheduleMismatchNote, sharedSigma, sigmasAt, type RunLevels } from '../../../src-renderer/src/lib/level-sigmas';

/** The geometric schedule σ_i = σ_max·(σ_min/σ_max)^{i/(L−1)}, i = 0 … L−1. */
function geometric(sigmaMax: number, sigmaMin: number, count: number): ScheduleLevel[] {
  return Array.from({ length: count }, (_, i) => ({ level: i, sigma: sigmaMax * (sigmaMin / sigmaMax) ** (i / (count - 1)), alpha: 0, weight: 1 }));
}

const a: RunLevels = { id: 1, label: '#1 a', levels: geometric(10, 0.05, 10) };
const b: RunLevels = { id: 2, label: '#2 b', levels: geometric(10, 0.05, 10) };
const c: RunLevels = { id: 3, label: '#3 c', levels: geometric(5, 0.1, 5) };

test('each run has its own σ at a level index; a run with fewer levels has none there', () => {
  assert.deepEqual(sigmasAt([a, c], 0), [
    { id: 1, label: '#1 a', sigma: 10 },
    { id: 3, label: '#3 c', sigma: 5 },
  ]);
  assert.deepEqual(
    sigmasAt([a, c], 7).map((s) => s.sigma),
    [10 * 0.005 ** (7 / 9), undefined],
  );
});

test('a level has one σ only where every run has that σ there', () => {
  assert.equal(sharedSigma([a, b], 4), 10 * 0.005 ** (4 / 9));
  assert.equal(sharedSigma([a, c], 0), null);
  // Equal ends, different spacing in between: the ends agree, the middle does not.
  const linear: RunLevels = { id: 4, label: '#4 linear', levels: Array.from({ length: 10 }, (_, i) => ({ level: i, sigma: 10 + ((0.05 - 10) * i) / 9, alpha: 0, weight: 1 })) };
  assert.equal(sharedSigma([a, linear], 0), 10);
  assert.equal(sharedSigma([a, linear], 5), null);
  assert.equal(firstDifferingLevel([a, linear]), 1);
});

test('runs whose schedule has not loaded take no part', () => {
  const loading: RunLevels = { id: 5, label: '#5 loading', levels: [] };
  assert.equal(sharedSigma([a, loading], 2), a.levels[2].sigma);
  assert.equal(scheduleMismatchNote([a, b, loading]), null);
  assert.equal(sharedSigma([loading], 0), null);
});

test('the note names the first differing level, what it means in each run, and the level counts', () => {
  assert.equal(scheduleMismatchNote([a, b]), null);
  assert.equal(
    scheduleMismatchNote([a, c]),
    'Schedules differ: level 0 means σ = 10 in #1 a, 5 in #3 c. They have 10 levels (#1 a), 5 levels (#3 c).',
  );
  // Same count, different range.
  const d: RunLevels = { id: 6, label: '#6 d', levels: geometric(50, 0.05, 10) };
  assert.equal(scheduleMismatchNote([a, d]), 'Schedules differ: level 0 means σ = 10 in #1 a, 50 in #6 d.');
  // One schedule a prefix of the other: they part where the shorter ends.
  const prefix: RunLevels = { id: 7, label: '#7 prefix', levels: a.levels.slice(0, 4) };
  assert.equal(firstDifferingLevel([a, prefix]), 4);
  assert.equal(describeLevel(sigmasAt([a, prefix], 9)), `σ = 0.05 in #1 a, no such level in #7 prefix`);
});

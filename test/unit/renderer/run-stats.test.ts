import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStats } from '../../../src-renderer/src/lib/run-stats';
import type { LiveProgress } from '../../../src-renderer/src/lib/run-store';
import { runRecord } from './fixtures';

// The record as it was published when training started: its steps and loss are not rewritten until the run ends.
const live = runRecord(1, { status: 'running', steps: 0, totalSteps: 2000, finalLoss: null, trainSeconds: null });

const sampling: LiveProgress = {
  runId: 1,
  phase: 'sampling',
  done: 40,
  total: 1000,
  loss: null,
  etaSeconds: 3,
  lastTraining: { done: 2000, loss: 0.61 },
  stepsPerSecond: 250,
};

test("while the run samples, the steps tile shows where training got to (2,000 / 2,000), not the record's 0", () => {
  assert.equal(runStats(live, sampling).steps, 2000);
});

test('the loss is the latest while training, and final once training has reached its last step', () => {
  const training: LiveProgress = { ...sampling, phase: 'training', done: 1200, total: 2000, loss: 0.8, lastTraining: { done: 1200, loss: 0.8 } };
  assert.deepEqual([runStats(live, training).loss, runStats(live, training).lossIsFinal], [0.8, false]);
  assert.deepEqual([runStats(live, sampling).loss, runStats(live, sampling).lossIsFinal], [0.61, true]);
  const paused = runRecord(1, { status: 'paused', steps: 1503, totalSteps: 2000, finalLoss: 0.9 });
  assert.deepEqual([runStats(paused, undefined).loss, runStats(paused, undefined).lossIsFinal], [0.9, false]);
  const done = runRecord(1, { status: 'completed', steps: 2000, totalSteps: 2000, finalLoss: 0.6 });
  assert.deepEqual([runStats(done, undefined).loss, runStats(done, undefined).lossIsFinal], [0.6, true]);
});

test('steps/s comes from the progress events while the run runs, and from steps over training time once it has ended', () => {
  assert.equal(runStats(live, sampling).stepsPerSecond, 250);
  assert.equal(runStats(live, undefined).stepsPerSecond, null);
  const done = runRecord(1, { steps: 2000, totalSteps: 2000, trainSeconds: 8 });
  assert.equal(runStats(done, undefined).stepsPerSecond, 2000 / 8);
});

test('the mode-share error is offered for mixtures only, not for data without modes', () => {
  assert.equal(runStats(runRecord(1), undefined).hasModes, true);
  assert.equal(runStats(runRecord(1, {}, { data: { kind: 'swiss-roll' } }), undefined).hasModes, false);
  assert.equal(runStats(runRecord(1, {}, { data: { kind: 'mnist', n: 500 } }), undefined).hasModes, false);
});

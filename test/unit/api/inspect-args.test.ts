/** The arguments of the gallery calls (sample sets, checkpoints, score fields), as every transport validates them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, validateArgs } from '../../../src-shared/api';

/** The fields a refused call names, with their messages. */
const refused = (fn: () => unknown): Record<string, string> => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError && err.code === 'invalid-argument', String(err));
    return Object.fromEntries((err.issues ?? []).map((i) => [i.field, i.message]));
  }
  return assert.fail('the arguments were accepted');
};

test('getSampleSet takes the labels the store writes, and refuses anything else, naming label', () => {
  for (const label of ['final', 'trajectory/0', 'trajectory/12', 'checkpoint/500'])
    assert.deepEqual(validateArgs('getSampleSet', { runId: 1, label }), { runId: 1, label });
  for (const label of ['', 'Final', 'trajectory/', '../final', 'final; DROP TABLE runs', 'checkpoint//5', 'x'.repeat(101)])
    assert.match(refused(() => validateArgs('getSampleSet', { runId: 1, label })).label ?? '', /label|characters/, label);
  assert.ok('label' in refused(() => validateArgs('getSampleSet', { runId: 1 })));
});

test('listSampleSets and listCheckpointSteps take one positive run id', () => {
  for (const method of ['listSampleSets', 'listCheckpointSteps'] as const) {
    assert.deepEqual(validateArgs(method, { runId: 4 }), { runId: 4 });
    for (const runId of [0, -1, 1.5, '4', null]) assert.ok('runId' in refused(() => validateArgs(method, { runId })), `${method} ${runId}`);
  }
});

test('sampleCheckpoint takes a step ≥ 0 and an optional chain count from 1 to 2000', () => {
  assert.deepEqual(validateArgs('sampleCheckpoint', { runId: 1, step: 0 }), { runId: 1, step: 0 });
  assert.deepEqual(validateArgs('sampleCheckpoint', { runId: 1, step: 500, n: 64 }), { runId: 1, step: 500, n: 64 });
  assert.deepEqual(Object.keys(refused(() => validateArgs('sampleCheckpoint', { runId: 1, step: -5 }))), ['step']);
  assert.deepEqual(Object.keys(refused(() => validateArgs('sampleCheckpoint', { runId: 1, step: 2.5 }))), ['step']);
  assert.deepEqual(Object.keys(refused(() => validateArgs('sampleCheckpoint', { runId: 1 }))), ['step']);
  for (const n of [0, 2001, 1.5]) assert.deepEqual(Object.keys(refused(() => validateArgs('sampleCheckpoint', { runId: 1, step: 1, n }))), ['n']);
});

test('getScoreField takes a level, an optional step, and a grid of 4 to 64 arrows a side (20 unless given)', () => {
  assert.deepEqual(validateArgs('getScoreField', { runId: 1, level: 3 }), { runId: 1, level: 3, grid: 20 });
  assert.deepEqual(validateArgs('getScoreField', { runId: 1, level: 0, step: 100, grid: 8 }), { runId: 1, level: 0, step: 100, grid: 8 });
  assert.deepEqual(Object.keys(refused(() => validateArgs('getScoreField', { runId: 1 }))), ['level']);
  assert.deepEqual(Object.keys(refused(() => validateArgs('getScoreField', { runId: 1, level: -1 }))), ['level']);
  for (const grid of [3, 65, 10.5]) assert.deepEqual(Object.keys(refused(() => validateArgs('getScoreField', { runId: 1, level: 0, grid }))), ['grid']);
  assert.deepEqual(Object.keys(refused(() => validateArgs('getScoreField', { runId: 1, level: 0, step: -1 }))), ['step']);
});

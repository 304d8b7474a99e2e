/** The arguments of the compare and runs-table calls, as every transport validates them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, validateArgs } from '../../../src-shared/api';

const issueFields = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError && err.code === 'invalid-argument');
    return (err.issues ?? []).map((i) => i.field);
  }
  return assert.fail('the arguments were accepted');
};

test('getCurves takes an optional step range, and refuses one that ends before it starts', () => {
  assert.deepEqual(validateArgs('getCurves', { runIds: [1], fromStep: 10, toStep: 20 }), {
    runIds: [1],
    keys: ['loss'],
    maxPoints: 2000,
    fromStep: 10,
    toStep: 20,
  });
  assert.equal(validateArgs('getCurves', { runIds: [1], fromStep: 10 }).toStep, undefined);
  assert.deepEqual(issueFields(() => validateArgs('getCurves', { runIds: [1], fromStep: 20, toStep: 10 })), ['toStep']);
  assert.deepEqual(issueFields(() => validateArgs('getCurves', { runIds: [1], fromStep: 1.5 })), ['fromStep']);
});

test('updateRunMeta trims the name and tags, drops repeated tags, and refuses empty ones and unknown fields', () => {
  assert.deepEqual(validateArgs('updateRunMeta', { runId: 3, name: '  renamed ', tags: ['a', ' b', 'a '] }), {
    runId: 3,
    name: 'renamed',
    tags: ['a', 'b'],
  });
  assert.deepEqual(issueFields(() => validateArgs('updateRunMeta', { runId: 3, name: '   ' })), ['name']);
  assert.deepEqual(issueFields(() => validateArgs('updateRunMeta', { runId: 3, tags: ['ok', ''] })), ['tags.1']);
  assert.deepEqual(issueFields(() => validateArgs('updateRunMeta', { runId: 3, status: 'completed' })), ['(arguments)']);
});

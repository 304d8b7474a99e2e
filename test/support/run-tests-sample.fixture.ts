/** A test file for test/unit/scripts/run-tests.test.ts: one pass, one skip, two failures (one nested). */
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('sample passes', () => {});
test('sample is skipped', { skip: 'on purpose' }, () => {});
test('sample fails at the top level', () => assert.equal(1 + 1, 3));
test('sample parent', async (t) => {
  await t.test('sample child fails', () => {
    throw new Error('nested failure');
  });
});

/** Which checkpoints keep their weights for the slider: all of them up to MAX_SNAPSHOTS, then evenly thinned, always the last. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SNAPSHOTS, keepsWeightSnapshot } from '../../../src-main/api/weight-snapshots';

const kept = (steps: number, checkpointEvery: number): number[] => {
  const out: number[] = [];
  for (let s = checkpointEvery; s <= steps; s += checkpointEvery) if (keepsWeightSnapshot({ steps, checkpointEvery }, s)) out.push(s);
  if (steps % checkpointEvery !== 0 && keepsWeightSnapshot({ steps, checkpointEvery }, steps)) out.push(steps);
  return out;
};

test('a run with few checkpoints keeps every one', () => {
  assert.deepEqual(kept(2000, 500), [500, 1000, 1500, 2000]);
  assert.deepEqual(kept(150, 50), [50, 100, 150]);
});

test('a run with many checkpoints keeps at most about MAX_SNAPSHOTS, evenly spaced, and its last step', () => {
  const steps = kept(100_000, 1);
  assert.ok(steps.length <= MAX_SNAPSHOTS + 1 && steps.length >= MAX_SNAPSHOTS / 2, `${steps.length} kept`);
  const gaps = new Set(steps.slice(1).map((s, i) => s - steps[i]));
  assert.equal(gaps.size, 1, 'evenly spaced');
  assert.equal(steps.at(-1), 100_000);
  assert.ok(kept(1003, 10).at(-1) === 1003, 'the last step even off the checkpoint grid');
});

/** Compare galleries share an axis box exactly when their runs' data configs are the same. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requireExperimentConfig } from '../../../src-shared/config';
import { dataKeyOf, framesByData } from '../../../src-renderer/src/lib/gallery-frames';

test('items with one data key share one frame, computed from all of them; other keys get their own', () => {
  const items = [
    { id: 1, dataKey: 'mixture', span: 6 },
    { id: 2, dataKey: 'roll', span: 1.5 },
    { id: 3, dataKey: 'mixture', span: 7 },
  ];
  const calls: number[][] = [];
  const frames = framesByData(items, (group) => {
    calls.push(group.map((g) => g.id));
    return Math.max(...group.map((g) => g.span));
  });
  assert.deepEqual(calls, [[1, 3], [2]]);
  assert.deepEqual([...frames], [
    [1, 7],
    [3, 7],
    [2, 1.5],
  ]);
  assert.equal(framesByData([], () => 0).size, 0);
});

test('two runs on the same data config have one key whatever else differs; a different dataset or size gives another', () => {
  const key = (input: object) => dataKeyOf(requireExperimentConfig(input).data);
  const roll = { data: { kind: 'swiss-roll', n: 2000 } };
  assert.equal(key({ ...roll, seed: 1 }), key({ ...roll, seed: 2, train: { lr: 0.004 } }));
  // Written with and without a default: the parsed configs are the same.
  assert.equal(key({ data: { kind: 'swiss-roll', n: 2000, noise: 0.2 } }), key(roll));
  assert.notEqual(key(roll), key({ data: { kind: 'gaussian-mixture' } }));
  assert.notEqual(key(roll), key({ data: { kind: 'swiss-roll', n: 3000 } }));
});

/** Sample-set labels and metric keys: what the builders write, the parsers read back, and nothing else. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHECKPOINT_PREFIX,
  compareMetricKeys,
  isSampleSetLabel,
  lossLevelOf,
  metricKey,
  parseMetricKey,
  parseSampleSetLabel,
  sampleSetLabel,
  TRAJECTORY_PREFIX,
} from '../../../src-shared/labels';

test('every sample-set label the builders write parses back to what built it', () => {
  assert.deepEqual(parseSampleSetLabel(sampleSetLabel.final), { kind: 'final' });
  assert.deepEqual(parseSampleSetLabel(sampleSetLabel.inpaintReference), { kind: 'inpaint-reference' });
  assert.deepEqual(parseSampleSetLabel(sampleSetLabel.interpolation), { kind: 'interpolation' });
  for (const index of [0, 1, 7, 10, 999, Number.MAX_SAFE_INTEGER])
    assert.deepEqual(parseSampleSetLabel(sampleSetLabel.trajectory(index)), { kind: 'trajectory', index });
  for (const step of [0, 5, 500, 1_000_000])
    assert.deepEqual(parseSampleSetLabel(sampleSetLabel.checkpoint(step)), { kind: 'checkpoint', step });
});

test('the labels are the strings stored since the first version (old databases and bundles still read)', () => {
  assert.equal(sampleSetLabel.final, 'final');
  assert.equal(sampleSetLabel.inpaintReference, 'inpaint/reference');
  assert.equal(sampleSetLabel.interpolation, 'interpolation');
  assert.equal(sampleSetLabel.trajectory(3), 'trajectory/3');
  assert.equal(sampleSetLabel.checkpoint(500), 'checkpoint/500');
  assert.equal(metricKey.loss, 'loss');
  assert.equal(metricKey.lossAtLevel(2), 'loss/level/2');
});

test('a malformed or unknown sample-set label is refused', () => {
  const malformed = [
    '',
    'Final',
    'final/',
    ' final',
    'trajectory',
    'trajectory/',
    'trajectory/-1',
    'trajectory/1.5',
    'trajectory/1e3',
    'trajectory/01',
    'trajectory/ 1',
    'trajectory/9007199254740992',
    'checkpoint//5',
    'checkpoint/5/6',
    'checkpoint/0x10',
    'inpaint',
    'interpolation/0',
    '../final',
    'final; DROP TABLE runs',
    'score-field/10/2',
  ];
  for (const label of malformed) {
    assert.equal(parseSampleSetLabel(label), null, label);
    assert.equal(isSampleSetLabel(label), false, label);
  }
});

test('every metric key the builders write parses back, and anything else is refused', () => {
  assert.deepEqual(parseMetricKey(metricKey.loss), { kind: 'loss' });
  for (const level of [0, 3, 10, 249]) {
    assert.deepEqual(parseMetricKey(metricKey.lossAtLevel(level)), { kind: 'loss-level', level });
    assert.equal(lossLevelOf(metricKey.lossAtLevel(level)), level);
  }
  for (const key of ['', 'Loss', 'loss/', 'loss/level', 'loss/level/', 'loss/level/-1', 'loss/level/02', 'loss/level/2/3', 'lr']) {
    assert.equal(parseMetricKey(key), null, key);
    assert.equal(lossLevelOf(key), null, key);
  }
  assert.equal(lossLevelOf(metricKey.loss), null);
});

test('metric keys sort naturally: the total first, then levels by number', () => {
  const keys = [10, 2, 0, 1].map(metricKey.lossAtLevel).concat(metricKey.loss);
  assert.deepEqual(keys.sort(compareMetricKeys), ['loss', 'loss/level/0', 'loss/level/1', 'loss/level/2', 'loss/level/10']);
});

test("the prefixes the store matches with SQL LIKE hold no LIKE wildcard ('%' or '_')", () => {
  for (const prefix of [TRAJECTORY_PREFIX, CHECKPOINT_PREFIX]) assert.doesNotMatch(prefix, /[%_]/);
});

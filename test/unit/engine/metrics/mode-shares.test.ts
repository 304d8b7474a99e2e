import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modeShares, sampleMetrics } from '../../../../src-main/engine/metrics';
import { assertClose } from '../helpers';

const mixture = { means: [[0, 0], [10, 0]], stds: [1, 1], weights: [0.75, 0.25] };

test('each sample counts for its component; the error is the largest |share − weight|', () => {
  // Six samples near (0, 0), four near (10, 0): shares 0.6 and 0.4.
  const near0 = [0, 0, 1, 0, -1, 0, 0, 1, 0, -1, 0.5, 0.5];
  const near1 = [10, 0, 11, 0, 9, 0, 10, 1];
  const metrics = modeShares(Float32Array.from([...near0, ...near1]), 2, mixture);
  assert.equal(metrics.n, 10);
  assert.deepEqual(metrics.modeShares, [
    { share: 0.6, weight: 0.75 },
    { share: 0.4, weight: 0.25 },
  ]);
  assertClose(metrics.modeShareError!, 0.15, 1e-12, 'error');
});

test('a sample halfway between equal-width components goes to the heavier one', () => {
  const metrics = modeShares(Float32Array.from([5, 0]), 2, mixture);
  assert.deepEqual(metrics.modeShares!.map((m) => m.share), [1, 0]);
});

test('assignment follows the posterior responsibility, not the nearest mean', () => {
  // x = (6, 0): nearer the narrow component at 10 (distance 4) than the wide one at 0 (distance 6),
  // but log w − D·log σ − d²/(2σ²) is −0.69 − 2.20 − 2 = −4.89 for N(0, 3²) against
  // −0.69 + 1.39 − 32 = −31.3 for N(10, 0.5²).
  const metrics = modeShares(Float32Array.from([6, 0]), 2, { means: [[0, 0], [10, 0]], stds: [3, 0.5], weights: [0.5, 0.5] });
  assert.deepEqual(metrics.modeShares!.map((m) => m.share), [1, 0]);
});

test('a non-finite sample belongs to no component, so the shares no longer sum to 1', () => {
  const metrics = modeShares(Float32Array.from([0, 0, NaN, 0]), 2, mixture);
  assert.deepEqual(metrics.modeShares!.map((m) => m.share), [0.5, 0]);
  assert.equal(metrics.n, 2);
});

test('without a known mixture the metrics are just the sample count', () => {
  assert.deepEqual(sampleMetrics(new Float32Array(6), { dim: 3 }), { n: 2 });
});

test('a sample is off the support when it is farther than 4 stds from every mean, each in its own std', () => {
  // Components N((0,0), 1²) and N((10,0), 0.1²): (3.9, 0) is 3.9 stds from the first; (10, 0.39)
  // 3.9 stds from the second; (4.1, 0) is 4.1 from the first and 59 from the second; (10, 0.41)
  // 4.1 from the second and 10 from the first; a NaN sample is nowhere.
  const narrow = { means: [[0, 0], [10, 0]], stds: [1, 0.1], weights: [0.5, 0.5] };
  const on = modeShares(Float32Array.from([3.9, 0, 10, 0.39]), 2, narrow);
  assert.equal(on.offSupport, 0);
  const off = modeShares(Float32Array.from([4.1, 0, 10, 0.41, NaN, 0, 0, 0]), 2, narrow);
  assert.equal(off.offSupport, 3 / 4);
});

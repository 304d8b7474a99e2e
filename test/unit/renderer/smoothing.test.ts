import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emaSmooth } from '../../../src-renderer/src/lib/smoothing';

const close = (actual: number[], expected: number[], tol = 1e-12) => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `at ${i}: ${a} vs ${expected[i]}`));
};

test('the first smoothed value is the first value: debiasing removes the pull towards the zero start', () => {
  for (const w of [0.3, 0.6, 0.99]) assert.equal(emaSmooth([5, 1, 1], w)[0], 5);
});

test('smoothed_t = ema_t / (1 − w^t), with ema_t = w·ema_{t−1} + (1 − w)·y_t and ema_0 = 0', () => {
  const y = [4, 2, 8, -1];
  const w = 0.6;
  // Closed form: ema_t = (1 − w)·Σ_{k≤t} w^{t−k} y_k.
  const expected = y.map((_, t) => {
    let ema = 0;
    for (let k = 0; k <= t; k++) ema += (1 - w) * w ** (t - k) * y[k];
    return ema / (1 - w ** (t + 1));
  });
  close(emaSmooth(y, w), expected);
  // The debiased EMA is a weighted mean of the values so far: weights w^{t−k}, normalised.
  close(emaSmooth([1, 3], 0.5), [1, (0.5 * 1 + 3) / 1.5]);
});

test('weight 0 returns the values; a constant series stays exactly constant', () => {
  assert.deepEqual(emaSmooth([3, 1, 2], 0), [3, 1, 2]);
  assert.deepEqual(emaSmooth([0.1, 0.1, 0.1, 0.1], 0.9), [0.1, 0.1, 0.1, 0.1]);
});

test('non-finite values pass through and do not count towards the debiasing', () => {
  const out = emaSmooth([2, NaN, 4], 0.5);
  assert.ok(Number.isNaN(out[1]));
  close([out[0], out[2]], emaSmooth([2, 4], 0.5));
});

test('weights outside [0, 1) are refused', () => {
  assert.throws(() => emaSmooth([1], 1), RangeError);
  assert.throws(() => emaSmooth([1], -0.1), RangeError);
});

/**
 * How measured values read: to the significant digits asked for, in plain or scientific notation,
 * with the standard error beside an estimate that has one; the same in every locale.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEstimate, formatNumber, METRIC_DIGITS } from '../../../src-renderer/src/lib/format';

test('scientific notation keeps every significant digit asked for, so nearby metrics read apart', () => {
  // Two MMD² values that agree to two digits.
  assert.equal(formatNumber(8.697e-4, METRIC_DIGITS), '8.697e-4');
  assert.equal(formatNumber(8.685e-4, METRIC_DIGITS), '8.685e-4');
  assert.equal(formatNumber(8.697e-4, 2), '8.7e-4');
  assert.equal(formatNumber(-1.23456e-5, 3), '-1.23e-5');
  assert.equal(formatNumber(2.5e7, 3), '2.50e7');
  // Between 10⁻³ and 10⁶: plain, to the same digits, trailing zeros dropped.
  assert.equal(formatNumber(0.0123456, 4), '0.01235');
  assert.equal(formatNumber(12345.678, 4), '12350');
  assert.equal(formatNumber(0.5, 4), '0.5');
});

test('an estimate reads "value ± standard error": the value to 4 significant digits, the error to 2', () => {
  assert.equal(formatEstimate(8.697e-4, 2.1234e-4), '8.697e-4 ± 2.1e-4');
  assert.equal(formatEstimate(0.04733, 0.009597), '0.04733 ± 0.0096');
  assert.equal(formatEstimate(0.04733), '0.04733');
  assert.equal(formatEstimate(0.04733, null), '0.04733');
  assert.equal(formatEstimate(null, 0.1), '—');
});

test('formatting does not follow the process locale', () => {
  // toLocaleString would write 8,697 in German; the formatter must not.
  const original = Number.prototype.toLocaleString;
  Number.prototype.toLocaleString = function (this: number) {
    return original.call(this, 'de-DE');
  };
  try {
    assert.equal(formatNumber(1234.5678, 6), '1234.57');
    assert.equal(formatEstimate(8.697e-4, 2.1e-4), '8.697e-4 ± 2.1e-4');
  } finally {
    Number.prototype.toLocaleString = original;
  }
});

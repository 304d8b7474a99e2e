import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src-main/engine/random';
import { assertClose } from './helpers';

test('a seed and stream name always give the same numbers', () => {
  const a = createRng(42, 'batches');
  const b = createRng(42, 'batches');
  const draw = (r: ReturnType<typeof createRng>) => [r.uniform(), r.normal(), r.int(1000), ...r.normals(5)];
  assert.deepEqual(draw(a), draw(b));
});

test('different seeds, or different streams of one seed, give different numbers', () => {
  const first = (seed: number, stream: string) => createRng(seed, stream).uniform();
  assert.notEqual(first(1, 'data'), first(2, 'data'));
  assert.notEqual(first(1, 'data'), first(1, 'batches'));
});

test('uniform draws lie in [0, 1) with mean ½ and variance 1/12', () => {
  const rng = createRng(1, 'u');
  const n = 100_000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    sumSq += u * u;
  }
  assertClose(sum / n, 0.5, 0.005, 'mean'); // standard error 0.0009
  assertClose(sumSq / n - (sum / n) ** 2, 1 / 12, 0.003, 'variance');
});

test('normal draws have mean 0, variance 1 and kurtosis 3', () => {
  const values = createRng(2, 'n').normals(200_000);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const m2 = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const m4 = values.reduce((a, b) => a + (b - mean) ** 4, 0) / n;
  assertClose(mean, 0, 0.01, 'mean'); // standard error 0.0022
  assertClose(m2, 1, 0.015, 'variance'); // standard error 0.0032
  assertClose(m4 / (m2 * m2), 3, 0.06, 'kurtosis'); // standard error ≈ √(24/n) ≈ 0.011
});

test('integers are uniform over [0, n)', () => {
  const rng = createRng(3, 'i');
  const counts = new Array<number>(7).fill(0);
  for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
  counts.forEach((c, k) => assertClose(c / 70_000, 1 / 7, 0.008, `share of ${k}`)); // standard error 0.0013
});

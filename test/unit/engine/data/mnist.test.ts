/**
 * The MNIST loader and its split, and the image-quality metrics computed on real digits with the
 * bundled classifier.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { parseExperimentConfig } from '../../../../src-shared/config';
import { loadDataset } from '../../../../src-main/engine/data';
import { MNIST_DIM, mnistDataset, mnistSplit } from '../../../../src-main/engine/data/mnist';
import { frechetFeatureDistance, kernelInceptionDistance } from '../../../../src-main/engine/metrics/feature-distances';
import { bundledClassifier, imageQuality } from '../../../../src-main/engine/metrics/image-quality';
import { FEATURE_DIM } from '../../../../src-main/engine/metrics/mnist-classifier';
import weightsFile from '../../../../src-main/engine/metrics/mnist-classifier.weights.json';
import { createRng } from '../../../../src-main/engine/random';
import { useEngineBackend } from '../helpers';

useEngineBackend();

const packageRows = (d: number): number[] => (createRequire(__filename)(`mnist/src/digits/${d}.json`) as { data: number[] }).data;

/** Rows as strings, to compare sets of images exactly. */
function rowSet(points: Float32Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < points.length / MNIST_DIM; i++) out.add(points.subarray(i * MNIST_DIM, (i + 1) * MNIST_DIM).join(','));
  return out;
}

test("the split keeps the last fifth of each class's package rows for testing", () => {
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const raw = packageRows(d);
    const rows = raw.length / MNIST_DIM;
    total += rows;
    const test = mnistSplit('test', [d]);
    const train = mnistSplit('train', [d]);
    assert.equal(test.n, Math.floor(rows / 5), `class ${d}`);
    assert.equal(train.n + test.n, rows);
    assert.deepEqual(Array.from(test.points.subarray(0, MNIST_DIM)), raw.slice(train.n * MNIST_DIM, (train.n + 1) * MNIST_DIM).map(Math.fround));
    assert.ok(test.labels.every((l) => l === d) && train.labels.every((l) => l === d));
  }
  assert.equal(total, 10_000, 'the package ships 10,000 digits');
  assert.equal(mnistSplit('train').n + mnistSplit('test').n, total);
});

test('the loader returns n seeded 28×28 images in [0, 1], training digits first, the unused test digits held out', async () => {
  const trainN = mnistSplit('train').n;
  const testN = mnistSplit('test').n;
  const config = parseExperimentConfig({ data: { kind: 'mnist', n: 3000 } });
  assert.ok(config.ok);
  const data = await loadDataset(config.config.data, { rng: createRng(0, 'data'), baseDir: '.' });
  assert.equal(data.n, 3000);
  assert.equal(data.dim, MNIST_DIM);
  assert.deepEqual(data.image, { height: 28, width: 28, channels: 1 });
  assert.ok(data.points.every((v) => v >= 0 && v <= 1));
  const training = rowSet(data.points);
  const trainSplit = rowSet(mnistSplit('train').points);
  assert.ok([...training].every((row) => trainSplit.has(row)), 'n within the training split: training digits only');
  assert.equal(data.heldOut!.length / MNIST_DIM, testN);
  assert.deepEqual(mnistDataset({ n: 3000 }, createRng(0, 'data')).points, data.points, 'same seed, same digits');
  assert.notDeepEqual(mnistDataset({ n: 3000 }, createRng(1, 'data')).points, data.points, 'another seed, another order');

  // Asking for more than the training split takes test digits, which are then no longer held out.
  const all = mnistDataset({ n: trainN + 100 }, createRng(0, 'data'));
  assert.equal(all.heldOut!.length / MNIST_DIM, testN - 100);
  const heldOut = rowSet(all.heldOut!);
  assert.ok([...rowSet(all.points)].every((row) => !heldOut.has(row)), 'no held-out digit is trained on');
});

test('digits restricts the classes, and an n beyond them is refused naming data.n', () => {
  const data = mnistDataset({ n: 500, digits: [3, 7] }, createRng(0, 'data'));
  const allowed = new Set([...rowSet(mnistSplit('train', [3, 7]).points), ...rowSet(mnistSplit('test', [3, 7]).points)]);
  assert.ok([...rowSet(data.points)].every((row) => allowed.has(row)));
  const available = mnistSplit('train', [3, 7]).n + mnistSplit('test', [3, 7]).n;
  assert.throws(() => mnistDataset({ n: available + 1, digits: [3, 7] }, createRng(0, 'data')), /^Error: data\.n: .*lower data\.n/);
  const tooMany = parseExperimentConfig({ data: { kind: 'mnist', n: 20_000 } });
  assert.ok(!tooMany.ok && tooMany.issues.some((i) => i.field === 'data.n'));
  const badDigit = parseExperimentConfig({ data: { kind: 'mnist', digits: [10] } });
  assert.ok(!badDigit.ok && badDigit.issues.some((i) => i.field === 'data.digits[0]'));
});

test("the bundled classifier's test accuracy, measured here, is the one its weights file recorded, and above 90%", async () => {
  const { accuracy, testN } = await bundledClassifier();
  assert.equal(testN, weightsFile.testN);
  // One digit's worth of slack: an argmax tie could fall the other way on another backend.
  assert.ok(Math.abs(accuracy - weightsFile.testAccuracy) <= 1 / testN, `${accuracy} against ${weightsFile.testAccuracy}`);
  assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
});

test('in classifier features, held-out digits against themselves split in two score ≈ 0; noise scores far above', async () => {
  const { classifier } = await bundledClassifier();
  const test = mnistSplit('test');
  // Interleaved halves, so each has every class.
  const halves = [0, 1].map((parity) => {
    const rows = Array.from({ length: test.n }, (_, i) => i).filter((i) => i % 2 === parity);
    const out = new Float32Array(rows.length * MNIST_DIM);
    rows.forEach((r, k) => out.set(test.points.subarray(r * MNIST_DIM, (r + 1) * MNIST_DIM), k * MNIST_DIM));
    return out;
  });
  const a = await classifier.features(halves[0]);
  const b = await classifier.features(halves[1]);
  assert.ok(Math.abs(frechetFeatureDistance(a, a, FEATURE_DIM)) < 1e-6 * frechetFeatureDistance(a, b, FEATURE_DIM) + 1e-6, 'a set against itself');

  // KID over 4 disjoint pairs of quarter-sets: the mean within 3 standard errors of 0.
  const quarter = (f: Float32Array, q: number) => {
    const rows = Math.floor(f.length / FEATURE_DIM / 4);
    return f.subarray(q * rows * FEATURE_DIM, (q + 1) * rows * FEATURE_DIM);
  };
  const kids = [0, 1, 2, 3].map((q) => kernelInceptionDistance(quarter(a, q), quarter(b, q), FEATURE_DIM));
  const mean = kids.reduce((s, v) => s + v, 0) / 4;
  const sd = Math.sqrt(kids.reduce((s, v) => s + (v - mean) ** 2, 0) / 3);
  assert.ok(Math.abs(mean) <= (3 * sd) / 2, `KID ${kids}: mean ${mean}, standard error ${sd / 2}`);

  // Uniform noise images: far from digits in both metrics.
  const rng = createRng(0, 'noise');
  const noise = Float32Array.from({ length: 500 * MNIST_DIM }, () => rng.uniform());
  const vsNoise = (await imageQuality(noise, 0, test.points, createRng(0, 'eval')))!;
  const vsDigits = (await imageQuality(halves[0], 3, halves[1], createRng(0, 'eval')))!;
  assert.ok(vsDigits.fid < 0.05 * vsNoise.fid, `FID digits ${vsDigits.fid} against noise ${vsNoise.fid}`);
  assert.ok(vsDigits.kid < 0.05 * vsNoise.kid, `KID digits ${vsDigits.kid} against noise ${vsNoise.kid}`);
  assert.equal(vsDigits.nSamples, halves[0].length / MNIST_DIM);
  assert.equal(vsDigits.nReference, halves[1].length / MNIST_DIM);
  assert.equal(vsDigits.nonFinite, 3, 'the count of dropped samples is passed through');
  assert.equal(vsNoise.nReference, Math.min(test.n, 2000));
});

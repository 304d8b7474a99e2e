/**
 * The digit classifier whose features the image metrics compare (FID and KID need a network that
 * knows digits; Inception's ImageNet features do not fit 28×28 MNIST, so, as is usual for MNIST, a
 * small classifier trained on it stands in). An MLP 784 → 128 → 64 → 10 with ReLU; the features
 * are the 64 activations before the output layer.
 *
 * It trains once, on the training split of the mnist package (engine/data/mnist.ts: 8,004 digits),
 * by `node --import tsx scripts/train-mnist-classifier.ts`, which writes its weights to
 * mnist-classifier.weights.json beside this file; the engine reads them from there (bundled, so a
 * clean checkout works offline) and measures the accuracy on the test split (1,996 digits) itself.
 */
import * as tf from '@tensorflow/tfjs';
import { MNIST_DIM, mnistSplit, type MnistSplit } from '../data/mnist';
import { linear } from '../networks/linear';
import { NamedWeights } from '../networks/named-weights';
import type { Rng } from '../random';
import type { NamedTensor } from '../types';

/** Layer widths: input, the two hidden layers (the last is the feature layer), the 10 classes. */
export const CLASSIFIER_WIDTHS = [MNIST_DIM, 128, 64, 10] as const;
export const FEATURE_DIM = CLASSIFIER_WIDTHS[2];

/** The training recipe the weights file was made with (recorded in it). */
export const CLASSIFIER_TRAINING = { seed: 0, epochs: 15, batchSize: 128, lr: 1e-3 } as const;

/** Rows per forward pass: bounds the activations held at once. */
const CHUNK = 1024;

export class MnistClassifier {
  private constructor(private readonly weights: NamedWeights) {}

  /** Glorot-initialised weights from `rng`, zero biases: the start of training. */
  static initial(rng: Rng): MnistClassifier {
    return MnistClassifier.build((weights, name, fanIn, fanOut) => weights.glorot(name, [fanIn, fanOut], fanIn, fanOut, rng));
  }

  /** The classifier with saved weights (getWeights' output). */
  static fromWeights(tensors: NamedTensor[]): MnistClassifier {
    const classifier = MnistClassifier.build((weights, name, fanIn, fanOut) => weights.zeros(name, [fanIn, fanOut]));
    classifier.weights.set(tensors);
    return classifier;
  }

  private static build(kernel: (weights: NamedWeights, name: string, fanIn: number, fanOut: number) => void): MnistClassifier {
    const weights = new NamedWeights();
    for (let l = 0; l + 1 < CLASSIFIER_WIDTHS.length; l++) {
      kernel(weights, `classifier/dense${l}/kernel`, CLASSIFIER_WIDTHS[l], CLASSIFIER_WIDTHS[l + 1]);
      weights.zeros(`classifier/dense${l}/bias`, [CLASSIFIER_WIDTHS[l + 1]]);
    }
    return new MnistClassifier(weights);
  }

  get variables(): tf.Variable[] {
    return this.weights.variables;
  }

  getWeights(): Promise<NamedTensor[]> {
    return this.weights.get();
  }

  private layer(l: number): [tf.Tensor2D, tf.Tensor1D] {
    return [this.weights.variables[2 * l] as tf.Tensor2D, this.weights.variables[2 * l + 1] as tf.Tensor1D];
  }

  /** The penultimate activations, [n, FEATURE_DIM]. */
  featureTensor(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.relu(linear(x, ...this.layer(0)));
      return tf.relu(linear(h, ...this.layer(1)));
    });
  }

  /** The class scores before the softmax, [n, 10]. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => linear(this.featureTensor(x), ...this.layer(2)));
  }

  /** Features of n rows of MNIST_DIM values, row-major [n, FEATURE_DIM]. */
  async features(points: Float32Array): Promise<Float32Array> {
    const n = points.length / MNIST_DIM;
    const out = new Float32Array(n * FEATURE_DIM);
    for (let at = 0; at < n; at += CHUNK) {
      const rows = Math.min(CHUNK, n - at);
      const f = tf.tidy(() => this.featureTensor(tf.tensor2d(points.subarray(at * MNIST_DIM, (at + rows) * MNIST_DIM), [rows, MNIST_DIM])));
      out.set(await f.data(), at * FEATURE_DIM);
      f.dispose();
    }
    return out;
  }

  /** The share of the split's digits whose largest logit is their label. */
  async accuracy(split: MnistSplit): Promise<number> {
    let correct = 0;
    for (let at = 0; at < split.n; at += CHUNK) {
      const rows = Math.min(CHUNK, split.n - at);
      const predicted = tf.tidy(() => tf.argMax(this.logits(tf.tensor2d(split.points.subarray(at * MNIST_DIM, (at + rows) * MNIST_DIM), [rows, MNIST_DIM])), 1));
      const labels = await predicted.data();
      predicted.dispose();
      for (let i = 0; i < rows; i++) if (labels[i] === split.labels[at + i]) correct++;
    }
    return correct / split.n;
  }

  dispose(): void {
    this.weights.dispose();
  }
}

/**
 * Trains a classifier on the training split: Adam on the softmax cross-entropy, the split shuffled
 * each epoch from `rng`. Returns it with its accuracy on both splits.
 */
export async function trainMnistClassifier(
  rng: Rng,
  onEpoch?: (epoch: number, loss: number) => void,
): Promise<{ classifier: MnistClassifier; trainAccuracy: number; testAccuracy: number }> {
  const { epochs, batchSize, lr } = CLASSIFIER_TRAINING;
  const train = mnistSplit('train');
  const classifier = MnistClassifier.initial(rng);
  const optimizer = tf.train.adam(lr);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const batch = new Float32Array(batchSize * MNIST_DIM);
  const labels = new Int32Array(batchSize);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = train.n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    let batches = 0;
    for (let at = 0; at + batchSize <= train.n; at += batchSize) {
      for (let b = 0; b < batchSize; b++) {
        const row = order[at + b];
        batch.set(train.points.subarray(row * MNIST_DIM, (row + 1) * MNIST_DIM), b * MNIST_DIM);
        labels[b] = train.labels[row];
      }
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(batch, [batchSize, MNIST_DIM]);
        const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, classifier.logits(x)) as tf.Scalar, true, classifier.variables)!;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      batches++;
    }
    onEpoch?.(epoch + 1, lossSum / batches);
  }
  optimizer.dispose();
  return { classifier, trainAccuracy: await classifier.accuracy(train), testAccuracy: await classifier.accuracy(mnistSplit('test')) };
}

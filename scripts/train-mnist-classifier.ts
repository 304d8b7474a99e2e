/**
 * Trains the image metrics' digit classifier once and writes its weights beside the module that
 * reads them (src-main/engine/metrics/mnist-classifier.weights.json), base64 float32:
 *
 *   node --import tsx scripts/train-mnist-classifier.ts
 *
 * Seeded, on the wasm backend, so a rerun on the same machine writes the same file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { CLASSIFIER_TRAINING, CLASSIFIER_WIDTHS, trainMnistClassifier } from '../src-main/engine/metrics/mnist-classifier';
import { mnistSplit } from '../src-main/engine/data/mnist';
import { createRng } from '../src-main/engine/random';

async function main(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('wasm');
  await tf.ready();
  const { classifier, trainAccuracy, testAccuracy } = await trainMnistClassifier(createRng(CLASSIFIER_TRAINING.seed, 'mnist-classifier'), (epoch, loss) =>
    console.error(`epoch ${epoch}: cross-entropy ${loss.toFixed(4)}`),
  );
  const file = {
    about: 'Weights of the MNIST classifier whose features the image metrics use (src-main/engine/metrics/mnist-classifier.ts); written by scripts/train-mnist-classifier.ts.',
    widths: CLASSIFIER_WIDTHS,
    training: CLASSIFIER_TRAINING,
    trainN: mnistSplit('train').n,
    testN: mnistSplit('test').n,
    trainAccuracy,
    testAccuracy,
    tensors: (await classifier.getWeights()).map((w) => ({ name: w.name, shape: w.shape, base64: Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).toString('base64') })),
  };
  const path = join(__dirname, '..', 'src-main', 'engine', 'metrics', 'mnist-classifier.weights.json');
  writeFileSync(path, JSON.stringify(file, null, 1) + '\n');
  console.error(`train accuracy ${trainAccuracy.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)}; wrote ${path}`);
}

void main();

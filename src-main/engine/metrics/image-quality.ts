/**
 * Image sample quality (MNIST): FID and KID between generated digits and held-out digits, in the
 * features of the bundled digit classifier (mnist-classifier.ts), with that classifier's test
 * accuracy beside them so a reader can judge the features.
 */
import type { ImageQualityMetrics } from '../../../src-shared/api';
import { MNIST_DIM, mnistSplit } from '../data/mnist';
import { subsampleRows } from '../data/subsample';
import type { Rng } from '../random';
import type { NamedTensor } from '../types';
import { frechetFeatureDistance, kernelInceptionDistance } from './feature-distances';
import { FEATURE_DIM, MnistClassifier } from './mnist-classifier';
import weightsFile from './mnist-classifier.weights.json';

/** KID is O(n²): at most this many samples (and reference digits) keep it to about a second. */
export const MAX_IMAGE_METRIC_POINTS = 2000;

let loaded: { classifier: MnistClassifier; accuracy: number; testN: number } | null = null;

/** The bundled classifier and its accuracy on the test split, measured once per process. */
export async function bundledClassifier(): Promise<{ classifier: MnistClassifier; accuracy: number; testN: number }> {
  if (!loaded) {
    const tensors: NamedTensor[] = weightsFile.tensors.map((t) => {
      const bytes = Buffer.from(t.base64, 'base64');
      // Copied into a fresh buffer: a Float32Array view needs 4-byte alignment, which Buffer's pool does not promise.
      return { name: t.name, shape: t.shape, data: new Float32Array(new Uint8Array(bytes).buffer) };
    });
    const classifier = MnistClassifier.fromWeights(tensors);
    const test = mnistSplit('test');
    loaded = { classifier, accuracy: await classifier.accuracy(test), testN: test.n };
  }
  return loaded;
}

/**
 * FID and KID of `samples` (finite rows of MNIST_DIM values) against `reference` (held-out digits),
 * each subsampled (seeded) to at most MAX_IMAGE_METRIC_POINTS. The samples are clipped to [0, 1],
 * the data's range, as NCSN clips its final samples: Langevin leaves noise of the last σ around it.
 * Undefined when either set has fewer than 2 rows.
 */
export async function imageQuality(samples: Float32Array, nonFinite: number, reference: Float32Array, rng: Rng): Promise<ImageQualityMetrics | undefined> {
  const nSamples = Math.min(samples.length / MNIST_DIM, MAX_IMAGE_METRIC_POINTS);
  const nReference = Math.min(reference.length / MNIST_DIM, MAX_IMAGE_METRIC_POINTS);
  if (nSamples < 2 || nReference < 2) return undefined;
  const x = subsampleRows({ points: samples, n: samples.length / MNIST_DIM, dim: MNIST_DIM }, nSamples, rng).map((v) => Math.min(1, Math.max(0, v)));
  const y = subsampleRows({ points: reference, n: reference.length / MNIST_DIM, dim: MNIST_DIM }, nReference, rng);
  const { classifier, accuracy, testN } = await bundledClassifier();
  const fx = await classifier.features(x);
  const fy = await classifier.features(y);
  return {
    fid: frechetFeatureDistance(fx, fy, FEATURE_DIM),
    kid: kernelInceptionDistance(fx, fy, FEATURE_DIM),
    nSamples,
    nReference,
    nonFinite,
    features: `MLP classifier ${weightsFile.widths.join('-')}, penultimate layer`,
    featureDim: FEATURE_DIM,
    classifierAccuracy: accuracy,
    classifierTestN: testN,
  };
}

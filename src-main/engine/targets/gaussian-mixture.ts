import * as tf from '@tensorflow/tfjs';
import type { Mixture } from '../data/types';

/**
 * Toy targets whose density is known in closed form: here the isotropic Gaussian mixture
 * p(x) = Σ_k w_k·N(x; μ_k, s_k²I), and its noise-perturbed versions.
 *
 * Perturbing by x̃ = x + σz, z ~ N(0, I), convolves each component with N(0, σ²I), so
 * p_σ = Σ_k w_k·N(μ_k, (s_k² + σ²)I): the same mixture with stds √(s_k² + σ²).
 */
export function perturbedMixture(mixture: Mixture, sigma: number): Mixture {
  return { ...mixture, stds: mixture.stds.map((s) => Math.sqrt(s * s + sigma * sigma)) };
}

/** log w_k + log N(x; μ_k, v_k·I) for each component k, with v_k = s_k² (float64). */
function componentLogTerms(mixture: Mixture, x: ArrayLike<number>): number[] {
  const dim = x.length;
  return mixture.means.map((mean, k) => {
    const v = mixture.stds[k] * mixture.stds[k];
    let d2 = 0;
    for (let j = 0; j < dim; j++) d2 += (x[j] - mean[j]) ** 2;
    return Math.log(mixture.weights[k]) - 0.5 * dim * Math.log(2 * Math.PI * v) - d2 / (2 * v);
  });
}

/** log Σ_k exp(a_k), shifted by the largest term so that no exp overflows. */
function logSumExp(terms: number[]): number {
  const top = Math.max(...terms);
  if (top === -Infinity) return -Infinity;
  return top + Math.log(terms.reduce((acc, t) => acc + Math.exp(t - top), 0));
}

/** log p(x) = log Σ_k w_k·N(x; μ_k, s_k²I), in float64. */
export function mixtureLogDensity(mixture: Mixture, x: ArrayLike<number>): number {
  return logSumExp(componentLogTerms(mixture, x));
}

/**
 * ∇ₓ log p(x) = Σ_k r_k(x)·(μ_k − x)/s_k², with the posterior responsibilities
 * r_k(x) = w_k·N(x; μ_k, s_k²I)/p(x), in float64.
 */
export function mixtureScore(mixture: Mixture, x: ArrayLike<number>): Float64Array {
  const terms = componentLogTerms(mixture, x);
  const logP = logSumExp(terms);
  const score = new Float64Array(x.length);
  mixture.means.forEach((mean, k) => {
    const r = Math.exp(terms[k] - logP);
    const v = mixture.stds[k] * mixture.stds[k];
    for (let j = 0; j < x.length; j++) score[j] += (r * (mean[j] - x[j])) / v;
  });
  return score;
}

/**
 * log w_k + log N(x; μ_k, v_k·I) with v_k = s_k² + σ², per row and component: [n, K], plus each
 * component's μ_k − x ([n, D]) and v_k ([n, 1] or [1, 1], as `sigma` is). Call inside tf.tidy.
 */
function componentLogTermsTensor(mixture: Mixture, x: tf.Tensor2D, sigma: tf.Tensor2D) {
  const dim = x.shape[1];
  const sigma2 = tf.square(sigma);
  const variances = mixture.stds.map((s) => tf.add(sigma2, s * s));
  const diffs = mixture.means.map((mean) => tf.sub(tf.tensor2d([mean]), x));
  const logTerms = mixture.means.map((_, k) =>
    tf.sub(
      tf.sub(Math.log(mixture.weights[k]), tf.mul(0.5 * dim, tf.log(tf.mul(2 * Math.PI, variances[k])))),
      tf.div(tf.sum(tf.square(diffs[k]), 1, true), tf.mul(2, variances[k])),
    ),
  );
  return { logTerms: tf.concat(logTerms, 1), diffs, variances };
}

/**
 * The batched form of mixtureScore for training: row j is ∇ log p_σⱼ(x_j), the score of the mixture
 * perturbed at that row's own level (`x` [n, D], `sigma` [n, 1], or [1, 1] for one level for every
 * row). The same formula as mixtureScore, with v_k = s_k² + σ² and the responsibilities a softmax
 * over the components' log terms.
 */
export function perturbedMixtureScoreTensor(mixture: Mixture, x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const { logTerms, diffs, variances } = componentLogTermsTensor(mixture, x, sigma);
    const responsibilities = tf.softmax(logTerms); // [n, K]
    const terms = diffs.map((diff, k) => tf.mul(tf.slice(responsibilities, [0, k], [-1, 1]), tf.div(diff, variances[k])));
    return tf.addN(terms) as tf.Tensor2D;
  });
}

/** The batched form of mixtureLogDensity: row j is log p_σⱼ(x_j), exactly normalised ([n]). */
export function perturbedMixtureLogDensityTensor(mixture: Mixture, x: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.logSumExp(componentLogTermsTensor(mixture, x, sigma).logTerms, 1) as tf.Tensor1D);
}

/** Shared by the sampler tests: sample moments, their standard errors, and schedules by hand. */
import { assertClose } from '../helpers';

/** Mean vector and covariance matrix (divisor n) of row-major [n, dim] samples, in float64. */
export function moments(samples: ArrayLike<number>, dim: number): { mean: number[]; cov: number[][] } {
  const n = samples.length / dim;
  const mean = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += samples[i * dim + j] / n;
  const cov = mean.map(() => new Array<number>(dim).fill(0));
  for (let i = 0; i < n; i++)
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) cov[a][b] += ((samples[i * dim + a] - mean[a]) * (samples[i * dim + b] - mean[b])) / n;
  return { mean, cov };
}

/** How many standard errors the moment checks allow: a false alarm per check is ≈ 6·10⁻⁵. */
export const STANDARD_ERRORS = 4;

/**
 * Checks n independent draws against a Gaussian's mean and covariance, each within
 * STANDARD_ERRORS standard errors: √(Σ_jj/n) for a mean, √((Σ_aa·Σ_bb + Σ_ab²)/n) for a
 * covariance entry (Σ_jj·√(2/n) on the diagonal), the normal-theory values.
 */
export function assertGaussianMoments(
  samples: ArrayLike<number>,
  dim: number,
  mean: number[],
  cov: number[][],
  what: string,
): { mean: number[]; cov: number[][] } {
  const n = samples.length / dim;
  const got = moments(samples, dim);
  for (let j = 0; j < dim; j++) assertClose(got.mean[j], mean[j], STANDARD_ERRORS * Math.sqrt(cov[j][j] / n), `${what}: mean[${j}]`);
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < dim; b++) {
      const se = Math.sqrt((cov[a][a] * cov[b][b] + cov[a][b] ** 2) / n);
      assertClose(got.cov[a][b], cov[a][b], STANDARD_ERRORS * se, `${what}: cov[${a}][${b}]`);
    }
  return got;
}

/** Moments as one line for a test's diagnostics. */
export function formatMoments({ mean, cov }: { mean: number[]; cov: number[][] }): string {
  return `mean (${mean.map((m) => m.toFixed(4)).join(', ')}), cov ${JSON.stringify(cov.map((row) => row.map((c) => Number(c.toFixed(4)))))}`;
}

/** x_0 for n chains: every chain at `point`. */
export function repeatRows(point: number[], n: number): Float32Array {
  const out = new Float32Array(n * point.length);
  for (let i = 0; i < n; i++) out.set(point, i * point.length);
  return out;
}

/**
 * Checks the mean and covariance of n independent draws from any distribution against closed
 * forms, each within STANDARD_ERRORS standard errors estimated from the draws themselves: sd(x_j)/√n
 * for a mean, sd((x_a − m_a)(x_b − m_b))/√n for a covariance entry (no normality assumed).
 */
export function assertMoments(samples: ArrayLike<number>, dim: number, mean: number[], cov: number[][], what: string): { mean: number[]; cov: number[][] } {
  const n = samples.length / dim;
  const got = moments(samples, dim);
  for (let j = 0; j < dim; j++) assertClose(got.mean[j], mean[j], STANDARD_ERRORS * Math.sqrt(got.cov[j][j] / n), `${what}: mean[${j}]`);
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < dim; b++) {
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < n; i++) {
        const p = (samples[i * dim + a] - got.mean[a]) * (samples[i * dim + b] - got.mean[b]);
        sum += p;
        sum2 += p * p;
      }
      const se = Math.sqrt((sum2 / n - (sum / n) ** 2) / n);
      assertClose(got.cov[a][b], cov[a][b], STANDARD_ERRORS * se, `${what}: cov[${a}][${b}]`);
    }
  return got;
}

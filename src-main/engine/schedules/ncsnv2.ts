/**
 * NCSNv2's noise levels (Song & Ermon 2020, "Improved Techniques for Training Score-Based
 * Generative Models", §3.1–3.2): Technique 1 sets σ_1 to the largest pairwise distance of the data,
 * Technique 2 makes the levels geometric with a ratio γ at which a sample at one level still falls
 * in the previous level's high-density shell about half the time.
 */
import type { ScheduleConfig } from '../../../src-shared/config';
import { MAX_LEVELS, NCSNV2_MIN_DIM } from '../../../src-shared/config';
import type { Dataset } from '../data';
import type { Rng } from '../random';
import { pairRows, pairwiseDistances, percentile } from './pairwise';
import { spacedLevels } from './spacings';

type Ncsnv2Config = Extract<ScheduleConfig, { kind: 'ncsnv2' }>;

/**
 * Φ, the standard normal CDF, as ½·erfc(−x/√2), with Numerical Recipes' erfc (Press et al., §6.2,
 * "erfcc": a Chebyshev fit with fractional error below 1.2·10⁻⁷ everywhere).
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * Technique 2's overlap of adjacent levels with ratio γ = σ_{i−1}/σ_i in dimension D:
 * Φ(√(2D)(γ−1) + 3γ) − Φ(√(2D)(γ−1) − 3γ), the chance that ‖x‖ of x ~ N(0, σ_i²I) lies in the
 * shell √D·σ_{i−1} ± 3σ_{i−1}/√2 where ‖x‖ of x ~ N(0, σ_{i−1}²I) concentrates (‖x‖ ≈ N(√D·σ, σ²/2)).
 */
export function levelOverlap(gamma: number, dim: number): number {
  const a = Math.sqrt(2 * dim) * (gamma - 1);
  return normalCdf(a + 3 * gamma) - normalCdf(a - 3 * gamma);
}

/**
 * The ratio γ* > 1 at which levelOverlap is ½, by bisection. It exists from D = 5 on: the lower
 * argument (√(2D) − 3)·γ − √(2D) must grow past 0, which needs √(2D) > 3. Below, every ratio
 * leaves the overlap above 0.997 (the shell reaches down to the origin), and this returns null.
 */
export function overlapRatio(dim: number): number | null {
  if (dim < NCSNV2_MIN_DIM) return null;
  let lo = 1;
  let hi = 2;
  while (levelOverlap(hi, dim) > 0.5) [lo, hi] = [hi, hi * 2];
  // Float64 halving reaches adjacent doubles long before 200 rounds.
  for (let round = 0; round < 200 && hi - lo > 1e-15 * hi; round++) {
    const mid = (lo + hi) / 2;
    if (levelOverlap(mid, dim) > 0.5) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * σ_1 = the data's largest pairwise distance, down to σ_L = sigmaMin geometrically. L is the
 * config's `levels` when given, else the fewest levels whose ratio (σ_1/σ_L)^(1/(L−1)) is at most
 * γ*, i.e. whose overlap is at least ½: L = 1 + ⌈ln(σ_1/σ_L)/ln γ*⌉.
 */
export function ncsnv2Sigmas(config: Ncsnv2Config, data: Pick<Dataset, 'points' | 'n' | 'dim'>, rng: Rng): number[] {
  const rows = pairRows(data, rng);
  const sigmaMax = percentile(pairwiseDistances(rows.points, rows.n, data.dim), 100);
  if (!(sigmaMax > config.sigmaMin))
    throw new Error(`schedule.sigmaMin: must be below σ_max, the data's largest pairwise distance (${sigmaMax}); got ${config.sigmaMin}`);
  let levels = config.levels;
  if (levels === undefined) {
    const gamma = overlapRatio(data.dim);
    if (gamma === null)
      throw new Error(
        `schedule.levels: NCSNv2's ratio rule picks no number of levels below ${NCSNV2_MIN_DIM} dimensions (this data has ${data.dim}); give schedule.levels`,
      );
    levels = 1 + Math.ceil(Math.log(sigmaMax / config.sigmaMin) / Math.log(gamma));
    if (levels > MAX_LEVELS)
      throw new Error(`schedule.sigmaMin: from σ_max = ${sigmaMax} down to ${config.sigmaMin} at ratio ${gamma} takes ${levels} levels, over ${MAX_LEVELS.toLocaleString('en-US')}; raise sigmaMin`);
  }
  return spacedLevels('geometric', sigmaMax, config.sigmaMin, levels);
}

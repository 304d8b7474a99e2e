/**
 * The ways to space L noise levels between σ_max and σ_min (config SPACINGS). Each is a function of
 * t_i = i/(L−1), i = 0 … L−1, equal to σ_max at t = 0 and σ_min at t = 1; the last level is set to
 * σ_min exactly rather than left to rounding. With one level there is no range to span: the single
 * level is σ_min, where samples are read out.
 */
import type { Spacing } from '../../../src-shared/config';

type Interpolant = (sigmaMax: number, sigmaMin: number, t: number) => number;

const INTERPOLANTS: Record<Spacing, Interpolant> = {
  // NCSN (Song & Ermon 2019, §4.2): a constant ratio between adjacent levels.
  geometric: (max, min, t) => max * Math.pow(min / max, t),
  linear: (max, min, t) => max + (min - max) * t,
  // DDPM's "quad" schedule (Ho et al. 2020, its code's get_beta_schedule): linear in the square root.
  quadratic: (max, min, t) => (Math.sqrt(max) + (Math.sqrt(min) - Math.sqrt(max)) * t) ** 2,
  // Nichol & Dhariwal 2021, eq. 17: ᾱ(t) = cos²(π/2·(t+s)/(1+s)). Its data-scaled noise level
  // σ = √((1 − ᾱ)/ᾱ) = tan(π/2·(t+s)/(1+s)) is linear in t through arctan σ; fitting the endpoints
  // fixes the offset s and the span of t, which leaves equal steps in arctan σ.
  cosine: (max, min, t) => Math.tan(Math.atan(max) + (Math.atan(min) - Math.atan(max)) * t),
};

/** σ_0 = σ_max > … > σ_{L−1} = σ_min, spaced by `spacing`. */
export function spacedLevels(spacing: Spacing, sigmaMax: number, sigmaMin: number, levels: number): number[] {
  if (levels === 1) return [sigmaMin];
  const at = INTERPOLANTS[spacing];
  return Array.from({ length: levels }, (_, i) => (i === levels - 1 ? sigmaMin : at(sigmaMax, sigmaMin, i / (levels - 1))));
}

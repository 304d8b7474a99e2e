import type { ScheduleConfig } from '../../common/config';

type GeometricConfig = Extract<ScheduleConfig, { kind: 'geometric' }>;

/**
 * NCSN's noise levels (Song & Ermon 2019, §4.2): a geometric sequence σ_1 = σ_max > … > σ_L = σ_min,
 * σ_i = σ_max·(σ_min/σ_max)^((i−1)/(L−1)). With one level there is no sequence to span; the single
 * level is σ_min, where samples are read out.
 */
export function geometricSigmas(config: Pick<GeometricConfig, 'sigmaMin' | 'sigmaMax' | 'levels'>): number[] {
  const { sigmaMin, sigmaMax, levels } = config;
  if (levels === 1) return [sigmaMin];
  const ratio = sigmaMin / sigmaMax;
  // The last level is set exactly rather than left to pow's rounding.
  return Array.from({ length: levels }, (_, i) => (i === levels - 1 ? sigmaMin : sigmaMax * Math.pow(ratio, i / (levels - 1))));
}

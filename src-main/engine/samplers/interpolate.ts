/**
 * Interpolation between two samples: each point of the path is their linear mix plus noise of a
 * middle level σ_m, the noise the spherical interpolation of two draws, then annealed back from σ_m.
 * Spherical, not linear: a linear mix of two independent noises has a norm √2 too small at the
 * middle, so the sampler would see a less noisy state than σ_m's there (White 2016, "Sampling
 * generative networks"; NCSNv2 mixes its Langevin noise the same way).
 */
import type { Rng } from '../random';

/**
 * slerp(a, b, t) = sin((1−t)Ω)/sin Ω·a + sin(tΩ)/sin Ω·b, Ω the angle between a and b (Shoemake
 * 1985): for ‖a‖ = ‖b‖ its norm stays ‖a‖ and its angle to a is tΩ. Nearly parallel or opposite
 * vectors (sin Ω ≈ 0), where the direction is undefined, fall back to the linear mix.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float64Array {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    dot += a[j] * b[j];
    na += a[j] * a[j];
    nb += b[j] * b[j];
  }
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
  const sinOmega = Math.sin(omega);
  const [wa, wb] = sinOmega < 1e-6 || !Number.isFinite(omega) ? [1 - t, t] : [Math.sin((1 - t) * omega) / sinOmega, Math.sin(t * omega) / sinOmega];
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = wa * a[j] + wb * b[j];
  return out;
}

/**
 * Starting points of the paths, row-major [pairs·points, D], pair-major: row p·points + k is pair p
 * (endpoints rows 2p and 2p+1 of `endpoints`) at t = k/(points − 1), re-noised to σ_m:
 * x = (1 − t)·x_a + t·x_b + σ_m·slerp(z_a, z_b, t) with z_a, z_b ~ N(0, I) per pair.
 */
export function interpolationStarts(endpoints: Float32Array, dim: number, pairs: number, points: number, sigma: number, rng: Rng): Float32Array {
  const out = new Float32Array(pairs * points * dim);
  for (let p = 0; p < pairs; p++) {
    const xa = endpoints.subarray(2 * p * dim, (2 * p + 1) * dim);
    const xb = endpoints.subarray((2 * p + 1) * dim, (2 * p + 2) * dim);
    const za = rng.normals(dim);
    const zb = rng.normals(dim);
    for (let k = 0; k < points; k++) {
      const t = k / (points - 1);
      const z = slerp(za, zb, t);
      for (let j = 0; j < dim; j++) out[(p * points + k) * dim + j] = (1 - t) * xa[j] + t * xb[j] + sigma * z[j];
    }
  }
  return out;
}

/** σ_m: the given σ, else the schedule's middle level. */
export function middleSigma(sigmas: number[], sigma: number | undefined): number {
  return sigma ?? sigmas[Math.floor(sigmas.length / 2)];
}

/**
 * The levels annealed back through from σ_m: those at or below it (at least the last), a tail of the
 * decreasing schedule, and the level number of its first.
 */
export function levelsFrom(sigmas: number[], sigma: number): { firstLevel: number; sigmas: number[] } {
  const at = sigmas.findIndex((s) => s <= sigma * (1 + 1e-9));
  const firstLevel = at >= 0 ? at : sigmas.length - 1;
  return { firstLevel, sigmas: sigmas.slice(firstLevel) };
}

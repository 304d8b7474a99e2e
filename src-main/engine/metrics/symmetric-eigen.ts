/**
 * Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan,
 * Matrix Computations, §8.5): A = V·diag(λ)·Vᵀ. In float64; for the feature covariances of the
 * image metrics (d ≈ 64) a few sweeps converge to rounding.
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  if (a.length !== d * d) throw new Error(`symmetricEigen: expected ${d}×${d} values, got ${a.length}`);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  const offNorm = (): number => {
    let s = 0;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) s += a[i * d + j] ** 2;
    return s;
  };
  let total = 0;
  for (let i = 0; i < d * d; i++) total += a[i] ** 2;
  for (let sweep = 0; sweep < 100 && offNorm() > 1e-30 * total; sweep++) {
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q]: tan θ = t, the smaller root of t² + 2τt − 1 = 0.
        const tau = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => a[i * d + i]), vectors: v };
}

/**
 * The symmetric square root of a symmetric positive semi-definite matrix, V·diag(√λ)·Vᵀ;
 * eigenvalues below 0 by rounding are taken as 0.
 */
export function symmetricSqrt(matrix: ArrayLike<number>, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const root = Math.sqrt(Math.max(0, values[k]));
    if (root === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k] * root;
      for (let j = 0; j < d; j++) out[i * d + j] += vik * vectors[j * d + k];
    }
  }
  return out;
}

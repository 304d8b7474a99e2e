import * as tf from '@tensorflow/tfjs';
import type { ScheduleLevel } from '../../../src-shared/api';
import type { ObjectiveConfig } from '../../../src-shared/config';
import type { EnergyFn, ScoreFn } from '../networks/types';
import type { Rng } from '../random';
import { perLevelObjective, perturbed } from './levels';
import { ReplayBuffer, uniformPoint, type Box } from './replay-buffer';
import type { Objective } from './types';

type CdConfig = Extract<ObjectiveConfig, { kind: 'cd' }>;

/**
 * The contrastive divergence loss per row (Hinton 2002; with Du & Mordatch 2019's regulariser,
 * §3.3): positives x⁺ from the data, negatives x⁻ from the model, each row at its own σ,
 *
 *   ℓ = E_θ(x⁺, σ) − E_θ(x⁻, σ) + α·(E_θ(x⁺, σ)² + E_θ(x⁻, σ)²).
 *
 * For p_θ ∝ exp(−E_θ/τ), −∇θ log p_θ(x⁺) = (∇θE_θ(x⁺) − E_{x⁻~p_θ}[∇θE_θ(x⁻)])/τ, so with x⁻ exact
 * samples the gradient of ℓ's mean (α = 0) is the negative log-likelihood's gradient times τ, and
 * it vanishes where p_θ is the data's density. The negatives are constants here: their dependence
 * on θ through the chain that made them is not part of the gradient. Returns ℓ per row, [n].
 */
export function cdLoss(
  energy: EnergyFn,
  positives: tf.Tensor2D,
  negatives: tf.Tensor2D,
  sigma: tf.Tensor2D,
  regularization: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const n = positives.shape[0];
    // One forward pass over both phases.
    const both = energy(tf.concat([positives, negatives], 0), tf.concat([sigma, sigma], 0));
    const [plus, minus] = [tf.slice(both, [0], [n]), tf.slice(both, [n], [n])];
    const difference = tf.sub(plus, minus) as tf.Tensor1D;
    if (regularization === 0) return difference;
    return tf.add(difference, tf.mul(regularization, tf.add(tf.square(plus), tf.square(minus)))) as tf.Tensor1D;
  });
}

/**
 * K steps of unadjusted Langevin dynamics on the model from `starts` ([n, D], row-major), each row
 * at its own σ ([n, 1]) with step α = stepSize·σ², in NCSN's convention x ← x + (α/2)·s_θ(x, σ) + √α·z
 * (s_θ = −∇ₓE_θ/τ samples exp(−E_θ/τ)). The step is in units of σ² because p_σ varies on
 * scales of at least σ. Returns the end points, read back to the host: as new tensors they carry
 * no gradient back through the chain.
 */
export function langevinChains(
  score: ScoreFn,
  starts: Float32Array,
  sigma: tf.Tensor2D,
  steps: number,
  stepSize: number,
  rng: Rng,
): Float32Array {
  const n = sigma.shape[0];
  const dim = starts.length / n;
  const noise = new Float32Array(n * dim);
  const [drift, spread] = tf.tidy(() => {
    const alpha = tf.mul(tf.square(sigma), stepSize);
    return [tf.mul(alpha, 0.5), tf.sqrt(alpha)];
  });
  let x = tf.tensor2d(starts, [n, dim]);
  try {
    for (let k = 0; k < steps; k++) {
      rng.normals(n * dim, noise);
      const next = tf.tidy(() => tf.add(tf.add(x, tf.mul(drift, score(x, sigma))), tf.mul(spread, tf.tensor2d(noise, [n, dim]))) as tf.Tensor2D);
      x.dispose();
      x = next;
    }
    // The one synchronous read left in the engine: the chain runs inside the loss, which is
    // differentiated synchronously, and its ends feed the replay buffer on the host. On WebGPU in
    // Node this throws (backend.ts says CD needs a backend with synchronous reads).
    // eslint-disable-next-line no-restricted-properties -- see above
    return x.dataSync() as Float32Array;
  } finally {
    tf.dispose([x, drift, spread]);
  }
}

/**
 * Contrastive divergence at every level of the schedule: each example draws a level i (as every
 * objective does), its positive is x̃ = x + σ_i·z, a sample of p_σᵢ, and its negative ends a
 * Langevin chain on E_θ(·, σ_i), so the energy of every level is fitted and annealed Langevin can
 * sample the model like any noise-conditional score. Chains start from the level's replay buffer
 * (`bufferSize` > 0) or from uniform noise over the data box (short-run CD, Nijkamp et al. 2019).
 * The loss is weighted by λ(σ_i) like every objective's.
 */
export function createCd(config: CdConfig, levels: ScheduleLevel[], box: Box): Objective {
  const dim = box.lo.length;
  const buffer = config.bufferSize > 0 ? new ReplayBuffer(levels.length, config.bufferSize, dim, box, config.reinitFraction) : null;
  return perLevelObjective(
    levels,
    (model, batch, rng) => {
      const energy = model.energy;
      if (!energy) throw new Error('objective cd needs an energy model (model.kind energy-mlp)');
      const n = batch.x.shape[0];
      const { starts, slots } = buffer ? buffer.draw(batch.level, rng) : { starts: uniformPoints(box, n, rng), slots: null };
      const ends = langevinChains(model.score, starts, batch.sigma, config.langevinSteps, config.stepSize, rng);
      if (buffer && slots) buffer.write(slots, ends);
      return tf.tidy(() => cdLoss(energy, perturbed(batch), tf.tensor2d(ends, [n, dim]), batch.sigma, config.regularization));
    },
    buffer ?? undefined,
  );
}

/** n points uniform on the box, row-major [n, D]. */
function uniformPoints(box: Box, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * box.lo.length);
  for (let j = 0; j < n; j++) uniformPoint(box, out, j, rng);
  return out;
}

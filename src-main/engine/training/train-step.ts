import * as tf from '@tensorflow/tfjs';
import type { ScoreNetwork } from '../networks/types';
import type { Objective } from '../objectives/types';
import type { Rng } from '../random';

export interface StepResult {
  /** The batch's mean loss, still on the backend: reading it back is the caller's choice. */
  loss: tf.Scalar;
  /** With `keepPerSample`: each sample's loss and its level, for the per-level curves. */
  perSample?: { losses: tf.Tensor1D; levels: Int32Array };
}

/**
 * One fused training step: loss, gradients and the optimizer update inside a single tf.tidy, with
 * nothing read back, so the backend can run it without a host round trip. With `keepPerSample` the
 * per-sample losses of this same forward pass are kept for the per-level curves (no second pass).
 */
export function trainStep(
  net: ScoreNetwork,
  objective: Objective,
  optimizer: tf.Optimizer,
  batch: tf.Tensor2D,
  rng: Rng,
  keepPerSample: boolean,
): StepResult {
  let perSample: StepResult['perSample'];
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const { perSample: losses, levels } = objective.sampleLoss(net.score, batch, rng);
      if (keepPerSample) perSample = { losses: tf.keep(losses), levels };
      return tf.mean(losses) as tf.Scalar;
    }, net.variables);
    optimizer.applyGradients(grads);
    return value;
  });
  return { loss, perSample };
}

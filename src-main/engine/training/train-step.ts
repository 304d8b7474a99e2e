import * as tf from '@tensorflow/tfjs';
import type { ScoreNetwork } from '../networks/types';
import type { Objective } from '../objectives/types';
import type { Rng } from '../random';
import type { Ema } from './ema';

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
 * With `ema` the weights' moving average is updated after the optimizer step, in the same tidy.
 */
export function trainStep(
  net: ScoreNetwork,
  objective: Objective,
  optimizer: tf.Optimizer,
  batch: tf.Tensor2D,
  rng: Rng,
  keepPerSample: boolean,
  ema?: Ema | null,
): StepResult {
  let perSample: StepResult['perSample'];
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const { perSample: losses, levels } = objective.sampleLoss(net, batch, rng);
      if (keepPerSample) perSample = { losses: tf.keep(losses), levels };
      return tf.mean(losses) as tf.Scalar;
    }, net.variables);
    // A variable the loss does not depend on (an energy's output bias, under a score objective:
    // the score is E's gradient) gets a zero gradient, so the optimizer keeps a slot for every
    // variable and its state lines up with the weights in checkpoints.
    for (const v of net.variables) grads[v.name] ??= tf.zerosLike(v);
    optimizer.applyGradients(grads);
    // The weights' average follows the step it averages, still without a read back.
    ema?.update();
    return value;
  });
  return { loss, perSample };
}

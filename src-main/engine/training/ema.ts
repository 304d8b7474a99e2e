/**
 * An exponential moving average of the network's weights (Polyak averaging; NCSNv2, Song & Ermon
 * 2020, §3.4 "technique 5": sampling with the EMA removes the oscillation of the last steps' weights
 * and the colour shifts it causes). Its shadow copy lives on the backend beside the weights and is
 * updated inside the fused step, so it costs no read back; it is training state, so it rides in
 * checkpoints and a resumed run averages on exactly as the uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../types';
import type { ScoreNetwork } from '../networks';
import type { TrainingState } from './state';
import { readNamedTensor } from '../networks/named-weights';

export interface Ema extends TrainingState {
  readonly rate: number;
  /**
   * θ̄ ← θ̄ − (1 − rate)·(θ̄ − θ), i.e. θ̄_k = rate·θ̄_{k−1} + (1 − rate)·θ_k: after each optimizer
   * step, on the backend (call it inside the step's tf.tidy; nothing is read back).
   */
  update(): void;
  /** Loads the average into the network's own variables (for sampling, and the weights kept at the end). */
  copyInto(net: ScoreNetwork): void;
  dispose(): void;
}

/** An average of `net`'s weights at `rate` (0 < rate < 1), starting from their current values (θ̄_0 = θ_0). */
export function createEma(net: ScoreNetwork, rate: number): Ema {
  if (!(rate > 0 && rate < 1)) throw new Error(`train.ema: the rate must be in (0, 1), got ${rate}`);
  const weights = net.variables;
  // Not trainable: no gradient is ever taken for it. (The clone is freed by tidy; the variable keeps its data.)
  const shadow = weights.map((v) => tf.tidy(() => tf.variable(v.clone(), false)));
  const names = net.weightNames;
  // Kept across steps: the fused step would otherwise upload a fresh scalar every time.
  const keep = tf.keep(tf.scalar(1 - rate));
  const shapeText = (shape: readonly number[]) => `[${shape.join(',')}]`;

  return {
    rate,
    update: () => {
      shadow.forEach((s, i) => s.assign(tf.sub(s, tf.mul(keep, tf.sub(s, weights[i])))));
    },
    copyInto: (target) => {
      if (target.variables.length !== shadow.length) throw new Error(`ema: ${shadow.length} averages for ${target.variables.length} variables`);
      target.variables.forEach((v, i) => v.assign(shadow[i]));
    },
    save: (): Promise<NamedTensor[]> => Promise.all(shadow.map((s, i) => readNamedTensor(names[i], s))),
    restore: (tensors) => {
      const byName = new Map(tensors.map((t) => [t.name, t]));
      const checked = names.map((name, i) => {
        const t = byName.get(name);
        if (!t) throw new Error(`checkpoint: the weights' average has no ${name}`);
        if (shapeText(t.shape) !== shapeText(shadow[i].shape))
          throw new Error(`checkpoint: the average of ${name} has shape ${shapeText(t.shape)}, expected ${shapeText(shadow[i].shape)}`);
        return t;
      });
      checked.forEach((t, i) => tf.tidy(() => shadow[i].assign(tf.tensor(t.data, t.shape))));
    },
    dispose: () => {
      tf.dispose(shadow);
      keep.dispose();
    },
  };
}

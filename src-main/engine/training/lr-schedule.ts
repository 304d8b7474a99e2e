import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../src-shared/config';

/**
 * The learning rate for step t = 1…T. 'cosine' is SGDR's annealing without restarts (Loshchilov &
 * Hutter 2017, eq. 5, η_min = 0): η_t = η·½(1 + cos(π·(t − 1)/T)), so step 1 uses the full rate.
 */
export function learningRateAt(train: Pick<TrainConfig, 'lr' | 'lrSchedule' | 'steps'>, step: number): number {
  if (train.lrSchedule === 'constant') return train.lr;
  return train.lr * 0.5 * (1 + Math.cos((Math.PI * (step - 1)) / train.steps));
}

/**
 * tfjs optimizers take a fixed rate at construction but read their `learningRate` field on every
 * update (Adam, SGD, RMSProp … in 4.22), so a schedule sets that field between steps.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const target = optimizer as unknown as { learningRate?: unknown };
  if (typeof target.learningRate !== 'number') throw new Error(`${optimizer.getClassName()} has no numeric learningRate to schedule`);
  target.learningRate = lr;
}

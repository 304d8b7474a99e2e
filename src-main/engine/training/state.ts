import type { NamedTensor } from '../types';

/**
 * Training state outside the network's weights, the optimizer and the random streams (e.g. CD's
 * replay buffer): whatever changes from step to step and so must be in a checkpoint for a resumed
 * run to go on exactly as the uninterrupted one would.
 */
export interface TrainingState {
  /** Copies of the state, as named tensors (the names are the part's own). */
  save(): Promise<NamedTensor[]>;
  /** Loads what `save` gave; throws naming the first missing or mis-shaped tensor. */
  restore(tensors: readonly NamedTensor[]): void;
}

/**
 * Training checkpoints: the state that lets a run go on exactly where it stopped. Restored into a
 * freshly built network, optimizer and random streams, a checkpoint gives the same next steps as
 * the run that wrote it (same backend): the same batches, the same noise, the same updates.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor, TrainingCheckpoint } from './types';
import type { ScoreNetwork } from './networks';
import { readNamedTensor } from './networks/named-weights';
import type { Rng } from './random';
import type { TrainingState } from './training/state';

/**
 * Optimizer fields outside getWeights() that an exact resume needs. Adam keeps β₁ᵗ and β₂ᵗ as
 * running products; its setWeights recomputes them as powers, which differ in the last bits and
 * would make a resumed run drift from the one it continues.
 */
const RUNNING_PRODUCTS = ['accBeta1', 'accBeta2'] as const;
const runningProductName = (field: string): string => `optimizer/${field}`;

type OptimizerFields = Partial<Record<(typeof RUNNING_PRODUCTS)[number], tf.Variable>>;

/**
 * Other training state (an objective's replay buffer, …) rides in the checkpoint's tensor list
 * beside the optimizer's, each tensor named `state/<part>/<its own name>`: the store keeps the list
 * whole, whatever it holds.
 */
const STATE_PREFIX = 'state/';


/** The first non-finite number among `tensors`, as "name[index] is value", or null when all are finite. */
export function firstNonFinite(tensors: readonly NamedTensor[]): string | null {
  for (const t of tensors) {
    const i = t.data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) return `${t.name}[${i}] is ${t.data[i]}`;
  }
  return null;
}

/** Copies out everything a resume needs after `step` steps; `states` are the other parts' state, by part name. */
export async function captureCheckpoint(
  progress: { step: number; trainSeconds: number; loss: number | null },
  net: ScoreNetwork,
  optimizer: tf.Optimizer,
  streams: Record<string, Rng>,
  states: Record<string, TrainingState> = {},
): Promise<TrainingCheckpoint> {
  const weights = await net.getWeights();
  const state: NamedTensor[] = [];
  // getWeights order: the step count, then per slot (Adam: m, then v) one tensor per variable in
  // the network's order. tfjs names slots after its global variable ids ('304/v'); they are named
  // after the network's weights here, so a message can say which one diverged.
  const slots = await optimizer.getWeights();
  for (const [i, { name, tensor }] of slots.entries()) {
    if (name === 'iter') {
      state.push(await readNamedTensor(name, tensor));
      // saveIterations() makes a fresh scalar for the step count; the slots are the optimizer's own.
      tensor.dispose();
    } else {
      const weight = weights[(i - 1) % weights.length];
      state.push(await readNamedTensor(`optimizer/${weight.name}/${name.split('/').pop()}`, tensor));
    }
  }
  const fields = optimizer as unknown as OptimizerFields;
  for (const field of RUNNING_PRODUCTS) {
    const variable = fields[field];
    if (variable) state.push(await readNamedTensor(runningProductName(field), variable));
  }
  for (const [part, s] of Object.entries(states)) for (const t of await s.save()) state.push({ ...t, name: `${STATE_PREFIX}${part}/${t.name}` });
  const rng: TrainingCheckpoint['rng'] = {};
  for (const [name, stream] of Object.entries(streams)) rng[name] = stream.getState();
  return { ...progress, weights, optimizer: state, rng };
}

/**
 * Loads a checkpoint into a network, optimizer and streams built from the same config. Throws,
 * naming what does not fit, when the checkpoint is of another model or lacks a stream.
 */
export async function restoreCheckpoint(
  checkpoint: TrainingCheckpoint,
  net: ScoreNetwork,
  optimizer: tf.Optimizer,
  streams: Record<string, Rng>,
): Promise<void> {
  net.setWeights(checkpoint.weights);

  const products = new Set(RUNNING_PRODUCTS.map(runningProductName));
  const slots = checkpoint.optimizer.filter((t) => !products.has(t.name) && !t.name.startsWith(STATE_PREFIX));
  // getWeights order: the step count, then per variable (in the network's order) one tensor per slot.
  const moments = slots.slice(1);
  if (slots[0]?.name !== 'iter' || moments.length % net.variables.length !== 0)
    throw new Error(`checkpoint: the optimizer state does not fit this network (${slots.length} tensors for ${net.variables.length} variables)`);
  moments.forEach((t, i) => {
    const expected = net.variables[i % net.variables.length].shape;
    if (t.shape.join('x') !== expected.join('x'))
      throw new Error(`checkpoint: optimizer tensor ${t.name} has shape [${t.shape}], expected [${expected}]`);
  });
  const tensors = slots.map((t) => ({ name: t.name, tensor: tf.tensor(t.data, t.shape, t.name === 'iter' ? 'int32' : 'float32') }));
  try {
    await optimizer.setWeights(tensors);
  } finally {
    // setWeights made variables of them; the inputs themselves are ours to free.
    tf.dispose(tensors.map((t) => t.tensor));
  }
  const fields = optimizer as unknown as OptimizerFields;
  for (const field of RUNNING_PRODUCTS) {
    const saved = checkpoint.optimizer.find((t) => t.name === runningProductName(field));
    const variable = fields[field];
    if (saved && variable) tf.tidy(() => variable.assign(tf.tensor(saved.data, saved.shape)));
  }

  for (const [name, stream] of Object.entries(streams)) {
    const state = checkpoint.rng[name];
    if (!state) throw new Error(`checkpoint: no state for the random stream '${name}'`);
    stream.setState(state);
  }
}

/**
 * Loads the state of each part in `states` from the checkpoint (captured with the same parts). A
 * part named in `optional` (one a resume may switch on, like the weights' average) keeps its fresh
 * state when the checkpoint has none.
 */
export function restoreTrainingStates(checkpoint: TrainingCheckpoint, states: Record<string, TrainingState>, optional: readonly string[] = []): void {
  for (const [part, s] of Object.entries(states)) {
    const prefix = `${STATE_PREFIX}${part}/`;
    const tensors = checkpoint.optimizer.filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: t.name.slice(prefix.length) }));
    if (tensors.length === 0 && optional.includes(part)) continue;
    if (tensors.length === 0) throw new Error(`checkpoint: no state for '${part}' (written by a run without it)`);
    s.restore(tensors);
  }
}

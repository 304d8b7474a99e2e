/**
 * Which tfjs kernels the engine runs: found by running the real code (every activation, with and
 * without σ-scaling, each conditioning, each form of the dense layer, the image U-Net, one fused Adam
 * training step, and a sampler step with the final denoise) on tiny sizes under tf.profile. Gradient kernels are included, because
 * the backward pass runs through the same kernel registry. A backend can then be checked for all
 * of them before a run needs them.
 */
import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, requireExperimentConfig } from '../../src-shared/config';
import type { ExperimentConfig } from '../../src-shared/config';
import type { Dataset } from './data';
import { createNetwork } from './networks';
import { linearForms, withLinearForm } from './networks/linear';
import type { LinearForm } from './networks/linear';
import { createObjective } from './objectives';
import { createRng } from './random';
import type { Rng } from './random';
import { sampleChains } from './samplers';
import { buildSchedule, sigmasOf } from './run/schedule-table';
import { trainStep } from './training/train-step';

/** Runs the probe on the current backend; returns the kernel names, sorted. */
export async function kernelsUsed(): Promise<string[]> {
  const names = new Set<string>();
  for (const form of Object.keys(linearForms) as LinearForm[]) await withLinearForm(form, () => probe(names));
  // tf.profile also lists named op scopes (custom gradients, fused ops); only kernels matter here.
  const backend = tf.getBackend();
  return [...names].filter((name) => tf.getKernel(name, backend) !== undefined).sort();
}

async function probe(names: Set<string>): Promise<void> {
  const rng = createRng(0, 'kernel-probe');
  const conditionings = ['concat', 'sinusoidal', 'film'] as const;
  for (const [a, activation] of ACTIVATIONS.entries()) {
    for (const scaleBySigma of [true, false]) {
      // The conditionings take turns across the activations and σ-scalings, so all are probed at no extra cost.
      const conditioning = conditionings[(2 * a + Number(scaleBySigma)) % conditionings.length];
      const config = requireExperimentConfig({
        model: { kind: 'mlp', hidden: [4], activation, scaleBySigma, conditioning, embeddingDim: 4 },
        schedule: { kind: 'geometric', levels: 2 },
        sampler: { kind: 'annealed-langevin', stepsPerLevel: 1, n: 3, finalDenoise: true },
      });
      await probeConfig(names, config, 2, rng);
    }
  }
  // The U-Net on a 4×4 image: its convolutions, pooling and upsampling, forward and backward.
  const unet = requireExperimentConfig({
    data: { kind: 'mnist', n: 3 },
    model: { kind: 'unet', channels: [2, 2], embeddingDim: 4 },
    schedule: { kind: 'geometric', levels: 2 },
    sampler: { kind: 'annealed-langevin', stepsPerLevel: 1, n: 3, finalDenoise: true },
  });
  await probeConfig(names, unet, 16, rng, { image: { height: 4, width: 4, channels: 1 } });
}

/** One fused training step on 3 points of dimension `dim`, then a sampler pass, under tf.profile. */
async function probeConfig(names: Set<string>, config: ExperimentConfig, dim: number, rng: Rng, data?: Pick<Dataset, 'image'>): Promise<void> {
  const schedule = buildSchedule(config);
  const net = createNetwork(config.model, dim, rng, data);
  const objective = createObjective(config.objective, schedule);
  const optimizer = tf.train.adam(1e-3);
  try {
    const info = await tf.profile(async () => {
      const batch = tf.tensor2d(Float32Array.from({ length: 3 * dim }, (_, i) => i / dim), [3, dim]);
      const { loss, perSample } = trainStep(net, objective, optimizer, batch, rng, true);
      await loss.data();
      tf.dispose([batch, loss, perSample?.losses]);
      await sampleChains(net.score, new Float32Array(3 * dim), sigmasOf(schedule), { config: config.sampler, dim, rng });
    });
    info.kernelNames.forEach((name) => names.add(name));
  } finally {
    net.dispose();
    optimizer.dispose();
  }
}

/** The kernels in `needed` that `backend` has not registered. */
export function missingKernels(needed: string[], backend: string): string[] {
  return needed.filter((name) => tf.getKernel(name, backend) === undefined);
}

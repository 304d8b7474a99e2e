/**
 * Computes, on the backend SCOREBENCH_BACKEND names, what the WebGPU conformance test compares
 * across backends, and prints it as one JSON line: a few kernels and gradients the engine uses, and
 * a short seeded run (MLP trained with DSM for a few steps, then annealed Langevin), twice, for
 * repeatability. A child process because the backend is chosen once per process, and Dawn's Vulkan
 * loader path (LD_LIBRARY_PATH) must be set before the process starts.
 */
import * as tf from '@tensorflow/tfjs';
import { requireExperimentConfig } from '../../src-shared/config';
import { initBackend } from '../../src-main/engine/backend';
import type { RunEvent } from '../../src-main/engine/jobs';
import { runExperiment } from '../../src-main/engine/run/run-experiment';
import { createRng } from '../../src-main/engine/random';

/** Seeded inputs, the same on every backend: the comparison is of the computation alone. */
function inputs(): { x: tf.Tensor2D; w: tf.Tensor2D; b: tf.Tensor1D } {
  const rng = createRng(7, 'conformance');
  return { x: tf.tensor2d(rng.normals(8 * 16), [8, 16]), w: tf.tensor2d(rng.normals(16 * 4), [16, 4]), b: tf.tensor1d(rng.normals(4)) };
}

async function kernels(): Promise<Record<string, number[]>> {
  const { x, w, b } = inputs();
  const dense = (wt: tf.Tensor2D) => tf.add(tf.matMul(x, wt), b) as tf.Tensor2D;
  const out: Record<string, tf.Tensor> = {
    matMul: dense(w),
    softplus: tf.softplus(dense(w)),
    elu: tf.elu(dense(w)),
    expLog: tf.log(tf.add(1, tf.exp(tf.neg(tf.square(x))))),
    sumMean: tf.stack([tf.sum(tf.square(x)), tf.mean(x)]),
    // d/dW Σ softplus(xW + b): the dense layer's gradient, as the optimizer sees it.
    gradDense: tf.grad((wt: tf.Tensor) => tf.sum(tf.softplus(dense(wt as tf.Tensor2D))))(w),
    // d/dx Σ elu(xW + b)²: the input gradient the score-matching objectives differentiate.
    gradInput: tf.grad((xt: tf.Tensor) => tf.sum(tf.square(tf.elu(tf.add(tf.matMul(xt as tf.Tensor2D, w), b)))))(x),
  };
  const values: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(out)) values[name] = Array.from(await t.data());
  tf.dispose([x, w, b, ...Object.values(out)]);
  return values;
}

async function shortRun(): Promise<{ losses: number[]; samples: number[] }> {
  const config = requireExperimentConfig({
    seed: 3,
    data: { kind: 'two-moons', n: 200 },
    model: { kind: 'mlp', hidden: [16, 16] },
    objective: { kind: 'dsm' },
    schedule: { kind: 'geometric', levels: 4 },
    train: { steps: 4, batchSize: 32 },
    sampler: { kind: 'annealed-langevin', n: 32, stepsPerLevel: 3 },
  });
  const events: RunEvent[] = [];
  const outcome = await runExperiment(config, { baseDir: '/', isCancelled: () => false, emit: (e) => events.push(e) });
  if (outcome.status !== 'completed') throw new Error(`the run ended ${outcome.status}: ${outcome.error}`);
  const losses = events.flatMap((e) => (e.type === 'metrics' ? e.points.filter((p) => p.key === 'loss').map((p) => p.value) : []));
  const samples = events.flatMap((e) => (e.type === 'samples' ? Array.from(e.points) : []));
  return { losses, samples };
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const seconds: number[] = [];
  const timed = async <T>(part: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await part();
    seconds.push((performance.now() - started) / 1000);
    return result;
  };
  const k = await timed(kernels);
  const first = await timed(shortRun);
  const second = await timed(shortRun);
  // Seconds for the kernels, the first run (shader compilation included) and the second.
  console.log(JSON.stringify({ backend, kernels: k, first, second, seconds }));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.log(JSON.stringify({ error: String(err instanceof Error ? err.stack : err) }));
    process.exit(1);
  },
);

import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { backendLabel } from '../../../src-shared/backend-label';
import { initBackend } from '../../../src-main/engine/backend';
import { describeAdapter } from '../../../src-main/engine/webgpu/adapter';
import { kernelsUsed, missingKernels } from '../../../src-main/engine/kernel-probe';
import { IDLE_BUSY_CORES, measureBusyCores, wasmThreadCount } from '../../../src-main/engine/wasm/threads';

const BACKEND_MODULE = join(__dirname, '../../../src-main/engine/backend.ts');
/** Without SCOREBENCH_WASM_THREADS: every core on an idle machine, one fewer on a busy one (measured in the fresh process). */
const DEFAULT_THREAD_CHOICES = [Math.max(1, Math.min(8, availableParallelism() - 1)), Math.min(8, availableParallelism())];

/** The info's thread count, checked to be a default choice, and the info with it. */
function withDefaultThreads(info: unknown): unknown {
  const threads = (info as { threads?: number }).threads;
  assert.ok(threads !== undefined && DEFAULT_THREAD_CHOICES.includes(threads), `threads ${threads} not in ${DEFAULT_THREAD_CHOICES}`);
  return info;
}

/** initBackend() in a fresh process (the choice is made once per process), with SCOREBENCH_BACKEND set or not. */
async function chooseInFreshProcess(
  forced: string | undefined,
  wasmThreads?: string,
  extraEnv: Record<string, string> = {},
): Promise<{ info?: unknown; error?: string; canTrain?: boolean }> {
  const env = { ...process.env, ...extraEnv };
  delete env.SCOREBENCH_BACKEND;
  delete env.SCOREBENCH_WASM_THREADS;
  if (forced !== undefined) env.SCOREBENCH_BACKEND = forced;
  if (wasmThreads !== undefined) env.SCOREBENCH_WASM_THREADS = wasmThreads;
  const script = `
    const tf = require('@tensorflow/tfjs');
    require(${JSON.stringify(BACKEND_MODULE)}).initBackend().then(
      (info) => {
        // One gradient step through a matmul proves the backend computes, not just registers.
        const w = tf.variable(tf.ones([2, 2]));
        tf.train.adam(0.1).minimize(() => tf.sum(tf.square(tf.matMul(tf.ones([3, 2]), w))));
        console.log(JSON.stringify({ info, canTrain: w.dataSync().every((v) => v < 1), active: tf.getBackend() }));
      },
      (err) => console.log(JSON.stringify({ error: err.message })),
    );`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { env });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

test('without native TensorFlow or a GPU, the engine uses wasm on its threads, and says why each faster choice was skipped', async () => {
  // The fresh process exiting on its own also shows the pool's threads (and Dawn's instance) never keep a process alive.
  const result = await chooseInFreshProcess(undefined);
  const threads = (withDefaultThreads(result.info) as { threads: number }).threads;
  const fallbacks = (result.info as { fallbacks: string[] }).fallbacks;
  // Whether this machine has a Vulkan loader and a software driver decides which reason webgpu gives.
  assert.match(fallbacks[1] ?? '', /^webgpu: (no adapter|only a software adapter \(.*\), slower than wasm; SCOREBENCH_BACKEND=webgpu uses it$)/);
  assert.deepEqual(result.info, {
    name: 'wasm',
    package: '@tensorflow/tfjs',
    gpu: false,
    threads,
    fallbacks: ['@tensorflow/tfjs-node-gpu: not installed', fallbacks[1], '@tensorflow/tfjs-node: not installed'],
  });
  assert.equal(result.canTrain, true);
});

test('SCOREBENCH_BACKEND forces cpu or wasm', async () => {
  for (const name of ['cpu', 'wasm']) {
    const result = await chooseInFreshProcess(name);
    const threads = name === 'wasm' ? (withDefaultThreads(result.info) as { threads: number }).threads : 1;
    assert.deepEqual(result.info, { name, package: '@tensorflow/tfjs', gpu: false, threads, fallbacks: [`forced by SCOREBENCH_BACKEND=${name}`] });
    assert.equal(result.canTrain, true);
  }
});

test('SCOREBENCH_WASM_THREADS sets the wasm thread count, and refuses what is not 1 to 8', async () => {
  for (const threads of [1, 3]) {
    const result = await chooseInFreshProcess('wasm', String(threads));
    assert.deepEqual(result.info, { name: 'wasm', package: '@tensorflow/tfjs', gpu: false, threads, fallbacks: ['forced by SCOREBENCH_BACKEND=wasm'] });
    assert.equal(result.canTrain, true);
  }
  const refused = await chooseInFreshProcess('wasm', '0');
  assert.match(refused.error ?? '', /SCOREBENCH_WASM_THREADS must be an integer from 1 to 8 \(got "0"\)/);
});

test('the default thread count is every core on an idle machine and one fewer on a busy one; the variable overrides it', () => {
  assert.deepEqual(
    [wasmThreadCount({}, 2, 0.1), wasmThreadCount({}, 2, IDLE_BUSY_CORES), wasmThreadCount({}, 2, 1.9), wasmThreadCount({}, 1, 1), wasmThreadCount({}, 16, 0)],
    [2, 1, 1, 1, 8],
  );
  assert.equal(wasmThreadCount({ SCOREBENCH_WASM_THREADS: '3' }, 2, 0), 3);
});

test('busy cores are measured from the OS counters: at least the one this test keeps busy, at most every core', async () => {
  const spin = (async () => {
    const end = Date.now() + 300;
    while (Date.now() < end) await new Promise<void>((resolve) => setImmediate(resolve));
  })();
  const busy = await measureBusyCores(250);
  await spin;
  assert.ok(busy > 0.5 && busy <= availableParallelism() + 1e-9, `busy cores ${busy}`);
});

test('an unknown SCOREBENCH_BACKEND is refused by name', async () => {
  const result = await chooseInFreshProcess('webgl');
  assert.match(result.error ?? '', /SCOREBENCH_BACKEND must be one of: wasm, cpu, webgpu \(got "webgl"\)/);
});

test('SCOREBENCH_BACKEND=webgpu with no adapter fails saying so, rather than computing elsewhere', async () => {
  // No Vulkan driver at that path: Dawn finds no adapter (software or not) whatever the machine has.
  const result = await chooseInFreshProcess('webgpu', undefined, { VK_ICD_FILENAMES: '/nonexistent/icd.json' });
  assert.match(result.error ?? '', /^SCOREBENCH_BACKEND=webgpu: no adapter/);
});

test('an adapter is software when it says it is a fallback or names a CPU driver, and the label says which', () => {
  const h100 = describeAdapter({ info: { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3' } });
  assert.deepEqual(h100, { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3', software: false });
  assert.equal(describeAdapter({ info: { vendor: 'mesa', description: 'llvmpipe (LLVM 19.1.7, 256 bits)' } }).software, true);
  assert.equal(describeAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } }).software, true);
  assert.equal(describeAdapter({ info: { vendor: 'x' }, isFallbackAdapter: true }).software, true);
  const info = { name: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', fallbacks: [] };
  assert.equal(backendLabel({ ...info, gpu: true, adapter: h100 }), 'GPU: NVIDIA H100 80GB HBM3 via WebGPU');
  const lavapipe = describeAdapter({ info: { vendor: 'mesa', description: 'llvmpipe' } });
  assert.equal(backendLabel({ ...info, gpu: false, adapter: lavapipe }), 'webgpu (software: llvmpipe)');
  assert.equal(backendLabel({ name: 'wasm', package: '@tensorflow/tfjs', gpu: false, fallbacks: [] }), 'wasm');
});

test('the kernel probe finds forward, gradient and optimizer kernels, and wasm has them all', async () => {
  await initBackend();
  const needed = await kernelsUsed();
  // Softplus' gradient uses Sigmoid; elu's is e^min(x, 0) (networks/activations.ts); Adam needs Sqrt; both dense-layer forms show up.
  for (const kernel of ['Softplus', 'Sigmoid', 'Elu', 'Minimum', 'Relu', 'Sqrt', 'Log', 'Concat', 'BatchMatMul', '_FusedMatMul', 'Transpose'])
    assert.ok(needed.includes(kernel), `${kernel} in ${needed.join(', ')}`);
  assert.deepEqual(missingKernels(needed, 'wasm'), []);
  assert.deepEqual(missingKernels(['Softplus', 'NoSuchKernel'], 'wasm'), ['NoSuchKernel']);
  assert.equal(tf.getBackend(), 'wasm');
});

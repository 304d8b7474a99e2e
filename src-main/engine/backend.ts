/**
 * Chooses the TensorFlow.js backend the engine computes on, fastest first:
 *
 * 1. `@tensorflow/tfjs-node-gpu` (optional dependency: native TensorFlow with CUDA);
 * 2. WebGPU on a hardware adapter (`@tensorflow/tfjs-backend-webgpu` on Dawn, webgpu/adapter.ts):
 *    any GPU with a Vulkan, Metal or D3D12 driver, nothing else to install. A software adapter
 *    (lavapipe, SwiftShader) is slower than wasm and is skipped unless asked for;
 * 3. `@tensorflow/tfjs-node` (optional dependency: native TensorFlow on the CPU); each native
 *    package registers the 'tensorflow' backend into the same tfjs core we import;
 * 4. pure `@tensorflow/tfjs`: the WebAssembly backend when it has every kernel the engine runs,
 *    else the plain JavaScript 'cpu' backend.
 *
 * `SCOREBENCH_BACKEND=cpu|wasm|webgpu` skips the search and forces one (tests, reproducing a run;
 * webgpu then takes a software adapter too).
 *
 * Among the pure-JS backends wasm comes first because it is much the faster (see PURE_JS_ORDER).
 * The order is fixed rather than timed at start-up, so a seeded run always lands on the same backend
 * and repeats exactly.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo } from '../../src-shared/api';
import { kernelsUsed, missingKernels } from './kernel-probe';
import { installSimdKernels } from './wasm/simd-kernels';
import { firstLine, loadWebGpuBackend, requestWebGpuAdapter } from './webgpu/adapter';
import { activateThreadedWasm, measureBusyCores, wasmThreadCount } from './wasm/threads';

/**
 * createRequire rather than `import`: the native packages are optional and may be absent, and a
 * plain require keeps the bundler from trying to resolve them at build time. Anchored at this file,
 * which works from the bundled out/main/engine.js as from the sources under tsx.
 */
const nodeRequire = createRequire(__filename);

const PURE_JS_PACKAGE = '@tensorflow/tfjs';

/**
 * Measured on the default config (batch 256, hidden [128, 128, 128], softplus), Node 20, one core of
 * a 2-core x86 machine: training ≈ 122 steps/s on wasm (SIMD, one thread) against ≈ 9 on cpu;
 * annealed Langevin over 1000 chains ≈ 90 steps/s against ≈ 7. wasm runs on XNNPACK's thread pool
 * where there are cores to spare (wasm/threads.ts; SCOREBENCH_WASM_THREADS sets the count), with
 * SIMD kernels for what tfjs's wasm build computes one element at a time (wasm/simd-kernels.ts).
 */
const PURE_JS_ORDER = ['wasm', 'cpu'] as const;
type PureJsBackend = (typeof PURE_JS_ORDER)[number];

const NATIVE_GPU = '@tensorflow/tfjs-node-gpu';
const NATIVE_CPU = '@tensorflow/tfjs-node';
const WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

let chosen: Promise<BackendInfo> | null = null;

/** Picks and activates the backend (once per process; later calls return the same answer). */
export function initBackend(): Promise<BackendInfo> {
  chosen ??= chooseBackend();
  return chosen;
}

async function chooseBackend(): Promise<BackendInfo> {
  // Production mode: no debug checks, and no console banner urging tfjs-node (fallbacks say why).
  tf.enableProdMode();
  const forced = process.env.SCOREBENCH_BACKEND?.trim();
  if (forced) {
    const forcedNote = `forced by SCOREBENCH_BACKEND=${forced}`;
    if (forced === 'webgpu') {
      await activatePureJs('cpu');
      const outcome = await tryWebGpu(await kernelsUsed(), true);
      if (typeof outcome === 'string') throw new Error(`SCOREBENCH_BACKEND=webgpu: ${outcome}`);
      return { ...outcome, fallbacks: [forcedNote] };
    }
    if (!isPureJs(forced)) throw new Error(`SCOREBENCH_BACKEND must be one of: ${[...PURE_JS_ORDER, 'webgpu'].join(', ')} (got ${JSON.stringify(forced)})`);
    const notes = await activatePureJs(forced);
    return pureJsInfo([forcedNote, ...notes]);
  }

  const fallbacks: string[] = [];
  const nativeGpu = await tryNative(NATIVE_GPU);
  if (nativeGpu === null) return { name: tf.getBackend(), package: NATIVE_GPU, gpu: true, fallbacks };
  fallbacks.push(`${NATIVE_GPU}: ${nativeGpu}`);

  // The probe runs on 'cpu', which implements every kernel, to learn what the engine needs.
  await activatePureJs('cpu');
  const needed = await kernelsUsed();
  const webgpu = await tryWebGpu(needed, false);
  if (typeof webgpu !== 'string') return { ...webgpu, fallbacks };
  fallbacks.push(`webgpu: ${webgpu}`);

  const nativeCpu = await tryNative(NATIVE_CPU);
  if (nativeCpu === null) return { name: tf.getBackend(), package: NATIVE_CPU, gpu: false, fallbacks };
  fallbacks.push(`${NATIVE_CPU}: ${nativeCpu}`);
  for (const name of PURE_JS_ORDER) {
    const outcome = await tryPureJs(name, needed);
    if (Array.isArray(outcome)) return pureJsInfo([...fallbacks, ...outcome]);
    fallbacks.push(`${name}: ${outcome}`);
  }
  throw new Error(`no TensorFlow.js backend works: ${fallbacks.join('; ')}`);
}

function isPureJs(name: string): name is PureJsBackend {
  return (PURE_JS_ORDER as readonly string[]).includes(name);
}

/** null when the native package loaded and its backend is active; else why not, in one line. */
async function tryNative(pkg: string): Promise<string | null> {
  try {
    nodeRequire(pkg);
  } catch (err) {
    // Only the package itself missing means "not installed"; a missing native library inside it is news.
    if (String((err as Error).message).includes(`Cannot find module '${pkg}'`)) return 'not installed';
    return firstLine(err);
  }
  // A second copy of tfjs-core (a version mismatch) would receive the registration instead of ours.
  if (!tf.findBackendFactory('tensorflow')) return "loaded, but its 'tensorflow' backend registered into another copy of @tensorflow/tfjs-core";
  try {
    if (!(await tf.setBackend('tensorflow'))) return "the 'tensorflow' backend failed to initialise";
    await tf.ready();
    return null;
  } catch (err) {
    return firstLine(err);
  }
}

/**
 * The 'webgpu' backend's info when it is now active; else why not, in one line. A software adapter
 * is taken only when `allowSoftware` (SCOREBENCH_BACKEND=webgpu): on the CPU, wasm is faster.
 */
async function tryWebGpu(needed: string[], allowSoftware: boolean): Promise<Omit<BackendInfo, 'fallbacks'> | string> {
  const adapter = await requestWebGpuAdapter();
  if (typeof adapter === 'string') return adapter;
  if (adapter.software && !allowSoftware) return `only a software adapter (${adapter.description || adapter.vendor || 'fallback'}), slower than wasm; SCOREBENCH_BACKEND=webgpu uses it`;
  try {
    loadWebGpuBackend();
    const missing = missingKernels(needed, 'webgpu');
    if (missing.length > 0) return `kernels not registered: ${missing.join(', ')}`;
    // Split-K matMul (chosen for inner dimensions ≥ 2000) sums with atomic adds in whatever order
    // the GPU runs them; the plain tiled program keeps a seeded run bit-repeatable.
    tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 3);
    await setBackend('webgpu');
  } catch (err) {
    return firstLine(err);
  }
  return { name: 'webgpu', package: WEBGPU_PACKAGE, gpu: !adapter.software, adapter };
}

/** The active pure-JS backend, its threads, and the notes on how it was chosen. */
function pureJsInfo(fallbacks: string[]): BackendInfo {
  const name = tf.getBackend();
  return { name, package: PURE_JS_PACKAGE, gpu: false, threads: name === 'wasm' ? getThreadsCount() : 1, fallbacks };
}

/**
 * When `name` has every kernel in `needed` and is now active: the notes activating it left (an empty
 * list when there are none). Else why not, in one line.
 */
async function tryPureJs(name: PureJsBackend, needed: string[]): Promise<string[] | string> {
  // Kernels register by backend name, so they can be checked before the backend starts.
  const missing = missingKernels(needed, name);
  if (missing.length > 0) return `kernels not registered: ${missing.join(', ')}`;
  try {
    return await activatePureJs(name);
  } catch (err) {
    return firstLine(err);
  }
}

/**
 * Activates `name`; returns notes on what it could not use (wasm: its threads, its SIMD kernels),
 * one line each.
 */
async function activatePureJs(name: PureJsBackend): Promise<string[]> {
  if (name !== 'wasm') {
    await setBackend(name);
    return [];
  }
  const notes: string[] = [];
  const threads = wasmThreadCount(process.env, availableParallelism(), await measureBusyCores());
  let threaded = false;
  if (threads > 1) {
    try {
      await activateThreadedWasm(threads);
      threaded = true;
    } catch (err) {
      notes.push(`wasm threads: ${firstLine(err)}; computing on one thread`);
    }
  }
  if (!threaded) {
    // The .wasm binaries sit next to the package's main file; point the loader there explicitly so
    // it finds them from the bundle as well as from the sources.
    setWasmPaths(dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm')) + sep);
    await setBackend(name);
  }
  const simd = installSimdKernels(threaded ? threads : 1);
  if (simd !== null) notes.push(`wasm SIMD kernels: ${simd}; using tfjs's own`);
  return notes;
}

async function setBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the '${name}' backend failed to initialise`);
  await tf.ready();
}

/**
 * Chooses the TensorFlow.js backend the engine computes on, fastest first:
 *
 * 1. `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node` (optional dependencies: native
 *    TensorFlow; each registers the 'tensorflow' backend into the same tfjs core we import);
 * 2. pure `@tensorflow/tfjs`: the WebAssembly backend when it has every kernel the engine runs,
 *    else the plain JavaScript 'cpu' backend.
 *
 * `SCOREBENCH_BACKEND=cpu|wasm` skips the search and forces one (tests, reproducing a run).
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
import type { BackendInfo } from '../common/api';
import { kernelsUsed, missingKernels } from './kernel-probe';
import { installSimdKernels } from './wasm/simd-kernels';
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

const NATIVE_PACKAGES = [
  { pkg: '@tensorflow/tfjs-node-gpu', gpu: true },
  { pkg: '@tensorflow/tfjs-node', gpu: false },
] as const;

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
    if (!isPureJs(forced)) throw new Error(`SCOREBENCH_BACKEND must be one of: ${PURE_JS_ORDER.join(', ')} (got ${JSON.stringify(forced)})`);
    const notes = await activatePureJs(forced);
    return pureJsInfo([`forced by SCOREBENCH_BACKEND=${forced}`, ...notes]);
  }

  const fallbacks: string[] = [];
  for (const { pkg, gpu } of NATIVE_PACKAGES) {
    const reason = await tryNative(pkg);
    if (reason === null) return { name: tf.getBackend(), package: pkg, gpu, fallbacks };
    fallbacks.push(`${pkg}: ${reason}`);
  }

  // The probe runs on 'cpu', which implements every kernel, to learn what the engine needs.
  await activatePureJs('cpu');
  const needed = await kernelsUsed();
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

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim() || 'unknown error';
}

/**
 * The WebAssembly backend on XNNPACK's thread pool, in Node.
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build but never loads it in Node
 * (tensorflow/tfjs#3830): its loader hands Emscripten's pthread workers Blob URLs, which Node's
 * worker_threads cannot start. Emscripten's own Node support works, given the worker script as a
 * file (the approach of tensorflow/tfjs#8059). So this module instantiates the package's threaded
 * build itself and registers it under the name 'wasm': every wasm kernel runs on it unchanged.
 *
 * XNNPACK splits a product by output tiles, never along the summed dimension, so every result is
 * bit-identical whatever the thread count (a seeded run repeats exactly on a machine with more or
 * fewer cores; checked by training with 1, 2 and 3 threads).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as OsModule from 'node:os';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const nodeRequire = createRequire(__filename);
/** The os module object itself (not an import's copy of it): the build reads os.cpus from it. */
const os = nodeRequire('node:os') as typeof OsModule;

/** Emscripten's pthread pool size in this build: the most threads the pool can start. */
const MAX_THREADS = 8;
/** Loading the pool's workers takes well under a second; a stuck load falls back to one thread. */
const LOAD_TIMEOUT_MS = 15_000;

/** The parts of the Emscripten module used here. */
interface ThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { unusedWorkers: Worker[]; runningWorkers: Worker[]; terminateAllThreads(): void };
  tfjs?: unknown;
}
type ThreadedFactory = ((options: object) => Promise<ThreadedModule>) & { wasmWorkerContents?: string };

/**
 * Threads to compute on: SCOREBENCH_WASM_THREADS when set (1 turns threading off); else, at most
 * MAX_THREADS, one per core the OS offers when the machine is idle as the engine starts (less than
 * IDLE_BUSY_CORES cores' worth of work running: measureBusyCores), one per core but one when not. XNNPACK splits each op
 * evenly over its threads and waits for the slowest, so a thread that loses its core to another
 * process stalls every op: on a busy 2-core machine 2 threads trained at ≈ 17 steps/s where 1
 * thread did ≈ 45. On an idle one, 2 threads sampled ≈ 1.3× and trained ≈ 1.15× faster than 1
 * (10,000 ALD chains; MLP 3×128 at batch 512; bench/engine-workloads.ts). Results are the same for
 * any count (see above), so the choice changes speed only.
 */
export function wasmThreadCount(env: NodeJS.ProcessEnv, cores: number, busyCores: number): number {
  const forced = env.SCOREBENCH_WASM_THREADS?.trim();
  if (forced) {
    const n = Number(forced);
    if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
      throw new Error(`SCOREBENCH_WASM_THREADS must be an integer from 1 to ${MAX_THREADS} (got ${JSON.stringify(forced)})`);
    return n;
  }
  return Math.max(1, Math.min(MAX_THREADS, busyCores < IDLE_BUSY_CORES ? cores : cores - 1));
}

/** Below this many cores' worth of work the machine counts as idle. */
export const IDLE_BUSY_CORES = 0.5;

/**
 * How many cores' worth of work the machine ran over the next `ms` milliseconds, from the OS's
 * per-core time counters (the load average would lag a minute behind).
 */
export async function measureBusyCores(ms = 250): Promise<number> {
  const totals = () =>
    os.cpus().reduce(
      (acc, cpu) => {
        const t = cpu.times;
        return { busy: acc.busy + t.user + t.nice + t.sys + t.irq, all: acc.all + t.user + t.nice + t.sys + t.irq + t.idle };
      },
      { busy: 0, all: 0 },
    );
  const before = totals();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? ((after.busy - before.busy) / all) * os.cpus().length : 0;
}

/**
 * Makes the 'wasm' backend the threaded build on `threads` threads (the calling thread included)
 * and activates it. Throws, leaving the stock single-threaded 'wasm' backend registered, if the
 * build cannot start.
 */
export async function activateThreadedWasm(threads: number): Promise<void> {
  const module = await loadThreadedModule(threads);
  const stock = tf.findBackendFactory('wasm');
  try {
    setThreadsCount(threads);
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]), 2);
    if (!(await tf.setBackend('wasm'))) throw new Error("the threaded 'wasm' backend failed to initialise");
    await tf.ready();
    // The backend started its pool above; the workers beyond it would only hold memory.
    for (const worker of module.PThread.unusedWorkers) void worker.terminate();
    module.PThread.unusedWorkers.length = 0;
    // Running pool threads are ref'd: unref them so they never keep the process alive.
    for (const worker of module.PThread.runningWorkers) worker.unref();
  } catch (err) {
    module.PThread.terminateAllThreads();
    tf.removeBackend('wasm');
    if (stock) tf.registerBackend('wasm', stock, 2);
    throw err;
  }
}

async function loadThreadedModule(threads: number): Promise<ThreadedModule> {
  const folder = join(dirname(dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm'))), 'wasm-out');
  const mainScript = join(folder, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = nodeRequire(mainScript) as ThreadedFactory;
  const workerSource = (nodeRequire(join(folder, 'tfjs-backend-wasm-threaded-simd.worker.js')) as ThreadedFactory).wasmWorkerContents;
  if (typeof factory !== 'function' || typeof workerSource !== 'string') throw new Error('the threaded wasm build has an unexpected layout');

  // The worker script as a file in a fresh private folder. The package keeps it as a string whose
  // newlines stand for "\n" escapes inside string literals; the script evaluates the main script,
  // whose CommonJS footer assigns to `module.exports`, so a `module` is made global first.
  const scratch = mkdtempSync(join(os.tmpdir(), 'scorebench-wasm-'));
  const workerFile = join(scratch, 'worker.js');
  writeFileSync(workerFile, 'global.module = module;\n' + workerSource.replace(/\n/g, '\\n'), { mode: 0o600 });

  // The build caps its pool at half the logical cores (it assumes two hyperthreads per core), read
  // once from os.cpus() while it starts; report enough cores for `threads` for that moment only.
  const cpus = os.cpus;
  const reported = cpus();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => reported[i % reported.length]);
  // Emscripten builds the module on the options object it is given, pool included.
  const options = {
    locateFile: (file: string) => (file.endsWith('.worker.js') ? workerFile : join(folder, file)),
    mainScriptUrlOrBlob: mainScript,
  } as Partial<ThreadedModule>;
  let timer: NodeJS.Timeout | undefined;
  let ready: ThreadedModule;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`its workers did not load within ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
    });
    ready = await Promise.race([factory(options), timeout]);
  } catch (err) {
    options.PThread?.terminateAllThreads();
    throw err;
  } finally {
    clearTimeout(timer);
    os.cpus = cpus;
    // Every pool worker has read the script by now (or never will).
    rmSync(scratch, { recursive: true, force: true });
  }
  // The same bridge tfjs-backend-wasm's own loader builds (backend_wasm.ts, init()).
  ready.tfjs = {
    init: ready.cwrap('init', null, []),
    initWithThreadsCount: ready.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: ready.cwrap('get_threads_count', 'number', []),
    registerTensor: ready.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: ready.cwrap('dispose_data', null, ['number']),
    dispose: ready.cwrap('dispose', null, []),
  };
  return ready;
}

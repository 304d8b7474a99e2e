/**
 * The engine's SIMD element-wise kernels (simd-kernels.ts) on more than one thread. XNNPACK spreads
 * the products over its pool, but tfjs runs every other kernel on the calling thread alone; with
 * two threads a sampler step of 10,000 chains spent ≈ 20 ms in its two [10000, 128]·[128, 128]
 * products and ≈ 15 ms in its three softplus. So helper threads (worker_threads) instantiate the
 * same module over the backend's shared memory, and a large call is cut into equal parts, the
 * calling thread computing the first. The parts are disjoint and each element is computed by the
 * same code whichever thread runs it, so results do not depend on the split.
 *
 * Each helper waits on its own control block (Atomics.wait); the caller posts a call, computes its
 * own part, then waits for the helpers' (the kernel must return its output synchronously). A helper
 * that does not answer within HELPER_TIMEOUT_MS is given up: its part is computed by the caller,
 * and later calls run on the caller alone.
 */
import { Worker } from 'node:worker_threads';

/** Fewer elements than this run on the calling thread: below it, posting a part costs more than it saves. */
export const PARALLEL_MIN_ELEMENTS = 65_536;
const HELPER_TIMEOUT_MS = 10_000;

/** The control block's fields (Int32 slots). */
const STATE = 0;
const FN = 1;
const SRC = 2;
const DST = 3;
const COUNT = 4;
const RESULT = 5;
const SLOTS = 6;
/** STATE values. */
const IDLE = 0;
const POSTED = 1;
const DONE = 2;

/** An element-wise kernel over `n` floats (n a multiple of 4) from byte offset `src` to `dst`; non-zero: an input was out of its range. */
export type ElementwiseKernel = (src: number, dst: number, n: number) => number | void;

/** What a helper runs: the kernels' module, by export name. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control, names } = workerData;
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const kernels = names.map((name) => instance.exports[name]);
const ctl = new Int32Array(control);
for (;;) {
  const state = Atomics.load(ctl, ${STATE});
  if (state === ${POSTED}) {
    const result = kernels[ctl[${FN}]](ctl[${SRC}], ctl[${DST}], ctl[${COUNT}]);
    ctl[${RESULT}] = result | 0;
    Atomics.store(ctl, ${STATE}, ${DONE});
    Atomics.notify(ctl, ${STATE});
  } else {
    Atomics.wait(ctl, ${STATE}, state);
  }
}
`;

interface Helper {
  worker: Worker;
  control: Int32Array;
}

export class KernelHelpers {
  private constructor(
    private readonly helpers: Helper[],
    private readonly names: readonly string[],
  ) {}

  /**
   * `count` helper threads running the module `bytes` (which imports `env.memory`) over `memory`,
   * a shared WebAssembly.Memory; null when there is nothing to share (count < 1, memory not shared)
   * or the threads cannot start.
   */
  static start(bytes: Uint8Array, memory: { buffer: ArrayBufferLike }, names: readonly string[], count: number): KernelHelpers | null {
    if (count < 1 || typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) return null;
    const helpers: Helper[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const control = new SharedArrayBuffer(SLOTS * 4);
        const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { bytes, memory, control, names } });
        // A helper never keeps the process alive: it only ever waits for the next call. One that
        // fails (it should not) is simply not waited for: run() times out and goes on without it.
        worker.unref();
        worker.on('error', () => undefined);
        helpers.push({ worker, control: new Int32Array(control) });
      }
    } catch {
      for (const h of helpers) void h.worker.terminate();
      return null;
    }
    return new KernelHelpers(helpers, names);
  }

  /** How many threads a call is spread over, the calling one included. */
  get threads(): number {
    return this.helpers.length + 1;
  }

  /**
   * Runs the kernel `name` (the caller's own instance: `local`) over `n` floats, the caller's part
   * first and the helpers' in parallel; returns non-zero when any part reported an input out of range.
   */
  run(name: string, local: ElementwiseKernel, src: number, dst: number, n: number): number {
    if (n < PARALLEL_MIN_ELEMENTS || this.helpers.length === 0) return local(src, dst, n) || 0;
    const fn = this.names.indexOf(name);
    if (fn < 0) throw new Error(`no helper kernel named ${name}`);
    const parts = this.helpers.length + 1;
    // Parts of a multiple of 4 elements (the kernels take four at a time); the caller's takes the rest.
    const part = Math.floor(n / parts / 4) * 4;
    const own = n - part * this.helpers.length;
    this.helpers.forEach((h, i) => {
      const offset = 4 * (own + i * part);
      const c = h.control;
      c[FN] = fn;
      c[SRC] = src + offset;
      c[DST] = dst + offset;
      c[COUNT] = part;
      Atomics.store(c, STATE, POSTED);
      Atomics.notify(c, STATE);
    });
    let over = local(src, dst, own) || 0;
    const late: number[] = [];
    this.helpers.forEach((h, i) => {
      const c = h.control;
      const deadline = Date.now() + HELPER_TIMEOUT_MS;
      while (Atomics.load(c, STATE) !== DONE && Date.now() < deadline) Atomics.wait(c, STATE, POSTED, HELPER_TIMEOUT_MS);
      if (Atomics.load(c, STATE) === DONE) {
        over = over || c[RESULT];
        Atomics.store(c, STATE, IDLE);
      } else {
        late.push(i);
      }
    });
    if (late.length > 0) {
      // A helper that stopped answering: compute its part here (it writes the same values if it
      // ever finishes), and go on without any helpers.
      for (const i of late) over = over || local(src + 4 * (own + i * part), dst + 4 * (own + i * part), part) || 0;
      this.stop();
    }
    return over;
  }

  stop(): void {
    for (const h of this.helpers.splice(0)) void h.worker.terminate();
  }
}

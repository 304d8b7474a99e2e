/**
 * SIMD replacements for wasm kernels that tfjs-backend-wasm 4.22 runs one element at a time.
 *
 * Softplus is the MLP's activation and, in tfjs's wasm build, a scalar loop over libm's exp and
 * log: ≈ 20 ns an element, 23 ms for the [10000, 128] activations of one sampler step, which made it
 * the largest cost of sampling and a sixth of a training step. Here it is computed four lanes at a
 * time in a module assembled at start-up (assembler.ts) over the backend's own memory, in ≈ 1 ns an
 * element, and registered as the 'wasm' backend's Softplus kernel. Its gradient (dy·sigmoid(x),
 * tfjs's own) is unchanged, so first- and second-order gradients are as before.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assembleModule, I32, op, V128, type FunctionDef } from './assembler';

/** The WebAssembly JS API members used here: Node has them, this project's lib settings do not declare them. */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WasmJs = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The exp argument is clamped here: e^-87.3 is the smallest normal float32 (2^-126). */
const EXP_MIN = -87.3;
/** ln 2 split so that k·LN2_HI is exact for the |k| ≤ 126 used here (Cody & Waite 1980). */
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;

/** Horner's scheme for Σ c_i·v^i with v in local `v`, coefficients highest degree first. */
function horner(v: number, coefficients: number[]): number[][] {
  const [first, ...rest] = coefficients;
  return [op.f32x4Const(first), ...rest.flatMap((c) => [op.localGet(v), op.f32x4Mul, op.f32x4Const(c), op.f32x4Add])];
}

/** 1.5·2²³: added to a float in [−2²², 2²²], leaves round(v) in the low mantissa bits. */
const ROUNDER = 12582912;
/** The bits of ROUNDER as an int32. */
const ROUNDER_BITS = 0x4b400000;

/**
 * softplus(x) = max(x, 0) + log1p(e^-|x|), over `n` floats (n a multiple of 4) from `src` to `dst`.
 *
 * e^y for y = max(−|x|, EXP_MIN) ≤ 0: y = k·ln 2 + r with k = round(y·log₂e), |r| ≤ ln 2/2; e^r by
 * its Taylor polynomial to r⁷ (remainder < 6·10⁻⁹ relative); 2^k from the exponent bits. Both k
 * and 2^k come from adding ROUNDER (round to nearest, then integer bits), without conversions.
 * log1p(t) for t ∈ (0, 1]: 2·atanh(s) with s = t/(2 + t) ≤ 1/3, the odd series to s¹³ (remainder
 * < 2·10⁻⁸ relative); no 1 + t is formed, so a tiny t keeps its digits. Below x = −87.3 the result
 * stays at e^−87.3 ≈ 1.2·10⁻³⁸ rather than going subnormal. NaN stays NaN.
 */
function softplusFunction(): FunctionDef {
  const [src, dst, n, end, x, y, k, r, t, s, z, kr] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'softplus',
    params: [I32, I32, I32],
    results: [],
    locals: [I32, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      [...op.localGet(src), ...op.localGet(n), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.localSet(end)],
      op.block,
      op.loop,
      [...op.localGet(src), ...op.localGet(end), ...op.i32GeU, ...op.brIf(1)],
      [...op.localGet(src), ...op.v128Load, ...op.localSet(x)],
      // y = max(−|x|, EXP_MIN); kr = y·log₂e + ROUNDER; k = kr − ROUNDER = round(y·log₂e); r = y − k·ln 2
      [...op.localGet(x), ...op.f32x4Abs, ...op.f32x4Neg, ...op.f32x4Const(EXP_MIN), ...op.f32x4Pmax, ...op.localSet(y)],
      [...op.localGet(y), ...op.f32x4Const(Math.LOG2E), ...op.f32x4Mul, ...op.f32x4Const(ROUNDER), ...op.f32x4Add, ...op.localTee(kr)],
      [...op.f32x4Const(ROUNDER), ...op.f32x4Sub, ...op.localSet(k)],
      [...op.localGet(y), ...op.localGet(k), ...op.f32x4Const(LN2_HI), ...op.f32x4Mul, ...op.f32x4Sub],
      [...op.localGet(k), ...op.f32x4Const(LN2_LO), ...op.f32x4Mul, ...op.f32x4Sub, ...op.localSet(r)],
      // t = e^r · 2^k, 2^k being the float with exponent bits k + 127: (bits(kr) − bits(ROUNDER) + 127) << 23
      ...horner(r, [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]),
      [...op.localGet(kr), ...op.i32x4Const(127 - ROUNDER_BITS), ...op.i32x4Add, ...op.i32Const(23), ...op.i32x4Shl],
      [...op.f32x4Mul, ...op.localSet(t)],
      // s = t/(2 + t); log1p(t) = s·(2 + z·(2/3 + z·(2/5 + … + z·2/13))), z = s²
      [...op.localGet(t), ...op.localGet(t), ...op.f32x4Const(2), ...op.f32x4Add, ...op.f32x4Div, ...op.localSet(s)],
      [...op.localGet(s), ...op.localGet(s), ...op.f32x4Mul, ...op.localSet(z)],
      // The destination address goes on the stack first, for the store.
      op.localGet(dst),
      ...horner(z, [2 / 13, 2 / 11, 2 / 9, 2 / 7, 2 / 5, 2 / 3, 2]),
      [...op.localGet(s), ...op.f32x4Mul],
      // pmax(x, 0) is x when x is NaN, so NaN goes through.
      [...op.localGet(x), ...op.f32x4Const(0), ...op.f32x4Pmax, ...op.f32x4Add],
      op.v128Store,
      [...op.localGet(src), ...op.i32Const(16), ...op.i32Add, ...op.localSet(src)],
      [...op.localGet(dst), ...op.i32Const(16), ...op.i32Add, ...op.localSet(dst)],
      op.br(0),
      op.end,
      op.end,
    ],
  };
}

interface SimdKernels {
  softplus(src: number, dst: number, n: number): void;
}

/** The kernels, compiled against `memory`. */
export function compileSimdKernels(memory: WasmMemory): SimdKernels {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = assembleModule([softplusFunction()], shared);
  const instance = new WasmJs.Instance(new WasmJs.Module(bytes), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}

/** The wasm backend's memory: exported by the single-threaded build, imported (and kept) by the threaded one. */
function backendMemory(backend: BackendWasm): WasmMemory | null {
  const module = backend.wasm as unknown as { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } };
  return module.wasmMemory ?? module.asm?.memory ?? null;
}

/**
 * Registers the SIMD Softplus as the active 'wasm' backend's kernel (float32 tensors of 4 or more
 * elements; anything else goes to tfjs's own kernel). Returns why not, when it cannot.
 */
export function installSimdKernels(): string | null {
  const backend = tf.backend() as BackendWasm;
  const memory = tf.getBackend() === 'wasm' ? backendMemory(backend) : null;
  if (!memory) return 'the wasm backend is not active or its memory is not reachable';
  const stock = tf.getKernel('Softplus', 'wasm');
  if (!stock) return 'the wasm backend has no Softplus kernel to replace';
  let kernels: SimdKernels;
  try {
    kernels = compileSimdKernels(memory);
  } catch (err) {
    return `WebAssembly SIMD unavailable: ${err instanceof Error ? err.message : String(err)}`;
  }
  tf.unregisterKernel('Softplus', 'wasm');
  tf.registerKernel({
    kernelName: 'Softplus',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const size = x.shape.reduce((a, b) => a * b, 1);
      if (x.dtype !== 'float32' || size < 4) return stock.kernelFunc(args);
      const wasm = args.backend as BackendWasm;
      const out = wasm.makeOutput(x.shape, 'float32');
      const src = wasm.getMemoryOffset(x.dataId);
      const dst = wasm.getMemoryOffset(out.dataId);
      const body = size & ~3;
      kernels.softplus(src, dst, body);
      // The last 1–3 elements: the final four again (the output is a separate buffer).
      if (body !== size) kernels.softplus(src + 4 * (size - 4), dst + 4 * (size - 4), 4);
      return out;
    },
  });
  return null;
}

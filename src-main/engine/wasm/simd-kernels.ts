/**
 * SIMD replacements for wasm kernels that tfjs-backend-wasm 4.22 runs one element at a time,
 * computed four lanes at a time in a module assembled at start-up (assembler.ts) over the backend's
 * own memory and registered as the 'wasm' backend's kernels. Measured on one core (bench/run.ts's
 * machine, best of many runs):
 *
 * - Softplus, the MLP's activation: tfjs's scalar loop over libm's exp and log took 26 ms for the
 *   [10000, 128] activations of one sampler step (the largest cost of sampling) and 1.3 ms for a
 *   batch of 512; here 4.9 ms and 0.25 ms. Its gradient (dy·sigmoid(x), tfjs's own) is unchanged,
 *   so first- and second-order gradients are as before.
 * - Sin and Cos, the sinusoidal σ embedding: ≈ 500 µs each for [512, 16] (≈ 60 ns an element),
 *   here 28 µs, within ≈ 1·10⁻⁷ of the exact value for |x| ≤ 65536; larger inputs go to tfjs's
 *   kernel, which reduces them exactly.
 * - Transpose of float matrices with sides a multiple of 4 (the dense layers' backward pass):
 *   240 µs for [512, 128], here 73 µs.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assembleModule, I32, op, V128, type FunctionDef } from './assembler';
import { KernelHelpers } from './kernel-helpers';

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

/** π/2 in three parts (Cody & Waite 1980): j·P1 is exact for the |j| ≤ 2¹⁶ used here. */
const HALF_PI = [1.5703125, 4.837512969970703e-4, 7.549789948768648e-8];
/** Minimax polynomials for sin and cos on [−π/4, π/4] (Moshier, Cephes sinf.c/cosf.c). */
const SIN_COEFFICIENTS = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1];
const COS_COEFFICIENTS = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2];
/** Inputs beyond ±65536 (these bits) are left to tfjs's kernel, which reduces them exactly. */
const TRIG_LIMIT_BITS = 0x47800000;

/**
 * sin(x) (quarter = 0) or cos(x) = sin(x + π/2) (quarter = 1) over `n` floats (a multiple of 4).
 * x = j·π/2 + r with j = round(x·2/π), |r| ≤ π/4; sin r and cos r by their polynomials; the
 * quadrant (j + quarter) mod 4, read from the rounding's integer bits, picks sin or cos and the
 * sign. Returns 1 if some |x| exceeded the limit (or was NaN), so the caller can redo the op.
 */
function trigFunction(name: string, quarter: 0 | 1): FunctionDef {
  const [src, dst, n, end, x, jr, j, r, z, s, c, q, maxBits] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const laneOver = (lane: number) => [...op.localGet(maxBits), ...op.i32x4ExtractLane(lane), ...op.i32Const(TRIG_LIMIT_BITS), ...op.i32GtU];
  return {
    name,
    params: [I32, I32, I32],
    results: [I32],
    locals: [I32, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      [...op.localGet(src), ...op.localGet(n), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.localSet(end)],
      op.block,
      op.loop,
      [...op.localGet(src), ...op.localGet(end), ...op.i32GeU, ...op.brIf(1)],
      [...op.localGet(src), ...op.v128Load, ...op.localSet(x)],
      // The largest |x| so far, compared as unsigned bits (NaN counts as over the limit).
      [...op.localGet(maxBits), ...op.localGet(x), ...op.i32x4Const(0x7fffffff), ...op.v128And, ...op.i32x4MaxU, ...op.localSet(maxBits)],
      // jr = x·2/π + ROUNDER; j = round(x·2/π); r = x − j·π/2
      [...op.localGet(x), ...op.f32x4Const(2 / Math.PI), ...op.f32x4Mul, ...op.f32x4Const(ROUNDER), ...op.f32x4Add, ...op.localTee(jr)],
      [...op.f32x4Const(ROUNDER), ...op.f32x4Sub, ...op.localSet(j)],
      [...op.localGet(x), ...HALF_PI.flatMap((p) => [...op.localGet(j), ...op.f32x4Const(p), ...op.f32x4Mul, ...op.f32x4Sub]), ...op.localSet(r)],
      [...op.localGet(r), ...op.localGet(r), ...op.f32x4Mul, ...op.localSet(z)],
      // s = r + r·z·P(z); c = 1 − z/2 + z²·Q(z)
      ...horner(z, SIN_COEFFICIENTS),
      [...op.localGet(z), ...op.f32x4Mul, ...op.localGet(r), ...op.f32x4Mul, ...op.localGet(r), ...op.f32x4Add, ...op.localSet(s)],
      ...horner(z, COS_COEFFICIENTS),
      [...op.localGet(z), ...op.f32x4Mul, ...op.localGet(z), ...op.f32x4Mul],
      [...op.f32x4Const(1), ...op.localGet(z), ...op.f32x4Const(0.5), ...op.f32x4Mul, ...op.f32x4Sub, ...op.f32x4Add, ...op.localSet(c)],
      // Quadrant: the low bits of jr's integer part, plus `quarter`.
      [...op.localGet(jr), ...op.i32x4Const(quarter), ...op.i32x4Add, ...op.localSet(q)],
      op.localGet(dst),
      // Odd quadrants take cos r, even ones sin r; quadrants 2 and 3 flip the sign bit.
      [...op.localGet(c), ...op.localGet(s), ...op.localGet(q), ...op.i32x4Const(1), ...op.v128And, ...op.i32x4Const(1), ...op.i32x4Eq, ...op.v128Bitselect],
      [...op.localGet(q), ...op.i32x4Const(2), ...op.v128And, ...op.i32Const(30), ...op.i32x4Shl, ...op.v128Xor],
      op.v128Store,
      [...op.localGet(src), ...op.i32Const(16), ...op.i32Add, ...op.localSet(src)],
      [...op.localGet(dst), ...op.i32Const(16), ...op.i32Add, ...op.localSet(dst)],
      op.br(0),
      op.end,
      op.end,
      [...laneOver(0), ...laneOver(1), ...op.i32Or, ...laneOver(2), ...op.i32Or, ...laneOver(3), ...op.i32Or],
    ],
  };
}

/**
 * The transpose of a rows × cols float matrix (both multiples of 4), from `src` to `dst`, by 4×4
 * blocks: four rows loaded, interleaved into four columns by shuffles, stored as four rows of the
 * result. tfjs's wasm Transpose walks element by element (≈ 240 µs for [512, 128]).
 */
function transposeFunction(): FunctionDef {
  const [src, dst, rows, cols, i, j, from, to, a, b, c, d, t0, t1, t2, t3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  // Row k of the block starts `k·cols` floats after `from`; column k of the result, `k·rows` after `to`.
  const load = (k: number, into: number) => [...op.localGet(from), ...op.localGet(cols), ...op.i32Const(4 * k), ...op.i32Mul, ...op.i32Add, ...op.v128Load, ...op.localSet(into)];
  const store = (k: number, x: number, y: number, lanes: [number, number, number, number]) => [
    ...op.localGet(to), ...op.localGet(rows), ...op.i32Const(4 * k), ...op.i32Mul, ...op.i32Add,
    ...op.localGet(x), ...op.localGet(y), ...op.shuffle32(lanes), ...op.v128Store,
  ];
  return {
    name: 'transpose',
    params: [I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128],
    body: [
      [...op.i32Const(0), ...op.localSet(i)],
      op.block,
      op.loop,
      [...op.localGet(i), ...op.localGet(rows), ...op.i32GeU, ...op.brIf(1)],
      [...op.i32Const(0), ...op.localSet(j)],
      op.block,
      op.loop,
      [...op.localGet(j), ...op.localGet(cols), ...op.i32GeU, ...op.brIf(1)],
      // from = src + 4·(i·cols + j); to = dst + 4·(j·rows + i)
      [...op.localGet(src), ...op.localGet(i), ...op.localGet(cols), ...op.i32Mul, ...op.localGet(j), ...op.i32Add, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.localSet(from)],
      [...op.localGet(dst), ...op.localGet(j), ...op.localGet(rows), ...op.i32Mul, ...op.localGet(i), ...op.i32Add, ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.localSet(to)],
      [...load(0, a), ...load(1, b), ...load(2, c), ...load(3, d)],
      // t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
      [...op.localGet(a), ...op.localGet(b), ...op.shuffle32([0, 4, 1, 5]), ...op.localSet(t0)],
      [...op.localGet(a), ...op.localGet(b), ...op.shuffle32([2, 6, 3, 7]), ...op.localSet(t1)],
      [...op.localGet(c), ...op.localGet(d), ...op.shuffle32([0, 4, 1, 5]), ...op.localSet(t2)],
      [...op.localGet(c), ...op.localGet(d), ...op.shuffle32([2, 6, 3, 7]), ...op.localSet(t3)],
      // column k of the block = (a_k, b_k, c_k, d_k)
      store(0, t0, t2, [0, 1, 4, 5]),
      store(1, t0, t2, [2, 3, 6, 7]),
      store(2, t1, t3, [0, 1, 4, 5]),
      store(3, t1, t3, [2, 3, 6, 7]),
      [...op.localGet(j), ...op.i32Const(4), ...op.i32Add, ...op.localSet(j)],
      op.br(0),
      op.end,
      op.end,
      [...op.localGet(i), ...op.i32Const(4), ...op.i32Add, ...op.localSet(i)],
      op.br(0),
      op.end,
      op.end,
    ],
  };
}

interface SimdKernels {
  softplus(src: number, dst: number, n: number): void;
  /** 1 when an input was out of range (the output is then to be recomputed). */
  sin(src: number, dst: number, n: number): number;
  cos(src: number, dst: number, n: number): number;
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

/** The kernels' module for `memory` (shared or not). */
export function kernelsModule(memory: WasmMemory): Uint8Array {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  return assembleModule([softplusFunction(), trigFunction('sin', 0), trigFunction('cos', 1), transposeFunction()], shared);
}

/** The kernels, compiled against `memory` (from `bytes`, its module, when already assembled). */
export function compileSimdKernels(memory: WasmMemory, bytes = kernelsModule(memory)): SimdKernels {
  const instance = new WasmJs.Instance(new WasmJs.Module(bytes), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}

/** The wasm backend's memory: exported by the single-threaded build, imported (and kept) by the threaded one. */
function backendMemory(backend: BackendWasm): WasmMemory | null {
  const module = backend.wasm as unknown as { wasmMemory?: WasmMemory; asm?: { memory?: WasmMemory } };
  return module.wasmMemory ?? module.asm?.memory ?? null;
}

type Elementwise = (src: number, dst: number, n: number) => number | void;

/**
 * Replaces the 'wasm' backend's kernel `name` by `simd` over float32 tensors of 4 or more elements,
 * handing anything else (and any call `simd` reports out of range) to tfjs's own kernel. With
 * `helpers`, large calls are spread over their threads too.
 */
function replaceKernel(name: string, exportName: string, local: Elementwise, helpers: KernelHelpers | null): void {
  const simd: Elementwise = helpers ? (src, dst, n) => helpers.run(exportName, local, src, dst, n) : local;
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) throw new Error(`the wasm backend has no ${name} kernel to replace`);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
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
      let over = simd(src, dst, body);
      // The last 1–3 elements: the final four again (the output is a separate buffer).
      if (body !== size) over = simd(src + 4 * (size - 4), dst + 4 * (size - 4), 4) || over;
      if (!over) return out;
      wasm.disposeData(out.dataId);
      return stock.kernelFunc(args);
    },
  });
}

/** Replaces the 'wasm' backend's Transpose for float32 matrices with both sides a multiple of 4. */
function replaceTranspose(simd: SimdKernels['transpose']): void {
  const stock = tf.getKernel('Transpose', 'wasm');
  if (!stock) throw new Error('the wasm backend has no Transpose kernel to replace');
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({
    kernelName: 'Transpose',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const perm = (args.attrs as { perm: number[] }).perm;
      const [rows, cols] = x.shape;
      if (x.dtype !== 'float32' || x.shape.length !== 2 || perm[0] !== 1 || rows % 4 !== 0 || cols % 4 !== 0 || rows * cols === 0)
        return stock.kernelFunc(args);
      const wasm = args.backend as BackendWasm;
      const out = wasm.makeOutput([cols, rows], 'float32');
      simd(wasm.getMemoryOffset(x.dataId), wasm.getMemoryOffset(out.dataId), rows, cols);
      return out;
    },
  });
}

/** The helper threads of the installed kernels (stopped when the kernels are installed again). */
let activeHelpers: KernelHelpers | null = null;

/** The element-wise kernels replaced: tfjs's kernel name, and the export of ours that computes it. */
const ELEMENTWISE = [
  ['Softplus', 'softplus'],
  ['Sin', 'sin'],
  ['Cos', 'cos'],
] as const;

/**
 * Registers the SIMD kernels (Softplus, Sin, Cos, Transpose) as the active 'wasm' backend's, the
 * element-wise ones spread over `threads` threads (helper threads beside the calling one) when the
 * backend's memory is shared. Returns why not, when it cannot.
 */
export function installSimdKernels(threads = 1): string | null {
  const backend = tf.backend() as BackendWasm;
  const memory = tf.getBackend() === 'wasm' ? backendMemory(backend) : null;
  if (!memory) return 'the wasm backend is not active or its memory is not reachable';
  let kernels: SimdKernels;
  let bytes: Uint8Array;
  try {
    bytes = kernelsModule(memory);
    kernels = compileSimdKernels(memory, bytes);
  } catch (err) {
    return `WebAssembly SIMD unavailable: ${err instanceof Error ? err.message : String(err)}`;
  }
  activeHelpers?.stop();
  activeHelpers = KernelHelpers.start(
    bytes,
    memory,
    ELEMENTWISE.map(([, exportName]) => exportName),
    threads - 1,
  );
  try {
    for (const [kernelName, exportName] of ELEMENTWISE) replaceKernel(kernelName, exportName, kernels[exportName], activeHelpers);
    replaceTranspose(kernels.transpose);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return null;
}

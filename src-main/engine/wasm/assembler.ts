/**
 * Just enough of the WebAssembly binary format (core spec §5, SIMD proposal's opcodes) to build a
 * module of small numeric kernels at run time: one imported memory, functions over i32 and v128
 * values, exported by name. No toolchain is needed, so the kernels ship as readable TypeScript.
 */

/** Value types (§5.3.1). */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

const unsignedLeb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
};

const signedLeb = (value: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};

const name = (s: string): number[] => [...unsignedLeb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...unsignedLeb(body.length), ...body];

/** A SIMD instruction: the 0xfd prefix and its opcode as a LEB128 u32. */
const simd = (opcode: number): number[] => [0xfd, ...unsignedLeb(opcode)];
/** memarg: alignment exponent and offset. Unaligned v128 access is valid, only a hint. */
const memarg = (alignLog2: number, offset = 0): number[] => [...unsignedLeb(alignLog2), ...unsignedLeb(offset)];

/** Instructions, each as its bytes (core spec §5.4; SIMD opcodes from the finished proposal). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...unsignedLeb(depth)],
  brIf: (depth: number) => [0x0d, ...unsignedLeb(depth)],
  localGet: (i: number) => [0x20, ...unsignedLeb(i)],
  localSet: (i: number) => [0x21, ...unsignedLeb(i)],
  localTee: (i: number) => [0x22, ...unsignedLeb(i)],
  i32Const: (v: number) => [0x41, ...signedLeb(v | 0)],
  i32Add: [0x6a],
  i32Shl: [0x74],
  i32Or: [0x72],
  i32GeU: [0x4f],
  i32Mul: [0x6c],
  i32GtU: [0x4b],
  v128Load: [...simd(0x00), ...memarg(0)],
  v128Store: [...simd(0x0b), ...memarg(0)],
  /** f32x4 with every lane `v`. */
  f32x4Const: (v: number) => {
    const bytes = Buffer.alloc(16);
    for (let lane = 0; lane < 4; lane++) bytes.writeFloatLE(v, 4 * lane);
    return [...simd(0x0c), ...bytes];
  },
  i32x4Const: (v: number) => {
    const bytes = Buffer.alloc(16);
    for (let lane = 0; lane < 4; lane++) bytes.writeInt32LE(v | 0, 4 * lane);
    return [...simd(0x0c), ...bytes];
  },
  v128And: simd(0x4e),
  v128Xor: simd(0x51),
  /** Lanes of the first operand where the mask (third) is set, else of the second. */
  v128Bitselect: simd(0x52),
  i32x4Eq: simd(0x37),
  i32x4Shl: simd(0xab),
  i32x4Add: simd(0xae),
  i32x4MaxU: simd(0xb9),
  i32x4ExtractLane: (lane: number) => [...simd(0x1b), lane],
  /** Lanes picked from two vectors' 32-bit lanes 0–3 and 4–7 (i8x16.shuffle, byte by byte). */
  shuffle32: (lanes: [number, number, number, number]) => [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])],
  f32x4Abs: simd(0xe0),
  f32x4Neg: simd(0xe1),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  /** b if a < b, else a: one instruction on x86 (f32x4.max's NaN rules cost several). */
  f32x4Pmax: simd(0xeb),
};

export interface FunctionDef {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals, by type, numbered after the parameters. */
  locals: number[];
  body: number[][];
}

/**
 * A module importing `env.memory` (shared when the host's memory is, as in a threaded build; its
 * limits are then the largest a 32-bit memory can have) and exporting the functions.
 */
export function assembleModule(functions: FunctionDef[], sharedMemory: boolean): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const memoryLimits = sharedMemory ? [0x03, ...unsignedLeb(1), ...unsignedLeb(65536)] : [0x00, ...unsignedLeb(1)];
  const imports = [[...name('env'), ...name('memory'), 0x02, ...memoryLimits]];
  const codes = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [...unsignedLeb(1), t]));
    const body = [...locals, ...f.body.flat(), ...op.end];
    return [...unsignedLeb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((_, i) => unsignedLeb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...unsignedLeb(i)]))),
    ...section(10, vec(codes)),
  ]);
}

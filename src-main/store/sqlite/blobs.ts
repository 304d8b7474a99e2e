/**
 * Float arrays as blobs: the raw little-endian float32 bytes (the byte order of every platform
 * Electron ships for), 4 bytes per number, readable by numpy's `frombuffer(b, '<f4')`.
 */
import type { NamedTensor } from '../../engine/types';

/** The bytes of `data`, without copying; a subarray keeps its own offset into the shared buffer. */
export function float32ToBlob(data: Float32Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Numbers as float32 bytes (a float64 input loses precision here, by design of the schema). */
export function numbersToBlob(values: ArrayLike<number>): Buffer {
  return float32ToBlob(Float32Array.from(values));
}

/**
 * A copy of the blob's floats. Always a copy: a Buffer may start at any byte offset of its
 * ArrayBuffer, and a Float32Array view needs a multiple of 4.
 */
export function blobToFloat32(blob: Buffer): Float32Array {
  if (blob.byteLength % 4 !== 0) throw new Error(`a float32 blob of ${blob.byteLength} bytes is not a whole number of floats`);
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

export function blobToNumbers(blob: Buffer): number[] {
  return Array.from(blobToFloat32(blob));
}

/** Per tensor, what the weights row keeps beside the concatenated floats. */
export interface TensorLayout {
  name: string;
  shape: number[];
}

const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Every tensor's floats one after another, and the names and shapes that cut them apart again. */
export function packTensors(tensors: readonly NamedTensor[]): { layout: TensorLayout[]; blob: Buffer } {
  let total = 0;
  for (const t of tensors) {
    const expected = elementCount(t.shape);
    if (expected !== t.data.length)
      throw new Error(`tensor ${t.name}: shape [${t.shape.join(', ')}] holds ${expected} numbers, data has ${t.data.length}`);
    total += expected;
  }
  const all = new Float32Array(total);
  let offset = 0;
  for (const t of tensors) {
    all.set(t.data, offset);
    offset += t.data.length;
  }
  return { layout: tensors.map((t) => ({ name: t.name, shape: [...t.shape] })), blob: float32ToBlob(all) };
}

export function unpackTensors(layout: readonly TensorLayout[], blob: Buffer): NamedTensor[] {
  const all = blobToFloat32(blob);
  const expected = layout.reduce((sum, t) => sum + elementCount(t.shape), 0);
  if (expected !== all.length) throw new Error(`weights blob holds ${all.length} numbers, its layout ${expected}`);
  let offset = 0;
  return layout.map((t) => {
    const count = elementCount(t.shape);
    // slice, not subarray: each tensor gets its own buffer, so freeing one never pins the rest.
    const data = all.slice(offset, offset + count);
    offset += count;
    return { name: t.name, shape: [...t.shape], data };
  });
}

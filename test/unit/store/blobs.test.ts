import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobToFloat32, float32ToBlob, packTensors, unpackTensors } from '../../../src-main/store/sqlite/blobs';

test('a Float32Array view stores only its own bytes, little-endian', () => {
  const backing = new Float32Array([9, 1.5, -2, 9]);
  const blob = float32ToBlob(backing.subarray(1, 3));
  assert.equal(blob.byteLength, 8);
  assert.equal(blob.readFloatLE(0), 1.5);
  assert.equal(blob.readFloatLE(4), -2);
});

test('a blob at an odd byte offset of its buffer still reads back as floats', () => {
  const bytes = Buffer.alloc(13);
  const blob = bytes.subarray(1);
  blob.writeFloatLE(0.25, 0);
  blob.writeFloatLE(-3, 4);
  blob.writeFloatLE(1e6, 8);
  assert.deepEqual(blobToFloat32(blob), new Float32Array([0.25, -3, 1e6]));
  assert.throws(() => blobToFloat32(bytes.subarray(0, 6)), /not a whole number of floats/);
});

test('tensors pack into one blob and unpack into separate arrays with their names and shapes', () => {
  const tensors = [
    { name: 'a', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
    { name: 'b', shape: [0], data: new Float32Array(0) },
    { name: 'c', shape: [1, 1, 1], data: new Float32Array([5]) },
  ];
  const { layout, blob } = packTensors(tensors);
  assert.deepEqual(layout, tensors.map(({ name, shape }) => ({ name, shape })));
  const back = unpackTensors(layout, blob);
  assert.deepEqual(back, tensors);
  assert.notEqual(back[0].data.buffer, back[2].data.buffer);
  assert.throws(() => unpackTensors([{ name: 'a', shape: [3] }], blob), /holds 5 numbers, its layout 3/);
});

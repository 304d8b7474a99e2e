/**
 * The U-Net's nearest 2× upsampling and its gradient on every pure-JS backend. The gradient of
 * out[b, i, j] = h[b, ⌊i/2⌋, ⌊j/2⌋] is the 2×2 block sum of dy, ∂L/∂h[b, i, j] = Σ_{u,v} dy[b, 2i+u, 2j+v]:
 * a closed form, so no backend serves as the reference (tfjs-backend-cpu 4.22's own
 * resizeNearestNeighbor gradient is wrong for batch > 1).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { upsampleNearest2x } from '../../../../src-main/engine/networks/upsample';
import { createRng } from '../../../../src-main/engine/random';
import { assertAllClose, useEngineBackend } from '../helpers';

useEngineBackend();
let engineBackend: string | undefined;
after(async () => {
  if (engineBackend) await tf.setBackend(engineBackend);
});

const [N, H, W, C] = [3, 2, 3, 2];
const rng = createRng(7, 'upsample');
const h = Float32Array.from(rng.normals(N * H * W * C));
const dy = Float32Array.from(rng.normals(N * 2 * H * 2 * W * C));
const at = (b: number, i: number, j: number, c: number, height: number, width: number) => ((b * height + i) * width + j) * C + c;

/** The closed forms: out[b, i, j, c] = h[b, ⌊i/2⌋, ⌊j/2⌋, c] and the 2×2 block sums of dy. */
function expected(): { out: Float32Array; grad: Float32Array } {
  const out = new Float32Array(dy.length);
  const grad = new Float32Array(h.length);
  for (let b = 0; b < N; b++)
    for (let i = 0; i < 2 * H; i++)
      for (let j = 0; j < 2 * W; j++)
        for (let c = 0; c < C; c++) {
          const small = at(b, i >> 1, j >> 1, c, H, W);
          out[at(b, i, j, c, 2 * H, 2 * W)] = h[small];
          grad[small] += dy[at(b, i, j, c, 2 * H, 2 * W)];
        }
  return { out, grad };
}

for (const backend of ['cpu', 'wasm']) {
  test(`on ${backend}, nearest 2× upsampling copies each pixel to its 2×2 block and its gradient is the block sum of dy, for a batch of ${N}`, async () => {
    engineBackend ??= tf.getBackend();
    assert.ok(await tf.setBackend(backend), `${backend} backend`);
    const { out, grad } = expected();
    const [actualOut, actualGrad] = tf.tidy(() => {
      const x = tf.tensor4d(h, [N, H, W, C]);
      const upstream = tf.tensor4d(dy, [N, 2 * H, 2 * W, C]);
      const y = upsampleNearest2x(x);
      assert.deepEqual(y.shape, [N, 2 * H, 2 * W, C]);
      // L = Σ dy ⊙ upsample(h), so ∂L/∂h is the vector–Jacobian product with dy.
      const g = tf.grad((v) => tf.sum(tf.mul(upsampleNearest2x(v as tf.Tensor4D), upstream)))(x);
      return [y.dataSync(), g.dataSync()];
    });
    assertAllClose(actualOut, out, 0, 'upsampled');
    assertAllClose(actualGrad, grad, 1e-5, '∂L/∂h');
  });
}

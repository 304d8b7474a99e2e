import * as tf from '@tensorflow/tfjs';

/**
 * A 3×3 'same' convolution, stride 1, NHWC: x [n, H, W, C] ∗ w [3, 3, C, C'].
 *
 * Why a gradient of its own: tfjs's wasm backend has no Conv2DBackpropFilter kernel, so tf.conv2d
 * cannot train there, and the cpu backend, which has it, computes one 16-channel 28×28 layer's
 * forward and backward pass at batch 64 in ≈ 24 s (2-core x86, tfjs 4.22). wasm's own
 * Conv2DBackpropInput is ≈ 10× slower than its forward convolution. So both gradients are written
 * as forward convolutions, which wasm runs through XNNPACK (measured on a 48 → 16-channel layer at
 * batch 64: ∂x 105 ms against 969 for Conv2DBackpropInput; ∂w 200 ms against 910 for a product of
 * 3×3 patches):
 * - ∂x = dy ∗ w', w' the kernel turned 180° with its channel axes swapped (a 'same' correlation's
 *   adjoint, stride 1);
 * - ∂w[i, j, c, c'] = Σ_{n,y,x} x̂[n, y+i, x+j, c]·dy[n, y, x, c'] (x̂ padded by one): a 'valid'
 *   convolution of x̂ with batch and channel axes swapped, by dy as a [H, W, n, C'] filter.
 * The gradient is for first-order use: its own derivative is not checked, so objectives that
 * differentiate the score's Jacobian are refused for the U-Net (src-shared/config/cross-checks.ts).
 */
export const conv3x3 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w] = args as tf.Tensor4D[];
  const save = args[2] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => {
      const dyImage = dy as tf.Tensor4D;
      const turned = tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      const padded = tf.pad(xs as tf.Tensor4D, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      const channelsFirst = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D;
      const dyFilter = tf.transpose(dyImage, [1, 2, 0, 3]) as tf.Tensor4D;
      return [tf.conv2d(dyImage, turned, 1, 'same'), tf.transpose(tf.conv2d(channelsFirst, dyFilter, 1, 'valid'), [1, 2, 0, 3])];
    },
  };
}) as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

import * as tf from '@tensorflow/tfjs';

/**
 * Nearest-neighbour upsampling by 2 in height and width, [n, H, W, C] → [n, 2H, 2W, C]: out[b, i, j]
 * = h[b, ⌊i/2⌋, ⌊j/2⌋]. Written as two reshape + tile steps rather than tf.image.resizeNearestNeighbor,
 * whose gradient on tfjs-backend-cpu 4.22 reads dy at an offset of the batch stride for batch > 1
 * (wrong gradients for every image past the first; wasm and webgpu are right). Tile's gradient is
 * a sum of slices of dy on every backend, so the gradient here is the 2×2 block sum of dy,
 * ∂L/∂h[b, i, j] = Σ_{u,v∈{0,1}} dy[b, 2i+u, 2j+v]. Each tile stays at rank 4, the highest rank
 * whose tile gradient tfjs implements.
 */
export function upsampleNearest2x(h: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, height, width, channels] = h.shape;
    // Columns: each pixel's C values repeated twice along a new axis after W.
    const wide = tf.reshape(tf.tile(tf.reshape(h, [n * height, width, 1, channels]), [1, 1, 2, 1]), [n, height, 1, 2 * width * channels]);
    // Rows: each widened row repeated twice along a new axis after H.
    return tf.reshape(tf.tile(wide, [1, 1, 2, 1]), [n, 2 * height, 2 * width, channels]);
  });
}

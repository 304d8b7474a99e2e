/** Image samples (rows of h·w pixels) as a grid of greyscale tiles on one canvas. */
import { useEffect, useRef } from 'react';
import type { PointSet } from '../../../src-shared/api';

/** Tiles drawn at most: a page of digits reads at a glance; more only shrinks them. */
const MAX_TILES = 64;
const GAP = 2;

export function ImageGrid({ samples, shape, range, label }: { samples: PointSet; shape: readonly [number, number]; range: [number, number]; label?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const count = Math.min(samples.n, MAX_TILES);
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.ceil(count / columns);
  const [h, w] = shape;

  useEffect(() => {
    const canvas = ref.current!;
    // One canvas pixel per image pixel; CSS scales the whole grid up with crisp edges.
    canvas.width = columns * (w + GAP) - GAP;
    canvas.height = rows * (h + GAP) - GAP;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(canvas.width, canvas.height);
    const [lo, hi] = range;
    const scale = 255 / (hi - lo);
    for (let k = 0; k < count; k++) {
      const x0 = (k % columns) * (w + GAP);
      const y0 = Math.floor(k / columns) * (h + GAP);
      for (let r = 0; r < h; r++)
        for (let c = 0; c < w; c++) {
          const v = samples.points[k * samples.dim + r * w + c];
          const grey = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round((v - lo) * scale))) : 0;
          const at = ((y0 + r) * canvas.width + x0 + c) * 4;
          image.data[at] = image.data[at + 1] = image.data[at + 2] = grey;
          image.data[at + 3] = 255;
        }
    }
    ctx.putImageData(image, 0, 0);
    canvas.dataset.drawn = String(count);
  }, [samples, count, columns, rows, h, w, range]);

  return (
    <canvas
      ref={ref}
      className="image-grid"
      data-testid="image-grid"
      data-label={label}
      role="img"
      aria-label={`${count} of ${samples.n} image samples, ${h} × ${w} pixels each`}
    />
  );
}

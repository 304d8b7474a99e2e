/**
 * Points over a heat map of the training data's density, on a canvas: a few thousand points per
 * panel for twenty runs stays instant, where SVG would not. Shared by the compare galleries and
 * the run page's trajectory player.
 */
import { useContext, useEffect, useRef, useState } from 'react';
import type { PointSet } from '../../../src-shared/api';
import { ThemeContext } from '../hooks/useTheme';
import type { Bounds2D, Histogram2D } from '../lib/density';
import { formatTick } from '../lib/format';
import { squareBounds } from '../lib/scale';
import { SAMPLE_COLOR } from './palette';

export type Bounds = NonNullable<ReturnType<typeof squareBounds>>;

/** Each finite point's first two coordinates (1-D data on y = 0). */
export function forEachXY(set: PointSet | null, visit: (x: number, y: number) => void): void {
  if (!set || set.dim < 1) return;
  for (let i = 0; i < set.n; i++) {
    const x = set.points[i * set.dim];
    const y = set.dim > 1 ? set.points[i * set.dim + 1] : 0;
    if (Number.isFinite(x) && Number.isFinite(y)) visit(x, y);
  }
}

/**
 * Equal-aspect bounds shared by the panels of one dataset, so the same point sits at the same place in each.
 * They frame the training data (with a margin), not the samples: a run whose sampler diverged
 * must not shrink everyone's data to a dot. Its stray samples are counted instead. Without
 * data, the samples are framed.
 */
export function framingBounds(sets: readonly { data: PointSet | null; samples: PointSet | null }[]): Bounds | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const push = (x: number, y: number) => {
    xs.push(x);
    ys.push(y);
  };
  for (const set of sets) forEachXY(set.data, push);
  if (xs.length === 0) for (const set of sets) forEachXY(set.samples, push);
  return squareBounds(xs, ys, 0.15);
}

/** Samples outside the bounds (drawn clipped at the edge). */
export function countOutside(samples: PointSet | null, bounds: Bounds | null): number {
  let n = 0;
  if (bounds)
    forEachXY(samples, (x, y) => {
      if (x < bounds.x[0] || x > bounds.x[1] || y < bounds.y[0] || y > bounds.y[1]) n++;
    });
  return n;
}

const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

interface CanvasProps {
  samples: PointSet | null;
  hist: Histogram2D | null;
  bounds: Bounds | null;
}

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** A square canvas that follows its CSS width, redrawn by `paint` at the device's pixel ratio. */
export function useSquareCanvas(paint: (ctx: CanvasRenderingContext2D, size: number, canvas: HTMLCanvasElement) => void, deps: unknown[]) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useContext(ThemeContext);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const canvas = ref.current!;
    const observer = new ResizeObserver(() => setWidth(Math.round(canvas.getBoundingClientRect().width)));
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const canvas = ref.current!;
    if (width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(width * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint(ctx, width, canvas);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists what `paint` draws
  }, [width, theme, ...deps]);
  return ref;
}

export function DensityCanvas({ samples, hist, bounds, label }: CanvasProps & { label?: string }) {
  const ref = useSquareCanvas(
    (ctx, size, canvas) => {
      draw(ctx, size, { samples, hist, bounds });
      canvas.dataset.drawn = String(samples?.n ?? 0);
    },
    [samples, hist, bounds],
  );
  return (
    <canvas
      ref={ref}
      className="density-canvas"
      data-samples={samples?.n ?? 0}
      data-label={label}
      role="img"
      aria-label={`${samples?.n ?? 0} samples over the training data's density`}
    />
  );
}

/** Where the plot sits in a square canvas of `size`, and the maps from data to pixels. */
export function plotFrame(size: number, b: Bounds2D) {
  const side = Math.max(10, Math.min(size - PAD.left - PAD.right, size - PAD.top - PAD.bottom));
  return {
    side,
    left: PAD.left,
    top: PAD.top,
    px: (x: number) => PAD.left + ((x - b.x[0]) / (b.x[1] - b.x[0])) * side,
    py: (y: number) => PAD.top + side - ((y - b.y[0]) / (b.y[1] - b.y[0])) * side,
  };
}

/** Background, grid lines and tick labels of a plot over `bounds`. */
export function drawAxes(ctx: CanvasRenderingContext2D, size: number, bounds: Bounds): ReturnType<typeof plotFrame> {
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = cssVar('--surface', '#fff');
  ctx.fillRect(0, 0, size, size);
  const frame = plotFrame(size, bounds);
  const { side, px, py } = frame;
  ctx.strokeStyle = cssVar('--grid', '#e3e6eb');
  ctx.fillStyle = cssVar('--muted', '#687385');
  ctx.lineWidth = 1;
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of bounds.xTicks) {
    const x = Math.round(px(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, PAD.top);
    ctx.lineTo(x, PAD.top + side);
    ctx.stroke();
    ctx.fillText(formatTick(t), x, PAD.top + side + 5);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of bounds.yTicks) {
    const y = Math.round(py(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(PAD.left + side, y);
    ctx.stroke();
    ctx.fillText(formatTick(t), PAD.left - 5, y);
  }
  return frame;
}

function draw(ctx: CanvasRenderingContext2D, size: number, { samples, hist, bounds }: CanvasProps): void {
  if (!bounds) {
    ctx.clearRect(0, 0, size, size);
    ctx.fillStyle = cssVar('--surface', '#fff');
    ctx.fillRect(0, 0, size, size);
    return;
  }
  const { side, px, py } = drawAxes(ctx, size, bounds);

  // Density: opacity ∝ √(count / max), so sparse regions still show.
  if (hist && hist.max > 0) {
    ctx.fillStyle = cssVar('--density', '#3b4a6b');
    const cell = side / hist.bins;
    for (let j = 0; j < hist.bins; j++)
      for (let i = 0; i < hist.bins; i++) {
        const c = hist.counts[j * hist.bins + i];
        if (c === 0) continue;
        ctx.globalAlpha = 0.12 + 0.75 * Math.sqrt(c / hist.max);
        ctx.fillRect(PAD.left + i * cell, PAD.top + side - (j + 1) * cell, Math.ceil(cell), Math.ceil(cell));
      }
    ctx.globalAlpha = 1;
  }

  // Samples, clipped to the plot.
  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.left, PAD.top, side, side);
  ctx.clip();
  ctx.fillStyle = SAMPLE_COLOR;
  // Small and translucent: the density under them stays visible, and where samples pile up it shows.
  ctx.globalAlpha = 0.65;
  forEachXY(samples, (x, y) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), 1.4, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.restore();
  ctx.strokeStyle = cssVar('--axis', '#8a93a3');
  ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, side, side);
}

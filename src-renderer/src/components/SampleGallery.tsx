import { memo, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { PointSet, SampleMetrics } from '../../../src-main/common/api';
import { ThemeContext } from '../hooks/useTheme';
import { chartToPng } from '../lib/chart-png';
import { histogram2d, type Bounds2D, type Histogram2D } from '../lib/density';
import { downloadBlob, fileSafe } from '../lib/download';
import { formatInt, formatNumber, formatTick } from '../lib/format';
import { squareBounds } from '../lib/scale';
import { ModeSharesTable } from './ModeSharesTable';
import { SAMPLE_COLOR } from './palette';

export interface GalleryItem {
  id: number;
  name: string;
  color: string;
  samples: (PointSet & { metrics: SampleMetrics }) | null;
  data: PointSet | null;
}

const BINS = 56;

/** Each finite point's first two coordinates (1-D data on y = 0). */
function forEachXY(set: PointSet | null, visit: (x: number, y: number) => void): void {
  if (!set || set.dim < 1) return;
  for (let i = 0; i < set.n; i++) {
    const x = set.points[i * set.dim];
    const y = set.dim > 1 ? set.points[i * set.dim + 1] : 0;
    if (Number.isFinite(x) && Number.isFinite(y)) visit(x, y);
  }
}

/**
 * Equal-aspect bounds shared by every panel, so the same point sits at the same place in each.
 * They frame the training data (with a margin), not the samples: a run whose sampler diverged
 * must not shrink everyone's data to a dot. Its stray samples are counted instead. Without
 * data, the samples are framed.
 */
function sharedBounds(items: readonly GalleryItem[]) {
  const xs: number[] = [];
  const ys: number[] = [];
  const push = (x: number, y: number) => {
    xs.push(x);
    ys.push(y);
  };
  for (const item of items) forEachXY(item.data, push);
  if (xs.length === 0) for (const item of items) forEachXY(item.samples, push);
  return squareBounds(xs, ys, 0.15);
}

/** Samples outside the shared bounds (drawn clipped at the edge). */
function countOutside(samples: PointSet | null, bounds: Bounds | null): number {
  let n = 0;
  if (bounds)
    forEachXY(samples, (x, y) => {
      if (x < bounds.x[0] || x > bounds.x[1] || y < bounds.y[0] || y > bounds.y[1]) n++;
    });
  return n;
}

/**
 * The selected runs' final samples side by side, each over a heat map of its training data's
 * density, on shared axes, with the quality metrics beside each and the sample count they were
 * computed on. Canvas, not SVG: a few thousand points per panel for twenty runs stays instant.
 */
export function SampleGallery({ items }: { items: readonly GalleryItem[] }) {
  const bounds = useMemo(() => sharedBounds(items), [items]);
  return (
    <div className="gallery" data-testid="sample-gallery">
      {items.map((item) => (
        <GalleryCard key={item.id} item={item} bounds={bounds} />
      ))}
    </div>
  );
}

type Bounds = NonNullable<ReturnType<typeof squareBounds>>;

const GalleryCard = memo(function GalleryCard({ item, bounds }: { item: GalleryItem; bounds: Bounds | null }) {
  const frame = useRef<HTMLDivElement>(null);
  const { samples, data } = item;
  const hist = useMemo(() => (data && bounds ? histogram2d(data.points, data.dim, bounds, BINS) : null), [data, bounds]);
  const metrics = samples?.metrics ?? null;
  const outside = useMemo(() => countOutside(samples, bounds), [samples, bounds]);
  const exportPng = async () => {
    const blob = await chartToPng(frame.current!, [
      { name: `training data (${formatInt(data?.n ?? 0)})`, color: '#8a93a3' },
      { name: `samples (${formatInt(samples?.n ?? 0)})`, color: SAMPLE_COLOR },
    ]);
    downloadBlob(blob, `${fileSafe(item.name)}-samples.png`);
  };
  return (
    <section className="gallery-card" data-testid={`gallery-${item.id}`}>
      <div className="gallery-head">
        <span className="swatch" style={{ background: item.color }} />
        <a href={`#/run/${item.id}`} className="gallery-name" title={item.name}>
          {item.name}
        </a>
        <button type="button" className="btn btn-link" onClick={exportPng} disabled={!bounds} title="Save this panel as PNG">
          PNG
        </button>
      </div>
      <div ref={frame}>
        <DensityCanvas samples={samples} hist={hist} bounds={bounds} />
      </div>
      <div className="gallery-metrics" data-testid={`gallery-metrics-${item.id}`}>
        {samples ? (
          <>
            <span>
              <strong data-testid={`gallery-count-${item.id}`}>{formatInt(samples.n)}</strong> samples
            </span>
            {metrics?.modeShareError !== undefined && (
              <span title={`computed on ${formatInt(metrics.n)} samples`}>
                mode-share error <strong>{formatNumber(metrics.modeShareError, 3)}</strong>
              </span>
            )}
          </>
        ) : (
          <span className="muted">No samples</span>
        )}
        {outside > 0 && (
          <span className="muted" data-testid={`gallery-outside-${item.id}`} title="Samples beyond the frame around the training data">
            {formatInt(outside)} outside the view
          </span>
        )}
        {data && <span className="muted">data n = {formatInt(data.n)}</span>}
      </div>
      {metrics?.modeShares && metrics.modeShares.length > 0 && <ModeSharesTable shares={metrics.modeShares} compact />}
    </section>
  );
});

const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

interface CanvasProps {
  samples: PointSet | null;
  hist: Histogram2D | null;
  bounds: Bounds | null;
}

function DensityCanvas({ samples, hist, bounds }: CanvasProps) {
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
    draw(ctx, width, { samples, hist, bounds });
    canvas.dataset.drawn = String(samples?.n ?? 0);
  }, [width, samples, hist, bounds, theme]);

  return (
    <canvas
      ref={ref}
      className="density-canvas"
      data-samples={samples?.n ?? 0}
      role="img"
      aria-label={`${samples?.n ?? 0} samples over the training data's density`}
    />
  );
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function draw(ctx: CanvasRenderingContext2D, size: number, { samples, hist, bounds }: CanvasProps): void {
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = cssVar('--surface', '#fff');
  ctx.fillRect(0, 0, size, size);
  if (!bounds) return;
  const side = Math.max(10, Math.min(size - PAD.left - PAD.right, size - PAD.top - PAD.bottom));
  const b: Bounds2D = bounds;
  const px = (x: number) => PAD.left + ((x - b.x[0]) / (b.x[1] - b.x[0])) * side;
  const py = (y: number) => PAD.top + side - ((y - b.y[0]) / (b.y[1] - b.y[0])) * side;

  // Grid and tick labels.
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
  ctx.globalAlpha = 0.8;
  forEachXY(samples, (x, y) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), 1.8, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.restore();
  ctx.strokeStyle = cssVar('--axis', '#8a93a3');
  ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, side, side);
}

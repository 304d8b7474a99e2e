/**
 * The run page's samples over its training data: both as small translucent points on a canvas, so
 * the data's shape (a swiss roll's turns) shows through the samples and dense regions read darker;
 * the legend hides either layer. Framed on the data, as the galleries are: a diverged sample must
 * not shrink the data to a dot, so samples outside the frame are counted instead.
 */
import { useMemo, useState } from 'react';
import type { PointSet } from '../../../src-shared/api';
import { formatInt } from '../lib/format';
import { countOutside, cssVar, drawAxes, forEachXY, framingBounds, useSquareCanvas, type Bounds } from './DensityCanvas';
import { SAMPLE_COLOR } from './palette';

/** The two layers, drawn data first. Radius in CSS px; alpha per point, so overlaps build up density. */
const LAYERS = {
  data: { label: 'training data', colorVar: '--axis', fallback: '#8a93a3', radius: 1.2, alpha: 0.45 },
  samples: { label: 'samples', colorVar: '', fallback: SAMPLE_COLOR, radius: 1.3, alpha: 0.55 },
} as const;
type Layer = keyof typeof LAYERS;

function paintPoints(ctx: CanvasRenderingContext2D, set: PointSet | null, layer: Layer, px: (x: number) => number, py: (y: number) => number): void {
  const style = LAYERS[layer];
  ctx.fillStyle = style.colorVar ? cssVar(style.colorVar, style.fallback) : style.fallback;
  ctx.globalAlpha = style.alpha;
  forEachXY(set, (x, y) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), style.radius, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.globalAlpha = 1;
}

function ScatterCanvas({ data, samples, bounds, shown }: { data: PointSet | null; samples: PointSet | null; bounds: Bounds | null; shown: Record<Layer, boolean> }) {
  const ref = useSquareCanvas(
    (ctx, size, canvas) => {
      if (!bounds) {
        ctx.clearRect(0, 0, size, size);
        return;
      }
      const { side, left, top, px, py } = drawAxes(ctx, size, bounds);
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, side, side);
      ctx.clip();
      if (shown.data) paintPoints(ctx, data, 'data', px, py);
      if (shown.samples) paintPoints(ctx, samples, 'samples', px, py);
      ctx.restore();
      ctx.strokeStyle = cssVar('--axis', '#8a93a3');
      ctx.strokeRect(left + 0.5, top + 0.5, side, side);
      // What is drawn, for tests and screen readers.
      canvas.dataset.drawnData = String(shown.data ? (data?.n ?? 0) : 0);
      canvas.dataset.drawnSamples = String(shown.samples ? (samples?.n ?? 0) : 0);
    },
    [data, samples, bounds, shown.data, shown.samples],
  );
  return (
    <canvas
      ref={ref}
      className="density-canvas"
      data-testid="samples-canvas"
      role="img"
      aria-label={`${shown.samples ? (samples?.n ?? 0) : 0} samples over ${shown.data ? (data?.n ?? 0) : 0} training points`}
    />
  );
}

export function SamplesChart({ data, samples }: { data: PointSet | null | undefined; samples: PointSet | null | undefined }) {
  const [shown, setShown] = useState<Record<Layer, boolean>>({ data: true, samples: true });
  const bounds = useMemo(() => framingBounds([{ data: data ?? null, samples: samples ?? null }]), [data, samples]);
  const outside = useMemo(() => countOutside(samples ?? null, bounds), [samples, bounds]);
  const dim = samples?.dim ?? data?.dim ?? 2;
  const counts: Record<Layer, number> = { data: data?.n ?? 0, samples: samples?.n ?? 0 };

  return (
    <div className="chart chart-square" data-testid="samples-chart">
      {!bounds && <div className="chart-empty">No points yet</div>}
      <ScatterCanvas data={data ?? null} samples={samples ?? null} bounds={bounds} shown={shown} />
      <ul className="chart-legend" data-testid="samples-legend">
        {(Object.keys(LAYERS) as Layer[])
          .filter((layer) => counts[layer] > 0)
          .map((layer) => (
            <li key={layer}>
              <button
                type="button"
                className={`legend-item${shown[layer] ? '' : ' is-hidden'}`}
                aria-pressed={shown[layer]}
                data-testid={`samples-legend-${layer}`}
                title={shown[layer] ? `Hide the ${LAYERS[layer].label}` : `Show the ${LAYERS[layer].label}`}
                onClick={() => setShown((s) => ({ ...s, [layer]: !s[layer] }))}
              >
                <span className="legend-dot" style={{ background: LAYERS[layer].colorVar ? `var(${LAYERS[layer].colorVar})` : LAYERS[layer].fallback }} />
                {LAYERS[layer].label} ({formatInt(counts[layer])})
              </button>
            </li>
          ))}
        {outside > 0 && (
          <li className="muted" data-testid="samples-outside">
            {formatInt(outside)} samples outside the view
          </li>
        )}
      </ul>
      {dim > 2 && <p className="muted small">Showing coordinates 1 and 2 of {dim}.</p>}
      {dim === 1 && <p className="muted small">1-D data, drawn on the line y = 0.</p>}
    </div>
  );
}

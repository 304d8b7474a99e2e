import { memo, useId, useMemo, useRef, useState } from 'react';
import type { MouseEvent as ReactMouseEvent, ReactNode } from 'react';
import { CartesianGrid, LineChart, usePlotArea, useXAxisScale, useYAxisScale, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '../../../src-shared/api';
import { formatClock, formatDuration, formatInt, formatNumber, formatTick } from '../lib/format';
import { linearDomain, linearTicks, logDomain } from '../lib/scale';
import { emaSmooth } from '../lib/smoothing';

/** What the x axis measures: training step, seconds since the run started, or the clock. */
export type XMode = 'step' | 'relative' | 'wall';

export interface CurveSeries {
  /** Unique among the chart's series. */
  id: string;
  name: string;
  color: string;
  points: readonly CurvePoint[];
  /** Unix seconds when the run started training: wall-clock x is this plus the point's time. */
  startSeconds?: number;
}

interface Props {
  series: readonly CurveSeries[];
  logScale: boolean;
  xMode?: XMode;
  /** EMA weight in [0, 1); with smoothing, the raw curve shows faintly behind the smoothed one (not in compact charts). */
  smoothing?: number;
  /** The visible x range (a zoom), in the units of xMode; null shows everything. */
  xRange?: readonly [number, number] | null;
  /** Dragging across the chart asks for that x range; a double click for null (everything). */
  onZoom?(range: [number, number] | null): void;
  /** Fixes the step axis' end (a running run's total steps), so the curve grows into the chart. */
  xMax?: number;
  height?: number;
  /** Small multiples: no legend, smaller axes. */
  compact?: boolean;
  testId: string;
}

// Fixed plot geometry: the hover read-out maps the pointer to x with it.
const MARGIN = { top: 8, right: 16, bottom: 4, left: 4 };
const Y_AXIS_WIDTH = 56;
const X_AXIS_HEIGHT = 36;
const MIN_DRAG_PX = 6;

interface XY {
  x: number;
  y: number;
}

interface Prepared {
  id: string;
  name: string;
  color: string;
  /** The drawn values (smoothed when smoothing), finite and, on a log axis, positive. */
  line: XY[];
  /** The raw values, drawn faintly when smoothed; empty otherwise. */
  raw: XY[];
}

export const xOf = (mode: XMode, p: CurvePoint, startSeconds = 0): number =>
  mode === 'step' ? p.step : mode === 'relative' ? p.time : startSeconds + p.time;

export function formatX(mode: XMode, x: number): string {
  if (mode === 'step') return formatInt(x);
  if (mode === 'relative') return formatDuration(x);
  return formatClock(x);
}

const X_LABEL: Record<XMode, string> = { step: 'step', relative: 'time since start', wall: 'wall time' };

/** The points inside [lo, hi] and one beyond each end, so lines run to the plot's edges. */
function clip(points: XY[], lo: number, hi: number): XY[] {
  let a = 0;
  while (a < points.length && points[a].x < lo) a++;
  let b = points.length;
  while (b > a && points[b - 1].x > hi) b--;
  return points.slice(Math.max(0, a - 1), Math.min(points.length, b + 1));
}

function prepare(s: CurveSeries, mode: XMode, smoothing: number, withRaw: boolean, logScale: boolean): Prepared {
  const values = s.points.map((p) => p.value);
  const smoothed = smoothing > 0 ? emaSmooth(values, smoothing) : values;
  const keep = (v: number) => Number.isFinite(v) && (!logScale || v > 0);
  const line: XY[] = [];
  const raw: XY[] = [];
  s.points.forEach((p, i) => {
    const x = xOf(mode, p, s.startSeconds);
    if (keep(smoothed[i])) line.push({ x, y: smoothed[i] });
    if (withRaw && keep(values[i])) raw.push({ x, y: values[i] });
  });
  return { id: s.id, name: s.name, color: s.color, line, raw };
}

/** Index of the point whose x is nearest `x` (points sorted by x). */
function nearest(points: readonly XY[], x: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(points[lo - 1].x - x) <= Math.abs(points[lo].x - x) ? lo - 1 : lo;
}

/**
 * Curves of several runs on one chart, each series its own data (no merging on x, so runs logged
 * at different steps cost nothing extra). Hover shows every visible series' value at the nearest
 * point; dragging zooms. The plot is memoized apart from the hover overlay, so moving the pointer
 * redraws only the read-out, never the lines.
 */
export function CurveChart({
  series,
  logScale,
  xMode = 'step',
  smoothing = 0,
  xRange = null,
  onZoom,
  xMax,
  height = 300,
  compact = false,
  testId,
}: Props) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  // Small multiples show only the smoothed curve: faint raw lines at that size are noise.
  const showRaw = smoothing > 0 && !compact;
  const prepared = useMemo(() => series.map((s) => prepare(s, xMode, smoothing, showRaw, logScale)), [series, xMode, smoothing, showRaw, logScale]);

  const domain = useMemo((): [number, number] | null => {
    if (xRange) return [xRange[0], xRange[1]];
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of prepared)
      for (const l of [s.line, s.raw])
        if (l.length) {
          lo = Math.min(lo, l[0].x);
          hi = Math.max(hi, l[l.length - 1].x);
        }
    if (xMode === 'step' && xMax && xMax > 0) {
      lo = Math.min(lo, 0);
      hi = Math.max(hi, xMax);
    }
    if (lo === Infinity) return null;
    return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  }, [prepared, xRange, xMode, xMax]);

  const visible = useMemo(() => {
    if (!domain) return [];
    return prepared
      .filter((s) => !hidden.has(s.id))
      .map((s) => ({ ...s, line: clip(s.line, domain[0], domain[1]), raw: clip(s.raw, domain[0], domain[1]) }));
  }, [prepared, hidden, domain]);

  const empty = visible.every((s) => s.line.length === 0);
  const toggle = (id: string) =>
    setHidden((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className={`curve-chart${compact ? ' is-compact' : ''}`} data-testid={testId}>
      <div className="chart">
        {empty && <div className="chart-empty">No points logged{xRange ? ' in this range' : ' yet'}</div>}
        {domain && (
          <HoverLayer visible={visible} domain={domain} xMode={xMode} height={height} onZoom={onZoom}>
            <Plot visible={visible} domain={domain} xMode={xMode} logScale={logScale} height={height} compact={compact} />
          </HoverLayer>
        )}
        {!domain && <div style={{ height }} />}
      </div>
      {!compact && series.length > 1 && (
        <ul className="chart-legend" data-testid={`${testId}-legend`}>
          {series.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className={`legend-item${hidden.has(s.id) ? ' is-hidden' : ''}`}
                aria-pressed={!hidden.has(s.id)}
                title={hidden.has(s.id) ? 'Show this curve' : 'Hide this curve'}
                onClick={() => toggle(s.id)}
              >
                <span className="legend-line" style={{ background: s.color }} />
                {s.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface PlotProps {
  visible: Prepared[];
  domain: [number, number];
  xMode: XMode;
  logScale: boolean;
  height: number;
  compact: boolean;
}

const Plot = memo(function Plot({ visible, domain, xMode, logScale, height, compact }: PlotProps) {
  const y = useMemo(() => {
    const values = visible.flatMap((s) => [...s.line, ...s.raw].map((p) => p.y));
    return (logScale ? logDomain(values) : linearDomain(values)) ?? { domain: [0, 1] as [number, number], ticks: [0, 1] };
  }, [visible, logScale]);
  const xTicks = useMemo(() => linearTicks(domain[0], domain[1], compact ? 4 : 7), [domain, compact]);
  return (
    <LineChart responsive style={{ width: '100%', height }} margin={MARGIN}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        type="number"
        dataKey="x"
        domain={domain}
        allowDataOverflow
        ticks={xTicks}
        tickFormatter={(x: number) => formatX(xMode, x)}
        label={compact ? undefined : { value: X_LABEL[xMode], position: 'insideBottomRight', offset: -2 }}
        height={X_AXIS_HEIGHT}
        minTickGap={24}
      />
      <YAxis
        type="number"
        dataKey="y"
        scale={logScale ? 'log' : 'linear'}
        domain={y.domain}
        ticks={y.ticks}
        allowDataOverflow
        tickFormatter={formatTick}
        width={Y_AXIS_WIDTH}
      />
      <CurvePaths visible={visible} />
    </LineChart>
  );
});

/**
 * The curves as plain SVG paths in the chart's own scales. Recharts' <Line> costs a few
 * microseconds per point (it builds label entries and freezes its data for every point, drawn or
 * not), which for twenty runs of two thousand points, smoothed and raw, plus the per-level charts,
 * is seconds; a path string per curve is milliseconds. The axes, grid and scales stay recharts'.
 */
function CurvePaths({ visible }: { visible: Prepared[] }) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  const area = usePlotArea();
  const clipId = useId();
  if (!xScale || !yScale || !area) return null;
  const path = (points: readonly XY[]): string => {
    let d = '';
    for (const p of points) {
      const px = xScale(p.x);
      const py = yScale(p.y);
      if (px === undefined || py === undefined || !Number.isFinite(px) || !Number.isFinite(py)) continue;
      d += `${d ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`;
    }
    return d;
  };
  // recharts-line-curve: the class recharts gives its own line paths, kept so that styles and
  // tests that look for drawn curves find these too.
  return (
    <g className="curve-paths">
      <defs>
        <clipPath id={clipId}>
          <rect x={area.x} y={area.y} width={area.width} height={area.height} />
        </clipPath>
      </defs>
      <g clipPath={`url(#${clipId})`} fill="none" strokeLinejoin="round">
        {visible
          .filter((s) => s.raw.length > 0)
          .map((s) => (
            <path key={`${s.id}-raw`} className="curve-raw recharts-line-curve" d={path(s.raw)} stroke={s.color} strokeOpacity={0.22} strokeWidth={1} />
          ))}
        {visible.map((s) => (
          <path key={s.id} className="curve-line recharts-line-curve" data-series={s.id} d={path(s.line)} stroke={s.color} strokeWidth={1.75} />
        ))}
      </g>
    </g>
  );
}

interface HoverProps {
  visible: Prepared[];
  domain: [number, number];
  xMode: XMode;
  height: number;
  onZoom?(range: [number, number] | null): void;
  children: ReactNode;
}

/** The pointer's x over the plot, the read-out of every series there, and drag-to-zoom. */
function HoverLayer({ visible, domain, xMode, height, onZoom, children }: HoverProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ px: number; x: number; width: number } | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);

  /** Plot-relative geometry, from the wrapper's width (the chart fills it). */
  const geometry = () => {
    const rect = ref.current!.getBoundingClientRect();
    const left = MARGIN.left + Y_AXIS_WIDTH;
    const right = rect.width - MARGIN.right;
    return { rect, left, right };
  };
  const pxToX = (px: number) => {
    const { left, right } = geometry();
    return domain[0] + ((px - left) / Math.max(1, right - left)) * (domain[1] - domain[0]);
  };
  const pointerPx = (e: ReactMouseEvent) => {
    const { rect, left, right } = geometry();
    const px = e.clientX - rect.left;
    return px < left || px > right ? null : px;
  };

  const onMove = (e: ReactMouseEvent) => {
    const px = pointerPx(e);
    setHover(px === null ? null : { px, x: pxToX(px), width: geometry().rect.width });
    if (drag && px !== null) setDrag({ ...drag, to: px });
  };
  const onUp = () => {
    if (drag && onZoom && Math.abs(drag.to - drag.from) >= MIN_DRAG_PX) {
      const a = pxToX(Math.min(drag.from, drag.to));
      const b = pxToX(Math.max(drag.from, drag.to));
      onZoom([a, b]);
    }
    setDrag(null);
  };

  const plotHeight = height - MARGIN.top - MARGIN.bottom - X_AXIS_HEIGHT;

  return (
    <div
      ref={ref}
      className={`hover-layer${onZoom ? ' is-zoomable' : ''}`}
      onMouseMove={onMove}
      onMouseLeave={() => {
        setHover(null);
        setDrag(null);
      }}
      onMouseDown={(e) => {
        if (e.button !== 0 || !onZoom) return;
        const px = pointerPx(e);
        if (px !== null) {
          e.preventDefault();
          setDrag({ from: px, to: px });
        }
      }}
      onMouseUp={onUp}
      onDoubleClick={() => onZoom?.(null)}
    >
      {children}
      {hover && <div className="hover-line" style={{ left: hover.px, top: MARGIN.top, height: plotHeight }} />}
      {drag && (
        <div
          className="zoom-band"
          style={{ left: Math.min(drag.from, drag.to), width: Math.abs(drag.to - drag.from), top: MARGIN.top, height: plotHeight }}
        />
      )}
      {hover && !drag && (
        <Readout visible={visible} x={hover.x} xMode={xMode} px={hover.px} width={hover.width} />
      )}
    </div>
  );
}

function Readout({
  visible,
  x,
  xMode,
  px,
  width,
}: {
  visible: Prepared[];
  x: number;
  xMode: XMode;
  px: number;
  width: number;
}) {
  // Smoothed charts show the raw value beside the smoothed one.
  const withRaw = visible.some((s) => s.raw.length > 0);
  const rows = visible
    .filter((s) => s.line.length > 0)
    .map((s) => {
      const i = nearest(s.line, x);
      const raw = s.raw.length ? s.raw[nearest(s.raw, s.line[i].x)] : null;
      return { s, at: s.line[i], raw };
    });
  if (rows.length === 0) return null;
  // On the side of the pointer with more room.
  const style = px > width / 2 ? { right: width - px + 12 } : { left: px + 12 };
  return (
    <div className="readout" data-testid="curve-readout" style={{ ...style, top: MARGIN.top + 4 }}>
      <div className="readout-head">
        {X_LABEL[xMode]} {formatX(xMode, x)}
      </div>
      <table>
        {withRaw && (
          <thead>
            <tr>
              <th colSpan={2} />
              <th className="num">smoothed</th>
              <th className="num">raw</th>
              <th />
            </tr>
          </thead>
        )}
        <tbody>
          {rows.map(({ s, at, raw }) => (
            <tr key={s.id} data-series={s.id}>
              <td>
                <span className="swatch" style={{ background: s.color }} />
              </td>
              <td className="readout-name">{s.name}</td>
              <td className="num">{formatNumber(at.y, 5)}</td>
              {withRaw && <td className="num muted">{raw ? formatNumber(raw.y, 5) : ''}</td>}
              <td className="num muted">@ {formatX(xMode, at.x)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

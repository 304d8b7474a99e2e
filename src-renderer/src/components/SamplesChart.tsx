import { useMemo } from 'react';
import { CartesianGrid, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { PointSet } from '../../../src-main/common/api';
import { formatNumber, formatTick } from '../lib/format';
import { squareBounds } from '../lib/scale';
import { SAMPLE_COLOR } from './palette';

interface XY {
  x: number;
  y: number;
}

/** The first two coordinates of row-major points; 1-D data sits on y = 0. */
function toXY(set: PointSet | null | undefined): XY[] {
  if (!set || set.dim < 1) return [];
  const out: XY[] = new Array(set.n);
  for (let i = 0; i < set.n; i++) {
    const row = i * set.dim;
    out[i] = { x: set.points[row], y: set.dim > 1 ? set.points[row + 1] : 0 };
  }
  return out;
}

/** Samples in a strong colour over the training data in grey, on equal axes. */
export function SamplesChart({ data, samples }: { data: PointSet | null | undefined; samples: PointSet | null | undefined }) {
  const dataXY = useMemo(() => toXY(data), [data]);
  const sampleXY = useMemo(() => toXY(samples), [samples]);
  const bounds = useMemo(() => {
    const all = dataXY.concat(sampleXY).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    return squareBounds(
      all.map((p) => p.x),
      all.map((p) => p.y),
    );
  }, [dataXY, sampleXY]);
  const dim = samples?.dim ?? data?.dim ?? 2;

  return (
    <div className="chart chart-square" data-testid="samples-chart">
      {!bounds && <div className="chart-empty">No points yet</div>}
      <ScatterChart responsive style={{ width: '100%', aspectRatio: 1 }} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="x" name="x₁" domain={bounds?.x ?? [-1, 1]} ticks={bounds?.xTicks} tickFormatter={formatTick} height={30} />
        <YAxis type="number" dataKey="y" name="x₂" domain={bounds?.y ?? [-1, 1]} ticks={bounds?.yTicks} tickFormatter={formatTick} width={44} />
        <ZAxis range={[9, 9]} />
        <Tooltip isAnimationActive={false} formatter={(v) => formatNumber(Number(v), 4)} cursor={false} />
        <Legend />
        {dataXY.length > 0 && (
          <Scatter name={`training data (${dataXY.length})`} data={dataXY} className="scatter-data" fill="#9aa3ad" isAnimationActive={false} />
        )}
        {sampleXY.length > 0 && (
          <Scatter name={`samples (${sampleXY.length})`} data={sampleXY} className="scatter-samples" fill={SAMPLE_COLOR} isAnimationActive={false} />
        )}
      </ScatterChart>
      {dim > 2 && <p className="muted small">Showing coordinates 1 and 2 of {dim}.</p>}
      {dim === 1 && <p className="muted small">1-D data, drawn on the line y = 0.</p>}
    </div>
  );
}

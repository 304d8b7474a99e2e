import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '../../../src-main/common/api';
import { formatInt, formatNumber, formatTick } from '../lib/format';
import { logDomain } from '../lib/scale';

export interface LossSeries {
  key: string;
  name: string;
  color: string;
  points: CurvePoint[];
}

interface Props {
  series: LossSeries[];
  logScale: boolean;
  /** Fixes the x axis' end (a running run's total steps), so the curve grows into the chart. */
  xMax?: number;
  height?: number;
  showLegend?: boolean;
  testId: string;
}

type Row = { step: number } & Record<string, number | null>;

/** Loss against training step, one line per series, merged on the step so one tooltip shows all. */
export function LossChart({ series, logScale, xMax, height = 300, showLegend = false, testId }: Props) {
  const rows = useMemo(() => mergeOnStep(series, logScale), [series, logScale]);
  const yLog = useMemo(
    () => (logScale ? logDomain(series.flatMap((s) => s.points.map((p) => p.value))) : null),
    [series, logScale],
  );
  const empty = rows.length === 0;

  return (
    <div className="chart" data-testid={testId}>
      {empty && <div className="chart-empty">No loss logged yet</div>}
      <LineChart responsive style={{ width: '100%', height }} data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="step"
          domain={[0, xMax && xMax > 0 ? xMax : 'dataMax']}
          allowDataOverflow
          tickFormatter={formatInt}
          label={{ value: 'step', position: 'insideBottomRight', offset: -2 }}
          height={36}
        />
        {yLog ? (
          <YAxis
            scale="log"
            domain={yLog.domain}
            ticks={yLog.ticks}
            allowDataOverflow
            tickFormatter={formatTick}
            width={56}
          />
        ) : (
          <YAxis domain={['auto', 'auto']} tickFormatter={formatTick} width={56} />
        )}
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(step) => `step ${formatInt(Number(step))}`}
          formatter={(value) => formatNumber(Number(value), 5)}
        />
        {showLegend && <Legend />}
        {series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name}
            stroke={s.color}
            strokeWidth={1.75}
            dot={false}
            connectNulls
            isAnimationActive={false}
            type="linear"
          />
        ))}
      </LineChart>
    </div>
  );
}

function mergeOnStep(series: LossSeries[], logScale: boolean): Row[] {
  const byStep = new Map<number, Row>();
  for (const s of series) {
    for (const p of s.points) {
      // A log axis cannot place values ≤ 0; leave them out rather than break the scale.
      if (!Number.isFinite(p.value) || (logScale && p.value <= 0)) continue;
      let row = byStep.get(p.step);
      if (!row) {
        row = { step: p.step } as Row;
        byStep.set(p.step, row);
      }
      row[s.key] = p.value;
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

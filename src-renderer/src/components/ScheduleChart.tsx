import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScheduleLevel } from '../../../src-main/common/api';
import { formatNumber, formatTick } from '../lib/format';
import { logDomain } from '../lib/scale';
import { ALPHA_COLOR, SIGMA_COLOR } from './palette';

/** σ_i and the Langevin step α_i per level, on one log axis (they span many decades). */
export function ScheduleChart({ levels }: { levels: ScheduleLevel[] }) {
  const y = useMemo(() => logDomain(levels.flatMap((l) => [l.sigma, l.alpha])), [levels]);
  return (
    <div className="chart" data-testid="schedule-chart">
      <LineChart responsive style={{ width: '100%', height: 260 }} data={levels} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="level"
          domain={['dataMin', 'dataMax']}
          allowDecimals={false}
          label={{ value: 'level i', position: 'insideBottomRight', offset: -2 }}
          height={36}
        />
        {y && (
          <YAxis scale="log" domain={y.domain} ticks={y.ticks} allowDataOverflow tickFormatter={formatTick} width={56} />
        )}
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(level) => `level ${String(level)}`}
          formatter={(value) => formatNumber(Number(value), 4)}
        />
        <Legend />
        <Line dataKey="sigma" name="σ_i" stroke={SIGMA_COLOR} strokeWidth={1.75} dot={{ r: 2.5 }} isAnimationActive={false} />
        <Line dataKey="alpha" name="α_i" stroke={ALPHA_COLOR} strokeWidth={1.75} dot={{ r: 2.5 }} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}

/** The schedule as numbers: level, σ, α, λ. Scrolls when there are many levels. */
export function ScheduleTable({ levels }: { levels: ScheduleLevel[] }) {
  return (
    <div className="table-scroll" data-testid="schedule-table">
      <table className="data-table compact">
        <thead>
          <tr>
            <th>level</th>
            <th>σ</th>
            <th>α</th>
            <th>λ</th>
          </tr>
        </thead>
        <tbody>
          {levels.map((l) => (
            <tr key={l.level}>
              <td>{l.level}</td>
              <td>{formatNumber(l.sigma)}</td>
              <td>{formatNumber(l.alpha)}</td>
              <td>{formatNumber(l.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

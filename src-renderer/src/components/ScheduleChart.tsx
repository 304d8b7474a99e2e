import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ScheduleLevel } from '../../../src-shared/api';
import { formatNumber, formatTick } from '../lib/format';
import type { LegendEntry } from '../lib/chart-png';
import { logDomain } from '../lib/scale';

/** One run's schedule, in its colour. */
export interface RunSchedule {
  id: number;
  name: string;
  color: string;
  levels: ScheduleLevel[];
}

/** The three per-level quantities, told apart by line style (runs are told apart by colour). */
export const SCHEDULE_QUANTITIES = [
  { key: 'sigma', label: 'σ_i', title: 'noise level σ_i', dash: undefined },
  { key: 'alpha', label: 'α_i', title: 'Langevin step α_i', dash: '6 3' },
  { key: 'weight', label: 'λ(σ_i)', title: 'loss weight λ(σ_i)', dash: '1.5 3' },
] as const;

/** The legend of a schedule chart: a line per quantity (in the first run's colour) and a swatch per run. */
export function scheduleLegend(runs: readonly RunSchedule[]): LegendEntry[] {
  const quantities = SCHEDULE_QUANTITIES.map((q) => ({ name: q.title, color: '#8a93a3', dash: q.dash }));
  return runs.length > 1 ? [...quantities, ...runs.map((r) => ({ name: r.name, color: r.color }))] : quantities;
}

/**
 * σ_i, α_i and λ(σ_i) per level for one or more runs, on one log axis (they span many decades).
 * Levels are indexed 0…L−1 for every kind of schedule, so runs with different schedules line up
 * level by level and the tooltip shows every run's values at a level.
 */
export function ScheduleChart({ runs, height = 280 }: { runs: readonly RunSchedule[]; height?: number }) {
  const y = useMemo(() => logDomain(runs.flatMap((r) => r.levels.flatMap((l) => [l.sigma, l.alpha, l.weight]))), [runs]);
  const legend = scheduleLegend(runs);
  return (
    <div className="chart" data-testid="schedule-chart">
      <LineChart responsive style={{ width: '100%', height }} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          type="number"
          dataKey="level"
          domain={['dataMin', 'dataMax']}
          allowDecimals={false}
          allowDuplicatedCategory={false}
          label={{ value: 'level i', position: 'insideBottomRight', offset: -2 }}
          height={36}
        />
        {y && <YAxis scale="log" domain={y.domain} ticks={y.ticks} allowDataOverflow tickFormatter={formatTick} width={56} />}
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(level) => `level ${String(level)}`}
          formatter={(value) => formatNumber(Number(value), 4)}
        />
        {runs.flatMap((run) =>
          SCHEDULE_QUANTITIES.map((q) => (
            <Line
              key={`${run.id}-${q.key}`}
              data={run.levels}
              dataKey={q.key}
              name={runs.length > 1 ? `${q.label} · ${run.name}` : q.label}
              stroke={run.color}
              strokeDasharray={q.dash}
              strokeWidth={1.75}
              dot={{ r: 2.5, fill: run.color, strokeWidth: 0 }}
              isAnimationActive={false}
            />
          )),
        )}
      </LineChart>
      <ul className="chart-legend">
        {legend.map((entry) => (
          <li key={entry.name} className="legend-item is-static">
            <svg width="22" height="8" aria-hidden>
              <line x1="1" y1="4" x2="21" y2="4" stroke={entry.color} strokeWidth="2.5" strokeDasharray={entry.dash} />
            </svg>
            {entry.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The schedules as numbers: a row per level, σ, α, λ per run. Scrolls when there are many levels or runs. */
export function ScheduleTable({ runs }: { runs: readonly RunSchedule[] }) {
  const levels = Math.max(0, ...runs.map((r) => r.levels.length));
  const multi = runs.length > 1;
  return (
    <div className="table-scroll" data-testid="schedule-table">
      <table className="data-table compact">
        <thead>
          {multi && (
            <tr>
              <th />
              {runs.map((r) => (
                <th key={r.id} colSpan={3} className="group-head">
                  <span className="swatch" style={{ background: r.color }} /> {r.name}
                </th>
              ))}
            </tr>
          )}
          <tr>
            <th>level</th>
            {runs.map((r) => (
              <SchedHeads key={r.id} />
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: levels }, (_, i) => (
            <tr key={i}>
              <td>{i}</td>
              {runs.map((r) => {
                const l = r.levels[i];
                return (
                  <SchedCells key={r.id} level={l} />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SchedHeads() {
  return (
    <>
      <th className="num">σ</th>
      <th className="num">α</th>
      <th className="num">λ</th>
    </>
  );
}

function SchedCells({ level }: { level: ScheduleLevel | undefined }) {
  return (
    <>
      <td className="num">{formatNumber(level?.sigma)}</td>
      <td className="num">{formatNumber(level?.alpha)}</td>
      <td className="num">{formatNumber(level?.weight)}</td>
    </>
  );
}

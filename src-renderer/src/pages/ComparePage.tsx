import { useMemo, useState } from 'react';
import type { RunProgress, RunSummary } from '../../../src-main/common/api';
import { api } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import type { LossSeries } from '../components/LossChart';
import { LossChart } from '../components/LossChart';
import { StatusBadge } from '../components/StatusBadge';
import { seriesColor } from '../components/palette';
import { useApiData } from '../hooks/useApiData';
import { useThrottled } from '../hooks/useThrottled';
import { formatInt, formatNumber, formatSeconds } from '../lib/format';

interface Props {
  runIds: number[];
  runs: RunSummary[];
  progress: ReadonlyMap<number, RunProgress>;
}

/** The selected runs' loss curves overlaid, one colour each, and a table of their outcomes. */
export function ComparePage({ runIds, runs, progress }: Props) {
  const [logScale, setLogScale] = useState(true);
  const byId = useMemo(() => new Map(runs.map((r) => [r.id, r])), [runs]);
  const idsKey = runIds.join(',');

  // While any compared run trains, refetch about once a second; once more as statuses change.
  const liveKey = runIds
    .map((id) => {
      const r = byId.get(id);
      const p = progress.get(id);
      return `${r?.status}:${p?.phase === 'training' ? p.done : r?.steps}`;
    })
    .join('|');
  const tick = useThrottled(liveKey, 1000);
  const curves = useApiData(
    () => (runIds.length > 0 ? api.getCurves({ runIds, keys: ['loss'] }) : undefined),
    [idsKey, tick],
  );

  const series: LossSeries[] = useMemo(
    () =>
      runIds.map((id, i) => ({
        key: `run${id}`,
        name: `#${id} ${byId.get(id)?.name ?? ''}`.trim(),
        color: seriesColor(i),
        points: curves.data?.find((c) => c.runId === id && c.key === 'loss')?.points ?? [],
      })),
    [runIds, byId, curves.data],
  );

  if (runIds.length === 0) {
    return (
      <div className="page">
        <h1>Compare</h1>
        <p className="muted">Tick two or more runs in the list, then press Compare.</p>
      </div>
    );
  }

  return (
    <div className="page page-compare">
      <header className="page-header">
        <div>
          <h1>Compare {runIds.length} runs</h1>
          <p className="muted">Training loss against step; hover for values.</p>
        </div>
      </header>

      <section className="card">
        <div className="card-head">
          <h2>Training loss</h2>
          <label className="toggle">
            <input type="checkbox" data-testid="compare-log-toggle" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
            Log scale
          </label>
        </div>
        <LossChart testId="compare-chart" series={series} logScale={logScale} height={360} showLegend />
        {curves.error && <ErrorNote error={curves.error} title="Loss curves:" />}
      </section>

      <section className="card">
        <h2>Runs</h2>
        <table className="data-table" data-testid="compare-table">
          <thead>
            <tr>
              <th />
              <th>run</th>
              <th>status</th>
              <th>backend</th>
              <th className="num">steps</th>
              <th className="num">final loss</th>
              <th className="num">mode-share error</th>
              <th className="num">train time</th>
            </tr>
          </thead>
          <tbody>
            {runIds.map((id, i) => {
              const run = byId.get(id);
              return (
                <tr key={id} data-testid={`compare-row-${id}`}>
                  <td>
                    <span className="swatch" style={{ background: seriesColor(i) }} />
                  </td>
                  <td>
                    <a href={`#/run/${id}`}>
                      #{id} {run?.name ?? '(unknown run)'}
                    </a>
                  </td>
                  <td>{run && <StatusBadge status={run.status} />}</td>
                  <td>{run?.backend ? `${run.backend.name}${run.backend.gpu ? ' (GPU)' : ''}` : '—'}</td>
                  <td className="num">{run ? `${formatInt(liveSteps(run, progress.get(id)))} / ${formatInt(run.totalSteps)}` : '—'}</td>
                  <td className="num">{formatNumber(run?.finalLoss ?? null, 4)}</td>
                  <td className="num">{formatNumber(run?.metrics?.modeShareError ?? null, 3)}</td>
                  <td className="num">{formatSeconds(run?.trainSeconds ?? null)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** Steps done: the live count while training, else the row's last logged step. */
function liveSteps(run: RunSummary, p: RunProgress | undefined): number {
  return run.status === 'running' && p?.phase === 'training' ? p.done : run.steps;
}

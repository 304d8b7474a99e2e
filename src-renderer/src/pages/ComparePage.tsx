import { useCallback, useMemo, useRef, useState } from 'react';
import type { RunProgress, RunSummary } from '../../../src-shared/api';
import { api } from '../api';
import { ConfigDiffTable } from '../components/ConfigDiffTable';
import { ErrorNote } from '../components/ErrorNote';
import { PngButton } from '../components/PngButton';
import { ScheduleChart, ScheduleTable, scheduleLegend, type RunSchedule } from '../components/ScheduleChart';
import { StatusBadge, isActive } from '../components/StatusBadge';
import { GalleryPanel } from '../components/compare/GalleryPanel';
import { LossCurvesPanel, type ComparedRun } from '../components/compare/LossCurvesPanel';
import { seriesColor } from '../components/palette';
import { useApiData } from '../hooks/useApiData';
import { navigate } from '../hooks/useRoute';
import { useThrottled } from '../hooks/useThrottled';
import { downloadText, fileSafe } from '../lib/download';
import { formatInt, formatNumber, formatSeconds } from '../lib/format';
import { curvesToCsv, curvesToJson } from '../lib/metrics-export';
import { runDuration } from '../lib/run-query';

interface Props {
  runIds: number[];
  runs: RunSummary[];
  progress: ReadonlyMap<number, RunProgress>;
}

/** Training data drawn under each gallery: enough for a smooth density, few enough to stay instant. */
const GALLERY_DATA_POINTS = 4000;

/**
 * The selected runs side by side: loss curves overlaid, noise schedules, sample galleries over the
 * data's density, the config fields that differ, and their outcomes; metrics export as CSV / JSON.
 */
export function ComparePage({ runIds, runs, progress }: Props) {
  const byId = useMemo(() => new Map(runs.map((r) => [r.id, r])), [runs]);
  const missing = runIds.filter((id) => !byId.has(id));
  const compared: ComparedRun[] = useMemo(
    () =>
      runIds
        .filter((id) => byId.has(id))
        .map((id, i) => {
          const summary = byId.get(id)!;
          return { id, label: `#${id} ${summary.name}`, color: seriesColor(i), summary };
        }),
    [runIds, byId],
  );

  if (runIds.length === 0 || compared.length === 0) {
    return (
      <div className="page">
        <h1>Compare</h1>
        {runs.length === 0 && runIds.length > 0 ? (
          <p className="muted">Loading runs…</p>
        ) : (
          <p className="muted">
            Tick two or more runs in the <a href="#/runs">runs table</a>, then press Compare.
            {missing.length > 0 && ` (Runs ${missing.join(', ')} no longer exist.)`}
          </p>
        )}
      </div>
    );
  }
  return <CompareView compared={compared} missing={missing} progress={progress} />;
}

function CompareView({
  compared,
  missing,
  progress,
}: {
  compared: ComparedRun[];
  missing: number[];
  progress: ReadonlyMap<number, RunProgress>;
}) {
  const ids = compared.map((r) => r.id);
  const idsKey = ids.join(',');
  // Per-run records change when a run finishes; curves also while it trains (about once a second).
  const statusKey = compared.map((r) => r.summary.status).join(',');
  const liveKey = compared
    .map((r) => {
      const p = progress.get(r.id);
      return `${r.summary.status}:${p?.phase === 'training' ? p.done : r.summary.steps}`;
    })
    .join('|');
  const liveTick = useThrottled(liveKey, 1000);

  // The per-run records are asked for once the loss curves are in: the store answers one query at
  // a time, and sixty small requests ahead of the curves would hold back the chart people look at first.
  const [curvesLoaded, setCurvesLoaded] = useState(false);
  const onCurvesLoaded = useCallback(() => setCurvesLoaded(true), []);
  const perRun = <T,>(load: (runId: number) => Promise<T>) => (curvesLoaded ? Promise.all(ids.map(load)) : undefined);
  const schedules = useApiData(() => perRun((runId) => api.getSchedule({ runId })), [idsKey, statusKey, curvesLoaded]);
  const samples = useApiData(() => perRun((runId) => api.getSamples({ runId })), [idsKey, statusKey, curvesLoaded]);
  const data = useApiData(
    () => perRun((runId) => api.getTrainingData({ runId, maxPoints: GALLERY_DATA_POINTS })),
    [idsKey, statusKey, curvesLoaded],
  );

  const scheduleRuns: RunSchedule[] = useMemo(
    () => compared.map((r, i) => ({ id: r.id, name: r.label, color: r.color, levels: schedules.data?.[i] ?? [] })),
    [compared, schedules.data],
  );
  const scheduleById = useMemo(() => new Map(scheduleRuns.map((r) => [r.id, r.levels])), [scheduleRuns]);
  const diffRuns = useMemo(() => compared.map((r) => ({ id: r.id, name: r.label, color: r.color, config: r.summary.config })), [compared]);
  const scheduleRef = useRef<HTMLDivElement>(null);

  const remove = (id: number) => navigate({ view: 'compare', runIds: ids.filter((x) => x !== id) });

  return (
    <div className="page page-compare">
      <header className="page-header">
        <div>
          <h1>Compare {compared.length} runs</h1>
          <ul className="run-chips" aria-label="Compared runs">
            {compared.map((r) => (
              <li key={r.id} className="run-chip" data-testid={`compare-chip-${r.id}`}>
                <span className="swatch" style={{ background: r.color }} />
                <a href={`#/run/${r.id}`}>{r.label}</a>
                <StatusBadge status={r.summary.status} />
                <button type="button" className="chip-x" aria-label={`Remove ${r.label} from the comparison`} onClick={() => remove(r.id)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          {missing.length > 0 && <p className="muted small">Runs {missing.join(', ')} no longer exist.</p>}
        </div>
        <MetricsExport runs={compared.map((r) => r.summary)} />
      </header>

      <LossCurvesPanel runs={compared} liveTick={liveTick} schedules={scheduleById} onLoaded={onCurvesLoaded} />

      <section className="card">
        <h2>Samples over the training data</h2>
        <GalleryPanel
          runs={compared}
          samples={samples.data}
          data={data.data}
          schedules={scheduleById}
          statusKey={statusKey}
          ready={curvesLoaded}
        />
        {(samples.error || data.error) && <ErrorNote error={samples.error ?? data.error} title="Samples:" />}
      </section>

      <section className="card">
        <div className="card-head">
          <h2>Noise schedules</h2>
          <PngButton target={scheduleRef} fileName="compare-schedules" legend={scheduleLegend(scheduleRuns)} />
        </div>
        {schedules.error ? (
          <ErrorNote error={schedules.error} title="Schedules:" />
        ) : (
          <div className="schedule-grid wide-table">
            <div ref={scheduleRef}>
              <ScheduleChart runs={scheduleRuns} />
            </div>
            <ScheduleTable runs={scheduleRuns} />
          </div>
        )}
      </section>

      <section className="card">
        <h2>Config differences</h2>
        <ConfigDiffTable runs={diffRuns} />
      </section>

      <section className="card">
        <h2>Outcomes</h2>
        <div className="table-wrap">
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
                <th className="num">samples</th>
                <th className="num">train time</th>
                <th className="num">duration</th>
              </tr>
            </thead>
            <tbody>
              {compared.map((r) => {
                const run = r.summary;
                const p = progress.get(r.id);
                const steps = run.status === 'running' && p?.phase === 'training' ? p.done : run.steps;
                return (
                  <tr key={r.id} data-testid={`compare-row-${r.id}`}>
                    <td>
                      <span className="swatch" style={{ background: r.color }} />
                    </td>
                    <td>
                      <a href={`#/run/${r.id}`}>{r.label}</a>
                    </td>
                    <td>
                      <StatusBadge status={run.status} />
                    </td>
                    <td>{run.backend ? `${run.backend.name}${run.backend.gpu ? ' (GPU)' : ''}` : '—'}</td>
                    <td className="num">{`${formatInt(steps)} / ${formatInt(run.totalSteps)}`}</td>
                    <td className="num">{formatNumber(run.finalLoss, 4)}</td>
                    <td className="num">{formatNumber(run.metrics?.modeShareError ?? null, 3)}</td>
                    <td className="num">{formatInt(run.metrics?.n ?? null)}</td>
                    <td className="num">{formatSeconds(run.trainSeconds)}</td>
                    <td className="num">{isActive(run.status) ? '…' : formatSeconds(runDuration(run))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

/** Every logged point of the runs (up to 10⁵ per curve, the API's cap), as CSV or JSON. */
function MetricsExport({ runs }: { runs: RunSummary[] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (format: 'csv' | 'json') => {
    setBusy(true);
    setError(null);
    try {
      const curves = (
        await Promise.all(
          runs.map(async (run) => {
            const keys = await api.listMetricKeys({ runId: run.id });
            return keys.length ? api.getCurves({ runIds: [run.id], keys, maxPoints: 100_000 }) : [];
          }),
        )
      ).flat();
      const base = fileSafe(`scorebench-runs-${runs.map((r) => r.id).join('-')}`);
      if (format === 'csv') downloadText(curvesToCsv(runs, curves), `${base}.csv`, 'text/csv');
      else downloadText(curvesToJson(runs, curves), `${base}.json`, 'application/json');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="header-actions">
      <span className="muted small">Export metrics</span>
      <button type="button" className="btn btn-small" data-testid="export-csv" disabled={busy} onClick={() => save('csv')}>
        CSV
      </button>
      <button type="button" className="btn btn-small" data-testid="export-json" disabled={busy} onClick={() => save('json')}>
        JSON
      </button>
      {error != null && <ErrorNote error={error} title="Export failed:" />}
    </div>
  );
}

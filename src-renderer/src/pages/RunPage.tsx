import { useMemo, useState } from 'react';
import type { RunDetail, RunSummary } from '../../../src-shared/api';
import { metricKey } from '../../../src-shared/labels';
import { api } from '../api';
import { CurveChart } from '../components/CurveChart';
import { ErrorNote } from '../components/ErrorNote';
import { SamplesChart } from '../components/SamplesChart';
import { SampleView } from '../components/SampleView';
import { ScoreFieldCard } from '../components/ScoreFieldView';
import { TrajectoryPlayer } from '../components/TrajectoryPlayer';
import { ScheduleChart, ScheduleTable } from '../components/ScheduleChart';
import { isActive } from '../components/StatusBadge';
import { seriesColor } from '../components/palette';
import { MetricsView } from '../components/run/MetricsView';
import { NotesCard } from '../components/run/NotesCard';
import { ProgressPanel } from '../components/run/ProgressPanel';
import { RunHeader } from '../components/run/RunHeader';
import { Stats } from '../components/run/RunStats';
import { useApiData } from '../hooks/useApiData';
import { useThrottled } from '../hooks/useThrottled';
import { imageShape } from '../lib/image-shape';
import { newerRun, type LiveProgress } from '../lib/run-store';

interface Props {
  runId: number;
  /** The run's row from the live list: fresher than the detail fetched once. */
  summary: RunSummary | undefined;
  progress: LiveProgress | undefined;
  onRunChanged(run: RunSummary): void;
  onRunRemoved(runId: number): void;
}

/** One run: header, live progress while it runs, loss curve, noise schedule, samples and metrics. */
export function RunPage({ runId, summary, progress, onRunChanged, onRunRemoved }: Props) {
  const detail = useApiData(() => api.getRun({ runId }), [runId]);
  // The fetched detail and the live row are two records of one run: the newer one is shown.
  const run: RunDetail | undefined = newerRun<RunSummary>(detail.data, summary);

  if (!run) {
    return (
      <div className="page">
        {detail.error ? <ErrorNote error={detail.error} title={`Run ${runId}:`} /> : <p className="muted">Loading run {runId}…</p>}
      </div>
    );
  }
  return <RunView run={run} progress={progress} onRunChanged={onRunChanged} onRunRemoved={onRunRemoved} />;
}

interface ViewProps {
  run: RunDetail;
  progress: LiveProgress | undefined;
  onRunChanged(run: RunSummary): void;
  onRunRemoved(runId: number): void;
}

function RunView({ run, progress, onRunChanged, onRunRemoved }: ViewProps) {
  const active = isActive(run.status);
  const [logScale, setLogScale] = useState(true);

  // Refetch the loss at most once a second while training; once more when the status changes.
  const trainingTick = progress?.phase === 'training' ? progress.done : run.steps;
  const lossKey = useThrottled(`${run.status}:${trainingTick}`, 1000);
  const curves = useApiData(() => api.getCurves({ runIds: [run.id], keys: [metricKey.loss] }), [run.id, lossKey]);
  const lossSeries = useMemo(
    () => [{ id: 'loss', name: 'loss', color: seriesColor(0), points: curves.data?.find((c) => c.key === metricKey.loss)?.points ?? [] }],
    [curves.data],
  );

  const started = run.status !== 'queued';
  // Refetched as the status changes: the engine may send the schedule and data after the run
  // turned 'running', so only the next status (at the latest 'completed') is sure to find them.
  const schedule = useApiData(() => api.getSchedule({ runId: run.id }), [run.id, run.status]);
  const data = useApiData(
    () => (started ? api.getTrainingData({ runId: run.id, maxPoints: 2000 }) : undefined),
    [run.id, run.status],
  );
  const samples = useApiData(() => api.getSamples({ runId: run.id }), [run.id, run.status]);
  const metrics = run.metrics ?? samples.data?.metrics ?? null;

  return (
    <div className="page page-run">
      <RunHeader run={run} onRunChanged={onRunChanged} onRunRemoved={onRunRemoved} />

      {active && <ProgressPanel run={run} progress={progress} />}
      {run.status === 'failed' && (
        <div className="callout callout-error" data-testid="run-error" role="alert">
          <strong>Run failed.</strong> {run.error ?? 'No error message was recorded.'}
        </div>
      )}
      {run.status !== 'failed' && run.error && <div className="callout callout-warn" data-testid="run-error">{run.error}</div>}

      <Stats run={run} metrics={metrics} progress={progress} />
      <NotesCard run={run} onRunChanged={onRunChanged} onRunRemoved={onRunRemoved} />

      <section className="card">
        <div className="card-head">
          <h2>Training loss</h2>
          <label className="toggle">
            <input type="checkbox" data-testid="loss-log-toggle" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
            Log scale
          </label>
        </div>
        <CurveChart testId="loss-chart" series={lossSeries} logScale={logScale} xMax={run.totalSteps} />
        {curves.error && <ErrorNote error={curves.error} title="Loss:" />}
      </section>

      <div className="two-col">
        <section className="card">
          <h2>Samples over the training data</h2>
          {imageShape(samples.data?.dim ?? data.data?.dim ?? 0) ? (
            samples.data && <SampleView samples={samples.data} data={data.data ?? null} bounds={null} label="final" />
          ) : (
            <SamplesChart data={data.data} samples={samples.data} />
          )}
          {data.error && <ErrorNote error={data.error} title="Training data:" />}
          {samples.error && <ErrorNote error={samples.error} title="Samples:" />}
          {!samples.data && !samples.error && (
            <p className="muted small">{active ? 'Samples appear when the sampler finishes.' : 'No samples for this run.'}</p>
          )}
        </section>
        <section className="card">
          <h2>Sample quality</h2>
          <MetricsView metrics={metrics} />
        </section>
      </div>

      {started && (
        <div className="two-col">
          <section className="card">
            <h2>Sampling trajectory</h2>
            <TrajectoryPlayer runId={run.id} data={data.data ?? null} refreshKey={`${run.status}:${run.finishedAt ?? ''}`} />
          </section>
          {data.data?.dim === 2 && schedule.data && schedule.data.length > 0 && (
            <section className="card" data-testid="score-field-card">
              <h2>Score field</h2>
              <ScoreFieldCard runId={run.id} levels={schedule.data} refreshKey={`${run.status}:${run.finishedAt ?? ''}`} />
            </section>
          )}
        </div>
      )}

      <section className="card">
        <h2>Noise schedule</h2>
        {schedule.data ? (
          <div className="schedule-grid">
            <ScheduleChart runs={[{ id: run.id, name: run.name, color: seriesColor(0), levels: schedule.data }]} />
            <ScheduleTable runs={[{ id: run.id, name: run.name, color: seriesColor(0), levels: schedule.data }]} />
          </div>
        ) : schedule.error ? (
          <ErrorNote error={schedule.error} title="Schedule:" />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    </div>
  );
}

import type { ReactNode } from 'react';
import { useState } from 'react';
import type { BackendInfo, RunDetail, RunProgress, RunSummary, SampleMetrics } from '../../../src-main/common/api';
import { api } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { LossChart } from '../components/LossChart';
import { SamplesChart } from '../components/SamplesChart';
import { ScheduleChart, ScheduleTable } from '../components/ScheduleChart';
import { StatusBadge, isActive } from '../components/StatusBadge';
import { seriesColor } from '../components/palette';
import { useApiData } from '../hooks/useApiData';
import { useThrottled } from '../hooks/useThrottled';
import { formatDuration, formatInt, formatNumber, formatPercent, formatSeconds, formatTimestamp } from '../lib/format';

interface Props {
  runId: number;
  /** The run's row from the live list: fresher than the detail fetched once. */
  summary: RunSummary | undefined;
  progress: RunProgress | undefined;
  onRunChanged(run: RunSummary): void;
}

/** One run: header, live progress while it runs, loss curve, noise schedule, samples and metrics. */
export function RunPage({ runId, summary, progress, onRunChanged }: Props) {
  const detail = useApiData(() => api.getRun({ runId }), [runId]);
  const run: RunDetail | undefined = detail.data && (summary ? { ...detail.data, ...summary } : detail.data);

  if (!run) {
    return (
      <div className="page">
        {detail.error ? <ErrorNote error={detail.error} title={`Run ${runId}:`} /> : <p className="muted">Loading run {runId}…</p>}
      </div>
    );
  }
  return <RunView run={run} progress={progress} onRunChanged={onRunChanged} />;
}

function RunView({ run, progress, onRunChanged }: { run: RunDetail; progress: RunProgress | undefined; onRunChanged(run: RunSummary): void }) {
  const active = isActive(run.status);
  const [logScale, setLogScale] = useState(true);

  // Refetch the loss at most once a second while training; once more when the status changes.
  const trainingTick = progress?.phase === 'training' ? progress.done : run.steps;
  const lossKey = useThrottled(`${run.status}:${trainingTick}`, 1000);
  const curves = useApiData(() => api.getCurves({ runIds: [run.id], keys: ['loss'] }), [run.id, lossKey]);
  const lossPoints = curves.data?.find((c) => c.key === 'loss')?.points ?? [];

  const started = run.status !== 'queued';
  const schedule = useApiData(() => api.getSchedule({ runId: run.id }), [run.id, started]);
  // Refetched as the status changes too: the data may only exist once the engine has drawn it.
  const data = useApiData(
    () => (started ? api.getTrainingData({ runId: run.id, maxPoints: 2000 }) : undefined),
    [run.id, run.status],
  );
  const samples = useApiData(() => api.getSamples({ runId: run.id }), [run.id, run.status]);
  const metrics = run.metrics ?? samples.data?.metrics ?? null;

  return (
    <div className="page page-run">
      <RunHeader run={run} onRunChanged={onRunChanged} />

      {active && <ProgressPanel run={run} progress={progress} />}
      {run.status === 'failed' && (
        <div className="callout callout-error" data-testid="run-error" role="alert">
          <strong>Run failed.</strong> {run.error ?? 'No error message was recorded.'}
        </div>
      )}
      {run.status !== 'failed' && run.error && <div className="callout callout-warn" data-testid="run-error">{run.error}</div>}

      <Stats run={run} metrics={metrics} liveSteps={progress?.phase === 'training' ? progress.done : null} />

      <section className="card">
        <div className="card-head">
          <h2>Training loss</h2>
          <label className="toggle">
            <input type="checkbox" data-testid="loss-log-toggle" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} />
            Log scale
          </label>
        </div>
        <LossChart
          testId="loss-chart"
          series={[{ key: 'loss', name: 'loss', color: seriesColor(0), points: lossPoints }]}
          logScale={logScale}
          xMax={run.totalSteps}
        />
        {curves.error && <ErrorNote error={curves.error} title="Loss:" />}
      </section>

      <div className="two-col">
        <section className="card">
          <h2>Samples over the training data</h2>
          <SamplesChart data={data.data} samples={samples.data} />
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

      <section className="card">
        <h2>Noise schedule</h2>
        {schedule.data ? (
          <div className="schedule-grid">
            <ScheduleChart levels={schedule.data} />
            <ScheduleTable levels={schedule.data} />
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

function RunHeader({ run, onRunChanged }: { run: RunDetail; onRunChanged(run: RunSummary): void }) {
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const cancel = async () => {
    setCancelling(true);
    setCancelError(null);
    try {
      onRunChanged(await api.cancelRun({ runId: run.id }));
    } catch (e) {
      setCancelError(e);
    } finally {
      setCancelling(false);
    }
  };
  return (
    <header className="page-header">
      <div className="header-main">
        <div className="title-row">
          <h1 data-testid="run-name">{run.name}</h1>
          <StatusBadge status={run.status} testId="run-status" />
        </div>
        <div className="header-meta">
          <span>Run #{run.id}</span>
          <span data-testid="run-backend">
            <BackendLabel backend={run.backend} />
          </span>
          <span data-testid="run-seed">seed {run.seed}</span>
          <span title={`created ${run.createdAt}`}>created {formatTimestamp(run.createdAt)}</span>
          <span className="muted">
            {run.dataKind} · {run.objectiveKind} · {run.scheduleKind} · {run.samplerKind}
          </span>
        </div>
        {cancelError != null && <ErrorNote error={cancelError} title="Cancel failed:" />}
      </div>
      {isActive(run.status) && (
        <button className="btn btn-danger" data-testid="cancel-run" disabled={cancelling} onClick={cancel}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
    </header>
  );
}

function BackendLabel({ backend }: { backend: BackendInfo | null }) {
  if (!backend) return <>backend: not chosen yet</>;
  return (
    <span title={backend.fallbacks.length ? `Fallbacks:\n${backend.fallbacks.join('\n')}` : undefined}>
      backend <strong>{backend.name}</strong> ({backend.package}) · GPU {backend.gpu ? 'yes' : 'no'}
    </span>
  );
}

const PHASE_LABEL: Record<RunProgress['phase'], string> = {
  starting: 'Starting',
  training: 'Training',
  sampling: 'Sampling',
  saving: 'Saving',
  done: 'Done',
};

function ProgressPanel({ run, progress }: { run: RunDetail; progress: RunProgress | undefined }) {
  // Before the first event (e.g. after a reload) the row's step count stands in for progress.
  const phase = progress?.phase ?? (run.status === 'queued' ? 'starting' : 'training');
  const done = progress?.done ?? run.steps;
  const total = progress?.total ?? run.totalSteps;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const unit = phase === 'training' ? 'steps' : phase === 'sampling' ? 'sampler steps' : '';
  return (
    <section className="card progress-card" data-testid="progress-panel" data-phase={phase}>
      <div className="progress-head">
        <span className="progress-phase">{run.status === 'queued' ? 'Queued' : PHASE_LABEL[phase]}</span>
        {unit && (
          <span className="muted">
            {formatInt(done)} / {formatInt(total)} {unit} · {formatPercent(fraction, 0)}
          </span>
        )}
        <span className="progress-right">
          <span className="muted">loss</span> <strong data-testid="live-loss">{formatNumber(progress?.loss ?? null, 4)}</strong>
          <span className="muted">ETA</span> <strong data-testid="eta">{formatDuration(progress?.etaSeconds ?? null)}</strong>
        </span>
      </div>
      <div
        className={`progress-bar phase-${phase}`}
        data-testid="progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label={`${PHASE_LABEL[phase]} progress`}
      >
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </section>
  );
}

function Stats({ run, metrics, liveSteps }: { run: RunDetail; metrics: SampleMetrics | null; liveSteps: number | null }) {
  const stepsPerSecond = run.trainSeconds && run.trainSeconds > 0 ? run.steps / run.trainSeconds : null;
  return (
    <div className="stats" data-testid="run-stats">
      <Stat label="Steps" testId="steps" value={`${formatInt(liveSteps ?? run.steps)} / ${formatInt(run.totalSteps)}`} />
      <Stat label="Final loss" testId="final-loss" value={formatNumber(run.finalLoss, 4)} />
      <Stat label="Mode-share error" testId="stat-mode-share-error" value={formatNumber(metrics?.modeShareError ?? null, 3)} />
      <Stat
        label="Training"
        testId="train-seconds"
        value={formatSeconds(run.trainSeconds)}
        sub={<span data-testid="steps-per-second">{formatNumber(stepsPerSecond, 3)} steps/s</span>}
      />
      <Stat label="Sampling" testId="sample-seconds" value={formatSeconds(run.sampleSeconds)} />
    </div>
  );
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: ReactNode; testId: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

function MetricsView({ metrics }: { metrics: SampleMetrics | null }) {
  if (!metrics) return <p className="muted">Metrics are computed on the final samples.</p>;
  return (
    <div className="metrics" data-testid="metrics">
      <div className="metric-headline">
        <div>
          <div className="stat-label">Mode-share error</div>
          <div className="stat-value big" data-testid="mode-share-error">
            {formatNumber(metrics.modeShareError ?? null, 3)}
          </div>
          <div className="muted small">max over modes of |share − weight|</div>
        </div>
        <div>
          <div className="stat-label">Samples</div>
          <div className="stat-value big" data-testid="metrics-n">
            {formatInt(metrics.n)}
          </div>
        </div>
      </div>
      {metrics.modeShares && metrics.modeShares.length > 0 && (
        <table className="data-table" data-testid="mode-shares">
          <thead>
            <tr>
              <th>mode</th>
              <th>weight</th>
              <th>share</th>
              <th>|Δ|</th>
              <th className="bar-col" />
            </tr>
          </thead>
          <tbody>
            {metrics.modeShares.map((m, k) => (
              <tr key={k}>
                <td>{k + 1}</td>
                <td>{formatPercent(m.weight)}</td>
                <td>{formatPercent(m.share)}</td>
                <td>{formatPercent(Math.abs(m.share - m.weight))}</td>
                <td className="bar-col">
                  <div className="share-bars" title={`weight ${formatPercent(m.weight)} · share ${formatPercent(m.share)}`}>
                    <div className="share-bar weight" style={{ width: `${m.weight * 100}%` }} />
                    <div className="share-bar share" style={{ width: `${m.share * 100}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

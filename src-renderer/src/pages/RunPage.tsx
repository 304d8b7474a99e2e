import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import type { BackendInfo, RunDetail, RunProgress, RunSummary, SampleMetrics } from '../../../src-main/common/api';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CurveChart } from '../components/CurveChart';
import { ErrorNote } from '../components/ErrorNote';
import { InlineEdit } from '../components/InlineEdit';
import { ModeSharesTable } from '../components/ModeSharesTable';
import { SampleMetricsTable } from '../components/SampleMetricsTable';
import { ResumeButton } from '../components/ResumeButton';
import { SamplesChart } from '../components/SamplesChart';
import { SampleView } from '../components/SampleView';
import { SamplingStatsLine } from '../components/SamplingStats';
import { ScoreFieldCard } from '../components/ScoreFieldView';
import { TrajectoryPlayer } from '../components/TrajectoryPlayer';
import { ScheduleChart, ScheduleTable } from '../components/ScheduleChart';
import { StatusBadge, isActive } from '../components/StatusBadge';
import { TagList } from '../components/TagList';
import { seriesColor } from '../components/palette';
import { useApiData } from '../hooks/useApiData';
import { navigate } from '../hooks/useRoute';
import { useRunEdits } from '../hooks/useRunEdits';
import { useThrottled } from '../hooks/useThrottled';
import { imageShape } from '../lib/image-shape';
import { formatDuration, formatInt, formatNumber, formatPercent, formatSeconds, formatTimestamp } from '../lib/format';

interface Props {
  runId: number;
  /** The run's row from the live list: fresher than the detail fetched once. */
  summary: RunSummary | undefined;
  progress: RunProgress | undefined;
  onRunChanged(run: RunSummary): void;
  onRunRemoved(runId: number): void;
}

/** One run: header, live progress while it runs, loss curve, noise schedule, samples and metrics. */
export function RunPage({ runId, summary, progress, onRunChanged, onRunRemoved }: Props) {
  const detail = useApiData(() => api.getRun({ runId }), [runId]);
  const run: RunDetail | undefined = detail.data && (summary ? { ...detail.data, ...summary } : detail.data);

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
  progress: RunProgress | undefined;
  onRunChanged(run: RunSummary): void;
  onRunRemoved(runId: number): void;
}

function RunView({ run, progress, onRunChanged, onRunRemoved }: ViewProps) {
  const active = isActive(run.status);
  const [logScale, setLogScale] = useState(true);

  // Refetch the loss at most once a second while training; once more when the status changes.
  const trainingTick = progress?.phase === 'training' ? progress.done : run.steps;
  const lossKey = useThrottled(`${run.status}:${trainingTick}`, 1000);
  const curves = useApiData(() => api.getCurves({ runIds: [run.id], keys: ['loss'] }), [run.id, lossKey]);
  const lossSeries = useMemo(
    () => [{ id: 'loss', name: 'loss', color: seriesColor(0), points: curves.data?.find((c) => c.key === 'loss')?.points ?? [] }],
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

      <Stats run={run} metrics={metrics} liveSteps={progress?.phase === 'training' ? progress.done : null} />
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

function RunHeader({ run, onRunChanged, onRunRemoved }: Omit<ViewProps, 'progress'>) {
  const [stopping, setStopping] = useState<'cancel' | 'pause' | null>(null);
  const [stopError, setStopError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const edits = useRunEdits(onRunChanged, onRunRemoved);
  /** Cancel and pause both stop the run at its next step with a checkpoint; a paused run is meant to be resumed. */
  const stop = async (how: 'cancel' | 'pause') => {
    setStopping(how);
    setStopError(null);
    try {
      // The reply is the run as it was when asked (it stops at its next step): the run's own
      // update event brings the new status, and may come before this reply, so the reply is not
      // applied over it.
      await (how === 'cancel' ? api.cancelRun({ runId: run.id }) : api.pauseRun({ runId: run.id }));
    } catch (e) {
      setStopError(e);
    } finally {
      setStopping(null);
    }
  };
  const active = isActive(run.status);
  return (
    <header className="page-header">
      <div className="header-main">
        <div className="title-row">
          {renaming ? (
            <InlineEdit
              value={run.name}
              label="Run name"
              testId="run-name-input"
              onSave={(name) => edits.update([run.id], { name })}
              onDone={() => setRenaming(false)}
            />
          ) : (
            <h1 data-testid="run-name">{run.name}</h1>
          )}
          <StatusBadge status={run.status} testId="run-status" />
          {run.archived && <span className="badge" data-testid="run-archived">archived</span>}
          {!renaming && (
            <button type="button" className="btn btn-link" data-testid="rename-run" onClick={() => setRenaming(true)}>
              Rename
            </button>
          )}
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
        <div className="header-tags">
          <TagList tags={run.tags} testId="run-tags" onChange={(tags) => edits.update([run.id], { tags })} />
        </div>
        {stopError != null && <ErrorNote error={stopError} title="Could not stop the run:" />}
        {edits.error != null && <ErrorNote error={edits.error} />}
      </div>
      <div className="header-actions">
        {active && (
          <button
            className="btn"
            data-testid="pause-run"
            title="Stop at the next step with a checkpoint; Resume continues on the same curve"
            disabled={stopping !== null}
            onClick={() => stop('pause')}
          >
            {stopping === 'pause' ? 'Pausing…' : 'Pause'}
          </button>
        )}
        {active && (
          <button className="btn btn-danger" data-testid="cancel-run" disabled={stopping !== null} onClick={() => stop('cancel')}>
            {stopping === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
        <ResumeButton run={run} onRunChanged={onRunChanged} />
        <button
          type="button"
          className="btn btn-small"
          data-testid="clone-config"
          title="Open the new-experiment form with this run's config"
          onClick={() => navigate({ view: 'new', cloneFrom: run.id })}
        >
          Clone config
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="export-bundle"
          disabled={active || edits.busy}
          title={active ? 'A run can be exported once it has finished' : 'Download this run as a bundle another Scorebench imports'}
          onClick={() => edits.exportBundle(run)}
        >
          Export bundle
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="archive-run"
          disabled={edits.busy}
          onClick={() => edits.update([run.id], { archived: !run.archived })}
        >
          {run.archived ? 'Unarchive' : 'Archive'}
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          data-testid="delete-run"
          disabled={active}
          title={active ? 'Cancel the run before deleting it' : 'Delete this run and everything it logged'}
          onClick={() => setConfirmDelete(true)}
        >
          Delete
        </button>
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete “${run.name}”?`}
          confirmLabel="Delete permanently"
          danger
          busy={edits.busy}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            if (await edits.remove([run.id])) navigate({ view: 'runs' });
            else setConfirmDelete(false);
          }}
        >
          Run #{run.id}, its loss curves, schedule, samples and weights are removed from the database. This cannot be undone.
        </ConfirmDialog>
      )}
    </header>
  );
}

/** Free-text notes about the run: saved with the button or Ctrl/⌘+Enter; Escape drops the edit. */
function NotesCard({ run, onRunChanged, onRunRemoved }: Omit<ViewProps, 'progress'>) {
  const [draft, setDraft] = useState<string | null>(null);
  const edits = useRunEdits(onRunChanged, onRunRemoved);
  const text = draft ?? run.notes;
  const save = async () => {
    if (draft !== null && (await edits.update([run.id], { notes: draft }))) setDraft(null);
  };
  return (
    <section className="card">
      <div className="card-head">
        <h2>Notes</h2>
        {draft !== null && (
          <span className="label-actions">
            <button type="button" className="btn btn-link" onClick={() => setDraft(null)}>
              Discard
            </button>
            <button type="button" className="btn btn-small btn-primary" data-testid="save-notes" disabled={edits.busy} onClick={save}>
              Save notes
            </button>
          </span>
        )}
      </div>
      <textarea
        className="notes"
        data-testid="run-notes"
        aria-label="Notes"
        placeholder="What was this run for? What did you learn?"
        rows={2}
        value={text}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          } else if (e.key === 'Escape') setDraft(null);
        }}
      />
      {edits.error != null && <ErrorNote error={edits.error} title="Notes:" />}
    </section>
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
        {phase === 'sampling' && progress?.stats && <SamplingStatsLine stats={progress.stats} />}
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
      {metrics.modeShares && metrics.modeShares.length > 0 && <ModeSharesTable shares={metrics.modeShares} testId="mode-shares" />}
      <SampleMetricsTable metrics={metrics} testId="sample-metrics" />
    </div>
  );
}

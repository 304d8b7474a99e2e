import type { RunDetail, RunProgress } from '../../../../src-shared/api';
import { formatDuration, formatInt, formatNumber, formatPercent } from '../../lib/format';
import { SamplingStatsLine } from './SamplingStats';

const PHASE_LABEL: Record<RunProgress['phase'], string> = {
  starting: 'Starting',
  training: 'Training',
  sampling: 'Sampling',
  saving: 'Saving',
  done: 'Done',
};

export function ProgressPanel({ run, progress }: { run: RunDetail; progress: RunProgress | undefined }) {
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

import type { ReactNode } from 'react';
import type { RunDetail, SampleMetrics } from '../../../../src-shared/api';
import { formatInt, formatNumber, formatSeconds } from '../../lib/format';
import type { LiveProgress } from '../../lib/run-store';
import { runStats } from '../../lib/run-stats';

/** The headline numbers; while the run runs, the live ones come from its progress events (lib/run-stats). */
export function Stats({ run, metrics, progress }: { run: RunDetail; metrics: SampleMetrics | null; progress: LiveProgress | undefined }) {
  const stats = runStats(run, progress);
  return (
    <div className="stats" data-testid="run-stats">
      <Stat label="Steps" testId="steps" value={`${formatInt(stats.steps)} / ${formatInt(run.totalSteps)}`} />
      <Stat label={stats.lossIsFinal ? 'Final loss' : 'Loss (latest)'} testId="final-loss" value={formatNumber(stats.loss, 4)} />
      {stats.hasModes && (
        <Stat label="Mode-share error" testId="stat-mode-share-error" value={formatNumber(metrics?.modeShareError ?? null, 3)} />
      )}
      <Stat
        label="Training"
        testId="train-seconds"
        value={formatSeconds(run.trainSeconds)}
        sub={<span data-testid="steps-per-second">{formatNumber(stats.stepsPerSecond, 3)} steps/s</span>}
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
